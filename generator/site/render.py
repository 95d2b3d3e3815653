"""Rendering: the playbook's Markdown pages, from Jinja templates.

Templates are looked up first in the playbook's own ``templates/`` folder, then
in the package's built-in ones (``generator/templates``), so that a collection
works with no template at all and a playbook can override any built-in page.

Safety: every ``{{ expression }}`` is escaped as Markdown text on output (see
:mod:`generator.core.escape`) unless a trusted helper built it; data is only ever
passed to templates as values, never compiled as a template.
"""

from __future__ import annotations

import functools
import posixpath
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    Undefined,
    pass_context,
)
from markupsafe import Markup

from ..content.model import Playbook, Record
from ..content.schemas import Collection, resolve
from ..core import dates, escape, wording
from ..core.dates import is_real_date, parse_iso_date
from ..core.problems import PlaybookError, Problem
from ..core.wording import humanize
from ..rules import clock, closures, goals
from ..rules.audience import is_withheld
from ..rules.freshness import Freshness, assess_all
from ..rules.glossary import is_plain_term
from ..rules.schedule import next_date, period_days

TEMPLATES = "templates"
_BLANK_LINES = re.compile(r"\n{3,}")
WITHHELD_MARKDOWN = Markup("*withheld*")
COMMON_FIELDS = (
    "title", "owner", "last_reviewed", "review_every_days", "summary", "tags", "audience",
)


@functools.lru_cache(maxsize=65536)
def _inline_text(text: str) -> Markup:
    return escape.inline(text)


def _inline(value: Any) -> Markup:
    """:func:`escape.inline`, remembered for plain text (a title is escaped on every page that
    links it). Only exact ``str`` values: equal values of other types may escape differently."""
    return _inline_text(value) if type(value) is str else escape.inline(value)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if is_withheld(value):
        return WITHHELD_MARKDOWN
    if value is None or isinstance(value, Undefined):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # a reference the audience may not follow is left out of a list
        return Markup(", ").join(_finalize(v) for v in value if not is_withheld(v))
    return _inline(value)


def shown(value: Any) -> bool:
    """The ``shown`` test: a value the audience sees (not withheld, not empty, not a list of
    withheld references only), so a template can drop a sentence that would point at nothing."""
    if isinstance(value, list):
        return any(shown(v) for v in value)
    if value is None or isinstance(value, Undefined):
        return False
    return not is_withheld(value) and value not in ("", {})


def visible(values: Any) -> list[Any]:
    """The ``visible`` filter: a list without the references the audience may not follow."""
    return [v for v in values or [] if not is_withheld(v)] if isinstance(values, list) else values


