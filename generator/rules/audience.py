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
(a record's, or a hand-written page's in ``docs/`` that declares that audience
in its front matter) that repeats a confidential field, or the text or title of
a record explicitly marked with a narrower ``audience`` (records that are
internal only by default are not searched for: mark a record to have its words
guarded). Values that name records (``x-ref``) are ids, not prose: they are
never guarded. A repeat is a whole confidential sentence or text (of at least
:data:`MIN_QUOTE` characters; a title of at least :data:`MIN_TITLE`), or any
:data:`~generator.rules.leaks.QUOTE_WORDS` consecutive words of one, compared after
normalisation (:mod:`generator.rules.leaks`: NFKC, invisible characters dropped, case,
whitespace and punctuation ignored).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..content.loader import LoadError, load_yaml, position
from ..content.model import Playbook, Record
from ..content.pages import DOCS, FRONT_MATTER, hand_written_pages, read_page
from ..content.schemas import Collection, Location, all_annotated_values
from ..content.validate import field_name
from ..core.problems import Problem
from .leaks import Index, word_offsets, words

AUDIENCES = ("public", "partner", "internal")
DEFAULT = "internal"
MIN_QUOTE = 16  # shortest confidential text worth looking for elsewhere
MIN_TITLE = 6  # shortest title of a record marked narrower that is looked for elsewhere
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_SPACE = re.compile(r"\s+")
_FRONT_MATTER = FRONT_MATTER


class _Withheld(str):
    """A reference the audience may not follow; rendered as "withheld", never resolved."""

    def __new__(cls) -> _Withheld:
        return super().__new__(cls, "withheld")

    def __bool__(self) -> bool:
        """False, so that a template's ``{% if data.field %}`` drops the sentence about a record
        the audience may not see, as it does for a field left out."""
        return False

    def __deepcopy__(self, memo: dict[int, Any]) -> _Withheld:
        return self  # the one marker (a playbook scoped again keeps its withheld references)

    def __copy__(self) -> _Withheld:
        return self


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
        doc = load_yaml(match.group(1).encode("utf-8"))
    except LoadError:
        return DEFAULT
    if doc.errors:  # a key given twice: ambiguous, so the narrowest (check reports it)
        return DEFAULT
    data = doc.data
    value = data.get("audience") if isinstance(data, dict) else None
    return value if value in AUDIENCES else DEFAULT


def hidden_paths(collection: Collection, data: Any, viewer: str) -> list[Location]:
    """The values of ``data`` that ``viewer`` may not see: every location where a mark applies
    (wherever the schema walk finds it) that names a narrower audience; where several apply, the
    narrowest counts. A mark that is not an audience hides from all but ``internal``."""
    marks = all_annotated_values(collection, data, "x-audience")
    return [path for path, found in marks.items()
            if any(a not in AUDIENCES or not sees(viewer, a) for a in found) and viewer != DEFAULT]


def hidden_fields(playbook: Playbook, record: Record, viewer: str) -> list[Location]:
    return hidden_paths(playbook.collections[record.collection], record.data, viewer)


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


def _without_empty(playbook: Playbook) -> Playbook:
    """The playbook without its collections that have no record: a section the company does not
    use has no page, nav entry, home box or search entry (the same object when none is empty)."""
    shown = {record.collection for record in playbook.records.values()}
    if all(name in shown for name in playbook.collections):
        return playbook
    return replace(playbook, collections={n: c for n, c in playbook.collections.items() if n in shown})


