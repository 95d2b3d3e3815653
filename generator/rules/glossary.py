"""The playbook's glossary: every term a collection defines, for hover tooltips and links.

A collection takes part when its schema's ``x-playbook`` says which field is the term and
which is its definition, e.g. ``"glossary": {"term": "abbreviation", "definition": "summary"}``.
Built from the playbook as the build's audience sees it, so a hidden record defines nothing.

Terms and definitions are untrusted text. A definition is folded to one line and shortened; it
becomes a ``title`` attribute (escaped by Python-Markdown's ``abbr`` extension), which Material's
``content.tooltips`` then inserts into the page *as HTML*: so ``<`` and ``>`` are replaced by the
look-alike quotes U+2039 and U+203A, and ``&`` is written ``&amp;`` so that an entity typed in the
data (``&lt;``) decodes to text, never to a tag. A term
that could not be matched as plain text (markup characters, line breaks, too long) is left out.

A term that is short for its record's title (``SAL`` on the page "Sales accepted lead") shows the
title first, so that hovering it expands it. Where terms are marked is :mod:`generator.site.tooltips`:
whole words only, never inside another record's name (the team "Customer success" does not mark
the stage "Customer"), a link, a heading or a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.model import Playbook, Record
from .audience import is_withheld

MAX_TERM = 40
MAX_DEFINITION = 300
_SPACE = re.compile(r"\s+")
_PLAIN_TERM = re.compile(r"[^\W_](?:[\w .&/'+-]*[^\W_])?")


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    record: Record
    url: str  # the definition page, relative to the site root (Playbook.url)


def one_line(value: object, limit: int = MAX_DEFINITION) -> str:
    """Untrusted text folded to one line of at most ``limit`` characters, with no angle brackets
    and every ``&`` written as ``&amp;``: Python-Markdown keeps an entity such as ``&lt;`` as it
    is in the attribute, the browser would decode it to ``<``, and the tooltip would parse it."""
    text = _SPACE.sub(" ", str(value)).strip().replace("<", "\u2039").replace(">", "\u203a")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("&", "&amp;")


def is_plain_term(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TERM and _PLAIN_TERM.fullmatch(value) is not None


def expanded(term: str, title: str, definition: str) -> str:
    """The tooltip text: the record's title first when the term is short for it or differs from
    it ("Sales accepted lead: An MQL an SDR has accepted..."), else the definition alone."""
    if title.casefold() == term.casefold() or definition.casefold().startswith(title.casefold()):
        return definition
    return f"{title}: {definition}"


def protected_names(playbook: Playbook, found: list[Term]) -> list[str]:
    """Names a term must not be marked inside: every record's and collection's title, except
    the titles of the records that define a term (a term may stand for its own record)."""
    defining = {t.record.key for t in found}
    words = {t.term.casefold() for t in found}
    names = {r.title for r in playbook.records.values() if r.key not in defining}
    names |= {c.title for c in playbook.collections.values()}
    return sorted((n for n in names if n.casefold() not in words and n.strip()), key=lambda n: (-len(n), n))


def terms(playbook: Playbook) -> list[Term]:
    """Every usable term, sorted case-insensitively; the first definition of a term wins
    (collections in nav order, records in collection order)."""
    found: dict[str, Term] = {}
    for name, collection in playbook.collections.items():
        spec = collection.annotations.get("glossary")
        if not isinstance(spec, dict) or not spec.get("term") or not spec.get("definition"):
            continue
        for record in playbook.in_collection(name):
            term, definition = record.get(spec["term"]), record.get(spec["definition"])
            if is_withheld(term) or is_withheld(definition) or not is_plain_term(term) or not definition:
                continue
            text = one_line(expanded(term, record.title, str(definition)))
            if text and term not in found:
                found[term] = Term(term, text, record, playbook.url(record))
    return sorted(found.values(), key=lambda t: (t.term.casefold(), t.term))


def abbreviations(found: list[Term]) -> dict[str, str]:
    """The glossary for Python-Markdown's ``abbr`` extension: term -> one-line definition."""
    return {t.term: t.definition for t in found}


def links(found: list[Term]) -> dict[str, str]:
    """Term -> definition page URL relative to the site root, for playbook.js."""
    return {t.term: t.url for t in found}
