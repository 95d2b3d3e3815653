"""The playbook's change history: every commit that changed the content, in business terms.

One ``git log --first-parent`` over ``content/`` and ``schemas/`` lists the commits
that changed the playbook on its main line (a merge counts as one change: what it
brought in, against its first parent). The file list of each commit is kept up to
date from the log's raw diffs (no ``ls-tree`` per commit), blobs come from one
``git cat-file --batch`` process, and each pair of *valid* versions goes through
the diff engine (:mod:`generator.diff`): records added, removed, renamed, fields
``old → new``, review-only changes.

- **Invalid commits.** A commit whose changed records do not parse, break their
  schema or name records that do not exist (or whose schemas do not load) is
  kept as an entry marked invalid and not described: the next valid commit is
  compared with the last valid one, so a broken commit later fixed shows as one
  change, on the day of the fix, when the playbook really changed for readers.
- **Audiences.** Each change is described once per audience that may see it,
  from that audience's view: fields marked ``x-audience`` are removed before the
  comparison and a reference to a record the audience may not see reads
  "withheld". A record's history is shown to an audience only when the last
  version of the record (today's, or the one that was deleted) is visible to it:
  a record since narrowed to ``internal``, or deleted while internal, leaves no
  trace in a partner's history. A record widened to ``partner`` appears to
  partners as added on the day it was widened.
- **Incremental.** The summaries are cached by commit inside the repository's
  git folder (``git rev-parse --git-path``: never in ``content/`` or ``docs/``,
  never tracked, never published). A rebuild reads only the commits after the
  cached one. The cache is checked before use (format, checksum, and that its
  commit is still on the current main line); anything else rebuilds it.
- **Unavailable.** Outside a git repository, in a shallow clone, or when git
  fails, the history is :attr:`History.available` ``False`` with a reason, and
  the build goes on.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import diff, gitrepo
from .audience import AUDIENCES, DEFAULT, hidden_paths, sees
from .config import load_settings
from .gitrepo import BlobReader, Commit, GitError
from .loader import LoadError, load_yaml
from .project import CONTENT, SUFFIX, ContentFile, convention_problems
from .schemas import DEFAULT_OWNERS, Collection, load_schemas, record_refs
from .validate import schema_problems

CACHE_FORMAT = 1
PATHS = (f"{CONTENT}/", "schemas/")
_RECORD = re.compile(r"content/([^/]+)/([^/]+)\.yaml")
_PULL = re.compile(r"(?:\(#(\d+)\)\s*$|^Merge pull request #(\d+)\b)")


# ---------------------------------------------------------------------------
# What the history holds (plain data: cached as JSON)


@dataclass(frozen=True)
class View:
    """One audience's description of a record change."""

    kind: str  # added | removed | renamed | changed | reviewed
    title: str
    lines: tuple[str, ...]  # Markdown, from the diff engine


@dataclass(frozen=True)
class RecordChange:
    collection: str
    id: str  # the id after the change (before it, for a removal)
    old_id: str | None  # the id before the change (None: added)
    new_id: str | None  # None: removed
    old_audience: str | None
    new_audience: str | None
    owner: str | None
    views: dict[str, View]  # audience -> its view, for every audience that sees either side

    @property
    def key(self) -> tuple[str, str]:
        return (self.collection, self.id)


@dataclass(frozen=True)
class Entry:
    commit: str
    author: str
    when: str  # the commit date, ISO 8601 with offset
    subject: str
    valid: bool = True
    problems: tuple[str, ...] = ()
    changes: tuple[RecordChange, ...] = ()

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.when)

    @property
    def day(self) -> date:
        return self.moment.date()

    @property
    def pull_request(self) -> int | None:
        match = _PULL.search(self.subject)
        return int(match.group(1) or match.group(2)) if match else None


@dataclass
class History:
    available: bool
    reason: str = ""  # why it is unavailable
    entries: list[Entry] = field(default_factory=list)  # oldest first
    head: str | None = None
    read_commits: int = 0  # commits read from git in this run (not from the cache)


@dataclass(frozen=True)
class Shown:
    """A record change as one audience sees it, with its commit."""

    entry: Entry
    change: RecordChange
    view: View
    current: tuple[str, str]  # the record's key today (after later renames), or when it was removed

    @property
    def key(self) -> tuple[str, str]:
        return self.change.key


