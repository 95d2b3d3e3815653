"""A new reader's paths through a site, in a real headless Chromium (issue 15).

Run on the ``walkthrough`` fixture, whose collections and ids differ from the starter's (phases,
squads, crew, rituals, buyers, battlecards, days off), so that what is checked here holds for any
company's playbook: search puts the page meant first; a record page says where the reader is;
glossary tooltips sit on terms in running text only, expanded; the cadence is legible; no page is
clipped sideways on a desktop or a phone; a partner build does not read as redacted.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from .browser import ARGS, CHROMIUM, Watched, require_chromium, screenshot, serve
from .clock_cases import CASES
from .conftest import FIXTURES, build_site
from .history_repo import commit, git

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")

TODAY = "2026-12-01"
DESKTOP, PHONE = 1280, 390
MIN_TEXT_PX = 12


@dataclass
class Site:
    url: str
    folder: Path
    pages: list[str] = field(default_factory=list)  # every generated page, relative to the root


def _pages(folder: Path) -> list[str]:
    found = []
    for html in sorted(folder.rglob("index.html")):
        rel = html.parent.relative_to(folder).as_posix()
        if not rel.startswith(("assets", "search", "admin")):  # admin: the form editor (test_cms_browser)
            found.append("" if rel == "." else rel + "/")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


OLD_SUMMARY = "Anyone who sent a demo request through the booking form."


def _with_history(root: Path) -> None:
    """The fixture as a git repository of two commits: the playbook imported with the Lead phase's
    old summary, then that summary rewritten (so the Lead page has a History section holding words
    the page itself no longer says)."""
    lead = root / "content/phases/lead.yaml"
    now = lead.read_text(encoding="utf-8")
    lead.write_text(now.replace("Anyone who left us a work address and has not been judged yet.", OLD_SUMMARY),
                    encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Import the playbook", "2026-10-01T09:00:00+00:00")
    lead.write_text(now, encoding="utf-8")
    commit(root, "Lead: a work address is enough", "2026-11-20T09:00:00+00:00")


def _built(tmp_path_factory: pytest.TempPathFactory, audience: str) -> Iterator[Site]:
    root = tmp_path_factory.mktemp(f"reader-{audience}") / "walkthrough"
    shutil.copytree(FIXTURES / "walkthrough", root)
    _with_history(root)
    folder = build_site(root, today=TODAY, audience=audience)
    with serve(folder) as url:
        yield Site(url, folder, _pages(folder))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from _built(tmp_path_factory, "internal")


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from _built(tmp_path_factory, "partner")


def Reader(browser: Any, width: int) -> Watched:
    """The page at a width, its clock at the build's ``today`` (the page recomputes statuses)."""
    phone = width < 600
    return Watched(browser, clock=dt.datetime.fromisoformat(f"{TODAY}T12:00:00"),
                   viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone, has_touch=phone)


@pytest.fixture
def desktop(browser: Any) -> Iterator[Watched]:
    reader = Reader(browser, DESKTOP)
    yield reader
    reader.context.close()


def path_of(href: str, site: Site) -> str:
    """A result link as a page path relative to the site root, without query or fragment."""
    return urlsplit(href).path.removeprefix(urlsplit(site.url).path)


# ---------------------------------------------------------------------------
# Search: the page a reader means comes first

@pytest.mark.parametrize("query, first", [
    ("QO", "phases/qualified-opportunity/"),  # an abbreviation, written only on its own page's title
    ("Lead", "phases/lead/"),  # a term that is also part of a squad's name
    ("Client", "phases/client/"),
    ("Client care", "squads/client-care/"),  # a title
    ("Quarterly planning", "rituals/quarterly-planning/"),
    ("Fleet manager", "buyers/head-of-logistics/"),  # a buyer's job title, from a list on the page
    ("Head of distribution", "buyers/head-of-logistics/"),  # ... not the crew member "Head of client care"
    ("Logistics director", "buyers/head-of-logistics/"),
    # natural questions, as a new colleague types them
    ("propose a change", "propose-a-change/"),
    ("what is a qualified opportunity", "phases/qualified-opportunity/"),
    ("when is the winter break", "days-off/winter-break/"),
    ("the month end review", "rituals/month-end-review/"),
    ("what to say about Rival B", "battlecards/rival-b/"),
    ("signed clients", "aims/signed-clients/"),
    ("are we on track with QOs this quarter", "aims/qualified-this-quarter/"),
])
def test_search_puts_the_page_meant_first(desktop: Reader, site: Site, query: str, first: str) -> None:
    results = search(desktop, site, query)
    assert [path for path, _, _ in results][:1] == [first], results[:5]
    assert desktop.errors == []