def _template_stamps(root: Path) -> tuple[tuple[str, int, int], ...]:
    folder = root / TEMPLATES
    if not folder.is_dir():
        return ()
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return tuple((p.as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


_ENVIRONMENTS: dict[Path, tuple[tuple[tuple[str, int, int], ...], Environment]] = {}


def environment(root: Path) -> Environment:
    """:func:`make_environment`, kept while the playbook's ``templates/`` files stay as they were
    (``mkdocs serve`` renders again and again: templates are compiled once, not per rebuild)."""
    stamps = _template_stamps(root)
    kept = _ENVIRONMENTS.get(root)
    if kept is None or kept[0] != stamps:
        _ENVIRONMENTS.clear()  # one playbook at a time
        kept = _ENVIRONMENTS[root] = (stamps, make_environment(root))
    return kept[1]


def make_environment(root: Path) -> Environment:
    loader = ChoiceLoader([
        FileSystemLoader(str(root / TEMPLATES)),
        PackageLoader("generator", "templates"),
    ])
    env = Environment(
        loader=loader,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one render; no need to stat templates per page
        extensions=["jinja2.ext.loopcontrols"],
    )
    env.filters.update(
        paragraphs=escape.paragraphs,
        inline=escape.inline,
        link=lambda url, text=None: escape.link(text or url, url),
        ref=_ref_filter,
        humanize=humanize,
        long_date=long_date,
        mermaid=escape.mermaid_label,
        next_date=_next_date_filter,
        period_days=period_days,
        closures_ahead=_closures_filter,
        next_closed=_next_closed_filter,
        weekday_date=dates.weekday_date,
        sla_clock=_clock_filter,
        goal_standing=_goal_filter,
        clock_time=clock.shown,
    )
    env.filters.update(visible=visible)
    env.tests.update(shown=shown)
    env.globals.update(field_title=field_title)
    return env


def long_date(value: date | str) -> str:
    try:
        day = value if isinstance(value, date) else parse_iso_date(str(value))
    except ValueError as exc:
        raise TemplateRuntimeError(f"long_date: {exc}") from None
    return dates.long_date(day)


def relative(target: str, page: str) -> str:
    """The link from ``page`` to ``target``, both paths inside the site."""
    return _relpath(target, posixpath.dirname(page))


@functools.lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    # Both made absolute against a virtual root, so relpath never asks the OS for the working
    # folder; remembered, as a site's pages sit in a handful of folders.
    return posixpath.relpath("/" + target, "/" + start)


# ---------------------------------------------------------------------------
# Page context: what a template can ask about the playbook


@dataclass
class Page:
    """Where a page sits and what it shows; templates reach the playbook through it."""

    path: str
    playbook: Playbook
    freshness: dict[tuple[str, str], Freshness]
    record: Record | None = None
    linked: set[tuple[str, str]] = field(default_factory=set)  # records linked so far

    def link(self, record: Record, text: object = None) -> Markup:
        self.linked.add(record.key)
        return Markup(f"[{_inline(text or record.title)}]({relative(record.page, self.path)})")

    def links(self, records: Iterable[Record]) -> Markup:
        return Markup(", ").join(self.link(r) for r in records)

    def url(self, page: str) -> str:
        return relative(page, self.path)

    def target(self, value: str, path: tuple[str | int, ...] | None = None) -> Record | None:
        """The record a reference written ``value`` resolves to: one of this page's record, else
        of any record (at ``path`` in it, when given). Only values of ``x-ref`` fields link: other
        text equal to an id names nothing."""
        if is_withheld(value) or not isinstance(value, str):
            return None
        if self.record is not None:
            for site, target in self.record.refs:
                if (path is None or site.path == path) and site.value == value:
                    return target
        return self.playbook.referenced(value, path)

    def ref(self, value: Any) -> Markup:
        if isinstance(value, list):
            return Markup(", ").join(self.ref(v) for v in value if not is_withheld(v))
        target = self.target(value) if isinstance(value, str) else None
        return self.link(target) if target else Markup(_finalize(value))

    def related(self) -> list[tuple[Collection, list[Record]]]:
        """The records this page's record names or is named by, grouped by collection (in nav
        order) and sorted by title, leaving out the ones the page has linked already (call it
        after the body) and links through ``owner`` (the status line shows the owner, and a
        person's or team's page lists what they own)."""
        assert self.record is not None
        others: dict[tuple[str, str], Record] = {}
        shown = set(self.linked)
        for site, other in self.record.refs + self.record.backlinks:
            if site.path != ("owner",) and other.key != self.record.key and other.key not in shown:
                others.setdefault(other.key, other)
        groups = []
        for name, collection in self.playbook.collections.items():
            group = sorted((o for o in others.values() if o.collection == name),
                           key=lambda r: r.title.casefold())
            if group:
                groups.append((collection, group))
        return groups

    def term(self) -> str | None:
        """The glossary term this page's record defines (``x-playbook.glossary``), when its title
        does not already say it: the layout shows it beside the title, so that search finds the
        page by its abbreviation."""
        if self.record is None:
            return None
        spec = self.playbook.collections[self.record.collection].annotations.get("glossary")
        term = self.record.get(spec.get("term", "")) if isinstance(spec, dict) else None
        if not isinstance(term, str) or not is_plain_term(term):
            return None
        words = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
        return None if words.search(self.record.title) else term

    def section_url(self, collection: str) -> str:
        """The link to a collection: its only record, or its index page (one click, not two)."""
        return self.url(self.playbook.section_page(collection))

    def neighbours(self) -> tuple[Record | None, Record | None]:
        """The records before and after this page's record in its collection's order."""
        assert self.record is not None
        return self.playbook.neighbours(self.record)

    def records(self, collection: str) -> list[Record]:
        return self.playbook.in_collection(collection)

    def fresh(self, record: Record | None = None) -> Freshness:
        chosen = record or self.record
        assert chosen is not None
        return self.freshness[chosen.key]


@pass_context
def _next_date_filter(context: Any, schedule: Any, today: date) -> date | None:
    """The next date ``schedule`` names on or after ``today``, skipping company closures (which
    are no working days either: "the first working day of the quarter" after a closed 1 January)."""
    calendar = context["closures"]
    rule = functools.partial(next_date, closed=lambda day: closures.closed(day, calendar) is not None,
                             fiscal_start=context["playbook"].settings.fiscal_year_starts)
    return closures.next_open(schedule, today, calendar, rule)


@pass_context
def _closures_filter(context: Any, today: date, days: int = 365) -> list[tuple[date, date, Record]]:
    """The company closures ahead of ``today`` (within ``days``): (first day, last day, record)."""
    return closures.upcoming(context["closures"], today, days)


@pass_context
def _next_closed_filter(context: Any, record: Record) -> tuple[date, date] | None:
    """When ``record`` (a company closure) next closes the company, from the build's ``today``."""
    return closures.next_of(record, context["closures"], context["today"])


@pass_context
def _clock_filter(context: Any, data: Any) -> clock.Clock | None:
    """The "When is it due?" clock of a record with ``deadlines`` (generator.rules.clock)."""
    playbook: Playbook = context["playbook"]
    if not isinstance(data, dict):
        return None
    return clock.page_clock(data, playbook.settings.working_hours, context["closures"], context["today"])


@pass_context
def _goal_filter(context: Any, data: Any) -> goals.Standing:
    """Where a goal stands by its ``progress`` (generator.rules.goals), in the company's fiscal year."""
    playbook: Playbook = context["playbook"]
    progress = data.get("progress") if isinstance(data, dict) else None
    return goals.standing(progress, playbook.settings.fiscal_year_starts)


@pass_context
def _ref_filter(context: Any, value: Any) -> Markup:
    page: Page = context["page"]
    return page.ref(value)


def field_title(collection: Collection, name: str) -> str:
    return wording.field_title(collection.schema.get("properties", {}).get(name), name)


# ---------------------------------------------------------------------------
# Generic rendering of fields, driven by the schema


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


class ReadData(dict[str, Any]):
    """A record's values as a template sees them (``data``): every field the template reads is
    noted in ``read``, so that the layout can show the fields it did not place."""

    def __init__(self, values: dict[str, Any], read: set[str]) -> None:
        super().__init__(values)
        self.read = read

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


class FieldRenderer:
    """Renders a record's values as Markdown using their schema for titles and order."""

    def __init__(self, page: Page, collection: Collection, resolved: dict[Any, Any] | None = None,
                 placed: set[str] | None = None) -> None:
        self.page = page
        self.collection = collection
        self.placed = set() if placed is None else placed  # fields the page's template has shown
        # (id(schema), id(resolver)) -> (schema, resolver, resolved): shared by a render's pages
        self.resolved = {} if resolved is None else resolved

    def _resolve(self, schema: Any, resolver: Any) -> tuple[dict[str, Any], Any]:
        if not (isinstance(schema, dict) and "$ref" in schema):
            return resolve(schema, resolver)
        key = (id(schema), id(resolver))
        hit = self.resolved.get(key)
        if hit is None:  # the entry keeps schema and resolver alive, so their ids stay theirs
            hit = self.resolved[key] = (schema, resolver, resolve(schema, resolver))
        return hit[2]

    def scalar(self, value: Any, path: tuple[str | int, ...], *, block: bool = False) -> Markup:
        if isinstance(value, str) and not is_withheld(value):
            target = self._ref_at(path)
            if target is not None:
                return self.page.link(target)
            return escape.paragraphs(value) if block else _inline(value)
        return Markup(_finalize(value))

    def _ref_at(self, path: tuple[str | int, ...]) -> Record | None:
        record = self.page.record
        if record is None:
            return None
        for site, target in record.refs:
            if site.path == path:
                return target
        return None

    def block(self, value: Any, schema: Any, resolver: Any, path: tuple[str | int, ...]) -> Markup:
        schema, resolver = self._resolve(schema, resolver)
        if isinstance(value, list):
            return self._list(value, schema.get("items", {}), resolver, path)
        if isinstance(value, dict):
            return self._mapping(value, schema, resolver, path)
        return self.scalar(value, path, block=True)

    def _list(self, items: list[Any], schema: Any, resolver: Any, path: tuple[str | int, ...]) -> Markup:
        item_schema, item_resolver = self._resolve(schema, resolver)
        if items and all(isinstance(i, dict) and all(map(_is_scalar, i.values())) for i in items):
            return self._table(items, item_schema, path)
        lines = []
        for index, item in enumerate(items):
            if is_withheld(item):
                continue  # a reference the audience may not follow: no "- withheld" line
            if _is_scalar(item):
                lines.append(f"- {self.scalar(item, (*path, index))}")
            else:
                body = self.block(item, item_schema, item_resolver, (*path, index))
                lines.append("- " + body.replace("\n", "\n    "))
        return Markup("\n".join(lines))

    def _table(
        self, items: list[dict[str, Any]], schema: dict[str, Any], path: tuple[str | int, ...]
    ) -> Markup:
        props = schema.get("properties", {})
        keys = [k for k in props if any(k in i for i in items)]
        keys += [k for i in items for k in i if k not in keys]
        head = " | ".join(escape.inline(wording.field_title(props.get(k), k)) for k in keys)
        rows = [f"| {head} |", "|" + " --- |" * len(keys)]
        for index, item in enumerate(items):
            cells = (self.scalar(item.get(k), (*path, index, k)) for k in keys)
            rows.append("| " + " | ".join(cells) + " |")
        return Markup("\n".join(rows))

    def _mapping(self, value: dict[str, Any], schema: dict[str, Any], resolver: Any,
                 path: tuple[str | int, ...]) -> Markup:
        props = schema.get("properties", {})
        lines = []
        for key in [k for k in props if k in value] + [k for k in value if k not in props]:
            title = escape.inline(wording.field_title(props.get(key), key))
            item = value[key]
            if _is_scalar(item):
                lines.append(f"- **{title}:** {self.scalar(item, (*path, key))}")
            else:
                body = self.block(item, props.get(key, {}), resolver, (*path, key))
                lines.append(f"- **{title}:**\n\n    " + body.replace("\n", "\n    "))
        return Markup("\n".join(lines))

    def section(self, name: str, level: int = 2, title: str | None = None) -> Markup:
        """``## Title`` and the field's value, or nothing when the record has no value."""
        record = self.page.record
        assert record is not None
        self.placed.add(name)
        value = record.get(name)
        if not shown(value):
            return Markup("")
        heading = escape.inline(title or field_title(self.collection, name))
        schema = self.collection.schema.get("properties", {}).get(name, {})
        body = self.block(value, schema, self.collection.resolver, (name,))
        return Markup(f"{'#' * level} {heading}\n\n{body}\n")

    def remaining(self, done: Iterable[str] = ()) -> Markup:
        """Every field not shown elsewhere, as sections, in schema order."""
        record = self.page.record
        assert record is not None
        skip = set(COMMON_FIELDS) | set(done)
        self.placed.update(skip)
        props = list(self.collection.schema.get("properties", {}))
        names = [n for n in props if n in record.data] + [n for n in record.data if n not in props]
        return Markup("\n").join(self.section(n) for n in names if n not in skip)

    def title(self, *path: str) -> str:
        """The schema's title of a field, nested fields named by their path through objects and
        lists (``fields.title("thresholds", "score")``): templates take their headings and labels
        from the schema, which the company words, not from their own text."""
        schema, resolver = self._resolve(self.collection.schema, self.collection.resolver)
        for name in path:
            while "items" in schema:  # a list: its items' fields
                schema, resolver = self._resolve(schema["items"], resolver)
            schema, resolver = self._resolve(schema.get("properties", {}).get(name, {}), resolver)
        return str(schema.get("title") or humanize(path[-1] if path else self.collection.title))

    def omit(self, *names: str) -> Markup:
        """Mark fields as deliberately not shown on the record's page (another page shows them):
        ``{{ fields.omit("home") }}`` writes nothing."""
        self.placed.update(names)
        return Markup("")

    def unplaced(self) -> Markup:
        """The fields the page's template neither read (through ``data``) nor showed (through
        ``fields``), as sections in schema order, titled from the schema: a field added to a
        schema appears on its records' pages with no template change. The layout calls it after
        the ``body`` block."""
        return self.remaining(self.placed)


# ---------------------------------------------------------------------------
# Pages


_PACKAGE = Path(__file__).resolve().parent.parent


def raised_by_template(exc: BaseException) -> bool:
    """Whether a template's own code raised ``exc`` (``{{ 1 + "a" }}``, a Jinja filter given a bad
    argument), rather than the generator's Python code that a template called."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    last = Path(frames[-1].filename)
    return last.suffix == ".j2" or not last.resolve().is_relative_to(_PACKAGE)


def _template_frames(exc: Exception) -> list[tuple[Path, int]]:
    """The template lines ``exc`` passed through, innermost last."""
    if isinstance(exc, TemplateSyntaxError):
        return [(Path(exc.filename or exc.name or "template"), exc.lineno or 1)]
    return [(Path(f.filename), f.lineno or 1) for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.endswith(".j2")]


def company_template_line(exc: Exception, root: Path) -> tuple[str, int] | None:
    """The innermost line of the company's own templates (under ``root``) that ``exc`` passed
    through, or None when it came from the generator's built-in templates alone: a built-in
    template failing on checked content is a bug in the generator, never a content problem."""
    root = root.resolve()
    for path, line in reversed(_template_frames(exc)):
        if path.resolve().is_relative_to(root):
            return path.resolve().relative_to(root).as_posix(), line
    return None


def _template_problem(exc: Exception, root: Path) -> Problem | None:
    located = company_template_line(exc, root)
    if located is None:
        return None
    return Problem(located[0], located[1], 1, f"template error: {type(exc).__name__}: {exc}")


class Renderer:
    def __init__(self, playbook: Playbook, today: date, documents: dict[str, str] | None = None,
                 changes: Any = None) -> None:
        self.playbook = playbook
        self.today = today
        self.documents = documents or {}  # top-level hand-written page path -> its title
        self.changes = changes  # a generator.history.changelog.ChangeLog, or None (no history)
        self.env = environment(playbook.root)
        self.freshness = assess_all(playbook, today)
        self.closures = closures.closures(playbook)
        self.templates: dict[tuple[str, ...], Any] = {}
        self.resolved: dict[Any, Any] = {}

    def _render(self, names: list[str], page: Page, **context: Any) -> str:
        key = tuple(names)
        if key not in self.templates:  # one lookup per list of names, not a failed lookup per page
            self.templates[key] = self.env.select_template(names)
        text = self.templates[key].render(page=page, playbook=self.playbook, today=self.today,
                                          documents=self.documents, changes=self.changes,
                                          closures=self.closures, **context)
        return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"

    def record_page(self, record: Record) -> str:
        page = Page(record.page, self.playbook, self.freshness, record)
        collection = self.playbook.collections[record.collection]
        placed: set[str] = set()
        return self._render(
            [f"{record.collection}.md.j2", "_record.md.j2"], page,
            record=record, data=ReadData(record.data, placed), collection=collection,
            fresh=self.freshness[record.key], fields=FieldRenderer(page, collection, self.resolved, placed),
        )

    def collection_page(self, collection: Collection) -> str:
        page = Page(f"{collection.name}/index.md", self.playbook, self.freshness)
        return self._render(
            [f"{collection.name}.index.md.j2", "_collection.md.j2"], page,
            collection=collection, records=self.playbook.in_collection(collection.name),
            cell=lambda record, name: _cell(page, collection, record, name),
        )

    def extra_page(self, template: str, path: str) -> str:
        page = Page(path, self.playbook, self.freshness)
        return self._render([template], page)

    def pages(self, extra: dict[str, str], kept: dict[str, str] | None = None) -> dict[str, str]:
        """Every generated page (path -> Markdown), in a stable order; a page in ``kept`` (the
        Markdown a caller already has, see :func:`generator.site.site.generate`) is not rendered again."""
        kept = kept or {}
        jobs: list[tuple[str, Callable[[], str]]] = []
        for collection in self.playbook.collections.values():
            jobs.append((f"{collection.name}/index.md", functools.partial(self.collection_page, collection)))
            for record in self.playbook.in_collection(collection.name):
                jobs.append((record.page, functools.partial(self.record_page, record)))
        for path, template in extra.items():
            jobs.append((path, functools.partial(self.extra_page, template, path)))
        out: dict[str, str] = {}
        problems: list[Problem] = []
        for path, job in jobs:
            if path in kept:
                out[path] = kept[path]
                continue
            try:
                out[path] = job()
            except Exception as exc:
                problem = _template_problem(exc, self.playbook.root)
                if problem is None or not (isinstance(exc, TemplateError) or raised_by_template(exc)):
                    raise  # a bug in the generator: its traceback, never dressed as a content error
                problems.append(problem)
        if problems:
            raise PlaybookError(sorted(set(problems)))
        return out


def _cell(page: Page, collection: Collection, record: Record, name: str) -> Markup:
    if name == "title":
        return page.link(record)
    value = record.get(name)
    if value is None:
        return Markup("")
    renderer = FieldRenderer(Page(page.path, page.playbook, page.freshness, record), collection)
    if isinstance(value, list):
        return Markup(", ").join(
            renderer.scalar(v, (name, i)) for i, v in enumerate(value) if _is_scalar(v)
        )
    if isinstance(value, dict):
        return Markup("")
    schema, _ = renderer._resolve(collection.schema.get("properties", {}).get(name, {}), collection.resolver)
    if schema.get("format") == "date" and is_real_date(value):
        return _inline(long_date(value))  # as record pages write dates: 19 October 2026
    return renderer.scalar(value, (name,))



def render_pages(playbook: Playbook, today: date, extra: dict[str, str] | None = None,
                 documents: dict[str, str] | None = None, changes: Any = None,
                 kept: dict[str, str] | None = None) -> dict[str, str]:
    """Render every page. Raises :class:`PlaybookError` with located template problems.
    ``documents`` (top-level hand-written page -> title) is offered to templates as ``documents``,
    and ``changes`` (the change history as the audience sees it, if any) as ``changes``; the
    pages in ``kept`` keep the Markdown given."""
    return Renderer(playbook, today, documents, changes).pages(extra or {}, kept)
