"""Rendering: golden Markdown for the basic fixture, template errors, and data that stays data."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.problems import PlaybookError
from generator.project import load_playbook
from generator.render import render_pages
from generator.site import EXTRA_PAGES

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 4, 1)


def render(root: Path) -> dict[str, str]:
    playbook, problems = load_playbook(root)
    assert problems == []
    return render_pages(playbook, TODAY, EXTRA_PAGES)


def test_basic_fixture_matches_golden_files(basic: Path) -> None:
    """Set UPDATE_GOLDEN=1 to rewrite tests/golden/basic after an intended change; review the diff."""
    pages = render(basic)
    folder = GOLDEN / "basic"
    if os.environ.get("UPDATE_GOLDEN"):
        for old in folder.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], path


def test_output_is_deterministic(basic: Path) -> None:
    assert render(basic) == render(basic)


def test_data_is_never_evaluated_as_a_template(basic: Path) -> None:
    mql = basic / "content/stages/mql.yaml"
    mql.write_text(mql.read_text().replace(
        "summary: A lead marketing judges ready for a sales conversation.",
        "summary: \"{{ 7 * 7 }} {% include '_home.md.j2' %} {{ config }}\"",
    ))
    page = render(basic)["stages/mql.md"]
    assert "\\{\\{ 7 \\* 7 \\}\\} \\{% include '\\_home.md.j2' %\\} \\{\\{ config \\}\\}" in page
    assert "49" not in page


def test_collection_without_a_template_is_rendered_from_its_schema(basic: Path) -> None:
    assert not (basic / "templates/people.md.j2").exists()
    page = render(basic)["people/dana-reyes.md"]
    assert "## Role\n\nRevenue operations lead\n" in page
    assert "## Team\n\n[Revenue operations](../teams/revops.md)\n" in page


def test_template_syntax_error_is_located(basic: Path) -> None:
    (basic / "templates/stages.md.j2").write_text('{% extends "_record.md.j2" %}\n{% block body %}\n{{ data.x \n')
    playbook, _ = load_playbook(basic)
    with pytest.raises(PlaybookError) as caught:
        render_pages(playbook, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "templates/stages.md.j2:3:1: error: template error: TemplateSyntaxError: unexpected end of template, "
        "expected 'end of print statement'."
    ]


def test_template_runtime_error_is_located(basic: Path) -> None:
    (basic / "templates/stages.md.j2").write_text(
        '{% extends "_record.md.j2" %}\n{% block body %}\n\n{{ data.order + "x" }}\n{% endblock %}\n'
    )
    playbook, _ = load_playbook(basic)
    with pytest.raises(PlaybookError) as caught:
        render_pages(playbook, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "templates/stages.md.j2:4:1: error: template error: TypeError: unsupported operand type(s) for +: "
        "'int' and 'str'"
    ]


def test_relative_links_between_pages() -> None:
    from generator.render import relative

    assert relative("teams/sales.md", "stages/mql.md") == "../teams/sales.md"
    assert relative("stages/sql.md", "stages/mql.md") == "sql.md"
    assert relative("stages/index.md", "index.md") == "stages/index.md"
    assert relative("index.md", "index.md") == "index.md"


def test_filter_given_a_bad_argument_is_a_located_template_error(basic: Path) -> None:
    (basic / "templates/stages.md.j2").write_text(
        '{% extends "_record.md.j2" %}\n{% block body %}\n\n{{ "20261123" | long_date }}\n{% endblock %}\n'
    )
    playbook, _ = load_playbook(basic)
    with pytest.raises(PlaybookError) as caught:
        render_pages(playbook, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "templates/stages.md.j2:4:1: error: template error: TemplateRuntimeError: long_date: not a real date "
        "written YYYY-MM-DD: '20261123'"
    ]


def test_a_bug_in_the_generator_is_raised_not_reported_as_a_template_error(
        basic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fault inside the generator's own code (not the template's): ``set(None)`` in render.py.
    monkeypatch.setattr("generator.render.COMMON_FIELDS", None)
    playbook, _ = load_playbook(basic)
    with pytest.raises(TypeError, match="'NoneType' object is not iterable"):
        render_pages(playbook, TODAY)
