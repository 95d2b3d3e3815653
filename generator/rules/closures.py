"""The company's calendar: holidays and shutdowns, as data, for meeting dates and SLA clocks.

A collection takes part when its schema's ``x-playbook`` says which fields hold a closure's first
and last day, e.g. ``"closures": {"from": "starts", "to": "ends", "yearly": "every_year"}``
(``to`` and ``yearly`` optional: a one-day closure; a closure on the same days every year), and
``"observed": field`` names the field that, when true, moves a one-day closure that falls on a
Saturday to the Friday before and one on a Sunday to the Monday after (a public holiday's
observed day). A closure's dates are computed here once (:meth:`Closure.occurrence`), and every
page, the SLA clock and the meeting calendar use them. The
next date of a recurring meeting skips a closed day, and pages that run a clock (an SLA) can list
the closures ahead with :func:`upcoming`.

Dates are text written ``YYYY-MM-DD`` (the schema checks them); a closure that ends before it
starts is a located problem, and is ignored by the calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..content.model import Playbook, Record
from ..core.dates import is_real_date, parse_iso_date
from ..core.problems import Problem

MAX_SKIPS = 60  # closed occurrences a schedule may skip before it counts as never meeting


@dataclass(frozen=True)
class Closure:
    record: Record
    start: date
    end: date
    yearly: bool = False
    observed: bool = False

    def occurrence(self, day: date) -> tuple[date, date] | None:
        """The dates of this closure that contain ``day``, or None."""
        if not self.yearly:
            first, last = self.dates()
            return (first, last) if first <= day <= last else None
        for year in (day.year - 1, day.year):
            dates = self._in(year)
            if dates is not None and dates[0] <= day <= dates[1]:
                return dates
        return None

    def next_occurrence(self, today: date) -> tuple[date, date] | None:
        """The first dates of this closure that end on or after ``today``."""
        if not self.yearly:
            first, last = self.dates()
            return (first, last) if last >= today else None
        for year in (today.year - 1, today.year, today.year + 1):
            dates = self._in(year)
            if dates is not None and dates[1] >= today:
                return dates
        return None

    def _in(self, year: int) -> tuple[date, date] | None:
        """A yearly closure's dates when it starts in ``year``."""
        first = _in_year(self.start, year)
        last = _in_year(self.end, year + self.end.year - self.start.year)
        return self._observe(first, last) if first is not None and last is not None else None

    def _observe(self, first: date, last: date) -> tuple[date, date]:
        if not self.observed or first != last:
            return (first, last)
        day = observed_day(first)
        return (day, day)

    def dates(self) -> tuple[date, date]:
        """The closure's dates as written, moved to its observed day (a one-time closure)."""
        return self._observe(self.start, self.end)


def observed_day(day: date) -> date:
    """The weekday a holiday falling on a weekend is observed on: Saturday -> Friday before,
    Sunday -> Monday after (the US federal rule, also used for UK bank holidays on Sundays)."""
    shift = {5: -1, 6: 1}.get(day.weekday(), 0)
    try:
        return day + timedelta(days=shift)
    except OverflowError:
        return day


def _in_year(day: date, year: int) -> date | None:
    """``day`` moved to ``year`` (29 February to 28 February), or None outside 1..9999."""
    if not 1 <= year <= 9999:
        return None
    return day.replace(year=year, day=min(day.day, 28 if day.month == 2 else day.day))


def _date(value: Any) -> date | None:
    return parse_iso_date(value) if is_real_date(value) else None


def _spec(playbook: Playbook, collection: str) -> dict[str, Any] | None:
    spec = playbook.collections[collection].annotations.get("closures")
    return spec if isinstance(spec, dict) and isinstance(spec.get("from"), str) else None


def closures(playbook: Playbook) -> list[Closure]:
    """Every well-formed closure of the playbook, in collection order."""
    return [c for c, _ in _read(playbook) if c is not None]


def closure_problems(playbook: Playbook) -> list[Problem]:
    """A closure that ends before it starts, located at its last day."""
    return [p for _, p in _read(playbook) if p is not None]


def _read(playbook: Playbook) -> list[tuple[Closure | None, Problem | None]]:
    found: list[tuple[Closure | None, Problem | None]] = []
    for name in playbook.collections:
        spec = _spec(playbook, name)
        if spec is None:
            continue
        for record in playbook.in_collection(name):
            start = _date(record.get(spec["from"]))
            end = _date(record.get(spec["to"])) if spec.get("to") in record.data else start
            if start is None or end is None:
                continue
            if end < start:
                found.append((None, Problem(record.file, *record.doc.locate((spec["to"],)),
                                            f"{spec['to']}: ends on {end.isoformat()}, before it starts "
                                            f"on {start.isoformat()}")))
                continue
            yearly = spec.get("yearly") and record.get(spec["yearly"]) is True
            observed = spec.get("observed") and record.get(spec["observed"]) is True
            found.append((Closure(record, start, end, bool(yearly), bool(observed)), None))
    return found


def closed(day: date, calendar: list[Closure]) -> Closure | None:
    """The closure ``day`` falls in, or None when the company works that day."""
    return next((c for c in calendar if c.occurrence(day) is not None), None)


def next_open(schedule: Any, today: date, calendar: list[Closure],
              next_date: Callable[[Any, date], date | None]) -> date | None:
    """The first date on or after ``today`` that ``schedule`` names and no closure covers
    (``next_date`` is the plain calendar rule, :func:`generator.rules.schedule.next_date`)."""
    day = next_date(schedule, today)
    for _ in range(MAX_SKIPS):
        if day is None or closed(day, calendar) is None:
            return day
        if day >= date.max:
            return None
        day = next_date(schedule, day + timedelta(days=1))
    return None


def next_of(record: Record, calendar: list[Closure], today: date) -> tuple[date, date] | None:
    """The next dates of ``record``'s closure (observed day applied) ending on or after ``today``."""
    key = (record.collection, record.id)
    found = next((c for c in calendar if (c.record.collection, c.record.id) == key), None)
    return found.next_occurrence(today) if found is not None else None


def upcoming(calendar: list[Closure], today: date, days: int = 365) -> list[tuple[date, date, Record]]:
    """The closures that end on or after ``today`` and start within ``days``, soonest first."""
    horizon = today + timedelta(days=days) if today < date.max - timedelta(days=days) else date.max
    found = []
    for closure in calendar:
        dates = closure.next_occurrence(today)
        if dates is not None and dates[0] <= horizon:
            found.append((dates[0], dates[1], closure.record))
    return sorted(found, key=lambda item: (item[0], item[2].title))
