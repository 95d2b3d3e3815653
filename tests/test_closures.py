"""Company closures: holidays and shutdowns as data, skipped by meeting dates, listed for SLA clocks."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.rules.closures import closed, closure_problems, closures, next_open, observed_day, upcoming
from generator.rules.project import load_playbook
from generator.rules.schedule import next_date
from generator.site.render import render_pages

from .conftest import FIXTURES, edit_file


@pytest.fixture
def walkthrough(tmp_path: Path) -> Path:
    root = tmp_path / "walkthrough"
    shutil.copytree(FIXTURES / "walkthrough", root)
    return root


def test_closures_come_from_the_annotated_collection(walkthrough: Path) -> None:
    playbook, problems = load_playbook(walkthrough)
    assert problems == []
    found = closures(playbook)
    assert [(c.record.id, c.start, c.end, c.yearly, c.observed) for c in found] == [
        ("national-day", date(2026, 7, 4), date(2026, 7, 4), True, True),
        ("winter-break", date(2026, 12, 23), date(2027, 1, 2), True, False),
    ]


@pytest.mark.parametrize("day, is_closed", [
    (date(2026, 12, 22), False), (date(2026, 12, 23), True), (date(2027, 1, 2), True), (date(2027, 1, 3), False),
    (date(2030, 12, 31), True), (date(2031, 1, 1), True), (date(2030, 6, 1), False),  # every year
    (date(1, 1, 1), False), (date(9999, 12, 31), False),  # no crash at the ends of the calendar
])
def test_a_yearly_closure_covers_the_same_days_every_year(walkthrough: Path, day: date, is_closed: bool) -> None:
    playbook, _ = load_playbook(walkthrough)
    assert (closed(day, closures(playbook)) is not None) is is_closed


def test_next_meeting_skips_a_closed_day(walkthrough: Path) -> None:
    playbook, _ = load_playbook(walkthrough)
    calendar = closures(playbook)
    last_friday = {"weekday": "friday", "week": "last"}
    assert next_date(last_friday, date(2026, 12, 1)) == date(2026, 12, 25)  # inside the winter break
    assert next_open(last_friday, date(2026, 12, 1), calendar, next_date) == date(2027, 1, 29)
    assert next_open({"weekday": "monday"}, date(2026, 12, 22), calendar, next_date) == date(2027, 1, 4)
    assert next_open({"weekday": "monday"}, date(2026, 12, 1), [], next_date) == date(2026, 12, 7)
    assert next_open({"weekday": "noday"}, date(2026, 12, 1), calendar, next_date) is None


def test_the_rituals_page_uses_the_company_calendar(walkthrough: Path) -> None:
    playbook, _ = load_playbook(walkthrough)
    page = render_pages(playbook, date(2026, 12, 1))["rituals/index.md"]
    assert "| 29 January 2027 | [Month-end review](month-end-review.md) |" in page
    assert "25 December" not in page


def test_upcoming_closures_soonest_first(walkthrough: Path) -> None:
    playbook, _ = load_playbook(walkthrough)
    calendar = closures(playbook)
    assert [(a, b, r.id) for a, b, r in upcoming(calendar, date(2027, 1, 1))] == [
        (date(2026, 12, 23), date(2027, 1, 2), "winter-break"),  # still under way
        (date(2027, 7, 5), date(2027, 7, 5), "national-day"),
    ]
    assert [(a, b) for a, b, _ in upcoming(calendar, date(2027, 1, 3))] == [
        (date(2027, 7, 5), date(2027, 7, 5)),  # 4 July 2027 is a Sunday: observed on the Monday
        (date(2027, 12, 23), date(2028, 1, 2))]
    assert upcoming(calendar, date(2027, 1, 3), days=30) == []


def test_a_closure_that_ends_before_it_starts_is_a_located_problem(walkthrough: Path) -> None:
    path = walkthrough / "content/days-off/winter-break.yaml"
    edit_file(path, "last_day: 2027-01-02", "last_day: 2026-12-01")
    playbook, problems = load_playbook(walkthrough)
    assert [str(p) for p in problems] == [
        "content/days-off/winter-break.yaml:7:11: error: last_day: ends on 2026-12-01, before it starts on 2026-12-23",
    ]
    assert [c.record.id for c in closures(playbook)] == ["national-day"]  # the other one still counts
    assert closure_problems(playbook) == problems


def test_a_misspelt_closure_field_is_a_located_problem(walkthrough: Path) -> None:
    schema = walkthrough / "schemas/days-off.schema.json"
    edit_file(schema, '"yearly": "yearly"', '"yearly": "yerly"')
    _, problems = load_playbook(walkthrough)
    assert [str(p) for p in problems] == [
        "schemas/days-off.schema.json:22:14: error: x-playbook.closures.yearly: 'yerly' is not a field of "
        "this collection; did you mean 'yearly'?",
    ]


@pytest.mark.parametrize("written, observed", [
    (date(2026, 7, 4), date(2026, 7, 3)),  # Saturday -> the Friday before
    (date(2027, 7, 4), date(2027, 7, 5)),  # Sunday -> the Monday after
    (date(2028, 7, 4), date(2028, 7, 4)),  # a Tuesday stays
])
def test_a_holiday_on_a_weekend_is_closed_on_its_observed_day(walkthrough: Path, written: date,
                                                               observed: date) -> None:
    playbook, _ = load_playbook(walkthrough)
    calendar = closures(playbook)
    assert observed_day(written) == observed
    found = closed(observed, calendar)
    assert found is not None and found.record.id == "national-day"
    if observed != written:
        assert closed(written, calendar) is None  # a weekend anyway: no meeting, no clock


def test_a_closure_is_written_with_the_same_observed_day_everywhere(walkthrough: Path) -> None:
    """4 July 2027 is a Sunday: the holiday's own page and the SLA page both say Monday 5 July."""
    playbook, _ = load_playbook(walkthrough)
    pages = render_pages(playbook, date(2027, 1, 10))
    assert "**Next closed:** Monday 5 July 2027\n" in pages["days-off/national-day.md"]
    assert "**Next closed:** Thursday 23 December 2027 to Sunday 2 January 2028\n" in pages["days-off/winter-break.md"]
    promise = pages["promises/first-call.md"]
    assert "[National day](../days-off/national-day.md) (Monday 5 July 2027)" in promise
    assert "4 July" not in promise and "4 July" not in pages["days-off/national-day.md"].split("**Next closed:**")[1]
    # a page that is no closure says nothing of the kind
    assert "Next closed" not in pages["promises/first-call.md"]
