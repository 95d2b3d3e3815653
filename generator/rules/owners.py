"""Who owns a record, and the code-host handle that reaches them.

One rule, used by the freshness report, the stale-content issue and CODEOWNERS,
so that an issue @-mentions exactly whom a pull request is routed to. What differs
between companies comes from ``playbook.yml`` (:class:`generator.content.config.Settings`):
which collections can own records, the field that holds a handle, and its format.

- A record's ``owner`` names an owner record (by default a person or a team).
- Its handle is that record's handle field (``github`` by default) when it is
  well-formed for the code host: on GitHub a user name (``dana-reyes``) or an
  ``org/team`` slug (``example/revops``); on GitLab a user name or a group with any
  number of subgroups (``acme/sales/emea``). Anything else is never written out, so
  a bad value cannot mention or route to a stranger (``playbook check`` reports it).
- An owner record without a handle is reached through the next record along: its
  ``team`` when it names one (a person's team), otherwise its own ``owner``; and
  so on, a few steps at most, never around a loop.
- With no handle anywhere, the owner is named but nobody is mentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.config import Settings
from ..content.model import Playbook, Record
from ..core.problems import Problem

TEAM_FIELD = "team"
MAX_HOPS = 6
_PART = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"
HANDLES = {  # code host -> (what a handle is, in words; its form)
    "github": ("a GitHub user name or org/team, like jane-doe or acme/sales",
               re.compile(rf"[A-Za-z0-9](?:[A-Za-z0-9-]{{0,38}})(?:/{_PART})?")),
    "gitlab": ("a GitLab user name or group with any subgroups, like jane.doe or acme/sales/emea",
               re.compile(rf"{_PART}(?:/{_PART})*")),
}


@dataclass(frozen=True)
class Owner:
    """Who keeps a record accurate: the record named by its ``owner``, and the handle that reaches it."""

    id: str
    name: str
    github: str | None = None  # "dana-reyes" or "example/revops", without "@"
    file: str | None = None
    via: str | None = None  # the id of the record whose handle is used, when not the owner's own
    collection: str | None = None  # the owner record's collection ("people", "teams")

    @property
    def mention(self) -> str:
        return f"@{self.github}" if self.github else ""

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.name.casefold(), self.id)


def handle_of(record: Record, settings: Settings) -> str | None:
    """The record's own handle, when it is well-formed for the code host."""
    value = record.get(settings.handle_field)
    _, form = HANDLES.get(settings.handle_format, HANDLES["github"])
    return value if isinstance(value, str) and form.fullmatch(value) else None


def handle_problems(playbook: Playbook) -> list[Problem]:
    """A located error for each handle in an owner record that the code host would not accept."""
    settings = playbook.settings
    words, form = HANDLES.get(settings.handle_format, HANDLES["github"])
    problems = []
    for record in playbook.records.values():
        value = record.get(settings.handle_field)
        if record.collection in settings.owner_collections and isinstance(value, str) \
                and not form.fullmatch(value):
            line, column = record.doc.locate((settings.handle_field,))
            hint = " (nested groups need owners: {handle_format: gitlab} in playbook.yml)" \
                if settings.handle_format == "github" and value.count("/") > 1 else ""
            problems.append(Problem(record.file, line, column, f"{settings.handle_field}: {value!r} is not "
                                    f"{words}{hint}"))
    return problems


def _named(playbook: Playbook, record: Record, field: str) -> Record | None:
    """The record that ``record``'s top-level ``field`` names, as its reference resolved it."""
    for site, target in record.refs:
        if site.path == (field,):
            return target
    value = record.get(field)
    if field == "owner" and isinstance(value, str):
        return playbook.find(value, playbook.settings.owner_collections)
    return None


def _next(playbook: Playbook, record: Record) -> Record | None:
    """Where to look when ``record`` has no handle: its team if it names one, else its owner."""
    return _named(playbook, record, TEAM_FIELD) or _named(playbook, record, "owner")


def owner_of(playbook: Playbook, record: Record) -> Owner | None:
    """The owner of ``record``, with the nearest handle along the chain (None without an owner)."""
    value = record.get("owner")
    if not isinstance(value, str):
        return None
    first = _named(playbook, record, "owner")
    if first is None:
        return Owner(value, value)
    current: Record | None = first
    seen: set[tuple[str, str]] = set()
    for _ in range(MAX_HOPS):
        if current is None or current.key in seen:
            break
        seen.add(current.key)
        handle = handle_of(current, playbook.settings)
        if handle:
            via = None if current is first else current.id
            return Owner(first.id, first.title, handle, first.file, via, first.collection)
        current = _next(playbook, current)
    return Owner(first.id, first.title, None, first.file, None, first.collection)


def team_of(playbook: Playbook, owner: str) -> Record | None:
    """The team an owner id stands for, to group records by team: the owner record's ``team``
    when it names one (a person's team), else the owner record itself (a team, or a person
    without one); None when the id names no record."""
    first = playbook.find(owner, playbook.settings.owner_collections)
    if first is None:
        return None
    return _named(playbook, first, TEAM_FIELD) or first
