"""``playbook stale``: the records that are overdue, need re-review or are due soon.

The report lists every record that is not ``current`` (see :mod:`generator.rules.freshness`),
grouped by owner (by name), most urgent first inside a group. It is printed as:

- ``text``: a table per owner, for people;
- ``json``: a stable document for other tools (``"version": 1``);
- ``markdown``: the body of the CI alert issue (see :mod:`generator.repo.alerts`), with
  @-mentions of the owners' GitHub handles and links to the record files;
- ``github``: one workflow annotation per record, on its ``last_reviewed`` line
  (``warning`` when overdue or drifted, ``notice`` when due soon).

The command is :mod:`generator.commands.stale`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..content.model import Playbook
from ..core import escape, problems
from ..core.problems import Problem, format_github
from ..rules.freshness import DUE_SOON_DAYS, LABELS, STATUSES, Freshness, assess_all, urgency
from ..rules.owners import Owner

MARKER = "<!-- playbook:stale-content -->"
NO_OWNER = Owner("", "(no owner)")
COUNT_WORDS = {"overdue": ("overdue", "overdue"), "drifted": ("needs re-review", "need re-review"),
               "due-soon": ("due soon", "due soon")}


@dataclass(frozen=True)
class Report:
    today: date
    listed: tuple[Freshness, ...]  # every record that is not current, in report order
    counts: dict[str, int]  # records per status, over every record considered
    total: int

    @property
    def stale(self) -> bool:
        """Something is overdue or needs re-review: the alert issue should be open."""
        return any(f.stale for f in self.listed)

    @property
    def overdue(self) -> bool:
        return self.counts["overdue"] > 0

    def by_owner(self) -> list[tuple[Owner, list[Freshness]]]:
        groups: dict[str, tuple[Owner, list[Freshness]]] = {}
        for fresh in self.listed:
            owner = fresh.owner or NO_OWNER
            groups.setdefault(owner.id, (owner, []))[1].append(fresh)
        return list(groups.values())


def _owner_key(fresh: Freshness) -> tuple[str, str]:
    return (fresh.owner or NO_OWNER).sort_key


def build_report(playbook: Playbook, today: date, files: Iterable[str] | None = None) -> Report:
    """Assess every record (or only those whose file is in ``files``) at ``today``."""
    wanted = None if files is None else set(files)
    assessed = [f for f in assess_all(playbook, today).values()
                if wanted is None or f.record.file in wanted]
    counts = {status: 0 for status in STATUSES}
    for fresh in assessed:
        counts[fresh.status] += 1
    listed = sorted((f for f in assessed if f.status != "current"), key=lambda f: (_owner_key(f), urgency(f)))
    return Report(today, tuple(listed), counts, len(assessed))


def summary(report: Report) -> str:
    parts = [f"{n} {COUNT_WORDS[s][n != 1]}" for s in STATUSES[:3] for n in [report.counts[s]]]
    checked = "1 record" if report.total == 1 else f"{report.total} records"
    return f"{', '.join(parts)} ({checked} checked)"


# ---------------------------------------------------------------------------
# Formats


def printable(value: object) -> str:
    """Untrusted text for a terminal or a log: :func:`generator.core.problems.printable` (the one rule)."""
    return problems.printable(str(value))


def _owner_text(owner: Owner) -> str:
    handle = f" ({owner.mention}" + (f", via {owner.via})" if owner.via else ")") if owner.github else ""
    return printable(owner.name) + handle


def format_text(report: Report) -> str:
    lines = [f"playbook stale: {report.today.isoformat()}: {summary(report)}"]
    head = ("Status", "Due", "Days over", "Last reviewed", "File", "Id", "Title", "Reason")
    for owner, items in report.by_owner():
        rows = [head] + [
            (f.status, f.due.isoformat(), str(f.days_overdue) if f.status == "overdue" else "",
             f.last_reviewed.isoformat(), f.record.file, f.record.id, printable(f.record.title),
             printable(f.reason))
            for f in items
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
        lines += ["", f"{_owner_text(owner)}: {len(items)}"]
        lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1]
                  for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _owner_json(owner: Owner | None) -> dict[str, Any] | None:
    if owner is None:
        return None
    return {"id": owner.id, "name": owner.name, "github": owner.github, "via": owner.via, "file": owner.file}


def as_json(report: Report) -> dict[str, Any]:
    return {
        "version": 1,
        "today": report.today.isoformat(),
        "due_soon_days": DUE_SOON_DAYS,
        "counts": {**report.counts, "total": report.total},
        "stale": report.stale,
        "records": [
            {
                "file": f.record.file,
                "collection": f.record.collection,
                "id": f.record.id,
                "title": f.record.title,
                "owner": _owner_json(f.owner),
                "status": f.status,
                "label": f.label,
                "last_reviewed": f.last_reviewed.isoformat(),
                "review_days": f.review_days,
                "due": f.due.isoformat(),
                "days_overdue": f.days_overdue,
                "reason": f.reason,
                "changed": [
                    {"file": other.file, "collection": other.collection, "id": other.id,
                     "title": other.title, "last_reviewed": when.isoformat()}
                    for other, when in f.changed
                ],
            }
            for f in report.listed
        ],
    }


def format_json(report: Report) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"


def md(value: object) -> str:
    """Untrusted text for a GitHub issue: inert Markdown, and no accidental @-mentions."""
    return str(escape.inline(value)).replace("@", "@\u200b")


def _file_cell(file: str, link_base: str | None) -> str:
    url = escape.safe_url(f"{link_base.rstrip('/')}/{file}") if link_base else None
    return f"[`{file}`]({url})" if url else f"`{file}`"


def _owner_heading(owner: Owner) -> str:
    if not owner.github:
        return f"### {md(owner.name)} (no GitHub handle)"
    via = f" (via {owner.via})" if owner.via else ""
    return f"### {md(owner.name)}: {owner.mention}{via}"


def format_markdown(report: Report, link_base: str | None = None, max_chars: int | None = None) -> str:
    """The body of the stale-content issue: deterministic for a given report. With ``max_chars``
    (GitHub refuses issue bodies over 65,536 characters), rows that do not fit are counted
    in a closing note instead."""
    lines = [MARKER, f"## Playbook review report, {report.today.isoformat()}", "",
             f"{summary(report).capitalize()}."]
    if not report.listed:
        lines += ["", "Nothing is overdue, needs re-review or is due soon."]
        return "\n".join(lines) + "\n"
    lines += ["", "Owners: check each record below, update it if anything changed, and set "
              "`last_reviewed` to the day you checked it. This issue is updated every week and "
              "closed when nothing is overdue or needs re-review."]
    budget = (max_chars or 0) - 200  # room for the closing note
    size, left_out = sum(len(line) + 1 for line in lines), 0
    for owner, items in report.by_owner():
        head = ["", _owner_heading(owner), "",
                "| Status | Record | File | Last reviewed | Due | Days overdue | Reason |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        rows = [f"| {LABELS[f.status]} | {md(f.record.title)} | "
                f"{_file_cell(f.record.file, link_base)} | {f.last_reviewed.isoformat()} | "
                f"{f.due.isoformat()} | {str(f.days_overdue) if f.status == 'overdue' else ''} | "
                f"{md(f.reason)} |" for f in items]
        parts = [head + rows[:1], *([row] for row in rows[1:])]  # a heading never stands alone
        for part in parts:
            cost = sum(len(line) + 1 for line in part)
            if left_out or (max_chars and size + cost > budget):
                left_out += len(part) - len(head) if part is parts[0] else 1
                continue
            lines += part
            size += cost
    if left_out:
        more = "1 more record" if left_out == 1 else f"{left_out} more records"
        lines += ["", f"… and {more}, too many for one issue: run `playbook stale` for the full list."]
    return "\n".join(lines) + "\n"


def workflow_annotations(report: Report) -> list[Problem]:
    found = []
    for f in report.listed:
        line, column = f.record.doc.locate(("last_reviewed",), key=True)
        owner = f.owner or NO_OWNER
        who = printable(owner.name) + (f" {owner.mention}" if owner.github else "")
        message = f"{f.label}: {printable(f.record.title)} (owner {who}): {printable(f.reason)}"
        found.append(Problem(f.record.file, line, column, message, "warning" if f.stale else "notice"))
    return found


FORMATS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
    "github": lambda report, link_base=None: format_github(workflow_annotations(report)),
}
