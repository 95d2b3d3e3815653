"""Incremental generation: an edit re-reads and re-renders only what it affects, and the
result is exactly a cold build's."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bench.synth import write_playbook as write_synthetic
from generator.cache import Cache
from generator.problems import PlaybookError
from generator.site import generate

TODAY = date(2026, 11, 23)


def _touch_later(path: Path) -> None:
    """Make sure an edit changes the stamp even on a coarse clock."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def _edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _touch_later(path)


def _assert_same_as_cold(root: Path, cache: Cache, today: date = TODAY) -> dict[str, str]:
    warm = generate(root, today, cache)
    cold = generate(root, today)
    assert list(warm.pages) == list(cold.pages)
    assert warm.pages == cold.pages
    assert [str(p) for p in warm.warnings] == [str(p) for p in cold.warnings]
    return warm.pages


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import generator.cache as cache_module

    reads: list[str] = []
    real = cache_module.read_records

    def counting(files, collections):  # type: ignore[no-untyped-def]
        reads.extend(f.file for f in files)
        return real(files, collections)

    monkeypatch.setattr(cache_module, "read_records", counting)
    return reads


def test_first_build_renders_everything_and_equals_a_cold_build(basic: Path) -> None:
    cache = Cache()
    pages = _assert_same_as_cold(basic, cache)
    assert sorted(cache.rendered) == sorted(pages)


