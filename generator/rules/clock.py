"""SLA clocks: when a commitment counted in working hours falls due.

The rule, stated on every SLA page that has deadlines and computed the same way here and in the
reader's browser (``assets/playbook.js``, "When is it due?"): the clock runs only in working
hours (``working_hours`` in ``playbook.yml``, or the SLA's own), on working days, and stops on
every company closure (:mod:`generator.rules.closures`, observed days included). A lead that arrives
outside working hours starts the clock at the next opening; a deadline that ends exactly at
closing time is due at closing time, not the next morning. A deadline in working days is that
many whole working days of hours. Times are wall-clock times in the working hours' time zone, so
a change to or from summer time never moves a deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..core.dates import WEEKDAYS
from .closures import Closure

DEFAULT_DAYS = WEEKDAYS[:5]
MAX_DAYS = 3660  # days a deadline may look ahead before it counts as never due (10 years)
SPAN_DAYS = 730  # the closures a page carries for its clock: two years from the build's today
_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Hours:
    """Working hours: minutes after midnight, the working weekdays (0 = Monday), the time zone."""

    start: int
    end: int
    days: tuple[int, ...]
    time_zone: str | None = None

    @property
    def per_day(self) -> int:
        return self.end - self.start


def minutes(text: str) -> int:
    """``HH:MM`` -> minutes after midnight (the schema checks the form)."""
    hours, _, mins = text.partition(":")
    return int(hours) * 60 + int(mins)


def hours_from(spec: Any) -> Hours | None:
    """Working hours from a ``working_hours`` mapping (``from``, ``to``, ``days``, ``time_zone``),
    or None when it says none (or ends before it starts)."""
    if not isinstance(spec, dict) or not all(isinstance(spec.get(k), str) for k in ("from", "to")):
        return None
    start, end = minutes(spec["from"]), minutes(spec["to"])
    days = spec.get("days") or list(DEFAULT_DAYS)
    if end <= start:
        return None
    zone = spec.get("time_zone")
    return Hours(start, end, tuple(sorted(WEEKDAYS.index(d) for d in days if d in WEEKDAYS)),
                 zone if isinstance(zone, str) else None)


def closed_ranges(calendar: list[Closure], today: date, days: int = SPAN_DAYS) -> list[tuple[date, date]]:
    """Every closed stretch (first and last day) that overlaps the ``days`` from a year before
    ``today``: what a page's clock needs, each closure's dates computed once."""
    first = today - timedelta(days=min(365, (today - date.min).days))
    last = today + timedelta(days=min(days, (date.max - today).days))
    found: set[tuple[date, date]] = set()
    for closure in calendar:
        if not closure.yearly:
            once = closure.dates()
            if once[1] >= first and once[0] <= last:
                found.add(once)
            continue
        day = first
        while day <= last:
            dates = closure.next_occurrence(day)
            if dates is None or dates[0] > last:
                break
            found.add(dates)
            if dates[1] >= date.max - timedelta(days=1):
                break
            day = dates[1] + timedelta(days=1)
    return sorted(found)


def _closed(day: date, ranges: list[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in ranges)


def due(arrived: datetime, working_minutes: int, hours: Hours,
        ranges: list[tuple[date, date]]) -> datetime | None:
    """When ``working_minutes`` of working time after ``arrived`` have run (None: never, within
    :data:`MAX_DAYS`, e.g. no working day at all)."""
    day, at, left = arrived.date(), arrived.hour * 60 + arrived.minute, working_minutes
    for _ in range(MAX_DAYS):
        if day.weekday() in hours.days and not _closed(day, ranges):
            begin = max(at, hours.start)
            if begin < hours.end:
                if left <= hours.end - begin:
                    return datetime(day.year, day.month, day.day) + timedelta(minutes=begin + left)
                left -= hours.end - begin
        if day >= date.max:
            return None
        day, at = day + timedelta(days=1), 0
    return None


def deadline_minutes(deadline: Any, hours: Hours) -> int | None:
    """A deadline's length in working minutes: ``working_hours``, or ``working_days`` whole days."""
    if not isinstance(deadline, dict):
        return None
    value = deadline.get("working_hours")
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return round(value * 60)
    value = deadline.get("working_days")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value * hours.per_day
    return None


def shown(moment: datetime) -> str:
    """A moment as the page shows it: ``Mon 6 Jul 2026, 09:30`` (playbook.js writes the same)."""
    return f"{_DAY[moment.weekday()]} {moment.day} {_MONTH[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def clock_data(deadlines: Any, hours: Hours, ranges: list[tuple[date, date]]) -> dict[str, Any]:
    """What the page's control computes from: the rule's parts as plain JSON values."""
    return {
        "from": hours.start, "to": hours.end, "days": list(hours.days),
        "closed": [[a.isoformat(), b.isoformat()] for a, b in ranges],
        "deadlines": [{"for": str(d.get("for", "")), "minutes": deadline_minutes(d, hours)}
                      for d in (deadlines if isinstance(deadlines, list) else [])
                      if isinstance(d, dict) and deadline_minutes(d, hours) is not None],
    }


@dataclass(frozen=True)
class Clock:
    """An SLA page's clock: the rule, the closures it skips, its deadlines and a worked example."""

    hours: Hours
    data: dict[str, Any]
    example: datetime  # an arrival late on the last working day before the next closure
    examples: list[tuple[str, datetime | None]]  # each deadline, due for ``example``

    @property
    def days_text(self) -> str:
        names = [WEEKDAYS[d].capitalize() for d in self.hours.days]
        days = list(self.hours.days)
        if len(names) > 2 and days == list(range(days[0], days[-1] + 1)):
            return f"{names[0]} to {names[-1]}"
        return ", ".join(names)

    @property
    def day_hours(self) -> str:
        return f"{self.hours.per_day / 60:g}"

    @property
    def from_text(self) -> str:
        return f"{self.hours.start // 60:02d}:{self.hours.start % 60:02d}"

    @property
    def to_text(self) -> str:
        return f"{self.hours.end // 60:02d}:{self.hours.end % 60:02d}"


def example_arrival(hours: Hours, ranges: list[tuple[date, date]], today: date) -> datetime:
    """90 minutes before closing on the last working day before the next closure after ``today``
    (the case readers get wrong), or on ``today``'s next working day when no closure is ahead."""
    ahead = [first for first, _ in ranges if first > today]
    day = ahead[0] - timedelta(days=1) if ahead else today
    for _ in range(14):
        if day.weekday() in hours.days and not _closed(day, ranges):
            break
        day += timedelta(days=-1) if ahead else timedelta(days=1)
    at = max(hours.start, hours.end - 90)
    return datetime(day.year, day.month, day.day) + timedelta(minutes=at)


def page_clock(data: dict[str, Any], company_hours: Any, calendar: list[Closure],
               today: date) -> Clock | None:
    """The clock of an SLA record: its own ``working_hours`` or the company's, and its
    ``deadlines``; None when either is missing."""
    hours = hours_from(data.get("working_hours") or company_hours)
    if hours is None or not hours.days:
        return None
    ranges = closed_ranges(calendar, today)
    found = clock_data(data.get("deadlines"), hours, ranges)
    if not found["deadlines"]:
        return None
    found["zone"] = hours.time_zone or ""
    example = example_arrival(hours, ranges, today)
    examples = [(d["for"], due(example, d["minutes"], hours, ranges)) for d in found["deadlines"]]
    return Clock(hours, found, example, examples)
