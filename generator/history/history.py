"""The playbook's change history: every commit that changed the content, in business terms.

One ``git log --first-parent`` over ``content/`` and ``schemas/`` lists the commits
that changed the playbook on its main line (a merge counts as one change: what it
brought in, against its first parent). The file list of each commit is kept up to
date from the log's raw diffs (no ``ls-tree`` per commit), blobs come from one
``git cat-file --batch`` process, and each pair of *valid* versions goes through
the diff engine (:mod:`generator.history.diff`): records added, removed, renamed, fields
``old → new``, review-only changes.

- **Invalid commits.** Each version is written to a temporary folder and loaded by
  :func:`generator.rules.project.load_playbook`, the pipeline ``playbook check`` runs (with
  today's ``playbook.yml``). A commit with any error is kept as an entry marked invalid and
  not described: the next valid commit is compared with the last valid one, so a broken
  commit later fixed shows as one change, on the day of the fix.
- **Audiences.** Each change is described once per audience, from versions scoped by
  :func:`generator.rules.audience.scope` itself: once with the marks of that version, then again
  with today's schemas' marks (whichever hides more: a field, a list's items, a record, an
  owner or a reference hidden then or now is gone). A reference to a record the audience saw
  then is kept as a token (a :class:`generator.history.diff.Ref` with its number), resolved
  when the history is read: it reads "withheld" when that
  record (under any later id) is hidden from the audience now. A record's history is shown
  to an audience only when the last version of the record (today's in the playbook being
  built, or the one that was deleted) is visible to it: a record since narrowed, or deleted
  while internal, leaves no trace in a partner's history; a record widened to ``partner``
  appears to partners as added on the day it was widened. The cache is rebuilt when today's
  schemas change.
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

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..content.config import FILE as SETTINGS_FILE
from ..content.config import load_settings
from ..content.model import Playbook
from ..content.schemas import SCHEMA_SUFFIX, Collection, load_schemas
from ..core.problems import Problem, errors
from ..rules.audience import AUDIENCES, DEFAULT, is_withheld, of_record, scope, sees
from ..rules.project import CONTENT, Memo, load_playbook
from . import diff, gitrepo
from .gitrepo import BlobReader, Commit, GitError
from .renderers import MARKDOWN

CACHE_FORMAT = 3
PATHS = (f"{CONTENT}/", "schemas/")
WITHHELD_REF = diff.Ref("", diff.WITHHELD)
_PULL = re.compile(r"(?:\(#(\d+)\)\s*$|^Merge pull request #(\d+)\b)")


# ---------------------------------------------------------------------------
# What the history holds (plain data: cached as JSON)


@dataclass(frozen=True)
class View:
    """One audience's description of a record change."""

    kind: str  # added | removed | renamed | changed | reviewed
    title: str
    fields: tuple[diff.FieldChange, ...]  # from the diff engine (see diff.Ref.token for references)
    # Per token: the side it was named on ("old"/"new") and the record's collection and id then
    # (see _Scoped; resolved by visible()).
    refs: tuple[tuple[str, str, str], ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        """The change in Markdown, as the pages show it."""
        return tuple(MARKDOWN.lines(self.fields, self.kind))


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


def visible(history: History, viewer: str = DEFAULT,
            present: AbstractSet[tuple[str, str]] | None = None) -> list[Shown]:
    """The changes ``viewer`` may see, oldest first (see the module's notes on audiences).

    ``present``: the records ``viewer`` sees today (the scoped playbook being built), when
    known. A record the history still holds but that is not among them (narrowed since the
    last commit) is hidden too, and so is every reference to it."""
    lineage: dict[tuple[str, str], int] = {}  # current key -> lineage number
    final: dict[int, str | None] = {}  # lineage -> audience of its last version
    final_key: dict[int, tuple[str, str]] = {}
    alive: dict[int, bool] = {}  # lineage -> whether its last version still exists
    numbered: list[tuple[int, Entry, RecordChange, list[int | None]]] = []
    for entry in history.entries:
        found = [[lineage.get((c, i)) if side == "old" else None for side, c, i in _refs(change, viewer)]
                 for change in entry.changes]
        for change, refs in zip(entry.changes, found, strict=True):
            old_key = (change.collection, change.old_id) if change.old_id else None
            number = lineage.pop(old_key, None) if old_key else None
            if number is None:
                number = len(final)
            if change.new_id:
                lineage[(change.collection, change.new_id)] = number
            final[number] = change.new_audience or change.old_audience
            final_key[number] = change.key
            alive[number] = change.new_id is not None
            numbered.append((number, entry, change, refs))
        for change, refs in zip(entry.changes, found, strict=True):
            for index, (side, c, i) in enumerate(_refs(change, viewer)):
                if side == "new":
                    refs[index] = lineage.get((c, i))

    def seen(number: int) -> bool:
        last = final[number]
        if last is None or not sees(viewer, last):
            return False
        return present is None or viewer == DEFAULT or not alive[number] or final_key[number] in present

    shown = []
    for number, entry, change, refs in numbered:
        view = change.views.get(viewer)
        if view is None or not seen(number):
            continue
        if view.refs:
            kept = [(n is not None and seen(n)) or (n is None and present is not None and (c, i) in present)
                    for n, (_, c, i) in zip(refs, view.refs, strict=True)]
            view = View(view.kind, view.title, tuple(_resolved(f, kept) for f in view.fields))
        shown.append(Shown(entry, change, view, final_key[number]))
    return shown


def _resolved(change: diff.FieldChange, kept: list[bool]) -> diff.FieldChange:
    """A field change with each token resolved: the record, or "withheld"."""
    def one(value: Any) -> Any:
        if not isinstance(value, diff.Ref) or value.token is None:
            return value
        return replace(value, token=None) if kept[value.token] else WITHHELD_REF

    return replace(change, old=one(change.old), new=one(change.new), added=tuple(map(one, change.added)),
                   removed=tuple(map(one, change.removed)))


def _refs(change: RecordChange, viewer: str) -> tuple[tuple[str, str, str], ...]:
    view = change.views.get(viewer)
    return view.refs if view is not None else ()


# ---------------------------------------------------------------------------
# One version of the playbook, validated by ``check``'s own pipeline


class _Tree:
    """A folder holding one version's ``content/`` and ``schemas/`` (with today's ``playbook.yml``),
    kept in step with the walk (only changed files are written), so that each version is
    loaded and validated by :func:`generator.rules.project.load_playbook`, exactly as ``check`` does."""

    def __init__(self, root: Path, blobs: BlobReader) -> None:
        self.blobs = blobs
        self.folder = Path(tempfile.mkdtemp(prefix="playbook-history-"))
        settings = root / SETTINGS_FILE
        if settings.is_file() and not settings.is_symlink():
            (self.folder / SETTINGS_FILE).write_bytes(settings.read_bytes())
        self.files: dict[str, str] = {}
        self.memo = Memo()  # files the versions share are parsed and checked once

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def load(self, files: dict[str, str]) -> tuple[Playbook, list[Problem]]:
        """The version with these files (path -> blob id), and every problem ``check`` finds in it."""
        for path in [p for p in self.files if p not in files]:
            (self.folder / path).unlink(missing_ok=True)
        for path, oid in files.items():
            if self.files.get(path) != oid:
                target = self.folder / path  # a path diff.wanted accepted: two plain names
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.blobs.get(oid))
        self.files = dict(files)
        playbook, problems = load_playbook(self.folder, self.memo)
        return playbook, errors(problems)


