"""The fast engine reports what pySHACL, the reference, reports: same findings, same messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers import DATA, ENGINES, ROOT, bundled_setups, setup_from
from rdflib import SH, Graph

from jeugdgov import InputError, validate
from jeugdgov.resources import JG, JGD
from jeugdgov.validation import Finding
from jeugdgov.validation.catalogue import shapes
from jeugdgov.validation.fast.parallel import validate_paths
from jeugdgov.validation.fast.pyshacl_fallback import with_pyshacl
from jeugdgov.validation.fast.translate import translate
from jeugdgov.validation.findings import Findings, Report

SETUPS = bundled_setups()


def key(finding: Finding) -> tuple[str | None, ...]:
    return (finding.setup, finding.focus, finding.shape, finding.path, finding.value, finding.severity,
            finding.defect)


def described(findings: list[Finding]) -> Counter:
    return Counter((key(f), f.message("nl"), f.message("en"), tuple(p.iri for p in f.parties), f.basis,
                    f.evidence, f.sources) for f in findings)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETUPS))
def test_fast_engine_reports_what_pyshacl_reports(name, pyshacl_reference):
    reference = pyshacl_reference(name)
    fast = validate(SETUPS[name], engine="fast")
    assert Counter(map(key, fast.findings)) == Counter(map(key, reference.findings))
    assert described(fast.findings) == described(reference.findings)
    assert len(fast.shacl_report) == len(reference.shacl_report)


def test_reading_files_straight_into_the_store_finds_the_same():
    from_rdflib = {name: sorted((f.defect, f.focus, f.value) for f in validate(s).findings)
                   for name, s in SETUPS.items()}
    from_files = {r.setup.name: sorted((f.defect, f.focus, f.value) for f in r.findings)
                  for r in validate_paths([DATA])}
    assert from_files == from_rdflib
    assert any(from_files.values())


def test_literal_values_keep_the_lexical_form_of_the_data():
    # The store keeps decimals canonically ("-5.00" as "-5"); findings show what the data says.
    setup = setup_from('ex:d a jg:IndividualDecision ; jg:amount "-5.00"^^xsd:decimal .')
    for engine in ("fast", "pyshacl"):
        (finding,) = validate(setup, defects=["wrong-datatype"], engine=engine).findings
        assert finding.value == "-5.00"



UNDEFINED_TERMS = """
ex:d1 a jg:IndividualDecision ; jg:advisedBi ex:o .
ex:d2 a jg:IndividualDecision ; jg:decidedBy [ a jg:Offical ] .
ex:d3 a jg:IndividualDecision ; jg:decidedBy ex:o ; jg:advisedBi ex:o .
"""


@pytest.mark.slow
def test_a_sparql_target_is_evaluated_first_even_for_blank_nodes_and_in_batches(monkeypatch):
    # undefined-term has a SPARQL target: its focus nodes are selected first and written into
    # the constraint query, a batch at a time; a blank focus node cannot be, so there the
    # target is joined instead. Either way the findings are pySHACL's.
    import jeugdgov.validation.fast.evaluation

    setup = setup_from(UNDEFINED_TERMS)
    expected = Counter(map(key, validate(setup, defects=["undefined-term"], engine="pyshacl").findings))
    assert sum(expected.values()) == 3
    assert validate(setup, defects=["undefined-term"]).findings  # warm the translation cache
    for batch in (1, 2, 1000):
        monkeypatch.setattr(jeugdgov.validation.fast.evaluation, "FOCUS_BATCH", batch)
        assert Counter(map(key, validate(setup, defects=["undefined-term"]).findings)) == expected
    without_blank = setup_from(UNDEFINED_TERMS.replace("[ a jg:Offical ]", "ex:o"))
    monkeypatch.setattr(jeugdgov.validation.fast.evaluation, "FOCUS_BATCH", 1)
    assert {f.focus for f in validate(without_blank, defects=["undefined-term"]).findings} == {
        "https://w3id.org/jeugdgov/id/example/d1", "https://w3id.org/jeugdgov/id/example/d3"}

def test_findings_completed_by_pyshacl_are_still_a_findings_table():
    # The shapes the fast engine cannot evaluate go to pySHACL; the merged findings keep counts() and to_frame().
    setup = setup_from(UNDEFINED_TERMS)
    shape = shapes().value(None, JG.detects, JGD["undefined-term"])
    report = with_pyshacl(Report(setup, Findings(), Graph()), setup, {shape}, ["undefined-term"])
    assert report.findings.counts() == {"Violation": 3}
    assert (None, SH.result, None) in report.shacl_report


EXTRA_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix jgd: <https://w3id.org/jeugdgov/defect/> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
ex:named-decisions a sh:NodeShape ;
    jg:detects jgd:required-property ; sh:severity sh:Violation ;
    sh:targetClass jg:Decision ;
    sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; sh:minLength 3 ] ;
    sh:message "Besluit {$this} heeft een te korte naam."@nl , "Decision {$this} has too short a name."@en .
ex:nested-this a sh:NodeShape ;
    jg:detects jgd:required-property ; sh:severity sh:Violation ;
    sh:targetClass jg:Decision ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:select \"\"\"
        SELECT $this WHERE { { ?x <https://w3id.org/jeugdgov/def#decidedBy> ?y FILTER (?x = $this) } }\"\"\" ] .
"""


@pytest.fixture
def home_with_extra_shapes(tmp_path: Path) -> Path:
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "shapes" / "extra.ttl").write_text(EXTRA_SHAPE, encoding="utf-8")
    return tmp_path


