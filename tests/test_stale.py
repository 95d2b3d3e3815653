"""``playbook stale``: the report, each output format, filters and exit statuses."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.repo.stale import MARKER, build_report, format_markdown, md, printable
from generator.rules.project import load_playbook

from .conftest import edit, edit_file

FIXTURE = Path(__file__).parent / "fixtures" / "fresh"
LINK = "https://github.com/example/playbook/blob/main"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "playbook"
    shutil.copytree(FIXTURE, target)
    return target


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def stale(root: Path, *argv: str, today: str = "2026-06-30") -> tuple[int, str]:
    return run("stale", "--root", str(root), "--today", today, *argv)


def test_text_is_a_table_grouped_by_owner(root: Path) -> None:
    code, out = stale(root)
    assert code == 0
    assert out == """\
playbook stale: 2026-06-30: 1 overdue, 1 needs re-review, 2 due soon (9 records checked)

Lee Park (@sam-okafor, via sam-okafor): 1
  Status    Due         Days over  Last reviewed  File                            Id            Title         Reason
  due-soon  2026-07-14             2026-05-15     content/slas/sql-hand-off.yaml  sql-hand-off  SQL hand-off  review due on 2026-07-14

Sales (@sam-okafor, via sam-okafor): 2
  Status   Due         Days over  Last reviewed  File                             Id             Title                 Reason
  overdue  2026-04-01  90         2026-01-01     content/stages/sql.yaml          sql            Sales qualified lead  review was due on 2026-04-01 (90 days ago); re-review: Sales changed on 2026-04-01
  drifted  2026-07-10             2026-06-10     content/slas/mql-follow-up.yaml  mql-follow-up  MQL follow-up         re-review: Marketing qualified lead changed on 2026-06-20

Sam Okafor (@sam-okafor): 1
  Status    Due         Days over  Last reviewed  File                      Id     Title  Reason
  due-soon  2026-06-30             2026-04-01     content/teams/sales.yaml  sales  Sales  review due on 2026-06-30
"""


def test_nothing_to_report(root: Path) -> None:
    code, out = stale(root, "--fail", today="2026-02-01")
    assert code == 0
    assert "0 overdue, 2 need re-review" in out  # drifted records do not fail the run
    code, out = stale(root, "--format", "markdown", "--files", "content/people/dana-reyes.yaml")
    assert out == (f"{MARKER}\n## Playbook review report, 2026-06-30\n\n"
                   "0 overdue, 0 need re-review, 0 due soon (1 record checked).\n\n"
                   "Nothing is overdue, needs re-review or is due soon.\n")


def test_json_is_stable(root: Path) -> None:
    code, out = stale(root, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert {k: v for k, v in report.items() if k != "records"} == {
        "version": 1, "today": "2026-06-30", "due_soon_days": 14, "stale": True,
        "counts": {"overdue": 1, "drifted": 1, "due-soon": 2, "current": 5, "total": 9},
    }
    assert [r["file"] for r in report["records"]] == [
        "content/slas/sql-hand-off.yaml", "content/stages/sql.yaml",
        "content/slas/mql-follow-up.yaml", "content/teams/sales.yaml",
    ]
    assert report["records"][1] == {
        "file": "content/stages/sql.yaml", "collection": "stages", "id": "sql",
        "title": "Sales qualified lead",
        "owner": {"id": "sales", "name": "Sales", "github": "sam-okafor", "via": "sam-okafor",
                  "file": "content/teams/sales.yaml"},
        "status": "overdue", "label": "Overdue for review", "last_reviewed": "2026-01-01",
        "review_days": 90, "due": "2026-04-01", "days_overdue": 90,
        "reason": "review was due on 2026-04-01 (90 days ago); re-review: Sales changed on 2026-04-01",
        "changed": [{"file": "content/teams/sales.yaml", "collection": "teams", "id": "sales",
                     "title": "Sales", "last_reviewed": "2026-04-01"}],
    }


def test_markdown_is_the_issue_body(root: Path) -> None:
    code, out = stale(root, "--format", "markdown", "--link-base", LINK + "/")
    assert code == 0
    assert out == f"""\
