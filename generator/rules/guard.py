"""Settings that could publish more than a build's audience may see, and what closes them.

The MkDocs plugin asks these functions; each is pure and says "no" with a :class:`SettingsError`
rather than guess:

- :func:`resolve_audience`: the audience comes from ``mkdocs.yml`` or ``PLAYBOOK_AUDIENCE``;
  two settings that disagree, an empty or unknown value, or an audience requested while the
  plugin is disabled (nothing would be withheld) stop the build.
- :func:`check_extensions`: Markdown extensions and plugins that paste other files into a page
  (``pymdownx.snippets``, include plugins, macros) could put an internal page or a content
  file into a partner or public page; they are refused outside internal builds.
- :func:`prune_nav`: a nav written in ``mkdocs.yml`` loses the entries (and their titles) of
  pages the audience may not see.
- :func:`strip_comments`: HTML comments of a page are not published outside internal builds.
- :func:`problems_page`: what ``mkdocs serve`` shows while the content is broken.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from ..core.problems import Problem
from .audience import AUDIENCES, DEFAULT

ENV = "PLAYBOOK_AUDIENCE"
# Markdown extensions and MkDocs plugins that paste the text of other files into a page.
PASTING_EXTENSIONS = ("pymdownx.snippets", "markdown_include", "mdx_include")
PASTING_PLUGINS = ("include-markdown", "include_markdown", "macros", "monorepo", "multirepo", "snippets")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
PROBLEMS_TITLE = "The playbook has problems"


class SettingsError(ValueError):
    """A setting that could publish more than the audience may see."""


def resolve_audience(configured: str | None, env: str | None, *, enabled: bool = True) -> str:
    """Who the site is for: ``audience`` under the plugin in ``mkdocs.yml`` or ``PLAYBOOK_AUDIENCE``
    (``env``; None when unset), else ``internal``."""
    if env is not None and env not in AUDIENCES:
        raise SettingsError(f"playbook: {ENV} must be one of {', '.join(AUDIENCES)}, not {env!r}")
    if not enabled:
        if configured is not None or env is not None:
            asked = f"{ENV}={env}" if env is not None else f"audience: {configured}"
            raise SettingsError(f"playbook: {asked} asks for a site for one audience, but the playbook "
                                "plugin is disabled (enabled: false), so nothing would be withheld; "
                                "enable the plugin or do not ask for an audience")
        return DEFAULT
    if configured is not None and env is not None and configured != env:
        raise SettingsError(f"playbook: the audience is set twice and the settings disagree: "
                            f"'audience: {configured}' in mkdocs.yml, {ENV}={env}; keep one")
    return configured or env or DEFAULT


def _base(name: str) -> str:
    return name.split(":", 1)[0]


def check_extensions(audience: str, extensions: Iterable[str], plugins: Iterable[str]) -> None:
    """Refuse file-pasting extensions and plugins outside internal builds."""
    if audience == "internal":
        return
    found = [e for e in extensions if _base(str(e)).startswith(PASTING_EXTENSIONS)]
    found += [p for p in plugins if _base(str(p)).split("/")[-1] in PASTING_PLUGINS]
    if found:
        names = ", ".join(found)
        raise SettingsError(f"playbook: {names} pastes other files into pages, which could put internal "
                            f"pages or content files into this {audience} site; remove it from mkdocs.yml "
                            "for this build (it is allowed in internal builds)")


def _is_link(target: str) -> bool:
    return "://" in target or target.startswith(("/", "mailto:", "#"))


def prune_nav(nav: Any, pages: set[str]) -> Any:
    """``nav`` without the entries of pages not in ``pages`` (nor sections left empty)."""
    if isinstance(nav, list):
        items = [prune_nav(item, pages) for item in nav]
        return [item for item in items if item is not None]
    if isinstance(nav, dict):
        entries = {title: prune_nav(value, pages) for title, value in nav.items()}
        return {t: v for t, v in entries.items() if v is not None and v != []} or None
    if isinstance(nav, str):
        if _is_link(nav) or posixpath.normpath(nav) in pages:
            return nav
        return None
    return nav


def strip_comments(page_html: str) -> str:
    """Remove HTML comments (Markdown writes those of a page through as they are; text in code
    blocks is escaped, so it is not touched)."""
    return _COMMENT.sub("", page_html) if "<!--" in page_html else page_html


def problems_page(problems: Iterable[Problem]) -> str:
    """A page listing every problem, escaped, for ``mkdocs serve`` while the content is broken."""
    lines = "\n".join(html.escape(str(p), quote=False) for p in problems)
    return (f"# {PROBLEMS_TITLE}\n\n"
            "Nothing of the playbook can be shown until these are fixed. Save the fix: this page "
            "reloads by itself. (`mkdocs build` and `playbook check` fail until then.)\n\n"
            f'<pre class="playbook-problems">{lines}</pre>\n')
