"""What a reader sees, in a real headless Chromium, on fixture playbooks (never the bundled one).

Sites are built once per session (tests/conftest.py); one Chromium serves every test, each test
in a fresh browser context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import OPEN_SHADOW_ROOTS, Watched, screenshot, serve
from .conftest import BASIC_TODAY, READER_TODAY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def basic_site(built_basic: Path) -> Iterator[str]:
    """The ``basic`` fixture, built at 2026-04-01."""
    with serve(built_basic / "site") as url:
        yield url


@pytest.fixture(scope="module")
def reader_site(built_reader: Path) -> Iterator[str]:
    """The ``reader`` fixture, built at READER_TODAY."""
    with serve(built_reader / "site") as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A page on the ``basic`` fixture's build day: its review status is recomputed in the page."""
    with Watched(browser, clock=dt.datetime.fromisoformat(BASIC_TODAY).replace(hour=12),
                 viewport={"width": 1280, "height": 900}) as w:
        yield w


def at(browser: Any, day: dt.datetime, **context: Any) -> Watched:
    """A watched page whose clock starts at ``day`` (and then runs)."""
    return Watched(browser, clock=day, **context)


# ---------------------------------------------------------------------------
# The basic fixture: the built-in templates, the edit link, the review status re-checked in the browser


def test_home_page_loads_without_console_errors(watched: Watched, basic_site: str) -> None:
    watched.page.goto(basic_site)
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.locator("h1").first.inner_text().rstrip("¶") == "Sales & marketing playbook"
    screenshot(watched.page, "fixture-home")
    assert watched.errors == []


def test_edit_link_opens_the_yaml_source(watched: Watched, basic_site: str) -> None:
    watched.page.goto(basic_site + "stages/mql/")
    edit = watched.page.locator("a.md-content__button[href*='/edit/']")
    assert edit.get_attribute("href") == "https://github.com/example/playbook/edit/main/content/stages/mql.yaml"


def test_search_finds_a_stage_by_its_abbreviation(watched: Watched, basic_site: str) -> None:
    watched.page.goto(basic_site)
    watched.page.locator("label.md-search__icon, .md-search__input").first.click()
    watched.page.locator("input.md-search__input").press_sequentially("MQL", delay=30)
    first = watched.page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15_000)
    links = [a.get_attribute("href") or "" for a in watched.page.locator(".md-search-result__item a").all()]
    assert basic_site + "stages/mql/" in links


def status_of(page: Any) -> tuple[str | None, str, int]:
    meta = page.locator(".pb-meta")
    return (meta.get_attribute("data-status"), page.locator(".pb-status").inner_text(),
            page.locator(".admonition.warning").count())


def test_current_record_stays_current_before_its_due_date(browser: Any, basic_site: str) -> None:
    with at(browser, dt.datetime(2026, 5, 15, 12, 0)) as w:  # the day before the due-soon window
        w.page.goto(basic_site + "stages/mql/")
        assert status_of(w.page) == ("current", "Current", 0)


def test_current_record_becomes_due_soon_in_the_window(browser: Any, basic_site: str) -> None:
    """Due 2026-05-30: due soon from 2026-05-16 (14 days before) through the due date itself."""
    for day in (16, 30):
        with at(browser, dt.datetime(2026, 5, day, 12, 0)) as w:
            w.page.goto(basic_site + "stages/mql/")
            w.page.locator(".pb-meta[data-status='due-soon']").wait_for(timeout=10_000)
            assert status_of(w.page) == ("due-soon", "Review due soon", 0)


def test_stale_site_still_warns_when_the_clock_passes_the_due_date(browser: Any, basic_site: str) -> None:
    """Built on 2026-04-01 when MQL was current (due 2026-05-30); read months later."""
    with at(browser, dt.datetime(2026, 9, 1, 12, 0), viewport={"width": 1280, "height": 900}) as w:
        w.page.goto(basic_site + "stages/mql/")
        w.page.locator(".pb-overdue-banner").wait_for(timeout=10_000)
        assert status_of(w.page) == ("overdue", "Overdue for review", 1)
        assert "2026-05-30" in w.page.locator(".pb-overdue-banner").inner_text()
        screenshot(w.page, "fixture-overdue-client-side")
        assert w.errors == []


# ---------------------------------------------------------------------------
# Hostile content: script and markup in every field run nowhere