<!-- playbook:stale-content -->
## Playbook review report, 2026-06-30

1 overdue, 1 needs re-review, 2 due soon (9 records checked).

Owners: check each record below, update it if anything changed, and set `last_reviewed` to the day you checked it. This issue is updated every week and closed when nothing is overdue or needs re-review.

### Lee Park: @sam-okafor (via sam-okafor)

| Status | Record | File | Last reviewed | Due | Days overdue | Reason |
| --- | --- | --- | --- | --- | --- | --- |
| Review due soon | SQL hand-off | [`content/slas/sql-hand-off.yaml`]({LINK}/content/slas/sql-hand-off.yaml) | 2026-05-15 | 2026-07-14 |  | review due on 2026-07-14 |

### Sales: @sam-okafor (via sam-okafor)

| Status | Record | File | Last reviewed | Due | Days overdue | Reason |
| --- | --- | --- | --- | --- | --- | --- |
| Overdue for review | Sales qualified lead | [`content/stages/sql.yaml`]({LINK}/content/stages/sql.yaml) | 2026-01-01 | 2026-04-01 | 90 | review was due on 2026-04-01 \\(90 days ago\\); re-review: Sales changed on 2026-04-01 |
| Needs re-review | MQL follow-up | [`content/slas/mql-follow-up.yaml`]({LINK}/content/slas/mql-follow-up.yaml) | 2026-06-10 | 2026-07-10 |  | re-review: Marketing qualified lead changed on 2026-06-20 |

### Sam Okafor: @sam-okafor

