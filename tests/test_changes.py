"""What readers see of the history: the page, record marks, the feed (read by feedparser),
playbook.json, `playbook changes`, the weekly digest; for internal and partner builds."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

import feedparser
import jsonschema
import pytest

from generator.cli import main
from generator.history import changelog
from generator.site import export
from generator.site.site import Options, generate
from tests.chat_server import chat
from tests.conftest import build_site
from tests.history_repo import commit, scripted_repo

from .conftest import edit_file

TODAY = date(2026, 3, 20)
REPO_URL = "https://github.com/example/playbook"
SECRETS = ("SECRET", "secretstage", "secretrival", "open-rival", "Open Rival", "Hidden stage")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scripted_repo(tmp_path_factory.mktemp("changes"))[0]


def tree(repo: Path, audience: str = "internal", today: date = TODAY, window: int = 14) -> dict[str, str]:
    return generate(repo, today, audience, Options(window=window, repo_url=REPO_URL,
                                                   site_url="https://playbook.example/")).pages


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


# ---------------------------------------------------------------------------
# The page


def test_the_page_lists_weeks_newest_first_with_reviews_apart(repo: Path) -> None:
    page = tree(repo)["changes.md"]
    weeks = [line for line in page.splitlines() if line.startswith("## ")]
    assert weeks == ["## At a glance", "## Week of 16 March 2026", "## Week of 9 March 2026",
                     "## Week of 2 March 2026", "## Week of 5 January 2026"]
    week2 = page.split("## Week of 2 March 2026")[1].split("## Week of 5 January")[0]
    headlines = [line for line in week2.splitlines() if line.startswith("**")]
    assert headlines == [
        "**[MQL follow-up](slas/mql-first-call.md)** · Service-level agreement renamed (was `mql-follow-up`) · "
        f"4 March 2026 · Dana Reyes · [commit {headlines[0].split('commit ')[1][:7]}]"
        f"({REPO_URL}/commit/{headlines[0].split('/commit/')[1][:40]})",
        "**[Marketing qualified lead](stages/mql.md)** · Lifecycle stage changed · 3 March 2026 · Sam Ortiz · "
        + headlines[1].split("Sam Ortiz · ")[1],
        "**[Marketing qualified lead](stages/mql.md)** · Lifecycle stage changed · 2 March 2026 · Dana Reyes · "
        f"[pull request #3]({REPO_URL}/pull/3)",
        "**[Sales qualified lead](stages/sql.md)** · Lifecycle stage added · 2 March 2026 · Dana Reyes · "
        f"[pull request #3]({REPO_URL}/pull/3)",
        "**Reviewed, no change:**",
    ]
    assert "- **Entry criteria**: added “Behaviour score of 70 points or more”; removed “Behaviour score of 60 " \
           "points or more”" in week2
    reviewed = week2.split("**Reviewed, no change:**")[1]
    assert "- [Sales](teams/sales.md) (Team), 5 March 2026 · Dana Reyes" in reviewed
    # The Sales team's record is owned by Dana Reyes, of Revenue operations: its changes are RevOps'.
    assert '<div class="pb-change" data-collection="teams" data-team="revops" data-kind="reviewed" ' \
           'data-date="2026-03-05" markdown>' in reviewed
    assert '<option value="sales">Sales</option>' in page and '<option value="stages">Lifecycle stages</option>' in page


def test_the_partner_page_shows_none_of_the_internal_changes(repo: Path) -> None:
    pages = tree(repo, "partner")
    for path, text in pages.items():
        for secret in SECRETS:
            assert secret not in text, (path, secret)
    page = pages["changes.md"]
    assert "Dana Reyes ·" not in page and "/commit/" not in page  # authors and commits: internal builds only
    assert "**[Sales qualified lead](stages/sql.md)** · Lifecycle stage changed · 9 March 2026\n" in page
    assert "- **Next stages**: removed *withheld*" in page


def test_a_record_page_shows_its_last_real_change_and_its_own_history(repo: Path) -> None:
    sla = tree(repo)["slas/mql-first-call.md"]
    assert ("**Changed on 16 March 2026:** Applies to stages: removed Hidden stage SECRETSTAGETITLE "
            r"\(stages/secretstage\); References lost: Hidden stage SECRETSTAGETITLE \(stages/secretstage\) · "
            "[all changes](#history)") in sla
    history = sla.split("## History")[1]
    assert [line.split(" · ")[0] for line in history.splitlines() if line.startswith("- ")] == [
        "- **16 March 2026**: changed", "- **4 March 2026**: renamed (was `mql-follow-up`)",
        "- **5 January 2026**: added"]  # its changes under its earlier id too
    sales = tree(repo)["teams/sales.md"]
    assert "Changed on 5 January 2026" in sales  # the review-only change of 5 March is not its last change


def test_a_record_page_counts_housekeeping_changes_instead_of_listing_them(repo: Path, tmp_path: Path) -> None:
    # SQL's change of 9 March moved it in the funnel (order: the collection's sort field).
    pages = tree(repo)
    sql = pages["stages/sql.md"]
    assert "**Changed on 9 March 2026:** 1 housekeeping change · [all changes](#history)" in sql
    history = sql.split("## History")[1]
    assert "    - *1 housekeeping change*\n" in history and "Order in the funnel" not in history
    assert "- **Order in the funnel**: 3 → 4" in pages["changes.md"]  # What changed still lists it
    rival = pages["competitors/open-rival.md"]  # narrowed to internal on 17 March: its audience only
    assert "**Changed on 17 March 2026:** 1 housekeeping change · [all changes](#history)" in rival
    # A change to content and housekeeping at once names the fields by their schema titles.
    root, _ = scripted_repo(tmp_path)
    edit_file(root / "content/stages/sql.yaml", "order: 4", "order: 5")
    edit_file(root / "content/stages/sql.yaml", "a real opportunity.", "a real deal.")
    commit(root, "SQL: a deal, and later in the funnel", "2026-03-19T10:00:00+00:00")
    sql = tree(root)["stages/sql.md"]
    assert ("**Changed on 19 March 2026:** Definition: “A lead sales has spoken to and confirmed as a real "
            "opportunity.” → “A lead sales has spoken to and confirmed as a real deal.”; and 1 housekeeping "
            "change · [all changes](#history)") in sql
    history = sql.split("## History")[1]
    assert ("    - **Definition**: “A lead sales has spoken to and confirmed as a real opportunity.” → “A lead "
            "sales has spoken to and confirmed as a real deal.”\n    - *1 housekeeping change*\n") in history


def test_marks_use_the_builds_today_and_window(repo: Path) -> None:
    stages = tree(repo)["stages/index.md"]
    assert "| [Sales qualified lead](sql.md) <span class=\"pb-mark pb-mark-changed\"" in stages
    assert "| [Marketing qualified lead](mql.md) <span class=\"pb-mark pb-mark-changed\"" in stages
    assert "pb-mark-new" not in stages  # SQL was added on 2 March: more than 14 days before 20 March
    early = tree(repo, today=date(2026, 3, 4))["stages/index.md"]
    assert "| [Sales qualified lead](sql.md) <span class=\"pb-mark pb-mark-new\" title=\"new in the last 14 " \
           "days\">new</span>" in early
    wide = tree(repo, window=30)["stages/index.md"]
    assert "| [Sales qualified lead](sql.md) <span class=\"pb-mark pb-mark-new\"" in wide
    later = tree(repo, today=date(2026, 6, 1))
    assert "pb-mark" not in later["stages/index.md"] and "## Recently changed" not in later["index.md"]


def test_the_home_page_lists_recent_changes(repo: Path) -> None:
    home = tree(repo)["index.md"].split("## Recently changed")[1]
    assert [line.split(":")[0] for line in home.splitlines() if line.startswith("- ")] == [
        '- [Marketing qualified lead](stages/mql.md) <span class="pb-mark pb-mark-changed" title="changed in '
        'the last 14 days">changed</span>',
        '- [Open Rival Ltd](competitors/open-rival.md) <span class="pb-mark pb-mark-changed" title="changed in '
        'the last 14 days">changed</span>',
        '- [MQL follow-up](slas/mql-first-call.md) <span class="pb-mark pb-mark-changed" title="changed in the '
        'last 14 days">changed</span>',
        '- [SECRETRIVALTITLE Systems](competitors/secretrival.md) <span class="pb-mark pb-mark-changed" '
        'title="changed in the last 14 days">changed</span>',
        '- [Sales qualified lead](stages/sql.md) <span class="pb-mark pb-mark-changed" title="changed in the '
        'last 14 days">changed</span>',
    ]


def test_without_history_the_page_says_so(tmp_path: Path, repo: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    page = tree(shallow)["changes.md"]
    assert page == ("# What changed\n\n!!! info \"History unavailable\"\n    The change history could not be read "
                    "for this build: the repository is a shallow clone, so its history is incomplete; check it "
                    "out with its full history \\(fetch-depth: 0\\).\n")


# ---------------------------------------------------------------------------
# The feed and playbook.json


def test_the_feed_lists_the_changes_newest_first_with_their_dates(repo: Path) -> None:
    built = generate(repo, TODAY, "internal", Options(repo_url=REPO_URL, site_url="https://playbook.example/",
                                                      site_name="Fixture playbook"))
    parsed = feedparser.parse(built.files["changes.xml"])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Fixture playbook: what changed"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": "https://playbook.example/changes.xml", "alternate": "https://playbook.example/changes/"}
    first = parsed.entries[0]
    assert (first.title, first.link, first.updated, first.author) == (
        "Lifecycle stage changed: Marketing qualified lead", "https://playbook.example/stages/mql/",
        "2026-03-18T10:00:00Z", "Dana Reyes")
    assert first.content[0].value == "<ul><li>Summary: set to “Ready for a sales call.”</li></ul>"
    days = [e.updated[:10] for e in parsed.entries]
    assert days == sorted(days, reverse=True)
    assert len(parsed.entries) == 23
    fix = next(e for e in parsed.entries if e.title == "Lifecycle stage changed: Sales qualified lead")
    assert fix.updated == "2026-03-09T12:00:00Z"  # the day of the fix, not of the broken commit


def test_the_partner_feed_has_none_of_the_internal_changes(repo: Path) -> None:
    built = generate(repo, TODAY, "partner", Options(site_url="https://playbook.example/"))
    raw = built.files["changes.xml"].decode()
    for secret in (*SECRETS, "Sam Ortiz", "<name>Dana Reyes</name>"):  # Dana is a public record, not an author
        assert secret not in raw
    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries][:3] == [
        "Lifecycle stage changed: Marketing qualified lead", "Lifecycle stage changed: Marketing qualified lead",
        "Service-level agreement changed: MQL follow-up"]
    assert len(parsed.entries) == 16


def test_playbook_json_lists_recent_changes(repo: Path) -> None:
    built = generate(repo, TODAY, "partner", Options(repo_url=REPO_URL))
    data = export.export(built.playbook, TODAY, "partner", built.changes)
    jsonschema.validate(data, json.loads(export.SCHEMA.read_text()))
    assert [(c["date"], c["kind"], c["collection"], c["id"]) for c in data["changes"]] == [
        ("2026-03-18", "changed", "stages", "mql"),
        ("2026-03-16", "changed", "stages", "mql"),
        ("2026-03-16", "changed", "slas", "mql-first-call"),
        ("2026-03-11", "changed", "stages", "mql"),
        ("2026-03-10", "changed", "stages", "mql"),
        ("2026-03-09", "changed", "stages", "sql"),
    ]
    assert data["changes"][-1] == {
        "date": "2026-03-09", "time": "2026-03-09T12:00:00+00:00", "commit": data["changes"][-1]["commit"],
        "pull_request": None, "author": None, "kind": "changed", "collection": "stages", "id": "sql",
        "previous_id": None, "title": "Sales qualified lead", "page": "stages/sql/", "team": "sales",
        "summary": ["Order in the funnel: 3 → 4"], "url": None,
    }


# ---------------------------------------------------------------------------
# playbook changes


def test_changes_since_a_date_as_text(repo: Path) -> None:
    status, out = run("changes", "--root", str(repo), "--since", "2026-03-17", "--today", "2026-03-20")
    assert status == 0
    assert out == (
        "2026-03-18  Lifecycle stage changed: Marketing qualified lead  (Dana Reyes, "
        f"{out.split('Dana Reyes, ')[1][:7]})\n"
        "    Summary: set to “Ready for a sales call.”\n"
        "2026-03-17  Competitor note changed: Open Rival Ltd  (Dana Reyes, "
        f"{out.split('Dana Reyes, ')[2][:7]})\n"
        "    Audience: removed (was “partner”)\n")


def test_changes_since_a_revision_as_json_for_a_partner(repo: Path) -> None:
    status, out = run("changes", "--root", str(repo), "--since", "HEAD~2", "--format", "json",
                      "--audience", "partner", "--today", "2026-03-20")
    assert status == 0
    data = json.loads(out)
    assert (data["available"], data["audience"]) == (True, "partner")
    assert [(c["kind"], c["id"], c["summary"]) for c in data["changes"]] == [
        ("changed", "mql", ["Summary: set to “Ready for a sales call.”"]),
    ]


def test_changes_as_markdown(repo: Path) -> None:
    status, out = run("changes", "--root", str(repo), "--since", "2026-03-05", "--format", "markdown")
    assert status == 0
    assert out.startswith("## Playbook changes\n\n- **Lifecycle stage changed: Marketing qualified lead** — "
                          "2026-03-18 · Dana Reyes · pull request #7\n")
    assert out.endswith("\nReviewed, no change: Sales (2026-03-05).\n")


def test_changes_since_an_unknown_revision_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("changes", "--root", str(repo), "--since", "no-such-branch") == (2, "")
    assert capsys.readouterr().err == "playbook: error: not a commit in this repository: 'no-such-branch'\n"
    assert run("changes", "--root", str(repo), "--since=--all") == (2, "")
    assert capsys.readouterr().err == "playbook: error: not a revision: '--all'\n"


# ---------------------------------------------------------------------------
# The weekly digest


def test_digest_of_a_week_posts_to_slack_and_teams(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    with chat([(200, {})]) as (slack, slack_log), chat([(202, {})]) as (teams, teams_log):
        monkeypatch.setenv("PLAYBOOK_SLACK_WEBHOOK", slack)
        monkeypatch.setenv("PLAYBOOK_TEAMS_WEBHOOK", teams)
        monkeypatch.setenv("PLAYBOOK_SITE_URL", "https://playbook.example")
        status, out = run("digest", "--root", str(repo), "--today", "2026-03-09", "--summary", str(summary))
    assert (status, out) == (0, "")
    assert capsys.readouterr().err == ("playbook digest: posted 5 changes to slack\n"
                                       "playbook digest: posted 5 changes to teams\n")
    text = summary.read_text()
    assert text.startswith("## Playbook changes, 2 March to 8 March 2026\n\n")
    assert text.endswith("\nReviewed, no change: Sales (2026-03-05).\n")
    payload = json.loads(slack_log.requests[0][2])
    assert payload["text"] == "Playbook changes, 2 March to 8 March 2026"  # the page's title (one format)
    lines = payload["blocks"][1]["text"]["text"].splitlines()
    assert lines == [
        "• <https://playbook.example/slas/mql-first-call/|Service-level agreement renamed: MQL follow-up (id "
        "mql-follow-up → mql-first-call) (4 Mar, Dana Reyes)>",
        "• <https://playbook.example/stages/mql/|Lifecycle stage changed: Marketing qualified lead (3 Mar, "
        "Sam Ortiz)>",
        "    Entry criteria: added “Behaviour score of 70 points or more”; removed “Behaviour score of 60 "
        "points or more”",
        "• <https://playbook.example/stages/mql/|Lifecycle stage changed: Marketing qualified lead (2 Mar, "
        "Dana Reyes)>",
        "    Next stages: added Sales qualified lead (stages/sql)",
        "    References gained: Sales qualified lead (stages/sql)",
        "• <https://playbook.example/stages/sql/|Lifecycle stage added: Sales qualified lead (2 Mar, Dana Reyes)>",
        "    Owner: Sales (teams/sales)",
        "• Reviewed, no change: Sales",
    ]
    assert payload["blocks"][2]["elements"][0]["text"] == (
        "4 changes, 1 review · <https://playbook.example/changes/|What changed>")
    card = json.loads(teams_log.requests[0][2])["attachments"][0]["content"]
    assert card["body"][0]["text"] == r"Playbook changes, 2 March to 8 March 2026"


def test_no_post_in_a_week_without_changes(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with chat([(200, {})]) as (slack, slack_log):
        monkeypatch.setenv("PLAYBOOK_SLACK_WEBHOOK", slack)
        status, out = run("digest", "--root", str(repo), "--today", "2026-02-16")
    assert (status, out) == (0, "## Playbook changes, 9 February to 15 February 2026\n\nNo changes.\n")
    assert slack_log.requests == []
    assert capsys.readouterr().err == ("playbook digest: no changes from 2026-02-09 to 2026-02-15; "
                                       "nothing posted\n")


def test_a_refused_post_is_exit_1_with_a_clear_error(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with chat([(403, {})]) as (slack, slack_log):
        monkeypatch.setenv("PLAYBOOK_SLACK_WEBHOOK", slack)
        monkeypatch.delenv("PLAYBOOK_TEAMS_WEBHOOK", raising=False)
        status, _ = run("digest", "--root", str(repo), "--today", "2026-03-16")
    assert status == 1
    assert len(slack_log.requests) == 1
    err = capsys.readouterr().err
    assert err == ("playbook digest: error: the Slack webhook refused the message (HTTP 403: invalid_payload); "
                   "check the webhook URL secret and the payload\n")
    assert slack not in err


def test_the_partner_digest_has_none_of_the_internal_changes(repo: Path) -> None:
    log = changelog.load(repo, TODAY, "partner")
    message = changelog.digest(log, date(2026, 3, 9), date(2026, 3, 19), site_url=None)
    assert message is not None
    text = json.dumps([message.title, [(i.text, i.url, i.details) for i in message.items]], ensure_ascii=False)
    for secret in (*SECRETS, "Dana Reyes", "Sam Ortiz"):
        assert secret not in text
    assert [i.text for i in message.items] == [
        "Lifecycle stage changed: Marketing qualified lead (18 Mar)",
        "Lifecycle stage changed: Marketing qualified lead (16 Mar)",
        "Service-level agreement changed: MQL follow-up (16 Mar)",
        "Lifecycle stage changed: Marketing qualified lead (11 Mar)",
        "Lifecycle stage changed: Marketing qualified lead (10 Mar)",
        "Lifecycle stage changed: Sales qualified lead (9 Mar)",
    ]


# ---------------------------------------------------------------------------
# The real site


@pytest.mark.site
def test_partner_site_holds_no_internal_change_and_links_the_feed(repo: Path, tmp_path: Path) -> None:
    site = build_site(repo, today="2026-03-20", audience="partner", site=tmp_path / "site")
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".md"):
            text = path.read_text(encoding="utf-8")
            for secret in SECRETS:
                assert secret not in text, (path, secret)
    changes = (site / "changes/index.html").read_text()
    assert '<div class="pb-change" data-collection="stages" data-date="2026-03-09" data-kind="changed" ' \
           'data-team="sales">' in changes
    assert '<link rel="alternate" type="application/atom+xml" href="../changes.xml" ' \
           'title="What changed in the playbook">' in changes
    home = (site / "index.html").read_text()
    assert '<link rel="alternate" type="application/atom+xml" href="changes.xml"' in home
    assert not feedparser.parse((site / "changes.xml").read_bytes()).bozo
    data = json.loads((site / "playbook.json").read_text())
    assert [c["id"] for c in data["changes"]] == ["mql", "mql", "mql-first-call", "mql", "mql", "sql"]


def test_a_long_history_shows_whole_recent_weeks_on_the_page(repo: Path) -> None:
    log = changelog.load(repo, TODAY)
    log.page_limit = 4  # the 4th newest change is in the week of 16 March
    assert [monday.isoformat() for monday, _, _ in log.weeks(log.page_limit)] == ["2026-03-16"]
    assert [monday.isoformat() for monday, _, _ in log.weeks(8)] == ["2026-03-16", "2026-03-09"]
    assert log.shortened


def test_a_value_xml_cannot_carry_leaves_the_feed_well_formed(tmp_path: Path) -> None:
    """U+FFFE and U+FFFF pass check (YAML escapes them); the feed drops them (issue 24 item 8)."""
    root = scripted_repo(tmp_path)[0]
    mql = root / "content/stages/mql.yaml"
    edit_file(mql,
        "summary: Ready for a sales call.", 'summary: "Ready\\uFFFE for\\uFFFF a call."')
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "Odd characters"], check=True,
                   env={"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "A",
                        "GIT_COMMITTER_EMAIL": "a@b", "GIT_AUTHOR_DATE": "2026-03-19T10:00:00+00:00",
                        "GIT_COMMITTER_DATE": "2026-03-19T10:00:00+00:00", "PATH": "/usr/bin:/bin"})
    assert run("check", "--root", str(root))[0] == 0
    document = changelog.atom(changelog.load(root, TODAY), site_name="Fixture", site_url=None)
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert "Summary: “Ready for a sales call.” → “Ready for a call.”" in parsed.entries[0].content[0].value


def test_one_week_of_many_changes_still_makes_a_bounded_page_and_export(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page and playbook.json list at most their limit, even inside one week, and say how
    many are left out (issue 24 item 10: a week of 10,053 changes made a 3.4 MB page)."""
    monkeypatch.setattr(changelog, "PAGE_LIMIT", 2)
    monkeypatch.setattr(export, "EXPORT_LIMIT", 3)
    log = changelog.load(repo, TODAY)
    assert [(monday.isoformat(), len(real) + len(reviewed)) for monday, real, reviewed in log.weeks(2)] == [
        ("2026-03-16", 2)]  # the week of 16 March holds 5 changes
    page = tree(repo)["changes.md"]
    assert page.count('<div class="pb-change" ') == 2
    omitted = len(log.items) - 2
    assert f"{omitted} older changes are not listed here: each record's page lists its own at the bottom, " \
           'under "History".' in page
    data = export.export(log.playbook, TODAY, "internal", log)
    assert (len(data["changes"]), data["changes_omitted"]) == (3, 7)  # 10 changes from 7 to 20 March
    jsonschema.validate(data, json.loads(export.SCHEMA.read_text()))