def _located(problem: Problem) -> str:
    return f"{problem.file}:{problem.line}:{problem.column}: {problem.message}"


# ---------------------------------------------------------------------------
# Describing one step (two valid versions) for every audience


class _Side(diff.Side):
    """A version of the playbook from a file list, reading blobs through a shared store."""

    def __init__(self, root: Path, commit: str, files: dict[str, str], blobs: BlobReader,
                 playbook: Playbook) -> None:
        super().__init__(root, commit, dict(files))
        self.blobs = blobs
        self.playbook = playbook

    def read(self, paths: list[str]) -> dict[str, bytes]:
        return {p: self.blobs.get(self.files[p]) for p in paths if p in self.files}

    def collections(self) -> dict[str, Collection]:
        return self.playbook.collections


class _Scoped(diff.Describer):
    """The describer for readers of a wider audience, over versions scoped for them. A reference
    to a record hidden at that time reads "withheld"; one to a record they saw then carries a
    token (its number in ``tokens``), resolved when the history is read, when it is known
    whether that record is hidden from them now (:func:`visible`)."""

    def __init__(self, base: _Side, head: _Side, viewer: str) -> None:
        super().__init__(base, head)
        self.viewer = viewer
        self.tokens: list[tuple[str, str, str]] = []  # (side, collection, id) per token

    def ref(self, side: diff.Side, record_id: str, targets: tuple[str, ...]) -> diff.Ref:
        if is_withheld(record_id):
            return WITHHELD_REF
        found = super().ref(side, record_id, targets)
        if found.outcome != diff.FOUND:
            return found
        assert isinstance(side, _Side)
        target = side.playbook.records.get((found.collection, found.id))
        if target is None or not sees(self.viewer, of_record(target)):
            return WITHHELD_REF
        self.tokens.append(("new" if side is self.head else "old", target.collection, target.id))
        return replace(found, token=len(self.tokens) - 1)


