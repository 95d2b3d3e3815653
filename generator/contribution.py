"""What the playbook adds to a site build, whatever builds it.

One function, :func:`contribute`, decides it: the glossary for the ``abbr`` extension (hover
definitions), the extra style sheet and scripts (the vendored Mermaid, deferred, ``playbook.js``
and ``changes.js``), the search index's word separator, the files the site serves beside its
pages (those assets, the glossary's links, the change feed, ``playbook.json`` and its schema),
the feed's link in every page's head, each generated page's metadata (title, tags, search boost)
and the source file its "edit this page" link opens. The MkDocs plugin applies it to MkDocs'
objects during a build; :mod:`generator.project_out` writes it into a self-contained project
that Zensical or a plain MkDocs builds without the plugin. Neither has rules of its own.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import export, feed, glossary
from .config import Settings
from .escape import page_title
from .model import Record
from .schemas import is_valid_id
from .site import Tree

ASSETS = Path(__file__).parent / "assets"
PREFIX = "assets/playbook"
CSS = f"{PREFIX}/playbook.css"
MERMAID = f"{PREFIX}/vendor/mermaid.min.js"
SCRIPT = f"{PREFIX}/playbook.js"
CHANGES_SCRIPT = f"{PREFIX}/changes.js"  # the filters of the "What changed" page
GLOSSARY_LINKS = f"{PREFIX}/glossary.json"  # term -> definition page, read by playbook.js
# Where the search index splits words, unless mkdocs.yml sets it: at spaces, hyphens, brackets and
# punctuation, so that "(MQL)" and "MQL/SQL" are found by "MQL". MkDocs' own default splits only
# at spaces and hyphens (lunr then trims punctuation); Zensical's default differs again and it
# trims nothing: one rule, stated for every builder, keeps search the same in all of them.
SEARCH_SEPARATOR = r"[\s\-()\[\],:;/]+"
MKDOCS_SEPARATOR = r"[\s\-]+"  # the search plugin's default


def search_separator(configured: object) -> str:
    """The separator a build uses: the one mkdocs.yml sets, or :data:`SEARCH_SEPARATOR`."""
    return configured if isinstance(configured, str) and configured != MKDOCS_SEPARATOR else SEARCH_SEPARATOR


@dataclass(frozen=True)
class Script:
    path: str
    defer: bool = False


@dataclass
class Contribution:
    abbreviations: dict[str, str]  # term -> one-line definition, for Python-Markdown's abbr
    extra_css: list[str]
    extra_javascript: list[Script]
    files: dict[str, Path | bytes]  # served beside the pages: site path -> file or content
    meta: dict[str, dict[str, Any]]  # generated page -> metadata MkDocs reads from front matter
    edit_sources: dict[str, str | None] = field(default_factory=dict)  # page -> source (from root)
    internal: bool = True  # edit links at all (never outside internal builds)
    feed: str | None = None  # the change feed's path, named in every page's head

    def edit_source(self, page: str) -> str | None:
        """The file, relative to the playbook's root, that ``page``'s edit link opens; ``None``
        for a page that keeps the builder's own link (a hand-written page) or has none."""
        return self.edit_sources.get(page)


def record_for(tree: Tree, page: str) -> Record | None:
    collection, _, name = page.partition("/")
    return tree.playbook.records.get((collection, name.removesuffix(".md")))


def page_meta(record: Record, terms: list[glossary.Term]) -> dict[str, Any]:
    """A record page's title, tags (lower-case slugs by schema; anything else is left out) and
    search boost: a term's definition page outranks its record kin, which outrank mentions."""
    meta: dict[str, Any] = {"title": page_title(record.title)}
    tags = [t for t in record.get("tags") or [] if isinstance(t, str) and is_valid_id(t)]
    if tags:
        meta["tags"] = tags
    defines = any(t.record.key == record.key for t in terms)
    meta["search"] = {"boost": 10 if defines else 2}
    return meta


