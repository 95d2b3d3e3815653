"""``playbook build --out DIR``: write a self-contained site project (:mod:`generator.site.project_out`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..core.problems import PlaybookError
from ..rules.audience import AUDIENCES, DEFAULT
from ..site.project_out import ConfigError, read_options, write_project
from ..site.site import OutputError, generate
from ._base import OK, AddCommand, UsageError, add_format, add_today, playbook_root, report, today_of


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    try:
        tree = generate(root, today_of(args), args.audience, read_options(root))
        written, removed = write_project(tree, root, Path(args.out), today_of(args))
    except PlaybookError as exc:
        return report(exc.problems, out, args.format)
    except (ConfigError, OutputError) as exc:  # any other error is a bug (exit 3), not the user's
        raise UsageError(str(exc)) from None
    if args.format == "text":
        out.write(f"playbook build: {len(tree.pages)} generated pages in {args.out} "
                  f"({written} files written, {removed} removed)\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("build", run, "Write a self-contained site project (Markdown tree, assets, "
                     "mkdocs.yml) that Zensical or MkDocs builds without the plugin.")
    parser.add_argument("--out", required=True, help="the folder to write (new, empty, or a previous build)")
    add_today(parser)
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                        help="build only what this audience may see (default: internal)")
    add_format(parser)
