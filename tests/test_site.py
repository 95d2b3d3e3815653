"""Writing the Markdown tree: only changed files, never over hand-written work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.site import MARKER, generate, write_tree

TODAY = date(2026, 4, 1)


def test_rewrite_touches_only_changed_files(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert write_tree(generate(basic, TODAY), basic, out) == (13, 0)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    assert write_tree(generate(basic, TODAY), basic, out) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == before
    mql = basic / "content/stages/mql.yaml"
    mql.write_text(mql.read_text().replace("Marketing qualified lead", "Marketing-qualified lead"))
    assert write_tree(generate(basic, TODAY), basic, out) == (5, 0)
    changed = sorted(p.relative_to(out).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
    # the record, its collection index, and the pages that link to it or that it links to
    assert changed == ["slas/mql-follow-up.md", "stages/index.md", "stages/mql.md", "stages/sql.md",
                       "teams/revops.md"]


def test_removed_records_disappear_from_the_tree(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    write_tree(generate(basic, TODAY), basic, out)
    (basic / "content/stages/mql.yaml").unlink()
    for name in ("stages/sql.yaml", "slas/mql-follow-up.yaml"):
        path = basic / "content" / name
        path.write_text(path.read_text().replace("next_stages: [sql]\n", "").replace("stages: [mql]\n", ""))
    write_tree(generate(basic, TODAY), basic, out)
    assert not (out / "stages/mql.md").exists()
    assert (out / MARKER).exists()


def test_refuses_a_folder_it_did_not_make(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.md").write_text("my notes")
    with pytest.raises(ValueError, match="is not empty and was not made by 'playbook build'"):
        write_tree(generate(basic, TODAY), basic, out)
    assert (out / "notes.md").read_text() == "my notes"


@pytest.mark.parametrize("target", [".", "docs", "content", ".."])
def test_refuses_to_write_over_the_playbook(basic: Path, target: str) -> None:
    with pytest.raises(ValueError, match="refusing to write the Markdown tree over"):
        write_tree(generate(basic, TODAY), basic, basic / target)
