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

Speed: the values, every refusal and the comment warnings come from one pass over the
events, in one loop with no call per event. The marks (a location for every value and
key) are only needed when something is reported, so a :class:`Document` keeps the text
and reads it again, with marks, the first time they are asked for: the same events, so
the same values and locations.

Lines are counted as libyaml counts them: ``\\n``, ``\\r\\n``, a lone ``\\r``, NEL
(U+0085) and the line and paragraph separators (U+2028, U+2029) each end a line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..core.problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

Path = tuple[str | int, ...]
Mark = tuple[int, int]
Warning = tuple[int, int, str]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# A "#word" after an unquoted value on its line, up to the end of that line.
_HASHTAG = re.compile(r"[ \t]+(#\S[^\r\n\x85\u2028\u2029]*)")
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SPECIAL: dict[str, Any] = {"": None, "~": None, "null": None, "true": True, "false": False}
_NUMERIC_START = frozenset("-0123456789")

# The event parser alone, without a constructor: libyaml's (always part of a supported install).
_Events: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None) or yaml.SafeLoader

_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocStart = yaml.DocumentStartEvent


class LoadError(Exception):
    """A content file that cannot be turned into data."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class Document:
    """A loaded YAML file: its data, and where each part of it was written.

    ``marks`` and ``key_marks`` map a path (``("objections", 2, "response")``) to the
    1-based (line, column) of its value or key; they are computed from ``source`` on first
    use unless given."""

    __slots__ = ("_key_marks", "_marks", "data", "errors", "source", "warnings")

    def __init__(
        self,
        data: Any,
        marks: dict[Path, Mark] | None = None,
        key_marks: dict[Path, Mark] | None = None,
        warnings: list[Warning] | None = None,
        *,
        source: str | None = None,
        errors: list[Warning] | None = None,
    ) -> None:
        self.data = data
        self._marks = marks
        self._key_marks = key_marks
        self.warnings: list[Warning] = [] if warnings is None else warnings
        # Problems that keep the file from being used but do not stop the reading (a duplicate
        # key), so that they are reported together with the file's other problems.
        self.errors: list[Warning] = [] if errors is None else errors
        self.source = source

    def __repr__(self) -> str:
        return f"Document(data={self.data!r})"

    @property
    def marks(self) -> dict[Path, Mark]:
        if self._marks is None:
            self._read_marks()
        assert self._marks is not None
        return self._marks

    @property
    def key_marks(self) -> dict[Path, Mark]:
        if self._key_marks is None:
            self._read_marks()
        assert self._key_marks is not None
        return self._key_marks

    def _read_marks(self) -> None:
        marks: dict[Path, Mark] = {}
        key_marks: dict[Path, Mark] = {}
        if self.source is not None:
            _build(self.source, marks, key_marks)
        self._marks, self._key_marks = marks, key_marks

    def with_data(self, data: Any) -> Document:
        """Another value written at the same places (a copy of the data, edited)."""
        return Document(data, self._marks, self._key_marks, source=self.source)

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the node at ``path`` (of its key when ``key``), else of its
        nearest located ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        marks = self.marks
        for end in range(len(path), -1, -1):
            mark = marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar, keeping anything ambiguous as text."""
    if text[:1] in _NUMERIC_START:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text) and repr(float(text)) == text:
            return float(text)
        return text
    if len(text) <= 5 and text in _SPECIAL:
        return _SPECIAL[text]
    return text


def position(text: str, index: int) -> Mark:
    """The 1-based (line, column) of character ``index`` of ``text``, lines counted as
    libyaml counts them."""
    line, start = 1, 0
    for found in _BREAK.finditer(text, 0, index):
        line, start = line + 1, found.end()
    return line, index - start + 1


