"""`push` into an oxigraph server: fresh graphs written through the Graph Store Protocol or
SPARQL Update, several requests side by side, then moved into place; all or nothing; a push
killed at random leaves whole graphs. National data pushed into each store: test_push_national.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATA
from servers import oxigraph

import jeugdgov.stores.push as pushing
from jeugdgov.errors import InputError
from jeugdgov.stores.push import push
from jeugdgov.stores.remote import query, setup_graphs

SOURCE = DATA / "lelystad.trig"


def graph_sizes(endpoint: str) -> dict[str, int]:
    result = query(endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {s["g"].value: int(s["n"].value) for s in result}


@pytest.fixture
def store(tmp_path) -> str:
    with oxigraph(tmp_path, union=False) as base:
        yield base


def test_the_graph_store_route_writes_what_sparql_update_writes(store, monkeypatch):
    monkeypatch.setattr(pushing, "GRAPH_STORE_BATCH", 100)  # several requests per graph, side by side
    monkeypatch.setattr(pushing, "UPDATE_BATCH", 100)
    push([SOURCE], endpoint=f"{store}/update")
    by_update = graph_sizes(f"{store}/query")
    pushed = push([SOURCE], endpoint=f"{store}/update", graph_store=f"{store}/store")
    assert graph_sizes(f"{store}/query") == by_update  # replaced, nothing doubled, no fresh graph left
    assert set(by_update) == set(pushed.graphs) and not any("-push-" in g for g in by_update)
    assert sum(by_update.values()) > 100 * len(by_update)  # the batches really split the graphs


def test_a_graph_store_push_that_fails_while_writing_replaces_nothing(store, monkeypatch):
    push([SOURCE], endpoint=f"{store}/update")
    before = graph_sizes(f"{store}/query")
    monkeypatch.setattr(pushing, "GRAPH_STORE_BATCH", 50)
    calls = []
    original = pushing.post

    def failing(url, **kwargs):
        calls.append(url)
        if len(calls) == 5:
            raise InputError(f"the SPARQL endpoint {url} answered 500: the disk is full")
        return original(url, **kwargs)

    monkeypatch.setattr(pushing, "post", failing)
    with pytest.raises(InputError, match="the disk is full; nothing was replaced"):
        push([SOURCE], endpoint=f"{store}/update", graph_store=f"{store}/store")
    assert graph_sizes(f"{store}/query") == before  # the fresh graphs written before were dropped


def test_a_write_the_store_rolled_back_is_sent_again_and_other_errors_are_not(store, monkeypatch):
    original, sent = pushing.sparql_update, []

    def colliding(endpoint, text, **kwargs):
        sent.append(text)
        if len(sent) == 2:  # the first write after the removal of what an interrupted push left
            raise InputError(f"the SPARQL endpoint {endpoint} answered 500: Error 40001 SR172: Transaction deadlocked")
        return original(endpoint, text, **kwargs)

    monkeypatch.setattr(pushing, "PUSH_PARALLEL", 1)
    monkeypatch.setattr(pushing, "sparql_update", colliding)
    push([SOURCE], endpoint=f"{store}/update")
    assert sent[1] == sent[2] and sent[1].startswith("INSERT DATA")  # the same write, sent again
    assert sum(graph_sizes(f"{store}/query").values()) > 0

    def refusing(endpoint, text, **kwargs):
        sent.append(text)
        if not text.startswith("INSERT"):
            return original(endpoint, text, **kwargs)
        raise InputError(f"the SPARQL endpoint {endpoint} answered 400: bad request")

    sent.clear()
    monkeypatch.setattr(pushing, "sparql_update", refusing)
    with pytest.raises(InputError, match="400"):
        push([SOURCE], endpoint=f"{store}/update")
    assert len([t for t in sent if t.startswith("INSERT")]) == 1


def test_fresh_graphs_a_killed_push_left_are_not_setups_and_the_next_push_removes_them(store):
    push([SOURCE], endpoint=f"{store}/update")
    before = graph_sizes(f"{store}/query")
    setups_before = {g.graph for g in setup_graphs(f"{store}/query")}
    # what a push killed between writing its fresh graphs and moving them leaves behind
    leftovers = [f"{name}-push-0123456789ab" for name in before]
    pushing.sparql_update(f"{store}/update", " ; ".join(
        f"COPY GRAPH <{name}> TO GRAPH <{left}>" for name, left in zip(before, leftovers, strict=True)))
    assert {g.graph for g in setup_graphs(f"{store}/query")} == setups_before  # not listed twice
    assert set(graph_sizes(f"{store}/query")) == {*before, *leftovers}
    push([SOURCE], endpoint=f"{store}/update")
    assert graph_sizes(f"{store}/query") == before


def test_ctrl_c_while_a_push_writes_replaces_nothing_and_leaves_no_fresh_graph(store, monkeypatch):
    from jeugdgov.stores.embedded import LoadInterrupted

    push([SOURCE], endpoint=f"{store}/update")
    before = graph_sizes(f"{store}/query")
    monkeypatch.setattr(pushing, "UPDATE_BATCH", 50)
    calls = []
    original = pushing.sparql_update

    def interrupted(endpoint, text, **kwargs):
        calls.append(text)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(endpoint, text, **kwargs)

    monkeypatch.setattr(pushing, "sparql_update", interrupted)
    with pytest.raises(LoadInterrupted, match="nothing was replaced") as caught:
        push([SOURCE], endpoint=f"{store}/update")
    assert caught.value.exit_code == 130
    assert graph_sizes(f"{store}/query") == before


def _graphs(endpoint: str) -> dict[str, frozenset[str]]:
    rows = query(endpoint, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["g"].value, set()).add(f"{row['s']} {row['p']} {row['o']}")
    return {graph: frozenset(triples) for graph, triples in found.items()}


def _difference(found: dict[str, frozenset[str]], expected: list[dict[str, frozenset[str]]]) -> str:
    """What sets the store apart from both versions, for a failure message."""
    lines = []
    for graph in sorted(set(found) | set(expected[0])):
        triples = found.get(graph, frozenset())
        old, new = expected[0].get(graph, frozenset()), expected[1].get(graph, frozenset())
        if triples not in (old, new):
            lines.append(f"<{graph}>: {len(triples)} triples, {len(triples - old - new)} in neither version, "
                         f"{len(old - triples)} of the old and {len(new - triples)} of the new one missing")
    return "\n".join(lines)


def _carried_out(base: str, limit: float = 60.0) -> float:
    """Wait until the store has carried out the requests of a killed client: until no connection
    to its port is still open on the store's side after the client closed it (TCP CLOSE_WAIT);
    the seconds that took. A push killed at random leaves up to three writes in the store's
    hands, carried out after it died; a push started before they are races with them."""
    import time

    port, started = int(base.rpartition(":")[2]), time.monotonic()
    while time.monotonic() - started < limit:
        open_after_close = [line for table in ("/proc/net/tcp", "/proc/net/tcp6")
                            for line in Path(table).read_text().splitlines()[1:]
                            if int(line.split()[1].rpartition(":")[2], 16) == port and line.split()[3] == "08"]
        if not open_after_close:
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"the store still carries out a killed push's requests after {limit:g} s")


@pytest.mark.slow
def test_a_push_killed_at_random_leaves_whole_graphs_and_no_setup_twice(store, tmp_path):
    """Each graph is the old one or the new one (a push moves them into place one by one), the
    fresh graphs a kill leaves are no setups, and the next push leaves exactly the new graphs."""
    import random
    import subprocess
    import sys
    import time

    changed = tmp_path / "lelystad.trig"
    changed.write_text(SOURCE.read_text(encoding="utf-8").replace(' Lelystad"', ' Lelystad (nieuw)"'),
                       encoding="utf-8")
    versions, expected = [SOURCE, changed], []
    for version in versions:
        push([version], endpoint=f"{store}/update")
        expected.append(_graphs(f"{store}/query"))
    assert expected[0] != expected[1] and set(expected[0]) == set(expected[1])
    setups = {g.graph for g in setup_graphs(f"{store}/query")}
    chance = random.Random(8)
    for run in range(50):
        log = tmp_path / f"push-{run}.log"
        with log.open("wb") as output:
            process = subprocess.Popen([sys.executable, "-m", "jeugdgov", "push", str(versions[run % 2]),
                                        "--endpoint", f"{store}/update"], stdout=output, stderr=subprocess.STDOUT)
        pause = chance.uniform(0.5, 3.0)
        time.sleep(pause)
        process.kill()
        process.wait()
        settled = _carried_out(store)
        found = _graphs(f"{store}/query")
        seen = (f"run {run}, killed after {pause:.2f} s, its last writes carried out {settled:.2f} s later, its "
                f"output: {log.read_text(errors='replace')[-2000:]!r}")
        mixed = {graph: triples for graph, triples in found.items() if "-push-" not in graph}
        assert set(mixed) == set(expected[0]) and not _difference(mixed, expected), \
            f"{seen}\n{_difference(mixed, expected)}"
        listed = {g.graph for g in setup_graphs(f"{store}/query")}
        assert listed == setups, (seen, listed ^ setups)
    push([changed], endpoint=f"{store}/update")
    final = _graphs(f"{store}/query")
    assert final == expected[1], f"after the last push: {sorted(set(final) ^ set(expected[1]))}\n" + \
        _difference(final, [expected[1], expected[1]])
