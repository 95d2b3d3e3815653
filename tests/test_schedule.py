"""The meeting calendar: the next day a recurring schedule names (every N days, weeks, months or
quarters; nth or last weekday; an anchor), and how often it recurs."""

from __future__ import annotations

from datetime import date

import pytest

from generator.rules.schedule import next_date, occurs, period_days


@pytest.mark.parametrize("schedule, expected", [
    ({"weekday": "monday"}, date(2026, 11, 23)),  # today is a Monday
    ({"weekday": "tuesday"}, date(2026, 11, 24)),
    ({"weekday": "tuesday", "week": "second"}, date(2026, 12, 8)),
    ({"weekday": "friday", "week": "last"}, date(2026, 11, 27)),
    ({"weekday": "tuesday", "week": "first", "months": [1, 4, 7, 10]}, date(2027, 1, 5)),
    ({"weekday": "wednesday", "week": "second", "months": [4, 10]}, date(2027, 4, 14)),
    ({"weekday": "someday"}, None),
    ("Mondays", None),
    (None, None),
])
def test_next_date_of_a_schedule(schedule: object, expected: date | None) -> None:
    assert next_date(schedule, date(2026, 11, 23)) == expected


TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(("schedule", "expected"), [
    # Every other Monday, anchored on the first meeting: 9 Nov, 23 Nov, 7 Dec...
    ({"every": 2, "unit": "weeks", "weekday": "monday", "starting": "2026-11-09"}, date(2026, 11, 23)),
    ({"every": 2, "unit": "weeks", "weekday": "monday", "starting": "2026-11-16"}, date(2026, 11, 30)),
    # The weekday may come from the anchor alone.
    ({"every": 2, "unit": "weeks", "starting": "2026-11-18"}, date(2026, 12, 2)),
    # Every three days from 1 November: 22, 25 November.
    ({"every": 3, "unit": "days", "starting": "2026-11-01"}, date(2026, 11, 25)),
    ({"unit": "days"}, TODAY),
    # First Tuesday of each quarter; last Friday of each quarter (its last month).
    ({"unit": "quarters", "weekday": "tuesday", "week": "first"}, date(2027, 1, 5)),
    ({"unit": "quarters", "weekday": "friday", "week": "last"}, date(2026, 12, 25)),
    # Fiscal quarters that start in February.
    ({"unit": "quarters", "weekday": "monday", "week": "first", "starting": "2026-02-02"}, date(2027, 2, 1)),
    # Every two months on the 15th, from March: March, May, July, September, November, January.
    ({"every": 2, "unit": "months", "day": 15, "starting": "2026-03-15"}, date(2027, 1, 15)),
    # Day 31 in a 30-day month is its last day.
    ({"unit": "months", "day": 31}, date(2026, 11, 30)),
    # The starter's forms, unchanged: weekly, nth and last weekday of the month, listed months.
    ({"weekday": "monday"}, TODAY),
    ({"weekday": "tuesday", "week": "second"}, date(2026, 12, 8)),
    ({"weekday": "friday", "week": "last"}, date(2026, 11, 27)),
    ({"weekday": "wednesday", "week": "second", "months": [4, 10]}, date(2027, 4, 14)),
    # Nothing usable: no date rather than a guess.
    ({"every": 2, "unit": "weeks", "weekday": "monday"}, None),  # every other week needs an anchor
    ({"unit": "fortnights"}, None),
    ({"weekday": "someday"}, None),
    ("weekly", None),
    (None, None),
])
def test_next_date_of_a_structured_schedule(schedule: object, expected: date | None) -> None:
    assert next_date(schedule, TODAY) == expected


def test_never_before_the_first_meeting() -> None:
    schedule = {"every": 2, "unit": "weeks", "weekday": "monday", "starting": "2027-01-04"}
    assert not occurs(schedule, date(2026, 12, 21))
    assert next_date(schedule, TODAY) == date(2027, 1, 4)


def test_period_orders_cadences_from_the_most_frequent() -> None:
    schedules = [{"unit": "quarters", "weekday": "tuesday", "week": "first"}, {"weekday": "monday"},
                 {"every": 2, "unit": "weeks", "weekday": "monday", "starting": "2026-11-09"},
                 {"weekday": "wednesday", "week": "second", "months": [4, 10]}, None, {"unit": "days"}]
    assert [period_days(s) for s in schedules] == [91, 7, 14, 182, 10**6, 1]


@pytest.mark.parametrize("schedule, today, expected", [
    # The first working day of each quarter: 1 January 2028 is a Saturday, so Monday the 3rd.
    ({"unit": "quarters", "working_day": 1}, date(2027, 10, 2), date(2028, 1, 3)),
    ({"unit": "quarters", "working_day": 1}, date(2026, 11, 23), date(2027, 1, 1)),  # a Friday
    ({"unit": "quarters", "working_day": 1}, date(2027, 1, 2), date(2027, 4, 1)),
    # Without a unit, a working day is monthly; the third working day of February 2027 (Mon 1st).
    ({"working_day": 3}, date(2027, 1, 6), date(2027, 2, 3)),
    ({"working_day": 1, "months": [3]}, date(2026, 11, 23), date(2027, 3, 1)),
])
def test_a_working_day_needs_no_weekday(schedule: dict[str, object], today: date, expected: date) -> None:
    assert next_date(schedule, today) == expected


def test_quarters_follow_the_fiscal_year() -> None:
    review = {"weekday": "tuesday", "week": "first", "unit": "quarters"}
    assert next_date(review, date(2026, 12, 1)) == date(2027, 1, 5)  # calendar quarters by default
    assert next_date(review, date(2026, 12, 1), fiscal_start=2) == date(2027, 2, 2)  # Feb, May, Aug, Nov
    assert next_date(review, date(2027, 2, 3), fiscal_start=2) == date(2027, 5, 4)
    assert next_date({**review, "starting": "2026-03-03"}, date(2026, 12, 1), fiscal_start=2) == date(2026, 12, 1)
