"""What changed, for readers: the history (:mod:`generator.history.history`) as one audience sees it.

A :class:`ChangeLog` is what the "What changed" page, the record pages (the last
change, the record's own history, the "new"/"changed" marks), the Atom feed, the
``changes`` member of ``playbook.json``, ``playbook changes`` and the weekly digest
are all made from, so they always agree. Marks are judged at the build's ``today``
(never the clock): a record is *new* when it was added within ``window`` days, and
*changed* when its last real change (not a review-only one) was.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..content.model import Playbook, Record
from ..core.dates import day_and_month, digest_title, parse_iso_date
from ..core.escape import inline, safe_url
from ..core.problems import PlaybookError, errors, printable
from ..rules.audience import DEFAULT, scope
from ..rules.owners import team_of
from ..rules.project import load_playbook
from . import feed, webhook
from .diff import FieldChange
from .history import History, Shown, commits_since, read_history, visible
from .renderers import MARKDOWN, TEXT, chat_details, feed_html, housekeeping

WINDOW_DAYS = 14
PAGE_LIMIT = 500  # changes on the What changed page; older ones are on record pages
# A commit that adds at least this share of today's records, and at least IMPORT_MIN of them, brings
# the playbook in (its first import, or a replacement of the whole of it): not news, so its records
# are not marked "new" (their later changes are).
IMPORT_SHARE = 0.5
IMPORT_MIN = 10
RECENT_DAYS = 30  # the What changed page lists these days' changes; older ones behind "Older changes"
GLANCE_DAYS = (7, RECENT_DAYS)  # the periods of its summary, "At a glance"
EXPORT_LIMIT = 500  # changes in playbook.json (the newest of the mark window)
PAGE = "changes.md"
KIND_WORDS = {"added": "added", "removed": "removed", "renamed": "renamed", "changed": "changed",
              "reviewed": "reviewed, no change"}


@dataclass(frozen=True)
class Item:
    """One record change as the audience sees it, with what the site knows of the record."""

    shown: Shown
    record: Record | None  # the record's page today, when the audience has one
    singular: str  # the collection's name for one record ("Lifecycle stage")
    team: Record | None

    @property
    def kind(self) -> str:
        return self.shown.view.kind

    @property
    def title(self) -> str:
        return self.record.title if self.record is not None else self.shown.view.title

    @property
    def day(self) -> date:
        return self.shown.entry.day

    @property
    def fields(self) -> tuple[FieldChange, ...]:
        return self.shown.view.fields

    @property
    def lines(self) -> tuple[str, ...]:
        """The change in Markdown (for the pages)."""
        return self.shown.view.lines

    def text_lines(self) -> list[str]:
        """The change in plain text."""
        return TEXT.lines(self.fields, self.kind)

    @property
    def housekeeping(self) -> int:
        """How many of its field changes are housekeeping (audience, ordering, anything marked
        ``x-metadata``; the review date aside, which the record page states)."""
        return sum(1 for f in self.fields if f.metadata and not f.review)

    def record_lines(self) -> list[str]:
        """The change in Markdown for the record's own page: housekeeping counted, not listed."""
        lines = MARKDOWN.lines(self.fields, self.kind, keep=lambda f: f.review or not f.metadata)
        return lines + ([f"*{housekeeping(self.housekeeping)}*"] if self.housekeeping else [])

    @property
    def collection(self) -> str:
        return self.shown.current[0]

    @property
    def real(self) -> bool:
        return self.kind != "reviewed"

    def headline(self) -> str:
        """One plain line: what happened to which record."""
        text = f"{self.singular} {KIND_WORDS[self.kind]}: {self.title}"
        change = self.shown.change
        if self.kind == "renamed" and change.old_id and change.new_id:
            text += f" (id {change.old_id} → {change.new_id})"
        return text

    def summary(self) -> str:
        """The change in one plain line, for the record page's "Changed on" line: its fields by
        their schema titles, housekeeping ones counted ("and 2 housekeeping changes")."""
        details = TEXT.lines(self.fields, self.kind, keep=lambda f: not f.metadata)
        if self.housekeeping:
            details.append(("and " if details else "") + housekeeping(self.housekeeping))
        if self.kind in ("added", "removed"):
            return KIND_WORDS[self.kind]
        if self.kind == "renamed":
            return f"renamed from {self.shown.change.old_id}" + (f"; {details[0]}" if details else "")
        return "; ".join(details) if details else KIND_WORDS[self.kind]


