"""``playbook codeowners [--check]``: write (or check) CODEOWNERS from each record's owner."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..core.problems import errors
from ..repo.codeowners import (
    OUTPUT,
    generate,
    machinery_warning,
    read,
    records_in,
    staleness,
    target_path,
    write,
)
from ._base import PROBLEMS, AddCommand, UsageError, add_format, load_or_report, report


def run(args: argparse.Namespace, out: TextIO) -> int:
    root, playbook = load_or_report(args, out)
    if playbook is None:
        return PROBLEMS
    output = args.output or playbook.settings.codeowners
    try:
        target = target_path(root, output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    shown = Path(output).as_posix()
    current = read(target)
    text, problems = generate(playbook, current, shown)
    if errors(problems):
        pass  # broken markers: the file is left as it is
    elif args.check:
        problems += staleness(shown, current, text)
        problems += machinery_warning(current, shown) if current is not None else []
    else:
        write(target, text)
        problems += machinery_warning(text, shown)
    status = report(sorted(problems), out, args.format)
    if args.format == "text" and not errors(problems):
        verb = "is up to date" if args.check else "written"
        out.write(f"playbook codeowners: {shown} {verb} ({records_in(text)} records)\n")
    return status


def register(command: AddCommand) -> None:
    parser = command("codeowners", run, "Write CODEOWNERS (where playbook.yml says) from the owners.")
    parser.add_argument("--check", action="store_true",
                        help="do not write: fail when the file is missing or out of date")
    parser.add_argument("--output", help="the file, relative to --root (default: `codeowners` in "
                        f"playbook.yml, else {OUTPUT})")
    add_format(parser)
