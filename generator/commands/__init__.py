"""The ``playbook`` command line: one module per subcommand, each a thin shell over one domain call.

Every command module has ``register(command)``, which declares its arguments, and a ``run(args,
out)`` that returns a named exit code from :mod:`._base`: 0 when all is well, 1 when the playbook
has problems, 2 for a usage error (bad arguments, not a playbook folder, an output the command
must not touch), 3 for a bug in the generator (printed with its traceback). Only this package
prints and chooses exit codes; nothing outside it imports it (a lint rule enforces that).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TextIO

from ..core.problems import BUG_NOTICE
from . import alert, build, changes, check, cms, codeowners, diff, digest, editor, export, init, new, stale
from ._base import BUG, PIPE_CLOSED, USAGE, AddCommand, Run, UsageError

COMMANDS: tuple[Callable[[AddCommand], None], ...] = (
    check.register, build.register, stale.register, alert.register, new.register, diff.register,
    codeowners.register, export.register, changes.register, digest.register, init.register,
    editor.register, cms.register,
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="playbook", description="Check and publish a sales & marketing playbook."
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Run, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--root", default=".", help="the playbook repository (default: the current folder)")
        p.set_defaults(run=run)
        return p

    for register in COMMANDS:
        register(command)
    return top


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    args = parser().parse_args(argv)
    try:
        status = int(args.run(args, stream))
        stream.flush()  # here, not at exit, so that a closed pipe is seen below
        return status
    except BrokenPipeError:  # `playbook check | head -1`: the reader has all it wanted
        _discard(stream)
        return PIPE_CLOSED
    except UsageError as exc:
        print(f"playbook: error: {exc}", file=sys.stderr)
        return USAGE
    except Exception:
        traceback.print_exc()
        print(f"playbook: {BUG_NOTICE}", file=sys.stderr)
        return BUG


def _discard(stream: TextIO) -> None:
    """After a closed pipe: send what is still buffered for ``stream`` nowhere, so that Python's
    own flush at exit does not fail again (and print a traceback)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a file (a test's StringIO)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