def imports(items: Iterable[Item], records: int) -> set[str]:
    """The commits that brought the playbook in (see :data:`IMPORT_SHARE`), of ``records`` today."""
    added: dict[str, int] = {}
    for item in items:
        if item.kind == "added":
            added[item.shown.entry.commit] = added.get(item.shown.entry.commit, 0) + 1
    return {commit for commit, count in added.items() if count >= max(IMPORT_MIN, IMPORT_SHARE * records)}


class ChangeLog:
    """The changes one audience may see, newest first, with the site's view of each record."""

    def __init__(self, history: History, playbook: Playbook, viewer: str = DEFAULT, *, today: date,
                 window: int = WINDOW_DAYS, repo_url: str | None = None) -> None:
        self.available = history.available
        self.reason = history.reason
        self.viewer = viewer
        self.today = today
        self.window = window
        self.page_limit = PAGE_LIMIT
        self.repo_url = safe_url(repo_url.rstrip("/")) if repo_url else None
        self.playbook = playbook
        # The playbook is the one this audience sees today: a record narrowed since the last
        # commit drops out of its history, and so does every reference to it.
        shown = visible(history, viewer, playbook.records.keys()) if history.available else []
        # Newest commit first; within a commit, the diff engine's order (by collection).
        order = {id(e): n for n, e in enumerate(history.entries)}
        newest = sorted(enumerate(shown), key=lambda p: (-order[id(p[1].entry)], p[0]))
        self.items: list[Item] = [self._item(s) for _, s in newest]
        self.by_record: dict[tuple[str, str], list[Item]] = {}
        for item in self.items:
            self.by_record.setdefault(item.shown.current, []).append(item)
        self.imports = imports(self.items, len(playbook.records))

    def _item(self, shown: Shown) -> Item:
        record = self.playbook.records.get(shown.current)
        collection = self.playbook.collections.get(shown.current[0])
        singular = collection.singular if collection else shown.current[0]
        return Item(shown, record, singular, self._team(shown.change.owner))

    def _team(self, owner: str | None) -> Record | None:
        """The team a change belongs to (:func:`generator.rules.owners.team_of` its owner)."""
        return team_of(self.playbook, owner) if owner is not None else None

    # Selections ---------------------------------------------------------------

    def since(self, start: date) -> list[Item]:
        return [i for i in self.items if i.day >= start]

    def between(self, start: date, end: date) -> list[Item]:
        """Changes on ``start`` .. ``end`` (both included)."""
        return [i for i in self.items if start <= i.day <= end]

    @property
    def shortened(self) -> bool:
        """Whether the page leaves older changes out (see :data:`PAGE_LIMIT`)."""
        return len(self.items) > self.page_limit

    @property
    def omitted(self) -> int:
        """How many changes the page leaves out (see :data:`PAGE_LIMIT`)."""
        return max(0, len(self.items) - self.page_limit)

    def split_weeks(self, limit: int | None = None, days: int = RECENT_DAYS) -> tuple[
            list[tuple[date, list[Item], list[Item]]], list[tuple[date, list[Item], list[Item]]]]:
        """:meth:`weeks`, as the weeks that hold a day of the last ``days`` (to ``today``) and
        the older ones."""
        start = self.today - timedelta(days=days - 1)
        weeks = self.weeks(limit)
        recent = [w for w in weeks if w[0] + timedelta(days=6) >= start]
        return recent, weeks[len(recent):]

    def glance(self) -> list[tuple[str, list[list[Item]]]]:
        """The summary of the What changed page: per section (collection, in the site's order)
        that had a real change in the longest of :data:`GLANCE_DAYS`, the latest change to each
        record changed in each period (newest first, one per record)."""
        found: dict[str, list[list[Item]]] = {}
        for n, days in enumerate(GLANCE_DAYS):
            start, seen = self.today - timedelta(days=days - 1), set()
            for item in self.items:  # newest first
                if item.real and start <= item.day <= self.today and item.shown.current not in seen:
                    seen.add(item.shown.current)
                    found.setdefault(item.collection, [[] for _ in GLANCE_DAYS])[n].append(item)
        order = list(self.playbook.collections)
        return sorted(found.items(), key=lambda p: (order.index(p[0]) if p[0] in order else len(order), p[0]))

    def section_title(self, name: str) -> str:
        collection = self.playbook.collections.get(name)
        return collection.title if collection is not None else name

    def weeks(self, limit: int | None = None) -> list[tuple[date, list[Item], list[Item]]]:
        """(Monday, real changes, review-only changes) per week, newest week first; with
        ``limit``, the newest ``limit`` changes only (the oldest week shown may be cut short:
        one week of thousands of changes still makes a page of ``limit``)."""
        items = self.items
        if limit is not None and len(items) > limit:
            items = items[:limit]
        groups: dict[date, tuple[list[Item], list[Item]]] = {}
        for item in items:
            monday = item.day - timedelta(days=item.day.weekday())
            real, reviewed = groups.setdefault(monday, ([], []))
            (real if item.real else reviewed).append(item)
        return [(monday, *groups[monday]) for monday in sorted(groups, reverse=True)]

    def of(self, record: Record) -> list[Item]:
        """Every change to ``record`` (under any earlier id), newest first."""
        return self.by_record.get(record.key, [])

    def last(self, record: Record) -> Item | None:
        """The last real change to ``record`` (review-only ones aside)."""
        return next((i for i in self.of(record) if i.real), None)

    def _recent(self, day: date) -> bool:
        return self.today - timedelta(days=self.window) < day <= self.today

    def mark(self, record: Record) -> str | None:
        items = [i for i in self.of(record) if i.real and self._recent(i.day)
                 and not (i.kind == "added" and i.shown.entry.commit in self.imports)]
        if not items:
            return None
        return "new" if any(i.kind == "added" for i in items) else "changed"

    def badge(self, record: Record) -> Markup:
        mark = self.mark(record)
        if mark is None:
            return Markup("")
        return Markup(f' <span class="pb-mark pb-mark-{mark}" title="{mark} in the last {self.window} days">'
                      f"{mark}</span>")

    def recent(self) -> list[tuple[Record, Item]]:
        """Records with a real change in the mark window, most recent change first."""
        out: list[tuple[Record, Item]] = []
        seen: set[tuple[str, str]] = set()
        for item in self.items:
            if item.real and item.record is not None and self._recent(item.day) \
                    and item.record.key not in seen:
                seen.add(item.record.key)
                out.append((item.record, item))
        return out

    # Links and attributes -------------------------------------------------------

    def url(self, item: Item) -> str | None:
        """The pull request, or else the commit, on the repository's site (internal builds
        only: the repository is the company's)."""
        if self.repo_url is None or self.viewer != DEFAULT:
            return None
        number = item.shown.entry.pull_request
        if number is not None:
            return f"{self.repo_url}/pull/{number}"
        return f"{self.repo_url}/commit/{item.shown.entry.commit}"

    def author(self, item: Item) -> str | None:
        """Who made the change: internal builds only (a name from git is not a record the
        audience may see)."""
        return item.shown.entry.author if self.viewer == DEFAULT else None

    def byline(self, item: Item) -> Markup:
        """`` · author · pull request`` for internal builds; nothing for others."""
        if self.viewer != DEFAULT:
            return Markup("")
        return Markup(f" · {inline(item.shown.entry.author)} · {self.source(item)}")

    def source(self, item: Item) -> Markup:
        """The pull request or commit, linked when the repository's address is known."""
        entry = item.shown.entry
        number = entry.pull_request
        text = f"pull request #{number}" if number is not None else f"commit {entry.commit[:7]}"
        url = self.url(item)
        return Markup(f"[{inline(text)}]({url})") if url else inline(text)

    def attributes(self, item: Item) -> Markup:
        """``data-`` attributes the page's filter reads (HTML-escaped)."""
        team = item.team.key[1] if item.team is not None else ""
        return Markup(f'data-collection="{html.escape(item.collection)}" data-team="{html.escape(team)}" '
                      f'data-kind="{html.escape(item.kind)}" data-date="{item.day.isoformat()}"')

    def filters(self) -> Markup:
        """The collection and team pickers (raw HTML; labels escaped)."""
        collections = [(c.name, c.title) for c in self.playbook.collections.values()
                       if any(i.collection == c.name for i in self.items)]
        teams = sorted({(i.team.key[1], i.team.title) for i in self.items if i.team is not None},
                       key=lambda t: t[1].casefold())

        def select(name: str, label: str, options: Iterable[tuple[str, str]]) -> str:
            body = "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options)
            return (f'<label>{label} <select data-filter="{name}" aria-label="{label}">'
                    f'<option value="">All</option>{body}</select></label>')

        return Markup('<div class="pb-changes-filter" hidden>'
                      + select("collection", "Section", collections) + " "
                      + select("team", "Team", teams)
                      + ' <span class="pb-changes-count" aria-live="polite"></span></div>')


