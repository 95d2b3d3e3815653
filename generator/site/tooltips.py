"""Glossary tooltips: a Python-Markdown extension that marks glossary terms with ``<abbr title>``.

Python-Markdown's own ``abbr`` extension marks a term wherever its letters appear between word
boundaries: inside a link to another record ("Customer success"), inside a label ("**Lead:**"),
inside a hyphenated word ("Lead-gen"), in headings. Here a term is marked only

- as a whole word: not next to a letter, a digit, ``_`` or a hyphen;
- in running text: never inside a link, a heading, a table header, code, a diagram or a label
  (bold text ending in a colon, as templates write "**Owner:**");
- outside the names of other records and collections (``protected``): where such a name occurs,
  the whole name is skipped, so the team "Customer success" never shows the stage "Customer".

Material's ``content.tooltips`` shows the ``title``; the text of every definition comes from
:func:`generator.rules.glossary.one_line`, which makes it safe as HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

SKIPPED = frozenset({"a", "abbr", "code", "pre", "kbd", "script", "style", "th", "dt",
                     "h1", "h2", "h3", "h4", "h5", "h6", "svg", "button", "label"})


def pattern(terms: Iterable[str], protected: Iterable[str]) -> re.Pattern[str] | None:
    """One regex: protected names (case-insensitive, group ``skip``) and terms (as written,
    group ``term``), longest first, each a whole word."""
    names = sorted(set(protected), key=lambda n: (-len(n), n))
    words = sorted(set(terms), key=lambda t: (-len(t), t))
    if not words:
        return None
    edge_before, edge_after = r"(?<![\w-])", r"(?![\w-])"
    skip = "|".join(re.escape(n) for n in names)
    term = "|".join(re.escape(t) for t in words)
    parts = [f"(?P<skip>(?i:{skip}))"] if skip else []
    parts.append(f"(?P<term>{term})")
    return re.compile(f"{edge_before}(?:{'|'.join(parts)}){edge_after}")


def _is_label(element: etree.Element) -> bool:
    return element.tag in ("strong", "b") and "".join(element.itertext()).rstrip().endswith(":")


def _skipped(element: etree.Element) -> bool:
    classes = (element.get("class") or "").split()
    return element.tag in SKIPPED or _is_label(element) or "mermaid" in classes


class TermTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, definitions: dict[str, str], regex: re.Pattern[str] | None) -> None:
        super().__init__(md)
        self.definitions = definitions
        self.regex = regex

    def _split(self, text: str) -> list[str | etree.Element]:
        """``text`` as pieces: plain strings and ``<abbr>`` elements, in order."""
        assert self.regex is not None
        pieces: list[str | etree.Element] = []
        last = 0
        for match in self.regex.finditer(text):
            word = match.group("term")
            if word is None:
                continue  # a protected name: left as it is
            pieces.append(text[last:match.start()])
            abbr = etree.Element("abbr", {"title": self.definitions[word]})
            abbr.text = AtomicString(word)
            pieces.append(abbr)
            last = match.end()
        pieces.append(text[last:])
        return pieces

    def _mark(self, element: etree.Element) -> None:
        for child in list(element):
            if not _skipped(child):
                self._mark(child)
        if element.text and not isinstance(element.text, AtomicString):
            pieces = self._split(element.text)
            if len(pieces) > 1:
                element.text = pieces[0]  # type: ignore[assignment]
                self._insert(element, 0, pieces[1:])
        for child in list(element):
            if child.tail and not isinstance(child.tail, AtomicString):
                pieces = self._split(child.tail)
                if len(pieces) > 1:
                    child.tail = pieces[0]  # type: ignore[assignment]
                    self._insert(element, list(element).index(child) + 1, pieces[1:])

    @staticmethod
    def _insert(parent: etree.Element, index: int, pieces: list[str | etree.Element]) -> None:
        """Insert ``[abbr, text, abbr, text, ...]`` at ``index``: each text becomes the tail of
        the abbr before it."""
        for piece in pieces:
            if isinstance(piece, str):
                parent[index - 1].tail = piece
            else:
                parent.insert(index, piece)
                index += 1

    def run(self, root: etree.Element) -> None:
        if self.regex is not None:
            self._mark(root)


class TermExtension(Extension):
    """``TermExtension(definitions={term: one-line definition}, protected=[names])``."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "definitions": [{}, "term -> one-line definition (safe as HTML)"],
            "protected": [[], "names a term is never marked inside"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        definitions = dict(self.getConfig("definitions"))
        regex = pattern(definitions, self.getConfig("protected"))
        # Priority 7, as Python-Markdown's abbr: after inline patterns, before the TOC.
        md.treeprocessors.register(TermTreeprocessor(md, definitions, regex), "playbook-terms", 7)


def makeExtension(**kwargs: object) -> TermExtension:  # Python-Markdown looks up this name
    """What ``markdown_extensions: [generator.site.tooltips: {...}]`` loads (MkDocs, Zensical)."""
    return TermExtension(**kwargs)
