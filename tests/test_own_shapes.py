"""A user's own SHACL shapes beside the catalogue's (validate --shapes-file): both engines give
the same findings, and a shape the fast engine cannot translate is named and left to pySHACL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA, jeugdgov
from pyoxigraph import Store
from rdflib import RDF, RDFS, URIRef

from jeugdgov import InputError, load, validate
from jeugdgov.resources import JG, ontology
from jeugdgov.stores.embedded import memory_store
from jeugdgov.validation import ValidationOptions

LELYSTAD = DATA / "lelystad.trig"

#: One core constraint (sh:minCount) and one SPARQL constraint, with messages in both languages.
OWN_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://example.org/my-shapes#> .

ex:subsidy-has-ceiling a sh:NodeShape ;
    sh:targetClass jg:SubsidyDecision ;
    sh:property [ sh:path jg:budgetCeiling ; sh:minCount 1 ;
                  sh:message "Subsidiebeschikking zonder budgetplafond"@nl , "Subsidy decision without a ceiling"@en ] .

ex:flow-has-amount a sh:NodeShape ;
    sh:targetClass jg:MoneyFlow ;
    sh:severity sh:Warning ;
    sh:sparql [ a sh:SPARQLConstraint ;
        sh:message "Geldstroom zonder bedrag: {$this}"@nl , "Money flow without an amount: {$this}"@en ;
        sh:select \"\"\"PREFIX jg: <https://w3id.org/jeugdgov/def#>
            SELECT $this WHERE { $this jg:payer ?payer . FILTER NOT EXISTS { $this jg:amount ?amount } }\"\"\" ] .
"""

#: A shape the fast engine does not translate (a qualified value shape).
ODD_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://example.org/my-shapes#> .

ex:two-municipal-parties a sh:NodeShape ;
    sh:targetClass jg:CollaborationAgreement ;
    sh:property [ sh:path jg:party ; sh:qualifiedValueShape [ sh:class jg:Municipality ] ;
                  sh:qualifiedMinCount 2 ] .
"""

OWN = ("subsidy-has-ceiling", "flow-has-amount", "two-municipal-parties")


def keys(reports) -> set[tuple[str, str, str, str | None, str]]:
    return {(f.setup, f.defect, f.focus, f.value, f.severity) for f in reports.findings}


@pytest.fixture(scope="module")
def shapes_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "my-shapes.ttl"
    path.write_text(OWN_SHAPES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def odd_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "odd-shapes.ttl"
    path.write_text(ODD_SHAPES, encoding="utf-8")
    return path


def _instances(setup, cls: URIRef) -> set[str]:
    graph = setup.graph + ontology()
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {str(s) for c in classes for s in setup.graph.subjects(RDF.type, c)}


@pytest.mark.slow  # pySHACL on every Lelystad phase
def test_both_engines_find_the_same_with_own_shapes(shapes_file):
    fast = validate(LELYSTAD, shapes_files=[shapes_file])
    reference = validate(LELYSTAD, shapes_files=[shapes_file], engine="pyshacl")
    assert keys(fast) == keys(reference)
    # what the shapes ask, computed from the data itself
    expected = set()
    for setup in load(LELYSTAD):
        expected |= {(setup.name, "subsidy-has-ceiling", node) for node in _instances(setup, JG.SubsidyDecision)
                     if (URIRef(node), JG.budgetCeiling, None) not in setup.graph}
        expected |= {(setup.name, "flow-has-amount", str(flow)) for flow in setup.graph.subjects(JG.payer, None)
                     if (flow, JG.amount, None) not in setup.graph}
    found = {(f.setup, f.defect, f.focus) for f in fast.findings if f.defect in OWN}
    assert found == expected and {d for _s, d, _f in found} == {"subsidy-has-ceiling", "flow-has-amount"}
    # the catalogue's findings are still all there
    assert keys(validate(LELYSTAD)) == {k for k in keys(fast) if k[1] not in OWN}


def test_own_findings_carry_the_shapes_messages_and_severity(shapes_file):
    findings = [f for f in validate(LELYSTAD, shapes_files=[shapes_file]).findings if f.defect in OWN]
    flows = [f for f in findings if f.defect == "flow-has-amount"]
    assert flows and all(f.severity == "Warning" for f in flows)
    assert all(f.message("nl").startswith("Geldstroom zonder bedrag: ") and f.focus_label("nl") in f.message("nl")
               for f in flows)
    ceilings = [f for f in findings if f.defect == "subsidy-has-ceiling"]
    assert ceilings and all(f.severity == "Violation" and f.message("en") == "Subsidy decision without a ceiling"
                            for f in ceilings)


@pytest.mark.slow  # pySHACL on every Lelystad phase
def test_a_shape_the_fast_engine_cannot_translate_is_named_and_left_to_pyshacl(odd_file):
    notes: list[str] = []
    fast = validate(LELYSTAD, options=ValidationOptions(shapes_files=[odd_file], note=notes.append))
    assert len(notes) == 1 and "two-municipal-parties" in notes[0] and "sh:qualified" in notes[0]
    reference = validate(LELYSTAD, shapes_files=[odd_file], engine="pyshacl")
    assert keys(fast) == keys(reference)
    assert any(f.defect == "two-municipal-parties" for f in fast.findings)
    with pytest.warns(UserWarning, match="two-municipal-parties"):
        validate(next(iter(load(LELYSTAD))), shapes_files=[odd_file])


def test_own_shapes_on_a_setup_and_on_a_store(shapes_file):
    setup = next(s for s in load(LELYSTAD) if s.name == "lelystad-netwerk")
    alone = validate(setup, shapes_files=[shapes_file])
    from_files = validate(LELYSTAD, shapes_files=[shapes_file])["lelystad-netwerk"]
    assert {(f.defect, f.focus) for f in alone.findings} == {(f.defect, f.focus) for f in from_files.findings}
    store: Store = memory_store([LELYSTAD])
    in_store = validate(store, shapes_files=[shapes_file])
    assert {(f.setup, f.defect, f.focus) for f in in_store.findings if f.defect in OWN} == \
        {(f.setup, f.defect, f.focus) for f in validate(LELYSTAD, shapes_files=[shapes_file]).findings
         if f.defect in OWN}


@pytest.mark.parametrize(("text", "says", "line"), [
    (None, "no shapes file", None),
    ("@prefix ex: <https://example.org/> . ex:a ex:b ex:c .", "no SHACL shape with a target", None),
    ("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", "", 3),
])
def test_a_bad_shapes_file_is_named(tmp_path, text, says, line):
    path = tmp_path / "bad.ttl"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        validate(LELYSTAD, shapes_files=[path])
    assert says in str(caught.value) and caught.value.line == line
    assert "bad.ttl" in str(caught.value) or caught.value.file == path


def test_own_shapes_are_refused_for_an_endpoint(shapes_file):
    with pytest.raises(InputError, match="not from an endpoint"):
        validate("http://127.0.0.1:9/query", shapes_files=[shapes_file])


def test_the_command_takes_shapes_files(shapes_file, odd_file, tmp_path):
    result = jeugdgov("validate", LELYSTAD, "--shapes-file", shapes_file, "--shapes-file", odd_file, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert set(OWN) <= {f["defect"] for f in json.loads(result.stdout)["findings"]}
    assert "two-municipal-parties" in result.stderr and "Traceback" not in result.stderr
    missing = jeugdgov("validate", LELYSTAD, "--shapes-file", tmp_path / "no.ttl")
    assert missing.returncode == 2 and "no.ttl" in missing.stderr and "Traceback" not in missing.stderr
