#!/usr/bin/env python3
"""One browser smoke test of the pages a pull request changed (``smoke.py SITE``, the changed
paths NUL-separated on standard input, as ``git diff --name-only -z`` writes them).

Each changed record (``content/<collection>/<id>.yaml``) and hand-written page (``docs/...md``)
that is still there is opened in headless Chromium (Debian's, driven by Playwright) from a local
server: it must load, show a heading, and raise no script error. With no such page (only
``playbook.yml``, or only deletions) the home page is opened. At most 20 pages."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

RECORD = re.compile(r"content/([a-z0-9-]+)/([a-z0-9-]+)\.yaml")
PAGE = re.compile(r"docs/((?:[A-Za-z0-9_.-]+/)*)([A-Za-z0-9_.-]+)\.md")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
LIMIT = 20


def pages(site: Path, paths: list[str]) -> list[str]:
    """The site's address (relative to its root) of each changed page that exists."""
    found = []
    for path in paths:
        record, page = RECORD.fullmatch(path), PAGE.fullmatch(path)
        if record:
            url = f"{record.group(1)}/{record.group(2)}/"
        elif page:
            url = page.group(1) + ("" if page.group(2) == "index" else f"{page.group(2)}/")
        else:
            continue
        if (site / url / "index.html").is_file() and url not in found:
            found.append(url)
    return found[:LIMIT] or [""]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def smoke(site: Path, urls: list[str]) -> list[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems: list[str] = []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                             args=ARGS)
            for url in urls:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                response = page.goto(base + url, wait_until="load")
                if response is None or response.status != 200:
                    problems.append(f"/{url}: HTTP {response.status if response else 'no response'}")
                elif page.locator("h1").count() == 0:
                    problems.append(f"/{url}: no heading")
                problems += [f"/{url}: script error: {e}" for e in errors]
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return problems


if __name__ == "__main__":
    site = Path(sys.argv[1])
    changed = [p for p in sys.stdin.buffer.read().decode("utf-8", "replace").split("\0") if p]
    urls = pages(site, changed)
    found = smoke(site, urls)
    print("\n".join(found) if found else f"smoke.py: {len(urls)} page(s) load in Chromium: "
          + ", ".join(f"/{u}" for u in urls))
    sys.exit(1 if found else 0)
