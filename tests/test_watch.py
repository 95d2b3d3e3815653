"""``playbook build --out DIR --watch``: the project follows the sources, keeps its last good
build while they have problems, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.site import watch

from .conftest import BASIC_TODAY, edit_file


def test_stamps_change_with_any_source_and_only_with_sources(basic: Path) -> None:
    before = watch.stamps(basic)
    assert any(p.endswith("content/stages/mql.yaml") for p, _, _ in before)
    (basic / "notes.txt").write_text("not a source")
    assert watch.stamps(basic) == before
    edit_file(basic / "content/stages/mql.yaml", "title: Marketing qualified lead", "title: MQL")
    assert watch.stamps(basic) != before


def test_watch_rebuilds_once_per_change(basic: Path, monkeypatch) -> None:
    calls: list[int] = []
    looks = iter(range(100))

    def sleep(_: float) -> None:  # each look at the sources, with an edit before the second one
        if next(looks) == 1:
            edit_file(basic / "content/stages/mql.yaml", "title: Marketing qualified lead", "title: MQL")

    monkeypatch.setattr(watch.time, "sleep", sleep)
    watch.watch(basic, lambda: calls.append(1), rounds=4)
    assert calls == [1]


def _until(predicate, what: str, limit: float = 120.0) -> None:
    end = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.1)


def test_the_watching_build_follows_edits_and_keeps_the_last_good_project(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "project"
    log = tmp_path / "log.txt"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "build", "--out", str(out), "--watch", "--today", BASIC_TODAY,
             "--root", str(basic)], stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _until(lambda: "watching" in log.read_text(), "the first build")
            page = out / "docs/stages/mql.md"
            assert "Marketing qualified lead" in page.read_text()
            edit_file(basic / "content/stages/mql.yaml", "title: Marketing qualified lead", "title: Lead we market")
            _until(lambda: "Lead we market" in page.read_text(), "the edit in the project")
            edit_file(basic / "content/stages/mql.yaml", "title: Lead we market", "title: [broken")
            _until(lambda: "content/stages/mql.yaml:2:6: error: invalid YAML" in log.read_text(), "the problem")
            assert "Lead we market" in page.read_text()  # the last good build stays
            edit_file(basic / "content/stages/mql.yaml", "title: [broken", "title: Fixed again")
            _until(lambda: "Fixed again" in page.read_text(), "the fix in the project")
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            code = proc.wait(timeout=30)
    text = log.read_text()
    assert code == 0, text
    assert "Traceback" not in text and text.rstrip().endswith("playbook build: stopped watching")
