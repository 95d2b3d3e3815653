"""``playbook build --out DIR``: write a self-contained site project (:mod:`generator.site.project_out`)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TextIO

from ..core.problems import PlaybookError
from ..rules.audience import AUDIENCES, DEFAULT
from ..site import watch
from ..site.project_out import ConfigError, read_options, write_project
from ..site.site import OutputError, Tree, generate
from ._base import OK, AddCommand, UsageError, add_format, add_today, playbook_root, report, today_of


def build_once(args: argparse.Namespace, out: TextIO,
               previous: Tree | None = None) -> tuple[int, Tree | None]:
    """One build of the project; its exit status and its tree (None when it had problems)."""
    root = playbook_root(args.root)
    try:
        tree = generate(root, today_of(args), args.audience, read_options(root), previous=previous)
        written, removed = write_project(tree, root, Path(args.out), today_of(args))
    except PlaybookError as exc:
        return report(exc.problems, out, args.format), None
    except (ConfigError, OutputError) as exc:  # any other error is a bug (exit 3), not the user's
        raise UsageError(str(exc)) from None
    if args.format == "text":
        out.write(f"playbook build: {len(tree.pages)} generated pages in {args.out} "
                  f"({written} files written, {removed} removed)\n")
    out.flush()
    return OK, tree


def run(args: argparse.Namespace, out: TextIO) -> int:
    code, tree = build_once(args, out)
    if not args.watch:
        return code

    def rebuild() -> None:
        nonlocal tree
        out.write(f"playbook build: sources changed at {time.strftime('%H:%M:%S')}, building again\n")
        _, fresh = build_once(args, out, tree)
        tree = fresh or tree  # with problems, the project keeps the last good build
        out.flush()

    out.write(f"playbook build: watching {playbook_root(args.root)} for changes (Ctrl-C stops)\n")
    out.flush()
    try:
        watch.watch(playbook_root(args.root), rebuild)
    except KeyboardInterrupt:
        out.write("playbook build: stopped watching\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("build", run, "Write a self-contained site project (Markdown tree, assets, "
                     "mkdocs.yml) that Zensical or MkDocs builds without the plugin.")
    parser.add_argument("--out", required=True, help="the folder to write (new, empty, or a previous build)")
    add_today(parser)
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT,
                        help="build only what this audience may see (default: internal)")
    parser.add_argument("--watch", action="store_true",
                        help="keep the project current: build again whenever the sources change (for "
                        "`zensical serve` in DIR; Ctrl-C stops)")
    add_format(parser)
