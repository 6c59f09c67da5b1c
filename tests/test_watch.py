"""`jeugdgov validate --watch`: one warm process that validates a file again on every save."""

from __future__ import annotations

import io
import json
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import ctrl_c_reachable

EXAMPLES = Path(__file__).parents[1] / "shapes" / "examples" / "undefined-term"
WAIT = 120  # seconds for one validation on a busy machine
SETUP = '\n<https://w3id.org/jeugdgov/id/example/setup> a jg:Setup ; <http://purl.org/dc/terms/identifier> "regio" .\n'


def _example(name: str) -> str:
    """A minimal example of the catalogue, declared as a setup."""
    return (EXAMPLES / name).read_text() + SETUP


def _documents(stream, found: queue.Queue) -> None:
    """Each JSON document the watch prints (its last line is a lone closing brace)."""
    lines: list[str] = []
    for line in stream:
        lines.append(line)
        if line == "}\n":
            found.put(json.loads("".join(lines)))
            lines = []


def test_each_save_is_validated_again_and_bad_input_does_not_end_the_watch(tmp_path):
    setup = tmp_path / "regio.ttl"
    setup.write_text(_example("conforming.ttl"))
    command = ["validate", "--watch", str(setup), "--shapes", "undefined-term", "--format", "json", "--lang", "en"]
    process = subprocess.Popen([sys.executable, "-m", "jeugdgov", *command], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_reachable)
    documents: queue.Queue = queue.Queue()
    messages: queue.Queue = queue.Queue()
    threading.Thread(target=_documents, args=(process.stdout, documents), daemon=True).start()
    threading.Thread(target=lambda: [messages.put(line) for line in process.stderr], daemon=True).start()
    try:
        assert documents.get(timeout=WAIT)["findings"] == []
        setup.write_text(_example("violating.ttl"))  # a misspelt property
        found = documents.get(timeout=WAIT)["findings"]
        assert [f["defect"] for f in found] == ["undefined-term"]
        assert "advisedBy" in found[0]["message"]
        setup.write_text("this is not Turtle")
        while "error:" not in (line := messages.get(timeout=WAIT)):
            assert "Traceback" not in line
        assert "regio.ttl" in line
        setup.write_text(_example("conforming.ttl") + "\n")  # fixed again
        assert documents.get(timeout=WAIT)["findings"] == []
        assert documents.empty()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT)
    assert process.returncode == 130


def test_watch_follows_one_path():
    from helpers import jeugdgov

    result = jeugdgov("validate", "--watch", EXAMPLES / "conforming.ttl", EXAMPLES / "violating.ttl",
                      "--lang", "en")
    assert result.returncode == 2
    assert "--watch follows one file or folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # generates a country large enough that a region's queries take two cores
def test_a_region_large_enough_for_two_cores_is_watched_with_the_findings_of_one_validation(tmp_path):
    from jeugdgov import validate
    from jeugdgov.synth import Parameters, generate
    from jeugdgov.validation.fast import split
    from jeugdgov.validation.fast.parallel import load_setups
    from jeugdgov.validation.rendering import write_json

    generate(Parameters(decisions=100_000, seed=7), tmp_path)
    region = tmp_path / "setups" / "synth-r01.nt"
    (loaded,) = load_setups(region)
    assert split.pays(loaded.triples)  # the watch evaluates its queries on two cores
    one_core = io.StringIO()  # the reference: the same validation on one core
    write_json(validate(region, workers=1), "en", one_core)
    once = json.loads(one_core.getvalue())
    assert once["findings"]
    process = subprocess.Popen([sys.executable, "-m", "jeugdgov", "validate", "--watch", str(region),
                                "--format", "json", "--lang", "en"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, preexec_fn=ctrl_c_reachable)
    documents: queue.Queue = queue.Queue()
    threading.Thread(target=_documents, args=(process.stdout, documents), daemon=True).start()
    try:
        assert documents.get(timeout=WAIT) == once
        region.write_bytes(region.read_bytes())  # saved again, unchanged
        assert documents.get(timeout=WAIT) == once
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT)
    assert process.returncode == 130
