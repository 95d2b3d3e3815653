"""The content model: records, the references between them, and the playbook as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .loader import Document
from .schemas import Collection, RefSite, record_refs, resolved_in


def page_url(page: str, directory_urls: bool = True) -> str:
    """The one rule for where a generated page is served, relative to the site root, as the
    builder writes it (its ``use_directory_urls``): ``stages/mql.md`` is ``stages/mql/`` with
    directory URLs (the default) and ``stages/mql.html`` without; an ``index.md`` is its folder
    (``stages/``; the home page ``""``), or ``stages/index.html``."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


@dataclass
class Record:
    """One validated YAML file, ``content/<collection>/<id>.yaml``."""

    collection: str
    id: str
    file: str
    doc: Document = field(repr=False)
    sites: list[RefSite] | None = field(default=None, repr=False)  # its x-ref values, once found
    refs: list[tuple[RefSite, Record]] = field(default_factory=list, repr=False)
    backlinks: list[tuple[RefSite, Record]] = field(default_factory=list, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def key(self) -> tuple[str, str]:
        return (self.collection, self.id)

    @property
    def page(self) -> str:
        """The generated page's path inside the Markdown tree."""
        return f"{self.collection}/{self.id}.md"

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def references_to(self, *, drifting: bool = False) -> list[Record]:
        """Distinct records this record names, in document order (with ``drifting``, only
        those whose changes should trigger a re-review of this one)."""
        return _distinct(target for site, target in self.refs if site.drift or not drifting)

    def referenced_by(self) -> list[Record]:
        """Distinct records that name this one, by collection then title."""
        return sorted(_distinct(source for _, source in self.backlinks), key=_sort_key)


def _distinct(records: Any) -> list[Record]:
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        seen.setdefault(record.key, record)
    return list(seen.values())


def _sort_key(record: Record) -> tuple[str, str]:
    return (record.collection, record.title.casefold())


@dataclass
class Playbook:
    """Every collection and record of one playbook repository."""

    root: Path
    collections: dict[str, Collection]
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)  # playbook.yml
    named: dict[str, Any] | None = field(default=None, repr=False)  # see referenced
    directory_urls: bool = True  # the builder's use_directory_urls (see page_url)
    _ordered: dict[tuple[str, int, int], tuple[tuple[Record, ...], dict[tuple[str, str], int]]] = \
        field(default_factory=dict, repr=False, compare=False)

    def url(self, record: Record) -> str:
        """Where ``record``'s page is served, relative to the site root (:func:`page_url`)."""
        return page_url(record.page, self.directory_urls)

    def in_collection(self, name: str) -> list[Record]:
        """The records of one collection, in the order its schema asks for (sorted once: every
        page asks, for its pager and its links; records are only ever added, so the count says
        whether the order is still current)."""
        return list(self._order(name)[0])

    def neighbours(self, record: Record) -> tuple[Record | None, Record | None]:
        """The records before and after ``record`` in its collection's order."""
        siblings, at = self._order(record.collection)
        i = at[record.key]
        return (siblings[i - 1] if i > 0 else None, siblings[i + 1] if i + 1 < len(siblings) else None)

    def _order(self, name: str) -> tuple[tuple[Record, ...], dict[tuple[str, str], int]]:
        stamp = (name, len(self.records), len(self.collections))
        if stamp not in self._ordered:
            ordered = tuple(self._sorted(name))
            self._ordered[stamp] = (ordered, {r.key: i for i, r in enumerate(ordered)})
        return self._ordered[stamp]

    def _sorted(self, name: str) -> list[Record]:
        collection = self.collections.get(name)
        if collection is None:
            return []
        records = [r for r in self.records.values() if r.collection == name]

        def order(record: Record) -> tuple[Any, ...]:
            value = record.get(collection.sort)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            return (value is None, 0 if numeric else 1, value if numeric else 0,
                    str(value).casefold(), record.id)

        return sorted(records, key=order)

    def section_page(self, name: str) -> str:
        """Where a reader goes for a collection: its only record, or its index page."""
        records = self.in_collection(name)
        return records[0].page if len(records) == 1 else f"{name}/index.md"

    def find(self, record_id: str, collections: tuple[str, ...] | None = None) -> Record | None:
        """The record a reference to ``record_id`` resolves to among ``collections`` (default:
        all), under the one reference rule (:func:`~generator.content.schemas.named_in`): None when no
        record or more than one has that id."""
        name = resolved_in(record_id, collections or tuple(self.collections),
                           lambda c, v: (c, v) in self.records)
        return None if name is None else self.records[(name, record_id)]

    def referenced(self, value: str, path: tuple[str | int, ...] | None = None) -> Record | None:
        """The record that the references written ``value`` (at ``path`` in their record, when
        given) resolve to, when they all resolve to the same one; text that no reference holds
        names nothing."""
        found = {target.key: target for _, sites in self._named().get(value, {}).items()
                 for site, target in sites if path is None or site.path == path}
        return next(iter(found.values())) if len(found) == 1 else None

    def _named(self) -> dict[str, dict[tuple[str, str], list[tuple[RefSite, Record]]]]:
        """value -> record key -> the resolved references of that record holding it, made once."""
        if self.named is None:
            self.named = {}
            for record in self.records.values():
                for site, target in record.refs:
                    self.named.setdefault(site.value, {}).setdefault(record.key, []).append((site, target))
        return self.named

    def sites_of(self, record: Record) -> list[RefSite]:
        """The values in ``record`` that name other records (found once, then kept)."""
        if record.sites is None:
            record.sites = record_refs(self.collections[record.collection], record.data)
        return record.sites

    def link(self) -> None:
        """Resolve every reference between the records present; fill ``refs`` and ``backlinks``."""
        self.named = None
        for record in self.records.values():
            record.refs.clear()
            record.backlinks.clear()
        for record in self.records.values():
            for site in self.sites_of(record):
                target = self.find(site.value, site.targets)
                if target is not None:
                    record.refs.append((site, target))
                    target.backlinks.append((site, record))
