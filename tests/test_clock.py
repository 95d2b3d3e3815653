"""SLA clocks: one table of cases, run here through generator.rules.clock and, in
tests/test_reader_browser.py, through the page's own JavaScript in Chromium (the same rule)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.rules.clock import Hours, closed_ranges, due, example_arrival, hours_from, page_clock, shown
from generator.rules.closures import closures
from generator.rules.project import load_playbook

from .clock_cases import CASES
from .conftest import FIXTURES

TODAY = date(2026, 12, 1)


@pytest.fixture
def walkthrough(tmp_path: Path) -> Path:
    root = tmp_path / "walkthrough"
    shutil.copytree(FIXTURES / "walkthrough", root)
    return root


def _rule(root: Path) -> tuple[Hours, list[tuple[date, date]]]:
    playbook, problems = load_playbook(root)
    assert problems == []
    hours = hours_from(playbook.settings.working_hours)
    assert hours == Hours(540, 1020, (0, 1, 2, 3, 4), "Europe/Lisbon")
    return hours, closed_ranges(closures(playbook), TODAY)


@pytest.mark.parametrize("day, at, minutes, expected", CASES)
def test_due_follows_the_stated_rule(walkthrough: Path, day: str, at: str, minutes: int, expected: str) -> None:
    hours, ranges = _rule(walkthrough)
    arrived = datetime.fromisoformat(f"{day}T{at}")
    found = due(arrived, minutes, hours, ranges)
    assert found is not None and shown(found) == expected


def test_closed_days_are_computed_once_with_observed_days(walkthrough: Path) -> None:
    _, ranges = _rule(walkthrough)
    assert ranges == [
        (date(2025, 12, 23), date(2026, 1, 2)), (date(2026, 7, 3), date(2026, 7, 3)),
        (date(2026, 12, 23), date(2027, 1, 2)), (date(2027, 7, 5), date(2027, 7, 5)),
        (date(2027, 12, 23), date(2028, 1, 2)), (date(2028, 7, 4), date(2028, 7, 4)),
    ]


def test_a_clock_with_no_working_day_is_never_due() -> None:
    assert due(datetime(2026, 12, 1, 9), 60, Hours(540, 1020, ()), []) is None
    assert hours_from({"from": "18:00", "to": "08:00"}) is None  # ends before it starts
    assert hours_from(None) is None


def test_the_page_clock_uses_the_records_own_hours_and_a_worked_example(walkthrough: Path) -> None:
    playbook, _ = load_playbook(walkthrough)
    record = playbook.records[("promises", "first-call")]
    clock = page_clock(record.data, playbook.settings.working_hours, closures(playbook), TODAY)
    assert clock is not None
    assert clock.example == datetime(2026, 12, 22, 15, 30)  # late on the last day before the break
    assert [(name, shown(when) if when else None) for name, when in clock.examples] == [
        ("New Lead", "Mon 4 Jan 2027, 09:30"), ("Qualified opportunity", "Mon 4 Jan 2027, 15:30"),
        ("Proposal", "Tue 5 Jan 2027, 15:30")]
    own = page_clock({**record.data, "working_hours": {"from": "10:00", "to": "12:00", "days": ["saturday"]}},
                     playbook.settings.working_hours, closures(playbook), TODAY)
    assert own is not None and own.data["from"] == 600 and own.data["days"] == [5]
    assert page_clock({"title": "x"}, playbook.settings.working_hours, [], TODAY) is None  # no deadlines
    assert example_arrival(Hours(540, 1020, (0, 1, 2, 3, 4)), [], TODAY) == datetime(2026, 12, 1, 15, 30)
