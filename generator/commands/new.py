"""``playbook new COLLECTION ID``: start a record that already passes ``playbook check``."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from ..repo.scaffold import ScaffoldError, create
from ._base import OK, AddCommand, UsageError, add_today, playbook_root, report, today_of


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    try:
        path, problems = create(root, args.collection, args.id, args.owner, today_of(args))
    except (ScaffoldError, FileExistsError) as exc:
        raise UsageError(str(exc)) from None
    out.write(os.path.normpath(os.path.join(args.root, path.relative_to(root))) + "\n")
    return report(problems, out) if problems else OK


def register(command: AddCommand) -> None:
    parser = command("new", run, "Start a new record from its collection's schema and print its path.")
    parser.add_argument("collection", metavar="COLLECTION", help="the collection, for example 'stages'")
    parser.add_argument("id", metavar="ID", help="the new record's id (its file name), for example 'mql'")
    parser.add_argument("--owner", help="the owning person or team (default: the first team)")
    add_today(parser, "the last_reviewed date (default: today)")
