"""Finding a playbook's files on disk and turning them into a validated :class:`Playbook`.

``load_playbook`` is the one pipeline that the CLI, the MkDocs plugin and the
tests share: schemas -> content files -> YAML -> schema -> references. Every
problem is collected; nothing here prints or exits.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..content.blanks import tolerate
from ..content.config import FILE, load_settings
from ..content.loader import Document, LoadError, load_yaml
from ..content.model import Playbook, Record
from ..content.pages import page_problems
from ..content.placeholders import placeholder_problems
from ..content.schemas import Collection, RefSite, is_valid_id, load_schemas, record_refs
from ..content.validate import reference_problems, schema_problems
from ..core.dates import is_real_date
from ..core.problems import WARNING, Problem
from .audience import audience_problems
from .closures import closure_problems
from .editor import editor_problems
from .owners import handle_problems

CONTENT = "content"
MAX_REVIEW_DAYS = 3650
SUFFIX = ".yaml"
RESERVED_IDS = frozenset({"index"})  # <collection>/index.md is the collection's overview page
# Characters a title may not hold: it goes into the page's <title>, the nav, tables and terminals.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class ContentFile:
    collection: str
    id: str
    file: str  # relative to the playbook root, POSIX
    path: Path


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as found:
        return sorted((e for e in found if not e.name.startswith(".")), key=lambda e: e.name)


def scan_content(
    root: Path, collections: dict[str, Collection]
) -> tuple[list[ContentFile], list[Problem]]:
    """List ``content/<collection>/<id>.yaml`` files; never follows a symbolic link."""
    top = root / CONTENT
    files: list[ContentFile] = []
    problems: list[Problem] = []
    if not top.is_dir():
        return files, [Problem(CONTENT, 1, 1, "no content/ folder: this does not look like a playbook")]
    for folder in _entries(top):
        rel = f"{CONTENT}/{folder.name}"
        if folder.is_symlink():
            problems.append(Problem(rel, 1, 1, "symbolic links are not allowed in content/"))
        elif not folder.is_dir(follow_symlinks=False):
            problems.append(Problem(rel, 1, 1, "records belong in a collection folder: "
                                    "content/<collection>/<id>.yaml"))
        else:
            found, wrong = _scan_collection(root, folder, collections)
            files += found
            problems += wrong
    return files, problems


def _scan_collection(
    root: Path, folder: os.DirEntry[str], collections: dict[str, Collection]
) -> tuple[list[ContentFile], list[Problem]]:
    files: list[ContentFile] = []
    problems: list[Problem] = []
    known = folder.name in collections
    for entry in _entries(Path(folder.path)):
        rel = f"{CONTENT}/{folder.name}/{entry.name}"
        stem = entry.name.removesuffix(SUFFIX)
        if entry.is_symlink():
            problems.append(Problem(rel, 1, 1, "symbolic links are not allowed in content/"))
        elif not entry.is_file(follow_symlinks=False) or not entry.name.endswith(SUFFIX):
            problems.append(Problem(rel, 1, 1, f"unexpected entry: records are files named <id>{SUFFIX}"))
        elif not known and not (root / "schemas" / f"{folder.name}.schema.json").exists():
            names = ", ".join(collections) or "none"
            problems.append(Problem(rel, 1, 1, f"unknown collection '{folder.name}': there is no "
                                    f"schemas/{folder.name}.schema.json (collections: {names})"))
        elif stem in RESERVED_IDS:
            problems.append(Problem(rel, 1, 1, f"reserved id '{stem}': {folder.name}/{stem}.md is the "
                                    "collection's overview page; rename the file"))
        elif not is_valid_id(stem):
            problems.append(Problem(rel, 1, 1, f"invalid id '{stem}': a file name must be lower-case "
                                    "letters and digits in words joined by single hyphens, like 'mql' "
                                    "or 'ab-lead-follow-up'"))
        else:
            files.append(ContentFile(folder.name, stem, rel, Path(entry.path)))
    return files, problems


# Control characters (but a tab or a line break, which a title's layout collapses into a space),
# line and paragraph separators, and bidirectional formatting.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]")


def convention_problems(item: ContentFile, doc: Document) -> list[Problem]:
    """The record conventions every collection shares, checked in code whatever its schema says:
    a ``title`` that is text, an ``owner`` id, a ``last_reviewed`` that is a real date, and a
    ``review_every_days``, if any, of at most ten years."""
    data = doc.data
    problems = []
    for name in ("title", "owner"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            problems.append(Problem(item.file, *doc.locate((name,)), f"{name}: must be non-empty text"))
    title = data.get("title")
    found = _CONTROL.search(title) if isinstance(title, str) else None
    bad = found.group() if found else None
    if bad is not None:
        problems.append(Problem(item.file, *doc.locate(("title",)), "title: must not contain control "
                                f"characters (found U+{ord(bad):04X})"))
    interval = data.get("review_every_days")
    if "review_every_days" in data and not (type(interval) is int and 1 <= interval <= MAX_REVIEW_DAYS):
        problems.append(Problem(item.file, *doc.locate(("review_every_days",)), "review_every_days: must "
                                f"be a whole number of days from 1 to {MAX_REVIEW_DAYS}"))
    reviewed = data.get("last_reviewed")
    if not (isinstance(reviewed, str) and is_real_date(reviewed)):
        problems.append(Problem(item.file, *doc.locate(("last_reviewed",)),
                                "last_reviewed: must be a real date written YYYY-MM-DD"))
    return problems


@dataclass
class Memo:
    """What loading one version of a playbook found in files the next version shares, for a
    caller that loads many versions (the change history): a file whose bytes and collection are
    the same is not parsed and checked again; schemas whose files are the same are not loaded
    again. The results are those of the same pipeline: only repeated work is saved."""

    schemas: dict[tuple[tuple[str, ...], tuple[tuple[str, bytes], ...]],
                  tuple[dict[str, Collection], list[Problem]]] = field(default_factory=dict)
    records: dict[tuple[str, bytes, int], tuple[Document, list[Problem], bool, list[RefSite]]] = \
        field(default_factory=dict)
    keep: list[Collection] = field(default_factory=list)  # the collections the record keys name

    def collections(self, root: Path, owners: tuple[str, ...]) -> tuple[dict[str, Collection], list[Problem]]:
        folder = root / "schemas"
        files = tuple((p.name, p.read_bytes()) for p in sorted(folder.glob("*.schema.json"))
                      if p.is_file() and not p.is_symlink()) if folder.is_dir() else ()
        key = (owners, files)
        if key not in self.schemas:
            if len(self.schemas) > 16:
                self.schemas.clear()
                self.records.clear()
                self.keep.clear()
            collections, problems = load_schemas(root, owners)
            self.schemas[key] = (collections, problems)
            self.keep += collections.values()
        collections, problems = self.schemas[key]
        return dict(collections), list(problems)


@dataclass
class Loaded:
    """A content file that parsed as YAML; ``valid`` when it also passed its schema."""

    item: ContentFile
    record: Record
    valid: bool


def read_records(
    files: list[ContentFile], collections: dict[str, Collection], memo: Memo | None = None
) -> tuple[list[Loaded], list[Problem]]:
    """Parse and schema-check each file."""
    loaded: list[Loaded] = []
    problems: list[Problem] = []
    for item in files:
        if item.collection not in collections:
            continue  # its schema has problems of its own, reported there
        try:
            raw = item.path.read_bytes()
            key = (item.file, raw, id(collections[item.collection]))
            if memo is not None and key in memo.records:
                doc, found, valid, sites = memo.records[key]
                problems += found
                record = Record(item.collection, item.id, item.file, doc, sites=list(sites))
                loaded.append(Loaded(item, record, valid))
                continue
            doc = load_yaml(raw)
        except OSError as exc:
            problems.append(Problem(item.file, 1, 1, f"cannot read the file: {exc.strerror}"))
            continue
        except LoadError as exc:
            problems.append(Problem(item.file, exc.line, exc.column, exc.message))
            continue
        collection = collections[item.collection]
        tolerate(collection, doc.data)  # an optional field the form editor saved empty is left out
        found = [Problem(item.file, line, col, message) for line, col, message in doc.errors]
        found += schema_problems(collection, item.file, doc) or convention_problems(item, doc)
        valid = not found
        found += [Problem(item.file, line, col, message, WARNING) for line, col, message in doc.warnings]
        found += placeholder_problems(item.file, doc, raw.decode("utf-8", "replace"))
        problems += found
        record = Record(item.collection, item.id, item.file, doc)
        if memo is not None:
            sites = record_refs(collection, doc.data) if isinstance(doc.data, dict) else []
            record.sites = list(sites)
            memo.records[key] = (doc, found, valid, sites)
        loaded.append(Loaded(item, record, valid))
    return loaded, problems


def reference_check(playbook: Playbook, files: list[ContentFile], loaded: list[Loaded]) -> list[Problem]:
    """References that name no record, in valid and invalid records alike.

    Ids are known from file names, so a reference to a record whose file has
    its own problems is not reported a second time.
    """
    ids: dict[str, set[str]] = {}
    for item in files:
        ids.setdefault(item.collection, set()).add(item.id)
    problems: list[Problem] = []
    for entry in loaded:
        record = entry.record
        sites = playbook.sites_of(record)
        problems += reference_problems(sites, ids, record.file, record.doc)
    return problems


@contextmanager
def fewer_gc_passes(threshold: int = 100_000) -> Iterator[None]:
    """Run the cycle collector less often while a playbook is loaded or rendered.

    Loading keeps millions of small, acyclic objects (values, marks); with the default
    threshold the collector walks all of them again and again, which costs a third of
    ``playbook check`` at 10,000 records (see ``make bench``). Cycles are still collected,
    every ``threshold`` allocations instead of every 700.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], threshold), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def switch_off(root: Path, collections: dict[str, Collection], names: tuple[str, ...]
               ) -> tuple[dict[str, Collection], list[Problem]]:
    """The collections without those ``playbook.yml`` switches off (``switched_off``): their
    records are not read, so nothing of them is checked or published, and a reference to one of
    them names no record. A name that is no collection is a problem at its line."""
    problems = []
    for index, name in enumerate(names):
        if name not in collections:
            line, column = load_yaml((root / FILE).read_bytes()).locate(("switched_off", index))
            problems.append(Problem(FILE, line, column, f"switched_off: '{name}' is not a collection "
                                    f"(collections: {', '.join(sorted(collections)) or 'none'})"))
    return {name: c for name, c in collections.items() if name not in names}, problems


def load_playbook(root: Path, memo: Memo | None = None) -> tuple[Playbook, list[Problem]]:
    """Load and validate the playbook at ``root``; return it with every problem found. With
    ``memo``, files met in an earlier load (with the same memo) are not read and checked again."""
    with fewer_gc_passes():
        return _load_playbook(root, memo)


def _load_playbook(root: Path, memo: Memo | None = None) -> tuple[Playbook, list[Problem]]:
    settings, problems = load_settings(root)
    if memo is not None:
        every, found = memo.collections(root, settings.owner_collections)
    else:
        every, found = load_schemas(root, settings.owner_collections)
    problems += found
    collections, found = switch_off(root, every, settings.switched_off)
    problems += found
    files, found = scan_content(root, collections)
    problems += found
    loaded, found = read_records(files, collections, memo)
    problems += found
    playbook = Playbook(root, collections, {e.record.key: e.record for e in loaded if e.valid}, settings)
    problems += reference_check(playbook, files, loaded)
    playbook.link()
    problems += audience_problems(playbook)
    problems += page_problems(root)
    problems += editor_problems(root, every)
    problems += handle_problems(playbook)
    problems += closure_problems(playbook)
    return playbook, sorted(problems)
