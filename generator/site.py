"""The Markdown tree of a playbook: generated pages beside the hand-written ones in ``docs/``.

Shared by ``playbook build`` and the MkDocs plugin. A generated page never
replaces a hand-written one: a clash is a located problem. Writing a tree only
touches files whose content changed, and only ever inside a folder that a
previous ``playbook build`` made (or a new, empty one).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .cache import Cache
from .model import Playbook
from .problems import PlaybookError, Problem, errors
from .project import fewer_gc_passes, load_playbook
from .render import render_pages

DOCS = "docs"
MARKER = ".playbook-build"
# Pages made from built-in templates unless docs/ has a hand-written page of that name.
EXTRA_PAGES = {"index.md": "_home.md.j2"}


@dataclass
class Tree:
    playbook: Playbook
    pages: dict[str, str]  # generated page path -> Markdown
    warnings: list[Problem]


def _clashes(root: Path, pages: dict[str, str]) -> list[Problem]:
    docs = root / DOCS
    return [
        Problem(f"{DOCS}/{path}", 1, 1, f"this hand-written page has the path of a generated page "
                f"({path}); rename or move it so that neither is lost")
        for path in pages
        if (docs / path).exists()
    ]


def generate(root: Path, today: date, cache: Cache | None = None) -> Tree:
    """Load, validate and render the playbook. Raises :class:`PlaybookError` on any error.

    With a ``cache`` (``mkdocs serve``), only what changed since its last call is read and
    rendered again; the result is the same."""
    with fewer_gc_passes():
        playbook, problems = load_playbook(root) if cache is None else cache.load_playbook(root)
        if errors(problems):
            raise PlaybookError(problems)
        extra = {path: t for path, t in EXTRA_PAGES.items() if not (root / DOCS / path).exists()}
        if cache is None:
            pages = render_pages(playbook, today, extra)
        else:
            pages = cache.render_pages(playbook, today, extra)
    clashes = _clashes(root, {p: "" for p in pages if p not in extra})
    if clashes:
        raise PlaybookError(clashes)
    return Tree(playbook, pages, problems)


def _hand_written(root: Path) -> dict[str, Path]:
    docs = root / DOCS
    if not docs.is_dir():
        return {}
    found = {}
    for path in sorted(docs.rglob("*")):
        if path.is_file() and not path.is_symlink() and not any(p.startswith(".") for p in path.parts):
            found[path.relative_to(docs).as_posix()] = path
    return found


def _prepare(out: Path, root: Path) -> None:
    resolved = out.resolve()
    for protected in (root, root / DOCS, root / "content", root / "schemas", root / "templates"):
        if resolved == protected.resolve() or protected.resolve().is_relative_to(resolved):
            raise ValueError(f"refusing to write the Markdown tree over {protected}")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ValueError(f"{out} is not empty and was not made by 'playbook build'; "
                         "choose a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by 'playbook build'; its contents are replaced on each build\n")


def write_tree(tree: Tree, root: Path, out: Path) -> tuple[int, int]:
    """Write generated and hand-written pages into ``out``; return (written, removed) counts."""
    _prepare(out, root)
    wanted: dict[str, bytes] = {path: p.read_bytes() for path, p in _hand_written(root).items()}
    wanted.update((path, text.encode("utf-8")) for path, text in tree.pages.items())
    written = 0
    for path, content in wanted.items():
        target = out / path
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written += 1
    removed = 0
    for existing in sorted(out.rglob("*"), reverse=True):
        rel = existing.relative_to(out).as_posix()
        if existing.is_file() and rel != MARKER and rel not in wanted:
            existing.unlink()
            removed += 1
        elif existing.is_dir() and not any(existing.iterdir()):
            shutil.rmtree(existing)
    return written, removed
