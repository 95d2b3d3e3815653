"""Where a goal stands: a status from its numbers (on track, behind, no data) and fiscal periods.

A record's ``progress`` (see ``schemas/goals.schema.json``) holds ``value`` and ``target``
(numbers), ``measured_on`` (the date of the value), optionally ``period`` (a fiscal year or
quarter, ``FY2027`` or ``FY2027 Q4``, for a number that builds up over it) and
``lower_is_better``. The rule, stated on the goals pages:

- no value or no target: **no data**;
- a number that builds up over a period is **on track** when it has reached at least the share
  of the target that the share of the period gone by on ``measured_on`` asks for (72% of the
  target when 75% of the year has gone is behind);
- any other number (a rate, a share) is on track when it has reached its target (at most, with
  ``lower_is_better``).

Fiscal years follow ``fiscal_year_starts`` in ``playbook.yml`` (the month, 1 = January) and are
named by the calendar year they end in: with February, FY2027 runs from 1 February 2026 to
31 January 2027, and its Q1 from February to April. Meetings that recur by quarter
(:mod:`generator.rules.schedule`) use the same quarters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..core.dates import is_real_date, parse_iso_date

PERIOD = re.compile(r"^FY(\d{4})(?: Q([1-4]))?$")
ON_TRACK, BEHIND, NO_DATA = "on track", "behind", "no data"


def _month(year: int, month: int) -> date:
    """The first day of ``month`` months after January of ``year`` (month may exceed 12)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def fiscal_period(text: Any, fiscal_start: int = 1) -> tuple[date, date] | None:
    """The first and last day of ``FY2027`` or ``FY2027 Q4``, or None for other text."""
    found = PERIOD.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    year = int(found.group(1))
    if not 2 <= year <= 9998:
        return None
    first = _month(year - (1 if fiscal_start > 1 else 0), fiscal_start)
    if found.group(2):
        quarter = int(found.group(2)) - 1
        start = _month(first.year, first.month + 3 * quarter)
        return start, _month(start.year, start.month + 3) - timedelta(days=1)
    return first, _month(first.year + 1, first.month) - timedelta(days=1)


@dataclass(frozen=True)
class Standing:
    status: str  # ON_TRACK, BEHIND or NO_DATA
    value: float | None = None
    target: float | None = None
    expected: float | None = None  # what the target asks for by measured_on
    share_gone: float | None = None  # of the period, for a number that builds up
    measured_on: date | None = None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def standing(progress: Any, fiscal_start: int = 1) -> Standing:
    """Where a goal stands by its ``progress`` data (the rule in the module's docstring)."""
    if not isinstance(progress, dict):
        return Standing(NO_DATA)
    value, target = _number(progress.get("value")), _number(progress.get("target"))
    when = progress.get("measured_on")
    measured = parse_iso_date(when) if isinstance(when, str) and is_real_date(when) else None
    if value is None or target is None:
        return Standing(NO_DATA, value, target, measured_on=measured)
    lower = progress.get("lower_is_better") is True
    period = fiscal_period(progress.get("period"), fiscal_start)
    share = None
    expected = target
    if period is not None and measured is not None and not lower:
        first, last = period
        days = (last - first).days + 1
        share = min(1.0, max(0.0, ((measured - first).days + 1) / days))
        expected = target * share
    ok = value <= expected if lower else value >= expected
    return Standing(ON_TRACK if ok else BEHIND, value, target, expected, share, measured)
