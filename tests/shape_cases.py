"""The example graphs of every shape, read from ``shapes/examples/`` by the package (which prints
them on the rule pages), and a snippet the tests reuse."""

from jeugdgov.validation.examples import PREFIXES, cases, lookalikes, shape_cases

CASES = cases()
LAWFUL = lookalikes()
SHAPE_CASES = shape_cases()

#: A municipality, its executive holding the access-decision competence, and an official under it.
COLLEGE = """
ex:m a jg:Municipality ; rdfs:label "Gemeente Voorbeeld" .
ex:c a jg:MunicipalExecutive ; jg:bodyOf ex:m ; rdfs:label "College Voorbeeld" .
ex:comp a jg:Competence ; jg:attributedTo ex:c ; jg:task jgt:access-decision .
ex:o a jg:Official ; jg:subordinateTo ex:c ; rdfs:label "Ambtenaar" .
"""

__all__ = ["CASES", "COLLEGE", "LAWFUL", "PREFIXES", "SHAPE_CASES"]