| Status | Record | File | Last reviewed | Due | Days overdue | Reason |
| --- | --- | --- | --- | --- | --- | --- |
| Review due soon | Sales | [`content/teams/sales.yaml`]({LINK}/content/teams/sales.yaml) | 2026-04-01 | 2026-06-30 |  | review due on 2026-06-30 |
"""


def test_markdown_without_links_and_without_handles(root: Path) -> None:
    edit(root, "content/people/sam-okafor.yaml", "github: sam-okafor\n", "")
    _, out = stale(root, "--format", "markdown")
    assert "### Sales (no GitHub handle)" in out
    assert "| `content/stages/sql.yaml` |" in out


def test_github_annotations(root: Path) -> None:
    code, out = stale(root, "--format", "github")
    assert code == 0
    assert out.splitlines() == [
        "::notice file=content/slas/sql-hand-off.yaml,line=3,col=1::Review due soon: SQL hand-off "
        "(owner Lee Park @sam-okafor): review due on 2026-07-14",
        "::warning file=content/stages/sql.yaml,line=3,col=1::Overdue for review: Sales qualified lead "
        "(owner Sales @sam-okafor): review was due on 2026-04-01 (90 days ago); re-review: Sales changed "
        "on 2026-04-01",
        "::warning file=content/slas/mql-follow-up.yaml,line=3,col=1::Needs re-review: MQL follow-up "
        "(owner Sales @sam-okafor): re-review: Marketing qualified lead changed on 2026-06-20",
        "::notice file=content/teams/sales.yaml,line=3,col=1::Review due soon: Sales "
        "(owner Sam Okafor @sam-okafor): review due on 2026-06-30",
    ]


def test_fail_exits_1_only_when_something_is_overdue(root: Path) -> None:
    assert stale(root, "--fail")[0] == 1
    assert stale(root)[0] == 0
    assert stale(root, "--fail", today="2026-04-01")[0] == 0  # sql is due that day
    assert stale(root, "--fail", today="2026-04-02")[0] == 1


def test_files_limits_the_report(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = stale(root, "--format", "json", "--files", "content/stages/sql.yaml", "README.md",
                   "content/stages/mql.yaml")
    report = json.loads(out)
    assert report["counts"]["total"] == 2
    assert [r["id"] for r in report["records"]] == ["sql"]
    monkeypatch.chdir(root / "content")  # paths relative to the current folder work too
    _, out = stale(root, "--format", "github", "--files", "slas/mql-follow-up.yaml")
    assert out.startswith("::warning file=content/slas/mql-follow-up.yaml,line=3,col=1::")
    assert len(out.splitlines()) == 1


def git(root: Path, *argv: str) -> None:
    subprocess.run(["git", "-C", str(root), *argv], check=True, capture_output=True)


def test_changed_since_a_git_revision(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start")
    sql = root / "content/stages/sql.yaml"
    edit_file(sql, "abbreviation: SQL", "abbreviation: SQL2")
    code, out = stale(root, "--format", "github", "--changed-since", "HEAD")
    assert code == 0
    assert [line.split("::")[1] for line in out.splitlines()] == [
        "warning file=content/stages/sql.yaml,line=3,col=1"]
    assert stale(root, "--changed-since=-x")[0] == 2
    assert stale(root, "--changed-since", "no-such-rev")[0] == 2


def test_invalid_playbook_is_reported_not_judged(root: Path) -> None:
    (root / "content/stages/sql.yaml").write_text("title: Sales qualified lead\nowner: nobody\n")
    code, out = stale(root, "--format", "github")
    assert code == 1
    assert out.startswith("::error file=content/stages/sql.yaml,line=1,col=1::")
    code, out = stale(root, "--format", "markdown")
    assert code == 1 and MARKER not in out


def test_bad_arguments_are_usage_errors(root: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        stale(root, today="2026-02-30")
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        stale(root, "--link-base", "javascript:alert(1)")


# Control characters (ESC, bidi overrides) are refused in titles by ``check`` (see tests/test_project.py);
# markup and line breaks are not.
HOSTILE = 'Steal <script>x</script> | @everyone [x](javascript:alert(1)) red\n# head'


def test_untrusted_titles_are_inert(root: Path) -> None:
    sql = root / "content/stages/sql.yaml"
    edit_file(sql, "title: Sales qualified lead", f"title: {json.dumps(HOSTILE)}")
    _, body = stale(root, "--format", "markdown")
    row = next(line for line in body.splitlines() if line.startswith("| Overdue"))
    assert row.count(" | ") == 6  # the title cannot add a table cell
    assert "<script" not in body and "@everyone" not in body and "](javascript" not in body
    assert md("@everyone") == "@\u200beveryone"
    _, text = stale(root)
    assert "red\\n# head" in text  # written as problems.printable writes it
    _, annotations = stale(root, "--format", "github")
    assert len(annotations.splitlines()) == 4
    assert printable("a\tb") == "a\\tb"
    assert printable("\x1b[31m\u202e\u2028") == "\\x1b[31m\\u202e\\u2028"


def test_markdown_is_cut_to_fit(root: Path) -> None:
    playbook, _ = load_playbook(root)
    report = build_report(playbook, date(2026, 6, 30))
    whole = format_markdown(report)
    sam = whole.index("\n### Sam Okafor")
    cut = format_markdown(report, max_chars=sam + 200)  # all but the last owner's section
    assert cut == whole[:sam] + ("\n… and 1 more record, too many for one issue: run `playbook stale` "
                                 "for the full list.\n")
    assert len(cut) <= sam + 200
    for size in range(800, len(whole) + 200, 7):  # never a table heading without a row
        assert "| --- |\n\n" not in format_markdown(report, max_chars=size)
    tiny = format_markdown(report, max_chars=500)
    assert "| Status |" not in tiny and tiny.endswith("… and 4 more records, too many for one issue: run "
                                                       "`playbook stale` for the full list.\n")
    assert format_markdown(report, max_chars=len(whole) + 200) == whole