def _scoped(playbook: Playbook, viewer: str, keys: set[tuple[str, str]],
            today: dict[str, Collection]) -> dict[tuple[str, str], Any]:
    """The data of the records ``keys`` as ``viewer`` sees them: :func:`generator.rules.audience.scope`
    with the marks of that version, then again with today's schemas' marks (whichever hides
    more). A record hidden at that time is absent."""
    first = scope(playbook, viewer, keys)
    marks = {name: today.get(name, collection) for name, collection in playbook.collections.items()}
    again = scope(Playbook(playbook.root, marks, dict(first.records), playbook.settings), viewer)
    return {key: record.data for key, record in again.records.items()}


def _view(described: diff.Change, refs: list[tuple[str, str, str]]) -> View:
    version = described.new or described.old
    assert version is not None
    return View(described.kind, version.title, tuple(described.fields), tuple(refs))


def _scoped_view(describer: _Scoped, change: diff.Change, old: Any, new: Any) -> View | None:
    """The change as the describer's audience sees it (``old``/``new``: the scoped data, or
    None when hidden from it at that time)."""
    describer.tokens = []
    before = diff.Version(describer.base, change.old.path, change.old.collection, change.old.id, old) \
        if change.old is not None and old is not None else None
    after = diff.Version(describer.head, change.new.path, change.new.collection, change.new.id, new) \
        if change.new is not None and new is not None else None
    described: diff.Change | None
    if before is not None and after is not None:
        described = diff.modification(describer, before, after, renamed=before.path != after.path)
    elif after is not None:
        described = diff.created(describer, "added", after)
    elif before is not None:
        described = diff.created(describer, "removed", before)
    else:
        described = None
    return _view(described, describer.tokens) if described is not None else None


def _key(version: diff.Version | None) -> tuple[str, str] | None:
    return (version.collection, version.id) if version is not None else None


def _describe(base: _Side, head: _Side, today: dict[str, Collection]) -> list[RecordChange]:
    """Every record change between two valid versions, described for each audience."""
    changes, _ = diff.compare_sides(diff.Describer(base, head))
    old_keys = {k for c in changes if (k := _key(c.old)) is not None}
    new_keys = {k for c in changes if (k := _key(c.new)) is not None}
    views: dict[int, dict[str, View]] = {n: {} for n in range(len(changes))}
    for viewer in AUDIENCES:
        if viewer == DEFAULT:
            for number, change in enumerate(changes):
                views[number][viewer] = _view(change, [])
            continue
        old_data = _scoped(base.playbook, viewer, old_keys, today)
        new_data = _scoped(head.playbook, viewer, new_keys, today)
        describer = _Scoped(base, head, viewer)
        for number, change in enumerate(changes):
            old_key, new_key = _key(change.old), _key(change.new)
            view = _scoped_view(describer, change, old_data.get(old_key) if old_key else None,
                                new_data.get(new_key) if new_key else None)
            if view is not None:
                views[number][viewer] = view
    out = []
    for number, change in enumerate(changes):
        old, new = change.old, change.new
        version = new or old
        assert version is not None
        owner = version.data.get("owner") if isinstance(version.data, dict) else None
        out.append(RecordChange(
            collection=version.collection, id=version.id,
            old_id=old.id if old else None, new_id=new.id if new else None,
            old_audience=_audience_of(old.data) if old else None,
            new_audience=_audience_of(new.data) if new else None,
            owner=owner if isinstance(owner, str) else None, views=views[number],
        ))
    return out


