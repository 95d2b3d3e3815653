"""What a reader sees, in a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import ARGS, CHROMIUM, require_chromium, screenshot, serve
from .conftest import FIXTURES, REPO, build_site

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "basic"
    shutil.copytree(FIXTURES / "basic", root)
    with serve(build_site(root, today="2026-04-01")) as url:
        yield url


class Watched:
    """A page with its console errors, page errors and dialogs recorded."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        # Material asks GitHub's API for the repository's stars; this machine is offline.
        self.context.route("https://api.github.com/**", lambda route: route.fulfill(json={}))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser, viewport={"width": 1280, "height": 900})
    yield w
    w.close()


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
    w = Watched(browser)
    w.context.clock.install(time=dt.datetime(2026, 5, 15, 12, 0))  # the day before the due-soon window
    w.page.goto(basic_site + "stages/mql/")
    assert status_of(w.page) == ("current", "Current", 0)
    w.close()


def test_current_record_becomes_due_soon_in_the_window(browser: Any, basic_site: str) -> None:
    """Due 2026-05-30: due soon from 2026-05-16 (14 days before) through the due date itself."""
    for day in (16, 30):
        w = Watched(browser)
        w.context.clock.install(time=dt.datetime(2026, 5, day, 12, 0))
        w.page.goto(basic_site + "stages/mql/")
        w.page.locator(".pb-meta[data-status='due-soon']").wait_for(timeout=10_000)
        assert status_of(w.page) == ("due-soon", "Review due soon", 0)
        w.close()


def test_stale_site_still_warns_when_the_clock_passes_the_due_date(browser: Any, basic_site: str) -> None:
    """Built on 2026-04-01 when MQL was current (due 2026-05-30); read months later."""
    w = Watched(browser, viewport={"width": 1280, "height": 900})
    w.context.clock.install(time=dt.datetime(2026, 9, 1, 12, 0))
    w.page.goto(basic_site + "stages/mql/")
    w.page.locator(".pb-overdue-banner").wait_for(timeout=10_000)
    assert status_of(w.page) == ("overdue", "Overdue for review", 1)
    assert "2026-05-30" in w.page.locator(".pb-overdue-banner").inner_text()
    screenshot(w.page, "fixture-overdue-client-side")
    assert w.errors == []
    w.close()


