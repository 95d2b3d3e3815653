"""Audiences: who may see a record, or a field of it, and the playbook as one audience sees it.

A static site has no login, so confidentiality means never publishing what an
audience must not see. Three audiences, widest first: ``public`` (anyone),
``partner`` (agencies and partners), ``internal`` (the company; the default).

- A record's ``audience`` field names the widest audience that may see it;
  without one, a record is ``internal``.
- A schema marks a confidential field with ``"x-audience": "internal"`` (or
  ``partner``): that field is removed from the record for wider audiences.

:func:`scope` returns the playbook as an audience sees it: hidden records are
gone, hidden fields are removed, and a reference to something hidden is
replaced by :data:`WITHHELD`, which renders as "withheld" and never as the
id. Every page, table, diagram, index and export is built from that view, so
nothing downstream needs to know about audiences.

:func:`audience_problems` reports what would leak: a record shown to an
audience whose owner that audience may not see, and text shown to an audience
that repeats a confidential field, or the text or title of a record explicitly
marked with a narrower ``audience`` (records that are internal only by
default are not searched for: mark a record to have its words guarded).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .loader import Document, LoadError, load_yaml
from .model import Playbook, Record
from .problems import Problem
from .schemas import Location, annotated_values
from .validate import field_name

AUDIENCES = ("public", "partner", "internal")
DEFAULT = "internal"
MIN_QUOTE = 16  # shortest confidential text worth looking for elsewhere
MIN_TITLE = 6  # shortest title of a record marked narrower that is looked for elsewhere
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_SPACE = re.compile(r"\s+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class _Withheld(str):
    """A reference the audience may not follow; rendered as "withheld", never resolved."""

    def __new__(cls) -> _Withheld:
        return super().__new__(cls, "withheld")


WITHHELD = _Withheld()


def is_withheld(value: object) -> bool:
    return isinstance(value, _Withheld)


def sees(viewer: str, audience: str) -> bool:
    """True when ``viewer`` may see what is marked ``audience``."""
    return AUDIENCES.index(viewer) >= AUDIENCES.index(audience)


def of_record(record: Record) -> str:
    value = record.get("audience", DEFAULT)
    return value if value in AUDIENCES else DEFAULT


def of_page(text: str) -> str:
    """The audience a hand-written page declares in its front matter (``audience: partner``);
    ``internal`` when it declares none or the front matter cannot be read."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return DEFAULT
    try:
        data = load_yaml(match.group(1).encode("utf-8")).data
    except LoadError:
        return DEFAULT
    value = data.get("audience") if isinstance(data, dict) else None
    return value if value in AUDIENCES else DEFAULT


def hidden_fields(playbook: Playbook, record: Record, viewer: str) -> list[Location]:
    marks = annotated_values(playbook.collections[record.collection], record.data, "x-audience")
    return [path for path, audience in marks.items() if audience in AUDIENCES and not sees(viewer, audience)]


def _delete(data: Any, path: Location) -> None:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]


def _set(data: Any, path: Location, value: Any) -> None:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value


def scope(playbook: Playbook, viewer: str) -> Playbook:
    """The playbook as ``viewer`` sees it (the same object for ``internal``, which sees all)."""
    if viewer == "internal":
        return playbook
    visible = {key: r for key, r in playbook.records.items() if sees(viewer, of_record(r))}
    scoped = Playbook(playbook.root, playbook.collections)
    for key, record in visible.items():
        data = copy.deepcopy(record.data)
        for site in playbook.sites_of(record):
            target = playbook.find(site.value, site.targets)
            if target is not None and target.key not in visible:
                _set(data, site.path, WITHHELD)
        # Deepest first and, within a list, the highest index first, so that no deletion shifts
        # the position of another (paths through one container hold keys of one type, so they sort).
        for path in sorted(set(hidden_fields(playbook, record, viewer)), reverse=True):
            _delete(data, path)
        doc = Document(data, record.doc.marks, record.doc.key_marks)
        scoped.records[key] = Record(record.collection, record.id, record.file, doc)
    shown = {record.collection for record in scoped.records.values()}
    scoped.collections = {name: c for name, c in playbook.collections.items() if name in shown}
    scoped.link()
    return scoped


# ---------------------------------------------------------------------------
# Leak checks


@dataclass(frozen=True)
class _Text:
    record: Record
    path: Location
    text: str


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _strings(value: Any, path: Location = ()) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _fragments(text: str) -> set[str]:
    whole = _normal(text)
    parts = {_normal(s) for s in _SENTENCE.split(text)} | {whole}
    return {p for p in parts if len(p) >= MIN_QUOTE}


def _confidential(playbook: Playbook, viewer: str) -> dict[str, _Text]:
    """Text ``viewer`` may not see, from fields and records explicitly marked narrower."""
    found: dict[str, _Text] = {}
    for record in playbook.records.values():
        explicit = record.get("audience")
        record_hidden = explicit in AUDIENCES and not sees(viewer, explicit)
        hidden = hidden_fields(playbook, record, viewer)
        if not record_hidden and not hidden:
            continue
        if record_hidden and len(_normal(record.title)) >= MIN_TITLE:
            found.setdefault(_normal(record.title), _Text(record, ("title",), record.title))
        for path, text in _strings(record.data):
            if path[:1] in (("title",), ("owner",), ("audience",), ("last_reviewed",)):
                continue
            if record_hidden or any(path[: len(h)] == h for h in hidden):
                for fragment in _fragments(text):
                    found.setdefault(fragment, _Text(record, path, text))
    return found


def _whole_words(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def _leaks(playbook: Playbook, viewer: str) -> Iterator[Problem]:
    confidential = _confidential(playbook, viewer)
    if not confidential:
        return
    for record in playbook.records.values():
        if not sees(viewer, of_record(record)):
            continue
        hidden = hidden_fields(playbook, record, viewer)
        refs = {site.path for site in playbook.sites_of(record)}
        for path, text in _strings(record.data):
            if path in refs or any(path[: len(h)] == h for h in hidden):
                continue  # a reference is withheld, not shown; a hidden field is removed
            shown = f" {_normal(text)} "
            for fragment, source in confidential.items():
                if fragment in shown and _whole_words(fragment, shown):
                    where = f"{source.record.file} ({field_name(source.path)})"
                    yield Problem(record.file, *record.doc.locate(path),
                                  f"{field_name(path)}: this text is shown to {viewer} but repeats "
                                  f"content it may not see, from {where}")
                    break


def _owner_problems(playbook: Playbook) -> Iterator[Problem]:
    for record in playbook.records.values():
        audience = of_record(record)
        for site, target in record.refs:
            if site.path == ("owner",) and not sees(audience, of_record(target)):
                yield Problem(record.file, *record.doc.locate(site.path),
                              f"owner: '{target.id}' may be seen by {of_record(target)} only, but this "
                              f"record is shown to {audience}: widen the owner's audience or narrow "
                              "this record's")


def audience_problems(playbook: Playbook) -> list[Problem]:
    problems = list(_owner_problems(playbook))
    for viewer in AUDIENCES[:-1]:
        problems += _leaks(playbook, viewer)
    return sorted(set(problems))
