"""``playbook cms [--installed] [--out FILE]``: the form editor's configuration, derived from ``schemas/``.

It has no ``--check``: nothing it writes is committed (every internal build writes the
configuration afresh), so nothing can go stale."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..site import cms
from ._base import OK, AddCommand, UsageError, load_or_report, report


def run(args: argparse.Namespace, out: TextIO) -> int:
    root, playbook = load_or_report(args, out)
    if playbook is None:
        return 1
    if args.installed:
        problems = cms.problems(root)
        if problems:
            return report(problems, out)
        out.write(f"playbook cms: the form editor is installed and configured for "
                  f"{len(playbook.collections)} collections\n")
        return OK
    text = cms.dumps(cms.config(playbook))
    if args.out is None:
        out.write(text)
        return OK
    target = Path(args.out)
    if target.is_dir():
        raise UsageError(f"{target} is a folder: name the file to write, like admin-config.yml")
    target.write_text(text, encoding="utf-8")
    out.write(f"playbook cms: {target} written\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("cms", run, "Print the form editor's (Decap CMS) configuration, made from schemas/ "
                     "and playbook.yml; internal builds serve it at /admin/.")
    parser.add_argument("--installed", action="store_true",
                        help="do not print: fail unless the editor is installed (npm ci), so builds serve it")
    parser.add_argument("--out", help="write the configuration to this file instead of printing it")
