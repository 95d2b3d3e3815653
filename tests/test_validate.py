"""Messages a non-programmer can act on: quoting hints, patterns in words, every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

from generator.rules.project import load_playbook

from .conftest import edit_file


def messages(root: Path) -> list[str]:
    return [str(p) for p in load_playbook(root)[1]]


def test_a_mapping_where_text_was_expected_suggests_quotes(basic: Path) -> None:
    stage = basic / "content/stages/mql.yaml"
    edit_file(stage, "  - Fit grade A or B\n", "  - Fit grade: A or B\n")
    assert messages(basic) == [
        "content/stages/mql.yaml:12:5: error: entry_criteria[0]: expected text, found a mapping; YAML read "
        "'Fit grade: A or B' as a field and its value because of the ': ' in it: put the whole text in "
        'double quotes, like "Fit grade: A or B"'
    ]


def test_a_pattern_failure_is_explained_in_words_never_as_a_regular_expression(basic: Path) -> None:
    person = basic / "content/people/dana-reyes.yaml"
    edit_file(person, "github: dana-reyes", "github: '@dana reyes'")
    schema = basic / "schemas/people.schema.json"
    data = json.loads(schema.read_text())
    assert "^" in data["properties"]["github"]["pattern"]
    assert messages(basic) == [
        "content/people/dana-reyes.yaml:6:9: error: github: the text '@dana reyes' does not have the expected "
        "form (GitHub handle)"
    ]
    data["properties"]["github"].update(description="A user name, without the @.", examples=["dana-reyes"])
    schema.write_text(json.dumps(data))
    assert messages(basic) == [
        "content/people/dana-reyes.yaml:6:9: error: github: the text '@dana reyes' does not have the expected "
        "form (A user name, without the @), for example 'dana-reyes'"
    ]


def test_a_duplicate_key_is_reported_with_the_files_other_problems(basic: Path) -> None:
    stage = basic / "content/stages/sql.yaml"
    stage.write_text(stage.read_text() + "order: 7\nsumary: typo\n")
    found = messages(basic)
    assert [m.split(": error: ")[1] for m in found if m.startswith("content/stages/sql.yaml")] == [
        "duplicate key 'order' (it is already set at line 5): keep one of the two",
        "unknown field 'sumary' (did you mean 'summary'?)",
    ]


def test_numbers_and_lengths_read_as_sentences(basic: Path) -> None:
    stage = basic / "content/stages/sql.yaml"
    edit_file(stage, "order: 3", "order: 0")
    assert messages(basic) == ["content/stages/sql.yaml:5:8: error: order: must be at least 1 (found the number 0)"]


def test_a_renamed_field_names_its_new_name(basic: Path) -> None:
    schema = basic / "schemas/stages.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["abbreviation"]["x-replaces"] = ["short_name", "acronym"]
    schema.write_text(json.dumps(data))
    stage = basic / "content/stages/sql.yaml"
    edit_file(stage, "abbreviation: SQL", "short_name: SQL")
    assert messages(basic) == [
        "content/stages/sql.yaml:4:1: error: 'short_name' is now called 'abbreviation': rename the field (its "
        "value stays as it is)"
    ]
