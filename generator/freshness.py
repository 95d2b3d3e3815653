"""Freshness: when each record is due for review, and whether it is current.

A record is due ``review_days`` after its ``last_reviewed`` date (the
collection's default from its schema's ``x-playbook.review_days``, or the
record's own ``review_every_days``). Statuses, most urgent first:

- ``overdue``: today is after the due date;
- ``drifted``: a record it references was reviewed after it ("re-review: MQL
  changed on 2026-10-01");
- ``due-soon``: the due date is within ``DUE_SOON_DAYS`` (due today counts);
- ``current``: none of the above.

Everything takes ``today`` explicitly; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .model import Playbook, Record

DUE_SOON_DAYS = 14
STATUSES = ("overdue", "drifted", "due-soon", "current")
LABELS = {
    "overdue": "Overdue for review",
    "drifted": "Needs re-review",
    "due-soon": "Review due soon",
    "current": "Current",
}


@dataclass(frozen=True)
class Freshness:
    record: Record
    last_reviewed: date
    review_days: int
    due: date
    status: str
    days_overdue: int
    changed: tuple[tuple[Record, date], ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def reason(self) -> str:
        if self.status == "overdue":
            days = "1 day" if self.days_overdue == 1 else f"{self.days_overdue} days"
            return f"review was due on {self.due.isoformat()} ({days} ago)"
        if self.status == "drifted":
            return "; ".join(
                f"re-review: {other.title} changed on {when.isoformat()}" for other, when in self.changed
            )
        if self.status == "due-soon":
            return f"review due on {self.due.isoformat()}"
        return f"next review due on {self.due.isoformat()}"


def review_days(playbook: Playbook, record: Record) -> int:
    override = record.get("review_every_days")
    if isinstance(override, int) and not isinstance(override, bool) and override > 0:
        return override
    return playbook.collections[record.collection].review_days


def reviewed(record: Record) -> date:
    return date.fromisoformat(record.data["last_reviewed"])


def assess(playbook: Playbook, record: Record, today: date) -> Freshness:
    last = reviewed(record)
    days = review_days(playbook, record)
    due = last + timedelta(days=days)
    changed = tuple(
        (other, reviewed(other)) for other in record.references_to(drifting=True) if reviewed(other) > last
    )
    if today > due:
        status = "overdue"
    elif changed:
        status = "drifted"
    elif today >= due - timedelta(days=DUE_SOON_DAYS):
        status = "due-soon"
    else:
        status = "current"
    return Freshness(record, last, days, due, status, max(0, (today - due).days), changed)


def assess_all(playbook: Playbook, today: date) -> dict[tuple[str, str], Freshness]:
    return {key: assess(playbook, record, today) for key, record in playbook.records.items()}
