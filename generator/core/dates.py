"""The one date rule: a real calendar date written ``YYYY-MM-DD``.

Every place that reads a date from a person (command-line options, the plugin's
``today`` setting and ``PLAYBOOK_TODAY``, ``last_reviewed`` and other ``format:
date`` fields in records) goes through :func:`parse_iso_date`, so they agree:
``2026-11-23`` is a date; ``20261123``, ``2026-11-23T00:00``, ``2026-2-3`` and
``2026-02-30`` are not.
"""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> date:
    """The date ``text`` names; :class:`ValueError` with a readable message when it names none."""
    if isinstance(text, str) and _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"not a real date written YYYY-MM-DD: {text!r}")


def is_real_date(text: object) -> bool:
    """Whether ``text`` is a real calendar date written ``YYYY-MM-DD`` (not 2024-02-30, not 20240131)."""
    try:
        parse_iso_date(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


# How dates read to people: English month names whatever the machine's locale, and no
# platform-only strftime flag (``%-d`` is glibc's).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def day_and_month(day: date, *, short: bool = False) -> str:
    """``9 November`` (``9 Nov`` with ``short``)."""
    month = MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month}"


def long_date(day: date) -> str:
    """``9 November 2026``."""
    return f"{day_and_month(day)} {day.year}"


# Weekday names as settings and schedules write them (``days: [monday, ...]``); Monday is 0.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_date(day: date) -> str:
    """``Monday 5 July 2027``: the one way a closed day is written (record pages, SLA pages)."""
    return f"{WEEKDAYS[day.weekday()].capitalize()} {long_date(day)}"


def digest_title(start: date, end: date) -> str:
    """The title of the digest of the changes from ``start`` to ``end`` (the page and the chat post)."""
    return f"Playbook changes, {day_and_month(start)} to {long_date(end)}"
