"""History scoping is one rule with today's (issue 21): a differential test over a scripted history
through every kind of confidentiality mark (tests/history_repo.py, ``marks_repo``). For each
audience, no text hidden from it at the time of a change or today reaches any output made from
the history: ``playbook changes`` (text, Markdown, JSON), the feed, the digest (Markdown, Slack,
Teams), ``playbook.json`` and the built site."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.history import changelog, digest, webhook
from generator.history.history import read_history, visible
from tests.conftest import build_site
from tests.history_repo import (
    HIDDEN_FROM_PARTNER,
    HIDDEN_FROM_PUBLIC,
    SHOWN_TO_INTERNAL,
    commit,
    edit,
    marks_repo,
)

TODAY = date(2026, 4, 30)
HIDDEN = {"internal": (), "partner": HIDDEN_FROM_PARTNER, "public": HIDDEN_FROM_PUBLIC}


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return marks_repo(tmp_path_factory.mktemp("marks"))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def outputs(root: Path, audience: str) -> dict[str, str]:
    """Every text made from the history for ``audience``, by name."""
    found: dict[str, str] = {}
    for form in ("text", "markdown", "json"):
        status, found[f"changes {form}"] = run("changes", "--root", str(root), "--audience", audience,
                                               "--today", TODAY.isoformat(), "--format", form)
        assert status == 0
    status, found["export"] = run("export", "--root", str(root), "--audience", audience, "--out", "-",
                                  "--today", TODAY.isoformat())
    assert status == 0
    log = changelog.load(root, TODAY, audience)
    found["feed"] = changelog.atom(log, site_name="Fixture", site_url="https://playbook.example/").decode()
    message = changelog.digest(log, date(2026, 4, 1), date(2026, 4, 29), site_url="https://playbook.example/")
    assert message is not None
    found["slack"] = json.dumps(webhook.slack_payload(message), ensure_ascii=False)
    found["teams"] = json.dumps(webhook.teams_payload(message), ensure_ascii=False)
    found["digest"] = digest.run(root, date(2026, 4, 21), {}, audience=audience, post=False).markdown
    return found


def test_every_commit_of_the_scripted_history_is_valid(marks: tuple[Path, dict[str, str]]) -> None:
    history = read_history(marks[0], cache=False)
    assert [(e.subject, e.problems) for e in history.entries if not e.valid] == []
    # A schema marking a field and a page's front matter change no record.
    assert [e.commit for e in history.entries] == [
        c for name, c in marks[1].items() if name not in ("field-narrowed", "page-narrowed")]


def test_the_reported_case_list_items_marked_internal(marks: tuple[Path, dict[str, str]]) -> None:
    """A list field whose items carry ``"x-audience": "internal"``: partners never see the items,
    neither in `playbook changes` nor in playbook.json's `changes` (issue 21, verified leak)."""
    root = marks[0]
    _, internal = run("changes", "--root", str(root), "--today", TODAY.isoformat())
    assert "    Code names: added “CODEITEMTWO”" in internal
    assert "    Code names: reordered" in internal
    assert "    Code names: removed “CODEITEMONE”" in internal
    _, partner = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "Code names" not in partner and "CODEITEM" not in partner
    _, exported = run("export", "--root", str(root), "--audience", "partner", "--out", "-",
                      "--today", TODAY.isoformat())
    assert "CODEITEM" not in json.dumps(json.loads(exported)["changes"], ensure_ascii=False)


@pytest.mark.parametrize("audience", ["internal", "partner", "public"])
def test_no_hidden_text_reaches_any_output_of_the_history(marks: tuple[Path, dict[str, str]],
                                                          audience: str) -> None:
    found = outputs(marks[0], audience)
    leaks = [(name, secret) for name, text in found.items() for secret in HIDDEN[audience] if secret in text]
    assert leaks == []
    if audience == "internal":  # the same outputs do hold every marker for internal readers
        assert [s for s in SHOWN_TO_INTERNAL if s not in found["changes text"]] == []


