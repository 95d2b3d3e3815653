"""The one test of the bundled starter playbook (the repository's own content/, schemas/, templates/,
docs/ and mkdocs.yml): it checks clean, and a real, strict MkDocs build writes a page for every
record and every collection.

It also checks that the repository's generated, committed files are up to date.

Every other test runs on the fixture playbooks under tests/fixtures/: the starter may change, or be
replaced by a company's own playbook, freely. So nothing here pins its wording, ids or numbers.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from generator.cli import main
from generator.commands import parser
from generator.rules.project import load_playbook

from .conftest import REPO, mkdocs_build


def test_starter_playbook_checks_with_no_error_and_no_warning() -> None:
    """Every check, the consistency checks against the repository's history included (a clone
    with its history, as CI's: review dates after each record's first commit, no placeholder)."""
    out = io.StringIO()
    assert main(["check", "--root", str(REPO)], out) == 0, out.getvalue()
    assert out.getvalue() == "playbook check: no problems found\n"


@pytest.mark.site
def test_starter_playbook_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(REPO, "--quiet", today="2026-11-23", site=site)
    assert result.returncode == 0, result.stderr
    playbook, _ = load_playbook(REPO)
    assert playbook.records
    missing = [
        record.file for record in playbook.records.values()
        if not (site / record.collection / record.id / "index.html").is_file()
    ]
    assert missing == []
    for name in playbook.collections:
        assert (site / name / "index.html").is_file(), name


def _checking_commands() -> list[str]:
    """Every command that writes a file the repository commits, found by its ``--check`` option
    (``playbook codeowners``, ``playbook editor``, and any added later)."""
    top = parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(name for name, command in sub.choices.items()
                  if any("--check" in a.option_strings for a in command._actions))


def test_every_generated_file_the_repository_commits_is_up_to_date() -> None:
    """The bundled playbook's generated, committed files (CODEOWNERS, the editor's schema
    mapping, ...) match what their command writes today: `make test` fails where CI would."""
    commands = _checking_commands()
    assert {"codeowners", "editor"} <= set(commands)
    stale = {}
    for name in commands:
        out = io.StringIO()
        if main([name, "--check", "--root", str(REPO)], out) != 0:
            stale[name] = out.getvalue()
    assert stale == {}
