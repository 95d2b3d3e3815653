"""A self-contained site project: what ``playbook build --out DIR`` writes.

``DIR/docs/`` holds the Markdown tree (generated pages with their metadata as front matter,
the hand-written pages the audience may see), the assets, ``playbook.json`` and its schema;
``DIR/mkdocs.yml`` is the playbook's own ``mkdocs.yml`` with the ``playbook`` plugin replaced by
what it contributes (:func:`generator.site.contribution.contribute`: nav, the glossary's tooltip
extension ``generator.site.tooltips`` with its definitions, extra CSS and JavaScript, the search
separator and field weights) and ``DIR/overrides/`` lets a page's front
matter set its edit link. ``zensical build`` or a plain ``mkdocs build`` (no plugin) in ``DIR``
then gives the reader the same site as the plugin build, except what only runs inside a build
(README "Builders": the search ranking of record pages, the active nav entry on a record page).
Written by
:func:`generator.site.site.write_files`: only changed files, only inside a folder a previous build
made, never over the playbook's own folders; a builder's output (``site/``, ``.cache/``) is
left alone.
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from ..content.config import load_settings
from ..content.pages import PAGE_SUFFIXES
from ..core.problems import PlaybookError, Problem
from ..rules.guard import check_extensions, prune_nav, strip_comments
from .contribution import (
    SITE_NAME_TEMPLATE,
    TOOLTIPS,
    Contribution,
    contribute,
    feed_block,
    file_bytes,
    search_settings,
    site_options,
    site_overrides,
)
from .site import DOCS, Options, Tree, navigation, write_files

CONFIG = "mkdocs.yml"
OVERRIDES = "overrides"
OVERRIDES_SOURCE = Path(__file__).parent.parent / "overrides"
COMPANY_MAIN = "playbook-company-main.html"  # a custom_dir's own main.html, extended by the project's
BUILDER_OUTPUT = ("site", ".cache")  # what `mkdocs build` and `zensical build` write in DIR
EDIT_FEATURES = ("content.action.edit", "content.action.view")
TAGS_MARKER = "<!-- material/tags -->"  # where Material's tags plugin (and Zensical) write the tag index


class ConfigError(ValueError):
    """The playbook's ``mkdocs.yml`` cannot be turned into a project's configuration."""


# ---------------------------------------------------------------------------
# mkdocs.yml as data: tags such as !!python/name:... and !ENV are kept as written


@dataclass(frozen=True)
class Tagged:
    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path} is missing: the project's configuration is made from it")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader that keeps tags
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must be a mapping of settings")
    if "INHERIT" in data:
        raise ConfigError(f"{path}: INHERIT is not supported by 'playbook build --out'; merge the files")
    return data


def dump_config(config: dict[str, Any]) -> str:
    head = ("# Written by 'playbook build' from the playbook's mkdocs.yml, with the playbook plugin\n"
            "# replaced by what it adds. Build with `zensical build` or `mkdocs build`; do not edit.\n")
    return head + yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# ---------------------------------------------------------------------------
# The configuration


def _named(item: Any) -> tuple[str, Any]:
    """A plugin or extension entry (``name`` or ``{name: settings}``) as (name, settings)."""
    if isinstance(item, dict) and len(item) == 1:
        name, settings = next(iter(item.items()))
        return str(name), settings if isinstance(settings, dict) else {}
    return str(item), {}


def _entries(value: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        return [(str(k), v if isinstance(v, dict) else {}) for k, v in value.items()]
    return [_named(item) for item in value or []]


def _listed(entries: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    return [{name: settings} if settings else name for name, settings in entries]


def plugin_settings(config: dict[str, Any]) -> dict[str, Any] | None:
    """The ``playbook`` plugin's settings in ``config``, or ``None`` when it is not listed."""
    for name, settings in _entries(config.get("plugins")):
        if name == "playbook":
            return settings
    return None


def plugin_config(config: dict[str, Any]) -> Any:
    """The ``playbook`` plugin's settings in ``config``, checked and completed with its defaults
    by the plugin's own configuration class (so that both builds read them one way). Raises
    :class:`ConfigError` for a setting the plugin build would refuse."""
    from .plugin import PlaybookConfig

    checked = PlaybookConfig()
    checked.load_dict(dict(plugin_settings(config) or {}))
    failed, _ = checked.validate()
    if failed:
        raise ConfigError("mkdocs.yml: the playbook plugin's settings: "
                          + "; ".join(f"{key}: {error}" for key, error in failed))
    return checked


