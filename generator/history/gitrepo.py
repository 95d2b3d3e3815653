"""The one way the generator talks to git: plumbing commands with argument lists, never a shell.

Revisions are checked before use (nothing that could read as an option), blobs are
read in one ``git cat-file --batch`` per call, and every failure becomes a
:class:`GitError` with git's own last line, for the command layer to report.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO


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


def is_inside(root: Path) -> bool:
    """Whether ``root`` is inside a git working tree."""
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"


def git_path(root: Path, name: str) -> Path:
    """A path inside the repository's git folder (``git rev-parse --git-path``): never tracked."""
    path = Path(git(root, "rev-parse", "--git-path", name).decode().strip())
    return path if path.is_absolute() else root / path


def prefix(root: Path) -> str:
    """``root`` relative to the top of its working tree (``""`` at the top)."""
    return git(root, "rev-parse", "--show-prefix").decode().strip()


def main_line(root: Path, head: str, since: str | None = None) -> list[str]:
    """The commits on ``head``'s first-parent line (after ``since``), newest first."""
    rev = f"{check_revision(since)}..{check_revision(head)}" if since else check_revision(head)
    return git(root, "rev-list", "--first-parent", rev).decode().split()


class BlobReader:
    """Blob contents by id from one long-lived ``git cat-file --batch`` (for reading many
    versions one by one, as a history walk does), remembered. Use it as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: dict[str, bytes] = {}
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process = None

    def get(self, oid: str) -> bytes:
        if oid not in self.known:
            self.prefetch([oid])
        return self.known[oid]

    def prefetch(self, oids: list[str], chunk: int = 500) -> None:
        """Read these blobs now, a few hundred per round trip (each chunk's request fits in
        the pipe, so neither side waits on the other)."""
        wanted = list(dict.fromkeys(o for o in oids if o not in self.known))
        if not wanted:
            return
        if self.process is None:
            try:
                self.process = subprocess.Popen(["git", "-C", str(self.root), "cat-file", "--batch"],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            except OSError as exc:
                raise GitError(f"cannot run git: {exc.strerror}") from None
        stdin: IO[bytes] | None = self.process.stdin
        stdout: IO[bytes] | None = self.process.stdout
        assert stdin is not None and stdout is not None
        for start in range(0, len(wanted), chunk):
            part = wanted[start:start + chunk]
            stdin.write("".join(f"{oid}\n" for oid in part).encode())
            stdin.flush()
            for oid in part:
                header = stdout.readline().split()
                if len(header) != 3:
                    raise GitError(f"git cat-file: missing object {oid}")
                self.known[oid] = stdout.read(int(header[2]))
                stdout.read(1)


@dataclass(frozen=True)
class Commit:
    """A commit of a first-parent log, with the files it changed against its first parent."""

    sha: str
    parents: tuple[str, ...]
    author: str
    when: str  # the committer date, ISO 8601 with its offset: when it reached the main line
    subject: str
    files: tuple[tuple[str, str, str], ...]  # (status letter, path, new blob id or "" when gone)


_ZERO = re.compile(r"0+")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_HEADER = 5  # sha, parents, author, committer date, subject: each ended by a NUL


def first_parent_log(root: Path, head: str, since: str | None, *paths: str) -> list[Commit]:
    """The commits on ``head``'s main line after ``since`` (oldest first) that changed ``paths``,
    each compared with its first parent (a merge is what it brought in), paths relative to
    ``root``, renames as a deletion and an addition. One ``git log`` for the whole walk.

    Every field is ended by a NUL (``-z`` and ``%x00``), which no author name, subject or path
    can hold, so no commit text can be taken for the log's structure."""
    rev = f"{check_revision(since)}..{check_revision(head)}" if since else check_revision(head)
    out = git(root, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--no-renames",
              "--raw", "-z", "--no-abbrev", "--relative",
              "--format=%H%x00%P%x00%an%x00%cI%x00%s%x00", rev, "--", *paths)
    return parse_log(out.split(b"\0"))


def parse_log(tokens: list[bytes]) -> list[Commit]:
    """The commits of a ``git log -z --raw`` with the header format above, split at NULs."""
    commits: list[Commit] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].decode("utf-8", "replace").lstrip("\n")
        if not token:
            index += 1
            continue
        if not _SHA.fullmatch(token) or index + _HEADER > len(tokens):
            raise GitError(f"git log printed something other than a commit: {token[:40]!r}")
        sha, parents, author, when, subject = (
            t.decode("utf-8", "replace") for t in (token.encode(), *tokens[index + 1: index + _HEADER]))
        index += _HEADER
        files = []
        while index < len(tokens) and (tokens[index].lstrip(b"\n") or b":").startswith(b":"):
            if not tokens[index].lstrip(b"\n"):  # the NUL ending the header's format
                index += 1
                continue
            fields = tokens[index].lstrip(b"\n")[1:].decode("ascii", "replace").split()
            path = tokens[index + 1].decode("utf-8", "replace") if index + 1 < len(tokens) else ""
            index += 2
            if len(fields) < 5 or not path:
                continue
            new_mode, new_oid, status = fields[1], fields[3], fields[4]
            if new_mode in ("120000", "160000") or _ZERO.fullmatch(new_oid):
                new_oid = ""  # gone, or a symbolic link or submodule: not a file
            files.append((status[0], path, new_oid))
        commits.append(Commit(sha, tuple(parents.split()), author, when, subject, tuple(files)))
    return commits
