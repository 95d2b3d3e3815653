"""Meeting-calendar arithmetic: the next day a recurring schedule names.

Pure date functions, no rendering: templates reach them through the ``next_date``
filter. Everything takes ``today`` explicitly; nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKS = ("first", "second", "third", "fourth", "last")


def next_date(schedule: Any, today: date) -> date | None:
    """The first day on or after ``today`` that a recurring schedule names, or None.

    ``schedule`` is ``{weekday, week?, months?}``: without ``week`` it is every such weekday;
    with it, the first..fourth or last such weekday of the month, in ``months`` (1-12) if given.
    """
    if not isinstance(schedule, dict) or schedule.get("weekday") not in WEEKDAYS:
        return None
    weekday = WEEKDAYS.index(schedule["weekday"])
    week = schedule.get("week")
    months = schedule.get("months") or range(1, 13)
    for offset in range(0, 400):
        if today > date.max - timedelta(days=offset):
            return None  # past year 9999
        day = today + timedelta(days=offset)
        if day.weekday() != weekday or day.month not in months:
            continue
        if week is None:
            return day
        if week == "last":
            if (day + timedelta(days=7)).month != day.month:
                return day
        elif week in WEEKS and (day.day - 1) // 7 == WEEKS.index(week):
            return day
    return None
