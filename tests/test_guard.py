"""Settings that could publish more than an audience may see (issue 13, points 1, 4, 5, 15):
the pure rules here; real ``mkdocs build`` and ``mkdocs serve`` runs in tests/test_plugin_failclosed.py."""

from __future__ import annotations

import pytest

from generator.core.problems import Problem
from generator.rules.guard import (
    SettingsError,
    check_extensions,
    problems_page,
    prune_nav,
    resolve_audience,
    strip_comments,
)


@pytest.mark.parametrize(("configured", "env", "expected"), [
    (None, None, "internal"), ("public", None, "public"), (None, "partner", "partner"),
    ("public", "public", "public"),
])
def test_one_audience_setting_or_two_that_agree(configured: str | None, env: str | None, expected: str) -> None:
    assert resolve_audience(configured, env) == expected


@pytest.mark.parametrize(("configured", "env", "enabled", "message"), [
    ("internal", "public", True, "playbook: the audience is set twice and the settings disagree: "
     "'audience: internal' in mkdocs.yml, PLAYBOOK_AUDIENCE=public; keep one"),
    (None, "Public", True, "playbook: PLAYBOOK_AUDIENCE must be one of public, partner, internal, not 'Public'"),
    (None, "", True, "playbook: PLAYBOOK_AUDIENCE must be one of public, partner, internal, not ''"),
    (None, "public", False, "playbook: PLAYBOOK_AUDIENCE=public asks for a site for one audience, but the "
     "playbook plugin is disabled (enabled: false), so nothing would be withheld; enable the plugin or do "
     "not ask for an audience"),
    ("partner", None, False, "playbook: audience: partner asks for a site for one audience, but the "
     "playbook plugin is disabled (enabled: false), so nothing would be withheld; enable the plugin or do "
     "not ask for an audience"),
])
def test_settings_that_disagree_stop_the_build(configured: str | None, env: str | None, enabled: bool,
                                               message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        resolve_audience(configured, env, enabled=enabled)
    assert str(raised.value) == message


def test_disabled_without_an_audience_is_fine() -> None:
    assert resolve_audience(None, None, enabled=False) == "internal"


@pytest.mark.parametrize(("extensions", "plugins", "names"), [
    (["toc", "pymdownx.snippets"], ["search"], "pymdownx.snippets"),
    (["markdown_include.include"], [], "markdown_include.include"),
    ([], ["search", "include-markdown"], "include-markdown"),
    ([], ["macros"], "macros"),
])
def test_file_pasting_extensions_are_refused_outside_internal_builds(
        extensions: list[str], plugins: list[str], names: str) -> None:
    check_extensions("internal", extensions, plugins)
    for audience in ("partner", "public"):
        with pytest.raises(SettingsError) as raised:
            check_extensions(audience, extensions, plugins)
        assert str(raised.value) == (
            f"playbook: {names} pastes other files into pages, which could put internal pages or content "
            f"files into this {audience} site; remove it from mkdocs.yml for this build (it is allowed in "
            "internal builds)")


def test_harmless_extensions_pass() -> None:
    check_extensions("public", ["toc", "admonition", "pymdownx.superfences", "abbr"],
                     ["search", "tags", "playbook", "material/search"])


def test_nav_loses_what_the_audience_may_not_see() -> None:
    nav = [
        "index.md",
        {"Competitor pricing (internal)": "pricing.md"},
        {"Guides": [{"Partner guide": "partner-guide.md"}, {"Board notes": "board/notes.md"}]},
        {"Secret section": [{"Plan": "plan.md"}]},
        {"Company site": "https://example.com/"},
    ]
    assert prune_nav(nav, {"index.md", "partner-guide.md"}) == [
        "index.md", {"Guides": [{"Partner guide": "partner-guide.md"}]}, {"Company site": "https://example.com/"},
    ]


def test_comments_are_stripped_but_code_is_kept() -> None:
    page = ('<p>Hello</p>\n<!-- SECRET pricing note -->\n<pre><code>&lt;!-- shown --&gt;</code></pre>\n'
            "<p>x</p><!-- unterminated SECRET")
    assert strip_comments(page) == '<p>Hello</p>\n\n<pre><code>&lt;!-- shown --&gt;</code></pre>\n<p>x</p>'


def test_problems_page_escapes_the_problems() -> None:
    page = problems_page([Problem("content/a.yaml", 2, 3, "title: found the text '<script>x</script>'")])
    assert page.endswith('<pre class="playbook-problems">content/a.yaml:2:3: error: title: found the text '
                         "'&lt;script&gt;x&lt;/script&gt;'</pre>\n")
