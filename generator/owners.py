"""Who owns a record, and the code-host handle that reaches them.

One rule, used by the freshness report, the stale-content issue and CODEOWNERS,
so that an issue @-mentions exactly whom a pull request is routed to:

- A record's ``owner`` names an owner record (a person or a team).
- Its handle is that record's ``github`` field when it is well-formed: a user
  name (``dana-reyes``) or an ``org/team`` slug (``example/revops``). Anything
  else is never written out, so a bad value cannot mention or route to a stranger.
- An owner record without a handle is reached through the next record along: its
  ``team`` when it names one (a person's team), otherwise its own ``owner``; and
  so on, a few steps at most, never around a loop.
- With no handle anywhere, the owner is named but nobody is mentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Playbook, Record

OWNER_COLLECTIONS = ("people", "teams")  # where an owner id is looked up when no reference says
HANDLE_FIELD = "github"
TEAM_FIELD = "team"
MAX_HOPS = 6
_HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?")


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


def github_handle(record: Record) -> str | None:
    """The record's own handle, when it is well-formed."""
    value = record.get(HANDLE_FIELD)
    return value if isinstance(value, str) and _HANDLE.fullmatch(value) else None


def _named(playbook: Playbook, record: Record, field: str) -> Record | None:
    """The record that ``record``'s top-level ``field`` names, as its reference resolved it."""
    for site, target in record.refs:
        if site.path == (field,):
            return target
    value = record.get(field)
    if field == "owner" and isinstance(value, str):
        return playbook.find(value, OWNER_COLLECTIONS)
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
        handle = github_handle(current)
        if handle:
            via = None if current is first else current.id
            return Owner(first.id, first.title, handle, first.file, via, first.collection)
        current = _next(playbook, current)
    return Owner(first.id, first.title, None, first.file, None, first.collection)


def team_of(playbook: Playbook, owner: str) -> Record | None:
    """The team an owner id stands for, to group records by team: the owner record's ``team``
    when it names one (a person's team), else the owner record itself (a team, or a person
    without one); None when the id names no record."""
    first = playbook.find(owner, OWNER_COLLECTIONS)
    if first is None:
        return None
    return _named(playbook, first, TEAM_FIELD) or first