def test_untranslatable_shapes_are_named_with_their_reason(home_with_extra_shapes):
    shapes_graph = Graph()
    for path in (home_with_extra_shapes / "shapes").glob("*.ttl"):
        shapes_graph.parse(path)
    problems = {str(s).rsplit("/", 1)[-1]: why for s, why in translate(shapes_graph).untranslatable.items()}
    assert set(problems) == {"named-decisions", "nested-this"}
    assert "sh:minLength" in problems["named-decisions"]
    assert "nested group" in problems["nested-this"]


def test_a_property_shape_without_path_or_with_a_non_integer_count_is_untranslatable():
    shapes_graph = Graph().parse(data="""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
ex:no-path a sh:NodeShape ; sh:targetClass jg:Decision ; sh:property [ sh:minCount 1 ] .
ex:text-count a sh:NodeShape ; sh:targetClass jg:Decision ;
    sh:property [ sh:path jg:decidedBy ; sh:maxCount "one" ] .
""", format="turtle")
    problems = {str(s).rsplit("/", 1)[-1]: why for s, why in translate(shapes_graph).untranslatable.items()}
    assert problems == {"no-path": "a property shape without sh:path", "text-count": "one is not an integer"}


def test_a_sub_select_that_only_selects_this_is_translatable():
    # pySHACL wants every sub-SELECT to select $this; one that does not read it means the
    # same whether $this is pre-bound or joined.
    shapes_graph = Graph().parse(data="""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
ex:selects-this a sh:NodeShape ; sh:targetClass jg:Decision ; sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE { $this jg:decidedBy ?y . { SELECT $this ?y WHERE { ?y a jg:Official } } }\"\"\" ] .
ex:reads-this a sh:NodeShape ; sh:targetClass jg:Decision ; sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE { { SELECT $this WHERE { $this jg:decidedBy ?y } } }\"\"\" ] .
ex:does-not-select-this a sh:NodeShape ; sh:targetClass jg:Decision ; sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE { $this jg:decidedBy ?y . { SELECT ?y WHERE { ?y a jg:Official } } }\"\"\" ] .
ex:computes-from-this a sh:NodeShape ; sh:targetClass jg:Decision ; sh:sparql [ sh:select \"\"\"
    SELECT $this WHERE { { SELECT $this (STR($this) AS ?name) WHERE { ?y a jg:Official } } }\"\"\" ] .
""", format="turtle")
    problems = {str(s).rsplit("/", 1)[-1]: why for s, why in translate(shapes_graph).untranslatable.items()}
    assert problems == {"reads-this": "sub-SELECT", "does-not-select-this": "sub-SELECT",
                        "computes-from-this": "sub-SELECT"}


def run_validate(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JEUGDGOV_HOME": str(home)}
    command = Path(sys.executable).parent / "jeugdgov"
    return subprocess.run([str(command), "validate", *args], capture_output=True, text=True,
                          env=env, timeout=600)


DECISION = """
@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:setup a jg:Setup .
ex:college a jg:MunicipalExecutive .
ex:d a jg:IndividualDecision ; rdfs:label "d" ; jg:decidedBy ex:college .
"""


@pytest.mark.slow
def test_cli_refuses_untranslatable_shapes_unless_falling_back(home_with_extra_shapes, tmp_path):
    data = tmp_path / "decision.ttl"
    data.write_text(DECISION, encoding="utf-8")
    refused = run_validate(home_with_extra_shapes, str(data))
    assert refused.returncode == 2
    assert "named-decisions" in refused.stderr and "nested-this" in refused.stderr
    assert refused.stdout == ""
    fallback = run_validate(home_with_extra_shapes, str(data), "--fallback", "--format", "json", "--lang", "en")
    reference = run_validate(home_with_extra_shapes, str(data), "--engine", "pyshacl", "--format", "json",
                             "--lang", "en")
    assert fallback.returncode == reference.returncode == 1
    assert "too short a name" in fallback.stdout
    assert sorted(fallback.stdout.splitlines()) == sorted(reference.stdout.splitlines())


def test_unknown_engine_is_bad_input():
    with pytest.raises(InputError, match="unknown validation engine"):
        validate(SETUPS["lelystad-jel"], engine="turbo")


@pytest.mark.parametrize("engine", ENGINES)
def test_validate_takes_a_setup_or_paths_and_gives_the_same_findings(setups, engine):
    setup = setups["lelystad-cooperatie"]
    one = validate(setup, engine=engine)
    [from_file] = validate([setup.source], engine=engine, setups=[setup.name], workers=1)
    assert from_file.setup.name == setup.name
    assert from_file.findings == one.findings
    assert len([f for f in one.findings if f.evidence == "established"]) == 10  # the report's established findings
    with pytest.raises(InputError, match="no setup named nowhere"):
        validate(setup.source, engine=engine, setups=["nowhere"])


def test_findings_read_the_ontology_facts_as_rdflib_reads_them():
    """The properties that name a finding's parties come from the ontology's quads, without an
    rdflib copy of it: the same properties in the same order (the order of the parties)."""
    from rdflib import RDFS, URIRef

    from jeugdgov.resources import ontology
    from jeugdgov.validation.findings import involving_properties

    expected = tuple(p for p in ontology().transitive_subjects(RDFS.subPropertyOf, JG.involves)
                     if isinstance(p, URIRef))
    assert involving_properties() == expected and len(expected) > 5


def test_a_validation_needs_no_rdflib_copy_of_the_ontology():
    code = ("import jeugdgov.resources as resources\n"
            "from jeugdgov import validate\n"
            f"reports = validate({str(DATA / 'lelystad.trig')!r})\n"
            "assert any(report.findings for report in reports)\n"
            "print(resources.ontology.cache_info().misses)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"  # never read into rdflib