# Everything a browser would execute or load from data, in the live DOM (open shadow roots included).
LIVE_MARKUP = """() => {
  const found = [];
  const scan = (root) => {
    for (const el of root.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
        if (name.startsWith("on")) found.push(`<${el.localName} ${name}>`);
        if (["href", "src", "action", "formaction", "xlink:href"].includes(name) && value.startsWith("javascript:"))
          found.push(`<${el.localName} ${name}=${attr.value}>`);
      }
      if (el.localName === "script" && el.textContent.includes("PWNED")) found.push("marker inside <script>");
      if (["iframe", "object", "embed"].includes(el.localName)) found.push(`<${el.localName}>`);
      if (el.localName === "img" && el.getAttribute("src") === "x") found.push("<img src=x> from data");
      if (el.shadowRoot) scan(el.shadowRoot);
    }
  };
  scan(document);
  return found;
}"""
HOVERABLE = ":is(abbr, a, b, span, p, li, td, h1)"  # in the page content: what data becomes


def page_type(page: str, pages: list[str]) -> str:
    """home, collection index, record, or another page (freshness, tags, hand-written)."""
    if page == ".":
        return "home"
    if "/" in page:
        return "record"
    return "index" if any(p.startswith(page + "/") for p in pages) else "page"


def test_hostile_content_runs_no_script(browser: Any, built_hostile: Path) -> None:
    """Every page: after load and after hovering every element with a tooltip (a title), no live
    markup from data in the DOM. On one page of each type, the most hostile one, every element of
    the content (up to 200) is also hovered, as a reader's mouse would. No dialog, no error from
    the marker."""
    site = built_hostile / "site"
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    hostility = {page: (site / page / "index.html").read_text(encoding="utf-8").count("PWNED") for page in pages}
    kinds = {page: page_type(page, pages) for page in pages}
    assert set(kinds.values()) == {"home", "index", "record", "page"}
    sampled = {max((p for p in pages if kinds[p] == kind), key=lambda p: (hostility[p], p))
               for kind in set(kinds.values())}
    with serve(site) as url, Watched(browser, clock=dt.datetime.fromisoformat(BASIC_TODAY).replace(hour=12),
                                     init_script=OPEN_SHADOW_ROOTS) as w:
        for page in pages:
            w.page.goto(url + ("" if page == "." else page + "/"))
            w.page.wait_for_load_state("load")
            elements = w.page.query_selector_all("[title]")  # every tooltip, Material's and ours
            if page in sampled:
                elements += w.page.query_selector_all(f".md-content {HOVERABLE}")[:200]
            for element in elements:
                if element.is_visible():
                    element.hover(timeout=2_000, force=True)
            assert w.page.evaluate(LIVE_MARKUP) == [], page
        w.page.goto(url + "stages/")  # the funnel, drawn from hostile titles: shown as text
        w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        assert "<script>alert('PWNED')</script>" in (w.page.locator(".mermaid svg").first.text_content() or "")
        assert w.page.locator(".mermaid svg script, .mermaid svg img").count() == 0
        w.page.goto(url + "stages/mql/")
        screenshot(w.page, "fixture-hostile")
        assert w.dialogs == []
        assert [e for e in w.errors if "PWNED" in e] == []


# ---------------------------------------------------------------------------
# The reader fixture: a fictional company's playbook on starter-style schemas and templates


def reader(browser: Any, **context: Any) -> Watched:
    """A reader on the day the site was built (the review status does not depend on today)."""
    w = at(browser, dt.datetime.fromisoformat(READER_TODAY).replace(hour=12),
           **({"viewport": {"width": 1280, "height": 900}} | context))
    w.context.add_init_script(OPEN_SHADOW_ROOTS)
    return w


def open_page(w: Watched, url: str) -> None:
    w.page.goto(url)
    w.page.wait_for_load_state("networkidle")


def test_home_shows_the_funnel_without_errors_or_cdn(browser: Any, reader_site: str) -> None:
    with reader(browser) as w:
        open_page(w, reader_site)
        w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        svg = w.page.locator(".mermaid svg").first
        assert "PQL: Product qualified lead" in (svg.text_content() or "")
        assert "Inside sales" in (svg.text_content() or "")  # the owning team
        assert w.page.locator("h2", has_text="At a glance").count() == 1
        assert w.page.locator("text=Pipeline stand-up").count() >= 1  # the next meetings
        screenshot(w.page, "reader-home")
        assert w.errors == []
        others = [u for u in w.requests if not u.startswith(reader_site) and not u.startswith("https://api.github.com/")]
        assert others == []  # no CDN: Mermaid is served with the site


