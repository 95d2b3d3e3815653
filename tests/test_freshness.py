"""Freshness: statuses, exact boundaries, dependency drift, owners, and what readers see in the site."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.content.config import Settings
from generator.rules.freshness import DUE_SOON_DAYS, LABELS, assess, assess_all
from generator.rules.owners import handle_of, owner_of
from generator.rules.project import load_playbook

from .conftest import FIXTURES, build_site, edit

FIXTURE = FIXTURES / "fresh"
ASSETS = Path(__file__).parent.parent / "generator" / "assets"
TODAY = date(2026, 6, 30)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "playbook"
    shutil.copytree(FIXTURE, target)
    return target


def load(root: Path):
    playbook, problems = load_playbook(root)
    assert problems == []
    return playbook


def status_of(root: Path, key: tuple[str, str], today: date = TODAY):
    playbook = load(root)
    return assess(playbook, playbook.records[key], today)


def test_every_status_in_the_fixture(root: Path) -> None:
    found = {f"{c}/{i}": (f.status, f.due.isoformat(), f.days_overdue)
             for (c, i), f in assess_all(load(root), TODAY).items()}
    assert found == {
        "people/dana-reyes": ("current", "2026-11-28", 0),  # people: 180 days
        "people/lee-park": ("current", "2026-11-28", 0),
        "people/sam-okafor": ("current", "2026-11-28", 0),
        "teams/revops": ("current", "2026-08-30", 0),  # teams: no review_days, the default 90
        "teams/sales": ("due-soon", "2026-06-30", 0),  # due today
        "stages/mql": ("current", "2026-09-18", 0),
        "stages/sql": ("overdue", "2026-04-01", 90),
        "slas/mql-follow-up": ("drifted", "2026-07-10", 0),  # slas: 30 days
        "slas/sql-hand-off": ("due-soon", "2026-07-14", 0),  # review_every_days: 60
    }


@pytest.mark.parametrize(("today", "status", "days", "reason"), [
    (date(2026, 6, 15), "current", 0, "next review due on 2026-06-30"),  # one day before the window
    (date(2026, 6, 16), "due-soon", 0, "review due on 2026-06-30"),  # exactly DUE_SOON_DAYS before
    (date(2026, 6, 30), "due-soon", 0, "review due on 2026-06-30"),  # due today: not overdue yet
    (date(2026, 7, 1), "overdue", 1, "review was due on 2026-06-30 (1 day ago)"),
    (date(2026, 7, 2), "overdue", 2, "review was due on 2026-06-30 (2 days ago)"),
])
def test_boundaries_are_exact(root: Path, today: date, status: str, days: int, reason: str) -> None:
    fresh = status_of(root, ("teams", "sales"), today)
    assert (fresh.status, fresh.days_overdue, fresh.reason) == (status, days, reason)
    assert fresh.label == LABELS[status]


def test_due_soon_window_is_fourteen_days() -> None:
    assert DUE_SOON_DAYS == 14  # the dashboard and docs say "14 days"


def test_per_record_override(root: Path) -> None:
    fresh = status_of(root, ("slas", "sql-hand-off"))
    assert (fresh.review_days, fresh.due, fresh.due_soon_from) == (60, date(2026, 7, 14), TODAY)
    edit(root, "content/slas/sql-hand-off.yaml", "review_every_days: 60\n", "")
    fresh = status_of(root, ("slas", "sql-hand-off"))
    assert (fresh.review_days, fresh.due.isoformat(), fresh.status) == (30, "2026-06-14", "overdue")


def test_drift_when_a_referenced_record_was_reviewed_later(root: Path) -> None:
    fresh = status_of(root, ("slas", "mql-follow-up"))
    assert fresh.status == "drifted"
    assert [(r.id, d.isoformat()) for r, d in fresh.changed] == [("mql", "2026-06-20")]
    assert fresh.reason == "re-review: Marketing qualified lead changed on 2026-06-20"


@pytest.mark.parametrize(("reviewed", "status"), [
    ("2026-06-11", "drifted"),  # one day after the SLA's own review
    ("2026-06-10", "due-soon"),  # the same day: no drift (and the SLA is due on 2026-07-10)
    ("2026-06-01", "due-soon"),  # earlier: no drift
])
def test_drift_both_ways(root: Path, reviewed: str, status: str) -> None:
    edit(root, "content/stages/mql.yaml", "last_reviewed: 2026-06-20", f"last_reviewed: {reviewed}")
    assert status_of(root, ("slas", "mql-follow-up"), date(2026, 6, 26)).status == status


def test_owner_changes_never_cause_drift(root: Path) -> None:
    # lee-park (the owner, x-drift: false) was reviewed after the SLA, which is not drifted.
    playbook = load(root)
    assert playbook.records[("people", "lee-park")].data["last_reviewed"] > "2026-05-15"
    assert assess(playbook, playbook.records[("slas", "sql-hand-off")], TODAY).changed == ()


def test_overdue_keeps_the_drift_reason_too(root: Path) -> None:
    fresh = status_of(root, ("stages", "sql"))
    assert fresh.status == "overdue"
    assert fresh.reasons == ("review was due on 2026-04-01 (90 days ago)",
                             "re-review: Sales changed on 2026-04-01")


def test_drift_outranks_due_soon_and_current(root: Path) -> None:
    assert status_of(root, ("slas", "mql-follow-up"), date(2026, 6, 21)).status == "drifted"
    assert status_of(root, ("slas", "mql-follow-up"), date(2026, 7, 11)).status == "overdue"


# ---------------------------------------------------------------------------
# Owners and GitHub handles


def owner(root: Path, key: tuple[str, str]):
    playbook = load(root)
    return owner_of(playbook, playbook.records[key])


def test_owner_with_own_handle(root: Path) -> None:
    found = owner(root, ("teams", "revops"))
    assert (found.id, found.name, found.mention) == ("dana-reyes", "Dana Reyes", "@dana-reyes")
    assert found.via is None
    assert owner(root, ("stages", "mql")).mention == "@example/revops"


def test_team_without_handle_falls_back_to_its_owner(root: Path) -> None:
    found = owner(root, ("stages", "sql"))
    assert (found.name, found.github, found.via, found.file) == (
        "Sales", "sam-okafor", "sam-okafor", "content/teams/sales.yaml")
    # a person without a handle: their owner (the sales team), then the team's owner
    assert owner(root, ("slas", "sql-hand-off")).mention == "@sam-okafor"


def test_no_handle_anywhere_and_cycles_end(root: Path) -> None:
    edit(root, "content/people/sam-okafor.yaml", "github: sam-okafor\n", "")
    edit(root, "content/people/sam-okafor.yaml", "owner: sales", "owner: lee-park")
    found = owner(root, ("stages", "sql"))  # sales -> sam-okafor -> lee-park -> sales: a cycle
    assert (found.name, found.github, found.mention) == ("Sales", None, "")


def test_malformed_handles_are_not_mentioned(root: Path) -> None:
    # jsonschema's "pattern" searches, so "^[A-Za-z0-9-]+$" lets a trailing newline through
    edit(root, "content/people/dana-reyes.yaml", "github: dana-reyes", 'github: "dana-reyes\\n"')
    playbook, problems = load_playbook(root)
    assert [p.message for p in problems] == ["github: 'dana-reyes\\n' is not a GitHub user name or org/team, "
                                             "like jane-doe or acme/sales"]
    assert handle_of(playbook.records[("people", "dana-reyes")], Settings()) is None
    found = owner_of(playbook, playbook.records[("teams", "revops")])
    assert (found.name, found.github, found.via) == ("Dana Reyes", "example/revops", "revops")  # her owner


# ---------------------------------------------------------------------------
# What readers see: a real strict MkDocs build of the fixture


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fresh-site") / "playbook"
    shutil.copytree(FIXTURE, root)
    return build_site(root, today=TODAY.isoformat())


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def meta(text: str) -> dict[str, str]:
    tag = re.search(r'<div class="pb-meta"([^>]*)>', text)
    assert tag is not None
    return dict(re.findall(r'(data-[a-z]+)="([^"]*)"', tag.group(1)))


@pytest.mark.site
def test_overdue_page_has_status_and_banner(site: Path) -> None:
    text = html(site, "stages/sql")
    assert meta(text) == {"data-status": "overdue", "data-due": "2026-04-01", "data-soon": "2026-03-18"}
    assert '<span class="pb-status">Overdue for review</span>' in text
    assert '<div class="admonition warning pb-overdue-banner">' in text
    assert "Its review was due on 1 April 2026, 90 days ago." in text
    # the status sits right under the title
    assert text[text.index("</h1>") + 5:text.index('class="pb-meta"')].strip() == "<div"


@pytest.mark.site
def test_drifted_page_says_what_changed(site: Path) -> None:
    text = html(site, "slas/mql-follow-up")
    assert meta(text)["data-status"] == "drifted"
    assert '<span class="pb-status">Needs re-review</span>' in text
    assert ('<span class="pb-why">(because <a href="../../stages/mql/">Marketing qualified lead</a> '
            "changed)</span>") in text
    assert '<div class="admonition info pb-drift-banner">' in text
    assert "pb-overdue-banner" not in text


@pytest.mark.parametrize(("page", "status", "label"), [
    ("teams/sales", "due-soon", "Review due soon"),
    ("people/dana-reyes", "current", "Current"),
])
@pytest.mark.site
def test_other_pages_have_a_status_and_no_banner(site: Path, page: str, status: str, label: str) -> None:
    text = html(site, page)
    assert meta(text)["data-status"] == status
    assert f'<span class="pb-status">{label}</span>' in text
    assert "admonition" not in text


@pytest.mark.site
def test_owner_handle_in_the_status_line(site: Path) -> None:
    assert "(@dana-reyes)" in html(site, "teams/revops")
    assert "(via @sam-okafor)" in html(site, "stages/sql")  # the sales team has no GitHub team


@pytest.mark.site
def test_dashboard_page_and_nav(site: Path) -> None:
    text = html(site, "freshness")
    assert '<h1 id="freshness">Freshness' in text
    assert ("<td>1</td>\n<td>1</td>\n<td>2</td>\n<td>5</td>\n<td>9</td>") in text  # the overall counts
    assert ('<span class="pb-badge" data-status="overdue" data-due="2026-04-01" data-soon="2026-03-18">'
            "Overdue for review</span>") in text
    attention = text[text.index('<h2 id="needs-attention">'):text.index('<h2 id="by-owner">')]
    assert attention.index("Sales qualified lead") < attention.index("MQL follow-up")  # oldest due date first
    assert text.count(">Sales qualified lead</a>") == 1  # each record listed once, not by owner and by collection
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link"', html(site, "."))
    assert links[-1] == "freshness/"
    assert links.index("freshness/") > links.index("people/")


@pytest.mark.site
def test_assets_are_linked_and_labels_agree(site: Path) -> None:
    text = html(site, "stages/sql")
    assert "assets/playbook/playbook.js" in text and "assets/playbook/playbook.css" in text
    script = (ASSETS / "playbook.js").read_text()
    for status, label in LABELS.items():
        key = f'"{status}"' if "-" in status else status
        assert f'{key}: "{label}"' in script
