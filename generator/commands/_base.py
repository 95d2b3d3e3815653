"""What every command shares: exit codes, usage errors, the playbook folder, date options, and
"load the playbook or report its problems".

Only the command layer prints and chooses exit codes; the domain modules it calls raise their
own exceptions, which each command turns into a :class:`UsageError` or a located problem.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from ..content.model import Playbook
from ..core.dates import parse_iso_date
from ..core.problems import FORMATS, Problem, errors
from ..rules.project import load_playbook

OK, PROBLEMS, USAGE, BUG = 0, 1, 2, 3
PIPE_CLOSED = 141  # the reader of the output went away (128 + SIGPIPE, as a shell reports it)
PROBLEM_FORMATS = ("text", "json", "github")

Run = Callable[[argparse.Namespace, TextIO], int]
AddCommand = Callable[[str, Run, str], argparse.ArgumentParser]


class UsageError(Exception):
    """The command cannot do what was asked (bad argument, not a playbook folder, ...): exit 2."""


def playbook_root(text: str) -> Path:
    root = Path(text)
    if not (root / "content").is_dir() and not (root / "schemas").is_dir():
        raise UsageError(f"{root.resolve()} is not a playbook: it has no content/ or schemas/ folder")
    return root.resolve()


def date_option(text: str) -> date:
    """An argparse ``type`` for ``--today`` and friends (the one date rule of :mod:`generator.core.dates`)."""
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_today(parser: argparse.ArgumentParser, help: str = "judge freshness at this date, YYYY-MM-DD "
              "(default: the real date)") -> None:
    parser.add_argument("--today", type=date_option, help=help)


def add_format(parser: argparse.ArgumentParser, choices: tuple[str, ...] = PROBLEM_FORMATS) -> None:
    parser.add_argument("--format", choices=list(choices), default=choices[0])


def today_of(args: argparse.Namespace) -> date:
    chosen = getattr(args, "today", None)
    return chosen if isinstance(chosen, date) else date.today()


def report(problems: list[Problem], out: TextIO, fmt: str = "text") -> int:
    """Write ``problems`` in ``fmt`` (text when the command's format is not a problem format);
    PROBLEMS when any is an error, else OK."""
    out.write(FORMATS[fmt if fmt in FORMATS else "text"](problems))
    return PROBLEMS if errors(problems) else OK


def load_or_report(args: argparse.Namespace, out: TextIO) -> tuple[Path, Playbook | None]:
    """The playbook at ``--root``; None (its problems written to ``out``) when it has errors."""
    root = playbook_root(args.root)
    playbook, problems = load_playbook(root)
    if errors(problems):
        report(problems, out, getattr(args, "format", "text"))
        return root, None
    return root, playbook
