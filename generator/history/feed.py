"""A small Atom (RFC 4287) writer for the "What changed" feed.

Written with :mod:`xml.etree.ElementTree`, which escapes every text and attribute,
so record text cannot close an element or inject markup; entry content is HTML
that :func:`html_list` builds from plain text, and travels escaped inside
``<content type="html">`` as RFC 4287 defines. ``feedgen`` would do the same
through ``lxml`` (a large compiled dependency) for the dozen elements used here.

Links are written relative to the site root with ``xml:base`` set to the site's
URL when it is known (``site_url`` in ``mkdocs.yml``), so the feed stays valid
wherever the site is hosted.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FILE = "changes.xml"
MEDIA_TYPE = "application/atom+xml"
# Every character XML 1.0 cannot carry, even escaped (its production Char): most control
# characters, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    id: str  # a URI that never changes for this entry
    title: str
    updated: datetime
    author: str
    link: str | None = None  # relative to the site root, or absolute
    content_html: str = ""
    categories: tuple[str, ...] = ()


def _text(value: str) -> str:
    """XML 1.0 cannot carry some characters, even escaped (control characters, U+FFFE, U+FFFF,
    surrogates): drop them, so that no record text makes the feed ill-formed."""
    return _NOT_XML.sub("", value)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def html_list(lines: Sequence[str]) -> str:
    """Plain text lines as an HTML list (every line escaped)."""
    if not lines:
        return ""
    return "<ul>" + "".join(f"<li>{html.escape(_text(line), quote=False)}</li>" for line in lines) + "</ul>"


def atom(*, feed_id: str, title: str, updated: datetime, entries: Sequence[Entry], self_link: str,
         alternate: str, base: str | None = None, subtitle: str = "") -> bytes:
    """The feed document as UTF-8 bytes. ``self_link`` and ``alternate`` may be relative to
    ``base`` (the site's URL)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    if base:
        root.set(XML_BASE, base)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _text(text)
        return element

    add(root, "id", feed_id)
    add(root, "title", title)
    if subtitle:
        add(root, "subtitle", subtitle)
    add(root, "updated", _stamp(updated))
    add(root, "link", rel="self", type=MEDIA_TYPE, href=self_link)
    add(root, "link", rel="alternate", type="text/html", href=alternate)
    add(root, "generator", "playbook")
    for entry in entries:
        item = add(root, "entry")
        add(item, "id", entry.id)
        add(item, "title", entry.title)
        add(item, "updated", _stamp(entry.updated))
        author = add(item, "author")
        add(author, "name", entry.author or "unknown")
        if entry.link:
            add(item, "link", rel="alternate", type="text/html", href=entry.link)
        for category in entry.categories:
            add(item, "category", term=category)
        if entry.content_html:
            add(item, "content", entry.content_html, type="html")
    if not entries:
        # RFC 4287 4.1.1: a feed without entries still needs an author.
        add(add(root, "author"), "name", title)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