def visible(history: History, viewer: str = DEFAULT) -> list[Shown]:
    """The changes ``viewer`` may see, oldest first (see the module's notes on audiences)."""
    lineage: dict[tuple[str, str], int] = {}  # current key -> lineage number
    final: dict[int, str | None] = {}  # lineage -> audience of its last version
    final_key: dict[int, tuple[str, str]] = {}
    numbered: list[tuple[int, Entry, RecordChange]] = []
    for entry in history.entries:
        for change in entry.changes:
            old_key = (change.collection, change.old_id) if change.old_id else None
            number = lineage.pop(old_key, None) if old_key else None
            if number is None:
                number = len(final)
            if change.new_id:
                lineage[(change.collection, change.new_id)] = number
            final[number] = change.new_audience or change.old_audience
            final_key[number] = change.key
            numbered.append((number, entry, change))
    shown = []
    for number, entry, change in numbered:
        last = final[number]
        view = change.views.get(viewer)
        if view is not None and last is not None and sees(viewer, last):
            shown.append(Shown(entry, change, view, final_key[number]))
    return shown


# ---------------------------------------------------------------------------
# Validity of one version


class _Collections:
    """Collections per set of schema files, loaded once each."""

    def __init__(self, blobs: BlobReader, owners: tuple[str, ...] = DEFAULT_OWNERS) -> None:
        self.blobs = blobs
        self.owners = owners  # what "@owners" stands for (playbook.yml as it is now)
        self.loaded: dict[frozenset[tuple[str, str]], tuple[dict[str, Collection], list[str]]] = {}
        self.keys: dict[int, tuple[dict[str, str], frozenset[tuple[str, str]]]] = {}

    def _key(self, files: dict[str, str]) -> frozenset[tuple[str, str]]:
        # A walk asks about the same few file lists again and again: remember their keys
        # (the entry keeps the list alive, so its id stays its own).
        hit = self.keys.get(id(files))
        if hit is None or hit[0] is not files:
            if len(self.keys) > 8:
                self.keys.clear()
            hit = self.keys[id(files)] = (files, frozenset(
                (p, o) for p, o in files.items() if p.startswith("schemas/")))
        return hit[1]

    def of(self, files: dict[str, str]) -> tuple[dict[str, Collection], list[str]]:
        key = self._key(files)
        if key not in self.loaded:
            with tempfile.TemporaryDirectory(prefix="playbook-history-") as tmp:
                folder = Path(tmp) / "schemas"
                folder.mkdir()
                for path, oid in key:
                    (folder / Path(path).name).write_bytes(self.blobs.get(oid))
                collections, problems = load_schemas(Path(tmp), self.owners)
            self.loaded[key] = (collections, [f"{p.file}: {p.message}" for p in problems])
        return self.loaded[key]


def _record_problems(path: str, raw: bytes, files: dict[str, str],
                     collections: dict[str, Collection]) -> list[str]:
    match = _RECORD.fullmatch(path)
    assert match
    name, record_id = match.groups()
    collection = collections.get(name)
    if collection is None:
        return [f"{path}: no schema for the collection '{name}'"]
    try:
        doc = load_yaml(raw)
    except LoadError as exc:
        return [f"{path}:{exc.line}:{exc.column}: {exc.message}"]
    item = ContentFile(name, record_id, path, Path(path))
    found = schema_problems(collection, path, doc) or convention_problems(item, doc)
    problems = [f"{p.file}:{p.line}:{p.column}: {p.message}" for p in found]
    if not found:
        for site in record_refs(collection, doc.data):
            if not any(f"{CONTENT}/{t}/{site.value}{SUFFIX}" in files for t in site.targets):
                problems.append(f"{path}: names '{site.value}', which is no record")
    return problems


def _problems(files: dict[str, str], touched: Iterable[str], schemas_changed: bool,
              collections: _Collections) -> list[str]:
    found, problems = collections.of(files)
    if problems:
        return problems
    paths = {p for p in touched if p in files and p.startswith(f"{CONTENT}/")}
    if schemas_changed:
        paths = {p for p in files if p.startswith(f"{CONTENT}/")}
    out = []
    for path in sorted(paths):
        out += _record_problems(path, collections.blobs.get(files[path]), files, found)
    return out


# ---------------------------------------------------------------------------
# Describing one step (two valid versions) for every audience


def _audience_of(data: Any) -> str:
    value = data.get("audience", DEFAULT) if isinstance(data, dict) else DEFAULT
    return value if value in AUDIENCES else DEFAULT


class _Side(diff.Side):
    """A version of the playbook from a file list, reading blobs through a shared store."""

    def __init__(self, root: Path, commit: str, files: dict[str, str], blobs: BlobReader,
                 collections: dict[str, Collection]) -> None:
        super().__init__(root, commit, dict(files))
        self.blobs = blobs
        self._collections = collections

    def read(self, paths: list[str]) -> dict[str, bytes]:
        return {p: self.blobs.get(self.files[p]) for p in paths if p in self.files}

    def collections(self) -> dict[str, Collection]:
        return self._collections


