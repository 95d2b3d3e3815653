"""``playbook check``: validate every content file and report every problem."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..core.problems import Problem, errors
from ..history.added import first_added
from ..rules.consistency import reviewed_before_added
from ..rules.project import load_playbook
from ._base import AddCommand, add_format, playbook_root, report


def summary(problems: list[Problem]) -> str:
    if not problems:
        return "playbook check: no problems found\n"
    found = len(errors(problems))
    files = len({p.file for p in problems})
    counts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in
              ((found, "error"), (len(problems) - found, "warning")) if n]
    return f"playbook check: {' and '.join(counts)} in {files} file{'' if files == 1 else 's'}\n"


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    playbook, problems = load_playbook(root)
    problems = sorted(problems + reviewed_before_added(playbook, first_added(root)))  # against its history
    status = report(problems, out, args.format)
    if args.format == "text":
        out.write(summary(problems))
    return status


def register(command: AddCommand) -> None:
    parser = command("check", run, "Validate every content file and report every problem.")
    add_format(parser)