def read_site_options(config: dict[str, Any]) -> Options:
    """How the site presents the playbook, from ``mkdocs.yml`` (see
    :func:`generator.site.contribution.site_options`)."""
    checked = plugin_config(config)
    return site_options(config, checked.history, checked.changes_window)


def site_config(root: Path) -> dict[str, Any]:
    """The playbook's ``mkdocs.yml`` with what ``playbook.yml`` decides (name, addresses) applied,
    as the plugin applies it."""
    config = read_config(root / CONFIG)
    docs = Path(str(config.get("docs_dir") or DOCS)).name  # the source's, where hand-written pages live
    return {**config, **site_overrides(load_settings(root)[0], docs, config)}


def read_options(root: Path) -> Options:
    return read_site_options(site_config(root))


def head_template(added: Contribution, parent: str = "base.html") -> str:
    """``overrides/main.html``: the site's name printed as text (see
    :data:`generator.site.contribution.SITE_NAME_TEMPLATE`) and the change feed named in every page's
    head (the plugin does both for the pages it writes). ``parent`` is the template it extends:
    the theme's ``base.html``, or the company's own ``main.html`` (kept as :data:`COMPANY_MAIN`)."""
    lines = ["{#- Written by 'playbook build --out': the site's name is text; every page's head names "
             "the change feed. -#}", f'{{% extends "{parent}" %}}', SITE_NAME_TEMPLATE]
    return "\n".join([*lines, *feed_block(added.feed)]) + "\n"


def project_config(config: dict[str, Any], added: Contribution, nav: list[Any] | None) -> dict[str, Any]:
    """``config`` (the playbook's ``mkdocs.yml``) with the plugin replaced by ``added``."""
    out = copy.deepcopy(config)
    out.pop("site_dir", None)
    out["docs_dir"] = DOCS
    plugins = [(n, s) for n, s in _entries(config.get("plugins", ["search"])) if n != "playbook"]
    theme = out.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    for name, settings in plugins:
        if name.split("/")[-1] == "search":
            settings.update(search_settings(name, settings, theme.get("name"), added))
    out["plugins"] = _listed(plugins)
    if nav is not None and out.get("nav") is None:
        out["nav"] = nav
    extensions = [(n, s) for n, s in _entries(config.get("markdown_extensions")) if n != TOOLTIPS]
    extensions.append((TOOLTIPS, {k: copy.deepcopy(v) for k, v in added.tooltips.items()}))
    out["markdown_extensions"] = _listed(extensions)
    out["extra_css"] = [*(config.get("extra_css") or []), *added.extra_css]
    scripts = [{"path": s.path, "defer": True} if s.defer else s.path for s in added.extra_javascript]
    out["extra_javascript"] = [*(config.get("extra_javascript") or []), *scripts]
    theme.setdefault("variant", "classic")  # Zensical's look of Material (MkDocs ignores it)
    theme["custom_dir"] = OVERRIDES
    if not added.internal:  # no edit links outside internal builds (the plugin drops them too)
        theme["features"] = [f for f in theme.get("features") or [] if f not in EDIT_FEATURES]
    out["theme"] = theme
    return out


def edit_url(config: dict[str, Any], relative: str) -> str | None:
    """The URL MkDocs makes for a file whose edit path (relative to ``docs_dir``) is
    ``relative``: the same rule as ``mkdocs.structure.pages.Page._set_edit_url``."""
    repo_url = config.get("repo_url")
    edit_uri, template = config.get("edit_uri"), config.get("edit_uri_template")
    if not isinstance(edit_uri, str | None) or not isinstance(template, str | None):
        return None
    if template:
        target = template.format(path=relative, path_noext=posixpath.splitext(relative)[0])
    elif edit_uri:
        target = edit_uri.rstrip("/") + "/" + relative
    else:
        return None
    if isinstance(repo_url, str) and repo_url:
        return urljoin(repo_url if repo_url.endswith("/") else repo_url + "/", target)
    return target