def test_hovering_an_abbreviation_shows_its_definition_and_links_to_it(browser: Any, reader_site: str) -> None:
    with reader(browser) as w:
        open_page(w, reader_site + "slas/pql-callback/")
        term = w.page.locator("article a.pb-term abbr", has_text="PQL").first
        term.hover()
        tooltip = w.page.locator(".md-tooltip2--active, .md-tooltip2")
        tooltip.filter(has_text="A trial workspace whose team used the product").first.wait_for(timeout=10_000)
        screenshot(w.page, "reader-tooltip")
        term.click()
        w.page.wait_for_url(reader_site + "stages/pql/")
        assert w.page.locator("h1").first.inner_text().rstrip("¶") == "Product qualified lead (PQL)"
        assert w.errors == []


def test_search_ranks_a_stage_first_by_its_abbreviation(browser: Any, reader_site: str) -> None:
    from playwright.sync_api import expect

    with reader(browser) as w:
        open_page(w, reader_site)
        w.page.locator("label.md-search__icon, .md-search__input").first.click()
        w.page.locator("input.md-search__input").press_sequentially("PQL", delay=30)
        # Results come as the query is typed: those of "P" or "PQ" may show first, so wait (up to
        # 15 s) for the first result to be the stage's page; any other page first fails the test.
        expect(w.page.locator(".md-search-result__item a").first).to_have_attribute(
            "href", reader_site + "stages/pql/?h=pql", timeout=15_000)  # first, among the pages that say PQL


def test_diagrams_render_as_svg(browser: Any, reader_site: str) -> None:
    with reader(browser) as w:
        for page, text in (("scoring/usage-scoring-model/", "Grade A: Strong match"),
                           ("meetings/", "Pipeline stand-up"), ("stages/", "Parked (nurture)")):
            open_page(w, reader_site + page)
            w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
            assert text in (w.page.locator(".mermaid svg").first.text_content() or ""), page
        screenshot(w.page, "reader-stages")
        assert w.errors == []


@pytest.mark.parametrize("name, page", [
    ("reader-stage", "stages/pql/"),
    ("reader-sla", "slas/pql-callback/"),
    ("reader-persona", "personas/head-of-data/"),
    ("reader-slas", "slas/"),
    ("reader-scoring", "scoring/usage-scoring-model/"),
])
def test_record_pages_read_well(browser: Any, reader_site: str, name: str, page: str) -> None:
    with reader(browser) as w:
        open_page(w, reader_site + page)
        assert w.page.locator(".pb-meta .pb-status").count() == (0 if page == "slas/" else 1)
        screenshot(w.page, name)
        assert w.errors == []


def test_record_overdue_at_build_time_shows_the_banner(browser: Any, reader_site: str) -> None:
    with reader(browser) as w:
        open_page(w, reader_site + "slas/scoping-handover/")
        assert status_of(w.page) == ("overdue", "Overdue for review", 1)
        assert "This page is overdue for review" in w.page.locator(".admonition.warning").inner_text()


def test_home_on_a_phone_and_in_dark_mode(browser: Any, reader_site: str) -> None:
    with reader(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as phone:
        open_page(phone, reader_site)
        phone.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        screenshot(phone.page, "reader-home-phone")
        assert phone.errors == []
    with reader(browser, color_scheme="dark") as dark:
        open_page(dark, reader_site)
        dark.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        assert dark.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        screenshot(dark.page, "reader-home-dark")
        assert dark.errors == []


def test_record_prints_without_site_chrome(browser: Any, reader_site: str) -> None:
    with reader(browser) as w:
        open_page(w, reader_site + "slas/pql-callback/")
        assert w.page.locator(".md-tags").is_visible()  # on screen, the record's tags
        w.page.emulate_media(media="print")
        assert w.page.locator(".md-header").is_hidden()
        assert w.page.locator(".md-sidebar--primary").is_hidden()
        assert w.page.locator(".md-tags").is_hidden()
        assert "(http" not in w.page.locator("article").inner_text()  # glossary links print as words
        assert w.page.locator("article h1").is_visible()
        screenshot(w.page, "reader-sla-print")