def test_record_overdue_at_build_time_shows_the_banner(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "late"
    shutil.copytree(FIXTURES / "basic", root)
    with serve(build_site(root, today="2026-08-01")) as url:
        w = Watched(browser)
        w.context.clock.install(time=dt.datetime(2026, 8, 1, 12, 0))
        w.page.goto(url + "stages/mql/")
        assert status_of(w.page) == ("overdue", "Overdue for review", 1)
        assert "This page is overdue for review" in w.page.locator(".admonition.warning").inner_text()
        w.close()


def test_hostile_content_runs_no_script(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "hostile", root)
    site = build_site(root, today="2026-04-01")
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    with serve(site) as url:
        w = Watched(browser)
        w.context.add_init_script(OPEN_SHADOW_ROOTS)
        for page in pages:
            w.page.goto(url + ("" if page == "." else page + "/"))
            w.page.wait_for_load_state("load")
            for element in w.page.locator("abbr, a, b, span, p, li, td, h1").all()[:200]:
                if element.is_visible():
                    element.hover(timeout=2_000, force=True)
        w.page.goto(url + "stages/")  # the funnel, drawn from hostile titles: shown as text
        w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        assert "<script>alert('PWNED')</script>" in (w.page.locator(".mermaid svg").first.text_content() or "")
        assert w.page.locator(".mermaid svg script, .mermaid svg img").count() == 0
        w.page.goto(url + "stages/mql/")
        screenshot(w.page, "fixture-hostile")
        assert w.dialogs == []
        assert [e for e in w.errors if "PWNED" in e] == []
        w.close()


# ---------------------------------------------------------------------------
# The bundled Lumenfold playbook, as a reader sees it

# Material renders a diagram into a closed shadow root; opening it lets the test see the SVG.
OPEN_SHADOW_ROOTS = ("const attach = Element.prototype.attachShadow; Element.prototype.attachShadow = "
                     "function (init) { return attach.call(this, Object.assign({}, init, {mode: 'open'})); };")


@pytest.fixture(scope="module")
def starter_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "starter"
    for folder in ("content", "schemas", "templates", "docs"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    with serve(build_site(root, today="2026-11-23")) as url:
        yield url


def reader(browser: Any, **context: Any) -> Watched:
    w = Watched(browser, **({"viewport": {"width": 1280, "height": 900}} | context))
    w.context.add_init_script(OPEN_SHADOW_ROOTS)
    w.requests = []  # type: ignore[attr-defined]
    w.page.on("request", lambda r: w.requests.append(r.url))  # type: ignore[attr-defined]
    return w


def open_page(w: Watched, url: str) -> None:
    w.page.goto(url)
    w.page.wait_for_load_state("networkidle")


def test_starter_home_shows_the_funnel_without_errors_or_cdn(browser: Any, starter_site: str) -> None:
    w = reader(browser)
    open_page(w, starter_site)
    w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
    svg = w.page.locator(".mermaid svg").first
    assert "MQL: Marketing qualified lead" in (svg.text_content() or "")
    assert "Sales development" in (svg.text_content() or "")
    assert w.page.locator("h2", has_text="At a glance").count() == 1
    assert w.page.locator("text=Weekly sales meeting").count() >= 1  # the next meetings
    screenshot(w.page, "starter-home")
    assert w.errors == []
    others = [u for u in w.requests if not u.startswith(starter_site) and not u.startswith("https://api.github.com/")]
    assert others == []  # no CDN: Mermaid is served with the site
    w.close()


def test_starter_hovering_an_abbreviation_shows_its_definition_and_links_to_it(
    browser: Any, starter_site: str
) -> None:
    w = reader(browser)
    open_page(w, starter_site + "slas/ab-lead-follow-up/")
    term = w.page.locator("article a.pb-term abbr", has_text="MQL").first
    term.hover()
    tooltip = w.page.locator(".md-tooltip2--active, .md-tooltip2")
    tooltip.filter(has_text="A lead with fit grade A or B").first.wait_for(timeout=10_000)
    screenshot(w.page, "starter-tooltip")
    term.click()
    w.page.wait_for_url(starter_site + "stages/mql/")
    assert w.page.locator("h1").first.inner_text().rstrip("¶") == "Marketing qualified lead (MQL)"
    assert w.errors == []
    w.close()


def test_starter_search_finds_a_stage_by_abbreviation(browser: Any, starter_site: str) -> None:
    w = reader(browser)
    open_page(w, starter_site)
    w.page.locator("label.md-search__icon, .md-search__input").first.click()
    w.page.locator("input.md-search__input").press_sequentially("MQL", delay=30)
    w.page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    first = w.page.locator(".md-search-result__item a").first.get_attribute("href")
    assert first == starter_site + "stages/mql/?h=mql"  # first, among the dozens of pages that say MQL
    w.close()


def test_starter_diagrams_render_as_svg(browser: Any, starter_site: str) -> None:
    w = reader(browser)
    for page, text in (("scoring/lead-scoring-model/", "Grade A: Ideal customer"),
                       ("meetings/", "Weekly sales meeting"), ("stages/", "Recycled (nurture)")):
        open_page(w, starter_site + page)
        w.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
        assert text in (w.page.locator(".mermaid svg").first.text_content() or ""), page
    screenshot(w.page, "starter-stages")
    assert w.errors == []
    w.close()


@pytest.mark.parametrize("name, page", [
    ("starter-stage", "stages/mql/"),
    ("starter-sla", "slas/ab-lead-follow-up/"),
    ("starter-persona", "personas/vp-operations/"),
    ("starter-slas", "slas/"),
    ("starter-scoring", "scoring/lead-scoring-model/"),
])
def test_starter_record_pages_read_well(browser: Any, starter_site: str, name: str, page: str) -> None:
    w = reader(browser)
    open_page(w, starter_site + page)
    assert w.page.locator(".pb-meta .pb-status").count() == (0 if page == "slas/" else 1)
    screenshot(w.page, name)
    assert w.errors == []
    w.close()


def test_starter_home_on_a_phone_and_in_dark_mode(browser: Any, starter_site: str) -> None:
    phone = reader(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    open_page(phone, starter_site)
    phone.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    screenshot(phone.page, "starter-home-phone")
    assert phone.errors == []
    phone.close()
    dark = reader(browser, color_scheme="dark")
    open_page(dark, starter_site)
    dark.page.locator(".mermaid svg").first.wait_for(timeout=15_000)
    assert dark.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    screenshot(dark.page, "starter-home-dark")
    assert dark.errors == []
    dark.close()


def test_starter_record_prints_without_site_chrome(browser: Any, starter_site: str) -> None:
    w = reader(browser)
    open_page(w, starter_site + "slas/ab-lead-follow-up/")
    w.page.emulate_media(media="print")
    assert w.page.locator(".md-header").is_hidden()
    assert w.page.locator(".md-sidebar--primary").is_hidden()
    assert w.page.locator(".md-tags").is_hidden()
    assert "(http" not in w.page.locator("article").inner_text()  # glossary links print as words
    assert w.page.locator("article h1").is_visible()
    screenshot(w.page, "starter-sla-print")
    w.close()
