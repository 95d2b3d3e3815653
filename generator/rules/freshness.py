"""Freshness: when each record is due for review, whether it is current, and who reviews it.

The review policy lives in one place per concern:

- **Review interval of a collection**: its schema's ``x-playbook.review_days``
  (collections are data: ``schemas/competitors.schema.json`` can say 30,
  ``slas`` 90, ``personas`` 180). A schema without it gets
  :data:`generator.content.schemas.DEFAULT_REVIEW_DAYS` (90).
- **Per-record override**: the record's own ``review_every_days``.
- **Due-soon window**: :data:`DUE_SOON_DAYS` (14) days before the due date,
  the same for every collection.

A record is due ``review_days`` after its ``last_reviewed`` date. Statuses,
most urgent first (each boundary is inclusive exactly as written here):

- ``overdue``: today is after the due date (the day after it is 1 day overdue;
  on the due date itself a record is still only due soon);
- ``drifted``: a record it references directly was reviewed after it ("re-review:
  Marketing qualified lead changed on 2026-10-01"); a reference annotated
  ``x-drift: false`` in the schema (the ``owner``) never causes drift, and a
  referenced record reviewed on the same day does not either;
- ``due-soon``: today is on or after ``due - DUE_SOON_DAYS`` (and not after ``due``);
- ``current``: none of the above.

An overdue record that has also drifted stays ``overdue`` and keeps both reasons.

**Owners** are resolved by :mod:`generator.rules.owners` (the same rule as CODEOWNERS).

Everything takes ``today`` explicitly; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..content.model import Playbook, Record
from ..core.dates import parse_iso_date
from .owners import Owner, owner_of

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
    owner: Owner | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def due_soon_from(self) -> date:
        """The first day on which the record counts as due soon."""
        return self.due - timedelta(days=DUE_SOON_DAYS)

    @property
    def stale(self) -> bool:
        """Overdue or drifted: someone has to act now."""
        return self.status in ("overdue", "drifted")

    @property
    def reasons(self) -> tuple[str, ...]:
        found = []
        if self.status == "overdue":
            days = "1 day" if self.days_overdue == 1 else f"{self.days_overdue} days"
            found.append(f"review was due on {self.due.isoformat()} ({days} ago)")
        found += [f"re-review: {other.title} changed on {when.isoformat()}" for other, when in self.changed]
        if self.status == "due-soon":
            found.append(f"review due on {self.due.isoformat()}")
        elif self.status == "current":
            found.append(f"next review due on {self.due.isoformat()}")
        return tuple(found)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def review_days(playbook: Playbook, record: Record) -> int:
    override = record.get("review_every_days")
    if isinstance(override, int) and not isinstance(override, bool) and override > 0:
        return override
    return playbook.collections[record.collection].review_days


def reviewed(record: Record) -> date:
    return parse_iso_date(record.data["last_reviewed"])


def _plus_days(day: date, days: int) -> date:
    """``day + days``, or the last representable date when that is past year 9999."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def assess(playbook: Playbook, record: Record, today: date) -> Freshness:
    last = reviewed(record)
    days = review_days(playbook, record)
    due = _plus_days(last, days)
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
    return Freshness(record, last, days, due, status, max(0, (today - due).days), changed,
                     owner_of(playbook, record))


def assess_all(playbook: Playbook, today: date) -> dict[tuple[str, str], Freshness]:
    return {key: assess(playbook, record, today) for key, record in playbook.records.items()}


def urgency(fresh: Freshness) -> tuple[int, date, str]:
    """Sort key: most urgent status first, then the oldest due date, then the file."""
    return (STATUSES.index(fresh.status), fresh.due, fresh.record.file)
