"""``playbook editor [--check]``: the editor's schema mapping, derived from ``schemas/``."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..content.schemas import load_schemas
from ..rules import editor
from ._base import OK, AddCommand, UsageError, playbook_root, report


def run(args: argparse.Namespace, out: TextIO) -> int:
    root = playbook_root(args.root)
    collections, _ = load_schemas(root)  # a broken schema is check's to report
    try:
        if args.check:
            problems = editor.editor_problems(root, collections)
            if problems:
                return report(problems, out)
            out.write(f"playbook editor: {editor.SETTINGS} is up to date\n")
            return OK
        changed = editor.write(root, collections)
    except editor.EditorSettingsError as exc:
        raise UsageError(str(exc)) from None
    out.write(f"playbook editor: {editor.SETTINGS} {'written' if changed else 'is up to date'}\n")
    return OK


def register(command: AddCommand) -> None:
    parser = command("editor", run, "Write .vscode/settings.json's mapping of content folders to schemas.")
    parser.add_argument("--check", action="store_true", help="do not write: fail when it is out of date")