def _mark(event: Any) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise LoadError(1, 1, f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
        raise LoadError(*position(before, len(before)), "file is not valid UTF-8 text") from None
    return text.removeprefix("\ufeff")


def _refuse_node(event: Any) -> None:
    if event.anchor is not None:
        raise LoadError(*_mark(event), f"anchors (&{event.anchor}) are not allowed in content")
    raise LoadError(*_mark(event), f"YAML tags ({event.tag}) are not allowed in content")


def _comment_warning(text: str, event: Any) -> Warning | None:
    """A warning when an unquoted text is followed by ``#word`` on its line: YAML reads that
    as a comment, so "posted in #sales by 13:00" silently becomes "posted in"."""
    end = event.end_mark
    found = _HASHTAG.match(text, end.index)
    if not found:
        return None
    column = end.column + found.start(1) - end.index + 1
    lost = found.group(1).rstrip()
    if not event.value:  # `channel: #sales`: the whole value is the comment
        return (end.line + 1, column, f"the value is empty: '{lost}' is read as a comment, as '#' after "
                f"a space starts one in YAML; quote it to keep it, like \"{lost}\"")
    return (end.line + 1, column, f"the text '{lost}' is read as a comment and "
            "dropped from the value; quote the whole value to keep it")


class _Repeated:
    """Stands for the key of a repeated mapping entry: its value is read (and checked) but not
    kept, and its marks never replace those of the first entry."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key


def _build(  # one loop on purpose: it runs once per event of every content file
    text: str, marks: dict[Path, Mark] | None = None, key_marks: dict[Path, Mark] | None = None,
    errors: list[Warning] | None = None,
) -> tuple[Any, list[Warning]]:
    """The data of ``text`` and its comment warnings; with ``marks`` and ``key_marks``, also
    fill them in; a repeated key goes to ``errors`` (its value is skipped) when given. Raises
    :class:`LoadError` (or PyYAML's errors for invalid YAML)."""
    get: Any = _Events(text).get_event
    marking = marks is not None and key_marks is not None
    look_for_comments = " #" in text or "\t#" in text  # no " #": no text can be lost to a comment
    warnings: list[Warning] = []
    resolve = resolve_plain
    stack: list[tuple[Any, bool, Any, Path]] = []
    container: Any = None  # the open mapping or list (None: at the top)
    in_map = False
    key: Any = None  # the open mapping's key waiting for its value (None: a key comes next)
    path: Path = ()  # the open container's path (kept only when marking)
    data: Any = None
    documents = 0
    event: Any
    while (event := get()) is not None:
        kind = event.__class__
        if kind is _Scalar:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _refuse_node(event)
            plain = event.implicit[0]
            value = resolve(event.value) if plain else event.value
            if in_map and key is None:
                if value.__class__ is not str:
                    shown = event.value or "an empty key"
                    raise LoadError(*_mark(event), f"keys must be text: quote {shown!r} to use it as a key")
                if value in container:
                    if errors is None:
                        raise LoadError(*_mark(event), f"duplicate key '{value}' (it is already set above)")
                    first = key_marks.get((*path, value)) if marking else None  # type: ignore[union-attr]
                    above = f"at line {first[0]}" if first else "above"
                    errors.append((*_mark(event), f"duplicate key '{value}' (it is already set {above}): "
                                   "keep one of the two"))
                    key = _Repeated(value)
                    continue
                key = value
                if marking:
                    key_marks[(*path, value)] = _mark(event)  # type: ignore[index]
                continue
            if in_map:
                if marking:
                    marks[(*path, key)] = _mark(event)  # type: ignore[index]
                if key.__class__ is not _Repeated:
                    container[key] = value
                key = None
            elif container is not None:
                if marking:
                    marks[(*path, len(container))] = _mark(event)  # type: ignore[index]
                container.append(value)
            else:
                data = value
                if marking:
                    marks[()] = _mark(event)  # type: ignore[index]
            if look_for_comments and plain and (value.__class__ is str or not event.value):
                warning = _comment_warning(text, event)
                if warning:
                    warnings.append(warning)
        elif kind is _MapStart or kind is _SeqStart:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                _refuse_node(event)
            if in_map and key is None:
                raise LoadError(*_mark(event), "keys must be text, not a list or mapping")
            if len(stack) >= MAX_DEPTH:
                raise LoadError(*_mark(event), f"nesting is deeper than {MAX_DEPTH} levels")
            new: Any = {} if kind is _MapStart else []
            if in_map:
                child: Path = (*path, key) if marking else ()
                if key.__class__ is not _Repeated:
                    container[key] = new
            elif container is not None:
                child = (*path, len(container)) if marking else ()
                container.append(new)
            else:
                child = ()
                data = new
            if marking:
                marks[child] = _mark(event)  # type: ignore[index]
            stack.append((container, in_map, None, path))
            container, in_map, key, path = new, kind is _MapStart, None, child
        elif kind is _MapEnd or kind is _SeqEnd:
            container, in_map, key, path = stack.pop()
        elif kind is _DocStart:
            documents += 1
            if documents > 1:
                raise LoadError(*_mark(event), "a content file must hold exactly one document")
        elif kind is _Alias:
            raise LoadError(*_mark(event), "aliases (*name) are not allowed in content")
    if documents == 0:
        raise LoadError(1, 1, "file is empty")
    return data, warnings


_KEY_VALUE = re.compile(r"([ \t]*(?:-[ \t]+)?)([^\s:#'\"][^:#]*?):[ \t]+(.+?)[ \t]*$")


def _quote_hint(text: str, line: int) -> str:
    """How to write a line whose value contains ``: `` so that YAML reads it as text."""
    lines = text.splitlines()
    found = _KEY_VALUE.fullmatch(lines[line - 1]) if 0 < line <= len(lines) else None
    if found and '"' not in found.group(3):
        key, value = found.group(2), found.group(3)
        return f": a value that contains ': ' must be in double quotes, like {key}: \"{value}\""
    return ": a value that contains ': ' must be in double quotes"


def load_yaml(raw: bytes) -> Document:
    """Parse one content file. Raises :class:`LoadError` with a 1-based location."""
    text = _decode(raw)
    errors: list[Warning] = []
    try:
        data, warnings = _build(text, errors=errors)
        if errors:  # rare: read again with marks, to say where the first of each pair is
            marks: dict[Path, Mark] = {}
            key_marks: dict[Path, Mark] = {}
            errors.clear()
            data, warnings = _build(text, marks, key_marks, errors)
            return Document(data, marks, key_marks, warnings, source=text, errors=errors)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.problem and "mapping values are not allowed" in exc.problem:
            message += _quote_hint(text, line)
        opened = exc.context_mark
        if exc.problem and exc.context and opened and (opened.line + 1, opened.column + 1) != (line, column):
            message += f" ({exc.context} started at line {opened.line + 1}, column {opened.column + 1})"
        raise LoadError(line, column, message) from None
    except yaml.YAMLError as exc:  # ReaderError: characters YAML forbids
        index = getattr(exc, "position", 0) or 0
        if _Events is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8
            index = len(text.encode("utf-8")[:index].decode("utf-8", errors="ignore"))
        reason = getattr(exc, "reason", "unreadable characters")
        raise LoadError(*position(text, index), f"invalid YAML: {reason}") from None
    return Document(data, warnings=warnings, source=text)


def problem(file: str, error: LoadError) -> Problem:
    return Problem(file, error.line, error.column, error.message)