def test_the_commit_that_brings_the_playbook_in_marks_no_record_new(tmp_path: Path) -> None:
    """Issue 20: importing (or replacing) the whole playbook in one commit is not news; what
    changes afterwards is. A small commit adding records to a small playbook still marks them."""
    import shutil

    from tests.history_repo import FIXTURES as HISTORY_FIXTURES
    from tests.history_repo import commit, git, write

    root = tmp_path / "playbook"
    shutil.copytree(HISTORY_FIXTURES / "basic", root)
    git(root, "init", "-q", "-b", "main")
    person = "title: Person {n}\nowner: revops\nlast_reviewed: 2026-01-10\nrole: Analyst\nteam: revops\n"
    for n in range(10):
        write(root, f"content/people/person-{n}.yaml", person.format(n=n))
    commit(root, "Import the playbook", "2026-03-02T10:00:00+00:00")
    edit_file(root / "content/stages/sql.yaml", "title: Sales qualified lead", "title: Sales-qualified lead")
    commit(root, "Retitle SQL", "2026-03-03T10:00:00+00:00")
    write(root, "content/people/person-new.yaml", person.format(n="new"))
    commit(root, "A new analyst", "2026-03-04T10:00:00+00:00")
    log = generate(root, date(2026, 3, 5)).changes
    marks = {key[1]: log.mark(record) for key, record in log.playbook.records.items()}
    assert marks.pop("sql") == "changed" and marks.pop("person-new") == "new"
    assert set(marks.values()) == {None}, marks  # 16 imported records, none marked
    assert len(log.imports) == 1
    small = tmp_path / "small"
    shutil.copytree(HISTORY_FIXTURES / "basic", small)
    git(small, "init", "-q", "-b", "main")
    commit(small, "Import", "2026-03-02T10:00:00+00:00")  # 6 records: fewer than IMPORT_MIN
    small_log = generate(small, date(2026, 3, 5)).changes
    assert {small_log.mark(r) for r in small_log.playbook.records.values()} == {"new"}


