"""With --lang nl every command speaks Dutch: its normal messages and its errors hold no English
sentence (found by English words that are no Dutch words, RDF terms, paths and options left out),
and every error jeugdgov raises is written in Dutch beside the English. Every command's --help
is Dutch unless --lang en is given, and every help text has its Dutch."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers import DATA, jeugdgov
from typer.main import get_group

import jeugdgov as package
from jeugdgov.cli import app

#: Words of English sentences that are no Dutch words.
ENGLISH = {"the", "cannot", "give", "file", "files", "wrote", "no", "not", "with", "must", "should",
           "only", "found", "folder", "unknown", "missing", "add", "does", "has", "holds", "which",
           "there", "this", "that", "are", "was", "use", "run", "read", "written", "nothing", "and", "or",
           "for", "from", "to", "be", "by", "it", "its", "what", "when", "where", "why", "these", "those",
           "each", "every", "choose", "record", "recorded", "value", "values", "name", "title", "optional",
           "invalid", "such", "option", "command", "try", "usage", "did", "you", "mean", "got",
           "requires", "could", "would", "will", "than", "into", "under",
           "loaded", "validated", "generated", "planted", "reads", "checks", "applies"}
#: What is no sentence word: paths, addresses, options, prefixed names, ids (dual-role), quoted
#: or backticked text.
NOT_WORDS = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\S*[/\\:]\S*|--?\w[\w-]*|\w+(?:-\w+)+|\S+\.\w+|\w*_\w*|[@$]\w+")


def english_words(text: str) -> set[str]:
    """The English words of a line; SPARQL keywords (capitals) and variables (?name) are no words."""
    words = re.findall(r"[A-Za-z]+", re.sub(r"\?\w+", " ", NOT_WORDS.sub(" ", text)))
    return {w.lower() for w in words if not (w.isupper() and len(w) > 1) and w.lower() in ENGLISH}


BAD_TURTLE = "@prefix jg: <https://w3id.org/jeugdgov/def#> .\njg:a jg:b\n"

#: A command line per common path of the commands users run most ({tmp}: a fresh folder holding
#: kapot.xlsx, no spreadsheet; {bad}: a Turtle file with a syntax error); the exit code each ends with.
CALLS = [
    (["validate", str(DATA / "lelystad.trig")], 1),
    (["validate", "{tmp}/missing.ttl"], 2),
    (["validate", str(DATA / "zhz.trig"), "--shapes-file", "{tmp}/mine.ttl"], 2),
    (["validate", str(DATA / "zhz.trig"), "--shapes-file", str(DATA / "zhz.trig")], 2),
    (["validate", "--store", "{tmp}"], 2),
    (["validate"], 2),
    (["validate", "{bad}"], 2),
    (["validate", "{tmp}/kapot.xlsx"], 2),
    (["validate", str(DATA / "zhz.trig"), "--shapes", "nope"], 2),
    (["report", "{tmp}/missing.ttl", "--out", "{tmp}/r.html"], 2),
    (["report", str(DATA / "zhz.trig"), "--out", "{tmp}/r.html"], 0),
    (["report", str(DATA / "zhz.trig"), "--out", "{tmp}/r.pdf"], 2),
    (["validate", str(DATA / "zhz.trig"), "--as-of", "gisteren"], 2),
    (["validate", str(DATA / "zhz.trig"), "--max-file-size", "10"], 2),
    (["validate", str(DATA / "zhz.trig"), "--norms", "{tmp}/normen.xlsx"], 2),
    (["validate", str(DATA / "zhz.trig"), "--norms", "{bad}"], 2),
    (["template", "--norms", "--out", "{tmp}/normen.pdf"], 2),
    (["compare", "{tmp}/a.ttl", "{tmp}/b.ttl"], 2),
    (["template", "--out", "{tmp}/no/such/folder/t.xlsx"], 2),
    (["template", "--out", "{tmp}/t.xlsx"], 0),
    (["convert", "{tmp}/missing.xlsx", "--to", "trig", "--out", "{tmp}/out.trig"], 2),
    (["convert", "{bad}", "--to", "trig", "--out", "{tmp}/out.trig"], 2),
    (["query", "no-such-query", str(DATA / "zhz.trig")], 2),
    (["query", "{tmp}/missing.rq", str(DATA / "zhz.trig")], 2),
    (["query", "{bad}", str(DATA / "zhz.trig")], 2),
    (["explain", "no-such-defect"], 2),
    (["explain", "N99", "--norms", str(DATA.parent / "examples" / "normenkader.xlsx")], 2),
    (["viz", "{tmp}/missing.ttl", "--kind", "roles", "--out", "{tmp}/v.html"], 2),
    (["viz", str(DATA / "lelystad.trig"), "--setup", "lelystad-cooperatie", "--kind", "roles",
      "--period-start", "2020-01-01", "--period-end", "2019-01-01", "--out", "{tmp}/v.html"], 2),
    (["viz", str(DATA / "lelystad.trig"), "--setup", "lelystad-cooperatie", "--kind", "roles", "--out",
      "{tmp}/v.doc"], 2),
    (["viz", str(DATA / "zhz.trig"), "--setup", "nope", "--kind", "roles", "--out", "{tmp}/v.html"], 2),
    (["load", "{tmp}/missing.ttl", "--store", "{tmp}/store"], 2),
    (["load", "{bad}", "--store", "{tmp}/store"], 2),
    (["load", str(DATA / "zhz-organisatiekosten.ttl"), "--store", "{tmp}/store"], 0),
    (["push", str(DATA / "zhz-organisatiekosten.ttl")], 2),
    (["push", "{bad}", "--endpoint", "http://127.0.0.1:9/update"], 2),
    (["push", str(DATA / "zhz-organisatiekosten.ttl"), "--endpoint", "http://127.0.0.1:9/update"], 2),
    (["push", str(DATA / "zhz-organisatiekosten.ttl"), "--graph-store", "http://127.0.0.1:9/store"], 2),
    (["serve", "--host", "0.0.0.0", "--norms", str(DATA / "flevoland-handelingskader.ttl")], 2),
    (["serve", "--update-token", "JEUGDGOV_NO_SUCH_TOKEN"], 2),
    (["queries"], 0),
    (["query", "setups", str(DATA / "zhz.trig")], 0),
    (["query", "setups", "--param", "x"], 2),
    (["query", "roles-in-period", "--param", "period_start=gisteren"], 2),
    (["query", "setups", str(DATA / "zhz.trig"), "--endpoint", "http://127.0.0.1:9/query"], 2),
    (["query", "setups", "--endpoint", "http://127.0.0.1:9/query"], 2),
    (["defects"], 0),
    (["validat", str(DATA / "zhz.trig")], 2),  # click adds "Did you mean 'validate'?"
    (["explain", "dual-role"], 0),
    (["explain", "R1", "--norms", str(DATA.parent / "examples" / "normenkader.xlsx")], 0),
    (["synth", "--decisions", "20", "--regions", "2", "--municipalities", "4", "--providers", "4", "--out",
      "{tmp}/synth"], 0),
    (["synth", "--decisions", "20", "--rate", "0.9", "--out", "{tmp}/synth"], 2),
    (["synth", "--decisions", "20", "--out", "{tmp}/kapot.xlsx"], 2),
    (["compare", "lelystad-netwerk", "lelystad-cooperatie", "--data", str(DATA / "lelystad.trig")], 0),
    (["compare", "lelystad-netwerk", "nope", "--data", str(DATA / "lelystad.trig")], 2),
    (["compare", "lelystad-netwerk", "lelystad-cooperatie", "--data", str(DATA / "lelystad.trig"), "--norms",
      str(DATA.parent / "examples" / "normenkader.xlsx")], 0),
    (["validate", str(DATA / "lelystad.trig"), "--setup", "lelystad-jel", "--norms",
      str(DATA.parent / "examples" / "normenkader.xlsx")], 1),
    (["viz", str(DATA / "lelystad.trig"), "--setup", "lelystad-cooperatie", "--kind", "money", "--out",
      "{tmp}/v.html"], 0),
    (["convert", str(DATA / "zhz.trig"), "--to", "xlsx", "--out", "{tmp}/zhz.xlsx"], 0),
    (["validate", "--endpoint", "http://127.0.0.1:9/query"], 2),
    (["validate", str(DATA / "zhz.trig"), "--format", "xml"], 2),
    (["validate", str(DATA / "zhz.trig"), "--bogus"], 2),
    (["validate", str(DATA / "zhz.trig"), "--as-of"], 2),
    (["validate", str(DATA / "zhz.trig"), "--max-file-size", "veel"], 2),
    (["viz", str(DATA / "zhz.trig"), "--out", "{tmp}/v.html"], 2),
    (["viz", str(DATA / "zhz.trig"), "--kind", "roles", "--out", "{tmp}/v.html", "--date", "2020-13-01"], 2),
    (["viz", "--kind", "roles", "--out", "{tmp}/v.html"], 2),
    (["defects", "extra"], 2),
    (["no-such-command"], 2),
]


def test_the_word_list_finds_english_and_leaves_terms_alone():
    assert english_words("wrote the template to out/t.xlsx") == {"wrote", "the", "to"}
    assert english_words("Missing option '--kind' / '-k'.") == {"missing", "option"}
    assert english_words("niet bereikbaar (SELECT ?name WHERE { ?s ?p ?o })") == set()
    assert english_words("het sjabloon is geschreven naar `the/file.xlsx` (--no-check, jg:hasGoal, NO_SUCH)") == set()


def _raised_without_dutch(path: Path) -> list[int]:
    """The lines of a module that make an InputError (or ParameterError) without its Dutch (nl=)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if called in ("InputError", "ParameterError") and not any(k.arg == "nl" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def test_the_source_check_finds_an_error_without_dutch(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('raise InputError("bad", hint="fix")\nraise InputError("bad", nl=("slecht", None))\n')
    assert _raised_without_dutch(module) == [1]


def test_every_error_jeugdgov_raises_is_written_in_dutch_too():
    root = Path(package.__file__).parent
    missing = [f"{path.relative_to(root)}:{line}" for path in sorted(root.rglob("*.py"))
               for line in _raised_without_dutch(path)]
    assert missing == [], "errors without nl=(problem, hint): " + ", ".join(missing)


@pytest.mark.parametrize(("call", "code"), CALLS, ids=[" ".join(call).replace(str(DATA), "data") for call, _ in CALLS])
def test_a_command_speaks_dutch(tmp_path, call, code):
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TURTLE, encoding="utf-8")
    (tmp_path / "kapot.xlsx").write_text("no spreadsheet", encoding="utf-8")
    arguments = [a.format(tmp=tmp_path, bad=bad) for a in call]
    done = jeugdgov(*arguments, "--lang", "nl", env={"LANG": "C"})
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    for line in (done.stderr + done.stdout).splitlines():
        assert not english_words(line), line


def test_a_progress_line_speaks_the_language_too():
    from jeugdgov.messages import progress_step

    assert progress_step("validating lelystad-netwerk", "nl") == "valideert lelystad-netwerk"
    assert progress_step("scoring the norms", "nl") == "scoort de normen"
    assert progress_step("validating lelystad-netwerk", "en") == "validating lelystad-netwerk"


#: Wide enough that no quoted text is wrapped over two lines.
WIDE = {"LANG": "C", "COLUMNS": "300"}


@pytest.mark.parametrize("command", [[], *([name] for name in get_group(app).commands)],
                         ids=lambda c: " ".join(c) or "jeugdgov")
def test_help_speaks_dutch_by_default(command):
    done = jeugdgov(*command, "--help", env=WIDE)
    assert done.returncode == 0, done.stderr
    assert "Gebruik: jeugdgov" in done.stdout and "Opties" in done.stdout
    group = get_group(app)
    names = {p.name for p in (group.commands[command[0]] if command else group).params}  # identifiers, no words
    for line in done.stdout.splitlines():
        assert not english_words(line) - names, line


@pytest.mark.parametrize("call", [["--lang", "en", "--help"], ["validate", "--lang=en", "--help"],
                                  ["explain", "--help", "-l", "en"]])
def test_help_speaks_english_with_lang_en(call):
    dutch = jeugdgov(*call[:1], "--help", env=WIDE)  # the Dutch help before leaves no Dutch behind
    done = jeugdgov(*call, env=WIDE)
    assert "Opties" in dutch.stdout
    assert done.returncode == 0, done.stderr
    assert "Usage: jeugdgov" in done.stdout and "Options" in done.stdout and "Opties" not in done.stdout
    assert english_words(done.stdout)


def test_no_arguments_show_the_dutch_help():
    done = jeugdgov(env=WIDE)
    assert "Opdrachten" in done.stdout + done.stderr
    assert "validate" in done.stdout + done.stderr


def test_every_help_text_has_its_dutch():
    from jeugdgov.help_nl import COMMANDS, PARAMETERS, help_keys

    needed = help_keys(get_group(app))
    assert sorted(needed - set(COMMANDS) - set(PARAMETERS)) == [], "help without Dutch in help_nl.py"
    assert sorted((set(COMMANDS) | set(PARAMETERS)) - needed) == [], "Dutch for help no longer in cli.py"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_help_names_every_type_in_words_of_its_language(lang):
    import click

    from jeugdgov.help_types import WORDS, plain_types

    group = get_group(app)
    plain_types(group, lang)
    shown = set()
    for name, command in group.commands.items():
        context = click.Context(command, info_name=name)
        for parameter in command.params:
            shown.add((parameter.display_type_rich(ctx=context), getattr(parameter, "is_flag", False)))
    assert {word for word, flag in shown if flag} == {None}  # a flag shows no type
    words = {word for word, flag in shown if not flag}
    choices = {w for w in words if re.fullmatch(r"<[\w-]+(\|[\w-]+)+>", w)}
    assert words - choices <= set(WORDS[lang].values())  # a type typer names otherwise would fail here
    assert {"PATH", "TEXT", "INTEGER"} <= words if lang == "en" else {"PAD", "TEKST", "GETAL"} <= words
    done = jeugdgov("validate", "--help", "--lang", lang, env=WIDE)
    assert "<bool>" not in done.stdout and "<str>" not in done.stdout and "list[" not in done.stdout
    assert ("PAD..." if lang == "nl" else "PATH...") in done.stdout
