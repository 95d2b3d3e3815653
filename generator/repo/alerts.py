"""``playbook alert``: keep exactly one open GitHub issue that lists stale content.

The decision is a pure function of the open issues labelled ``stale-content``
(the JSON of ``gh issue list --label stale-content --state open --json
number,title,body``) and the report of :mod:`generator.repo.stale`:

- something is overdue or needs re-review, no issue open: **create** one;
- one is open: **update** it when its title or body differs, else **leave** it;
- nothing is stale: **close** every open one (with a comment);
- several are open (a race, or a hand-labelled issue): keep the oldest one that
  carries the hidden marker (else the oldest), close the others as duplicates.

The label belongs to this automation: any open issue with it is managed.
Due-soon records are listed in the body but never open an issue on their own.

Without ``--apply`` the command prints the decision as JSON. With it, the
decision is carried out with the ``gh`` CLI (``GH_TOKEN`` and ``GH_REPO`` in the
environment), always as an argument list, never through a shell, and the body
always through ``--body-file``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .stale import MARKER, Report, format_markdown, printable

LABEL = "stale-content"
TITLE = "Playbook content due for review"
MAX_BODY = 60_000  # GitHub refuses an issue body over 65,536 characters
LABEL_COLOR = "d93f0b"
LABEL_DESCRIPTION = "Playbook records that are overdue for review or need re-review (managed by CI)"


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str

    @property
    def marked(self) -> bool:
        return MARKER in self.body


@dataclass(frozen=True)
class Operation:
    action: str  # create | update | close
    number: int | None = None
    title: str | None = None
    body: str | None = None
    comment: str | None = None
    reason: str | None = None  # for close: completed | not planned


@dataclass(frozen=True)
class Decision:
    action: str  # create | update | leave | close | none: what happens to the one issue
    issue: int | None  # the issue kept (None when created or when none stays open)
    operations: tuple[Operation, ...]

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "issue": self.issue,
                "operations": [{k: v for k, v in asdict(op).items() if v is not None}
                               for op in self.operations]}


def parse_issues(text: str) -> list[Issue]:
    """The JSON list printed by ``gh issue list --json number,title,body``."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the issue list is not JSON: {exc}") from None
    if not isinstance(raw, list):
        raise ValueError("the issue list must be a JSON array")
    issues = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("number"), int):
            raise ValueError("each issue must be an object with a numeric 'number'")
        issues.append(Issue(item["number"], str(item.get("title") or ""), str(item.get("body") or "")))
    return issues


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def decide(issues: list[Issue], stale: bool, body: str, today: date, title: str = TITLE) -> Decision:
    ordered = sorted(issues, key=lambda i: i.number)
    if not stale:
        comment = (f"Nothing in the playbook is overdue for review or needs re-review as of "
                   f"{today.isoformat()}. Closing; a new issue opens when something is stale again.")
        closes = tuple(Operation("close", i.number, comment=comment, reason="completed") for i in ordered)
        return Decision("close" if closes else "none", None, closes)
    if not ordered:
        return Decision("create", None, (Operation("create", title=title, body=body),))
    keep = next((i for i in ordered if i.marked), ordered[0])
    duplicates = tuple(
        Operation("close", i.number, reason="not planned",
                  comment=f"Closing as a duplicate of #{keep.number}: the playbook keeps one open "
                  f"issue labelled {LABEL}.")
        for i in ordered if i is not keep
    )
    if _same(keep.title, title) and _same(keep.body, body):
        return Decision("leave", keep.number, duplicates)
    return Decision("update", keep.number, (Operation("update", keep.number, title, body), *duplicates))


# ---------------------------------------------------------------------------
# Carrying a decision out with gh

Runner = Callable[[list[str]], str]


def gh_installed() -> bool:
    return shutil.which("gh") is not None


def read_issues(source: str, run: Runner, stdin: str | None = None) -> list[Issue]:
    """The open issues: asked of ``gh`` (``source`` is ``"gh"``), or read as JSON from a file or
    ``stdin`` (``"-"``). :class:`ValueError` when they cannot be had."""
    try:
        if source == "gh":
            return list_issues(run)
        text = (stdin or "") if source == "-" else Path(source).read_text(encoding="utf-8")
        return parse_issues(text)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ValueError(f"cannot read the open {LABEL} issues: {exc}") from None


def run_gh(argv: list[str]) -> str:
    """Run one ``gh`` command (an argument list, no shell); its standard output."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} {argv[1]} {argv[2]} failed ({done.returncode}): "
                           f"{printable(done.stderr.strip())}")
    return done.stdout


def list_issues(run: Runner, label: str = LABEL) -> list[Issue]:
    return parse_issues(run(["gh", "issue", "list", "--label", label, "--state", "open",
                             "--json", "number,title,body", "--limit", "100"]))


def ensure_label(run: Runner, label: str = LABEL) -> None:
    found = json.loads(run(["gh", "label", "list", "--search", label, "--json", "name", "--limit", "100"]))
    if not any(item.get("name") == label for item in found):
        run(["gh", "label", "create", label, "--color", LABEL_COLOR, "--description", LABEL_DESCRIPTION])


def apply(decision: Decision, run: Runner, label: str = LABEL) -> list[str]:
    """Carry the decision out; one line per step done."""
    done = []
    with tempfile.TemporaryDirectory(prefix="playbook-alert-") as folder:
        body_file = Path(folder) / "body.md"
        for op in decision.operations:
            if op.action == "create":
                ensure_label(run, label)
                body_file.write_text(op.body or "", encoding="utf-8")
                url = run(["gh", "issue", "create", "--title", op.title or TITLE, "--label", label,
                           "--body-file", str(body_file)]).strip()
                done.append(f"created {printable(url) or 'the issue'}")
            elif op.action == "update":
                body_file.write_text(op.body or "", encoding="utf-8")
                run(["gh", "issue", "edit", str(op.number), "--title", op.title or TITLE,
                     "--body-file", str(body_file)])
                done.append(f"updated #{op.number}")
            elif op.action == "close":
                run(["gh", "issue", "close", str(op.number), "--comment", op.comment or "",
                     "--reason", op.reason or "completed"])
                done.append(f"closed #{op.number} ({op.reason})")
    if decision.action == "leave":
        done.append(f"left #{decision.issue} as it was")
    return done or ["nothing to do"]


# ---------------------------------------------------------------------------
# From a report


def decision_for(report: Report, issues: list[Issue], link: str | None) -> Decision:
    return decide(issues, report.stale, format_markdown(report, link, MAX_BODY), report.today)
