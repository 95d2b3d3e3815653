"""``playbook diff BASE [HEAD]``: summarise, in Markdown, how the records changed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..history.diff_markdown import summary
from ..history.gitrepo import GitError
from ..repo.stale import printable
from ._base import OK, AddCommand, UsageError


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        out.write(summary(Path(args.root).resolve(), args.base, args.head))
    except GitError as exc:
        raise UsageError(printable(exc)) from None
    return OK


def register(command: AddCommand) -> None:
    parser = command("diff", run, "Summarise, in Markdown, how the records changed between two versions.")
    parser.add_argument("base", metavar="BASE", help="the version to compare from (a commit, branch or tag)")
    parser.add_argument("head", metavar="HEAD", nargs="?",
                        help="the version to compare to (default: the working tree, uncommitted files "
                        "included)")
