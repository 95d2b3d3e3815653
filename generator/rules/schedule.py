"""Meeting-calendar arithmetic: the next date a structured ``schedule`` names, and how often it recurs.

A schedule (see ``schemas/meetings.schema.json``) is a mapping:

- ``every`` N (default 1) ``unit``\\s: ``days``, ``weeks``, ``months`` or ``quarters``; without a
  unit, a schedule with a ``week`` is monthly and one with only a ``weekday`` is weekly;
- ``weekday`` (``monday`` .. ``sunday``): the day of the week it falls on;
- ``week`` (``first`` .. ``fourth`` or ``last``): for months and quarters, which such weekday of
  the month (of a quarter: the first to fourth in its first month, the last in its last month);
- ``day`` (1-31): for months and quarters, the day of the month instead (the last day of a
  shorter month);
- ``working_day`` (1-23): for months and quarters, the Nth working day (Monday to Friday) of
  the month instead, with no weekday ("the first working day of each quarter");
- ``months`` (1-12): only in these months;
- ``starting`` (YYYY-MM-DD): the first occurrence, which anchors "every other Monday" or
  quarters that start in February. Needed when ``every`` is more than 1.

Pure date functions, no rendering: templates reach them through the ``next_date`` and
``period_days`` filters. Everything takes ``today`` explicitly; nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from ..core.dates import WEEKDAYS

WEEKS = ("first", "second", "third", "fourth", "last")
UNITS = ("days", "weeks", "months", "quarters")
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30, "quarters": 91}
_NEVER = 10**6
Closed = Callable[[date], bool] | None  # the company's closed days (closures), for working days
_MAX_SEARCH = 3700  # days: a schedule with no date in ten years names none


def _int(value: Any, default: int) -> int:
    return value if type(value) is int and value > 0 else default


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def unit_of(schedule: dict[str, Any]) -> str | None:
    unit = schedule.get("unit")
    if unit in UNITS:
        return str(unit)
    if unit is not None:
        return None
    if any(schedule.get(key) is not None for key in ("week", "day", "working_day")):
        return "months"
    if schedule.get("weekday") is not None:
        return "weeks"
    return "days" if _date(schedule.get("starting")) else None


def _months_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def working_day_of_month(day: date, closed: Closed = None) -> int | None:
    """Which working day (Monday to Friday, not ``closed``) of its month ``day`` is (1 for the
    first); None on a day that is not a working day."""
    def working(other: date) -> bool:
        return other.weekday() < 5 and not (closed and closed(other))
    if not working(day):
        return None
    return sum(1 for d in range(1, day.day + 1) if working(day.replace(day=d)))


def _in_month(day: date, weekday: int | None, week: Any, number: Any, *, first_month: bool,
              last_month: bool, working: Any = None, closed: Closed = None) -> bool:
    """Whether ``day`` is the named day of its month (``week`` + ``weekday``, ``number``, or the
    ``working``-th working day)."""
    if type(working) is int and working >= 1:
        return first_month and working_day_of_month(day, closed) == working
    if type(number) is int and 1 <= number <= 31:
        last = calendar.monthrange(day.year, day.month)[1]
        return first_month and day.day == min(number, last)
    if weekday is None or day.weekday() != weekday or week not in WEEKS:
        return False
    if week == "last":
        return last_month and (day + timedelta(days=7)).month != day.month
    return first_month and (day.day - 1) // 7 == WEEKS.index(week)


def occurs(schedule: dict[str, Any], day: date, closed: Closed = None, fiscal_start: int = 1) -> bool:
    """Whether the schedule names ``day`` (never before its ``starting`` date); ``closed`` days
    are not working days; quarters are the fiscal year's (``fiscal_year_starts`` of
    ``playbook.yml``: the month it starts in) unless ``starting`` anchors them."""
    unit = unit_of(schedule)
    every = _int(schedule.get("every"), 1)
    start = _date(schedule.get("starting"))
    if unit is None or (every > 1 and start is None) or (start is not None and day < start):
        return False
    months = schedule.get("months")
    if isinstance(months, list) and months and day.month not in months:
        return False
    name = schedule.get("weekday")
    weekday = WEEKDAYS.index(name) if name in WEEKDAYS else None
    if schedule.get("weekday") is not None and weekday is None:
        return False
    if unit == "days":
        return start is None or (day - start).days % every == 0
    if unit == "weeks":
        wanted = weekday if weekday is not None else (start.weekday() if start else None)
        if wanted is None or day.weekday() != wanted:
            return False
        if start is None:
            return True
        monday = start - timedelta(days=start.weekday())
        return ((day - monday).days // 7) % every == 0
    size = 1 if unit == "months" else 3
    base = _months_index(start) if start else (fiscal_start - 1) % 3  # the fiscal quarters unless anchored
    offset = _months_index(day) - base
    if (offset // size) % every:
        return False
    position = offset % size
    return _in_month(day, weekday, schedule.get("week"), schedule.get("day"),
                     first_month=position == 0, last_month=position == size - 1,
                     working=schedule.get("working_day"), closed=closed)


def next_date(schedule: Any, today: date, closed: Closed = None, fiscal_start: int = 1) -> date | None:
    """The first day on or after ``today`` that a schedule names, or None (no schedule, one that
    names no day in the next ten years, or one past the year 9999)."""
    if not isinstance(schedule, dict) or unit_of(schedule) is None:
        return None
    for offset in range(_MAX_SEARCH):
        if today > date.max - timedelta(days=offset):
            return None
        day = today + timedelta(days=offset)
        if occurs(schedule, day, closed, fiscal_start):
            return day
    return None


def period_days(schedule: Any) -> int:
    """About how many days apart the meetings are (for ordering cadences, most frequent first);
    a very large number for no usable schedule."""
    if not isinstance(schedule, dict):
        return _NEVER
    unit = unit_of(schedule)
    if unit is None:
        return _NEVER
    days = _UNIT_DAYS[unit] * _int(schedule.get("every"), 1)
    months = schedule.get("months")
    if isinstance(months, list) and months and unit in ("weeks", "months", "days"):
        days = max(days, 365 // len(months))
    return days
