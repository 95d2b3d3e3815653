"""What the playbook adds to a site build, whatever builds it.

One function, :func:`contribute`, decides it: the settings of the glossary's tooltip extension
(:class:`generator.site.tooltips.TermExtension`: definitions and the names a term is never marked
inside), the extra style sheet and scripts (the vendored Mermaid, deferred, ``playbook.js`` and
``changes.js``), the search index's word separator and field weights, the search ranking of record
pages (applied to the written index), the files the site serves beside its pages (those assets,
the glossary's links, the change feed, ``playbook.json`` and its schema), the feed's link in every
page's head, each record page's metadata (title, tags) and the YAML file its "edit this page"
link opens (an index page has none). The MkDocs plugin applies it to MkDocs' objects during a
build; :mod:`generator.site.project_out` writes what a configuration can carry into a self-contained
project that Zensical or a plain MkDocs builds without the plugin (README "Builders" lists what it
cannot). Neither has rules of its own.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader, TemplateNotFound
from markupsafe import Markup

from ..content.config import Settings
from ..content.model import Record
from ..content.schemas import is_valid_id
from ..core.escape import page_title
from ..history import feed
from ..rules import glossary
from . import cms, export, search
from .site import Options, Tree

ASSETS = Path(__file__).parent.parent / "assets"
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
TOOLTIPS = "generator.site.tooltips"  # the tooltip extension, as mkdocs.yml names it


def search_separator(configured: object) -> str:
    """The separator a build uses: the one mkdocs.yml sets, or :data:`SEARCH_SEPARATOR`."""
    return configured if isinstance(configured, str) and configured != MKDOCS_SEPARATOR else SEARCH_SEPARATOR


def search_settings(name: str, settings: Mapping[str, Any], theme: object,
                    added: Contribution) -> dict[str, Any]:
    """The settings the search plugin ``name`` (``search``, or Material's ``material/search``),
    set to ``settings`` in ``mkdocs.yml``, builds with: the separator (:func:`search_separator`)
    and, for Material's search (MkDocs' own has no field weights), the fields the playbook adds
    where ``mkdocs.yml`` sets none. The plugin build and the project ``build --out`` writes both
    apply this, and nothing else, to the search plugin."""
    found: dict[str, Any] = {"separator": search_separator(settings.get("separator"))}
    if theme == "material" or name.startswith("material/"):
        fields = settings.get("fields")
        found["fields"] = {**added.search_fields, **(fields if isinstance(fields, Mapping) else {})}
    return found


def site_options(config: Mapping[str, Any], history: bool, window: int) -> Options:
    """How the site presents the playbook, from the site's configuration (``mkdocs.yml`` with
    :func:`site_overrides` applied) and the plugin's ``history`` and ``changes_window`` settings:
    the one reading of them, in the plugin build and in ``build --out``."""

    def text(key: str) -> str | None:
        value = config.get(key)
        return value if isinstance(value, str) and value else None

    return Options(history=history, window=window, repo_url=text("repo_url"), site_url=text("site_url"),
                   site_name=text("site_name") or Options().site_name,
                   directory_urls=config.get("use_directory_urls") is not False)


@dataclass(frozen=True)
class Script:
    path: str
    defer: bool = False


@dataclass
class Contribution:
    tooltips: dict[str, Any]  # TermExtension's settings: definitions (term -> one line), protected
    extra_css: list[str]
    extra_javascript: list[Script]
    files: dict[str, Path | bytes]  # served beside the pages: site path -> file or content
    meta: dict[str, dict[str, Any]]  # generated page -> metadata MkDocs reads from front matter
    search_fields: dict[str, dict[str, float]] = field(default_factory=dict)  # unless mkdocs.yml sets them
    rankings: dict[str, search.Ranking] = field(default_factory=dict)  # search location -> keywords, boost
    edit_sources: dict[str, str] = field(default_factory=dict)  # record page -> its YAML file (from root)
    internal: bool = True  # edit links at all (never outside internal builds)
    feed: str | None = None  # the change feed's path, named in every page's head
    suggestions: dict[str, str] = field(default_factory=dict)  # record page -> Markdown ending it (internal)

    def edit_source(self, page: str) -> str | None:
        """The file, relative to the playbook's root, that ``page``'s edit link opens; ``None``
        for a generated page that is not a record's (an index page is made from a schema and a
        template, which is no reader's business) and for a hand-written page (which keeps the
        builder's own link)."""
        return self.edit_sources.get(page)


def record_for(tree: Tree, page: str) -> Record | None:
    collection, _, name = page.partition("/")
    return tree.playbook.records.get((collection, name.removesuffix(".md")))


def page_meta(record: Record) -> dict[str, Any]:
    """A record page's title and tags (lower-case slugs by schema; anything else is left out).
    Search ranking is not page metadata: :mod:`generator.site.search` rewrites the written index."""
    meta: dict[str, Any] = {"title": page_title(record.title)}
    tags = [t for t in record.get("tags") or [] if isinstance(t, str) and is_valid_id(t)]
    if tags:
        meta["tags"] = tags
    return meta


