"""Search ranking: the page a reader means comes first.

Material's search (lunr) ranks every heading of every page as its own document, adds a trailing
wildcard to every word typed, and by default weighs a match in a page's tags a thousand times
more than one in a title. So "SAL" found every page tagged "sales" before the SAL stage, and a
persona's job title, written in a list on the persona's page, lost to any page with "Operations"
in a heading. The fixes, all driven by the data:

- tags weigh less than titles (:data:`FIELDS`, unless ``mkdocs.yml`` sets them);
- every record's first document gets a ``keywords`` field, weighed like a title: its glossary
  term (and an abbreviation's plural) and the values of the fields its schema lists in
  ``x-playbook.keywords`` (a persona's job titles), so a search for them finds the record itself;
- a record's sections rank below the record (their headings are the same labels on every page of a
  collection, "Pricing", "Definition"), and a record that defines a glossary term above others.

The index is rewritten after the search plugin wrote it (``search/search_index.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .glossary import Term
from .model import Playbook, Record

INDEX = "search/search_index.json"
# Field weights given to the search plugin unless the site's configuration sets them.
FIELDS: dict[str, dict[str, float]] = {
    "title": {"boost": 1000.0},
    "keywords": {"boost": 1000.0},
    "text": {"boost": 1.0},
    "tags": {"boost": 10.0},
}
RECORD_BOOST = 4.0  # a record page, against a hand-written or index page (1)
TERM_BOOST = 5.0  # a record that defines a glossary term
SECTION_SHARE = 0.25  # a section of a record page, against the record itself


@dataclass(frozen=True)
class Ranking:
    keywords: tuple[str, ...]
    boost: float


def url(record: Record) -> str:
    """The location of a record's page in the search index (directory URLs)."""
    return record.page.removesuffix(".md") + "/"


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


def rankings(playbook: Playbook, terms: list[Term]) -> dict[str, Ranking]:
    """Search location of each record page -> its keywords and boost."""
    defined: dict[tuple[str, str], list[str]] = {}
    for term in terms:
        defined.setdefault(term.record.key, []).extend(forms(term.term))
    found = {}
    for record in playbook.records.values():
        fields = playbook.collections[record.collection].annotations.get("keywords")
        words = list(defined.get(record.key, []))
        for name in fields if isinstance(fields, list) else []:
            words += _strings(record.get(str(name)))
        boost = TERM_BOOST if record.key in defined else RECORD_BOOST
        found[url(record)] = Ranking(tuple(dict.fromkeys(words)), boost)
    return found


def rerank(index: dict[str, Any], ranked: dict[str, Ranking]) -> dict[str, Any]:
    """The search index with keywords and boosts from ``ranked`` (location -> Ranking)."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for name, spec in FIELDS.items():
        fields.setdefault(name, dict(spec))
    for doc in index.get("docs", []):
        location = str(doc.get("location", ""))
        page, _, section = location.partition("#")
        ranking = ranked.get(page)
        if ranking is None:
            continue
        if section:
            doc["boost"] = ranking.boost * SECTION_SHARE
        else:
            doc["boost"] = ranking.boost
            if ranking.keywords:
                doc["keywords"] = " ".join(ranking.keywords)
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
