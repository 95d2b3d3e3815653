"""The ``playbook`` command line: a thin shell over the package's functions.

Exit status: 0 when all is well, 1 when the playbook has problems, 2 for a
usage error (bad arguments, not a playbook folder, an output folder it must not
touch). Only this module prints and exits.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from . import alerts, codeowners, diff, export, scaffold, stale
from .audience import AUDIENCES, DEFAULT
from .problems import FORMATS, PlaybookError, Problem, errors
from .project import load_playbook
from .site import generate, write_tree

OK, PROBLEMS, USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def iso_date(text: str) -> date:
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"not a real date written YYYY-MM-DD: {text!r}")


def playbook_root(text: str) -> Path:
    root = Path(text)
    if not (root / "content").is_dir() and not (root / "schemas").is_dir():
        raise UsageError(f"{root.resolve()} is not a playbook: it has no content/ or schemas/ folder")
    return root.resolve()


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    _, problems = load_playbook(playbook_root(args.root))
    out.write(FORMATS[args.format](problems))
    if args.format == "text":
        out.write(summary(problems))
    return PROBLEMS if errors(problems) else OK


def summary(problems: list[Problem]) -> str:
    if not problems:
        return "playbook check: no problems found\n"
    found = len(errors(problems))
    files = len({p.file for p in problems})
    counts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in
              ((found, "error"), (len(problems) - found, "warning")) if n]
    return f"playbook check: {' and '.join(counts)} in {files} file{'' if files == 1 else 's'}\n"


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    try:
        tree = generate(root, args.today or date.today(), args.audience)
    except PlaybookError as exc:
        out.write(FORMATS[args.format](exc.problems))
        return PROBLEMS
    try:
        written, removed = write_tree(tree, root, Path(args.out))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "text":
        out.write(f"playbook build: {len(tree.pages)} generated pages in {args.out} "
                  f"({written} files written, {removed} removed)\n")
    return OK


Command = Callable[[argparse.Namespace, TextIO], int]
Register = Callable[[Callable[..., argparse.ArgumentParser]], None]


def register_core(command: Callable[..., argparse.ArgumentParser]) -> None:
    check = command("check", cmd_check, "Validate every content file and report every problem.")
    check.add_argument("--format", choices=["text", "json", "github"], default="text")
    build = command("build", cmd_build, "Write the Markdown tree (generated and hand-written pages).")
    build.add_argument("--out", required=True, help="the folder to write (new, empty, or a previous build)")
    build.add_argument("--today", type=iso_date, help="judge freshness at this date (default: today)")
    build.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                       help="build only what this audience may see (default: internal)")
    build.add_argument("--format", choices=["text", "json", "github"], default="text")


# Each feature module adds its commands here: one ``register`` function per module.
REGISTRARS: list[Register] = [
    register_core, stale.register, alerts.register, diff.register, codeowners.register, scaffold.register,
    export.register,
]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="playbook", description="Check and publish a sales & marketing playbook."
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--root", default=".", help="the playbook repository (default: the current folder)")
        p.set_defaults(run=run)
        return p

    for register in REGISTRARS:
        register(command)
    return top


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    args = parser().parse_args(argv)
    try:
        return int(args.run(args, stream))
    except UsageError as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
