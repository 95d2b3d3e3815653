"""``playbook export --out FILE``: every record an audience may see, as ``playbook.json``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..core.problems import PlaybookError
from ..rules.audience import AUDIENCES, DEFAULT
from ..site.export import FILE, VERSION, dumps, export
from ..site.site import generate
from ._base import OK, AddCommand, UsageError, add_today, playbook_root, report, today_of


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    today = today_of(args)
    try:
        tree = generate(root, today, args.audience)
    except PlaybookError as exc:
        return report(exc.problems, out)
    text = dumps(export(tree.playbook, today, tree.audience, tree.changes))
    if args.out == "-":
        out.write(text)
        return OK
    target = Path(args.out)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; name the file to write, e.g. {target / FILE}")
    target.write_text(text, encoding="utf-8")
    out.write(f"playbook export: {len(tree.playbook.records)} records for the {tree.audience} audience "
              f"in {target}\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("export", run, f"Write every record as JSON ({FILE}, format version {VERSION}).")
    parser.add_argument("--out", required=True, help="the file to write ('-' for standard output)")
    add_today(parser, "judge freshness at this date (default: today)")
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                        help="export only what this audience may see (default: internal)")
