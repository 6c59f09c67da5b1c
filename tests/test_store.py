"""The embedded store and the `load` and `query` commands: all-or-nothing loading, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from helpers import DATA, jeugdgov
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Store

from jeugdgov.errors import InputError
from jeugdgov.stores.embedded import LoadInterrupted, load, load_into, memory_store

PREFIXES = """@prefix jg: <https://w3id.org/jeugdgov/def#> .
@prefix ex: <https://w3id.org/jeugdgov/id/example/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def run(*args: object, width: int = 80) -> subprocess.CompletedProcess:
    """The command in this process, its tables ``width`` characters wide."""
    return jeugdgov(*args, env={"COLUMNS": str(width)})


def test_setups_keep_their_graphs_and_shared_facts_go_to_the_default_graph():
    store = memory_store([DATA / "lelystad.trig", DATA / "flevoland-handelingskader.ttl"])
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {"https://w3id.org/jeugdgov/id/lelystad/setup-netwerk",
                      "https://w3id.org/jeugdgov/id/lelystad/setup-cooperatie",
                      "https://w3id.org/jeugdgov/id/lelystad/setup-jel",
                      "https://w3id.org/jeugdgov/id/flevoland/setup"}  # a Turtle setup: its jg:Setup node
    college = NamedNode("https://w3id.org/jeugdgov/id/lelystad/college")
    assert {type(q.graph_name).__name__ for q in store.quads_for_pattern(college, None, None)} == {"DefaultGraph"}


def test_a_bad_file_leaves_the_store_as_it_was(tmp_path):
    store = Store()
    load([DATA / "flevoland-handelingskader.ttl"], store)
    before = len(store)
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    with pytest.raises(InputError) as caught:
        load([DATA / "lelystad.trig", bad], store)
    assert (caught.value.file, caught.value.line) == (bad, 3)
    assert len(store) == before


def test_a_bad_file_creates_no_store_folder(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    with pytest.raises(InputError, match="no triples"):
        load_into(tmp_path / "store", [DATA / "lelystad.trig", empty])
    assert not (tmp_path / "store").exists()


@pytest.mark.slow
def test_load_command_is_all_or_nothing(tmp_path):
    folder = tmp_path / "store"
    result = run("load", DATA / "lelystad.trig", "--store", folder)
    assert result.returncode == 0, result.stderr
    assert "benoemde grafen" in result.stderr  # Dutch by default
    size = len(Store.read_only(str(folder)))
    bad = tmp_path / "bad.trig"
    bad.write_text("<http://example.org/g> { <http://example.org/a> <http://example.org/b> }\n")
    result = run("load", DATA / "zhz.trig", bad, "--store", folder)
    assert result.returncode == 2
    assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert len(Store.read_only(str(folder))) == size


@pytest.mark.slow
def test_query_command_writes_csv():
    result = run("query", "cost-estimates-per-model", "--format", "csv",
                 "-p", "model=mdl:alles-samen")
    assert result.returncode == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["fteMin"], row["fteMax"]) == ("117.5", "142.5")


@pytest.mark.slow
def test_query_command_writes_sparql_json_over_given_data():
    result = run("query", "setups", DATA / "lelystad.trig", "--format", "json")
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert {b["setup"]["value"] for b in bindings} == {"lelystad-netwerk", "lelystad-cooperatie", "lelystad-jel"}


@pytest.mark.slow
def test_query_command_prints_a_table():
    result = run("query", "roles-of-party", "-p", "party=lel:jel", "-p", "lang=en", width=250)
    assert result.returncode == 0, result.stderr
    assert "access and needs assessment" in result.stdout and "4 row(s)" in result.stdout


@pytest.mark.slow
def test_unknown_query_name_lists_the_names():
    result = run("query", "roles-in-perod")
    assert result.returncode == 2
    assert "onbekende query 'roles-in-perod'" in result.stderr and "roles-in-period" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("param", "named"), [
    ("period_start=2016-02-30", "'period_start'"),   # no such day
    ("period_start", "'period_start'"),              # no value
    ("colour=red", "'colour'"),                      # no such parameter
])
def test_bad_param_exits_2_naming_it(param, named):
    result = run("query", "roles-in-period", "-p", param, "-p", "period_end=2016-12-31")
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_missing_param_exits_2_naming_it():
    result = run("query", "roles-in-period", "-p", "period_start=2016-01-01")
    assert result.returncode == 2 and "'period_end'" in result.stderr


@pytest.mark.slow
def test_a_query_file_with_bad_sparql_names_the_file(tmp_path):
    query = tmp_path / "mine.rq"
    query.write_text("# @title nl Mijn query\n# @title en My query\nSELECT ?s WHERE { ?s ?p }\n")
    result = run("query", query)
    assert result.returncode == 2
    assert str(query) in result.stderr and "syntaxfout" in result.stderr


