"""The diff engine's :class:`~generator.history.diff.FieldChange` values written for each output.

One renderer per output, all from the same values (none reads another's text back):

- :class:`Markdown`: the site's pages and ``playbook diff`` (escaped with
  :func:`generator.core.escape.inline`); a long text as a short word diff (``<del>``/``<ins>``)
  for readers, or as a fenced line diff for reviewers (``word_diffs=False``).
- :class:`Text`: plain text (``playbook changes --format text``, the ``changes`` of
  ``playbook.json``, a record page's "Changed on" line); a word diff reads ``[-old-]``/``{+new+}``.
- :func:`feed_html`: an entry of the Atom feed (plain lines as an escaped HTML list).
- :func:`chat_details`: a digest item's detail lines (plain text: the Slack and Teams escaping
  is :mod:`generator.history.webhook`'s).

A change's lines: each field's, the references gained and lost, then the review date (with
"no other change" when nothing else changed). Of a record added or removed, its owner and
review date as they stood.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

from ..core.escape import inline
from .diff import AMBIGUOUS, MISSING, REVIEWED, WITHHELD, FieldChange, Ref
from .feed import html_list

LONG_TEXT = 100  # characters: a longer text (or one of several lines) changes as a diff
CONTEXT = 4  # words kept around a word diff's changes
CHAT_DETAILS = 5
CONFIRMED = " — no other change: the owner confirms it is still accurate."
_SPACE = re.compile(r"\s+")


def is_long(old: Any, new: Any) -> bool:
    return isinstance(old, str) and isinstance(new, str) and (
        "\n" in old.strip() or "\n" in new.strip() or max(len(old), len(new)) > LONG_TEXT)


def word_parts(old: str, new: str, context: int = CONTEXT) -> Iterator[tuple[str, str]]:
    """A long text's change as (what, words): ``same``, ``gap`` (words left out), ``del``, ``ins``."""
    before, after = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            head = words[:context] if number > 0 else []
            tail = words[-context:] if number < len(opcodes) - 1 else []
            if len(words) > len(head) + len(tail):
                yield from (("same", " ".join(head)), ("gap", "…"), ("same", " ".join(tail)))
            else:
                yield "same", " ".join(words)
            continue
        if i2 > i1:
            yield "del", " ".join(before[i1:i2])
        if j2 > j1:
            yield "ins", " ".join(after[j1:j2])


