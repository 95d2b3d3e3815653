"""What a reader sees in real headless Chromium while ``mkdocs serve`` runs over broken content
(issue 13, point 15): the page they have open turns into the located problems by itself, and back
into the real page once the content is fixed, without them reloading anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from .browser import Watched, screenshot
from .conftest import BASIC_TODAY, mkdocs_serve

pytestmark = [pytest.mark.browser, pytest.mark.site]

playwright_api = pytest.importorskip("playwright.sync_api")

# `browser`: the session's one Chromium (tests/conftest.py).


def test_the_open_page_shows_the_problems_and_recovers_by_itself(browser: Any, basic: Path) -> None:
    sql = basic / "content/stages/sql.yaml"
    good = sql.read_text()
    # mkdocs_serve builds at BASIC_TODAY; the page's own review status runs on the same day.
    with mkdocs_serve(basic) as base, Watched(browser, clock=dt.datetime.fromisoformat(BASIC_TODAY)) as w:
        page = w.page
        for _ in range(120):  # the first build takes a few seconds
            try:
                page.goto(f"{base}/stages/mql/", timeout=10_000)
                break
            except playwright_api.Error:
                page.wait_for_timeout(500)
        assert page.locator("h1").first.inner_text().startswith("Marketing qualified lead")
        sql.write_text("title: [\n")
        heading = page.locator("h1", has_text="The playbook has problems")
        heading.wait_for(timeout=60_000)  # live reload, no page.reload()
        problems = page.locator("pre.playbook-problems").inner_text()
        assert "content/stages/sql.yaml:2:1: error: invalid YAML: did not find expected node content" in problems
        assert page.url == f"{base}/stages/mql/"
        screenshot(page, "serve-problems")
        sql.write_text(good)
        page.locator("h1", has_text="Marketing qualified lead").wait_for(timeout=60_000)
        assert page.locator("pre.playbook-problems").count() == 0
