"""The Markdown tree of a playbook: generated pages beside the hand-written ones in ``docs/``.

Shared by ``playbook build`` and the MkDocs plugin. A generated page never
replaces a hand-written one: a clash is a located problem. Writing a tree only
touches files whose content changed, and only ever inside a folder that a
previous ``playbook build`` made (or a new, empty one).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..content.config import DEFAULT_SITE_NAME
from ..content.model import Playbook, Record
from ..content.pages import is_page, read_page
from ..core.problems import PlaybookError, Problem, errors
from ..core.wording import humanize
from ..history import changelog, feed
from ..history.history import History, after_adoption, read_history
from ..rules.audience import DEFAULT, of_page, scope, sees
from ..rules.project import Memo, fewer_gc_passes, load_playbook
from .render import render_pages

DOCS = "docs"
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
MARKER = ".playbook-build"
# Pages made from built-in templates unless docs/ has a hand-written page of that name.
EXTRA_PAGES = {"index.md": "_home.md.j2", "changes.md": "_changes.md.j2", "freshness.md": "_freshness.md.j2",
               "tags.md": "_tags.md.j2"}


@dataclass(frozen=True)
class Options:
    """How the site presents the change history (from ``mkdocs.yml`` or the command line)."""

    history: bool = True  # read the git history (False: the page says it is not available)
    window: int = changelog.WINDOW_DAYS  # days a record is marked "new" or "changed"
    repo_url: str | None = None  # links to commits and pull requests
    site_url: str | None = None  # absolute links in the feed
    site_name: str = DEFAULT_SITE_NAME
    directory_urls: bool = True  # the builder's use_directory_urls: where pages are served


@dataclass
class Tree:
    playbook: Playbook  # as the audience sees it
    pages: dict[str, str]  # generated page path -> Markdown
    warnings: list[Problem]
    audience: str = DEFAULT
    hand_written: dict[str, Path] = field(default_factory=dict)  # docs/ files the audience may see
    changes: changelog.ChangeLog | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # generated files other than pages (the feed)
    root: Path | None = None  # the playbook's folder (where node_modules/ may be)
    repo_url: str | None = None  # the repository, as the site's configuration names it
    basis: tuple[Any, ...] = ()  # what every page depends on besides the records (see :func:`basis`)
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)  # files read, for the next load


def _clashes(root: Path, pages: dict[str, str]) -> list[Problem]:
    docs = root / DOCS
    return [
        Problem(f"{DOCS}/{path}", 1, 1, f"this hand-written page has the path of a generated page "
                f"({path}); rename or move it so that neither is lost")
        for path in pages
        if (docs / path).exists()
    ]


# What a page may read besides the records: the files other than content/ it is made from.
INPUTS = ("schemas", "templates", DOCS, "playbook.yml")


def _stamps(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, size and modification time of every file under :data:`INPUTS`."""
    found = []
    for name in INPUTS:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.is_file() or path.is_symlink():
                info = path.lstat()
                found.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(found)


def basis(root: Path, today: date, audience: str, options: Options, history: History) -> tuple[Any, ...]:
    """Everything the pages depend on but the records: while it stays the same, a page whose
    records are unchanged is unchanged (see :func:`affected`)."""
    return (today, audience, options, history.available, history.head, len(history.entries), _stamps(root))


def _changed(before: Playbook, after: Playbook) -> set[tuple[str, str]]:
    old, new = before.records, after.records
    return {key for key in old.keys() | new.keys()
            if key not in old or key not in new
            or old[key].file != new[key].file or old[key].data != new[key].data}


def affected(before: Playbook, after: Playbook) -> set[tuple[str, str]] | None:
    """The records whose pages may differ between two versions of a playbook (of one basis): the
    changed ones (edited, added, removed); the records they name or are named by, before or
    after the change; when a title changed (or a record came or went), theirs in turn too (a
    stage's page names the teams of its SLAs); and the changed records' neighbours in their
    collection's order (a page links its previous and next record). ``None`` when every page
    may differ: a company closure changed (SLA pages list them)."""
    changed = _changed(before, after)
    old, new = before.records, after.records
    retitled = {k for k in changed if k not in old or k not in new or old[k].title != new[k].title}
    found = set(changed)
    for playbook in (before, after):
        records = playbook.records
        for key in changed:
            record = records.get(key)
            if record is None:
                continue
            if playbook.collections[record.collection].annotations.get("closures") is not None:
                return None
            siblings = [r.key for r in playbook.in_collection(record.collection)]
            at = siblings.index(key)
            found |= set(siblings[max(at - 1, 0):at + 2])
        found |= _around(changed, records) | _around(_around(retitled, records), records)
    return found


