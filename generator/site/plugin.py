"""The MkDocs plugin: ``mkdocs build`` and ``mkdocs serve`` straight from ``content/``.

Only turns MkDocs events into calls to :mod:`generator.site.site` and applies what
:func:`generator.site.contribution.contribute` decides; no logic of its own.
Generated pages are added as virtual files (nothing is written into ``docs/``),
their "edit this page" link opens the YAML file they come from, and invalid
content fails the build with every located problem.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..content.config import Settings, load_settings
from ..core.dates import parse_iso_date
from ..core.problems import BUG_NOTICE, PlaybookError, Problem
from ..history import changelog
from ..rules.audience import AUDIENCES
from ..rules.guard import (
    ENV,
    SettingsError,
    check_extensions,
    problems_page,
    prune_nav,
    resolve_audience,
    strip_comments,
)
from ..rules.project import fewer_gc_passes
from . import reload, search
from .contribution import (
    Contribution,
    contribute,
    record_for,
    search_settings,
    site_name_text,
    site_options,
    site_overrides,
    with_feed,
)
from .site import Options, Tree, generate, navigation
from .tooltips import TermExtension

log = get_plugin_logger(__name__)


class PlaybookConfig(Config):
    enabled = opt.Type(bool, default=True)
    root = opt.Optional(opt.Type(str))
    today = opt.Optional(opt.Type(str))
    audience = opt.Optional(opt.Choice(AUDIENCES))
    nav = opt.Type(bool, default=True)
    history = opt.Type(bool, default=True)  # the "What changed" page, marks and feed from git
    changes_window = opt.Type(int, default=changelog.WINDOW_DAYS)  # days a record is marked new/changed


def build_date(configured: str | None) -> date:
    """The date freshness is judged at: config, then ``PLAYBOOK_TODAY``, then the clock."""
    text = configured or os.environ.get("PLAYBOOK_TODAY")
    try:
        return parse_iso_date(text) if text else date.today()
    except ValueError:
        raise PluginError(f"playbook: 'today' must be a date written YYYY-MM-DD, not {text!r}") from None


def build_audience(configured: str | None, enabled: bool = True) -> str:
    """Who the site is for (see :func:`generator.rules.guard.resolve_audience`)."""
    try:
        return resolve_audience(configured, os.environ.get(ENV), enabled=enabled)
    except SettingsError as exc:
        raise PluginError(str(exc)) from None


def _in_folder(path: str | None, folder: Path) -> bool:
    """Whether ``path`` lies in ``folder``, judged by name (a symbolic link is where it is, not
    where it points)."""
    return path is not None and Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


def apply_settings(config: Any, settings: Settings) -> None:
    """``playbook.yml`` decides the site's name and addresses when it exists (see
    :func:`generator.site.contribution.site_overrides`)."""
    written = {key: value for user in getattr(config, "user_configs", []) for key, value in user.items()}
    for key, value in site_overrides(settings, Path(config.docs_dir).name, written).items():
        setattr(config, key, value)


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    def __init__(self) -> None:
        self.tree: Tree | None = None
        self.serving = False
        self.problems: list[Problem] = []
        self.shown: set[str] = set()  # the pages of the last good build
        self.root = Path.cwd()
        self.today = date.today()
        self.contribution: Contribution | None = None
        self.active: list[Any] = []  # nav entries marked active for the page being rendered
        self.options = Options()
        self.previous: Tree | None = None  # mkdocs serve: the last good tree, whose pages a rebuild may reuse
        self.built: reload.Built | None = None  # mkdocs serve: the last full build, for a reload in place
        self.nav: Any = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    @event_priority(100)  # before the search plugin fills in its defaults (separator, field weights)
    def on_config(self, config: Any) -> Any:
        self.tree = None
        self.contribution = None  # nothing of the last good build on a page that shows problems
        self.problems = []
        self.built = None
        if not self.config.enabled:
            build_audience(self.config.audience, enabled=False)  # refuses an audience asked for
            return config
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.root = (base / self.config.root).resolve() if self.config.root else base.resolve()
        audience = build_audience(self.config.audience)
        try:
            check_extensions(audience, config.markdown_extensions, config.plugins)
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        # playbook.yml decides the site's name and addresses (its own mistakes are reported by the
        # build below), before anything is built with them.
        apply_settings(config, load_settings(self.root)[0])
        self.options = site_options(config, self.config.history, self.config.changes_window)
        config.site_name = site_name_text(self.options.site_name)  # the theme prints it: text, never markup
        try:
            self.today = build_date(self.config.today)
            self.tree = generate(self.root, self.today, audience, self.options,
                                 previous=self.previous if self.serving else None)
        except PlaybookError as exc:
            if not self.serving:
                raise PluginError(f"the playbook has problems:\n{exc}".rstrip()) from None
            # mkdocs serve: show the problems in the browser (the page reloads once they are fixed)
            # instead of a server that waits for a build that cannot succeed.
            log.error(f"the playbook has problems:\n{exc}".rstrip())
            self.problems = exc.problems
            return config
        except Exception:
            log.error(f"playbook: {BUG_NOTICE}")  # MkDocs prints the traceback
            raise
        self.previous = self.tree
        for warning in self.tree.warnings:
            log.warning(str(warning))
        self.contribution = added = contribute(self.tree, self.today)
        for name, plugin in config.plugins.items():  # "search", or Material's "material/search"
            if name.split("/")[-1] != "search":
                continue
            for key, value in search_settings(name, plugin.config, config.theme.name, added).items():
                if key in plugin.config:
                    plugin.config[key] = value
        config.markdown_extensions.append(TermExtension(**added.tooltips))
        config.extra_css.extend(added.extra_css)
        for script in added.extra_javascript:
            config.extra_javascript.append(ExtraScriptValue(script.path))
            config.extra_javascript[-1].defer = script.defer
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        if self.problems:
            return self._problems_site(files, config)
        if self.tree is None:
            return files
        docs = Path(config.docs_dir)
        internal = self.tree.audience == "internal"
        for file in list(files):
            if not _in_folder(file.abs_src_path, docs):
                continue  # a theme file or a generated one
            if file.src_uri not in self.tree.hand_written:
                files.remove(file)  # not for this audience, or a symbolic link MkDocs would follow
            elif not internal:
                file.edit_uri = None
        assert self.contribution is not None
        for path, markdown in self.tree.pages.items():
            generated = File.generated(config, path, content=markdown)
            generated.edit_uri = self._edit_uri(path, docs)
            files.append(generated)
        # assets, glossary links, the change feed, playbook.json and its schema
        for path, content in self.contribution.files.items():
            if isinstance(content, Path):
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))
        pages = [f.src_uri for f in files.documentation_pages()]
        if self.config.nav and config.nav is None:
            config.nav = navigation(self.tree, pages)
        elif config.nav is not None and not internal:
            config.nav = prune_nav(config.nav, set(pages)) or []  # no title of a page it may not see
        self.shown = {f.src_uri for f in files.documentation_pages()}
        return files

    def _problems_site(self, files: Files, config: Any) -> Files:
        """Every page (those of the last good build, those in docs/, the home page) shows the
        located problems; livereload brings the real pages back once they are fixed."""
        paths = {"index.md", *self.shown}
        for file in list(files.documentation_pages()):
            paths.add(file.src_uri)
            files.remove(file)
        page = problems_page(self.problems)
        for path in sorted(paths):
            files.append(File.generated(config, path, content=page))
        config.nav = ["index.md"]
        return files

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        if self.tree is not None and self.tree.audience != "internal":
            return strip_comments(html)
        return html

    def _edit_uri(self, page: str, docs: Path) -> str | None:
        assert self.contribution is not None
        source = self.contribution.edit_source(page)
        return Path(os.path.relpath(self.root / source, docs)).as_posix() if source else None

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """A record page is not in the nav (it lists collections): its collection's entry is
        marked active while the page is rendered."""
        record = record_for(self.tree, page.file.src_uri) if self.tree is not None else None
        if record is not None and nav is not None:
            for item in nav.pages:
                if item.file.src_uri == f"{record.collection}/index.md" and not item.active:
                    item.active = True
                    self.active.append(item)
        return context

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        # Title and tags; Material's tags plugin reads page.meta after this (its priority is lower).
        if self.contribution is not None:
            page.meta.update(self.contribution.meta.get(page.file.src_uri, {}))
            markdown += self.contribution.suggestions.get(page.file.src_uri, "")
        return markdown

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """The nav entries marked active for a record page are reset."""
        while self.active:
            self.active.pop().active = False
        return output

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.nav = nav
        return nav

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        # Every page's head names the change feed, so feed readers find it (the theme's main.html,
        # extended as in a project of `playbook build --out`).
        env.loader = with_feed(env, self.contribution.feed if self.contribution is not None else None)
        if self.serving and self.tree is not None and not self.problems:
            self.built = reload.Built(config, files, self.nav, env, reload.stamps(config))
        return env

    @event_priority(-100)  # after the search plugin wrote its index
    def on_post_build(self, config: Any) -> None:
        """Rank the search index (``playbook.json`` and its schema are files of the build)."""
        site = Path(config.site_dir)
        if self.problems and (site / "index.html").is_file():  # any other address shows them too
            (site / "404.html").write_bytes((site / "index.html").read_bytes())
        if self.contribution is not None:
            search.rewrite(site, self.contribution.rankings)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for folder in ("content", "schemas", "templates"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        full: Callable[[], None] = server.builder

        def rebuild() -> None:
            if not self.reload():
                full()

        server.builder = rebuild
        return server

    def reload(self) -> bool:
        """A rebuild in ``mkdocs serve``: build only the pages an edit of ``content/`` changed,
        when that gives the site a full build would (:func:`generator.site.reload.in_place`); ``False``
        when a full build must run instead (and has not). The cycle collector runs seldom
        meanwhile: the server holds the whole last build, which each of its passes would walk."""
        with fewer_gc_passes():
            return self._reload()

    def _reload(self) -> bool:
        built, before, old = self.built, self.tree, self.contribution
        if built is None or before is None or old is None or self.problems:
            return False
        start = time.monotonic()
        try:
            today = build_date(self.config.today)
            after = generate(self.root, today, before.audience, self.options, previous=before)
        except (PlaybookError, PluginError):
            return False  # the full build shows the problems
        generated = time.monotonic()
        new = contribute(after, today)
        changed = reload.changed_pages(before, after)
        if not reload.in_place(before, after, old, new, changed, built):
            return False
        self.tree = self.previous = after
        self.contribution, self.today = new, today
        contributed = time.monotonic()
        reload.write_files(Path(built.config.site_dir), old, new)
        reload.rebuild(built, changed)
        done = time.monotonic()
        log.info(f"playbook: {len(changed)} of {len(after.pages)} generated pages built again in "
                 f"{done - start:.2f} seconds (generator {generated - start:.2f}, added files "
                 f"{contributed - generated:.2f}, pages and search index {done - contributed:.2f})")
        return True
