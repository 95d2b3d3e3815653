"""Hand-written pages in ``docs/``: which files are pages, and reading them safely.

A page that is not UTF-8 text is a located problem of ``playbook check`` (and so stops every
build), never a ``UnicodeDecodeError`` half-way through one.
"""

from __future__ import annotations

from pathlib import Path

from .problems import Problem

DOCS = "docs"
# The suffixes MkDocs renders as pages (mkdocs.utils.markdown_extensions).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


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
    return problems


def hand_written_pages(root: Path) -> dict[str, Path]:
    """Every page under ``root/docs`` (its POSIX path inside ``docs/`` -> the file), sorted;
    never through a symbolic link, and without hidden files and folders, as the build does."""
    docs = root / DOCS
    return {path.relative_to(docs).as_posix(): path for path in _files(root)}
