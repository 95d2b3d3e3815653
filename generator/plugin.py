"""The MkDocs plugin: ``mkdocs build`` and ``mkdocs serve`` straight from ``content/``.

Only turns MkDocs events into calls to :mod:`generator.site`; no logic of its own.
Generated pages are added as virtual files (nothing is written into ``docs/``),
their "edit this page" link opens the YAML file they come from, and invalid
content fails the build with every located problem.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .cache import Cache
from .escape import page_title
from .problems import PlaybookError
from .site import EXTRA_PAGES, Tree, generate

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"


class PlaybookConfig(Config):
    enabled = opt.Type(bool, default=True)
    root = opt.Optional(opt.Type(str))
    today = opt.Optional(opt.Type(str))
    nav = opt.Type(bool, default=True)


def build_date(configured: str | None) -> date:
    """The date freshness is judged at: config, then ``PLAYBOOK_TODAY``, then the clock."""
    text = configured or os.environ.get("PLAYBOOK_TODAY")
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise PluginError(f"playbook: 'today' must be a date written YYYY-MM-DD, not {text!r}") from None


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    def __init__(self) -> None:
        self.tree: Tree | None = None
        self.root = Path.cwd()
        self.cache: Cache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook makes MkDocs keep this instance across the rebuilds of `serve`,
        # so the cache lives as long as the server; `build` always starts cold.
        self.cache = Cache() if command == "serve" else None

    def on_config(self, config: Any) -> Any:
        self.tree = None
        if not self.config.enabled:
            return config
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.root = (base / self.config.root).resolve() if self.config.root else base.resolve()
        try:
            self.tree = generate(self.root, build_date(self.config.today), self.cache)
        except PlaybookError as exc:
            raise PluginError(f"the playbook has problems:\n{exc}".rstrip()) from None
        if self.cache is not None:
            log.info(f"rendered {len(self.cache.rendered):,} of {len(self.tree.pages):,} pages")
        for warning in self.tree.warnings:
            log.warning(str(warning))
        config.extra_css.append("assets/playbook/playbook.css")
        config.extra_javascript.append("assets/playbook/playbook.js")
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        if self.tree is None:
            return files
        docs = Path(config.docs_dir)
        for path, markdown in self.tree.pages.items():
            generated = File.generated(config, path, content=markdown)
            generated.edit_uri = self._edit_uri(path, docs)
            files.append(generated)
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/playbook/{asset.name}", abs_src_path=str(asset)))
        if self.config.nav and config.nav is None:
            config.nav = self._nav(files)
        return files

    def _edit_uri(self, page: str, docs: Path) -> str | None:
        assert self.tree is not None
        playbook = self.tree.playbook
        collection = page.partition("/")[0]
        if collection in playbook.collections:
            record = self._record_for(page)
            source = record.file if record else playbook.collections[collection].file
            return Path(os.path.relpath(self.root / source, docs)).as_posix()
        return None

    def _nav(self, files: Files) -> list[Any]:
        """Hand-written pages, then one entry per collection: the nav does not list records,
        so a page's size does not grow with the number of records."""
        assert self.tree is not None
        generated = set(self.tree.pages) - set(EXTRA_PAGES)
        pages = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in generated)
        nav: list[Any] = [p for p in pages if p == "index.md"]
        nav += [p for p in pages if p != "index.md" and "/" not in p]
        folders: dict[str, list[str]] = {}
        for page in pages:
            if "/" in page:
                folders.setdefault(page.split("/")[0], []).append(page)
        nav += [{folder.replace("-", " ").capitalize(): items} for folder, items in folders.items()]
        nav += [{c.title: f"{c.name}/index.md"} for c in self.tree.playbook.collections.values()]
        return nav

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        record = self._record_for(page.file.src_uri)
        if record is not None:
            page.meta["title"] = page_title(record.title)
        return markdown

    def _record_for(self, page: str) -> Any:
        if self.tree is None:
            return None
        collection, _, name = page.partition("/")
        return self.tree.playbook.records.get((collection, name.removesuffix(".md")))

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for folder in ("content", "schemas", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server
