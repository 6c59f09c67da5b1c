"""What a finding rests on: established facts, an unrecorded absence, or a party's claim.

Decided here, once, for both engines, from the facts about the nodes a finding rests on (its
focus node, its value, the nodes the shape's ``jg:evidenceVia`` properties lead to, step by
step, and the facts its
``jg:evidenceLink`` names: those pointing at the focus node and at the value, such as the
party's role assignments for the task of a dual role):

- *alleged* when one of them is a claim of a party (``jg:claimedBy``) or contested by one
  (``jg:disputedBy``);
- *unrecorded* when the shape reads an absence (``jg:readsAbsenceOf``,
  ``jg:readsAbsenceOfInverse``) that the data neither state nor deny: no value for the
  property, no ``jg:noValue`` naming it (``jg:unknownValue`` says a value exists and
  ``jg:unclearValue`` that the source leaves it open, so the absence is not established
  either), or only facts pointing here that lack what the shape needs of them
  (``jg:referenceNeeds``: an evaluation without a date);
- *established* otherwise: recorded facts, explicit absences included.

The sources of a finding are the documents those nodes cite (``prov:hadPrimarySource``,
``jg:source``).

A mark on a node means every statement about it. A single statement carries its own marks
through standard RDF reification: a node ``a rdf:Statement`` naming the triple by
``rdf:subject``, ``rdf:predicate`` and ``rdf:object`` (docs/design.md says why this form). A
finding rests on the statements about its nodes that link them to each other or state what it
reads: whose object is one of its nodes or a property the shape reads, or whose predicate is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV, RDF

from jeugdgov.resources import JG, LANGUAGES, shapes

ESTABLISHED, UNRECORDED, ALLEGED = "established", "unrecorded", "alleged"
#: The evidence statuses, strongest first: the order a report lists findings in.
EVIDENCE = (ESTABLISHED, UNRECORDED, ALLEGED)
#: What a fact node says about its own evidence.
CLAIM_PREDICATES = (JG.claimedBy, JG.disputedBy)
SOURCE_PREDICATES = (PROV.hadPrimarySource, JG.source)
ABSENCE_PREDICATES = (JG.noValue, JG.unknownValue, JG.unclearValue)
#: What says a value may exist although none is recorded: the absence is then not established.
OPEN_PREDICATES = (JG.unknownValue, JG.unclearValue)
# Looked up once: a namespace attribute makes a new term on every use, in loops over every finding.
_NO_VALUE, _SUBJECT, _PREDICATE, _OBJECT = JG.noValue, RDF.subject, RDF.predicate, RDF.object
_SOURCES = frozenset(SOURCE_PREDICATES)  # a set: rdflib's terms compare in Python, one by one in a tuple
FACT_PREDICATES = (*ABSENCE_PREDICATES, *CLAIM_PREDICATES, *SOURCE_PREDICATES)


class Facts(Protocol):
    """The facts about the nodes of a finding, as the conversion into findings indexes them."""

    def predicate_objects(self, node: Node) -> list[tuple[Node, Node]]: ...

    def has(self, node: Node, predicate: Node, obj: Node) -> bool: ...

    def pointing(self, node: Node, predicate: Node) -> list[Node]: ...


@dataclass(frozen=True)
class EvidenceRule:
    """What a shape declares about the absences it reads."""

    #: The property or role whose absence the shape reads, and whether it points at the node.
    absences: tuple[tuple[URIRef, bool], ...] = ()
    #: Properties from the focus node to further nodes the finding rests on.
    via: tuple[URIRef, ...] = ()
    #: (to the focus node, to the value): the facts with both that the finding also rests on.
    links: tuple[tuple[URIRef, URIRef], ...] = ()
    #: The message templates of an unrecorded finding, by language.
    questions: tuple[tuple[str, str], ...] = ()
    #: What a fact pointing here must record to state an inverse absence (an evaluation's date).
    needs: tuple[URIRef, ...] = ()

    def question(self, lang: str) -> str | None:
        return dict(self.questions).get(lang)


@dataclass(frozen=True)
class Judgement:
    """The evidence status of one finding, the parties whose claim it rests on and its sources."""

    evidence: str
    claimants: tuple[Node, ...]
    sources: tuple[str, ...]
    #: The parties contesting a fact the finding rests on.
    disputants: tuple[Node, ...] = ()


def evidence_rule(shape: Node, shapes_graph: Graph) -> EvidenceRule:
    """The evidence declarations of a (detecting) shape."""
    absences = [(p, False) for p in shapes_graph.objects(shape, JG.readsAbsenceOf) if isinstance(p, URIRef)]
    absences += [(p, True) for p in shapes_graph.objects(shape, JG.readsAbsenceOfInverse) if isinstance(p, URIRef)]
    via = [p for p in shapes_graph.objects(shape, JG.evidenceVia) if isinstance(p, URIRef)]
    questions = [(lang, str(m)) for lang in LANGUAGES for m in shapes_graph.objects(shape, JG.unrecordedMessage)
                 if isinstance(m, Literal) and m.language == lang]
    needs = {p for p in shapes_graph.objects(shape, JG.referenceNeeds) if isinstance(p, URIRef)}
    return EvidenceRule(absences=tuple(sorted(absences)), via=tuple(sorted(set(via))),
                        links=tuple(sorted(_links(shapes_graph, shape))), questions=tuple(questions),
                        needs=tuple(sorted(needs)))


def _links(shapes_graph: Graph, shape: Node | None) -> set[tuple[URIRef, URIRef]]:
    """The (to focus, to value) property pairs of a shape's jg:evidenceLink (None: of every shape)."""
    pairs = set()
    for link in shapes_graph.objects(shape, JG.evidenceLink):
        to_focus, to_value = shapes_graph.value(link, JG.linksFocusBy), shapes_graph.value(link, JG.linksValueBy)
        if isinstance(to_focus, URIRef) and isinstance(to_value, URIRef):
            pairs.add((to_focus, to_value))
    return pairs