@pytest.mark.slow
def test_queries_command_lists_the_library():
    result = run("queries", "--lang", "en")
    assert result.returncode == 0
    assert "money-final-recipients" in result.stdout and "Final recipients" in result.stdout


def test_loading_the_same_files_again_changes_nothing(tmp_path):
    store = Store()
    load([DATA], store)
    once = set(store)
    load([DATA], store)
    load([DATA], store)
    assert set(store) == once


def test_reloading_a_changed_file_replaces_its_graph(tmp_path):
    setup = tmp_path / "mine.ttl"
    setup.write_text(PREFIXES + 'ex:s a jg:Setup ; dct:identifier "mine" ; jg:note [ rdfs:label "old" ] .\n')
    store = Store()
    load([setup], store, with_ontology=False)
    setup.write_text(PREFIXES + 'ex:s a jg:Setup ; dct:identifier "mine" ; jg:note [ rdfs:label "new" ] .\n')
    load([setup], store, with_ontology=False)
    labels = {q.object.value for q in store if q.predicate.value.endswith("#label")}
    assert labels == {"new"}


def test_reloading_replaces_the_blank_nodes_an_earlier_load_left(tmp_path):
    # Stores written before blank nodes were given IRIs hold blank nodes in the setup graphs.
    setup = tmp_path / "mine.ttl"
    setup.write_text(PREFIXES + 'ex:s a jg:Setup ; dct:identifier "mine" ; jg:note [ rdfs:label "note" ] .\n')
    store = Store()
    graph = NamedNode("https://w3id.org/jeugdgov/id/example/s")
    store.load(path=str(setup), format=RdfFormat.TURTLE, to_graph=graph)
    load([setup], store, with_ontology=False)
    assert len(store) == 4
    assert not any(isinstance(term, BlankNode) for q in store for term in (q.subject, q.object))


@pytest.mark.slow  # starts an oxigraph server
def test_a_store_loaded_three_times_validates_as_the_files_do(tmp_path):
    from servers import oxigraph

    folder = tmp_path / "oxigraph"  # where oxigraph() serves from
    counts = []
    for _ in range(3):
        result = run("load", DATA, "--store", folder)
        assert result.returncode == 0, result.stderr
        counts.append(len(Store.read_only(str(folder))))
    assert len(set(counts)) == 1
    files = run("validate", DATA, "--format", "json")
    with oxigraph(tmp_path, union=False) as base:
        stored = run("validate", "--endpoint", f"{base}/query", "--format", "json")
    assert stored.returncode == files.returncode == 1, stored.stderr

    def found(output: str) -> set[tuple[str, str, str]]:
        return {(f["setup"], f["defect"], f["value"] or "") for f in json.loads(output)["findings"]}

    assert found(stored.stdout) == found(files.stdout)
    assert any(f[1] == "inactive-body" and f[0].startswith("lelystad") for f in found(stored.stdout))


def test_interrupt_during_the_write_says_what_the_store_holds(tmp_path):
    # Ctrl-C is acted on after pyoxigraph returns: the transaction may already have committed.
    store = Store()

    class Interrupting:
        def __init__(self, commit: bool) -> None:
            self.commit = commit

        def __getattr__(self, name):
            return getattr(store, name)

        def __contains__(self, quad):
            return quad in store

        def extend(self, quads):
            if self.commit:
                store.extend(quads)
            raise KeyboardInterrupt

        def update(self, text):
            if self.commit:
                store.update(text)
            raise KeyboardInterrupt

    with pytest.raises(LoadInterrupted) as caught:
        load([DATA / "flevoland-handelingskader.ttl"], Interrupting(commit=True))
    assert "everything was written" in caught.value.state and caught.value.exit_code == 0
    assert len(store)
    empty = Store()
    store = empty
    with pytest.raises(LoadInterrupted) as caught:
        load([DATA / "flevoland-handelingskader.ttl"], Interrupting(commit=False))
    assert "nothing was written" in caught.value.state and caught.value.exit_code == 130
    assert len(empty) == 0
    # replacing what an earlier load wrote: one transaction too
    load([DATA / "flevoland-handelingskader.ttl"], store)
    before = set(store)
    changed = _changed_copy(tmp_path)
    with pytest.raises(LoadInterrupted) as caught:
        load([changed], Interrupting(commit=False))
    assert caught.value.exit_code == 130 and set(store) == before
    with pytest.raises(LoadInterrupted) as caught:
        load([changed], Interrupting(commit=True))
    assert caught.value.exit_code == 0 and set(store) != before


