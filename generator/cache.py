"""Incremental generation for ``mkdocs serve``: reuse what an edit did not touch.

A :class:`Cache` lives as long as the serve process (the plugin keeps it) and makes each
rebuild cost what changed, not what exists:

- content files are read, parsed and schema-checked again only when their
  ``(mtime_ns, size)`` changed; the others reuse their parsed document and verdict;
- references are linked again in full (cheap), so every cross-record problem is still found;
- only the pages an edit can change are rendered again: the changed records' pages, the
  pages of the records they name or that name them (before and after the edit: titles,
  "Referenced by" lists, review status), the index pages of those records' collections,
  and the extra pages (the home page). Every other page keeps its Markdown.

Anything wider falls back to a full render: a record added or removed, a change under
``schemas/`` or ``templates/``, another date, a different set of extra pages, or a
playbook template that reads the whole playbook (``playbook`` or ``page.records``).
The result is always what a cold build gives (``tests/test_cache.py`` checks it page by
page), with one stated limit: a playbook template that links a value not declared
``x-ref`` (``{{ data.x | ref }}``) keeps that link's old title until a full render.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, nodes

from .loader import Document
from .model import Playbook, Record
from .problems import Problem
from .project import ContentFile, Loaded, link_records, read_records, scan_content
from .render import TEMPLATES, Renderer
from .schemas import load_schemas

Key = tuple[str, str]
Stamp = tuple[int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _fingerprint(root: Path) -> tuple[tuple[str, Stamp | None], ...]:
    """Every file under ``schemas/`` and ``templates/``: a change there invalidates everything."""
    found = []
    for folder in ("schemas", TEMPLATES):
        base = root / folder
        if base.is_dir():
            found += [(p.relative_to(root).as_posix(), _stamp(p)) for p in sorted(base.rglob("*"))]
    return tuple(found)


@dataclass
class _Entry:
    """One content file as last read: its stamp, and what reading it gave."""

    stamp: Stamp | None
    doc: Document | None
    problems: list[Problem]


def _reads_everything(root: Path) -> bool:
    """Whether a playbook template reads the whole playbook (so any edit may change it)."""
    folder = root / TEMPLATES
    if not folder.is_dir():
        return False
    env = Environment()
    for path in sorted(folder.rglob("*.j2")):
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except Exception:  # a broken template: the renderer reports it; render everything
            return True
        for node in tree.find_all((nodes.Name, nodes.Getattr)):
            if isinstance(node, nodes.Name) and node.name == "playbook":
                return True
            if (isinstance(node, nodes.Getattr) and node.attr in ("records", "playbook")
                    and isinstance(node.node, nodes.Name) and node.node.name == "page"):
                return True
    return False


def _neighbours(playbook: Playbook) -> dict[Key, set[Key]]:
    """For each record, the records it names and those that name it."""
    out: dict[Key, set[Key]] = {key: set() for key in playbook.records}
    for key, record in playbook.records.items():
        for _, target in record.refs:
            out[key].add(target.key)
            out[target.key].add(key)
    return out


def _order(playbook: Playbook, extra: dict[str, str]) -> list[str]:
    """The pages in the order :meth:`generator.render.Renderer.pages` renders them."""
    order = []
    for name in playbook.collections:
        order.append(f"{name}/index.md")
        order += [record.page for record in playbook.in_collection(name)]
    return order + list(extra)


@dataclass
class Cache:
    """What the last build of one playbook read and rendered."""

    root: Path | None = None
    fingerprint: tuple[tuple[str, Stamp | None], ...] = ()
    entries: dict[str, _Entry] = field(default_factory=dict)
    # Records whose file changed since the last successful render (kept across failed builds).
    changed: set[Key] = field(default_factory=set)
    # The last successful render: its pages, date, extra pages and references.
    pages: dict[str, str] = field(default_factory=dict)
    today: date | None = None
    extra: dict[str, str] = field(default_factory=dict)
    links: dict[Key, set[Key]] = field(default_factory=dict)
    global_templates: bool = False
    rendered: list[str] = field(default_factory=list)  # pages rendered by the last call

    def _reset(self, root: Path, fingerprint: tuple[tuple[str, Stamp | None], ...]) -> None:
        self.root, self.fingerprint = root, fingerprint
        self.entries, self.changed, self.pages, self.links = {}, set(), {}, {}
        self.global_templates = _reads_everything(root)

    def load_playbook(self, root: Path) -> tuple[Playbook, list[Problem]]:
        """:func:`generator.project.load_playbook`, reading again only the files that changed."""
        fingerprint = _fingerprint(root)
        if root != self.root or fingerprint != self.fingerprint:
            self._reset(root, fingerprint)
        collections, problems = load_schemas(root)
        files, found = scan_content(root, collections)
        problems += found
        loaded: list[Loaded] = []
        entries: dict[str, _Entry] = {}
        for item in files:
            entry = self._read(item, collections)
            entries[item.file] = entry
            problems += entry.problems
            if entry.doc is not None:
                record = Record(item.collection, item.id, item.file, entry.doc)
                loaded.append(Loaded(item, record, not entry.problems))
        for gone in set(self.entries) - set(entries):
            collection, _, name = gone.removeprefix("content/").removesuffix(".yaml").partition("/")
            self.changed.add((collection, name))
        self.entries = entries
        playbook = Playbook(root, collections, {e.record.key: e.record for e in loaded if e.valid})
        problems += link_records(playbook, files, loaded)
        return playbook, sorted(problems)

    def _read(self, item: ContentFile, collections: dict) -> _Entry:
        stamp = _stamp(item.path)
        entry = self.entries.get(item.file)
        if entry is not None and stamp is not None and entry.stamp == stamp:
            return entry
        self.changed.add((item.collection, item.id))
        loaded, problems = read_records([item], collections)
        return _Entry(stamp, loaded[0].record.doc if loaded else None, problems)

    def render_pages(self, playbook: Playbook, today: date, extra: dict[str, str]) -> dict[str, str]:
        """:func:`generator.render.render_pages`, rendering again only the pages an edit affects."""
        renderer = Renderer(playbook, today)
        links = _neighbours(playbook)
        only = self._affected(playbook, today, extra, links)
        pages = renderer.pages(extra, only)
        self.rendered = list(pages)
        if only is not None:  # in the order of a full render (titles may have reordered records)
            pages = {path: pages[path] if path in pages else self.pages[path]
                     for path in _order(playbook, extra)}
        self.pages, self.today, self.extra, self.links = pages, today, dict(extra), links
        self.changed = set()
        return dict(pages)

    def _affected(self, playbook: Playbook, today: date, extra: dict[str, str],
                  links: dict[Key, set[Key]]) -> set[str] | None:
        """The pages to render again, or None for all of them."""
        if (not self.pages or today != self.today or extra != self.extra or self.global_templates
                or set(links) != set(self.links)):
            return None
        keys = set(self.changed)
        for key in self.changed:
            keys |= links.get(key, set()) | self.links.get(key, set())
        records: list[Record] = [playbook.records[k] for k in keys if k in playbook.records]
        only = {r.page for r in records} | {f"{r.collection}/index.md" for r in records}
        return only | set(extra)