class _Scoped(diff.Describer):
    """The diff engine's describer, for readers of one audience: long texts as a short word
    diff, and references to records the audience may not see read "withheld"."""

    word_diffs = True

    def __init__(self, base: diff.Side, head: diff.Side, viewer: str,
                 names: dict[tuple[str, str], str]) -> None:
        super().__init__(base, head)
        self.viewer = viewer
        self.names = names  # (viewer, blob id) -> how a referenced record is named, for the walk

    def named(self, side: diff.Side, record_id: str, targets: tuple[str, ...]) -> str:
        path = self.find(side, record_id, targets)
        if path is None:
            return super().named(side, record_id, targets)
        key = (self.viewer, side.files[path])
        if key not in self.names:
            try:
                data = load_yaml(side.read([path]).get(path, b"")).data
            except LoadError:
                data = None
            if self.viewer != DEFAULT and not sees(self.viewer, _audience_of(data)):
                self.names[key] = "*withheld*"
            else:
                self.names[key] = super().named(side, record_id, targets)
        return self.names[key]


def _scoped_version(describer: diff.Describer, version: diff.Version, viewer: str) -> diff.Version:
    """The version as ``viewer`` sees it: fields marked for a narrower audience removed."""
    collection = describer.collections(version.side).get(version.collection)
    if viewer == "internal" or collection is None or not isinstance(version.data, dict):
        return version
    hidden = hidden_paths(collection, version.data, viewer)
    if not hidden:
        return version
    data = copy.deepcopy(version.data)
    for path in sorted(hidden, key=len, reverse=True):
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return diff.Version(version.side, version.path, version.collection, version.id, data, version.error)


def _describe(base: _Side, head: _Side, names: dict[tuple[str, str], str]) -> list[RecordChange]:
    """Every record change between two valid versions, described for each audience."""
    describers = {viewer: _Scoped(base, head, viewer, names) for viewer in AUDIENCES}
    internal = describers[DEFAULT]
    changes, _ = diff.compare_sides(internal)
    out = []
    for change in changes:
        old, new = change.old, change.new
        old_audience = _audience_of(old.data) if old else None
        new_audience = _audience_of(new.data) if new else None
        views: dict[str, View] = {}
        for viewer, describer in describers.items():
            old_seen = old is not None and old_audience is not None and sees(viewer, old_audience)
            new_seen = new is not None and new_audience is not None and sees(viewer, new_audience)
            described: diff.Change | None
            if viewer == DEFAULT:
                described = change
            elif old_seen and new_seen:
                assert old is not None and new is not None
                described = diff.modification(describer, _scoped_version(describer, old, viewer),
                                              _scoped_version(describer, new, viewer),
                                              renamed=old.path != new.path)
            elif new_seen:
                assert new is not None
                scoped = _scoped_version(describer, new, viewer)
                described = diff.Change("added", None, scoped, diff.summary_lines(describer, scoped))
            elif old_seen:
                assert old is not None
                scoped = _scoped_version(describer, old, viewer)
                described = diff.Change("removed", scoped, None, diff.summary_lines(describer, scoped))
            else:
                described = None
            if described is not None:
                version = described.new or described.old
                assert version is not None
                # The reviewer's reminder to bump last_reviewed is not for readers.
                lines = described.lines[:-1] if described.review_warning else described.lines
                views[viewer] = View(described.kind, version.title, tuple(lines))
        version = new or old
        assert version is not None
        owner = version.data.get("owner") if isinstance(version.data, dict) else None
        out.append(RecordChange(
            collection=version.collection, id=version.id,
            old_id=old.id if old else None, new_id=new.id if new else None,
            old_audience=old_audience, new_audience=new_audience,
            owner=owner if isinstance(owner, str) else None, views=views,
        ))
    return out


# ---------------------------------------------------------------------------
# The walk, with its cache


@dataclass
class _State:
    head: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # at head
    valid: dict[str, str] = field(default_factory=dict)  # at the last valid commit
    valid_commit: str | None = None
    entries: list[Entry] = field(default_factory=list)


def _apply(files: dict[str, str], commit: Commit) -> tuple[dict[str, str], set[str], bool]:
    new = dict(files)
    touched: set[str] = set()
    schemas = False
    for status, path, oid in commit.files:
        if not diff.wanted(path):
            continue
        touched.add(path)
        schemas = schemas or path.startswith("schemas/")
        if status == "D" or not oid:
            new.pop(path, None)
        else:
            new[path] = oid
    return new, touched, schemas