def test_the_page_opens_with_a_summary_by_section_and_keeps_older_weeks_behind_a_fold(repo: Path) -> None:
    """Issue 20: what changed this week and this month, by section, first; the last 30 days'
    weeks open, the older ones under "Older changes" (with how many)."""
    page = tree(repo)["changes.md"]
    glance = page.split("## At a glance\n\n")[1].split("\n\n")[0].splitlines()
    assert glance == [
        "| Section | Last 7 days | Last 30 days |",
        "| --- | --- | --- |",
        "| Lifecycle stages | 2: [Marketing qualified lead](stages/mql.md), Hidden stage SECRETSTAGETITLE | 3: "
        "[Marketing qualified lead](stages/mql.md), Hidden stage SECRETSTAGETITLE, [Sales qualified lead]"
        "(stages/sql.md) |",
        "| Service-level agreements | 1: [MQL follow-up](slas/mql-first-call.md) | 1: [MQL follow-up]"
        "(slas/mql-first-call.md) |",
        "| Competitors | 1: [Open Rival Ltd](competitors/open-rival.md) | 2: [Open Rival Ltd]"
        "(competitors/open-rival.md), [SECRETRIVALTITLE Systems](competitors/secretrival.md) |",
    ]  # the reviews of the Sales team and the January import are not changes of the month
    recent, older = page.split('<details class="pb-older" markdown>\n<summary>Older changes (8)</summary>')
    assert "## Week of 2 March 2026" in recent and "## Week of 5 January 2026" not in recent
    assert older.count('data-kind="added"') == 8 and "## Week of 5 January 2026" in older
    partner = tree(repo, "partner")["changes.md"]
    assert "## At a glance" in partner and not any(s in partner for s in SECRETS)


def test_the_weeks_stay_out_of_the_search_index(repo: Path) -> None:
    """The page is found by its title; its weeks are other pages' history. Zensical honours the
    mark too, and refuses to build when one section's text passes its index limit (64 KB: a week
    holding a thousand-record import did, before the weeks were marked)."""
    page = tree(repo)["changes.md"]
    assert page.count('<div class="pb-week" data-search-exclude markdown>') == page.count('class="pb-week"') == 4
