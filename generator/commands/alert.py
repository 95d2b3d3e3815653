"""``playbook alert``: create, update or close the one open GitHub issue labelled stale-content."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..repo import alerts
from ._base import OK, PROBLEMS, AddCommand, UsageError
from .stale import add_report_options, load_report


def run(args: argparse.Namespace, out: TextIO) -> int:
    report = load_report(args, out)
    if report is None:
        return PROBLEMS
    if (args.issues == "gh" or args.apply) and not alerts.gh_installed():
        raise UsageError("the gh command is not installed; pass --issues FILE (without --apply) "
                         "to only print the decision")
    gh = alerts.run_gh
    try:
        issues = alerts.read_issues(args.issues, gh, sys.stdin.read() if args.issues == "-" else None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    decision = alerts.decision_for(report, issues, args.link_base)
    if not args.apply:
        out.write(json.dumps(decision.as_json(), indent=2, ensure_ascii=False) + "\n")
        return OK
    try:
        steps = alerts.apply(decision, gh)
    except RuntimeError as exc:
        out.write(f"playbook alert: {exc}\n")
        return PROBLEMS
    out.writelines(f"playbook alert: {step}\n" for step in steps)
    return OK


def register(command: AddCommand) -> None:
    parser = command("alert", run,
                     f"Create, update or close the one open GitHub issue labelled {alerts.LABEL}.")
    add_report_options(parser)
    parser.add_argument("--issues", default="gh", metavar="FILE",
                        help="the open issues as JSON from 'gh issue list --label stale-content --state "
                        "open --json number,title,body' ('-' for standard input; default: ask gh)")
    parser.add_argument("--apply", action="store_true",
                        help="carry the decision out with gh (default: print it as JSON)")
    parser.set_defaults(format="text")
