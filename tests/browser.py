"""Headless Chromium for tests, driven over the DevTools protocol on loopback.

Records what a page does: console errors, uncaught exceptions and every request it makes, so
that a test sees the browser's own list of requests instead of guessing from logs.

    .venv/bin/jeugdgov report data/lelystad.trig --out /tmp/rapport.html
    .venv/bin/python tests/browser.py /tmp/rapport.html docs/img/report.png setup-lelystad-cooperatie
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket
from servers import HOST, free_port, stop


def chromium_command() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Page:
    """One browser tab and what it did."""

    socket: websocket.WebSocket
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    _next_id: int = 0

    def call(self, method: str, **params: Any) -> dict:
        self._next_id += 1
        number = self._next_id
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._record(message)

    def _record(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"{params['entry']['text']} {params['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            time.sleep(0.2)

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"])


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A headless Chromium on a loopback DevTools port; yields its first tab, recording."""
    command = chromium_command()
    if command is None:
        raise RuntimeError("Chromium is not installed: run `apt-get install -y chromium` (scripts/setup does)")
    port = free_port()
    profile = tempfile.mkdtemp(prefix="jeugdgov-chromium-")
    process = subprocess.Popen(
        [command, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         f"--remote-debugging-address={HOST}", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
         f"--window-size={width},{height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/json/list", timeout=5) as response:
                    tabs = [t for t in json.load(response) if t["type"] == "page"]
                if tabs:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "chromium did not start"
            time.sleep(0.2)
        socket = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        page = Page(socket)
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        try:
            yield page
        finally:
            socket.close()
    finally:
        stop(process)
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class PageRun:
    """What one page did when opened: errors, requests, its text and a screenshot."""

    errors: list[str]
    requests: list[str]
    text: str
    screenshot: bytes


def open_page(page: Path, *, width: int = 1200, height: int = 1600, anchor: str | None = None,
              media: str = "screen") -> PageRun:
    """Open a local HTML file and record it; the screenshot starts at the element with id
    ``anchor`` (default: the top), in ``media`` (screen or print)."""
    with chromium(width, height) as tab:
        tab.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        tab.call("Emulation.setEmulatedMedia", media=media)
        tab.open(page.resolve().as_uri())
        time.sleep(0.5)  # late console messages and requests
        text = tab.evaluate("document.body.innerText")
        top = tab.evaluate(f"document.getElementById({json.dumps(anchor)}).getBoundingClientRect().top "
                           "+ window.scrollY") if anchor else 0
        shot = tab.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": top, "width": width, "height": height, "scale": 1})
        return PageRun(tab.errors, tab.requests, text, base64.b64decode(shot["data"]))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: browser.py PAGE.html SCREENSHOT.png [ELEMENT-ID]")
    result = open_page(Path(sys.argv[1]), width=1000, height=1250, anchor=sys.argv[3] if len(sys.argv) > 3 else None)
    Path(sys.argv[2]).write_bytes(result.screenshot)
    print(f"errors: {result.errors}\nrequests: {result.requests}")
