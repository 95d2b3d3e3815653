"""Placeholders left in a record: text such as ``TODO`` or ``lorem ipsum``, links to the addresses
reserved for examples (``example.com``, ``example.org``, ``example.net``, names ending in
``.example``, ``.invalid``, ``.test`` or ``.localhost``, and ``localhost``: RFC 2606 and RFC 6761,
which no real page can have), and the values ``playbook new`` chose by itself (marked with
:data:`DEFAULT_MARK`) that nobody has checked yet.

All are warnings: the record is valid, but not finished.
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
# A web address (its host: up to the first /, :, ?, #, space or closing bracket or quote) ...
_URL = re.compile(r"\b(?:https?|ftp)://(?:[^@/\s]*@)?([^/\s:?#)\]>\"'`]+)[^\s)\]>\"'`]*", re.IGNORECASE)
# ... whose host is one of the names reserved for examples and tests.
_RESERVED = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|example|invalid|test|localhost)$", re.IGNORECASE)


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


def placeholder_link(value: str) -> str | None:
    """The first link in ``value`` to an address reserved for examples, or None."""
    for found in _URL.finditer(value):
        if _RESERVED.search(found.group(1).rstrip(".")):
            return found.group(0)
    return None


def placeholder_problems(file: str, doc: Document, text: str) -> list[Problem]:
    """A warning for each text value with a placeholder word or a placeholder link in it, and
    for each value that ``playbook new`` chose and nobody confirmed (its comment is still there)."""
    problems: list[Problem] = []
    words, links = _PLACEHOLDER.search(text) is not None, "://" in text
    if not words and not links and "playbook new chose this" not in text:
        return problems  # the words are not in the file at all: no need to walk its values
    for path, value in _strings(doc.data) if words or links else ():
        found = _PLACEHOLDER.search(value) if words else None
        if found:
            line, column = doc.locate(path)
            word = found.group(1)
            problems.append(Problem(file, line, column, f"{_field(path)}: placeholder text '{word}' is still "
                                    "here: replace it with the real content", WARNING))
        link = placeholder_link(value) if links and "://" in value else None
        if link is not None:
            line, column = doc.locate(path)
            problems.append(Problem(file, line, column, f"{_field(path)}: placeholder link '{link}': "
                                    "link to the real page, or leave the link out", WARNING))
    if "playbook new chose this" in text:
        for number, line_text in enumerate(text.split("\n"), start=1):
            found = _DEFAULT_LINE.match(line_text)
            if found:
                name = found.group(1).strip()
                message = f"{name}: `playbook new` chose this value; {_CONFIRM}"
                problems.append(Problem(file, number, found.start(2) + 1, message, WARNING))
    return problems
