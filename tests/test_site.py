"""Writing the Markdown tree: only changed files, never over hand-written work."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.core.problems import PlaybookError
from generator.rules.project import load_playbook
from generator.site.site import MARKER, Tree, generate, navigation, write_tree

from .conftest import FIXTURES, READER_TODAY, edit, edit_file

TODAY = date(2026, 4, 1)


def test_rewrite_touches_only_changed_files(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert write_tree(generate(basic, TODAY), basic, out) == (15, 0)  # 13 pages, 1 hand-written, the change feed
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    assert write_tree(generate(basic, TODAY), basic, out) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == before
    mql = basic / "content/stages/mql.yaml"
    edit_file(mql, "Marketing qualified lead", "Marketing-qualified lead")
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


@pytest.mark.parametrize("target", ["content/newdir", "docs/built", "schemas/x", "templates/md", ".git/md"])
def test_refuses_a_folder_inside_the_source_folders(basic: Path, target: str) -> None:
    """Issue 13, point 13: ``--out content/newdir`` was accepted."""
    (basic / ".git").mkdir()
    with pytest.raises(ValueError, match=r"refusing to write the Markdown tree inside .*: it holds the "
                       r"playbook's sources; choose a folder outside it"):
        write_tree(generate(basic, TODAY), basic, basic / target)
    assert not (basic / target).exists()


def test_never_follows_symbolic_links_in_an_earlier_build(basic: Path, tmp_path: Path) -> None:
    """Issue 13, point 13: a link planted in an earlier build made the next one overwrite a file
    outside it."""
    out = tmp_path / "md"
    write_tree(generate(basic, TODAY), basic, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("keep me")
    (out / "stages/mql.md").unlink()
    (out / "stages/mql.md").symlink_to(victim)
    (out / "index.md").unlink()
    (out / "index.md").symlink_to(victim)
    (out / "stray.md").symlink_to(victim)
    shutil.rmtree(out / "teams")
    (out / "teams").symlink_to(elsewhere, target_is_directory=True)
    (out / MARKER).unlink()
    (out / MARKER).symlink_to(victim)
    write_tree(generate(basic, TODAY), basic, out)
    assert victim.read_text() == "precious"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.md"]
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert "Marketing qualified lead" in (out / "stages/mql.md").read_text()
    assert (out / "teams/revops.md").is_file()


def test_a_hand_written_page_that_is_not_utf8_is_a_located_problem(basic: Path) -> None:
    """Issue 13, point 8: check passed, then build ended in UnicodeDecodeError."""
    (basic / "docs/notes.md").write_bytes(b"# Notes\n\nCaf\xe9 au lait\n")
    assert [str(p) for p in load_playbook(basic)[1]] == [
        "docs/notes.md:3:4: error: file is not valid UTF-8 text",
    ]
    with pytest.raises(PlaybookError, match=r"docs/notes\.md:3:4: error: file is not valid UTF-8 text"):
        generate(basic, TODAY, "partner")


# ---------------------------------------------------------------------------
# A collection the company does not use: hidden when empty, or switched off


def _tree_mentions(tree: Tree, name: str, title: str) -> list[str]:
    pages = tree.pages
    found = [p for p in pages if p.startswith(f"{name}/")]
    found += [f"nav: {entry}" for entry in navigation(tree, list(pages)) if isinstance(entry, dict) and title in entry]
    found += [f"{path}: {title}" for path, text in pages.items() if title in text]
    return found


def test_a_collection_without_records_is_hidden(basic: Path) -> None:
    (basic / "schemas/calendar.schema.json").write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-playbook": {"title": "Company '
        'calendar"}, "type": "object", "required": ["title", "owner", "last_reviewed"], "properties": {'
        '"title": {"type": "string"}, "owner": {"type": "string", "x-ref": "@owners"}, '
        '"last_reviewed": {"type": "string", "format": "date"}}, "additionalProperties": false}')
    tree = generate(basic, date(2026, 4, 1))
    assert _tree_mentions(tree, "calendar", "Company calendar") == []  # no page, nav entry or home row
    assert _tree_mentions(tree, "stages", "Lifecycle stages") != []  # what the check above looks for
    (basic / "content/calendar").mkdir()
    (basic / "content/calendar/new-year.yaml").write_text("title: New Year\nowner: revops\n"
                                                          "last_reviewed: 2026-01-10\n")
    tree = generate(basic, date(2026, 4, 1))
    assert "nav: {'Company calendar': 'calendar/new-year.md'}" in _tree_mentions(tree, "calendar", "Company calendar")


def test_a_switched_off_collection_is_neither_read_nor_published(basic: Path) -> None:
    (basic / "playbook.yml").write_text("company: Basic\nswitched_off: [slas]\n")
    sla = basic / "content/slas/mql-follow-up.yaml"
    sla.write_text(sla.read_text() + "not_a_field: its records are not read\n")
    playbook, problems = load_playbook(basic)
    assert problems == [] and "slas" not in playbook.collections
    assert [r for r in playbook.records.values() if r.collection == "slas"] == []
    tree = generate(basic, date(2026, 4, 1))
    assert _tree_mentions(tree, "slas", "Service-level agreements") == []


def test_switching_off_what_is_no_collection_is_a_problem(basic: Path) -> None:
    (basic / "playbook.yml").write_text("company: Basic\nswitched_off: [calender]\n")
    _, problems = load_playbook(basic)
    assert [str(p) for p in problems] == [
        "playbook.yml:2:16: error: switched_off: 'calender' is not a collection (collections: people, "
        "slas, stages, teams)"]


# ---------------------------------------------------------------------------
# The incremental rebuild (mkdocs serve): pages that cannot have changed keep their Markdown


def _records(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "content").glob("*/*.yaml"))


REVIEWED = re.compile(r"^last_reviewed: .*$", re.MULTILINE)


@pytest.mark.parametrize("fixture", ["basic", "reader"])
@pytest.mark.parametrize("change", ["title", "last_reviewed"])
def test_an_edit_rebuilds_exactly_what_a_full_build_writes(tmp_path: Path, fixture: str, change: str) -> None:
    """Every record edited in turn, its title (shown on the pages that link the record) or its
    review date (its status, shown where it is listed): the incremental tree is the full one,
    page for page, and pages no change reaches are kept."""
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    today = date.fromisoformat(READER_TODAY) if fixture == "reader" else TODAY
    tree = generate(root, today)
    kept = 0
    for rel in _records(root):
        page = rel.removeprefix("content/").replace(".yaml", ".md")
        if change == "title":
            edit(root, rel, "title: ", "title: Renamed ")
        else:
            text = (root / rel).read_text(encoding="utf-8")
            assert REVIEWED.search(text), rel
            (root / rel).write_text(REVIEWED.sub("last_reviewed: 2020-01-01", text), encoding="utf-8")
        again = generate(root, today, previous=tree)
        assert again.pages == generate(root, today).pages, rel
        assert again.pages[page] != tree.pages[page], rel
        kept += sum(1 for p, md in again.pages.items() if md is tree.pages.get(p))
        tree = again
    if fixture == "reader":  # in `basic` every record is within two steps of every other
        assert kept > 0  # some pages were reused, not rendered again


def test_a_changed_reference_rebuilds_the_referring_and_the_referred_pages(basic: Path) -> None:
    tree = generate(basic, TODAY)
    edit(basic, "content/slas/mql-follow-up.yaml", "stages: [mql]", "stages: [sql]")
    again = generate(basic, TODAY, previous=tree)
    assert again.pages == generate(basic, TODAY).pages
    for page in ("slas/mql-follow-up.md", "stages/mql.md", "stages/sql.md"):  # the SLA, the stage it left and joined
        assert again.pages[page] != tree.pages[page], page
    assert "[Sales qualified lead](../stages/sql.md)" in again.pages["slas/mql-follow-up.md"]


def test_pages_no_change_reaches_are_reused(tmp_path: Path) -> None:
    root = tmp_path / "reader"
    shutil.copytree(FIXTURES / "reader", root)
    today = date.fromisoformat(READER_TODAY)
    tree = generate(root, today)
    edit(root, "content/personas/head-of-data.yaml", "title: ", "title: Renamed ")
    again = generate(root, today, previous=tree)
    assert again.pages == generate(root, today).pages
    assert again.pages["slas/scoping-handover.md"] is tree.pages["slas/scoping-handover.md"]
    assert again.pages["personas/head-of-data.md"] != tree.pages["personas/head-of-data.md"]


def test_a_deleted_record_disappears_from_an_incremental_rebuild(basic: Path) -> None:
    tree = generate(basic, TODAY)
    (basic / "content/slas/mql-follow-up.yaml").unlink()
    again = generate(basic, TODAY, previous=tree)
    assert "slas/mql-follow-up.md" not in again.pages and "slas/mql-follow-up.md" in tree.pages
    assert again.pages == generate(basic, TODAY).pages


def test_a_changed_template_renders_every_page_again(basic: Path) -> None:
    tree = generate(basic, TODAY)
    template = basic / "templates" / "stages.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nStage page.\n", encoding="utf-8")
    again = generate(basic, TODAY, previous=tree)
    assert again.pages == generate(basic, TODAY).pages
    assert [p for p, md in again.pages.items() if md is tree.pages.get(p)] == []


def test_hand_written_pages_and_folders_are_named_like_fields(basic: Path) -> None:
    from generator.site.site import documents

    (basic / "docs/win_loss-reviews.md").write_text("No heading here.\n")
    (basic / "docs/team_rituals").mkdir()
    (basic / "docs/team_rituals/weekly.md").write_text("# Weekly\n")
    assert documents({"win_loss-reviews.md": basic / "docs/win_loss-reviews.md"}) == {
        "win_loss-reviews.md": "Win loss reviews"}
    tree = generate(basic, TODAY)
    assert {"Team rituals": ["team_rituals/weekly.md"]} in navigation(tree, [*tree.pages, "team_rituals/weekly.md"])
