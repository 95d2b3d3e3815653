"""Helpers for tests in a real headless Chromium: build a fixture site, serve it on 127.0.0.1, open it.

Chromium comes from Debian (``/usr/bin/chromium``, installed by ``.ci/run``) and is driven by
Playwright; no browser is downloaded. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install --no-install-recommends chromium)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free loopback port for the duration of the block."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# One Chromium for the whole session (the `browser` fixture of tests/conftest.py)

# Material renders a diagram into a closed shadow root; opening it lets a test see the SVG.
OPEN_SHADOW_ROOTS = ("const attach = Element.prototype.attachShadow; Element.prototype.attachShadow = "
                     "function (init) { return attach.call(this, Object.assign({}, init, {mode: 'open'})); };")

_shared: dict[str, Any] = {}


def shared_browser() -> Any:
    """Debian's Chromium, launched by Playwright on first use and kept for the session.

    Playwright's sync API runs one instance per thread: a module that starts its own
    (``sync_playwright()``) gets the shared one closed first (tests/conftest.py does that)."""
    require_chromium()
    if "browser" not in _shared:
        api = pytest.importorskip("playwright.sync_api")
        playwright = api.sync_playwright().start()
        try:
            _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except BaseException:
            playwright.stop()
            raise
        _shared["playwright"] = playwright
    return _shared["browser"]


def close_shared_browser() -> None:
    """Close the shared Chromium, if it runs (the next :func:`shared_browser` starts a new one)."""
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


class Watched:
    """The one page wrapper: a page in a fresh browser context, with its console errors, page
    errors, dialogs and requests recorded; requests to GitHub's API (Material's repository
    widget) answered offline. ``clock``: the page's clock starts then (Playwright's clock), for
    a site built at a fixed ``today`` whose page recomputes dates; ``init_script``: run in
    every page before its own scripts."""

    def __init__(self, browser: Any, clock: Any = None, init_script: str | None = None, **context: Any) -> None:
        self.context = browser.new_context(**context)
        if init_script:
            self.context.add_init_script(init_script)
        if clock is not None:
            self.context.clock.install(time=clock)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        # Material asks GitHub's API for the repository's stars; this machine is offline.
        self.context.route("https://api.github.com/**", lambda route: route.fulfill(json={}))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Any:
        """Go to ``url`` and wait until the network is idle; the page."""
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> Watched:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def Reader(browser: Any, clock: dt.datetime | None = None, **context: Any) -> Watched:
    """The page wrapper (tests/browser.py) with shadow roots open and a 1280x900 window unless told."""
    return Watched(browser, clock, OPEN_SHADOW_ROOTS, **({"viewport": {"width": 1280, "height": 900}} | context))
