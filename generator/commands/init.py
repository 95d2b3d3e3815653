"""``playbook init --company NAME``: start a company's own playbook from a fresh copy."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..content.config import HANDLE_FORMATS
from ..repo.adopt import InitError, Request, init
from ..repo.codeowners import OUTPUT
from ._base import OK, AddCommand, UsageError, add_today, playbook_root, today_of


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    request = Request(
        company=args.company, repo_url=args.repo_url, site_url=args.site_url, site_name=args.site_name,
        handle_format=args.handle_format, handle_field=args.handle_field,
        owner_collections=tuple(args.owner_collections.split(",")) if args.owner_collections else None,
        codeowners=args.codeowners, branch=args.branch, keep_starter=args.keep_starter,
    )
    try:
        steps = init(root, request, today_of(args))
    except InitError as exc:
        raise UsageError(str(exc)) from None
    out.write("".join(f"{step}\n" for step in steps))
    out.write("playbook init: done. Next: replace the example records (`playbook check` lists what is left), "
              "then `make serve`.\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("init", run, "Start a company's own playbook: settings, a skeleton, start page, "
                     "editor settings and CODEOWNERS.")
    parser.add_argument("--company", required=True, help="the company's name")
    parser.add_argument("--repo-url", help="the repository's address (edit links; without it none)")
    parser.add_argument("--site-url", help="where the site will be published")
    parser.add_argument("--site-name",
                        help="the site's name (default: '<company> — Sales & Marketing Playbook')")
    parser.add_argument("--handle-format", choices=HANDLE_FORMATS,
                        help="github (user, org/team) or gitlab (user, group/subgroup/...)")
    parser.add_argument("--handle-field", help="the owner records' field with a handle (default: github)")
    parser.add_argument("--owner-collections",
                        help="comma-separated collections that own records (default: people,teams)")
    parser.add_argument("--codeowners", help=f"where CODEOWNERS goes (default: {OUTPUT})")
    parser.add_argument("--branch", help="the branch edit links open (default: main)")
    parser.add_argument("--keep-starter", action="store_true",
                        help="keep the example company's records (default: replace them with a skeleton)")
    add_today(parser, "last_reviewed of the example records (default: today)")
