"""Goals: a status from the numbers (on track, behind, no data) in the company's fiscal year."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.rules.goals import BEHIND, NO_DATA, ON_TRACK, fiscal_period, standing
from generator.rules.project import load_playbook
from generator.site.render import render_pages

from .conftest import FIXTURES


@pytest.mark.parametrize("text, start, expected", [
    ("FY2027", 1, (date(2027, 1, 1), date(2027, 12, 31))),
    ("FY2027", 2, (date(2026, 2, 1), date(2027, 1, 31))),  # named by the year it ends in
    ("FY2027 Q1", 2, (date(2026, 2, 1), date(2026, 4, 30))),
    ("FY2027 Q4", 2, (date(2026, 11, 1), date(2027, 1, 31))),
    ("FY2027 Q4", 1, (date(2027, 10, 1), date(2027, 12, 31))),
    ("FY2027 Q2", 12, (date(2027, 3, 1), date(2027, 5, 31))),
    ("Every week", 2, None), ("FY27", 2, None), (None, 1, None), ("FY0000", 1, None),
])
def test_fiscal_periods_follow_the_fiscal_year(text: object, start: int, expected: object) -> None:
    assert fiscal_period(text, start) == expected


@pytest.mark.parametrize("progress, status", [
    ({"value": 6.9, "target": 9.6, "measured_on": "2026-10-31", "period": "FY2027"}, BEHIND),  # 72% at 75%
    ({"value": 7.5, "target": 9.6, "measured_on": "2026-10-31", "period": "FY2027"}, ON_TRACK),  # 78% at 75%
    ({"value": 9.6, "target": 9.6, "measured_on": "2025-12-31", "period": "FY2027"}, ON_TRACK),  # before it starts
    ({"value": 17.5, "target": 21, "measured_on": "2026-10-31"}, BEHIND),  # a rate: against its target
    ({"value": 21, "target": 21, "measured_on": "2026-10-31"}, ON_TRACK),
    ({"value": 3, "target": 4, "measured_on": "2026-10-31", "lower_is_better": True}, ON_TRACK),
    ({"value": 5, "target": 4, "measured_on": "2026-10-31", "lower_is_better": True}, BEHIND),
    ({"target": 4, "measured_on": "2026-10-31"}, NO_DATA), (None, NO_DATA), ("86%", NO_DATA),
])
def test_a_status_comes_from_the_numbers(progress: object, status: str) -> None:
    assert standing(progress, 2).status == status


def test_the_share_of_the_period_gone_is_stated() -> None:
    found = standing({"value": 6.9, "target": 9.6, "measured_on": "2026-10-31", "period": "FY2027"}, 2)
    assert found.share_gone is not None and round(found.share_gone, 3) == 0.748  # 273 of 365 days
    assert found.expected is not None and round(found.expected, 2) == 7.18


def test_the_index_has_a_status_column(tmp_path: Path) -> None:
    root = tmp_path / "walkthrough"
    shutil.copytree(FIXTURES / "walkthrough", root)
    playbook, problems = load_playbook(root)
    assert problems == [] and playbook.settings.fiscal_year_starts == 2
    page = render_pages(playbook, date(2026, 12, 1))["aims/index.md"]
    assert '| <span class="pb-goal" data-goal="behind">Behind</span> |' in page
    assert '[QOs this quarter](qualified-this-quarter.md) | 30 QOs in FY2027 Q4 | 12 at 30 November 2026 | ' \
           '<span class="pb-goal" data-goal="on-track">On track</span> |' in page
    assert '<span class="pb-goal" data-goal="no-data">No data</span>' in page
