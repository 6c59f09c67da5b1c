"""`jeugdgov serve` as BI tools and notebooks use it: SPARQLWrapper, and plain GETs for CSV."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from email.message import Message
from urllib.parse import quote, urlencode

import pytest
from helpers import DATA
from pyoxigraph import QueryResultsFormat
from servers import get, jeugdgov_serve
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from jeugdgov.sparql.library import library, run
from jeugdgov.stores.embedded import memory_store

#: Every test here starts `jeugdgov serve` or talks to one.
pytestmark = pytest.mark.slow


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("serve")
    with jeugdgov_serve(folder, "--timeout", "5", "--workers", "2", "--max-request", "20000") as base:
        yield base


def sparql(base: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/query")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


# ---- SPARQL 1.1 Protocol --------------------------------------------------------------

def test_sparqlwrapper_select_as_json(server):
    result = sparql(server, "PREFIX jg: <https://w3id.org/jeugdgov/def#> "
                            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a jg:Setup }").queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == 6


def test_sparqlwrapper_post_as_csv(server):
    client = sparql(server, "SELECT ?id WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/identifier> ?id } } "
                            "ORDER BY ?id", CSV)
    client.setMethod(POST)
    body = client.query().convert()
    assert [r["id"] for r in csv_rows(body)][:2] == ["flevoland-handelingskader", "lelystad-cooperatie"]


def test_the_default_graph_is_the_union(server):
    # Lelystad's shared facts (default graph) and a setup's own (named graph) join in one pattern.
    query = ("PREFIX jg: <https://w3id.org/jeugdgov/def#> ASK { ?a jg:agent ?college . "
             "?college jg:bodyOf <https://identifier.overheid.nl/tooi/id/gemeente/gm0995> }")
    assert sparql(server, query).queryAndConvert()["boolean"] is True


def test_default_graph_uri_and_named_graph_uri_choose_the_dataset(server):
    def answer(query: str, **dataset: list[str]) -> list[dict[str, str]]:
        params = {"query": query, "format": "csv", **{k.replace("_", "-"): v for k, v in dataset.items()}}
        status, _headers, body = get(f"{server}/query?{urlencode(params, doseq=True)}")
        assert status == 200, body
        return csv_rows(body)

    a_setup = "?s a <https://w3id.org/jeugdgov/def#Setup>"
    setups = f"SELECT ?s WHERE {{ {a_setup} }}"
    graphs = [r["g"] for r in answer(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {a_setup} }} }} ORDER BY ?g")]
    assert len(answer(setups)) == 6  # the union of all graphs
    assert len(answer(setups, default_graph_uri=graphs[:2])) == 2
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert [r["g"] for r in answer(named, named_graph_uri=graphs[:1])] == graphs[:1]


@pytest.mark.parametrize(("accept", "fmt", "media"), [
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    (None, None, "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "csv", "text/csv"),  # format= wins over Accept
    (None, "tsv", "text/tab-separated-values"),
])
def test_result_format_by_accept_and_format(server, accept, fmt, media):
    params = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/jeugdgov/def#Municipality> } LIMIT 1"}
    if fmt:
        params["format"] = fmt
    status, headers, _body = get(f"{server}/query?{urlencode(params)}", headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(media)


def test_construct_comes_back_as_rdf(server):
    query = "CONSTRUCT WHERE { ?s a <https://w3id.org/jeugdgov/def#Municipality> }"
    status, headers, body = get(f"{server}/query?{urlencode({'query': query, 'format': 'ntriples'})}")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert b"gm0995" in body
    status, _, body = get(f"{server}/query?{urlencode({'query': query, 'format': 'csv'})}")
    assert status == 406 and b"turtle" in body


def test_post_forms_and_sparql_query_bodies(server):
    query = "ASK { ?s ?p ?o }"
    status, body = post(f"{server}/query", urlencode({"query": query}).encode(), "application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, body = post(f"{server}/query", query.encode(), "application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, body = post(f"{server}/query", query.encode(), "text/plain")
    assert status == 415


def test_cors(server):
    _status, headers, _ = get(f"{server}/query?{urlencode({'query': 'ASK {}'})}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    request = urllib.request.Request(f"{server}/query", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


# ---- bad input ------------------------------------------------------------------------

def test_wrong_sparql_is_400_with_the_parsers_message(server):
    with pytest.raises(QueryBadFormed) as caught:
        sparql(server, "SELECT ?s WHERE { ?s ?p }").query()
    assert "error at 1:" in str(caught.value)
    status, _, body = get(f"{server}/query?{urlencode({'query': 'SELEC * {}'})}")
    assert status == 400 and body.startswith(b"SPARQL syntax error")


def test_updates_are_refused_when_read_only(server):
    client = SPARQLWrapper(f"{server}/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    status, body = post(f"{server}/query", urlencode({"update": "CLEAR ALL"}).encode(),
                        "application/x-www-form-urlencoded")
    assert status == 403 and b"read-only" in body
    assert sparql(server, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_runaway_query_is_stopped_and_the_server_stays_healthy(server):
    status, _, body = get(f"{server}/query?{urlencode({'query': RUNAWAY})}", timeout=60)
    assert status == 503 and b"stopped" in body
    status, _, body = get(f"{server}/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, _, body = get(f"{server}/queries/setups.csv")
    assert status == 200 and len(csv_rows(body)) == 6


def test_body_over_the_limit_is_413(server):
    status, body = post(f"{server}/query", b"#" * 30_000 + b"\nASK {}", "application/sparql-query")
    assert status == 413 and b"limit" in body
    status, _, _ = get(f"{server}/query?query={quote('#' * 30_000)}")
    assert status in (413, 414)


def test_missing_query_is_400(server):
    assert get(f"{server}/query")[0] == 400


def test_results_larger_than_a_pipe_buffer_come_whole(server):
    # a worker's answer this size reaches the server in many reads; each must arrive whole
    query = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
    expected = len(list(memory_store().query(query, use_default_graph_as_union=True)))
    for _ in range(3):
        status, _, body = get(f"{server}/query?{urlencode({'query': query, 'format': 'csv'})}")
        assert status == 200 and len(body) > 256 * 1024 and len(csv_rows(body)) == expected


# ---- named queries --------------------------------------------------------------------

def test_named_query_as_csv_by_plain_get(server):
    status, headers, body = get(f"{server}/queries/cost-estimates-per-model.csv?model=mdl:huidig")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    (row,) = csv_rows(body)
    assert (row["fteMin"], row["fteMax"], row["costMin"], row["costMax"]) == ("131", "163", "13100000", "16300000")


@pytest.mark.parametrize("ext", ["json", "tsv", "xml"])
def test_named_query_in_other_formats(server, ext):
    status, headers, body = get(f"{server}/queries/setups.{ext}?lang=en")
    assert status == 200 and b"lelystad-jel" in body
    assert ext in headers["Content-Type"] or (ext == "tsv" and "tab-separated" in headers["Content-Type"])


def test_named_query_answers_as_the_library_does(server):
    query = library()["roles-in-period"]
    params = {"period_start": "2016-01-01", "period_end": "2016-12-31", "lang": "en"}
    status, _, body = get(f"{server}/queries/roles-in-period.csv?{urlencode(params)}")
    local = run(memory_store(), query.text, query.bind(params)).serialize(format=QueryResultsFormat.CSV)
    assert status == 200
    served, expected = body.decode().splitlines(), local.decode().splitlines()
    assert served[0] == expected[0] and sorted(served) == sorted(expected)  # rows tied in ORDER BY may swap


def test_listing_of_named_queries(server):
    status, _, body = get(f"{server}/queries")
    listing = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and set(listing) == set(library())
    roles = listing["roles-in-period"]
    assert roles["title"]["en"] == "Roles per task in a period"
    assert [(p["name"], p["type"], p["required"]) for p in roles["parameters"]][:2] == [
        ("period_start", "xsd:date", True), ("period_end", "xsd:date", True)]
    assert roles["urls"]["csv"] == "/queries/roles-in-period.csv"
    status, _, text = get(f"{server}{roles['urls']['rq']}")
    assert status == 200 and text.startswith(b"# @title nl")


@pytest.mark.parametrize(("query_string", "named"), [
    ("period_end=2016-12-31", b"'period_start'"),
    ("period_start=2016-1-1&period_end=2016-12-31", b"'period_start'"),
    ("period_start=2016-01-01&period_end=2016-12-31&task=not%20an%20iri", b"'task'"),
    ("period_start=2016-01-01&period_end=2016-12-31&colour=red", b"'colour'"),
    ("period_start=2016-01-01&period_start=2017-01-01&period_end=2016-12-31", b"'period_start'"),
    ("period_start=2016-01-01&period_end=2016-12-31&lang=de", b"'lang'"),
    ("period_start=2016-01-01&period_end=2016-12-31&lang=EN", b"'lang'"),
    ("period_start=2017-01-01&period_end=2016-12-31", b"'period_end'"),
    ("period_start=2016-01-01&period_end=2016-12-31&task=foo:bar", b"'task'"),
])
def test_bad_parameters_are_400_naming_them(server, query_string, named):
    status, headers, body = get(f"{server}/queries/roles-in-period.csv?{query_string}")
    assert status == 400 and named in body
    # one line of text, which BI tools show as it is
    assert headers["Content-Type"].startswith("text/plain") and body.count(b"\n") == 1


@pytest.mark.parametrize("path", [
    "/queries/no-such-query.csv", "/queries/../queries/setups.csv", "/queries/..%2Fsetups.csv",
    "/queries/%2e%2e%2fetc%2fpasswd.csv", "/queries/Setups.csv", "/queries/setups;rm.csv", "/queries/setups.html",
    "/queries/setups.csv/extra",
])
def test_unknown_or_odd_query_names_are_404(server, path):
    assert get(f"{server}{path}")[0] == 404


def test_health_and_index(server):
    status, _, body = get(f"{server}/health")
    health = json.loads(body)
    assert status == 200 and health["writable"] is False and health["workers"] >= 1
    index = json.loads(get(f"{server}/")[2])
    assert index["update"] is None and index["queries"] == "/queries"


def test_the_page_for_people_is_dutch_unless_english_is_asked_for(server):
    html_page = {"Accept": "text/html"}
    dutch = get(f"{server}/", headers=html_page)[2].decode("utf-8")
    assert '<html lang="nl">' in dutch and "Vaste vragen" in dutch and "Toon de tabel" in dutch
    assert "Named queries" not in dutch and "Show the table" not in dutch
    english = get(f"{server}/?lang=en", headers=html_page)[2].decode("utf-8")
    assert '<html lang="en">' in english and "Named queries" in english and "Vaste vragen" not in english


# ---- a writable, persistent store -----------------------------------------------------

def test_writable_store_persists_updates(tmp_path):
    folder = tmp_path / "store"
    insert = ("INSERT DATA { GRAPH <https://w3id.org/jeugdgov/id/example/g> { "
              "<https://w3id.org/jeugdgov/id/example/a> a <https://w3id.org/jeugdgov/def#Municipality> } }")
    ask = "ASK { <https://w3id.org/jeugdgov/id/example/a> a <https://w3id.org/jeugdgov/def#Municipality> }"
    flevoland = str(DATA / "flevoland-handelingskader.ttl")
    with jeugdgov_serve(tmp_path, flevoland, "--store", str(folder), "--writable", "--quiet") as base:
        assert sparql(base, ask).queryAndConvert()["boolean"] is False
        client = SPARQLWrapper(f"{base}/update")
        client.setMethod(POST)
        client.setQuery(insert)
        client.addCustomHttpHeader("Origin", base)  # updates name the endpoint's own origin
        client.query()
        assert sparql(base, ask).queryAndConvert()["boolean"] is True
        assert json.loads(get(f"{base}/health")[2])["writable"] is True
    with jeugdgov_serve(tmp_path, "--store", str(folder), "--quiet") as base:  # read-only, same folder
        assert sparql(base, ask).queryAndConvert()["boolean"] is True
        assert sparql(base, "ASK { ?s <http://purl.org/dc/terms/identifier> \"flevoland-handelingskader\" }"
                      ).queryAndConvert()["boolean"] is True
        assert get(f"{base}/update")[0] == 403


# ---- for BI tools and spreadsheets ----------------------------------------------------

def head(url: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize("path", ["/", "/health", "/queries", "/queries/setups.csv", "/queries/setups.rq",
                                  "/query?query=ASK%7B%7D", "/static/page.js"])
def test_head_answers_every_route_without_a_body(server, path):
    status, headers, body = head(f"{server}{path}")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_a_url_over_64_kb_is_413_in_plain_text(server):
    status, headers, body = get(f"{server}/query?query={'%23' * 70_000}")
    assert status == 413 and headers["Content-Type"].startswith("text/plain") and b"POST" in body


def test_csv_has_no_bom_unless_asked_for_excel(server):
    plain = get(f"{server}/queries/setups.csv")[2]
    excel = get(f"{server}/queries/setups.csv?bom=1")[2]
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" in plain  # RFC 4180
    assert excel == b"\xef\xbb\xbf" + plain
    assert get(f"{server}/queries/setups.json?bom=1")[0] == 400


def test_tsv_is_plain_values_without_rdf_syntax(server):
    status, _, body = get(f"{server}/queries/setups.tsv?lang=en")
    lines = body.decode("utf-8").splitlines()
    assert status == 200 and lines[0].split("\t")[0] == "setup"
    assert "@en" not in body.decode() and "^^" not in body.decode() and '"' not in body.decode()
    assert any("\t2018-01-01\t" in line for line in lines)


def test_xlsx_keeps_numbers_and_dates_typed(server):
    import datetime

    import openpyxl

    status, headers, body = get(f"{server}/queries/cost-estimates-per-model.xlsx?model=mdl:huidig")
    assert status == 200 and "spreadsheetml" in headers["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, values = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:2] == ("model", "modelLabel") and values["fteMin"] == 131 and values["costMax"] == 16300000
    dates = list(openpyxl.load_workbook(io.BytesIO(get(f"{server}/queries/setups.xlsx")[2])).active.iter_rows(
        values_only=True))
    assert any(isinstance(cell, datetime.datetime) for row in dates[1:] for cell in row)


def test_raw_utf8_in_the_url_is_refused_saying_how_to_encode_it(server):
    import socket

    def sent_raw(target: str) -> bytes:
        host, port = server.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        return reply

    query = "/query?format=csv&query=SELECT%20?x%20WHERE%20{BIND(\"co{}peratie\"%20AS%20?x)}"
    refused = sent_raw(query.replace("{}", "ö"))  # URLs are ASCII: a raw byte is no character yet
    assert refused.startswith(b"HTTP/1.1 400") and b"%C3%AB" in refused and b"text/plain" in refused
    assert "coöperatie".encode() in sent_raw(query.replace("{}", "%C3%B6"))


def test_findings_without_a_stored_report_come_with_a_warning(server):
    status, headers, body = get(f"{server}/queries/findings.csv")
    assert status == 200 and len(csv_rows(body)) == 0
    assert "validate" in headers["X-Jeugdgov-Warning"]
    listing = {q["name"]: q for q in json.loads(get(f"{server}/queries")[2])}
    assert "--validate" in listing["findings-per-defect"]["note"] and "note" not in listing["setups"]


def test_serve_validate_serves_the_reports(tmp_path):
    with jeugdgov_serve(tmp_path, str(DATA / "lelystad.trig"), "--validate", "--quiet") as base:
        status, headers, body = get(f"{base}/queries/findings-per-defect.csv")
        assert status == 200 and "X-Jeugdgov-Warning" not in headers
        assert len(csv_rows(body)) > 0
        assert "note" not in {q["name"]: q for q in json.loads(get(f"{base}/queries")[2])}["findings"]


# ---- the page for people ----------------------------------------------------------------

def test_a_browser_gets_a_page_and_scripts_get_json(server):
    status, headers, body = get(f"{server}/", headers={"Accept": "text/html,application/xhtml+xml;q=0.9"})
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'data-name="roles-in-period"' in page and 'name="period_start" type="date"' in page
    assert "/queries/roles-in-period.csv" in page and "/static/yasgui/yasgui.min.js" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert json.loads(get(f"{server}/")[2])["queries"] == "/queries"
    for asset in ("page.js", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "yasgui/LICENSE.txt"):
        assert get(f"{server}/static/{asset}")[0] == 200
    assert get(f"{server}/static/../endpoint.py")[0] == 404


def test_an_error_is_said_in_the_language_the_request_or_the_endpoint_asks_for(tmp_path):
    from test_language import english_words

    with jeugdgov_serve(tmp_path, str(DATA / "flevoland-handelingskader.ttl"), "--lang", "nl", "--quiet") as base:
        status, headers, dutch = get(f"{base}/queries/nope.csv")
        assert status == 404 and dutch == b"geen benoemde query 'nope'; GET /queries noemt ze\n"
        assert headers["Content-Language"] == "nl" and headers["Vary"] == "Accept-Language"
        status, headers, english = get(f"{base}/queries/nope.csv", headers={"Accept-Language": "en-GB, nl;q=0.5"})
        assert status == 404 and english == b"no named query 'nope'; GET /queries lists them\n"
        assert headers["Content-Language"] == "en"
        _status, _headers, unknown = get(f"{base}/queries/roles-in-period.csv?period_start=gisteren",
                                         headers={"Accept-Language": "fr, nl;q=0.8"})
        assert unknown.startswith(b"parameter 'period_start': 'gisteren' is geen datum")
    (log,) = tmp_path.glob("serve-*.log")  # what the endpoint told the person who started it
    told = log.read_text(encoding="utf-8")
    assert "quads geladen in een tijdelijke store" in told and "SPARQL-endpoint" in told
    assert not [line for line in told.splitlines() if english_words(line)], told
