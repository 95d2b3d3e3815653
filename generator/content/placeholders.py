"""Placeholders left in a record: text such as ``TODO`` or ``lorem ipsum``, and the values
``playbook new`` chose by itself (marked with :data:`DEFAULT_MARK`) that nobody has checked yet.

Both are warnings: the record is valid, but not finished.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..core.problems import WARNING, Problem
from .loader import Document

# Written by ``playbook new`` after a value it chose (the first option, the first team...).
DEFAULT_MARK = "# playbook new chose this: check it, then delete this comment"
_DEFAULT_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?([^\s:#][^:#]*?):.*?(#[ \t]*playbook new chose this\b.*)$")
_CONFIRM = "check that it is right, then delete the comment"
_PLACEHOLDER = re.compile(r"(?<![\w-])(TODO|TBD|FIXME|lorem ipsum|lorem)(?![\w-])", re.IGNORECASE)


def _strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _field(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def placeholder_problems(file: str, doc: Document, text: str) -> list[Problem]:
    """A warning for each text value with a placeholder word in it, and for each value that
    ``playbook new`` chose and nobody confirmed (its comment is still there)."""
    problems: list[Problem] = []
    if _PLACEHOLDER.search(text) is None and "playbook new chose this" not in text:
        return problems  # the words are not in the file at all: no need to walk its values
    for path, value in _strings(doc.data):
        found = _PLACEHOLDER.search(value)
        if found:
            line, column = doc.locate(path)
            word = found.group(1)
            problems.append(Problem(file, line, column, f"{_field(path)}: placeholder text '{word}' is still "
                                    "here: replace it with the real content", WARNING))
    if "playbook new chose this" in text:
        for number, line_text in enumerate(text.split("\n"), start=1):
            found = _DEFAULT_LINE.match(line_text)
            if found:
                name = found.group(1).strip()
                message = f"{name}: `playbook new` chose this value; {_CONFIRM}"
                problems.append(Problem(file, number, found.start(2) + 1, message, WARNING))
    return problems