# ---------------------------------------------------------------------------
# For the command line: the playbook as an audience sees it, and its change log


def load(root: Path, today: date, audience: str = DEFAULT, *, window: int = WINDOW_DAYS,
         repo_url: str | None = None) -> ChangeLog:
    """The change log of the playbook at ``root``. Raises :class:`PlaybookError` when the
    playbook (as it is today) has errors: a page or link could not be named reliably."""
    playbook, problems = load_playbook(root)
    if errors(problems):
        raise PlaybookError(problems)
    return ChangeLog(read_history(root), scope(playbook, audience), audience, today=today, window=window,
                     repo_url=repo_url)


def changes(root: Path, today: date, audience: str = DEFAULT, since: str | None = None,
            ) -> tuple[ChangeLog, list[Item]]:
    """The change log and the changes since ``since`` (see :func:`select`), for ``playbook changes``."""
    log = load(root, today, audience)
    return log, select(log, root, since)


def select(log: ChangeLog, root: Path, since: str | None) -> list[Item]:
    """The changes since a date (``YYYY-MM-DD``, included) or after a commit; all without
    ``since``. Raises :class:`generator.history.gitrepo.GitError` for a revision git does not know."""
    if since is None:
        return list(log.items)
    try:
        day: date | None = parse_iso_date(since)
    except ValueError:
        day = None
    if day is not None:
        return log.since(day)
    if not log.available:
        return []
    after = commits_since(root, since)
    return [i for i in log.items if i.shown.entry.commit in after]


