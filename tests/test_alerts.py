"""``playbook alert``: the decisions about the one stale-content issue, carrying them out with gh,
and the workflow that runs it."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.repo import alerts
from generator.repo.alerts import LABEL, TITLE, Decision, Issue, Operation, apply, decide, parse_issues
from generator.repo.stale import MARKER

FIXTURE = Path(__file__).parent / "fixtures" / "fresh"
WORKFLOW = Path(__file__).parent.parent / ".github" / "workflows" / "stale.yml"
TODAY = date(2026, 6, 30)
BODY = f"{MARKER}\nreport\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "playbook"
    shutil.copytree(FIXTURE, target)
    return target


def ops(decision: Decision) -> list[tuple[str, int | None]]:
    return [(op.action, op.number) for op in decision.operations]


def test_create_when_stale_and_no_issue() -> None:
    decision = decide([], True, BODY, TODAY)
    assert (decision.action, decision.issue) == ("create", None)
    assert decision.operations == (Operation("create", title=TITLE, body=BODY),)


def test_leave_when_nothing_changed() -> None:
    same = Issue(7, TITLE, BODY.replace("\n", "\r\n").rstrip())  # GitHub may store CRLF, trims the end
    decision = decide([same], True, BODY, TODAY)
    assert (decision.action, decision.issue, decision.operations) == ("leave", 7, ())


def test_update_when_body_or_title_changed() -> None:
    decision = decide([Issue(7, TITLE, f"{MARKER}\nold report\n")], True, BODY, TODAY)
    assert (decision.action, decision.issue) == ("update", 7)
    assert decision.operations == (Operation("update", 7, TITLE, BODY),)
    assert decide([Issue(7, "Renamed", BODY)], True, BODY, TODAY).action == "update"


def test_close_when_nothing_is_stale() -> None:
    decision = decide([Issue(7, TITLE, BODY)], False, BODY, TODAY)
    assert (decision.action, decision.issue, ops(decision)) == ("close", None, [("close", 7)])
    assert decision.operations[0].reason == "completed"
    assert decision.operations[0].comment == (
        "Nothing in the playbook is overdue for review or needs re-review as of 2026-06-30. "
        "Closing; a new issue opens when something is stale again.")


def test_nothing_to_do_when_nothing_is_stale_and_no_issue() -> None:
    assert decide([], False, BODY, TODAY) == Decision("none", None, ())


def test_duplicates_are_closed_keeping_the_oldest_marked_issue() -> None:
    issues = [Issue(9, TITLE, BODY), Issue(4, "hand-labelled", "no marker"), Issue(6, TITLE, BODY)]
    decision = decide(issues, True, BODY, TODAY)
    assert (decision.action, decision.issue, ops(decision)) == ("leave", 6, [("close", 4), ("close", 9)])
    assert {op.reason for op in decision.operations} == {"not planned"}
    assert decision.operations[0].comment == (
        "Closing as a duplicate of #6: the playbook keeps one open issue labelled stale-content.")


def test_without_a_marked_issue_the_oldest_is_adopted() -> None:
    decision = decide([Issue(5, "x", "by hand"), Issue(3, "y", "by hand")], True, BODY, TODAY)
    assert (decision.action, decision.issue, ops(decision)) == ("update", 3, [("update", 3), ("close", 5)])


def test_several_open_and_nothing_stale_closes_them_all() -> None:
    decision = decide([Issue(5, TITLE, BODY), Issue(3, TITLE, BODY)], False, BODY, TODAY)
    assert ops(decision) == [("close", 3), ("close", 5)]


def test_parse_issues() -> None:
    text = json.dumps([{"number": 3, "title": "t", "body": "b"}, {"number": 4, "title": None, "body": None}])
    assert parse_issues(text) == [Issue(3, "t", "b"), Issue(4, "", "")]
    for bad, message in [("nope", "not JSON"), ("{}", "JSON array"), ('[{"number": "3"}]', "numeric")]:
        with pytest.raises(ValueError, match=message):
            parse_issues(bad)


# ---------------------------------------------------------------------------
# Carrying decisions out: argument lists for gh, never a shell


class FakeGh:
    def __init__(self, labels: list[str] | None = None, issues: list[dict] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.bodies: list[str] = []
        self.labels = labels or []
        self.issues = issues or []

    def __call__(self, argv: list[str]) -> str:
        assert isinstance(argv, list) and all(isinstance(a, str) for a in argv)
        self.calls.append(argv)
        if "--body-file" in argv:
            self.bodies.append(Path(argv[argv.index("--body-file") + 1]).read_text(encoding="utf-8"))
        if argv[:3] == ["gh", "label", "list"]:
            return json.dumps([{"name": n} for n in self.labels])
        if argv[:3] == ["gh", "issue", "list"]:
            return json.dumps(self.issues)
        if argv[:3] == ["gh", "issue", "create"]:
            return "https://github.com/example/playbook/issues/12\n"
        return ""


def test_apply_create_makes_the_label_when_missing() -> None:
    gh = FakeGh(labels=["stale-content-old"])
    hostile = BODY + "$(rm -rf /) `x` ; | & \n"
    done = apply(decide([], True, hostile, TODAY), gh)
    assert gh.calls[0] == ["gh", "label", "list", "--search", LABEL, "--json", "name", "--limit", "100"]
    assert gh.calls[1][:4] == ["gh", "label", "create", LABEL]
    create = gh.calls[2]
    assert create[:7] == ["gh", "issue", "create", "--title", TITLE, "--label", LABEL]
    assert create[7] == "--body-file" and len(create) == 9
    assert gh.bodies == [hostile]
    assert done == ["created https://github.com/example/playbook/issues/12"]


def test_apply_create_keeps_an_existing_label() -> None:
    gh = FakeGh(labels=[LABEL])
    apply(decide([], True, BODY, TODAY), gh)
    assert [c[:3] for c in gh.calls] == [["gh", "label", "list"], ["gh", "issue", "create"]]


def test_apply_update_and_close() -> None:
    gh = FakeGh()
    issues = [Issue(3, "x", "old"), Issue(5, TITLE, f"{MARKER}\nold report")]
    done = apply(decide(issues, True, BODY, TODAY), gh)
    assert gh.calls == [
        ["gh", "issue", "edit", "5", "--title", TITLE, "--body-file", gh.calls[0][-1]],
        ["gh", "issue", "close", "3", "--comment",
         "Closing as a duplicate of #5: the playbook keeps one open issue labelled stale-content.",
         "--reason", "not planned"],
    ]
    assert gh.bodies == [BODY]
    assert done == ["updated #5", "closed #3 (not planned)"]
    assert apply(decide([Issue(5, TITLE, BODY)], True, BODY, TODAY), FakeGh()) == ["left #5 as it was"]
    assert apply(decide([], False, BODY, TODAY), FakeGh()) == ["nothing to do"]


# ---------------------------------------------------------------------------
# The command


def alert(root: Path, *argv: str, today: str = "2026-06-30") -> tuple[int, str]:
    out = io.StringIO()
    code = main(["alert", "--root", str(root), "--today", today, *argv], out)
    return code, out.getvalue()


def test_prints_the_decision_from_an_issue_file(root: Path, tmp_path: Path) -> None:
    issues = tmp_path / "issues.json"
    issues.write_text("[]")
    code, out = alert(root, "--issues", str(issues), "--link-base", "https://github.com/example/playbook/blob/main")
    assert code == 0
    decision = json.loads(out)
    assert (decision["action"], decision["issue"]) == ("create", None)
    body = decision["operations"][0]["body"]
    assert body.startswith(MARKER + "\n## Playbook review report, 2026-06-30\n")
    assert "### Sales: @sam-okafor (via sam-okafor)" in body
    assert "(https://github.com/example/playbook/blob/main/content/stages/sql.yaml)" in body
    issues.write_text(json.dumps([{"number": 8, "title": TITLE, "body": body}]))
    code, out = alert(root, "--issues", str(issues), today="2026-06-30")
    assert json.loads(out)["action"] == "update"  # the body had links; this one has none


def test_closes_when_the_content_is_reviewed(root: Path, tmp_path: Path) -> None:
    # reviewing sql makes what names it (mql, the SQL hand-off) drift: review them the same day
    for file in ("content/stages/sql.yaml", "content/stages/mql.yaml", "content/slas/mql-follow-up.yaml",
                 "content/slas/sql-hand-off.yaml"):
        path = root / file
        path.write_text(re.sub(r"last_reviewed: \S+", "last_reviewed: 2026-06-25", path.read_text()))
    issues = tmp_path / "issues.json"
    issues.write_text(json.dumps([{"number": 8, "title": TITLE, "body": BODY}]))
    code, out = alert(root, "--issues", str(issues))
    assert code == 0
    assert json.loads(out) == {"action": "close", "issue": None, "operations": [{
        "action": "close", "number": 8, "reason": "completed",
        "comment": "Nothing in the playbook is overdue for review or needs re-review as of 2026-06-30. "
                   "Closing; a new issue opens when something is stale again."}]}


def test_apply_through_gh(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gh = FakeGh(labels=[LABEL], issues=[{"number": 8, "title": TITLE, "body": "old"}])
    monkeypatch.setattr(alerts, "run_gh", gh)
    monkeypatch.setattr(alerts.shutil, "which", lambda name: "/usr/bin/gh")
    code, out = alert(root, "--apply")
    assert (code, out) == (0, "playbook alert: updated #8\n")
    assert gh.calls[0][:3] == ["gh", "issue", "list"] and gh.calls[1][:4] == ["gh", "issue", "edit", "8"]
    assert gh.bodies[0].startswith(MARKER)


def test_gh_failures_and_missing_gh(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(argv: list[str]) -> str:
        raise RuntimeError("gh issue edit failed (1): HTTP 403")

    monkeypatch.setattr(alerts, "run_gh", broken)
    monkeypatch.setattr(alerts.shutil, "which", lambda name: None)
    assert alert(root)[0] == 2  # no gh: a usage error
    monkeypatch.setattr(alerts.shutil, "which", lambda name: "/usr/bin/gh")
    assert alert(root)[0] == 2  # cannot list the issues


def test_invalid_playbook_never_closes_the_issue(root: Path, tmp_path: Path) -> None:
    (root / "content/stages/sql.yaml").write_text("title: x\n")
    issues = tmp_path / "issues.json"
    issues.write_text(json.dumps([{"number": 8, "title": TITLE, "body": BODY}]))
    code, out = alert(root, "--issues", str(issues))
    assert code == 1 and "content/stages/sql.yaml:1:1: error:" in out and "close" not in out


# ---------------------------------------------------------------------------
# The workflow only runs the command, with the least permissions


def test_workflow_is_least_privilege_and_pinned() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML 1.1 reads the key "on" as true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert flow["permissions"] == {}
    job = flow["jobs"]["alert"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert isinstance(job["timeout-minutes"], int)
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses)
    assert next(s for s in job["steps"] if "checkout" in s.get("uses", ""))["with"] == {
        "persist-credentials": False}
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert all("${{" not in r for r in runs)
    alert_step = job["steps"][-1]
    assert alert_step["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert alert_step["run"] == 'playbook alert --apply --link-base "$LINK_BASE"'
