"""The endpoint's page for people: what is served, each named query as a form, a SPARQL editor.

Everything the page needs is served by the endpoint itself from ``static/`` (the page's own
script and the vendored YASGUI editor, ``@triply/yasgui`` from npm with its licence), so the
page works offline and makes no request to any other host.
"""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Mapping
from importlib import resources

from jeugdgov.resources import LANGUAGES
from jeugdgov.server.executor import Answer
from jeugdgov.sparql.library import NamedQuery, Parameter

#: input element attributes per parameter type, so the browser checks what it can
INPUT_TYPES = {
    "xsd:date": 'type="date"',
    "xsd:decimal": 'type="number" step="any"',
    "xsd:integer": 'type="number" step="1"',
    "xsd:string": 'type="text"',
    "iri": 'type="text" spellcheck="false"',
}
#: The page's own words, in Dutch (the default) and English (``/?lang=en``).
TEXT = {
    "nl": {
        "read-only": "alleen lezen", "read-write": "lezen en schrijven",
        "intro": "Inrichtingen van de jeugdzorg van Nederlandse gemeenten, als kennisgraaf ({mode}). Stel vragen "
                 "in SPARQL aan <code>/query</code> (SPARQL 1.1 Protocol), of gebruik hieronder een vaste vraag: "
                 "vul het formulier in om de tabel te zien, of kopieer de CSV-link naar Power BI "
                 "(<em>Gegevens ophalen → Web</em>) of Excel (<em>Gegevens → Van het web</em>; de "
                 "<code>.xlsx</code>-link houdt getallen en datums getypeerd). De lijst als JSON: "
                 '<a href="/queries">/queries</a>; gezondheid: <a href="/health">/health</a>. '
                 '<a href="/?lang=en">English</a>',
        "named": "Vaste vragen", "editor": "SPARQL-editor",
        "editor_intro": "Vragen lopen tegen <code>/query</code>, met de vereniging van alle grafen als standaardgraaf. "
                        'Editor: <a href="/static/yasgui/LICENSE.txt">YASGUI</a> (MIT-licentie), geleverd door '
                        "dit endpoint.",
        "show": "Toon de tabel", "csv_excel": "CSV voor Excel", "optional": "optioneel",
    },
    "en": {
        "read-only": "read-only", "read-write": "read-write",
        "intro": "Governance setups of youth care in Dutch municipalities, as a knowledge graph ({mode}). Ask it "
                 "in SPARQL at <code>/query</code> (SPARQL 1.1 Protocol), or use a named query below: fill in its "
                 "form to see the table, or copy its CSV link into Power BI (<em>Get data → Web</em>) or Excel "
                 "(<em>Data → From Web</em>; the <code>.xlsx</code> link keeps numbers and dates typed). The list "
                 'as JSON: <a href="/queries">/queries</a>; health: <a href="/health">/health</a>. '
                 '<a href="/?lang=nl">Nederlands</a>',
        "named": "Named queries", "editor": "SPARQL editor",
        "editor_intro": "Queries run against <code>/query</code> with the union of all graphs as the default graph. "
                        'Editor: <a href="/static/yasgui/LICENSE.txt">YASGUI</a> (MIT licence), served from this '
                        "endpoint.",
        "show": "Show the table", "csv_excel": "CSV for Excel", "optional": "optional",
    },
}
STATIC_FILES = frozenset({"page.js", "page.css", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css",
                          "yasgui/LICENSE.txt", "yasgui/yasgui.min.js.LICENSE.txt"})


def static(name: str) -> Answer:
    """A file from ``static/`` by its name; 404 for anything not on the list."""
    if name not in STATIC_FILES:
        return Answer.text(404, (f"no such static file: {name}", f"geen statisch bestand {name}"))
    body = resources.files("jeugdgov.server").joinpath("static", *name.split("/")).read_bytes()
    media = mimetypes.guess_type(name)[0] or "text/plain"
    if media.startswith("text/") or media.endswith("javascript"):
        media += "; charset=utf-8"
    return Answer(200, media, body, (("Cache-Control", "max-age=3600"),))