def scope(playbook: Playbook, viewer: str, keep: AbstractSet[tuple[str, str]] | None = None) -> Playbook:
    """The playbook as ``viewer`` sees it, without the collections it sees no record of (for
    ``internal``, which sees all, the same object unless a collection is empty).
    With ``keep``, only those records are scoped and kept (what is hidden is still judged
    over the whole playbook): the change history scopes the few records a commit changed."""
    if viewer == "internal" and keep is None:
        return _without_empty(playbook)
    judged = playbook.records
    if keep is not None:  # the kept records and those they name: nothing else is looked at
        named = {t.key for k in keep if k in judged for s in playbook.sites_of(judged[k])
                 if (t := playbook.find(s.value, s.targets)) is not None}
        judged = {k: judged[k] for k in {*keep, *named} if k in judged}
    hidden = {key: hidden_fields(playbook, r, viewer) for key, r in judged.items()
              if sees(viewer, of_record(r))}
    # A mark at the top of a record's schema (or in what applies there) hides the whole record.
    visible = {key: playbook.records[key] for key, paths in hidden.items() if () not in paths}
    scoped = Playbook(playbook.root, playbook.collections, settings=playbook.settings,
                      directory_urls=playbook.directory_urls)
    for key, record in visible.items():
        if keep is not None and key not in keep:
            continue
        data = copy.deepcopy(record.data)
        for site in playbook.sites_of(record):
            target = playbook.find(site.value, site.targets)
            if target is not None and target.key not in visible:
                _set(data, site.path, WITHHELD)
        # Deepest first and, within a list, the highest index first, so that no deletion shifts
        # the position of another (paths through one container hold keys of one type, so they sort).
        for path in sorted(set(hidden[key]), reverse=True):
            _delete(data, path)
        scoped.records[key] = Record(record.collection, record.id, record.file, record.doc.with_data(data))
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


def _strings(value: Any) -> list[tuple[Location, str]]:
    """Every text in ``value`` with its path, in document order."""
    found: list[tuple[Location, str]] = []
    _collect(value, (), found)
    return found


def _collect(value: Any, path: Location, found: list[tuple[Location, str]]) -> None:
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, (*path, index), found)


def _under(path: Location, hidden: list[Location]) -> bool:
    return any(path[: len(h)] == h for h in hidden)


_NOT_PROSE = (("title",), ("owner",), ("audience",), ("last_reviewed",))


def _guard(index: Index, text: str, source: int, minimum: int = MIN_QUOTE) -> None:
    """Add a confidential text to ``index``: each sentence and the whole text of at least
    ``minimum`` characters as fragments, and the text as a passage (partial quotes)."""
    found = words(text)
    for part in _SENTENCE.split(text):
        if part != text and len(_normal(part)) >= minimum:
            index.add_fragment(words(part), source)
    if len(_normal(text)) >= minimum:
        index.add_fragment(found, source)
    index.add_passage(found, source)


class _Prose(dict[tuple[str, str], list[tuple[Location, str]]]):
    """Every text of a record (read on first use), without the values that name records: those
    are ids, not prose (a reference to a hidden record is withheld, and an id is never guarded)."""

    def __init__(self, playbook: Playbook) -> None:
        super().__init__()
        self.playbook = playbook

    def __missing__(self, key: tuple[str, str]) -> list[tuple[Location, str]]:
        record = self.playbook.records[key]
        refs = {site.path for site in self.playbook.sites_of(record)}
        found = self[key] = [(path, text) for path, text in _strings(record.data) if path not in refs]
        return found


class _Words(dict[str, list[str]]):
    """The words of each text, worked out once."""

    def __missing__(self, text: str) -> list[str]:
        found = self[text] = words(text)
        return found


def _confidential(playbook: Playbook, viewer: str, prose: _Prose) -> tuple[Index, list[_Text]]:
    """Text ``viewer`` may not see, from fields and records explicitly marked narrower."""
    index, sources = Index(), []
    titles: set[str] = set()  # a text met again adds nothing: its first source is named
    texts: set[str] = set()
    for key, record in playbook.records.items():
        explicit = record.get("audience")
        record_hidden = explicit in AUDIENCES and not sees(viewer, explicit)
        hidden = hidden_fields(playbook, record, viewer)
        if not record_hidden and not hidden:
            continue
        title = record.title
        if record_hidden and title not in titles and len(_normal(title)) >= MIN_TITLE:
            titles.add(title)
            sources.append(_Text(record, ("title",), title))
            _guard(index, title, len(sources) - 1, MIN_TITLE)
        for path, text in prose[key]:
            if text in texts or path[:1] in _NOT_PROSE:
                continue
            if record_hidden or _under(path, hidden):
                texts.add(text)
                sources.append(_Text(record, path, text))
                _guard(index, text, len(sources) - 1)
    return index, sources


