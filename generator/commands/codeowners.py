"""``playbook codeowners [--check]``: write (or check) CODEOWNERS from each record's owner."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..codeowners import OUTPUT, generate, staleness
from ..problems import errors
from ._base import PROBLEMS, AddCommand, add_format, load_or_report, report


def run(args: argparse.Namespace, out: TextIO) -> int:
    root, playbook = load_or_report(args, out)
    if playbook is None:
        return PROBLEMS
    text, problems = generate(playbook)
    target = root / args.output
    shown = Path(args.output).as_posix()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        problems += staleness(shown, current, text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    status = report(sorted(problems), out, args.format)
    if args.format == "text" and not errors(problems):
        verb = "is up to date" if args.check else "written"
        count = sum(1 for line in text.splitlines() if line.startswith("/"))
        out.write(f"playbook codeowners: {shown} {verb} ({count} records)\n")
    return status


def register(command: AddCommand) -> None:
    parser = command("codeowners", run, "Write .github/CODEOWNERS from each record's owner.")
    parser.add_argument("--check", action="store_true",
                        help="do not write: fail when the file is missing or out of date")
    parser.add_argument("--output", default=OUTPUT, help=f"the file, relative to --root (default: {OUTPUT})")
    add_format(parser)