def edit_sources(tree: Tree) -> dict[str, str | None]:
    """Generated page -> the YAML file (a record page) or schema (a collection's pages) it comes
    from, relative to the root; empty outside internal builds."""
    if tree.audience != "internal":
        return {}
    playbook = tree.playbook
    found: dict[str, str | None] = {}
    for page in tree.pages:
        collection = page.partition("/")[0]
        if collection in playbook.collections:
            record = record_for(tree, page)
            found[page] = record.file if record else playbook.collections[collection].file
    return found


def asset_files() -> dict[str, Path | bytes]:
    return {
        f"{PREFIX}/{asset.relative_to(ASSETS).as_posix()}": asset
        for asset in sorted(ASSETS.rglob("*"))
        if asset.is_file() and asset.suffix != ".md"
    }


def contribute(tree: Tree, today: date) -> Contribution:
    """Everything the playbook adds to a site built from ``tree`` (judged at ``today``)."""
    terms = glossary.terms(tree.playbook)
    files = asset_files()
    files[GLOSSARY_LINKS] = json.dumps(glossary.links(terms)).encode("utf-8")
    files.update(tree.files)  # the change feed
    data = export.export(tree.playbook, today, tree.audience, tree.changes)
    files[export.FILE] = export.dumps(data).encode("utf-8")
    files[export.SCHEMA_FILE] = export.SCHEMA
    meta = {}
    for page in tree.pages:
        record = record_for(tree, page)
        if record is not None:
            meta[page] = page_meta(record, terms)
    return Contribution(
        abbreviations=glossary.abbreviations(terms),
        extra_css=[CSS],
        # Material loads Mermaid from a CDN unless window.mermaid exists: ship it (deferred, so it
        # is defined before Material looks for diagrams on DOMContentLoaded).
        extra_javascript=[Script(MERMAID, defer=True), Script(SCRIPT), Script(CHANGES_SCRIPT)],
        files=files,
        meta=meta,
        edit_sources=edit_sources(tree),
        internal=tree.audience == "internal",
        feed=feed.FILE if feed.FILE in tree.files else None,
    )


def edit_path(repo_url: str, branch: str, docs: str) -> str:
    """The part of an edit link between the repository's address and a file, per code host."""
    host = urlsplit(repo_url).netloc.lower()
    if "gitlab" in host:
        return f"-/edit/{branch}/{docs}/"
    if "bitbucket" in host:
        return f"src/{branch}/{docs}/"
    return f"edit/{branch}/{docs}/"


def site_overrides(settings: Settings, docs: str) -> dict[str, str | None]:
    """The ``mkdocs.yml`` settings ``playbook.yml`` decides when it exists: the site's name and
    addresses. Without a ``repo_url`` there is no repository link: no edit links, and the theme
    never asks a code host's API about a repository (Material does, for any GitHub or GitLab
    ``repo_url``). ``docs`` is the name of the docs folder."""
    if not settings.exists:
        return {}
    found: dict[str, str | None] = {}
    if settings.title:
        found["site_name"] = settings.title
    if settings.site_url:
        found["site_url"] = settings.site_url
    if settings.repo_url:
        host = urlsplit(settings.repo_url).netloc.lower()
        found["repo_url"] = settings.repo_url
        found["repo_name"] = "GitHub" if host == "github.com" else "GitLab" if "gitlab" in host else host
        found["edit_uri"] = edit_path(settings.repo_url, settings.branch, docs)
    else:
        found["repo_url"] = found["repo_name"] = found["edit_uri"] = None
    return found


def feed_link(href: str) -> str:
    """The ``<link>`` in a page's head that names the change feed (``href`` relative to the page)."""
    return (f'<link rel="alternate" type="{feed.MEDIA_TYPE}" href="{html.escape(href)}" '
            'title="What changed in the playbook">')


def file_bytes(content: Path | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.read_bytes()
