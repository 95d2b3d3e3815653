"""``playbook changes [--since DATE|REF] [--format text|markdown|json]``: the change history."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..core.problems import PlaybookError
from ..history import changelog
from ..history.gitrepo import GitError
from ..rules.audience import AUDIENCES, DEFAULT
from ._base import OK, AddCommand, UsageError, add_format, add_today, playbook_root, report, today_of

FORMATTERS = {"text": changelog.text, "markdown": changelog.markdown, "json": changelog.dumps}


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    try:
        log, items = changelog.changes(root, today_of(args), args.audience, args.since)
    except PlaybookError as exc:
        return report(exc.problems, out)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    out.write(FORMATTERS[args.format](log, items))
    return OK


def register(command: AddCommand) -> None:
    parser = command("changes", run, "List the changes to the playbook, newest first, from its git history.")
    parser.add_argument("--since", metavar="DATE|REF",
                        help="only changes on or after this date (YYYY-MM-DD), or after this commit")
    add_format(parser, ("text", "markdown", "json"))
    add_today(parser, "the date the history is read at, for the 'new'/'changed' window (default: today)")
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                        help="only the changes this audience may see (default: internal)")
