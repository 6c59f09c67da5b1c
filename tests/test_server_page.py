"""The endpoint's page in a real browser (headless Chromium): it loads cleanly and only from the
endpoint, a named query runs from its form, and YASGUI runs a query and shows the table."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium
from helpers import DATA
from servers import get, jeugdgov_serve

#: Chromium is a system package: scripts/setup installs it when it is missing.
pytestmark = pytest.mark.slow

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "img" / "endpoint.png"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def test_the_page_runs_named_queries_and_yasgui_without_outside_requests(tmp_path):
    with jeugdgov_serve(tmp_path, str(DATA), "--quiet") as base, chromium() as page:
        page.open(f"{base}/")
        assert page.evaluate("document.title") == "jeugdgov SPARQL endpoint"
        assert page.wait_for("!!window.yasgui && !!document.querySelector('#yasgui .CodeMirror')")
        assert page.evaluate("window.scrollY") == 0  # the page opens at its introduction, not at the editor

        # a named query from its form: fill it in, submit, see the table
        page.evaluate("""(() => {
            const form = document.querySelector('form[data-name="roles-in-period"]');
            form.closest('details').open = true;
            form.querySelector('[name=period_start]').value = '2016-01-01';
            form.querySelector('[name=period_end]').value = '2016-12-31';
            form.querySelector('[name=lang]').value = 'en';
            form.requestSubmit();
        })()""")
        rows = page.wait_for("document.querySelectorAll('#q-roles-in-period .result tbody tr').length")
        assert rows > 0
        header = page.evaluate("[...document.querySelectorAll('#q-roles-in-period .result th')]"
                               ".map(th => th.textContent)")
        assert "agent" in header and "task" in header
        assert "roles-in-period.csv?period_start=2016-01-01" in page.evaluate(
            "document.querySelector('#q-roles-in-period .csv-url').textContent")

        # a second, short one for the screenshot, with the long table folded away
        page.evaluate("""(() => {
            document.querySelector('#q-roles-in-period').open = false;
            const form = document.querySelector('form[data-name="setups"]');
            form.closest('details').open = true;
            form.querySelector('[name=lang]').value = 'en';
            form.requestSubmit();
        })()""")
        assert page.wait_for("document.querySelectorAll('#q-setups .result tbody tr').length") == 6

        # YASGUI: run its query against /query and see the table
        page.evaluate("window.yasgui.getTab().getYasqe().query()")
        cells = page.wait_for("document.querySelectorAll('.yasr table tbody tr td').length", timeout=60)
        assert cells > 0
        assert "lelystad" in page.evaluate("document.querySelector('.yasr table tbody').textContent").lower()

        picture = page.screenshot()
        assert picture.startswith(b"\x89PNG")
        if os.environ.get("JEUGDGOV_UPDATE_SCREENSHOT"):  # the README's picture, renewed on purpose only
            SCREENSHOT.write_bytes(picture)

        assert page.errors == []
        outside = [url for url in page.requests
                   if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(url).hostname not in LOOPBACK]
        assert outside == []
        assert any(url.endswith("/static/yasgui/yasgui.min.js") for url in page.requests)


HOSTILE = """
<http://x.example/'onmouseover='window.pwned=1> <http://x.example/p> <javascript:window.pwned=2> .
<http://x.example/s'%3E%3Cimg%20src=x%20onerror='window.pwned=3'> <http://x.example/p>
    <data:text/html,%3Cscript%3Ewindow.pwned=4%3C/script%3E> .
<http://x.example/t> <http://x.example/p> "<img src=x onerror='window.pwned=5'>" .
<http://x.example/u> <http://x.example/p> "x"^^<http://x.example/'onmouseover='window.pwned=6> .
"""


def test_hostile_iris_in_the_data_run_nothing_on_the_page(tmp_path):
    data = tmp_path / "hostile.ttl"
    data.write_text(HOSTILE, encoding="utf-8")
    with jeugdgov_serve(tmp_path, str(data), "--quiet") as base, chromium() as page:
        status, headers, _ = get(f"{base}/", headers={"Accept": "text/html"})
        policy = headers["Content-Security-Policy"]
        assert status == 200 and "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        page.open(f"{base}/")
        assert page.wait_for("!!window.yasgui && !!document.querySelector('#yasgui .CodeMirror')")
        page.evaluate("(() => { const yasqe = window.yasgui.getTab().getYasqe();"
                      " yasqe.setValue('SELECT * WHERE { ?s <http://x.example/p> ?o }'); yasqe.query(); })()")
        assert page.wait_for("document.querySelectorAll('.yasr table tbody tr').length", timeout=60) == 4
        handlers = page.evaluate("[...document.querySelectorAll('.yasr *')].flatMap(e => [...e.attributes])"
                                 ".filter(a => a.name.startsWith('on')).map(a => a.name)")
        assert handlers == []
        hrefs = page.evaluate("[...document.querySelectorAll('.yasr a[href]')].map(a => a.href)")
        assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs)
        page.evaluate("document.querySelectorAll('.yasr a, .yasr span').forEach(e => {"
                      " e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); })")
        assert page.evaluate("window.pwned === undefined")
        assert "'onmouseover='window.pwned=1" in page.evaluate("document.querySelector('.yasr tbody').textContent")
        assert page.errors == []
