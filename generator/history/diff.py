"""The diff engine: what a change does to the playbook's records, in business terms.

Compares the records of two versions of the repository (two commits, or a commit
and the working tree) and returns structured :class:`Change` objects: records
added, removed and renamed; for a changed record, each field's ``old → new``, the
items added to or removed from its lists and the records it now names or no longer
names, always with titles. It flags a record whose content changed while
``last_reviewed`` did not, and a record where only ``last_reviewed`` changed (the
owner confirmed that it is still accurate).

The working tree side includes uncommitted and untracked files: locally that shows
your edits before you commit, and in CI the checkout *is* the pull request. A
rename is a content file that disappeared while a file of the same collection
appeared with at least half of its fields unchanged (``last_reviewed`` aside).
Git is reached only through :mod:`generator.history.gitrepo`; the Markdown report is
:mod:`generator.history.diff_markdown`.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.config import load_settings
from ..content.loader import LoadError, load_yaml
from ..content.schemas import (
    SCHEMA_SUFFIX,
    Collection,
    all_annotated_values,
    is_valid_id,
    load_schemas,
    named_in,
    record_refs,
    ref_targets,
    resolve_node,
)
from ..core.wording import field_title
from ..rules.project import CONTENT, SUFFIX
from . import gitrepo

REVIEWED = "last_reviewed"
RENAME_SIMILARITY = 0.5
_RECORD = re.compile(r"content/([^/]+)/([^/]+)\.yaml")


DiffError = gitrepo.GitError  # the comparison cannot be made (not a repository, an unknown revision)


# ---------------------------------------------------------------------------
# The two sides of a comparison


def content(value: Any) -> Any:
    """A value as a reader sees it: text without the white space around it (a YAML block's final
    line break), an empty text, list or mapping the same as none. What the form editor (Decap
    CMS) changes when it saves a file, re-serialising it, is none of these readers' business."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return [content(v) for v in value] or None
    if isinstance(value, dict):
        kept = {k: content(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None} or None
    return value


@dataclass
class Side:
    """One version of the playbook: a commit, or the working tree."""

    root: Path
    commit: str | None  # None: the working tree
    files: dict[str, str] = field(default_factory=dict)  # path -> blob id
    cache: dict[str, bytes] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"`{self.commit[:12]}`" if self.commit else "the working tree"

    def read(self, paths: list[str]) -> dict[str, bytes]:
        """The bytes of these files (one ``git cat-file --batch`` for a commit)."""
        wanted = sorted({p for p in paths if p in self.files and p not in self.cache})
        if wanted and self.commit is None:
            for path in wanted:
                self.cache[path] = (self.root / path).read_bytes()
        elif wanted:
            blobs = gitrepo.read_blobs(self.root, [self.files[p] for p in wanted])
            self.cache.update(zip(wanted, blobs, strict=True))
        return {p: self.cache[p] for p in paths if p in self.cache}

    def collections(self) -> dict[str, Collection]:
        # The owner collections of playbook.yml as it is now ("@owners"), for either side.
        owners = load_settings(self.root)[0].owner_collections
        if self.commit is None:
            return load_schemas(self.root, owners)[0]
        names = [p for p in self.files if p.startswith("schemas/")]
        with tempfile.TemporaryDirectory(prefix="playbook-diff-") as tmp:
            folder = Path(tmp) / "schemas"
            folder.mkdir()
            for path, data in self.read(names).items():
                (folder / Path(path).name).write_bytes(data)
            return load_schemas(Path(tmp), owners)[0]


def _wanted(path: str) -> bool:
    if path.startswith("schemas/"):
        return path.count("/") == 1 and path.endswith(SCHEMA_SUFFIX)
    match = _RECORD.fullmatch(path)
    return match is not None and is_valid_id(match.group(1)) and is_valid_id(match.group(2))


def commit_side(root: Path, commit: str) -> Side:
    entries = gitrepo.ls_tree(root, commit, f"{CONTENT}/", "schemas/")
    files = {e.path: e.oid for e in entries if e.is_plain_file and _wanted(e.path)}
    return Side(root, commit, files)


def worktree_side(root: Path) -> Side:
    algorithm = gitrepo.object_format(root)
    side = Side(root, None)
    candidates = [*(root / CONTENT).glob(f"*/*{SUFFIX}"), *(root / "schemas").glob(f"*{SCHEMA_SUFFIX}")]
    for path in sorted(candidates):
        rel = path.relative_to(root).as_posix()
        if _wanted(rel) and not path.is_symlink() and not path.parent.is_symlink() and path.is_file():
            data = path.read_bytes()
            side.files[rel], side.cache[rel] = gitrepo.blob_id(data, algorithm), data
    return side


# ---------------------------------------------------------------------------
# Records on each side


@dataclass
class Version:
    side: Side
    path: str
    collection: str
    id: str
    data: Any = None
    error: str | None = None

    @property
    def title(self) -> str:
        if isinstance(self.data, dict) and isinstance(self.data.get("title"), str | int | float):
            return str(self.data["title"])
        return self.id


def _version(side: Side, path: str, raw: bytes) -> Version:
    match = _RECORD.fullmatch(path)
    assert match
    version = Version(side, path, match.group(1), match.group(2))
    try:
        version.data = load_yaml(raw).data
    except LoadError as exc:
        version.error = f"line {exc.line}, column {exc.column}: {exc.message}"
    return version


def _parsed(raw: bytes) -> Any:
    try:
        return load_yaml(raw).data
    except LoadError:
        return None


def similarity(old_raw: bytes, new_raw: bytes, old: Any = None, new: Any = None) -> float:
    """How alike two versions of a record are: the share of fields (``last_reviewed`` aside) with
    equal values, or of the text when either does not parse as a mapping. YAML keys would make any
    two records of a collection look alike as text, so the fields decide whenever they can."""
    if old_raw == new_raw:
        return 1.0
    if isinstance(old, dict) and isinstance(new, dict):
        keys = ({*old, *new} - {REVIEWED}) or {REVIEWED}
        return sum(1 for k in keys if k in old and k in new and old[k] == new[k]) / len(keys)
    return difflib.SequenceMatcher(None, old_raw.decode("utf-8", "replace"),
                                   new_raw.decode("utf-8", "replace"), autojunk=False).ratio()


RARE = 32  # a field value shared by more removed records than this does not suggest a rename


def _pair_renames(removed: dict[str, bytes], added: dict[str, bytes]) -> list[tuple[str, str]]:
    """Pairs (old path, new path) of the same collection, most alike first.

    Linear in the records, not in their pairs (a bulk re-id replaces thousands at once): only
    pairs that share a file's bytes, or a field value held by at most :data:`RARE` removed
    records of the collection, are compared (a rename keeps at least half of its fields, and
    values shared by many records say nothing about which record became which)."""
    data = {**{("old", p): _parsed(raw) for p, raw in removed.items()},
            **{("new", p): _parsed(raw) for p, raw in added.items()}}
    same: dict[tuple[str, bytes], list[str]] = {}
    index: dict[tuple[str, str, str], list[str]] = {}
    texts: dict[str, list[str]] = {}  # removed records that are not mappings, by collection
    for old, raw in removed.items():
        collection = old.split("/")[1]
        same.setdefault((collection, raw), []).append(old)
        value = data["old", old]
        if isinstance(value, dict):
            for key, item in value.items():
                if key != REVIEWED:
                    index.setdefault((collection, str(key), _canonical(item)), []).append(old)
        else:
            texts.setdefault(collection, []).append(old)
    scored = []
    for new, new_raw in added.items():
        collection = new.split("/")[1]
        value = data["new", new]
        candidates = set(same.get((collection, new_raw), ()))
        if isinstance(value, dict):
            for key, item in value.items():
                posting = index.get((collection, str(key), _canonical(item)), ())
                if key != REVIEWED and len(posting) <= RARE:
                    candidates.update(posting)
        if not isinstance(value, dict) or not candidates:
            candidates.update(texts.get(collection, ())[:RARE])
        for old in candidates:
            ratio = similarity(removed[old], new_raw, data["old", old], value)
            if ratio >= RENAME_SIMILARITY:
                scored.append((-ratio, old, new))
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for _, old, new in sorted(scored):
        if old not in used and new not in used:
            used.update((old, new))
            pairs.append((old, new))
    return pairs


# ---------------------------------------------------------------------------
# Describing changes: FieldChange values (written for each output by generator.history.renderers)

FOUND, MISSING, AMBIGUOUS, WITHHELD = "found", "missing", "ambiguous", "withheld"
METADATA = "x-metadata"
BUILT_IN_METADATA = ("audience", REVIEWED)  # fields of every collection that are housekeeping


@dataclass(frozen=True)
class Ref:
    """A value that names a record, looked up on its side by the one reference rule
    (:func:`generator.content.schemas.named_in`): found (with the record's collection and title
    then), missing, ambiguous (an id that several of the named collections hold: it names none)
    or withheld (a record the audience may not see)."""

    id: str
    outcome: str = FOUND
    collection: str = ""
    title: str = ""
    among: tuple[str, ...] = ()  # ambiguous: the collections holding the id
    token: int | None = None  # the history's: a record whose visibility is judged when read


@dataclass(frozen=True)
class FieldChange:
    """One change to one field of a record, as data: no output's wording or escaping.

    ``path``: the keys and (0-based) positions from the record's top; ``titles``: one per step,
    a key's schema title or an item's 1-based position. ``kind``: added, removed, changed or
    reordered; ``old``/``new``: the values (a reference as a :class:`Ref`); for a list whose
    items came and went, ``added``/``removed`` hold those items. ``metadata``: housekeeping
    rather than content (``audience``, ``last_reviewed``, the collection's numeric ordering
    field, anything marked ``"x-metadata": true``). ``references``: not a field but the records
    the record names (``added``: gained, ``removed``: lost). In the change of a record added or
    removed, the fields are what it held (its owner and review date)."""

    path: tuple[str | int, ...]
    titles: tuple[str, ...]
    kind: str
    old: Any = None
    new: Any = None
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    metadata: bool = False
    references: bool = False

    @property
    def title(self) -> str:
        """The schema title of the field (of the innermost key)."""
        named = [t for step, t in zip(self.path, self.titles, strict=True) if not isinstance(step, int)]
        return named[-1] if named else (self.titles[-1] if self.titles else "")

    @property
    def review(self) -> bool:
        """The record's own review date."""
        return self.path == (REVIEWED,)

    def parts(self) -> list[tuple[str, str]]:
        """(separator, title) per step: " / " before a key, " " before a position."""
        return [("" if n == 0 else " " if isinstance(step, int) else " / ", title)
                for n, (step, title) in enumerate(zip(self.path, self.titles, strict=True))]


def _data(value: Any) -> Any:
    """A record's value as plain data: text keys (how every output writes them)."""
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data(v) for v in value]
    return value