def _around(keys: set[tuple[str, str]], records: dict[tuple[str, str], Record]) -> set[tuple[str, str]]:
    """The records that name or are named by any of ``keys``."""
    return {other.key for key in keys if key in records
            for _, other in records[key].refs + records[key].backlinks}


def kept_pages(previous: Tree | None, now: tuple[Any, ...], playbook: Playbook) -> dict[str, str]:
    """The record pages of ``previous`` that a build on ``now`` would render the same (none
    unless the basis is the same); index and other generated pages are always rendered."""
    if previous is None or previous.basis != now:
        return {}
    changed = affected(previous.playbook, playbook)
    if changed is None:
        return {}
    return {record.page: previous.pages[record.page] for key, record in playbook.records.items()
            if key not in changed and record.page in previous.pages}


def generate(root: Path, today: date, audience: str = DEFAULT, options: Options | None = None,
             previous: Tree | None = None) -> Tree:
    """Load, validate and render the playbook as ``audience`` sees it, with its change history.
    Raises :class:`PlaybookError` on any error. With ``previous`` (the tree of an earlier call on
    the same root: ``mkdocs serve``'s rebuild), the record pages that cannot have changed keep
    its Markdown (:func:`kept_pages`)."""
    options = options or Options()
    memo = previous.memo if previous is not None else Memo()
    playbook, problems = load_playbook(root, memo)
    if errors(problems):
        raise PlaybookError(problems)
    playbook.directory_urls = options.directory_urls
    visible = hand_written(root, audience)
    extra = {path: t for path, t in EXTRA_PAGES.items() if path not in visible}
    seen = scope(playbook, audience)
    if not any(r.get("tags") for r in seen.records.values()):
        extra.pop("tags.md", None)  # no tag index without tags
    if options.history:
        history = read_history(root)
        if history.available and playbook.settings.exists and not playbook.settings.starter:
            history = after_adoption(root, history)
    else:
        history = History(False, "reading the history is switched off for this build")
    log = changelog.ChangeLog(history, seen, audience, today=today, window=options.window,
                              repo_url=options.repo_url)
    files = {feed.FILE: changelog.atom(log, site_name=options.site_name, site_url=options.site_url)}
    now = basis(root, today, audience, options, history)
    kept = kept_pages(previous, now, seen)
    with fewer_gc_passes():
        pages = render_pages(seen, today, extra, documents(visible), log, kept)
    clashes = _clashes(root, {p: "" for p in pages if p not in extra})
    if clashes:
        raise PlaybookError(clashes)
    return Tree(seen, pages, problems, audience, visible, log, files, root=root, repo_url=options.repo_url,
                basis=now, memo=memo)


def documents(visible: dict[str, Path]) -> dict[str, str]:
    """Top-level hand-written pages (not the home page) -> their first heading, for the home page."""
    found = {}
    for rel, path in visible.items():
        if "/" not in rel and is_page(path) and rel != "index.md":
            heading = _HEADING.search(read_page(path) or "")
            stem = humanize(Path(rel).stem)
            found[rel] = heading.group(1).strip() if heading else stem
    return found


def navigation(tree: Tree, pages: list[str]) -> list[Any]:
    """The nav, when ``mkdocs.yml`` sets none: the home page, hand-written pages (folders as
    sections), one entry per collection, then the freshness dashboard and the tag index.
    Records are not listed, so a page's size does not grow with the number of records."""
    generated = set(tree.pages) - set(EXTRA_PAGES)
    own = sorted(p for p in pages if p not in generated)
    last = ("changes.md", "freshness.md", "tags.md")
    nav: list[Any] = [p for p in own if p == "index.md"]
    nav += [p for p in own if p != "index.md" and p not in last and "/" not in p]
    folders: dict[str, list[str]] = {}
    for page in own:
        if "/" in page:
            folders.setdefault(page.split("/")[0], []).append(page)
    nav += [{humanize(folder): items} for folder, items in folders.items()]
    nav += [{c.title: tree.playbook.section_page(c.name)} for c in tree.playbook.collections.values()]
    return nav + [p for p in last if p in own]


