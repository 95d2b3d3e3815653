"""When each content file was first committed: the day of the first commit on the main line that
added it, for :func:`generator.rules.consistency.reviewed_before_added`.

Read from one first-parent ``git log`` (:func:`generator.history.gitrepo.first_parent_log`). A file
renamed without a change (a deletion and an addition of the same blob in one commit) keeps the day
its old name was added. Outside git, in a shallow clone (whose oldest commit is not the one that
added anything) or when git fails, nothing is known and nothing is judged.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.dates import is_real_date, parse_iso_date
from . import gitrepo

CONTENT = "content"


def first_added(root: Path, head: str = "HEAD") -> dict[str, date]:
    """Content file (relative to ``root``, POSIX) -> the committer day of its first commit."""
    if not gitrepo.is_inside(root) or gitrepo.is_shallow(root):
        return {}
    try:
        commits = gitrepo.first_parent_log(root, head, None, CONTENT)
    except gitrepo.GitError:
        return {}
    added: dict[str, date] = {}
    blobs: dict[str, str] = {}  # path -> its blob, as the walk has it so far
    for commit in commits:
        day_text = commit.when[:10]
        if not is_real_date(day_text):
            continue
        day = parse_iso_date(day_text)
        gone = {blobs.pop(path, ""): path for status, path, _ in commit.files if status == "D"}
        for status, path, blob in commit.files:
            if status == "D" or not blob:
                continue
            if path not in blobs and path not in added:
                renamed = gone.get(blob)
                added[path] = added.get(renamed, day) if renamed is not None else day
            blobs[path] = blob
    return added