def published(markdown: str, internal: bool) -> str:
    """A page's Markdown as the audience may read it: outside internal builds without HTML
    comments (the plugin strips them from the HTML; here no plugin runs, so they go from the
    Markdown, code blocks included), the tag index's marker kept."""
    if internal or "<!--" not in markdown:
        return markdown
    return TAGS_MARKER.join(strip_comments(part) for part in markdown.split(TAGS_MARKER))


def front_matter(meta: dict[str, Any]) -> str:
    if not meta:
        return ""
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"


# ---------------------------------------------------------------------------
# The project


def _clashes(tree: Tree, added: Contribution) -> list[Problem]:
    return [
        Problem(f"{DOCS}/{path}", 1, 1, f"this hand-written file has the path of a file the playbook adds "
                f"to its site ({path}); rename or move it so that neither is lost")
        for path in added.files
        if path in tree.hand_written
    ]


def project_files(tree: Tree, root: Path, today: date) -> dict[str, bytes]:
    """Every file of the project, by path relative to ``DIR``. Raises :class:`PlaybookError`
    when a hand-written file has the path of an added one, :class:`ConfigError` for a
    ``mkdocs.yml`` it cannot carry over, :class:`generator.rules.guard.SettingsError` for settings the
    plugin would refuse for this audience."""
    config = site_config(root)
    # The same refusals as the plugin's: nothing that pastes other files into a partner or public page.
    check_extensions(tree.audience, [n for n, _ in _entries(config.get("markdown_extensions"))],
                     [n for n, _ in _entries(config.get("plugins"))])
    added = contribute(tree, today)
    clashes = _clashes(tree, added)
    if clashes:
        raise PlaybookError(clashes)
    docs_dir = root / str(config.get("docs_dir") or DOCS)
    wanted: dict[str, bytes] = {}
    for rel, path in tree.hand_written.items():
        content = path.read_bytes()
        if not added.internal and rel.lower().endswith(PAGE_SUFFIXES):
            content = published(content.decode("utf-8"), internal=False).encode("utf-8")
        wanted[f"{DOCS}/{rel}"] = content
    for page, markdown in tree.pages.items():
        meta = dict(added.meta.get(page, {}))
        source = added.edit_source(page)
        url = edit_url(config, posixpath.relpath((root / source).as_posix(), docs_dir.as_posix())) \
            if source else None
        meta["edit_url"] = url or ""  # a page made from no file (home, freshness, tags) has no link
        markdown += added.suggestions.get(page, "")  # "Suggest a change" (internal builds)
        wanted[f"{DOCS}/{page}"] = (front_matter(meta) + published(markdown, added.internal)).encode("utf-8")
    wanted.update((f"{DOCS}/{p}", file_bytes(c)) for p, c in added.files.items())
    pages = [p.removeprefix(f"{DOCS}/") for p in wanted
             if p.startswith(f"{DOCS}/") and p.lower().endswith(PAGE_SUFFIXES)]
    nav = navigation(tree, sorted(pages)) if plugin_config(config).nav else None
    if config.get("nav") is not None and not added.internal:  # no title of a page it may not see
        config = {**config, "nav": prune_nav(config["nav"], set(pages)) or []}
    wanted[CONFIG] = dump_config(project_config(config, added, nav)).encode("utf-8")
    custom = (config.get("theme") or {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    parent = "base.html"
    if isinstance(custom, str) and (root / custom).is_dir():
        for path in sorted((root / custom).rglob("*")):
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(root / custom).as_posix()
                if rel == "main.html":  # the company's own: ours extends it
                    rel, parent = COMPANY_MAIN, COMPANY_MAIN
                wanted[f"{OVERRIDES}/{rel}"] = path.read_bytes()
    wanted[f"{OVERRIDES}/main.html"] = head_template(added, parent).encode("utf-8")
    for path in sorted(OVERRIDES_SOURCE.rglob("*.html")):
        wanted.setdefault(f"{OVERRIDES}/{path.relative_to(OVERRIDES_SOURCE).as_posix()}", path.read_bytes())
    return wanted


def write_project(tree: Tree, root: Path, out: Path, today: date) -> tuple[int, int]:
    """Write the project for ``tree`` into ``out``; return (written, removed) counts."""
    return write_files(project_files(tree, root, today), root, out, keep=BUILDER_OUTPUT)
