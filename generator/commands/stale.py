"""``playbook stale``: the records that are overdue, need re-review or are due soon.

Exit status: 0, or 1 with ``--fail`` when a listed record is overdue; 1 when the playbook itself
has errors (the report would be incomplete), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..core import escape
from ..history import gitrepo
from ..repo.stale import FORMATS, Report, build_report, format_markdown, printable
from ._base import OK, PROBLEMS, AddCommand, UsageError, add_today, load_or_report, today_of


def link_base(text: str) -> str:
    if escape.safe_url(text, ("https",)) is None:
        raise argparse.ArgumentTypeError(f"not an https:// URL: {text!r}")
    return text.rstrip("/")


def _relative(root: Path, path: str) -> str:
    candidate = (Path.cwd() / path).resolve()
    if candidate.is_relative_to(root):
        return candidate.relative_to(root).as_posix()
    return Path(path).as_posix()


def selected_files(args: argparse.Namespace, root: Path) -> list[str] | None:
    """The files ``--files`` and ``--changed-since`` name, or None when neither is given."""
    files, since = getattr(args, "files", None), getattr(args, "changed_since", None)
    if files is None and since is None:
        return None
    chosen = [_relative(root, p) for p in files or []]
    if since is not None:
        try:
            chosen += gitrepo.changed_files(root, since)
        except gitrepo.GitError as exc:
            raise UsageError(f"--changed-since: {printable(exc)}") from None
    return chosen


def load_report(args: argparse.Namespace, out: TextIO) -> Report | None:
    """The report the arguments ask for; None (problems written to ``out``) when the playbook
    has errors."""
    root, playbook = load_or_report(args, out)
    if playbook is None:
        return None
    return build_report(playbook, today_of(args), selected_files(args, root))


def add_report_options(parser: argparse.ArgumentParser) -> None:
    add_today(parser)
    parser.add_argument("--link-base", type=link_base, metavar="URL",
                        help="link record files in Markdown to URL/<file>, e.g. "
                        "https://github.com/ORG/REPO/blob/main")


def run(args: argparse.Namespace, out: TextIO) -> int:
    report = load_report(args, out)
    if report is None:
        return PROBLEMS
    if args.format == "markdown":
        out.write(format_markdown(report, args.link_base))
    else:
        out.write(FORMATS[args.format](report))
    return PROBLEMS if args.fail and report.overdue else OK


def register(command: AddCommand) -> None:
    parser = command("stale", run, "List records that are overdue, need re-review or are due soon.")
    add_report_options(parser)
    parser.add_argument("--format", choices=list(FORMATS), default="text")
    parser.add_argument("--fail", action="store_true", help="exit 1 when a listed record is overdue")
    parser.add_argument("--files", nargs="*", metavar="PATH",
                        help="only these content files (others are ignored), e.g. the files a pull "
                        "request changes")
    parser.add_argument("--changed-since", metavar="REV",
                        help="only the content files changed since this git revision")