def _changed_copy(tmp_path):
    """The Flevoland setup under the same file name, with one label changed."""
    changed = tmp_path / "flevoland-handelingskader.ttl"
    changed.write_text((DATA / "flevoland-handelingskader.ttl").read_text(encoding="utf-8")
                       .replace('"Gemeente Almere"', '"Gemeente Almere (nieuw)"'), encoding="utf-8")
    return changed


def test_a_blank_setup_node_is_refused_everywhere(tmp_path):
    blank = tmp_path / "blank.ttl"
    blank.write_text(PREFIXES + '[] a jg:Setup ; dct:identifier "mine" .\n'
                     'ex:m a jg:Municipality .\n')
    with pytest.raises(InputError, match="blank node") as caught:
        load([blank], Store())
    assert caught.value.file == blank
    for engine in ("fast", "pyshacl"):
        result = run("validate", blank, "--engine", engine, "--lang", "en")
        assert result.returncode == 2, result.stderr
        assert "give the setup an IRI" in result.stderr and "Traceback" not in result.stderr


def finding_keys(reports) -> list[tuple]:
    return sorted((f.setup, f.defect, f.focus, f.value, f.messages["en"]) for r in reports for f in r.findings)


def test_a_store_validates_as_the_files_it_was_loaded_from(tmp_path):
    from jeugdgov import validate

    store = Store(str(tmp_path / "store"))
    load([DATA], store)
    load([DATA], store)  # loaded twice: nothing doubles, nothing is lost (Lelystad's inactive-body)
    from_store = validate(store)
    assert all(r.setup.complete for r in from_store)
    assert finding_keys(from_store) == finding_keys(validate(DATA))
    assert "inactive-body" in {f.defect for r in from_store for f in r.findings}


@pytest.mark.slow
def test_a_store_validates_with_pyshacl_too():
    from jeugdgov import validate

    store = Store()
    load([DATA / "flevoland-handelingskader.ttl"], store)
    assert finding_keys(validate(store, engine="pyshacl")) == finding_keys(validate(store))


def test_validate_command_reads_a_store_folder(tmp_path):
    folder = tmp_path / "store"
    assert run("load", DATA / "lelystad.trig", "--store", folder).returncode == 0
    result = run("validate", "--store", folder, "--setup", "lelystad-cooperatie", "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert len([f for f in findings if f["evidence"] == "established"]) == 10  # the report's established findings
    missing = run("validate", "--store", tmp_path / "nothing-here", "--lang", "en")
    assert missing.returncode == 2
    assert "no store in this folder" in missing.stderr


def _quads_in(folder) -> frozenset[str]:
    store = Store.read_only(str(folder))
    try:
        return frozenset(str(q) for q in store)
    finally:
        del store


@pytest.mark.slow
def test_a_load_killed_at_random_leaves_the_old_or_the_new_graphs_never_both(tmp_path):
    import random
    import sys
    import time

    folder = tmp_path / "store"
    versions = [DATA / "flevoland-handelingskader.ttl", _changed_copy(tmp_path)]
    expected = []
    for version in versions:
        subprocess.run([sys.executable, "-m", "jeugdgov", "load", str(version), "--store", str(folder)], check=True,
                       capture_output=True)
        expected.append(_quads_in(folder))
    assert expected[0] != expected[1]
    chance = random.Random(25)
    outcomes = {0: 0, 1: 0}
    for _ in range(50):
        current = expected.index(_quads_in(folder))
        outcomes[current] += 1
        process = subprocess.Popen([sys.executable, "-m", "jeugdgov", "load", str(versions[1 - current]),
                                    "--store", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.3, 2.5))
        process.kill()
        process.wait()
        assert _quads_in(folder) in expected  # the old graphs or the new ones, whole
    assert min(outcomes.values()) > 0  # some kills came before the write, some after


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_ctrl_c_or_a_full_disk_during_a_load_is_told_as_the_store_holds_it(tmp_path, monkeypatch, capsys, failure):
    """Not the command line framework's bare exit code 130, nor "nothing was loaded" when all
    was: the load's own reading of the store."""
    import sys

    from jeugdgov import cli
    from jeugdgov.stores import embedded as store_module

    real = Store()

    class CommittedThenInterrupted:
        def __getattr__(self, name):
            return getattr(real, name)

        def __contains__(self, quad):
            return quad in real

        def extend(self, quads):
            real.extend(quads)
            raise failure

    monkeypatch.setattr(store_module, "open_store", lambda _folder: CommittedThenInterrupted())
    monkeypatch.setattr(sys, "argv", ["jeugdgov", "load", str(DATA / "flevoland-handelingskader.ttl"),
                                      "--store", str(tmp_path / "store")])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 0 and len(real)
    assert "everything was written" in capsys.readouterr().err
