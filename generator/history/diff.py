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
    is_valid_id,
    load_schemas,
    record_refs,
    ref_targets,
    resolve_node,
    resolved_in,
)
from ..core.escape import inline
from ..core.wording import field_title
from ..rules.project import CONTENT, SUFFIX
from . import gitrepo

REVIEWED = "last_reviewed"
RENAME_SIMILARITY = 0.5
LONG_TEXT = 100
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
# Describing changes


class Describer:
    # Long texts: a fenced line diff for reviewers (False), or a short word diff for readers (True).
    word_diffs = False

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

    def find(self, side: Side, record_id: str, targets: tuple[str, ...]) -> str | None:
        """The file a reference names on ``side``, by the one reference rule (an id held by
        several of its collections is ambiguous: it names none)."""
        found = resolved_in(record_id, targets, lambda c, v: f"{CONTENT}/{c}/{v}{SUFFIX}" in side.files)
        return f"{CONTENT}/{found}/{record_id}{SUFFIX}" if found is not None else None

    def named(self, side: Side, record_id: str, targets: tuple[str, ...]) -> str:
        """A referenced record as 'Title (`collection/id`)'."""
        path = self.find(side, record_id, targets)
        if path is None:
            return f"{inline(record_id)} (no such record)"
        raw = side.read([path]).get(path, b"")
        version = _version(side, path, raw)
        return f"{inline(version.title)} (`{version.collection}/{version.id}`)"

    def label(self, node: dict[str, Any], name: str) -> str:
        return inline(field_title(node, name))

    # Values -----------------------------------------------------------------

    def value(self, side: Side, node: dict[str, Any], value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "*(empty)*"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and "x-ref" in node:
            return self.named(side, value, ref_targets(node["x-ref"]))
        if isinstance(value, str | int | float):
            return f"“{inline(value)}”" if isinstance(value, str) else str(value)
        if isinstance(value, dict):
            return "; ".join(f"{inline(k)}: {self.value(side, {}, v)}" for k, v in value.items())
        return ", ".join(self.value(side, {}, v) for v in value)

    # Fields -----------------------------------------------------------------

    def fields(self, collection: Collection | None, old: Any, new: Any) -> list[str]:
        schema = collection.schema if collection else {}
        return self._compare(collection, schema, "", old, new, top=True)

    def _node(self, collection: Collection | None, schema: Any) -> dict[str, Any]:
        if collection is None or not isinstance(schema, dict):
            return schema if isinstance(schema, dict) else {}
        return resolve_node(collection, schema)

    def _compare(self, collection: Collection | None, schema: Any, label: str,
                 old: Any, new: Any, top: bool = False) -> list[str]:
        node = self._node(collection, schema)
        if old == new or content(old) == content(new):
            return []
        if isinstance(old, dict) and isinstance(new, dict):
            properties = node.get("properties", {})
            keys = [k for k in properties if k in old or k in new]
            keys += sorted(k for k in {*old, *new} if k not in properties)
            lines = []
            for key in keys:
                if top and key == REVIEWED:
                    continue
                sub = self._node(collection, properties.get(key, {}))
                name = self.label(sub, key)
                lines += self._compare(collection, properties.get(key, {}),
                                       f"{label} / {name}" if label else name,
                                       old.get(key), new.get(key))
            return lines
        if isinstance(old, list) and isinstance(new, list):
            return self._list(collection, node, label, old, new)
        return self._scalar(node, label, old, new)

    def _scalar(self, node: dict[str, Any], label: str, old: Any, new: Any) -> list[str]:
        if old is None:
            return [f"**{label}**: set to {self.value(self.head, node, new)}"]
        if new is None:
            return [f"**{label}**: removed (was {self.value(self.base, node, old)})"]
        texts = isinstance(old, str) and isinstance(new, str)
        if texts and ("\n" in old.strip() or "\n" in new.strip() or max(len(old), len(new)) > LONG_TEXT):
            if self.word_diffs:
                return [f"**{label}**: {word_diff(old, new)}"]
            return [f"**{label}**: text changed\n\n" + _text_diff(old, new)]
        return [f"**{label}**: {self.value(self.base, node, old)} → {self.value(self.head, node, new)}"]

    def _list(self, collection: Collection | None, node: dict[str, Any], label: str,
              old: list[Any], new: list[Any]) -> list[str]:
        items = node.get("items", {})
        item_node = self._node(collection, items)
        structured = any(isinstance(v, dict | list) for v in (*old, *new))
        if structured and len(old) == len(new):
            lines = []
            for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
                lines += self._compare(collection, items, f"{label} {number}", a, b)
            return lines
        gone = Counter(_canonical(v) for v in old) - Counter(_canonical(v) for v in new)
        came = Counter(_canonical(v) for v in new) - Counter(_canonical(v) for v in old)
        parts = []
        for value in new:
            if came[_canonical(value)] > 0:
                came[_canonical(value)] -= 1
                parts.append(f"added {self.value(self.head, item_node, value)}")
        for value in old:
            if gone[_canonical(value)] > 0:
                gone[_canonical(value)] -= 1
                parts.append(f"removed {self.value(self.base, item_node, value)}")
        return [f"**{label}**: {'; '.join(parts) if parts else 'reordered'}"]

    # References -------------------------------------------------------------

    def refs(self, version: Version) -> dict[str, str]:
        """The records a version names, as path -> display name."""
        collection = self.collections(version.side).get(version.collection)
        if collection is None or not isinstance(version.data, dict):
            return {}
        found: dict[str, str] = {}
        for site in record_refs(collection, version.data):
            path = self.find(version.side, site.value, site.targets)
            key = path or f"?{site.value}"
            if key not in found:
                found[key] = self.named(version.side, site.value, site.targets)
        return found

    def ref_changes(self, old: Version, new: Version) -> list[str]:
        before, after = self.refs(old), self.refs(new)
        gained = [after[k] for k in sorted(after) if k not in before]
        lost = [before[k] for k in sorted(before) if k not in after]
        lines = []
        if gained:
            lines.append(f"**References gained**: {', '.join(gained)}")
        if lost:
            lines.append(f"**References lost**: {', '.join(lost)}")
        return lines


def _canonical(value: Any) -> str:
    """One text per value (YAML can hold dates and keys of mixed types, which JSON cannot)."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(value)


def word_diff(old: str, new: str, context: int = 4) -> str:
    """A long text's change on one line: the words removed (``<del>``) and added (``<ins>``)
    with a few words around them, the rest as "…". Every word is escaped Markdown text."""
    before, after = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    parts: list[str] = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            head = words[:context] if number > 0 else []
            tail = words[-context:] if number < len(opcodes) - 1 else []
            if len(words) > len(head) + len(tail):
                parts += [" ".join(head), "…", " ".join(tail)]
            else:
                parts.append(" ".join(words))
            continue
        if i2 > i1:
            parts.append(f"<del>{inline(' '.join(before[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{inline(' '.join(after[j1:j2]))}</ins>")
    return " ".join(p if p.startswith(("<del>", "<ins>")) or p == "…" else str(inline(p))
                    for p in parts if p)


def _text_diff(old: str, new: str) -> str:
    lines = [line for line in difflib.unified_diff(old.strip().splitlines(), new.strip().splitlines(),
                                                   lineterm="", n=0)
             if not line.startswith(("---", "+++", "@@"))]
    body = "\n".join(lines)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join(f"  {line}" for line in [f"{fence}diff", *lines, fence])


# ---------------------------------------------------------------------------
# The summary


@dataclass
class Change:
    kind: str  # added | removed | renamed | changed | reviewed
    old: Version | None
    new: Version | None
    lines: list[str] = field(default_factory=list)
    review_warning: bool = False


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
        changes.append(Change("added", None, version, _summary_line(describer, version)))
    for path, raw in removed.items():
        version = _version(base_side, path, raw)
        changes.append(Change("removed", version, None, _summary_line(describer, version)))
    modified = [(old, new) for old, new in pairs] + [(p, p) for p in changed]
    for old_path, new_path in modified:
        before = _version(base_side, old_path, base_side.read([old_path])[old_path])
        after = _version(head_side, new_path, head_side.read([new_path])[new_path])
        change = _modification(describer, before, after, renamed=old_path != new_path)
        if change is not None:
            changes.append(change)
    changes.sort(key=lambda c: (describer.order(c.new or c.old), c.kind))  # type: ignore[arg-type]
    return changes, describer


def _summary_line(describer: Describer, version: Version) -> list[str]:
    if version.error:
        return [f"cannot be read: {inline(version.error)}"]
    lines = []
    data = version.data if isinstance(version.data, dict) else {}
    collection = describer.collections(version.side).get(version.collection)
    owner = data.get("owner")
    if isinstance(owner, str):
        node = describer._node(collection, collection.schema.get("properties", {}).get("owner", {})) \
            if collection else {}
        lines.append(f"**Owner**: {describer.value(version.side, node, owner)}")
    if isinstance(data.get(REVIEWED), str):
        lines.append(f"**Last reviewed**: {inline(data[REVIEWED])}")
    return lines


def _modification(describer: Describer, old: Version, new: Version, renamed: bool) -> Change | None:
    kind = "renamed" if renamed else "changed"
    if old.error or new.error:
        lines = [f"cannot be read in {side.label}: {inline(v.error)}"
                 for side, v in ((describer.base, old), (describer.head, new)) if v.error]
        return Change(kind, old, new, lines)
    if (old.data == new.data or content(old.data) == content(new.data)) and not renamed:
        return None  # formatting or comments only (as when the form editor saves a file)
    collection = describer.head_collections.get(new.collection)
    lines = describer.fields(collection, old.data, new.data)
    lines += describer.ref_changes(old, new)
    both = isinstance(old.data, dict) and isinstance(new.data, dict)
    old_review = old.data.get(REVIEWED) if both else None
    new_review = new.data.get(REVIEWED) if both else None
    content_changed = bool(lines)
    review_changed = old_review != new_review
    change = Change(kind, old, new, lines)
    if content_changed and not review_changed:
        change.review_warning = True
        lines.append(f"⚠️ The content changed but `{REVIEWED}` is still {inline(old_review or 'unset')}: "
                     "if the owner has confirmed the whole record is accurate, set it to that date.")
    elif review_changed:
        note = (f"**Last reviewed**: {inline(old_review or 'unset')} → {inline(new_review or 'unset')}")
        if not content_changed:
            note += " — no other change: the owner confirms it is still accurate."
            if not renamed:
                change.kind = "reviewed"
        lines.append(note)
    return change


# Public names for the change history (generator/history/history.py).
wanted = _wanted
modification = _modification
summary_lines = _summary_line
