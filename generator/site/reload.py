"""The fast reload of ``mkdocs serve``: after an edit that only touched ``content/``, the pages
whose Markdown changed are built again into the served site; every other page stays as the last
full build wrote it.

MkDocs' own rebuild in ``serve`` loads, renders and writes every page (and ``--dirty`` writes a
search index of the rebuilt pages alone). Here the last full build's configuration, files,
navigation and template environment are kept (:class:`Built`), and a changed page goes through
MkDocs' own steps for one page (``_populate_page``, ``_build_page``: the same plugins, theme and
hooks as in a full build); its entries in the search index are replaced where they stood, and the
whole index is written again. Whatever could change another page's HTML is left to a full build
(:func:`in_place`): a change outside ``content/``, a page added or removed, other tooltips, assets
or settings, a tagged page (the tag index lists it), or a search plugin that keeps no entries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .contribution import Contribution, file_bytes
from .site import Tree


@dataclass
class Built:
    """What the last full build leaves for building single pages: MkDocs' objects, and the
    stamps of the files it was made from besides ``content/``."""

    config: Any
    files: Any
    nav: Any
    env: Any
    stamps: tuple[tuple[str, int, int], ...]


def stamps(config: Any) -> tuple[tuple[str, int, int], ...]:
    """Path, size and modification time of ``mkdocs.yml`` and of every file in the docs folder
    and the theme's ``custom_dir``: a change to any of them is a full build's business
    (``schemas/``, ``templates/`` and ``playbook.yml`` are the generator's: see
    :func:`generator.site.site.basis`)."""
    found: list[tuple[str, int, int]] = []
    paths = [Path(config.config_file_path)] if config.config_file_path else []
    for folder in (config.docs_dir, config.theme.custom_dir):
        if folder and os.path.isdir(folder):
            paths += sorted(p for p in Path(folder).rglob("*") if p.is_file() or p.is_symlink())
    for path in paths:
        info = path.lstat()
        found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


def search_entries(config: Any) -> list[dict[str, Any]] | None:
    """The entries of the search index being built (Material's search plugin keeps them);
    ``None`` when the search plugin keeps none that can be replaced."""
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search":
            entries = getattr(getattr(plugin, "search_index", None), "entries", None)
            return entries if isinstance(entries, list) else None
    return []  # no search: nothing to keep whole


def changed_pages(before: Tree, after: Tree) -> dict[str, str]:
    return {path: markdown for path, markdown in after.pages.items() if before.pages.get(path) != markdown}


def _tags(added: Contribution, page: str) -> Any:
    return added.meta.get(page, {}).get("tags")


def in_place(before: Tree, after: Tree, old: Contribution, new: Contribution, changed: dict[str, str],
             built: Built) -> bool:
    """Whether building ``changed`` alone gives the site a full build would: the same pages,
    the same additions to every page (tooltips, assets, search settings, edit links), no change
    the tag index shows, and nothing but ``content/`` edited since the last full build."""
    tagged = [p for p in changed if _tags(old, p) or _tags(new, p)]
    return (set(before.pages) == set(after.pages)
            and not tagged and "tags.md" not in changed
            and (old.tooltips, old.extra_css, old.extra_javascript, old.search_fields, old.edit_sources,
                 old.internal, old.feed) == (new.tooltips, new.extra_css, new.extra_javascript,
                                             new.search_fields, new.edit_sources, new.internal, new.feed)
            and search_entries(built.config) is not None
            and stamps(built.config) == built.stamps)


def write_files(site: Path, old: Contribution, new: Contribution) -> int:
    """Write the added files (``playbook.json``, the glossary's links, ...) whose content changed."""
    written = 0
    for path, content in new.files.items():
        data = file_bytes(content)
        if path in old.files and file_bytes(old.files[path]) == data:
            continue
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


def rebuild(built: Built, changed: dict[str, str]) -> None:
    """Build the pages in ``changed`` (source path -> new Markdown) again as MkDocs' full build
    does, replace their search entries where they stood, and run the ``post_build`` event (the
    search index is written whole, then ranked)."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    config, files = built.config, built.files
    entries = search_entries(config)
    assert entries is not None
    pages = []
    for path, markdown in changed.items():
        file = files.get_file_from_path(path)
        file.content_string = markdown
        _populate_page(file.page, config, files)
        pages.append(file.page)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:
        ours = {n for n, e in enumerate(entries) if str(e.get("location", "")).partition("#")[0] == page.url}
        at = min(ours, default=len(entries))
        entries[:] = [e for n, e in enumerate(entries) if n not in ours]
        count = len(entries)
        _build_page(page, config, doc_files, built.nav, built.env)  # the search plugin appends its entries
        fresh = entries[count:]
        del entries[count:]
        entries[at:at] = fresh
    config.plugins.on_post_build(config=config)