# Files that cannot declare an audience but are safe to ship with any page: images, styles, scripts.
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".css", ".js")


def hand_written(root: Path, audience: str = DEFAULT) -> dict[str, Path]:
    """Files under ``docs/`` that ``audience`` may see. A page says so in its front matter
    (``audience: partner``; none means internal). Other files cannot say: outside internal builds
    only images, styles and scripts go out, never a raw HTML page, a PDF or a spreadsheet.
    Never follows a symbolic link."""
    docs = root / DOCS
    if not docs.is_dir():
        return {}
    found = {}
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_symlink() or not path.is_file() or any(p.startswith(".") for p in rel.parts):
            continue
        if is_page(path):
            text = read_page(path)  # not UTF-8: a problem of its own (see pages.page_problems)
            if text is None or not sees(audience, of_page(text)):
                continue
        elif audience != DEFAULT and path.suffix.lower() not in ASSET_SUFFIXES:
            continue
        found[rel.as_posix()] = path
    return found


SOURCES = (DOCS, "content", "schemas", "templates", ".git", ".github")


class OutputError(ValueError):
    """The folder to write cannot be used (it holds the sources, or files not made by a build)."""


def _prepare(out: Path, root: Path) -> None:
    resolved = out.resolve()
    for protected in (root, *(root / name for name in SOURCES)):
        if resolved == protected.resolve() or protected.resolve().is_relative_to(resolved):
            raise OutputError(f"refusing to write the Markdown tree over {protected}")
        if protected != root and resolved.is_relative_to(protected.resolve()):
            raise OutputError(f"refusing to write the Markdown tree inside {protected}: it holds the "
                             "playbook's sources; choose a folder outside it")
    if out.exists() and any(out.iterdir()) and not os.path.lexists(out / MARKER):
        raise OutputError(f"{out} is not empty and was not made by 'playbook build'; "
                         "choose a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    _unlink_links(out, out / MARKER)
    (out / MARKER).write_text("made by 'playbook build'; its contents are replaced on each build\n")


def _unlink_links(out: Path, target: Path) -> None:
    """Remove every symbolic link on the way from ``out`` to ``target`` (and ``target`` itself, if
    it is one), so that writing ``target`` never lands outside ``out``."""
    current = out
    for part in target.relative_to(out).parts:
        current = current / part
        if current.is_symlink():
            current.unlink()
        elif not current.exists():
            return


def tree_files(tree: Tree) -> dict[str, bytes]:
    """The Markdown tree: hand-written files and generated pages, by path."""
    wanted: dict[str, bytes] = {path: p.read_bytes() for path, p in tree.hand_written.items()}
    wanted.update((path, text.encode("utf-8")) for path, text in tree.pages.items())
    wanted.update(tree.files)  # the change feed
    return wanted


def write_tree(tree: Tree, root: Path, out: Path) -> tuple[int, int]:
    """Write generated and hand-written pages into ``out``; return (written, removed) counts."""
    return write_files(tree_files(tree), root, out)


def write_files(wanted: dict[str, bytes], root: Path, out: Path,
                keep: tuple[str, ...] = ()) -> tuple[int, int]:
    """Make ``out`` hold exactly ``wanted`` (path -> content), writing only changed files and
    leaving the top-level folders named in ``keep`` (a builder's output) alone. Never follows a
    symbolic link inside ``out``: one found there is removed."""
    _prepare(out, root)
    written = 0
    for path, content in wanted.items():
        target = out / path
        _unlink_links(out, target)
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written += 1
    removed = 0
    for folder, dirs, files in sorted(os.walk(out), reverse=True):  # deepest first; links not followed
        here = Path(folder)
        for name in [*files, *dirs]:
            existing = here / name
            rel = existing.relative_to(out).as_posix()
            if rel.split("/")[0] in keep and not (rel in keep and existing.is_symlink()):
                continue
            if existing.is_symlink() or (name in files and rel != MARKER and rel not in wanted):
                existing.unlink()
                removed += 1
            elif name in dirs and not any(existing.iterdir()):
                existing.rmdir()
    return written, removed