class Describer:
    def __init__(self, base: Side, head: Side) -> None:
        self.base, self.head = base, head
        self.base_collections = base.collections()
        self.head_collections = head.collections()

    # Names and titles -------------------------------------------------------

    def kind(self, version: Version) -> str:
        collection = self.collections(version.side).get(version.collection)
        return collection.singular if collection else version.collection

    def collections(self, side: Side) -> dict[str, Collection]:
        return self.head_collections if side is self.head else self.base_collections

    def order(self, version: Version) -> tuple[int, str, str]:
        collection = self.collections(version.side).get(version.collection)
        return (collection.order if collection else 1000, version.collection, version.id)

    def find(self, side: Side, record_id: str, targets: tuple[str, ...]) -> list[str]:
        """The files a reference names on ``side``, by the one reference rule: one resolves it,
        none names no record, more are an ambiguous reference (which names none of them)."""
        def path(collection: str, name: str) -> str:
            return f"{CONTENT}/{collection}/{name}{SUFFIX}"

        found = named_in(record_id, targets, lambda c, v: path(c, v) in side.files)
        return [path(c, record_id) for c in found]

    def ref(self, side: Side, record_id: str, targets: tuple[str, ...]) -> Ref:
        """A referenced record as found on ``side``."""
        paths = self.find(side, record_id, targets)
        if len(paths) > 1:
            return Ref(record_id, AMBIGUOUS, among=tuple(p.split("/")[1] for p in paths))
        if not paths:
            return Ref(record_id, MISSING)
        version = _version(side, paths[0], side.read(paths).get(paths[0], b""))
        return Ref(version.id, FOUND, version.collection, version.title)

    # Values -----------------------------------------------------------------

    def value(self, side: Side, node: dict[str, Any], value: Any) -> Any:
        """A value as data; a reference as a :class:`Ref`."""
        if isinstance(value, str) and value != "" and "x-ref" in node:
            return self.ref(side, value, ref_targets(node["x-ref"]))
        return _data(value)

    # Fields -----------------------------------------------------------------

    def fields(self, collection: Collection | None, old: Any, new: Any) -> list[FieldChange]:
        schema = collection.schema if collection else {}
        marked = self._marked(collection, old, new)
        return self._compare(collection, schema, (), (), old, new, marked, metadata=False)

    def _marked(self, collection: Collection | None, old: Any, new: Any) -> set[tuple[str | int, ...]]:
        """Where housekeeping fields are, on either side (see :class:`FieldChange`)."""
        marked: set[tuple[str | int, ...]] = {(name,) for name in BUILT_IN_METADATA}
        if collection is None:
            return marked
        node = self._node(collection, collection.schema.get("properties", {}).get(collection.sort, {}))
        if collection.sort != "title" and node.get("type") in ("integer", "number"):
            marked.add((collection.sort,))
        for data in (old, new):
            marked.update(path for path, values in all_annotated_values(collection, data, METADATA).items()
                          if True in values)
        return marked

    def _node(self, collection: Collection | None, schema: Any) -> dict[str, Any]:
        if collection is None or not isinstance(schema, dict):
            return schema if isinstance(schema, dict) else {}
        return resolve_node(collection, schema)

    def _compare(self, collection: Collection | None, schema: Any, path: tuple[str | int, ...],
                 titles: tuple[str, ...], old: Any, new: Any, marked: set[tuple[str | int, ...]],
                 metadata: bool) -> list[FieldChange]:
        node = self._node(collection, schema)
        metadata = metadata or path in marked
        if old == new or content(old) == content(new):
            return []
        if isinstance(old, dict) and isinstance(new, dict):
            properties = node.get("properties", {})
            keys = [k for k in properties if k in old or k in new]
            keys += sorted(k for k in {*old, *new} if k not in properties)
            found = []
            for key in keys:
                if not path and key == REVIEWED:
                    continue
                sub = self._node(collection, properties.get(key, {}))
                found += self._compare(collection, properties.get(key, {}), (*path, key),
                                       (*titles, field_title(sub, key)), old.get(key), new.get(key),
                                       marked, metadata)
            return found
        if isinstance(old, list) and isinstance(new, list):
            return self._list(collection, node, path, titles, old, new, marked, metadata)
        kind = "added" if old is None else "removed" if new is None else "changed"
        return [FieldChange(path, titles, kind, self.value(self.base, node, old),
                            self.value(self.head, node, new), metadata=metadata)]

    def _list(self, collection: Collection | None, node: dict[str, Any], path: tuple[str | int, ...],
              titles: tuple[str, ...], old: list[Any], new: list[Any], marked: set[tuple[str | int, ...]],
              metadata: bool) -> list[FieldChange]:
        items = node.get("items", {})
        item_node = self._node(collection, items)
        structured = any(isinstance(v, dict | list) for v in (*old, *new))
        if structured and len(old) == len(new):
            found = []
            for number, (a, b) in enumerate(zip(old, new, strict=True)):
                found += self._compare(collection, items, (*path, number), (*titles, str(number + 1)), a, b,
                                       marked, metadata)
            return found
        gone = Counter(_canonical(v) for v in old) - Counter(_canonical(v) for v in new)
        came = Counter(_canonical(v) for v in new) - Counter(_canonical(v) for v in old)
        added, removed = [], []
        for value in new:
            if came[_canonical(value)] > 0:
                came[_canonical(value)] -= 1
                added.append(self.value(self.head, item_node, value))
        for value in old:
            if gone[_canonical(value)] > 0:
                gone[_canonical(value)] -= 1
                removed.append(self.value(self.base, item_node, value))
        kind = "changed" if added or removed else "reordered"
        return [FieldChange(path, titles, kind, added=tuple(added), removed=tuple(removed),
                            metadata=metadata)]

    # References -------------------------------------------------------------

    def refs(self, version: Version) -> dict[str, Ref]:
        """The records a version names, by path (``?id`` for one it names no single record by)."""
        collection = self.collections(version.side).get(version.collection)
        if collection is None or not isinstance(version.data, dict):
            return {}
        found: dict[str, Ref] = {}
        for site in record_refs(collection, version.data):
            paths = self.find(version.side, site.value, site.targets)
            key = paths[0] if len(paths) == 1 else f"?{site.value}"
            if key not in found:
                found[key] = self.ref(version.side, site.value, site.targets)
        return found

    def ref_changes(self, old: Version, new: Version) -> list[FieldChange]:
        before, after = self.refs(old), self.refs(new)
        gained = tuple(after[k] for k in sorted(after) if k not in before)
        lost = tuple(before[k] for k in sorted(before) if k not in after)
        if not gained and not lost:
            return []
        return [FieldChange((), (), "changed", added=gained, removed=lost, references=True)]