def edit_sources(tree: Tree) -> dict[str, str]:
    """Record page -> the YAML file it comes from, relative to the root; empty outside internal
    builds. Other generated pages have no edit link."""
    if tree.audience != "internal":
        return {}
    found: dict[str, str] = {}
    for page in tree.pages:
        record = record_for(tree, page)
        if record is not None:
            found[page] = record.file
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
    meta, suggestions = {}, {}
    internal = tree.audience == "internal"
    # Worked out once per build, not per record page.
    teams = cms.members(tree.playbook) if internal else {}
    labels = {name: cms.field_labels(c) for name, c in tree.playbook.collections.items()} if internal else {}
    for page in tree.pages:
        record = record_for(tree, page)
        if record is not None:
            meta[page] = page_meta(record)
            if internal:  # "Suggest a change": the form at /admin/, or an issue
                suggestions[page] = cms.suggestion(tree.playbook, record, page, tree.repo_url, teams,
                                                   labels)
    if internal:  # the form editor (generator.site.cms); no trace of it in other builds
        files.update(cms.site_files(tree.playbook, tree.root or Path.cwd(), tree.repo_url))
    return Contribution(
        # Hover definitions, fed from the data (never from text appended to a page, so a
        # definition cannot inject Markdown); whole words in running text only (tooltips.py).
        tooltips={"definitions": glossary.abbreviations(terms),
                  "protected": glossary.protected_names(tree.playbook, terms)},
        extra_css=[CSS],
        # Material loads Mermaid from a CDN unless window.mermaid exists: ship it (deferred, so it
        # is defined before Material looks for diagrams on DOMContentLoaded).
        extra_javascript=[Script(MERMAID, defer=True), Script(SCRIPT), Script(CHANGES_SCRIPT)],
        files=files,
        meta=meta,
        search_fields={name: dict(spec) for name, spec in search.FIELDS.items()},
        rankings=search.rankings(tree.playbook, terms),
        edit_sources=edit_sources(tree),
        internal=tree.audience == "internal",
        feed=feed.FILE if feed.FILE in tree.files else None,
        suggestions=suggestions,
    )


def edit_path(repo_url: str, branch: str, docs: str) -> str:
    """The part of an edit link between the repository's address and a file, per code host."""
    host = urlsplit(repo_url).netloc.lower()
    if "gitlab" in host:
        return f"-/edit/{branch}/{docs}/"
    if "bitbucket" in host:
        return f"src/{branch}/{docs}/"
    return f"edit/{branch}/{docs}/"


def site_overrides(settings: Settings, docs: str, written: Mapping[str, Any]) -> dict[str, str | None]:
    """The ``mkdocs.yml`` settings the playbook decides: with a ``playbook.yml``, the site's name
    and addresses; without one, the edit path of a ``repo_url`` that ``mkdocs.yml`` gives no
    ``edit_uri`` (or ``edit_uri_template``) for, by the same rule (:func:`edit_path`: GitLab's
    ``-/edit/``, not MkDocs' own default). Without a ``repo_url`` there is no repository link:
    no edit links, and the theme never asks a code host's API about a repository (Material does,
    for any GitHub or GitLab ``repo_url``). ``docs`` is the name of the docs folder, ``written``
    the settings as ``mkdocs.yml`` writes them (before any default is filled in)."""
    if not settings.exists:
        repo_url = written.get("repo_url")
        if isinstance(repo_url, str) and repo_url and not {"edit_uri", "edit_uri_template"} & set(written):
            return {"edit_uri": edit_path(repo_url, settings.branch, docs)}
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


def site_name_text(name: str) -> Markup:
    """The site's name as the theme is to print it: as text, never as markup. Material (and
    Zensical) print ``config.site_name`` unescaped in the header, the nav and ``<title>``, and
    escaped (``| e``) in attributes; an escaped :class:`markupsafe.Markup` reads the same in both
    (``| e`` leaves it as it is). Angle brackets become look-alike quotes, as in page titles
    (:func:`generator.core.escape.page_title`): Material's ``content.tooltips`` shows a ``title``, and
    the text of a shortened header, as HTML. The plugin sets it on MkDocs' config; a project
    built without the plugin gets the same through :data:`SITE_NAME_TEMPLATE`."""
    return Markup(page_title(name))


# A statement of the ``main.html`` of a project built without the plugin: every template of the
# theme (header, nav, ``<title>``) then sees the site's name as :func:`site_name_text` makes it (a
# statement outside the blocks of a child template applies before its parent renders: in Jinja,
# which MkDocs uses, and in MiniJinja, which Zensical uses).
SITE_NAME_TEMPLATE = ("{% set config = dict(config, site_name=config.site_name | replace('<', '\u2039') "
                      "| replace('>', '\u203a') | e) %}")


def feed_link(href: str) -> str:
    """The ``<link>`` in a page's head that names the change feed (``href`` relative to the page)."""
    return (f'<link rel="alternate" type="{feed.MEDIA_TYPE}" href="{html.escape(href)}" '
            'title="What changed in the playbook">')


def feed_block(path: str | None) -> list[str]:
    """The lines of a ``main.html`` that name the change feed (at ``path`` in the site) in every
    page's head: the one way it is added, by the plugin (:func:`with_feed`) and in a project of
    ``playbook build --out`` (:func:`generator.site.project_out.head_template`), so every builder
    gives each page the same link."""
    if path is None:
        return []
    link = feed_link("HREF").replace("HREF", "{{ '" + path + "' | url }}")
    return ["{% block extrahead %}", "  {{ super() }}", "  " + link, "{% endblock %}"]


THEME_MAIN = "playbook-theme-main.html"  # the theme's (or the company's) main.html, under another name


def with_feed(env: Any, path: str | None) -> Any:
    """A template loader for ``env`` (MkDocs' Jinja environment) whose ``main.html`` extends the
    theme's own and adds :func:`feed_block`; ``env``'s loader as it is without a feed."""
    if path is None:
        return env.loader
    try:
        original = env.loader.get_source(env, "main.html")[0]
    except TemplateNotFound:  # a theme without main.html: its pages name no feed
        return env.loader
    main = "\n".join([f'{{% extends "{THEME_MAIN}" %}}', *feed_block(path)]) + "\n"
    return ChoiceLoader([DictLoader({"main.html": main, THEME_MAIN: original}), env.loader])


def file_bytes(content: Path | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.read_bytes()