@cache
def lookups() -> tuple[frozenset[URIRef], frozenset[URIRef], frozenset[URIRef]]:
    """What deciding needs beyond a node's own evidence predicates, over all shapes: the
    properties read on a node (with those by which a linking fact names the value and those a
    fact pointing here needs), those read pointing at it (with those by which a linking fact
    names the focus node), and those leading to further nodes."""
    graph = shapes()
    links = _links(graph, None)
    read = [*graph.objects(None, JG.readsAbsenceOf), *graph.objects(None, JG.referenceNeeds)]
    forward = frozenset(p for p in read if isinstance(p, URIRef)) | {RDF.predicate, RDF.object}
    inverse = frozenset(p for p in graph.objects(None, JG.readsAbsenceOfInverse) if isinstance(p, URIRef))
    via = frozenset(p for p in graph.objects(None, JG.evidenceVia) if isinstance(p, URIRef))
    return forward | {v for _f, v in links}, inverse | {f for f, _v in links} | {RDF.subject}, via


def judge(rule: EvidenceRule, facts: Facts, focus: Node, value: Node | None) -> Judgement:
    """The evidence status of a finding on ``focus`` (and ``value``) under a shape's rule."""
    absence_nodes = [focus, *_via(rule, facts, focus)]
    linking = [fact for to_focus, to_value in rule.links if value is not None
               for fact in facts.pointing(focus, to_focus) if facts.has(fact, to_value, value)]
    resting = [*absence_nodes, *([value] if value is not None and value != focus
                                 and not isinstance(value, Literal) else []), *linking]
    parties: dict[Node, list[Node]] = {p: [] for p in CLAIM_PREDICATES}
    sources: set[str] = set()
    for node in [*resting, *_statements(rule, facts, resting)]:
        for p, o in facts.predicate_objects(node):
            if p in parties:
                parties[p].append(o)
            elif p in _SOURCES and not isinstance(o, BNode):
                sources.add(str(o))
    claimants, disputants = (tuple(sorted(dict.fromkeys(parties[p]), key=str)) for p in CLAIM_PREDICATES)
    if claimants or disputants:
        evidence = ALLEGED
    elif all(_stated(facts, absence_nodes, term, inverse, rule.needs) for term, inverse in rule.absences):
        evidence = ESTABLISHED
    else:
        evidence = UNRECORDED
    return Judgement(evidence, claimants, tuple(sorted(sources)), disputants)


def _statements(rule: EvidenceRule, facts: Facts, resting: list[Node]) -> list[Node]:
    """The reified statements about the nodes a finding rests on that it rests on too."""
    nodes = set(resting)
    read = {term for term, _inverse in rule.absences} | set(rule.needs) | set(rule.via)
    found = []
    for node in resting:
        for statement in facts.pointing(node, _SUBJECT):
            own = facts.predicate_objects(statement)
            if any((p == _PREDICATE and o in read) or (p == _OBJECT and (o in nodes or o in read))
                   for p, o in own):
                found.append(statement)
    return found


def _via(rule: EvidenceRule, facts: Facts, focus: Node) -> list[Node]:
    """The nodes the rule's jg:evidenceVia properties lead to from the focus node, step by step
    (a pass-through, its subsidy, the subsidy's decision)."""
    found: list[Node] = []
    frontier = [focus]
    via = frozenset(rule.via)
    while frontier:
        node = frontier.pop()
        for p, o in facts.predicate_objects(node):
            if p in via and not isinstance(o, Literal) and o != focus and o not in found:
                found.append(o)
                frontier.append(o)
    return found


def _stated(facts: Facts, nodes: list[Node], term: URIRef, inverse: bool, needs: tuple[URIRef, ...]) -> bool:
    """Whether the data state the absence of ``term`` on one of the nodes: jg:noValue names
    it, or a value is recorded (which the shape then found wanting, e.g. false); a fact
    pointing here states it only with everything the shape needs of it (a date)."""
    for node in nodes:
        if facts.has(node, _NO_VALUE, term):
            return True
        if any(facts.has(node, p, term) for p in OPEN_PREDICATES):
            continue
        if inverse:
            if any(_complete(facts, fact, needs) for fact in facts.pointing(node, term)):
                return True
        elif any(p == term for p, _o in facts.predicate_objects(node)):
            return True
    return False


def _complete(facts: Facts, fact: Node, needs: tuple[URIRef, ...]) -> bool:
    recorded = {p for p, _o in facts.predicate_objects(fact)}
    return all(p in recorded and not any(facts.has(fact, o, p) for o in OPEN_PREDICATES) for p in needs)
