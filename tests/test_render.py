"""Rendering: golden Markdown for the basic fixture, template errors, and data that stays data."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.core.problems import PlaybookError
from generator.rules.project import load_playbook
from generator.site.render import render_pages
from generator.site.site import EXTRA_PAGES

from .conftest import edit, edit_file

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
    edit_file(mql,
        "summary: A lead marketing judges ready for a sales conversation.",
        "summary: \"{{ 7 * 7 }} {% include '_home.md.j2' %} {{ config }}\"",
    )
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
    from generator.site.render import relative

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
    monkeypatch.setattr("generator.site.render.COMMON_FIELDS", None)
    playbook, _ = load_playbook(basic)
    with pytest.raises(TypeError, match="'NoneType' object is not iterable"):
        render_pages(playbook, TODAY)


# ---------------------------------------------------------------------------
# Fields a template does not place are still shown


def _add_buyer_fields(root: Path) -> None:
    """Two fields added to the buyers' schema (and a buyer), which their template never names."""
    path = root / "schemas/buyers.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["deal_breakers"] = {"type": "array", "title": "Deal-breakers",
                                             "items": {"type": "string"}}
    schema["properties"]["budget_owner"] = {"type": "string", "title": "Holds the budget"}
    path.write_text(json.dumps(schema, indent=1))
    buyer = root / "content/buyers/head-of-logistics.yaml"
    buyer.write_text(buyer.read_text() + "budget_owner: \"<script>alert(1)</script> *the CFO*\"\n"
                     "deal_breakers: [No API, '[a link](javascript:alert(1))']\n")


def test_a_field_the_template_does_not_place_is_shown_in_schema_order(tmp_path: Path) -> None:
    root = tmp_path / "walkthrough"
    shutil.copytree(Path(__file__).parent / "fixtures/walkthrough", root)
    template = (root / "templates/buyers.md.j2").read_bytes()
    _add_buyer_fields(root)
    page = render(root)["buyers/head-of-logistics.md"]
    assert (root / "templates/buyers.md.j2").read_bytes() == template  # no template change
    rest = page.partition("## Rivals they compare us with")[2]
    # After what the template placed, in the schema's order (deal_breakers first), titled from it,
    # escaped as every other value.
    assert rest.index("## Deal-breakers\n\n- No API\n- \\[a link\\]\\(javascript:alert\\(1\\)\\)\n") \
        < rest.index("## Holds the budget\n\n&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*the CFO\\*\n")
    # A field the template read is not repeated: the job titles and the battlecard.
    assert "## Job titles" not in page and "## Battlecard" not in page


def test_a_field_a_template_omits_on_purpose_stays_off_the_page(tmp_path: Path) -> None:
    root = tmp_path / "walkthrough"
    shutil.copytree(Path(__file__).parent / "fixtures/walkthrough", root)
    _add_buyer_fields(root)
    template = root / "templates/buyers.md.j2"
    edit_file(template,
        "{% endblock %}", '{{ fields.omit("budget_owner") }}\n{% endblock %}')
    page = render(root)["buyers/head-of-logistics.md"]
    assert "## Deal-breakers" in page and "Holds the budget" not in page


def test_only_values_of_references_become_links(basic: Path) -> None:
    """Text that equals a record's id is text; a value of an ``x-ref`` field links (issue 25)."""
    (basic / "content/teams/ops.yaml").write_text("title: Operations\nowner: dana-reyes\nlast_reviewed: 2026-01-10\n")
    edit(basic, "content/stages/mql.yaml", "abbreviation: MQL", "abbreviation: ops")
    edit(basic, "templates/stages.md.j2", "{% block body %}\n", "{% block body %}\n"
         '{% set t = page.target(data.abbreviation) %}{{ page.link(t) if t else "ABBREVIATION-IS-TEXT" }}\n'
         '{% set o = page.target(data.owning_team) %}{{ page.link(o) if o else "OWNING-TEAM-IS-TEXT" }}\n')
    page = render(basic)["stages/mql.md"]
    assert "ABBREVIATION-IS-TEXT" in page
    assert "OWNING-TEAM-IS-TEXT" not in page