def _canonical(value: Any) -> str:
    """One text per value (YAML can hold dates and keys of mixed types, which JSON cannot)."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(value)


# ---------------------------------------------------------------------------
# The summary


@dataclass
class Change:
    kind: str  # added | removed | renamed | changed | reviewed
    old: Version | None
    new: Version | None
    fields: list[FieldChange] = field(default_factory=list)
    review_warning: bool = False  # the content changed but last_reviewed did not
    unreadable: list[tuple[str | None, str]] = field(default_factory=list)  # (side's label, why)


def compare(root: Path, base: str, head: str | None = None) -> tuple[list[Change], Describer]:
    """Every record that differs between ``base`` and ``head`` (default: the working tree)."""
    base_side = commit_side(root, gitrepo.resolve_commit(root, base))
    head_side = commit_side(root, gitrepo.resolve_commit(root, head)) if head else worktree_side(root)
    return compare_sides(Describer(base_side, head_side))


def compare_sides(describer: Describer) -> tuple[list[Change], Describer]:
    """Every record that differs between the describer's two sides (the change history compares
    each commit with the one before through this)."""
    base_side, head_side = describer.base, describer.head
    old_paths = {p for p in base_side.files if p.startswith(f"{CONTENT}/")}
    new_paths = {p for p in head_side.files if p.startswith(f"{CONTENT}/")}
    removed = base_side.read(sorted(old_paths - new_paths))
    added = head_side.read(sorted(new_paths - old_paths))
    pairs = _pair_renames(removed, added)
    for old, new in pairs:
        removed.pop(old)
        added.pop(new)
    changed = sorted(p for p in old_paths & new_paths if base_side.files[p] != head_side.files[p])
    base_side.read(changed)
    head_side.read(changed)

    changes: list[Change] = []
    for path, raw in added.items():
        version = _version(head_side, path, raw)
        changes.append(_created(describer, "added", version))
    for path, raw in removed.items():
        version = _version(base_side, path, raw)
        changes.append(_created(describer, "removed", version))
    modified = [(old, new) for old, new in pairs] + [(p, p) for p in changed]
    for old_path, new_path in modified:
        before = _version(base_side, old_path, base_side.read([old_path])[old_path])
        after = _version(head_side, new_path, head_side.read([new_path])[new_path])
        change = _modification(describer, before, after, renamed=old_path != new_path)
        if change is not None:
            changes.append(change)
    changes.sort(key=lambda c: (describer.order(c.new or c.old), c.kind))  # type: ignore[arg-type]
    return changes, describer


def _summary_line(describer: Describer, version: Version) -> list[FieldChange]:
    """What an added or removed record held: its owner and review date."""
    data = version.data if isinstance(version.data, dict) else {}
    collection = describer.collections(version.side).get(version.collection)
    kind = "added" if version.side is describer.head else "removed"

    def held(name: str, title: str, value: Any, metadata: bool = False) -> FieldChange:
        old, new = (None, value) if kind == "added" else (value, None)
        return FieldChange((name,), (title,), kind, old, new, metadata=metadata)

    found = []
    owner = data.get("owner")
    if isinstance(owner, str):
        node = describer._node(collection, collection.schema.get("properties", {}).get("owner", {})) \
            if collection else {}
        found.append(held("owner", "Owner", describer.value(version.side, node, owner)))
    if isinstance(data.get(REVIEWED), str):
        found.append(held(REVIEWED, "Last reviewed", data[REVIEWED], metadata=True))
    return found


def _created(describer: Describer, kind: str, version: Version) -> Change:
    """The change of a record added or removed."""
    old, new = (None, version) if kind == "added" else (version, None)
    if version.error:
        return Change(kind, old, new, unreadable=[(None, version.error)])
    return Change(kind, old, new, fields=_summary_line(describer, version))


def _modification(describer: Describer, old: Version, new: Version, renamed: bool) -> Change | None:
    kind = "renamed" if renamed else "changed"
    if old.error or new.error:
        return Change(kind, old, new, unreadable=[(side.label, v.error) for side, v in
                                                  ((describer.base, old), (describer.head, new)) if v.error])
    if (old.data == new.data or content(old.data) == content(new.data)) and not renamed:
        return None  # formatting or comments only (as when the form editor saves a file)
    collection = describer.head_collections.get(new.collection)
    fields = describer.fields(collection, old.data, new.data)
    fields += describer.ref_changes(old, new)
    both = isinstance(old.data, dict) and isinstance(new.data, dict)
    old_review = old.data.get(REVIEWED) if both else None
    new_review = new.data.get(REVIEWED) if both else None
    content_changed = bool(fields)
    review_changed = old_review != new_review
    change = Change(kind, old, new, fields)
    if content_changed and not review_changed:
        change.review_warning = True
    elif review_changed:
        review_kind = "added" if old_review is None else "removed" if new_review is None else "changed"
        fields.append(FieldChange((REVIEWED,), ("Last reviewed",), review_kind, _data(old_review),
                                  _data(new_review), metadata=True))
        if not content_changed and not renamed:
            change.kind = "reviewed"
    return change


# Public names for the change history (generator/history/history.py).
wanted = _wanted
modification = _modification
created = _created