def _where(source: _Text) -> str:
    return f"{source.record.file} ({field_name(source.path)})"


def _record_leaks(
    playbook: Playbook, viewer: str, found: tuple[Index, list[_Text]], prose: _Prose, cache: _Words
) -> Iterator[Problem]:
    index, sources = found
    repeats: dict[str, int | None] = {}  # text -> the source it repeats, worked out once
    for key, record in playbook.records.items():
        if not sees(viewer, of_record(record)):
            continue
        hidden = hidden_fields(playbook, record, viewer)
        for path, text in prose[key]:
            if hidden and _under(path, hidden):
                continue  # a hidden field is removed
            if text in repeats:
                source = repeats[text]
            else:
                source = repeats[text] = index.find(cache[text])
            if source is not None:
                yield Problem(record.file, *record.doc.locate(path),
                              f"{field_name(path)}: this text is shown to {viewer} but repeats "
                              f"content it may not see, from {_where(sources[source])}")


def _page_leaks(root: Path, viewer: str, index: Index, sources: list[_Text]) -> Iterator[Problem]:
    """Hand-written pages shown to ``viewer`` (by their front matter): one problem per line
    that starts a repeat, naming the earliest source repeated there."""
    for rel, path in hand_written_pages(root).items():
        text = read_page(path)  # not UTF-8: a problem of its own (see pages.page_problems)
        if text is None or not sees(viewer, of_page(text)):
            continue
        hits = index.matches(words(text))
        if not hits:
            continue
        offsets = word_offsets(text)
        lines: dict[int, tuple[int, int]] = {}  # line -> (column of its first repeat, source)
        for first, source in hits:
            line, column = position(text, offsets[first])
            column, earliest = lines.get(line, (column, source))
            lines[line] = (column, min(source, earliest))
        for line, (column, source) in sorted(lines.items()):
            yield Problem(f"{DOCS}/{rel}", line, column, f"this page is shown to {viewer} but repeats "
                          f"content it may not see, from {_where(sources[source])}")


def _leaks(playbook: Playbook, viewer: str, prose: _Prose, cache: _Words) -> Iterator[Problem]:
    index, sources = _confidential(playbook, viewer, prose)
    if not index:
        return
    yield from _record_leaks(playbook, viewer, (index, sources), prose, cache)
    yield from _page_leaks(playbook.root, viewer, index, sources)


def _owner_problems(playbook: Playbook) -> Iterator[Problem]:
    for record in playbook.records.values():
        audience = of_record(record)
        for site, target in record.refs:
            if site.path == ("owner",) and not sees(audience, of_record(target)):
                yield Problem(record.file, *record.doc.locate(site.path),
                              f"owner: '{target.id}' may be seen by {of_record(target)} only, but this "
                              f"record is shown to {audience}: widen the owner's audience or narrow "
                              "this record's")


# The fields every page of a record shows (its heading, its freshness line): a mark hiding one of
# them from an audience the record is shown to would leave that audience's page without it.
ON_EVERY_PAGE: tuple[Location, ...] = (("title",), ("owner",), ("last_reviewed",))


def _page_field_problems(playbook: Playbook) -> Iterator[Problem]:
    for record in playbook.records.values():
        audience = of_record(record)
        if audience == DEFAULT:
            continue
        hidden = set(hidden_fields(playbook, record, audience))
        for path in ON_EVERY_PAGE:
            if path in hidden:
                yield Problem(record.file, *record.doc.locate(path),
                              f"{field_name(path)}: its schema marks it narrower than this record, which is "
                              f"shown to {audience}; every page of a record shows its {field_name(path)}, "
                              "so remove that \"x-audience\" mark from the schema or narrow this record's "
                              "audience")


def audience_problems(playbook: Playbook) -> list[Problem]:
    problems = list(_owner_problems(playbook)) + list(_page_field_problems(playbook))
    prose, cache = _Prose(playbook), _Words()
    for viewer in AUDIENCES[:-1]:
        problems += _leaks(playbook, viewer, prose, cache)
    return sorted(set(problems))
