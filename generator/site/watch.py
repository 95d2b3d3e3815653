"""``playbook build --out DIR --watch``: keep a project of :mod:`generator.site.project_out`
current while an author edits, for a builder that runs no plugin (Zensical's ``serve`` then picks
up the files that changed).

The sources are polled (:func:`stamps`: path, size and modification time of every file the
generator reads); after a change the playbook is generated again from the previous tree, so only
the record pages the edit can reach are rendered again (:func:`generator.site.site.generate`), and
only the project files whose bytes changed are written. A build with problems writes nothing: the
project keeps the last good build, and the problems are reported until they are fixed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# What the generator reads besides the clock: the playbook, its settings and the git history (a
# commit moves .git/logs/HEAD).
SOURCES = ("content", "schemas", "templates", "docs", "playbook.yml", "mkdocs.yml", ".git/logs/HEAD")
INTERVAL = 0.2  # seconds between two looks at the sources


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files(Path(entry.path))
            else:
                yield Path(entry.path)


def stamps(root: Path) -> frozenset[tuple[str, int, int]]:
    """Path, size and modification time of every source file under ``root``."""
    found = set()
    for name in SOURCES:
        for path in _files(root / name):
            try:
                info = path.lstat()
            except OSError:  # gone between the listing and the look
                continue
            found.add((str(path), info.st_size, info.st_mtime_ns))
    return frozenset(found)


def watch(root: Path, rebuild: Callable[[], None], *, interval: float = INTERVAL,
          rounds: int | None = None) -> None:
    """Call ``rebuild`` each time the sources under ``root`` change (``rounds`` looks, or until
    interrupted); a change in the middle of a rebuild is seen at the next look."""
    seen = stamps(root)
    done = 0
    while rounds is None or done < rounds:
        time.sleep(interval)
        done += 1
        now = stamps(root)
        if now != seen:
            seen = now
            rebuild()