# Each result as (page path, its snippet and the words Material says are missing), read in one go
# once two readings agree (the results of the first letters typed may show before the whole query's).
RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > li > a')].map(a => [a.href,
  [...a.querySelectorAll('article > p:not(.md-search-result__terms)')].map(p => p.textContent).join(' ').trim(),
  [...a.querySelectorAll('.md-search-result__terms')].map(p => p.textContent).join(' ').trim()])"""


def search(reader: Reader, site: Site, query: str) -> list[tuple[str, str, str]]:
    page = reader.open(site.url + "?q=" + quote(query))
    page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    before: Any = None
    for _ in range(40):
        now = page.evaluate(RESULTS)
        if now == before:
            break
        before = now
        page.wait_for_timeout(250)
    return [(path_of(href, site), snippet, missing) for href, snippet, missing in before]


def _article_text(site: Site, path: str) -> str:
    html = (site.folder / path / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    return re.sub(r"<[^>]+>", " ", article).casefold()


def test_small_words_do_not_match_on_their_own(desktop: Reader, site: Site) -> None:
    results = search(desktop, site, "propose a change")
    assert results[0][0] == "propose-a-change/"
    for path, _, _ in results:  # only pages that say propose, proposal, change...: none found by "a"
        text = _article_text(site, path.partition("#")[0])
        assert "propos" in text or "chang" in text, path
    assert len({p.partition("#")[0] for p, _, _ in results}) < len(site.pages) // 3
    assert desktop.page.evaluate("window.playbookSearchQuery('the a')") == "the a"  # nothing else: kept


def test_history_and_change_banners_are_not_searched(desktop: Reader, site: Site) -> None:
    lead = desktop.open(site.url + "phases/lead/")
    assert "demo request" in lead.locator(".pb-history").inner_text()  # the page shows its history ...
    assert lead.locator(".pb-changed").count() == 1
    found = {path.partition("#")[0] for path, _, _ in search(desktop, site, "demo request booking")}
    assert "phases/lead/" not in found  # ... but search does not find it by its old words
    changes = desktop.open(site.url + "changes/")
    assert "demo request" in changes.locator("article").inner_text()
    assert "changes/" not in found


def test_every_result_reads_with_a_snippet_of_its_page(desktop: Reader, site: Site) -> None:
    for query in ("QO", "Client care", "Head of distribution", "Winter break"):
        results = search(desktop, site, query)
        path, snippet, missing = results[0]
        assert snippet and missing == "", (query, results[:3])
        assert snippet.casefold().split()[0] in _article_text(site, path.partition("#")[0]), (query, snippet)
    screenshot(desktop.page, "reader-search-snippets")


# ---------------------------------------------------------------------------
# A record page says where the reader is, and leads on

def test_record_page_shows_its_place_and_neighbours(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "phases/qualified-opportunity/")
    active = page.locator(".md-nav--primary .md-nav__item--active > a.md-nav__link")
    assert active.count() == 1 and active.inner_text().strip() == "Customer phases"
    crumbs = page.locator("article nav.pb-crumbs a")
    assert crumbs.all_inner_texts() == ["Home", "Customer phases"]
    assert [path_of(h, site) for h in crumbs.evaluate_all("els => els.map(e => e.href)")] == ["", "phases/"]
    assert page.locator(".pb-pager__prev a").inner_text() == "Lead (new contact)"
    assert page.locator(".pb-pager__next a").inner_text() == "Client"
    screenshot(page, "reader-record-place")
    page.locator(".pb-pager__next a").click()
    page.wait_for_url(site.url + "phases/client/")
    assert page.locator(".pb-pager__next").count() == 0  # the last phase
    assert page.locator(".md-nav--primary .md-nav__item--active > a").inner_text().strip() == "Customer phases"
    assert desktop.errors == []


def test_a_one_record_collection_is_one_click_away(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url)
    nav = page.locator(".md-nav--primary a.md-nav__link", has_text="Buyers")
    assert path_of(nav.get_attribute("href") and nav.evaluate("e => e.href"), site) == "buyers/head-of-logistics/"


def test_index_pages_have_no_edit_link_and_record_pages_edit_their_yaml(desktop: Reader, site: Site) -> None:
    assert desktop.open(site.url + "phases/").locator("a.md-content__button[href*='/edit/']").count() == 0
    edit = desktop.open(site.url + "phases/client/").locator("a.md-content__button[href*='/edit/']")
    assert edit.get_attribute("href") == "https://github.com/example/playbook/edit/main/content/phases/client.yaml"


# ---------------------------------------------------------------------------
# Glossary tooltips: terms in running text, never inside other records' names or labels

ABBRS_IN_NAMES = """() => [...document.querySelectorAll('article abbr')].filter(abbr => {
  const next = abbr.parentNode.closest('a') ? '' : (abbr.nextSibling && abbr.nextSibling.textContent) || '';
  return /^ (care|generation)/.test(next) || abbr.closest('a:not(.pb-term), h1, h2, h3, th') ||
    /:\\s*$/.test((abbr.closest('strong') || {}).textContent || '');
}).map(abbr => abbr.parentNode.textContent)"""


def test_tooltips_are_absent_inside_other_records_names_and_labels(desktop: Reader, site: Site) -> None:
    for path in site.pages:
        page = desktop.open(site.url + path)
        assert page.evaluate(ABBRS_IN_NAMES) == [], path
    page = desktop.open(site.url + "squads/client-care/")
    assert page.locator("article strong", has_text="Lead:").locator("abbr").count() == 0
    assert page.locator("article h1 abbr").count() == 0
    summary = page.locator("article p", has_text="Keeps every Client live")
    assert summary.locator("abbr").all_inner_texts() == ["Client"]  # the term, in running text
    assert "Client care" in summary.inner_text()  # the squad's name, unmarked


def test_hovering_an_abbreviation_expands_it(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "phases/client/")
    term = page.locator("article abbr", has_text="QO").first
    assert (term.get_attribute("title") or "").startswith("Qualified opportunity: ")
    term.hover()
    tooltip = page.locator(".md-tooltip2").filter(has_text="Qualified opportunity")
    tooltip.first.wait_for(state="visible", timeout=10_000)
    assert "A Lead with budget" in tooltip.first.inner_text()
    screenshot(page, "reader-tooltip")
    term.click()  # and it leads to the definition
    page.wait_for_url(site.url + "phases/qualified-opportunity/")
    assert desktop.errors == []


# ---------------------------------------------------------------------------
# The cadence: which rituals happen when, and who attends, legible on any screen

SMALLEST_TEXT = """el => Math.min(...[el, ...el.querySelectorAll('*')]
  .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => parseFloat(getComputedStyle(e).fontSize)))"""


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_cadence_is_legible(browser: Any, site: Site, width: int) -> None:
    reader = Reader(browser, width)
    page = reader.open(site.url + "rituals/")
    cadence = page.locator("article .pb-cadence")
    assert cadence.count() == 1 and cadence.locator("svg").count() == 0
    text = cadence.inner_text()
    for expected in ("Weekly", "Monday stand-up", "Mondays 09:00-09:15", "Monthly", "Month-end review",
                     "Last Friday, 15:00-16:00", "Quarterly", "Quarterly planning", "Client care",
                     "Lead generation"):
        assert expected in text, expected
    assert text.index("Weekly") < text.index("Monthly") < text.index("Quarterly")  # the schema's order
    assert cadence.evaluate(SMALLEST_TEXT) >= MIN_TEXT_PX
    box = cadence.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    screenshot(page, f"reader-cadence-{width}")
    assert reader.errors == []
    reader.context.close()


# ---------------------------------------------------------------------------
# No page is clipped sideways

CLIPPED = """() => {
  // The content column: Material lets a table's wrapper reach into the article's padding on purpose.
  const column = document.querySelector('.md-content');
  const right = Math.min(column.getBoundingClientRect().right, window.innerWidth) + 1;
  const hidden = el => el.closest('[hidden]') || [...function* () {
    for (let e = el; e; e = e.parentElement) yield e; }()].some(e => getComputedStyle(e).clipPath !== 'none');
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth) out.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('article *')) {
    if (hidden(el)) continue;  // visually hidden (a stacked table's header row, read by screen readers)
    const box = el.getBoundingClientRect();
    if (box.width && box.right > right) out.push(el.tagName + ' ends at ' + Math.round(box.right) + ' > ' + right);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      out.push(el.tagName + '.' + el.className + ' scrolls ' + el.scrollWidth + '/' + el.clientWidth);
  }
  return out.slice(0, 5);
}"""


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_generated_page_is_clipped(browser: Any, site: Site, width: int) -> None:
    reader = Reader(browser, width)
    assert len(site.pages) > 15
    clipped = {}
    for path in site.pages:
        page = reader.open(site.url + path)
        found = page.evaluate(CLIPPED)
        if found:
            clipped[path] = found
    screenshot(reader.page, f"reader-last-page-{width}")
    assert clipped == {}
    assert reader.errors == []
    reader.context.close()


def test_tables_read_as_rows_on_a_phone(browser: Any, site: Site) -> None:
    reader = Reader(browser, PHONE)
    page = reader.open(site.url + "freshness/")
    cell = page.locator("article table[data-pb-stack] td[data-label='Owner']").first
    assert cell.evaluate("e => getComputedStyle(e, '::before').content") == '"Owner: "'
    screenshot(page, "reader-freshness-phone")
    reader.context.close()


# ---------------------------------------------------------------------------
# A partner build reads as if written for partners

def test_partner_build_does_not_read_as_redacted(desktop: Reader, partner: Site) -> None:
    assert "rituals/" not in partner.pages and "battlecards/rival-a/" not in partner.pages
    for path in partner.pages:
        page = desktop.open(partner.url + path)
        text = page.locator("article").inner_text()
        assert "withheld" not in text.casefold(), path
    page = desktop.open(partner.url + "buyers/head-of-logistics/")
    text = page.locator("article").inner_text()
    assert "see the" not in text  # the sentence pointing at the internal battlecard is gone
    assert "Rival B battlecard" in text and "Rival A" not in text
    home = desktop.open(partner.url).locator("article").inner_text()
    assert "Rituals" not in home and "Customer phases" in home
    screenshot(page, "reader-partner-buyer")
    assert desktop.errors == []


# ---------------------------------------------------------------------------
# "When is it due?": the deadline per case, from when the lead arrived (the rule of generator/rules/clock.py)

def test_the_clock_in_the_page_agrees_with_python_on_every_case(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "promises/first-call/")
    rule = page.locator(".pb-clock").get_attribute("data-clock")
    found = [page.evaluate("([rule, day, at, m]) => window.playbookDue(JSON.parse(rule), day, at, m)",
                           [rule, day, int(at[:2]) * 60 + int(at[3:]), minutes]) for day, at, minutes, _ in CASES]
    assert found == [expected for *_, expected in CASES]
    assert desktop.errors == []


def test_a_reader_enters_when_the_lead_arrived_and_reads_each_deadline(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "promises/first-call/")
    article = page.locator("article").inner_text()
    assert "The clock runs 09:00\u201317:00, Monday to Friday (Europe/Lisbon time)" in article
    assert "National day (Monday 5 July 2027)" in article  # the observed day, as the clock counts it
    cells = page.locator(".pb-clock__due")
    # as built (Python), for the worked example: late on the last working day before the break
    assert page.locator(".pb-clock__date").input_value() == "2026-12-22"
    assert cells.all_inner_texts() == ["Mon 4 Jan 2027, 09:30", "Mon 4 Jan 2027, 15:30", "Tue 5 Jan 2027, 15:30"]
    page.locator(".pb-clock__date").fill("2027-07-02")  # a Friday before the observed holiday
    page.locator(".pb-clock__time").fill("16:30")
    assert cells.all_inner_texts() == ["Tue 6 Jul 2027, 10:30", "Tue 6 Jul 2027, 16:30", "Wed 7 Jul 2027, 16:30"]
    screenshot(page, "reader-clock")
    assert desktop.errors == []


# ---------------------------------------------------------------------------
# A second company (tests/fixtures/tidewell, issue 23): other collections, ids and words


@pytest.fixture(scope="module")
def tidewell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("reader-tidewell") / "tidewell"
    shutil.copytree(FIXTURES / "tidewell", root)
    folder = build_site(root, today=TODAY)
    with serve(folder) as url:
        yield Site(url, folder, _pages(folder))


@pytest.mark.parametrize("query, first", [
    ("WRK", "statuses/working/"),  # a status's CRM code, its glossary term
    ("Office lead", "buyers/practice-manager/"),  # a buyer's job title
    ("24-hour rule", "rules/twenty-four-hour-rule/"),
])
def test_search_on_a_second_company(desktop: Reader, tidewell: Site, query: str, first: str) -> None:
    page = desktop.open(tidewell.url + "?q=" + quote(query))
    page.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
    assert [path_of(h, tidewell) for h in hrefs][:1] == [first], hrefs[:5]
    assert desktop.errors == []


def test_a_second_companys_record_page_shows_its_place_and_its_own_fields(desktop: Reader, tidewell: Site) -> None:
    page = desktop.open(tidewell.url + "statuses/working/")
    active = page.locator(".md-nav--primary .md-nav__item--active > a.md-nav__link")
    assert active.count() == 1 and active.inner_text().strip() == "Lead statuses"
    assert page.locator("article nav.pb-crumbs a").all_inner_texts() == ["Home", "Lead statuses"]
    assert page.locator(".pb-pager__prev a").inner_text() == "New inquiry"
    assert page.locator(".pb-pager__next a").inner_text() == "Signed clinic"
    nav = page.locator(".md-nav--primary").inner_text()
    assert "Company calendar" not in nav and "Battlecards" not in nav  # empty, switched off
    buyer = desktop.open(tidewell.url + "buyers/practice-manager/").locator("article").inner_text()
    assert "Deal-breakers" in buyer and "No online booking" in buyer  # no template: from the schema
    assert desktop.errors == []


def test_no_page_of_a_second_company_is_clipped_on_a_phone(browser: Any, tidewell: Site) -> None:
    reader = Reader(browser, PHONE)
    clipped = {path: found for path in tidewell.pages if (found := reader.open(tidewell.url + path).evaluate(CLIPPED))}
    assert len(tidewell.pages) > 20 and clipped == {}
    assert reader.errors == []
    reader.context.close()


# ---------------------------------------------------------------------------
# Goals: where each stands, at a glance (fiscal year from playbook.yml: February)

def test_the_goals_index_shows_each_status(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "aims/")
    rows = page.locator("article table tbody tr")
    found = {row.locator("td").nth(0).inner_text(): row.locator("td .pb-goal").inner_text()
             for row in rows.all()}
    assert found == {"Signed clients this year": "Behind",  # 31 of 40 with 83% of FY2027 gone
                     "QOs this quarter": "On track",  # 12 of 30 with 33% of FY2027 Q4 gone
                     "Client questions answered within a day": "No data"}
    header = page.locator("article table thead th").all_inner_texts()
    assert header[-1] == "Status"
    screenshot(page, "reader-goals-status")
    assert desktop.errors == []


# ---------------------------------------------------------------------------
# Touch: a first tap on a term shows its definition, a second follows its link

def test_tapping_a_term_shows_its_definition_and_a_second_tap_follows_it(browser: Any, site: Site) -> None:
    reader = Reader(browser, PHONE)  # is_mobile, has_touch
    page = reader.open(site.url + "phases/client/")
    term = page.locator("article a.pb-term", has_text="QO").first
    term.wait_for()
    term.tap()
    tip = page.locator(".pb-term-tip[role=tooltip]")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.inner_text().startswith("Qualified opportunity: A Lead with budget")
    assert page.url == site.url + "phases/client/"  # still here
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    screenshot(page, "reader-touch-term")
    page.locator("article h1").tap()  # elsewhere: it closes
    assert tip.count() == 0
    term.tap()
    tip.wait_for(state="visible", timeout=5_000)
    term.tap()  # the second tap on the same term
    page.wait_for_url(site.url + "phases/qualified-opportunity/")
    assert reader.errors == []
    reader.context.close()


def test_a_mouse_click_on_a_term_still_follows_it_at_once(desktop: Reader, site: Site) -> None:
    page = desktop.open(site.url + "phases/client/")
    page.locator("article a.pb-term", has_text="QO").first.click()
    page.wait_for_url(site.url + "phases/qualified-opportunity/")
    assert page.locator(".pb-term-tip").count() == 0


# ---------------------------------------------------------------------------
# Printing: a record page alone, a battlecard on one sheet

@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_printed_battlecard_is_one_sheet_without_navigation_or_history(desktop: Reader, site: Site,
                                                                         paper: str) -> None:
    page = desktop.open(site.url + "phases/lead/")  # a record page with a history
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".pb-history", ".pb-pager", ".pb-crumbs", ".pb-suggest",
                   ".md-typeset hr:has(+ .pb-suggest)"):
        assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", hidden
    card = desktop.open(site.url + "battlecards/rival-a/")
    pdf = card.pdf(format=paper, print_background=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