def _audience_of(data: Any) -> str:
    value = data.get("audience", DEFAULT) if isinstance(data, dict) else DEFAULT
    return value if value in AUDIENCES else DEFAULT


# ---------------------------------------------------------------------------
# The walk, with its cache


@dataclass
class _State:
    head: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # at head
    valid: dict[str, str] = field(default_factory=dict)  # at the last valid commit
    valid_commit: str | None = None
    entries: list[Entry] = field(default_factory=list)
    marks: str = ""  # today's schemas the views were scoped with (see _today)


def _apply(files: dict[str, str], commit: Commit) -> tuple[dict[str, str], set[str]]:
    new = dict(files)
    touched: set[str] = set()
    for status, path, oid in commit.files:
        if not diff.wanted(path):
            continue
        touched.add(path)
        if status == "D" or not oid:
            new.pop(path, None)
        else:
            new[path] = oid
    return new, touched


def _walk(root: Path, state: _State, commits: Iterable[Commit], blobs: BlobReader,
          today: dict[str, Collection]) -> int:
    tree = _Tree(root, blobs)
    try:
        base: Playbook | None = None
        count = 0
        for commit in commits:
            count += 1
            blobs.prefetch([oid for _, path, oid in commit.files if oid and diff.wanted(path)])
            files, touched = _apply(state.files, commit)
            state.files, state.head = files, commit.sha
            if not touched:
                continue
            if base is None:
                base = tree.load(state.valid)[0]  # the last valid version (from the cache, or empty)
            playbook, problems = tree.load(files)
            if problems:
                state.entries.append(Entry(commit.sha, commit.author, commit.when, commit.subject,
                                           valid=False, problems=tuple(_located(p) for p in problems[:20])))
                continue
            changes = _describe(_Side(root, state.valid_commit or "0" * 40, state.valid, blobs, base),
                                _Side(root, commit.sha, files, blobs, playbook), today)
            state.valid, state.valid_commit, base = dict(files), commit.sha, playbook
            if changes:
                state.entries.append(Entry(commit.sha, commit.author, commit.when, commit.subject,
                                           changes=tuple(changes)))
        return count
    finally:
        tree.close()


def _today(root: Path) -> tuple[dict[str, Collection], str]:
    """Today's collections (the working tree's schemas), and a fingerprint of their files: views
    scoped with other marks are not used (the cache is rebuilt when a schema changes)."""
    collections = load_schemas(root, load_settings(root)[0].owner_collections)[0]
    digest = hashlib.sha256()
    for path in sorted((root / "schemas").glob(f"*{SCHEMA_SUFFIX}")):
        if path.is_file() and not path.is_symlink():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return collections, digest.hexdigest()


def cache_path(root: Path) -> Path:
    """Inside the git folder: never tracked, never published, one file per playbook folder."""
    name = "playbook-history-" + hashlib.sha256(gitrepo.prefix(root).encode()).hexdigest()[:16] + ".json"
    return gitrepo.git_path(root, name)


