"""Safe YAML loading with line marks.

One loader for all content. It builds plain Python values from libyaml's event
stream (never from PyYAML's constructors), so that:

- every value and every mapping key keeps its 1-based line and column;
- duplicate keys, anchors and aliases, explicit tags, several documents and
  non-string keys are refused with a located problem instead of losing data or
  exploding in memory;
- scalars stay what the author wrote: dates, ``yes``/``NO`` and ``1.10`` are
  strings; only ``true``/``false``, ``null``/``~``, decimal integers and
  decimals that read back exactly (``0.5``, not ``1.10``) become other types;
- files that are too large, too deeply nested or not UTF-8 are refused before
  any Python structure is built from them; the builder itself is iterative, so
  no nesting can overflow a stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

Path = tuple[str | int, ...]
Mark = tuple[int, int]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_HASHTAG = re.compile(r"[ \t]+(#\S.*)")
_NULLS = frozenset({"", "~", "null"})
_BOOLS = {"true": True, "false": False}

try:  # pragma: no branch - the C parser is part of every supported install
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Parser = yaml.SafeLoader


class LoadError(Exception):
    """A content file that cannot be turned into data."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass
class Document:
    """A loaded YAML file: its data, and where each part of it was written."""

    data: Any
    marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    warnings: list[tuple[int, int, str]] = field(default_factory=list)

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the node at ``path`` (of its key when ``key``), else of its
        nearest located ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar, keeping anything ambiguous as text."""
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and repr(float(text)) == text:
        return float(text)
    return text


def _mark(event: Any) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise LoadError(1, 1, f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise LoadError(line, column, "file is not valid UTF-8 text") from None
    return text.removeprefix("\ufeff")


class _Builder:
    """Turns a libyaml event stream into values, marks and problems."""

    def __init__(self, text: str) -> None:
        self.doc = Document(data=None)
        # Only files with a " #" anywhere can lose text to a comment: look closer only then.
        self.lines = text.split("\n") if " #" in text or "\t#" in text else None
        # Each frame: [container, path, pending key or None, set of keys seen]
        self.stack: list[list[Any]] = []
        self.documents = 0

    def run(self, events: Any) -> Document:
        for event in events:
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise LoadError(*_mark(event), "a content file must hold exactly one document")
            elif kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, {} if kind is yaml.MappingStartEvent else [])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._end()
            elif kind is yaml.AliasEvent:
                raise LoadError(*_mark(event), "aliases (*name) are not allowed in content")
        if self.documents == 0:
            raise LoadError(1, 1, "file is empty")
        return self.doc

    def _check_node(self, event: Any) -> None:
        if event.anchor is not None:
            raise LoadError(*_mark(event), f"anchors (&{event.anchor}) are not allowed in content")
        if event.tag is not None and event.tag != "!":
            raise LoadError(*_mark(event), f"YAML tags ({event.tag}) are not allowed in content")

    def _scalar(self, event: Any) -> None:
        self._check_node(event)
        value = resolve_plain(event.value) if event.implicit[0] else event.value
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            self._key(event, value)
        else:
            self._place(value, _mark(event))
            if self.lines is not None and event.implicit[0] and isinstance(value, str):
                self._comment_after(event)

    def _comment_after(self, event: Any) -> None:
        """Warn when an unquoted text is followed by ``#word`` on its line: YAML reads that as a
        comment, so "posted in #sales by 13:00" silently becomes "posted in"."""
        end = event.end_mark
        rest = self.lines[end.line][end.column:] if self.lines else ""
        found = _HASHTAG.match(rest)
        if found:
            column = end.column + found.start(1) + 1
            self.doc.warnings.append((end.line + 1, column, f"the text '{found.group(1).rstrip()}' "
                                      "is read as a comment and dropped from the value; quote the whole "
                                      "value to keep it"))

    def _key(self, event: Any, key: Any) -> None:
        frame = self.stack[-1]
        if not isinstance(key, str):
            shown = event.value or "an empty key"
            raise LoadError(*_mark(event), f"keys must be text: quote {shown!r} to use it as a key")
        if key in frame[0]:
            raise LoadError(*_mark(event), f"duplicate key '{key}' (it is already set above)")
        frame[2] = key
        self.doc.key_marks[(*frame[1], key)] = _mark(event)

    def _start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        self._check_node(event)
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            raise LoadError(*_mark(event), "keys must be text, not a list or mapping")
        if len(self.stack) >= MAX_DEPTH:
            raise LoadError(*_mark(event), f"nesting is deeper than {MAX_DEPTH} levels")
        path = self._place(container, _mark(event))
        self.stack.append([container, path, None])

    def _end(self) -> None:
        self.stack.pop()

    def _place(self, value: Any, mark: Mark) -> Path:
        if not self.stack:
            self.doc.data = value
            path: Path = ()
        else:
            frame = self.stack[-1]
            parent = frame[0]
            if isinstance(parent, dict):
                path = (*frame[1], frame[2])
                parent[frame[2]] = value
                frame[2] = None
            else:
                path = (*frame[1], len(parent))
                parent.append(value)
        self.doc.marks[path] = mark
        return path


def load_yaml(raw: bytes) -> Document:
    """Parse one content file. Raises :class:`LoadError` with a 1-based location."""
    text = _decode(raw)
    try:
        return _Builder(text).run(yaml.parse(text, Loader=_Parser))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        opened = exc.context_mark
        if exc.problem and exc.context and opened and (opened.line + 1, opened.column + 1) != (line, column):
            message += f" ({exc.context} started at line {opened.line + 1}, column {opened.column + 1})"
        raise LoadError(line, column, message) from None
    except yaml.YAMLError as exc:  # ReaderError: characters YAML forbids
        position = getattr(exc, "position", 0) or 0
        before = text[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
        reason = getattr(exc, "reason", "unreadable characters")
        raise LoadError(line, column, f"invalid YAML: {reason}") from None


def problem(file: str, error: LoadError) -> Problem:
    return Problem(file, error.line, error.column, error.message)
