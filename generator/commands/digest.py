"""``playbook digest``: the week before today's changes, to the job summary and the team chats."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from ..core.problems import PlaybookError
from ..history import digest
from ..rules.audience import AUDIENCES, DEFAULT
from ._base import OK, PROBLEMS, AddCommand, add_today, playbook_root, report, today_of


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    try:
        result = digest.run(root, today_of(args), os.environ, audience=args.audience,
                            site_url=args.site_url, post=not args.no_post)
    except PlaybookError as exc:
        return report(exc.problems, out)
    if args.summary:
        with Path(args.summary).open("a", encoding="utf-8") as summary:
            summary.write(result.markdown)
    else:
        out.write(result.markdown)
    if result.changes == 0:
        print(f"playbook digest: no changes from {result.start} to {result.end}; nothing posted",
              file=sys.stderr)
    for kind in result.posted:
        print(f"playbook digest: posted {result.changes} changes to {kind}", file=sys.stderr)
    for failure in result.failures:
        print(f"playbook digest: error: {failure}", file=sys.stderr)
    return PROBLEMS if result.failures else OK


def register(command: AddCommand) -> None:
    parser = command("digest", run, "Summarise the changes of the 7 days before today and post them to "
                     "the chats set in PLAYBOOK_SLACK_WEBHOOK / PLAYBOOK_TEAMS_WEBHOOK.")
    add_today(parser, "the digest covers the 7 days before this date (default: today)")
    parser.add_argument("--summary", metavar="FILE",
                        help="append the Markdown here (e.g. $GITHUB_STEP_SUMMARY) instead of printing it")
    parser.add_argument("--site-url", help=f"the published site, for links (default: ${digest.SITE_URL})")
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                        help="only the changes this audience may see (default: internal)")
    parser.add_argument("--no-post", action="store_true", help="print the digest, post nothing")
