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
            if change.lines:
                out.append("")
                out += [f"- {line}" for line in change.lines]
    return "\n".join(out) + "\n"


def summary(root: Path, base: str, head: str | None = None) -> str:
    changes, describer = compare(root, base, head)
    return render(changes, describer)