# ---------------------------------------------------------------------------
# Outputs for other tools


def _moment(item: Item) -> datetime:
    return item.shown.entry.moment.astimezone(UTC)


def records_json(log: ChangeLog, items: list[Item]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        entry, change = item.shown.entry, item.shown.change
        out.append({
            "date": item.day.isoformat(),
            "time": entry.when,
            "commit": entry.commit,
            "pull_request": entry.pull_request,
            "author": log.author(item),
            "kind": item.kind,
            "collection": item.collection,
            "id": item.shown.current[1],
            "previous_id": change.old_id if item.kind == "renamed" else None,
            "title": item.title,
            "page": log.playbook.url(item.record) if item.record is not None else None,
            "team": item.team.id if item.team is not None else None,
            "summary": item.text_lines(),
            "url": log.url(item),
        })
    return out


def text(log: ChangeLog, items: list[Item]) -> str:
    if not log.available:
        return f"History unavailable: {log.reason}.\n"
    if not items:
        return "No changes.\n"
    lines = []
    for item in items:
        by = f"  ({log.author(item)}, {item.shown.entry.commit[:7]})" if log.author(item) else ""
        lines.append(f"{item.day.isoformat()}  {item.headline()}{by}")
        lines += [f"    {line}" for line in item.text_lines()]
    # For a terminal: no text from git or a record may carry an escape sequence or a bell.
    return "\n".join(printable(line) for line in lines) + "\n"


def markdown(log: ChangeLog, items: list[Item], title: str = "Playbook changes") -> str:
    out = [f"## {inline(title)}", ""]
    if not log.available:
        return "\n".join([*out, f"History unavailable: {inline(log.reason)}."]) + "\n"
    if not items:
        return "\n".join([*out, "No changes."]) + "\n"
    real = [i for i in items if i.real]
    reviewed = [i for i in items if not i.real]
    for item in real:
        out.append(printable(f"- **{inline(item.headline())}** — {item.day.isoformat()}{log.byline(item)}"))
        out += [printable(f"    - {line}".replace("\n", "\n    "), keep="\n") for line in item.lines]
    if reviewed:
        out += ["", printable("Reviewed, no change: " + ", ".join(
            f"{inline(i.title)} ({i.day.isoformat()})" for i in reviewed) + ".")]
    return "\n".join(out) + "\n"


def atom(log: ChangeLog, *, site_name: str, site_url: str | None, limit: int = 50) -> bytes:
    """The feed: one entry per record change, newest first (commit messages are never shown:
    they are not scoped to an audience)."""
    entries = []
    for item in log.items[:limit]:
        entry = item.shown.entry
        page = log.playbook.url(item.record) if item.record is not None else None
        author = log.author(item) or site_name
        entries.append(feed.Entry(
            id=f"urn:playbook:change:{entry.commit}:{item.shown.change.collection}/{item.shown.change.id}",
            title=item.headline(), updated=_moment(item), author=author,
            link=page or log.url(item), content_html=feed_html(item.fields, item.kind),
            categories=(item.collection,),
        ))
    updated = _moment(log.items[0]) if log.items else datetime.combine(log.today, datetime.min.time(), UTC)
    return feed.atom(feed_id=f"urn:playbook:changes:{log.viewer}", title=f"{site_name}: what changed",
                     updated=updated, entries=entries, self_link=feed.FILE, alternate="changes/",
                     base=site_url, subtitle="Every change to the playbook, newest first")


def digest(log: ChangeLog, start: date, end: date, *, site_url: str | None) -> webhook.Digest | None:
    """The week's changes for a chat; None when there are none (nothing is posted then)."""
    items = log.between(start, end)
    if not items:
        return None
    base = site_url.rstrip("/") + "/" if site_url else None
    real = [i for i in items if i.real]
    reviewed = [i for i in items if not i.real]
    posts = []
    for item in real:
        url = base + log.playbook.url(item.record) if base and item.record else log.url(item)
        by = f", {log.author(item)}" if log.author(item) else ""
        day = day_and_month(item.day, short=True)
        details = chat_details(item.fields, item.kind)
        posts.append(webhook.Item(f"{item.headline()} ({day}{by})", url, details))
    if reviewed:
        posts.append(webhook.Item("Reviewed, no change: " + ", ".join(i.title for i in reviewed)))
    footer = (f"{len(real)} change{'s' if len(real) != 1 else ''}, {len(reviewed)} review"
              f"{'s' if len(reviewed) != 1 else ''}")
    return webhook.Digest(digest_title(start, end), tuple(posts),
                          base + "changes/" if base else None, footer)


def dumps(log: ChangeLog, items: list[Item]) -> str:
    data = {"available": log.available, "reason": log.reason or None, "audience": log.viewer,
            "changes": records_json(log, items)}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
