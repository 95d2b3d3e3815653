"""The meeting calendar: the next day a recurring schedule names."""

from __future__ import annotations

from datetime import date

import pytest

from generator.schedule import next_date


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