def _checksum(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _slot(value: Any) -> Any:
    """A value of a field change as JSON: a reference tagged, any other value as it is."""
    return {"ref": asdict(value)} if isinstance(value, diff.Ref) else {"data": value}


def _unslot(slot: dict[str, Any]) -> Any:
    if "ref" in slot:
        ref = slot["ref"]
        token = ref["token"] if isinstance(ref["token"], int) else None
        return diff.Ref(str(ref["id"]), str(ref["outcome"]), str(ref["collection"]), str(ref["title"]),
                        tuple(map(str, ref["among"])), token)
    return slot["data"]


def _field_json(change: diff.FieldChange) -> dict[str, Any]:
    return {"path": list(change.path), "titles": list(change.titles), "kind": change.kind,
            "old": _slot(change.old), "new": _slot(change.new), "added": [_slot(v) for v in change.added],
            "removed": [_slot(v) for v in change.removed], "metadata": change.metadata,
            "references": change.references}


def _field(data: dict[str, Any]) -> diff.FieldChange:
    return diff.FieldChange(
        tuple(p if isinstance(p, int) else str(p) for p in data["path"]), tuple(map(str, data["titles"])),
        str(data["kind"]), _unslot(data["old"]), _unslot(data["new"]), tuple(map(_unslot, data["added"])),
        tuple(map(_unslot, data["removed"])), bool(data["metadata"]), bool(data["references"]))


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = asdict(replace(entry, changes=()))
    data["changes"] = [{**asdict(replace(c, views={})), "views": {
        k: {"kind": v.kind, "title": v.title, "fields": [_field_json(f) for f in v.fields],
            "refs": [list(r) for r in v.refs]} for k, v in c.views.items()}} for c in entry.changes]
    return data


def _entry(data: dict[str, Any]) -> Entry:
    changes = tuple(
        RecordChange(**{**c, "views": {k: View(v["kind"], v["title"], tuple(map(_field, v["fields"])),
                                               tuple((str(a), str(b), str(c)) for a, b, c in v["refs"]))
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
                       payload["valid_commit"], [_entry(e) for e in payload["entries"]],
                       str(payload["marks"]))
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
        "valid_commit": state.valid_commit, "entries": [_entry_json(e) for e in state.entries],
        "marks": state.marks,
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


def _usable(root: Path, state: _State | None, head: str, marks: str) -> bool:
    if state is None or state.head is None or state.marks != marks:
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
        today, marks = _today(root)
        where = cache_path(root) if cache else None
        state = _load_cache(where) if where else None
        if not _usable(root, state, head, marks):
            state = _State(marks=marks)
        assert state is not None
        read = 0
        if state.head != head:
            with BlobReader(root) as blobs:
                commits = gitrepo.first_parent_log(root, head, state.head, *PATHS)
                read = _walk(root, state, commits, blobs, today)
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


# ---------------------------------------------------------------------------
# The company's own history: from the commit that replaced the starter on

_STARTER = re.compile(r"^starter: *true\b", re.MULTILINE)


def adoption_commit(root: Path) -> tuple[bool, str | None]:
    """Whether the history holds the starter (a ``playbook.yml`` that said ``starter: true``), and
    the commit that replaced it (the last one whose ``playbook.yml`` stopped saying so; None while
    that is not committed yet). The change history of the company's own playbook starts after
    that commit, so that the example company's past never shows on the company's site."""
    try:
        out = gitrepo.git(root, "log", "--first-parent", "--format=%H", "-G", "^starter: *true", "--",
                          SETTINGS_FILE)
        commits = out.decode().split()
        for commit in commits:
            try:
                text = gitrepo.git(root, "show", f"{gitrepo.check_revision(commit)}:{SETTINGS_FILE}").decode()
            except gitrepo.GitError:
                return True, commit  # playbook.yml itself went: the starter went before it
            if not _STARTER.search(text):
                return True, commit
        return bool(commits), None
    except gitrepo.GitError:
        return False, None


def after_adoption(root: Path, history: History) -> History:
    """The history from the commit that replaced the starter on (see :func:`adoption_commit`):
    the example company's records, their removal included, are not the company's past."""
    had_starter, start = adoption_commit(root)
    if start is None:  # no starter in the history, or its replacement is not committed yet
        return replace(history, entries=[]) if had_starter else history
    later = commits_since(root, start)
    return replace(history, entries=[e for e in history.entries if e.commit in later])
