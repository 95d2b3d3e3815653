"""The one way the generator talks to git: plumbing commands with argument lists, never a shell.

Revisions are checked before use (nothing that could read as an option), blobs are
read in one ``git cat-file --batch`` per call, and every failure becomes a
:class:`GitError` with git's own last line, for the command layer to report.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """Git cannot answer: not a repository, an unknown revision, git missing."""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The standard output of ``git -C root ARGS``; :class:`GitError` when it fails."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True,
                                check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
    return result.stdout


def check_revision(rev: str) -> str:
    """``rev``, refused when it could read as an option or carries control characters."""
    if not rev or rev.startswith("-") or any(ord(c) < 32 for c in rev):
        raise GitError(f"not a revision: {rev!r}")
    return rev


def resolve_commit(root: Path, rev: str) -> str:
    """The full commit id ``rev`` names."""
    check_revision(rev)
    try:
        out = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"not a commit in this repository: {rev!r}") from None
    return out.decode().strip()


def object_format(root: Path) -> str:
    """The repository's hash algorithm (``sha1`` or ``sha256``)."""
    try:
        return git(root, "rev-parse", "--show-object-format").decode().strip() or "sha1"
    except GitError:
        return "sha1"


def blob_id(data: bytes, algorithm: str = "sha1") -> str:
    """The id git gives a file with these bytes (so unchanged files are never read twice)."""
    return hashlib.new(algorithm, b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One file of a commit's tree."""

    path: str
    mode: str
    kind: str
    oid: str

    @property
    def is_plain_file(self) -> bool:
        return self.kind == "blob" and self.mode != "120000"  # not a symbolic link


def ls_tree(root: Path, commit: str, *folders: str) -> list[Entry]:
    """Every file under ``folders`` (``"content/"``) in ``commit``'s tree."""
    out = git(root, "ls-tree", "-r", "-z", check_revision(commit), "--", *folders)
    entries = []
    for item in out.split(b"\0"):
        if item:
            meta, _, path = item.decode("utf-8", "replace").partition("\t")
            mode, kind, oid = meta.split()
            entries.append(Entry(path, mode, kind, oid))
    return entries


def read_blobs(root: Path, oids: list[str]) -> list[bytes]:
    """The contents of these blobs, in order, in one ``git cat-file --batch``."""
    if not oids:
        return []
    stream = git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    found = []
    for _ in oids:
        header, _, stream = stream.partition(b"\n")
        parts = header.split()
        if len(parts) != 3:
            raise GitError(f"git cat-file: missing object {header.decode('utf-8', 'replace')}")
        size = int(parts[2])
        found.append(stream[:size])
        stream = stream[size + 1:]
    return found


def changed_files(root: Path, rev: str) -> list[str]:
    """Files changed between ``rev`` and the working tree, relative to ``root``."""
    try:
        out = git(root, "diff", "--name-only", "-z", "--relative", check_revision(rev), "--", ".")
    except GitError as exc:
        raise GitError(f"cannot list the files changed since {rev}: {exc}") from None
    return [name for name in out.decode("utf-8", "replace").split("\0") if name]
