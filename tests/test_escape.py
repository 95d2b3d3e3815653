"""Untrusted text becomes inert Markdown."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from generator.core.escape import inline, link, mermaid_label, page_title, paragraphs, safe_url

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "abbr", "def_list", "toc"]


def html(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


class Elements(HTMLParser):
    """Collects the element names and attributes of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Elements()
    parser.feed(fragment)
    return parser.found


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain words", "plain words"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript:alert\\(1\\)\\)"),
        ("![x](y)", "\\!\\[x\\]\\(y\\)"),
        ("text { onclick=alert(1) }", "text \\{ onclick=alert\\(1\\) \\}"),
        ("a | b", "a \\| b"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("AT&T", "AT&amp;T"),
        ("*[MQL]: injected", "\\*\\[MQL\\]: injected"),
        ("line one\nline two", "line one line two"),
        ("`code`", "\\`code\\`"),
        ("snake_case", "snake\\_case"),
    ],
)
def test_inline_escapes(raw: str, escaped: str) -> None:
    assert inline(raw) == escaped


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "word{: onclick=alert(1) }",
        "!!! warning\n    boom",
        "*[word]: <b>tooltip</b>",
        "[x]: javascript:alert(1)\n\n[x]",
        "<div markdown>**x**</div>",
        "&lt;script&gt;",
    ],
)
def test_rendered_html_has_no_live_markup(hostile: str) -> None:
    out = html(f"Before {inline(hostile)} after.\n\n{paragraphs(hostile)}")
    found = elements(out)
    assert len(found) >= 2
    assert all(element == ("p", []) for element in found), out


def test_paragraphs_keep_blank_line_breaks_only() -> None:
    assert paragraphs("One\nline.\n\n\n  Two.\n") == "One line.\n\nTwo."


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/a b(c)", "https://example.com/a%20b%28c%29"),
        ("http://example.com/?q=1&r=2", "http://example.com/?q=1&r=2"),
        ("mailto:team@example.com", "mailto:team@example.com"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("https://exa\nmple.com", None),
        ("//example.com", None),
        ("https:", None),
    ],
)
def test_safe_url(url: str, safe: str | None) -> None:
    assert safe_url(url) == safe


def test_link_drops_unsafe_targets() -> None:
    assert link("Docs", "https://example.com") == "[Docs](https://example.com)"
    assert link("Click [me]", "javascript:alert(1)") == "Click \\[me\\]"


def test_page_title_cannot_close_the_title_element() -> None:
    assert page_title('</title><script>alert("x")</script>') == (
        "\u2039/title\u203a\u2039script\u203aalert(&quot;x&quot;)\u2039/script\u203a"
    )


@pytest.mark.parametrize("value, label", [
    ("Lead (inquiry)", '"Lead #40;inquiry#41;"'),
    ('say "hi"', '"say #34;hi#34;"'),
    ("a]b[c", '"a#93;b#91;c"'),
    ("<script>x</script>", '"#60;script#62;x#60;/script#62;"'),
    ("%%{init: {'securityLevel': 'loose'}}%%", "\"#37;#37;#123;init: #123;'securityLevel': 'loose'#125;#125;#37;#37;\""),
    ("`**md**`", '"#96;#42;#42;md#42;#42;#96;"'),
    ("a;b#c&d|e", '"a#59;b#35;c#38;d#124;e"'),
    ("two\n\nlines", '"two lines"'),
    ("Équipe — ventes", '"Équipe #8212; ventes"'),
    (["MQL: Marketing qualified lead", "Sales <b>"], '"MQL: Marketing qualified lead<br>Sales #60;b#62;"'),
])
def test_mermaid_label_is_quoted_and_entity_coded(value: object, label: str) -> None:
    assert mermaid_label(value) == label
