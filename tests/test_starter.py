"""Smoke test of the bundled starter playbook (the repository's own content/, schemas/, templates/).

Only that it checks clean and that a real, strict MkDocs build writes a page for every record:
the starter content may change freely, so nothing here pins its wording or numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.cli import main
from generator.project import load_playbook

REPO = Path(__file__).parent.parent


def test_starter_playbook_checks_clean(capsys) -> None:
    assert main(["check", "--root", str(REPO)]) == 0
    assert capsys.readouterr().out == "playbook check: no problems found\n"


def test_starter_playbook_builds_a_page_for_every_record(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": "2026-11-23"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(REPO / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
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