def _walk(root: Path, state: _State, commits: Iterable[Commit], blobs: BlobReader) -> int:
    collections = _Collections(blobs, load_settings(root)[0].owner_collections)
    names: dict[tuple[str, str], str] = {}
    count = 0
    for commit in commits:
        count += 1
        blobs.prefetch([oid for _, path, oid in commit.files if oid and diff.wanted(path)])
        files, touched, schemas_changed = _apply(state.files, commit)
        state.files, state.head = files, commit.sha
        if not touched:
            continue
        problems = _problems(files, touched, schemas_changed, collections)
        if problems:
            state.entries.append(Entry(commit.sha, commit.author, commit.when, commit.subject,
                                       valid=False, problems=tuple(problems[:20])))
            continue
        base_collections, _ = collections.of(state.valid)
        head_collections, _ = collections.of(files)
        base = _Side(root, state.valid_commit or "0" * 40, state.valid, blobs, base_collections)
        head = _Side(root, commit.sha, files, blobs, head_collections)
        changes = _describe(base, head, names)
        state.valid, state.valid_commit = dict(files), commit.sha
        if changes:
            state.entries.append(Entry(commit.sha, commit.author, commit.when, commit.subject,
                                       changes=tuple(changes)))
    return count


def cache_path(root: Path) -> Path:
    """Inside the git folder: never tracked, never published, one file per playbook folder."""
    name = "playbook-history-" + hashlib.sha256(gitrepo.prefix(root).encode()).hexdigest()[:16] + ".json"
    return gitrepo.git_path(root, name)


def _checksum(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _entry(data: dict[str, Any]) -> Entry:
    changes = tuple(
        RecordChange(**{**c, "views": {k: View(v["kind"], v["title"], tuple(v["lines"]))
                                       for k, v in c["views"].items()}})
        for c in data["changes"]
    )
    return Entry(data["commit"], data["author"], data["when"], data["subject"], data["valid"],
                 tuple(data["problems"]), changes)


def _load_cache(path: Path) -> _State | None:
    """The cached state, or None when it is missing, of another format, or damaged."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        payload = stored["payload"]
        if stored.get("checksum") != _checksum(payload) or payload.get("format") != CACHE_FORMAT:
            return None
        state = _State(payload["head"], dict(payload["files"]), dict(payload["valid"]),
                       payload["valid_commit"], [_entry(e) for e in payload["entries"]])
        if not all(isinstance(v, str) for v in (*state.files.values(), *state.valid.values())):
            return None
        for entry in state.entries:
            datetime.fromisoformat(entry.when)
        return state
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _save_cache(path: Path, state: _State) -> None:
    payload = {
        "format": CACHE_FORMAT, "head": state.head, "files": state.files, "valid": state.valid,
        "valid_commit": state.valid_commit, "entries": [asdict(e) for e in state.entries],
    }
    text = json.dumps({"checksum": _checksum(payload), "payload": payload}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=".playbook-history-") as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def _usable(root: Path, state: _State | None, head: str) -> bool:
    if state is None or state.head is None:
        return False
    if state.head == head:
        return True
    return state.head in gitrepo.main_line(root, head)


def read_history(root: Path, *, cache: bool = True) -> History:
    """The history of the playbook at ``root`` (see the module's notes)."""
    if not gitrepo.is_inside(root):
        return History(False, "this playbook is not in a git repository")
    try:
        if gitrepo.is_shallow(root):
            return History(False, "the repository is a shallow clone, so its history is incomplete; "
                           "check it out with its full history (fetch-depth: 0)")
        try:
            head = gitrepo.resolve_commit(root, "HEAD")
        except GitError:
            return History(True, entries=[])  # no commit yet
        where = cache_path(root) if cache else None
        state = _load_cache(where) if where else None
        if not _usable(root, state, head):
            state = _State()
        assert state is not None
        read = 0
        if state.head != head:
            with BlobReader(root) as blobs:
                commits = gitrepo.first_parent_log(root, head, state.head, *PATHS)
                read = _walk(root, state, commits, blobs)
            state.head = head
            if where:
                _save_cache(where, state)
        return History(True, entries=state.entries, head=head, read_commits=read)
    except GitError as exc:
        return History(False, f"the history could not be read ({exc})")


def commits_since(root: Path, rev: str) -> set[str]:
    """The commits on the main line after ``rev`` (a commit, branch or tag). Raises
    :class:`GitError` for anything git does not know as a commit, or that reads as an option."""
    return set(gitrepo.main_line(root, "HEAD", gitrepo.resolve_commit(root, rev)))
