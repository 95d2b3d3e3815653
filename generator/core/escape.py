"""Turning untrusted text into inert Markdown.

Text from YAML is data, never markup: it cannot open an HTML tag, a link, an
image, an attribute list (``{ onclick=... }``), an admonition or a table cell.
HTML's ``& < >`` become entities; Markdown's punctuation gets a backslash
(Python-Markdown turns every escaped character back into a literal one); and a
line-start marker (``#``, ``-``, ``+``, ``1.``) is escaped where a block could
begin. The helpers return :class:`markupsafe.Markup`, which the Jinja
environment passes through untouched; anything else is escaped on output.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PUNCT = re.compile(r"([\\`*_{}\[\]()!|])")
_BLOCK_START = re.compile(r"^(\s*)([#+\-]|\d+(?=\.))")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
SAFE_SCHEMES = ("http", "https", "mailto")


def inline(value: object) -> Markup:
    """One line of escaped text (newlines fold into spaces)."""
    text = _SPACE.sub(" ", str(value)).strip()
    text = _PUNCT.sub(r"\\\1", text.translate(_HTML))
    text = _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if not m.group(2).isdigit()
                            else f"{m.group(1)}{m.group(2)}\\", text)
    return Markup(text)


def paragraphs(value: object) -> Markup:
    """Escaped text, keeping the author's blank-line paragraph breaks."""
    parts = [inline(p) for p in _PARAGRAPH_BREAK.split(str(value).strip()) if p.strip()]
    return Markup("\n\n".join(parts))


def page_title(value: object) -> str:
    """A title for MkDocs' page metadata. Themes print it unescaped in places and pass it
    through ``striptags`` (which unescapes entities) in ``<title>``, so angle brackets are
    replaced by look-alike quotes and the rest is entity-escaped."""
    text = _SPACE.sub(" ", str(value)).strip().replace("<", "\u2039").replace(">", "\u203a")
    return html.escape(text, quote=True)


WEB_SCHEMES = ("http", "https")


def safe_url(url: object, schemes: tuple[str, ...] = SAFE_SCHEMES) -> str | None:
    """The one rule for a link taken from data: the URL, percent-encoded (no space, angle bracket
    or ``|`` is left to break a Markdown, HTML or chat link), if its scheme is one of ``schemes``
    and a web address has a host; else None. Pages allow ``mailto``; chat posts only
    :data:`WEB_SCHEMES`."""
    text = str(url).strip() if url is not None else ""
    if not text or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # "https://[::1"
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes or (scheme != "mailto" and not parts.netloc):
        return None
    return quote(text, safe=":/?#@!$&*+,;=%~-._[]")


def link(text: object, url: object) -> Markup:
    """A Markdown link when the URL is safe; only the escaped text otherwise."""
    target = safe_url(url)
    label = inline(text) or inline(url)
    if target is None:
        return label
    return Markup(f"[{label}]({target})")


_MERMAID_PLAIN = re.compile(r"[ .,:'/+?!-]")


def mermaid_label(value: object) -> Markup:
    """A quoted Mermaid label; a list gives one line per item (joined with ``<br>``).

    Letters, digits, spaces and a little punctuation stay as they are; every other character
    (quotes, brackets, ``<>``, ``#``, ``%``, ``;``, backticks...) becomes a Mermaid entity code
    such as ``#34;``, so the label cannot end its quotes or start a directive, a comment, a
    Markdown string or an HTML tag. Line breaks fold into spaces."""
    lines = value if isinstance(value, list | tuple) else [value]
    out = "<br>".join(
        "".join(c if c.isalnum() or _MERMAID_PLAIN.fullmatch(c) else f"#{ord(c)};"
                for c in _SPACE.sub(" ", str(line)).strip())
        for line in lines
    )
    return Markup(f'"{out}"')
