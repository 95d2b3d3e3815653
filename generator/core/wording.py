"""How values and field paths read in messages, for every check that reports on data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def describe_value(value: Any) -> str:
    """How a YAML value reads to its author, for 'found ...' in messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def humanize(name: object) -> str:
    """A field or collection name as words: ``owning_team`` and ``owning-team`` -> ``Owning team``."""
    return str(name).replace("_", " ").replace("-", " ").capitalize()


def field_title(schema: object, name: object) -> str:
    """The one title of a field: its schema's ``title``, else its name as words."""
    title = schema.get("title") if isinstance(schema, dict) else None
    return str(title) if title else humanize(name)


def field_name(path: Iterable[str | int]) -> str:
    """``('objections', 2, 'response')`` -> ``objections[2].response``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
