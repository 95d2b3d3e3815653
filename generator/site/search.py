"""Search ranking: the page a reader means comes first.

Material's search (lunr) ranks every heading of every page as its own document, adds a trailing
wildcard to every word typed, and by default weighs a match in a page's tags a thousand times
more than one in a title. So "SAL" found every page tagged "sales" before the SAL stage, and a
persona's job title, written in a list on the persona's page, lost to any page with "Operations"
in a heading. The fixes, all driven by the data:

- tags weigh less than titles (:data:`FIELDS`, unless ``mkdocs.yml`` sets them);
- every record's first document gets a ``keywords`` field, weighed like a title: its glossary
  term (and an abbreviation's plural), the values of the fields its schema lists in
  ``x-playbook.keywords`` (a persona's job titles), so a search for them finds the record itself,
  and the words of its title that are no glossary term (:func:`title_words`);
- a record's sections rank below the record (their headings are the same labels on every page of a
  collection, "Pricing", "Definition"), and a record that defines a glossary term above others;
- what a page leaves out of the index (``data-search-exclude``: its history, change banners, the
  "Recently changed" list) leaves no empty entry behind: the search plugin still writes one for an
  excluded heading, titled with the page's title and carrying its tags, which showed as a hit with
  tags and no text ("Missing: ...");
- a page found by its title or keywords whose first entry has no text (its summary left out) shows
  the text of its first section, so every hit reads with a snippet of the page's own words;
- the "What changed" page (:data:`TITLE_ONLY`) is found by its title, not by the old and new
  wording of every change run together.

Words such as "a" or "the" matching on their own are handled in the browser (``playbook.js``), as
Material adds a wildcard to every word typed before its search runs.

The index is rewritten after the search plugin wrote it (``search/search_index.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.model import Playbook
from ..rules.glossary import Term

INDEX = "search/search_index.json"
# Field weights given to the search plugin unless the site's configuration sets them.
FIELDS: dict[str, dict[str, float]] = {
    "title": {"boost": 1000.0},
    "keywords": {"boost": 1000.0},
    "text": {"boost": 1.0},
    "tags": {"boost": 10.0},
}
RECORD_BOOST = 4.0  # a record page, against a hand-written or index page (1)
TERM_BOOST = 8.0  # a record that defines a glossary term (above "Signed clients this year" for "Client")
SECTION_SHARE = 0.25  # a section of a record page, against the record itself
TITLE_ONLY = ("changes/",)  # pages found by their title only (their text is other pages' history)


@dataclass(frozen=True)
class Ranking:
    keywords: tuple[str, ...]
    boost: float


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def forms(term: str) -> list[str]:
    """A glossary term, and an abbreviation's plural ("MQL", "MQLs"): search adds a wildcard to
    what is typed, so "MQL" also finds "MQLs called on time", whose rarer word would otherwise
    outrank the MQL page."""
    return [term, term + "s"] if term.isalpha() and term.isupper() and not term.endswith("S") else [term]


_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def title_words(title: str, term_words: set[str]) -> list[str]:
    """The words of a record's title, except those that only start with a glossary term (a
    plural, "MQLs called on time"; "Signed clients this year"), whose rare word would outrank
    the term's own page: a record named with a term and more words ("Client care") is found by
    all of them above the term's record, and the term's record ("Client") stays first for the
    term alone (its keywords hold the term and its plural)."""
    return [w for w in _WORD.findall(title)
            if not any(w.casefold().startswith(t) and w.casefold() != t for t in term_words)]


def rankings(playbook: Playbook, terms: list[Term]) -> dict[str, Ranking]:
    """Search location of each record page -> its keywords and boost."""
    defined: dict[tuple[str, str], list[str]] = {}
    for term in terms:
        defined.setdefault(term.record.key, []).extend(forms(term.term))
    term_words = {form.casefold() for term in terms for form in forms(term.term) if _WORD.fullmatch(form)}
    found = {}
    for record in playbook.records.values():
        fields = playbook.collections[record.collection].annotations.get("keywords")
        words = list(defined.get(record.key, []))
        for name in fields if isinstance(fields, list) else []:
            words += _strings(record.get(str(name)))
        words += title_words(record.title, term_words)
        boost = TERM_BOOST if record.key in defined else RECORD_BOOST
        found[playbook.url(record)] = Ranking(tuple(dict.fromkeys(words)), boost)
    return found


def _blank(doc: dict[str, Any]) -> bool:
    return not str(doc.get("text", "")).strip()


def _excluded(doc: dict[str, Any], titles: dict[str, str]) -> bool:
    """An entry the search plugin wrote for a heading inside ``data-search-exclude``: a section
    with no text, titled with its page's title."""
    page, _, section = str(doc.get("location", "")).partition("#")
    return bool(section) and _blank(doc) and doc.get("title") == titles.get(page)


def rerank(index: dict[str, Any], ranked: dict[str, Ranking],
           title_only: tuple[str, ...] = TITLE_ONLY) -> dict[str, Any]:
    """The search index with keywords and boosts from ``ranked`` (location -> Ranking), without
    the entries of excluded headings, with a snippet on every page entry that has sections, and
    with the text of ``title_only`` pages left out."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for name, spec in FIELDS.items():
        fields.setdefault(name, dict(spec))
    docs = [d for d in index.get("docs", []) if isinstance(d, dict)]
    titles = {str(d.get("location", "")): str(d.get("title", ""))
              for d in docs if "#" not in str(d.get("location", ""))}
    first_text: dict[str, str] = {}
    kept = []
    for doc in docs:
        page, _, section = str(doc.get("location", "")).partition("#")
        if _excluded(doc, titles) or (section and page in title_only):
            continue
        if section and not _blank(doc):
            first_text.setdefault(page, str(doc["text"]))
        kept.append(doc)
    for doc in kept:
        location = str(doc.get("location", ""))
        page, _, section = location.partition("#")
        if page in title_only and not section:
            doc["text"] = ""
        elif not section and _blank(doc) and page in first_text:
            doc["text"] = first_text[page]
        ranking = ranked.get(page)
        if ranking is None:
            continue
        if section:
            doc["boost"] = ranking.boost * SECTION_SHARE
        else:
            doc["boost"] = ranking.boost
            if ranking.keywords:
                doc["keywords"] = " ".join(ranking.keywords)
    index["docs"] = kept
    return index


def rewrite(site: Path, ranked: dict[str, Ranking]) -> bool:
    """Rerank the search index of a built site in place; False when the site has none."""
    path = site / INDEX
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(rerank(index, ranked), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
    return True