def test_rebuild_without_changes_reads_and_renders_only_extra_pages(
    basic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    reads = _counting_reads(monkeypatch)
    _assert_same_as_cold(basic, cache)
    assert reads == []
    assert cache.rendered == ["index.md"]  # the home page is always rendered again


def test_editing_one_record_renders_it_its_neighbours_and_their_indexes(
    basic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    reads = _counting_reads(monkeypatch)
    _edit(basic, "content/stages/sql.yaml", "title: Sales qualified lead", "title: Sales-qualified lead")
    _assert_same_as_cold(basic, cache)
    assert reads == ["content/stages/sql.yaml"]
    # sql names the team sales; mql names sql (next_stages): their pages show its title.
    assert sorted(cache.rendered) == [
        "index.md", "stages/index.md", "stages/mql.md", "stages/sql.md", "teams/index.md", "teams/sales.md",
    ]


def test_changing_a_reference_renders_old_and_new_targets(basic: Path) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    _edit(basic, "content/stages/sql.yaml", "owning_team: sales", "owning_team: revops")
    pages = _assert_same_as_cold(basic, cache)
    assert {"teams/sales.md", "teams/revops.md", "stages/sql.md"} <= set(cache.rendered)
    assert "people/dana-reyes.md" not in cache.rendered
    assert "Sales qualified lead" in pages["teams/revops.md"]


def test_review_date_change_updates_drift_of_records_that_name_it(basic: Path) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    _edit(basic, "content/stages/sql.yaml", "last_reviewed: 2026-02-01", "last_reviewed: 2026-09-01")
    pages = _assert_same_as_cold(basic, cache, date(2026, 4, 1))
    assert "stages/mql.md" in cache.rendered
    assert "Needs re-review" in pages["stages/mql.md"]


@pytest.mark.parametrize("change", ["add", "remove"])
def test_adding_or_removing_a_record_renders_everything(basic: Path, change: str) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    new = basic / "content" / "teams" / "marketing.yaml"
    if change == "add":
        new.write_text("title: Marketing\nowner: dana-reyes\nlast_reviewed: 2026-01-10\n")
    else:
        (basic / "content" / "slas" / "mql-follow-up.yaml").unlink()
    pages = _assert_same_as_cold(basic, cache)
    assert sorted(cache.rendered) == sorted(pages)


@pytest.mark.parametrize("change", [
    lambda root: _edit(root, "schemas/teams.schema.json", '"title": "Teams"', '"title": "Our teams"'),
    lambda root: _edit(root, "templates/stages.md.j2", "**Abbreviation:**", "**Short:**"),
])
def test_schema_or_template_change_starts_over(
    basic: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None]
) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    reads = _counting_reads(monkeypatch)
    change(basic)
    pages = _assert_same_as_cold(basic, cache)
    assert len(reads) == 6
    assert sorted(cache.rendered) == sorted(pages)


def test_another_date_renders_everything(basic: Path) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    pages = _assert_same_as_cold(basic, cache, date(2027, 6, 1))
    assert sorted(cache.rendered) == sorted(pages)


def test_a_failed_build_is_remembered_until_it_is_fixed(basic: Path) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    _edit(basic, "content/stages/sql.yaml", "owning_team: sales", "owning_team: nobody")
    with pytest.raises(PlaybookError) as failed:
        generate(basic, TODAY, cache)
    assert "'nobody' is not a known record in teams" in str(failed.value)
    _edit(basic, "content/stages/sql.yaml", "owning_team: nobody", "owning_team: revops")
    _assert_same_as_cold(basic, cache)
    assert {"stages/sql.md", "teams/sales.md", "teams/revops.md"} <= set(cache.rendered)


def test_a_template_that_reads_the_whole_playbook_renders_everything(basic: Path) -> None:
    (basic / "templates" / "teams.md.j2").write_text(
        '{% extends "_record.md.j2" %}\n{% block body %}\n'
        "Teams: {{ page.records('teams') | length }}. Stages: {{ playbook.in_collection('stages') | length }}\n"
        "{% endblock %}\n"
    )
    cache = Cache()
    generate(basic, TODAY, cache)
    _edit(basic, "content/people/dana-reyes.yaml", "role: Revenue operations lead", "role: RevOps lead")
    pages = _assert_same_as_cold(basic, cache)
    assert sorted(cache.rendered) == sorted(pages)


def test_another_root_starts_over(basic: Path, tmp_path: Path) -> None:
    cache = Cache()
    generate(basic, TODAY, cache)
    other = tmp_path / "synthetic"
    write_synthetic(other, 40)
    pages = _assert_same_as_cold(other, cache)
    assert sorted(cache.rendered) == sorted(pages)


def test_one_edit_in_a_large_playbook_renders_a_few_pages(tmp_path: Path) -> None:
    root = tmp_path / "synthetic"
    write_synthetic(root, 300)
    cache = Cache()
    total = len(generate(root, TODAY, cache).pages)
    target = next((root / "content" / "competitors").glob("*.yaml"))
    text = target.read_text()
    title = text.splitlines()[0]
    _edit(root, target.relative_to(root).as_posix(), title, title + " (renamed)")
    _assert_same_as_cold(root, cache)
    # the record, its neighbours (owner, personas it targets and those that list it, team) and indexes
    assert 3 < len(cache.rendered) < 20 < total
    assert f"competitors/{target.stem}.md" in cache.rendered


def test_mkdocs_serve_keeps_the_plugin_and_its_cache_across_rebuilds(
    basic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``mkdocs serve`` does: on_startup('serve') once, then a new config per rebuild."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-04-01")
    site = tmp_path / "site"

    def config():  # type: ignore[no-untyped-def]
        return load_config(config_file=str(basic / "mkdocs.yml"), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        build(first)
        plugin = first.plugins["playbook"]
        assert sorted(plugin.cache.rendered) == sorted(plugin.tree.pages)
        _edit(basic, "content/stages/sql.yaml", "title: Sales qualified lead", "title: Sales-accepted lead")
        second = config()
        assert second.plugins["playbook"] is plugin
        build(second)
        assert sorted(plugin.cache.rendered) == [
            "index.md", "stages/index.md", "stages/mql.md", "stages/sql.md", "teams/index.md", "teams/sales.md",
        ]
        assert "Sales-accepted lead" in (site / "stages" / "mql" / "index.html").read_text(encoding="utf-8")
    finally:
        first.plugins.on_startup(command="build", dirty=False)  # `build` runs start cold again
    assert plugin.cache is None