def test_partners_see_what_they_saw_then_and_still_see(marks: tuple[Path, dict[str, str]]) -> None:
    shown = [(s.entry.day.isoformat(), s.view.kind, "/".join(s.current), s.view.lines)
             for s in visible(read_history(marks[0], cache=False), "partner") if s.entry.day.day > 1]
    assert shown == [
        # The pricing notes widened: their value from then on, never the one they had while internal.
        ("2026-04-10", "changed", "competitors/open-rival", ("**Pricing notes**: set to “List price on request.”",)),
        # A stage renamed, then narrowed: every reference to it is withheld, at every time.
        ("2026-04-13", "changed", "stages/mql", ("**Next stages**: added *withheld*",
                                                 "**References gained**: *withheld*")),
        ("2026-04-14", "changed", "stages/mql", ("**Next stages**: added *withheld*; removed *withheld*",
                                                 "**References gained**: *withheld*",
                                                 "**References lost**: *withheld*")),
        # An owner narrowed since.
        ("2026-04-16", "changed", "slas/mql-follow-up", ("**Owner**: Sales (`teams/sales`) → *withheld*",
                                                         "**References gained**: *withheld*")),
        ("2026-04-17", "changed", "slas/mql-follow-up", ("**Owner**: *withheld* → Sales (`teams/sales`)",
                                                         "**References lost**: *withheld*")),
        # A record widened: added on the day it was widened, none of its past.
        ("2026-04-19", "added", "competitors/secretrival", ("**Owner**: Sales (`teams/sales`)",
                                                            "**Last reviewed**: 2026-03-01")),
        ("2026-04-20", "changed", "stages/mql", ("**Next stages**: removed *withheld*",)),
        ("2026-04-20", "changed", "slas/mql-follow-up", ("**Applies to stages**: removed *withheld*",
                                                         "**References lost**: *withheld*")),
    ]


def test_a_record_narrowed_in_the_working_tree_leaves_the_history_at_once(tmp_path: Path) -> None:
    """Today's marks are the playbook being built: an uncommitted narrowing already hides the
    record's history and every reference to it."""
    root, _ = marks_repo(tmp_path)
    edit(root, "content/teams/sales.yaml", "audience: partner\n", "")
    edit(root, "content/slas/mql-follow-up.yaml", "owner: sales", "owner: revops")
    edit(root, "content/competitors/open-rival.yaml", "owner: sales", "owner: revops")
    edit(root, "content/competitors/secretrival.yaml", "owner: sales", "owner: revops")
    _, text = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "Sales (teams/sales)" not in text and "Team added: Sales" not in text
    assert "Owner: withheld → Revenue operations" not in text  # the change is not committed
    commit(root, "Sales is internal", "2026-04-23T10:00:00+00:00")
    _, text = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "Sales (teams/sales)" not in text
    assert "Owner: withheld → Revenue operations (teams/revops)" in text


def test_a_schema_marking_a_field_today_rescopes_the_cached_history(tmp_path: Path) -> None:
    """The cache holds views scoped with today's schemas: a schema change (committed or not) that
    marks a field hides its past values too."""
    root, _ = marks_repo(tmp_path)
    _, before = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "List price on request" in before
    edit(root, "schemas/competitors.schema.json", '"title": "Pricing notes"',
         '"title": "Pricing notes",\n      "x-audience": "partner"')
    _, same = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "List price on request" in same
    edit(root, "schemas/competitors.schema.json", '"x-audience": "partner"', '"x-audience": "internal"')
    _, after = run("changes", "--root", str(root), "--audience", "partner", "--today", TODAY.isoformat())
    assert "List price on request" not in after and "Pricing notes" not in after


@pytest.mark.site
@pytest.mark.parametrize("audience", ["partner", "public"])
def test_the_built_site_holds_no_hidden_text(marks: tuple[Path, dict[str, str]], tmp_path: Path,
                                             audience: str) -> None:
    site = build_site(marks[0], today=TODAY.isoformat(), audience=audience, site=tmp_path / "site")
    leaks = [(path.relative_to(site).as_posix(), secret) for path in sorted(site.rglob("*"))
             if path.is_file() and path.suffix in (".html", ".xml", ".json", ".md", ".js")
             for secret in HIDDEN[audience] if secret in path.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []
    assert (site / "changes/index.html").is_file()
