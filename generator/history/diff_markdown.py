"""The Markdown report of a comparison (``playbook diff``, and the CI job summary).

Takes the structured changes of :mod:`generator.history.diff` and writes them for a
reviewer: a count per kind, a warning for changed records that kept their old
review date, then one section per kind with each record's lines.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..core.escape import inline
from .diff import REVIEWED, Change, Describer, compare
from .renderers import Markdown, review_warning

REVIEWER = Markdown(word_diffs=False)  # long texts as fenced line diffs
SECTIONS = (
    ("added", "Added"),
    ("removed", "Removed"),
    ("renamed", "Renamed"),
    ("changed", "Changed"),
    ("reviewed", "Confirmed still accurate"),
)


def _heading(describer: Describer, change: Change) -> str:
    version = change.new or change.old
    assert version is not None
    readable = [v for v in (change.new, change.old) if v is not None and isinstance(v.data, dict)]
    name = readable[0].title if readable else version.title
    title = f"{inline(describer.kind(version))}: {inline(name)}"
    if change.kind == "renamed" and change.old and change.new:
        return f"{title} — `{change.old.path}` → `{change.new.path}`"
    return f"{title} — `{version.path}`"


def lines(change: Change) -> list[str]:
    """A record change's lines for a reviewer: what could not be read, each field's change, and
    the reminder to bump the review date."""
    found = [f"cannot be read{f' in {label}' if label else ''}: {inline(why)}"
             for label, why in change.unreadable]
    found += REVIEWER.lines(change.fields, change.kind)
    if change.review_warning and change.old is not None and isinstance(change.old.data, dict):
        found.append(review_warning(change.old.data.get(REVIEWED)))
    return found


def render(changes: list[Change], describer: Describer) -> str:
    counts = Counter(c.kind for c in changes)
    out = ["## Playbook changes", ""]
    out.append(f"Compared {describer.base.label} with {describer.head.label}.")
    out.append("")
    if not changes:
        out.append("No record changed.")
        return "\n".join(out) + "\n"
    out.append(", ".join(f"{counts[kind]} {title.lower()}" for kind, title in SECTIONS if counts[kind]) + ".")
    warnings = [c for c in changes if c.review_warning]
    if warnings:
        out += ["", f"⚠️ {len(warnings)} changed record{'s' if len(warnings) > 1 else ''} kept "
                f"{'their' if len(warnings) > 1 else 'its'} old `{REVIEWED}` date: see below."]
    for kind, title in SECTIONS:
        group = [c for c in changes if c.kind == kind]
        if not group:
            continue
        out += ["", f"### {title} ({len(group)})"]
        for change in group:
            out += ["", f"#### {_heading(describer, change)}"]
            found = lines(change)
            if found:
                out.append("")
                out += [f"- {line}" for line in found]
    return "\n".join(out) + "\n"


def summary(root: Path, base: str, head: str | None = None) -> str:
    changes, describer = compare(root, base, head)
    return render(changes, describer)
