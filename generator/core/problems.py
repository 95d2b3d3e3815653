"""The one located-problem type, and the renderers that print a list of them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
BUG_NOTICE = ("this is a bug in the playbook generator, not a problem in your content; "
              "please report it with the traceback above")


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong (or worth a look) at a 1-based line and column of a file.

    ``file`` is a POSIX path relative to the playbook's root folder.
    """

    file: str
    line: int
    column: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return printable(f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}")


_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str, keep: str = "") -> str:
    """``text`` with every character a terminal or a log could act on (control characters,
    ESC sequences, bidi overrides, zero-width and other invisible characters) written as an
    escape such as ``\\x1b`` or ``\\u202e``, except those in ``keep``."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == " " or c in keep else _ESCAPES.get(c) or (
            f"\\x{ord(c):02x}" if ord(c) < 0x100 else
            f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
        for c in text
    )


class PlaybookError(Exception):
    """Raised when content problems stop an operation; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_text(self.problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def format_text(problems: Iterable[Problem]) -> str:
    return "".join(f"{p}\n" for p in problems)


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = printable(text, keep="" if prop else "\r\n")
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub workflow commands, one annotation per problem."""
    return "".join(
        f"::{p.severity} file={_gh_escape(p.file, prop=True)},line={p.line},"
        f"col={p.column}::{_gh_escape(p.message)}\n"
        for p in problems
    )


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
