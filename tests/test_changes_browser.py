"""The "What changed" page in a real headless Chromium: filter it by section and team without
leaving the page, follow a link to a record, and come back to the same view."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import Watched, require_chromium, screenshot, serve
from .conftest import build_site
from .history_repo import scripted_repo

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    root, _ = scripted_repo(tmp_path_factory.mktemp("changes-browser"))
    with serve(build_site(root, today="2026-03-20", site=root.parent / "site")) as url:
        yield url


@pytest.fixture
def page(site: str, browser: Any) -> Iterator[Any]:
    """A tab in a fresh context of the session's one Chromium (tests/conftest.py), its clock at the
    build's day (the page's "new" and "changed" marks are judged against it)."""
    with Watched(browser, clock=dt.datetime(2026, 3, 20, 12, 0)) as watched:
        yield watched.page
        assert watched.errors == []


def shown(page: Any) -> list[str]:
    """The visible changes, as 'date collection team'."""
    return page.eval_on_selector_all(
        ".pb-change:not([hidden])",
        "els => els.filter(e => e.offsetParent !== null).map(e => "
        "`${e.dataset.date} ${e.dataset.collection} ${e.dataset.team}`)")


def visible_weeks(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".pb-week h2", "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent.replace('¶', ''))")


def test_filter_follow_a_record_and_come_back(site: str, page: Any) -> None:
    page.goto(site + "changes/")
    everything = shown(page)
    assert len(everything) == 23
    assert page.is_visible(".pb-changes-filter")  # shown once the script runs

    page.select_option("select[data-filter=team]", "sales")
    assert page.url == site + "changes/?team=sales"  # the same page, the choice kept in its address
    by_sales = shown(page)
    assert by_sales and all(c.endswith(" sales") for c in by_sales)
    assert len(by_sales) == sum(1 for c in everything if c.endswith(" sales"))
    assert page.text_content(".pb-changes-count") == f"{len(by_sales)} of 23 changes"

    page.select_option("select[data-filter=collection]", "stages")
    assert page.url == site + "changes/?team=sales&collection=stages"
    assert shown(page) == ["2026-03-16 stages sales", "2026-03-09 stages sales", "2026-03-02 stages sales",
                           "2026-01-05 stages sales"]
    assert visible_weeks(page) == ["Week of 16 March 2026", "Week of 9 March 2026", "Week of 2 March 2026",
                                   "Week of 5 January 2026"]
    screenshot(page, "changes-filtered")

    page.select_option("select[data-filter=collection]", "slas")
    page.select_option("select[data-filter=team]", "revops")
    assert shown(page) == []
    assert page.is_visible(".pb-changes-none")
    page.select_option("select[data-filter=team]", "sales")
    page.select_option("select[data-filter=collection]", "stages")

    page.click(".pb-change:not([hidden]) a:text('Sales qualified lead')")
    page.wait_for_url(site + "stages/sql/")
    assert page.text_content("h1").rstrip("¶") == "Sales qualified lead"
    # Its change of 9 March moved it in the funnel: housekeeping, counted on its page, not listed.
    assert "Changed on 9 March 2026: 1 housekeeping change" in page.text_content(".md-content")
    page.click("a:text('all changes')")
    assert page.url == site + "stages/sql/#history"

    page.go_back()
    page.go_back()
    page.wait_for_url(site + "changes/?team=sales&collection=stages")
    page.wait_for_selector(".pb-changes-filter:not([hidden])")
    assert page.input_value("select[data-filter=team]") == "sales"
    assert page.input_value("select[data-filter=collection]") == "stages"
    assert shown(page) == ["2026-03-16 stages sales", "2026-03-09 stages sales", "2026-03-02 stages sales",
                           "2026-01-05 stages sales"]


def test_an_address_with_an_unknown_filter_shows_everything(site: str, page: Any) -> None:
    page.goto(site + "changes/?team=%3Cscript%3E&collection=nope")
    assert page.input_value("select[data-filter=team]") == ""
    assert len(shown(page)) == 23


def test_overview_marks_and_the_record_history_link(site: str, page: Any) -> None:
    page.goto(site + "stages/")
    marks = page.eval_on_selector_all(".pb-mark", "els => els.map(e => e.textContent)")
    assert marks == ["changed", "changed"]  # MQL and SQL (the hidden stage was removed)
    page.goto(site)
    assert page.is_visible("h2#recently-changed")
    assert len(page.query_selector_all(".md-content .pb-mark")) == 5
    feed = page.get_attribute("link[rel=alternate][type='application/atom+xml']", "href")
    assert feed == "changes.xml"
    assert page.request.get(site + feed).status == 200


def test_a_site_without_history_says_so(tmp_path: Path, page: Any) -> None:
    root, _ = scripted_repo(tmp_path)
    shutil.rmtree(root / ".git")
    with serve(build_site(root, today="2026-03-20", site=tmp_path / "site")) as url:
        page.goto(url + "changes/")
        assert "History unavailable" in page.text_content(".md-content")
        assert "not in a git repository" in page.text_content(".md-content")


def test_older_changes_wait_behind_a_fold_under_a_summary(site: str, page: Any) -> None:
    """Issue 20: the page opens with what changed by section, the last 30 days' weeks open and the
    older ones folded under "Older changes"."""
    page.goto(site + "changes/")
    assert page.inner_text("table >> nth=0").splitlines()[0].split("\t") == [
        "Section", "Last 7 days", "Last 30 days"]
    assert not page.eval_on_selector("details.pb-older", "d => d.open")
    older = "#week-of-5-january-2026"  # checkVisibility: a closed fold's content keeps its layout box
    assert page.eval_on_selector("#week-of-2-march-2026", "e => e.checkVisibility()")
    assert not page.eval_on_selector(older, "e => e.checkVisibility()")
    page.click("details.pb-older > summary")
    assert page.eval_on_selector(older, "e => e.checkVisibility()")
