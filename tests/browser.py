"""Open a local HTML file in headless Chromium and record what happens: console messages,
uncaught errors, every request the page makes, and a screenshot.

Chromium is driven through its DevTools protocol on a loopback port (websocket-client), so
that the test sees the browser's own list of requests instead of guessing from logs.

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
from dataclasses import dataclass, field
from pathlib import Path

import websocket

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


@dataclass
class PageRun:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    screenshot: bytes = b""
    text: str = ""


def chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def open_page(page: Path, *, width: int = 1200, height: int = 1600, timeout: float = 60.0,
              anchor: str | None = None, media: str = "screen") -> PageRun:
    """Load ``page`` (a file) in headless Chromium and return what it did; the screenshot
    starts at the element with id ``anchor`` (default: the top), in ``media`` (screen or print)."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed: run `apt-get install -y chromium` (as .ci/run does)")
    with tempfile.TemporaryDirectory(prefix="jeugdgov-chromium-") as profile:
        process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = _port(Path(profile), process, timeout)
            target = _page_target(port, timeout)
            return _run(target, page, width, height, timeout, anchor, media)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _port(profile: Path, process: subprocess.Popen, timeout: float) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Chromium stopped at start (exit code {process.returncode})")
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        time.sleep(0.1)
    raise RuntimeError("Chromium did not open its DevTools port")


def _page_target(port: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
            pages = [t for t in json.load(answer) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise RuntimeError("Chromium opened no page")


def _run(target: str, page: Path, width: int, height: int, timeout: float, anchor: str | None,
         media: str) -> PageRun:
    socket = websocket.create_connection(target, timeout=timeout, suppress_origin=True)
    run = PageRun()
    counter = iter(range(1, 1_000_000))
    events: list[dict] = []

    def call(method: str, **params: object) -> dict:
        number = next(counter)
        socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            events.append(message)

    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            call(f"{domain}.enable")
        call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        call("Emulation.setEmulatedMedia", media=media)
        call("Page.navigate", url=page.resolve().as_uri())
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{page} did not finish loading")
            events.append(json.loads(socket.recv()))
        time.sleep(0.5)  # late console messages and requests
        run.text = call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)["result"]["value"]
        top = 0
        if anchor:
            where = f"document.getElementById({json.dumps(anchor)}).getBoundingClientRect().top + window.scrollY"
            top = call("Runtime.evaluate", expression=where, returnByValue=True)["result"]["value"]
        shot = call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                    clip={"x": 0, "y": top, "width": width, "height": height, "scale": 1})
        run.screenshot = base64.b64decode(shot["data"])
    finally:
        socket.close()
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            run.console_errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            run.console_errors.append(params["exceptionDetails"].get("text", "uncaught exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            run.console_errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            run.requests.append(params["request"]["url"])
    return run


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: browser.py PAGE.html SCREENSHOT.png [ELEMENT-ID]")
    result = open_page(Path(sys.argv[1]), width=1000, height=1250, anchor=sys.argv[3] if len(sys.argv) > 3 else None)
    Path(sys.argv[2]).write_bytes(result.screenshot)
    print(f"console: {result.console_errors}\nrequests: {result.requests}")