class Text:
    """Plain text: one line per field change."""

    marks: ClassVar[dict[str, tuple[str, str]]] = {"del": ("[-", "-]"), "ins": ("{+", "+}")}

    def text(self, value: object) -> str:
        """Text as one line (white space folded)."""
        return _SPACE.sub(" ", str(value)).strip()

    def name(self, field: FieldChange) -> str:
        return "".join(sep + self.text(title) for sep, title in field.parts())

    def label(self, text: str) -> str:
        return text

    def code(self, text: str) -> str:
        return text

    def emphasis(self, text: str) -> str:
        return text

    def ref(self, ref: Ref) -> str:
        if ref.outcome == WITHHELD:
            return self.emphasis("withheld")
        if ref.outcome == MISSING:
            return f"{self.text(ref.id)} (no such record)"
        if ref.outcome == AMBIGUOUS:
            return f"{self.text(ref.id)} (ambiguous: a record in {', '.join(ref.among)})"
        return f"{self.text(ref.title)} ({self.code(f'{ref.collection}/{ref.id}')})"

    def value(self, value: Any) -> str:
        if isinstance(value, Ref):
            return self.ref(value)
        if value is None or value == "" or value == [] or value == {}:
            return self.emphasis("(empty)")
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return f"“{self.text(value)}”"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, dict):
            return "; ".join(f"{self.text(k)}: {self.value(v)}" for k, v in value.items())
        return ", ".join(self.value(v) for v in value)

    def words(self, old: str, new: str) -> str:
        parts = []
        for what, words in word_parts(old, new):
            if what in self.marks:
                start, end = self.marks[what]
                parts.append(f"{start}{self.text(words)}{end}")
            elif words:
                parts.append(words if what == "gap" else self.text(words))
        return " ".join(parts)

    def long_text(self, old: str, new: str) -> str:
        return self.words(old, new)

    def line(self, field: FieldChange, record_kind: str, alone: bool = False) -> list[str]:
        """The lines of one field change (of a record change of ``record_kind``; ``alone``: the
        only change of the record)."""
        if field.references:
            sides = (("References gained", field.added), ("References lost", field.removed))
            return [f"{self.label(title)}: {', '.join(self.value(r) for r in refs)}"
                    for title, refs in sides if refs]
        name = self.label(self.name(field))
        if field.review:
            if record_kind in ("added", "removed"):
                return [f"{name}: {self.text(field.new or field.old)}"]
            note = f"{name}: {self.text(field.old or 'unset')} → {self.text(field.new or 'unset')}"
            return [note + (CONFIRMED if alone else "")]
        if record_kind in ("added", "removed"):
            return [f"{name}: {self.value(field.new if record_kind == 'added' else field.old)}"]
        if field.kind == "reordered":
            return [f"{name}: reordered"]
        if field.added or field.removed:
            parts = [f"added {self.value(v)}" for v in field.added]
            parts += [f"removed {self.value(v)}" for v in field.removed]
            return [f"{name}: {'; '.join(parts)}"]
        if field.kind == "added":
            return [f"{name}: set to {self.value(field.new)}"]
        if field.kind == "removed":
            return [f"{name}: removed (was {self.value(field.old)})"]
        if is_long(field.old, field.new):
            return [f"{name}: {self.long_text(field.old, field.new)}"]
        return [f"{name}: {self.value(field.old)} → {self.value(field.new)}"]

    def lines(self, fields: Sequence[FieldChange], record_kind: str,
              keep: Callable[[FieldChange], bool] | None = None) -> list[str]:
        """The lines of a record change (with ``keep``, of the fields it keeps only)."""
        alone = len(fields) == 1
        return [line for f in fields if keep is None or keep(f) for line in self.line(f, record_kind, alone)]


class Markdown(Text):
    """Markdown for the pages and ``playbook diff``: every text escaped."""

    marks: ClassVar[dict[str, tuple[str, str]]] = {"del": ("<del>", "</del>"), "ins": ("<ins>", "</ins>")}

    def __init__(self, *, word_diffs: bool = True) -> None:
        self.word_diffs = word_diffs

    def text(self, value: object) -> str:
        return str(inline(value))

    def label(self, text: str) -> str:
        return f"**{text}**"

    def code(self, text: str) -> str:
        return f"`{text}`"

    def emphasis(self, text: str) -> str:
        return f"*{text}*"

    def long_text(self, old: str, new: str) -> str:
        if self.word_diffs:
            return self.words(old, new)
        return "text changed\n\n" + line_diff(old, new)


def line_diff(old: str, new: str) -> str:
    """A long text's change as an indented, fenced ``diff`` block (for a list item)."""
    lines = [line for line in difflib.unified_diff(old.strip().splitlines(), new.strip().splitlines(),
                                                   lineterm="", n=0)
             if not line.startswith(("---", "+++", "@@"))]
    body = "\n".join(lines)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join(f"  {line}" for line in [f"{fence}diff", *lines, fence])


MARKDOWN = Markdown()
TEXT = Text()


def review_warning(old_review: object) -> str:
    """The reviewer's reminder (``playbook diff``) for a record whose content changed while its
    review date did not."""
    return (f"⚠️ The content changed but `{REVIEWED}` is still {inline(old_review or 'unset')}: "
            "if the owner has confirmed the whole record is accurate, set it to that date.")


def housekeeping(count: int) -> str:
    """How many housekeeping changes (:attr:`FieldChange.metadata`) a record page leaves unlisted."""
    return f"{count} housekeeping change{'s' if count != 1 else ''}"


def feed_html(fields: Sequence[FieldChange], record_kind: str) -> str:
    """A feed entry's content: the plain lines as an HTML list."""
    return html_list(TEXT.lines(fields, record_kind))


def chat_details(fields: Sequence[FieldChange], record_kind: str) -> tuple[str, ...]:
    """A chat item's details: the first plain lines, the review date aside."""
    return tuple(TEXT.lines(fields, record_kind, keep=lambda f: not f.review))[:CHAT_DETAILS]
