"""Hand-written pages in ``docs/``: which files are pages, and reading them safely.

A page that is not UTF-8 text is a located problem of ``playbook check`` (and so stops every
build), never a ``UnicodeDecodeError`` half-way through one.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.problems import Problem
from .loader import LoadError, load_yaml

DOCS = "docs"
# The suffixes MkDocs renders as pages (mkdocs.utils.markdown_extensions).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# A page's YAML front matter, between a first line ``---`` and the next ``---`` (or ``...``).
_LINE = re.compile(r"(\bat line )(\d+)")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def read_page(path: Path) -> str | None:
    """The text of a page, or None when it is not UTF-8 text (or cannot be read)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _files(root: Path) -> list[Path]:
    docs = root / DOCS
    if not docs.is_dir():
        return []
    return [p for p in sorted(docs.rglob("*"))
            if not p.is_symlink() and p.is_file() and is_page(p)
            and not any(part.startswith(".") for part in p.relative_to(docs).parts)]


def page_problems(root: Path) -> list[Problem]:
    """Every hand-written page that cannot be read as UTF-8 text, at the first bad byte."""
    problems = []
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        try:
            path.read_bytes().decode("utf-8")
        except OSError as exc:
            problems.append(Problem(rel, 1, 1, f"cannot read the file: {exc.strerror}"))
        except UnicodeDecodeError as exc:
            before = path.read_bytes()[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before) - (before.rfind(b"\n") + 1) + 1
            problems.append(Problem(rel, line, column, "file is not valid UTF-8 text"))
            continue
        problems += front_matter_problems(rel, path.read_bytes().decode("utf-8"))
    return problems


def front_matter_problems(rel: str, text: str) -> list[Problem]:
    """What makes a page's front matter ambiguous, located in the page: a key given twice
    (``audience:`` twice would leave readers of the page disagreeing on who may see it)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return []
    try:
        doc = load_yaml(match.group(1).encode("utf-8"))
    except LoadError:
        return []  # not YAML: MkDocs reads no metadata from it, and the page counts as internal
    offset = text[: match.start(1)].count("\n")

    def in_page(message: str) -> str:  # "already set at line 2" of the front matter: the page's line
        return _LINE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + offset}", message)

    return [Problem(rel, line + offset, column, f"front matter: {in_page(message)}")
            for line, column, message in doc.errors]


def hand_written_pages(root: Path) -> dict[str, Path]:
    """Every page under ``root/docs`` (its POSIX path inside ``docs/`` -> the file), sorted;
    never through a symbolic link, and without hidden files and folders, as the build does."""
    docs = root / DOCS
    return {path.relative_to(docs).as_posix(): path for path in _files(root)}