def index_page(queries: Mapping[str, NamedQuery], writable: bool, notes: Mapping[str, str],
               lang: str = "nl") -> bytes:
    """The HTML page at ``/``, in Dutch or English."""
    words = TEXT.get(lang, TEXT["nl"])
    mode = words["read-write" if writable else "read-only"]
    sections = "\n".join(_query_section(query, notes.get(query.name), lang) for query in queries.values())
    text = f"""<!DOCTYPE html>
<html lang="{lang if lang in TEXT else "nl"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jeugdgov SPARQL endpoint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">
<link rel="stylesheet" href="/static/page.css">
</head>
<body>
<header>
<h1>jeugdgov SPARQL endpoint</h1>
<p>{words["intro"].format(mode=mode)}</p>
</header>
<main>
<section id="named">
<h2>{words["named"]}</h2>
{sections}
</section>
<section id="editor">
<h2>{words["editor"]}</h2>
<p>{words["editor_intro"]}</p>
<div id="yasgui"></div>
</section>
</main>
<script src="/static/yasgui/yasgui.min.js"></script>
<script src="/static/page.js"></script>
</body>
</html>
"""
    return text.encode("utf-8")


def _query_section(query: NamedQuery, note: str | None, lang: str) -> str:
    name = html.escape(query.name)
    words = TEXT.get(lang, TEXT["nl"])
    other = next(language for language in LANGUAGES if language != lang)
    fields = "\n".join(_field(query.name, parameter, lang) for parameter in query.parameters)
    links = " · ".join(f'<a class="format" href="/queries/{name}.{ext}">{label}</a>' for ext, label in (
        ("csv", "CSV"), ("csv?bom=1", words["csv_excel"]), ("xlsx", "Excel"), ("tsv", "TSV"), ("json", "JSON"),
        ("rq", "SPARQL")))
    warning = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return f"""<details class="query" id="q-{name}">
<summary><strong>{html.escape(query.title(lang))}</strong> <code>{name}</code></summary>
<p>{html.escape(query.descriptions.get(lang, ""))}</p>
<p lang="{other}"><em>{html.escape(query.title(other))}.</em> {html.escape(query.descriptions.get(other, ""))}</p>
{warning}
<form class="named" data-name="{name}" action="/queries/{name}.csv" method="get">
{fields}
<button type="submit">{words["show"]}</button> <span class="links">{links}</span>
<span class="csv-url"></span>
</form>
<div class="result" aria-live="polite"></div>
</details>"""


def _field(query_name: str, parameter: Parameter, lang: str) -> str:
    identifier = html.escape(f"{query_name}--{parameter.name}")
    name = html.escape(parameter.name)
    description = html.escape(parameter.descriptions.get(lang) or parameter.descriptions.get("en", ""))
    required = " required" if parameter.required else ""
    default = parameter.default or ""
    if parameter.name == "lang":
        options = "".join(f'<option{" selected" if lang == default else ""}>{lang}</option>' for lang in LANGUAGES)
        control = f'<select id="{identifier}" name="{name}">{options}</select>'
    elif parameter.type == "xsd:boolean":
        options = "".join(f'<option{" selected" if value == default else ""}>{value}</option>'
                          for value in ("", "true", "false"))
        control = f'<select id="{identifier}" name="{name}"{required}>{options}</select>'
    else:
        control = (f'<input id="{identifier}" name="{name}" {INPUT_TYPES[parameter.type]} '
                   f'placeholder="{html.escape(default)}"{required}>')
    optional = TEXT.get(lang, TEXT["nl"])["optional"]
    kind = html.escape(parameter.type + ("" if parameter.required else f", {optional}"))
    return (f'<label for="{identifier}"><code>{name}</code> <small>({kind})</small> {description}</label> '
            f"{control}<br>")
