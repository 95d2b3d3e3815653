"""Smoke test of the bundled starter playbook (the repository's own content/, schemas/, templates/).

Only that it checks clean and that a real, strict MkDocs build writes a page for every record:
the starter content may change freely, so nothing here pins its wording or numbers.
"""

from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.project import load_playbook

from .conftest import REPO, mkdocs_build


def test_starter_playbook_checks_clean(capsys) -> None:
    assert main(["check", "--root", str(REPO)]) == 0
    assert capsys.readouterr().out == "playbook check: no problems found\n"


def test_starter_playbook_builds_a_page_for_every_record(tmp_path: Path) -> None:
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
