"""Malformed schemas and annotations are located problems (issue 13, points 2 and 9): never a
traceback, never a confidentiality mark silently ignored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.core.problems import PlaybookError
from generator.rules.project import load_playbook
from generator.site.site import generate

from .conftest import edit

STAGES = "schemas/stages.schema.json"
COMMON = "schemas/_common.schema.json"
# Line 5 of the fixture's stages schema, for reference:
#   "x-playbook": {"title": "Lifecycle stages", "order": 10, "review_days": 90, "sort": "order",


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_playbook(root)[1]]


# Confidentiality marks (point 2): a typo is an error, never a public field.
AUDIENCE_FIELD = '"abbreviation": {"type": "string", "title": "Abbreviation"}'


@pytest.mark.parametrize(("mark", "expected"), [
    ('"x-audience": "Internal"',
     "schemas/stages.schema.json:16:79: error: x-audience: must be one of: internal, partner, public "
     "(found the text 'Internal'); did you mean 'internal'?"),
    ('"x-audience": "internl"',
     "schemas/stages.schema.json:16:79: error: x-audience: must be one of: internal, partner, public "
     "(found the text 'internl'); did you mean 'internal'?"),
    ('"x-audience": ["internal"]',
     "schemas/stages.schema.json:16:79: error: x-audience: must be one of: internal, partner, public "
     "(found a list)"),
    ('"x-audiance": "internal"',
     "schemas/stages.schema.json:16:65: error: unknown annotation 'x-audiance'; did you mean 'x-audience'?"),
    ('"X-Audience": "internal"',
     "schemas/stages.schema.json:16:65: error: unknown keyword 'X-Audience'; did you mean 'x-audience'?"),
    ('"audience": "internal"',
     "schemas/stages.schema.json:16:65: error: unknown keyword 'audience'; did you mean 'x-audience'?"),
    ('"colour": "red"',
     "schemas/stages.schema.json:16:65: error: unknown keyword 'colour' (neither a JSON Schema keyword "
     "nor a playbook annotation)"),
    ('"x-confidential": true',
     "schemas/stages.schema.json:16:65: error: unknown annotation 'x-confidential' (annotations: "
     "x-audience, x-drift, x-error, x-metadata, x-playbook, x-ref, x-replaces)"),
])
def test_a_misspelt_confidentiality_mark_is_a_located_error(basic: Path, mark: str, expected: str) -> None:
    edit(basic, STAGES, AUDIENCE_FIELD, AUDIENCE_FIELD[:-1] + ", " + mark + "}")
    assert problems_of(basic) == [expected]


def test_an_invalid_confidentiality_mark_hides_the_field(basic: Path) -> None:
    """Made harmless fail-closed: the field is treated as internal (the error still stops builds)."""
    edit(basic, STAGES, AUDIENCE_FIELD, AUDIENCE_FIELD[:-1] + ', "x-audience": "Internal"}')
    playbook, problems = load_playbook(basic)
    assert problems[0].message.startswith("x-audience: must be one of")
    assert playbook.collections["stages"].schema["properties"]["abbreviation"]["x-audience"] == "internal"
    with pytest.raises(PlaybookError):
        generate(basic, date(2026, 4, 1), "public")


def test_a_shared_schema_that_is_not_a_json_schema(basic: Path) -> None:
    edit(basic, COMMON, '"minLength": 1,', '"minLength": "one",')
    assert problems_of(basic) == [
        "schemas/_common.schema.json:1:1: error: invalid JSON Schema at $defs/title/minLength: 'one' is not "
        "of type 'integer'",
        *[f'schemas/{name}.schema.json:1:1: error: the owner property must name its owner records with "x-ref" '
          '("@owners": the owner collections of playbook.yml)'
          for name in ("people", "slas", "stages", "teams")],
    ]


def test_annotations_in_shared_definitions_are_checked(basic: Path) -> None:
    edit(basic, COMMON, '"x-ref": ["people", "teams"]', '"x-ref": 5')
    assert problems_of(basic) == [
        "schemas/_common.schema.json:15:16: error: x-ref: must name a collection, or list the collections, "
        "whose records the field names (\"*\": any collection; \"@owners\": the owner collections of "
        "playbook.yml) (found the number 5)",
        *[f'schemas/{name}.schema.json:1:1: error: the owner property must name its owner records with "x-ref" '
          '("@owners": the owner collections of playbook.yml)'
          for name in ("people", "slas", "stages", "teams")],
    ]


# Malformed x-playbook settings (point 9): each a located error, none a traceback.
@pytest.mark.parametrize(("old", "new", "expected"), [
    ('"order": 10', '"order": "abc"',
     ["schemas/stages.schema.json:5:56: error: x-playbook.order: must be a whole number "
      "(found the text 'abc')"]),
    ('"review_days": 90', '"review_days": "x"',
     ["schemas/stages.schema.json:5:75: error: x-playbook.review_days: must be a whole number of days "
      "from 1 to 3650 (found the text 'x')"]),
    ('"review_days": 90', '"review_days": 0',
     ["schemas/stages.schema.json:5:75: error: x-playbook.review_days: must be a whole number of days "
      "from 1 to 3650 (found the number 0)"]),
    ('"sort": "order"', '"sort": {"a": 1}',
     ["schemas/stages.schema.json:5:87: error: x-playbook.sort: must name the field records are sorted by "
      "(found a mapping)"]),
    ('"sort": "order"', '"sort": "ordr"',
     ["schemas/stages.schema.json:5:87: error: x-playbook.sort: 'ordr' is not a field of this collection; "
      "did you mean 'order'?"]),
    ('{"field": "owning_team"}', '{"title": "Team"}',
     ["schemas/stages.schema.json:6:75: error: x-playbook.columns[1]: missing the setting 'field'"]),
    ('{"field": "owning_team"}', '{"field": "owning_team", "widht": 3}',
     ["schemas/stages.schema.json:6:100: error: x-playbook.columns[1]: unknown setting 'widht' "
      "(settings: field, title)"]),
    ('"order": 10,', '"order": 10, "colums": [],',
     ["schemas/stages.schema.json:5:60: error: x-playbook: unknown setting 'colums'; did you mean 'columns'?"]),
    ('"glossary": {"term": "abbreviation", "definition": "summary"}', '"glossary": {"term": "abbreviation"}',
     ["schemas/stages.schema.json:7:30: error: x-playbook.glossary: missing the setting 'definition'"]),
])
def test_malformed_collection_settings_are_located(basic: Path, old: str, new: str, expected: list[str]) -> None:
    edit(basic, STAGES, old, new)
    assert problems_of(basic) == expected


def test_settings_that_are_not_a_mapping(basic: Path) -> None:
    path = basic / STAGES
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4:7] = ['  "x-playbook": [],\n', "\n", "\n"]
    path.write_text("".join(lines), encoding="utf-8")
    assert problems_of(basic) == [
        "schemas/stages.schema.json:5:17: error: x-playbook: must be a mapping of collection settings "
        "(title, order, review_days, sort, columns, glossary, keywords, closures, promise) (found a list)",
    ]


def test_settings_below_the_top_of_a_schema(basic: Path) -> None:
    edit(basic, STAGES, AUDIENCE_FIELD, AUDIENCE_FIELD[:-1] + ', "x-playbook": {"order": 1}}')
    assert problems_of(basic) == [
        "schemas/stages.schema.json:16:65: error: x-playbook: belongs at the top of a collection schema "
        "(schemas/<collection>.schema.json), where it sets the collection's title, order and columns",
    ]


def test_a_self_recursive_reference_is_an_error(basic: Path) -> None:
    edit(basic, STAGES, AUDIENCE_FIELD, '"abbreviation": {"$ref": "#/properties/abbreviation"}')
    assert problems_of(basic) == [
        "schemas/stages.schema.json:16:30: error: $ref: this reference leads back to a schema it is "
        "already part of, without going into a field, so no value could ever be checked against it",
    ]


def test_a_reference_loop_through_shared_definitions(basic: Path) -> None:
    edit(basic, COMMON, '"minLength": 1,', '"minLength": 1, "allOf": [{"$ref": "#/$defs/title"}],')
    assert problems_of(basic) == [
        "schemas/_common.schema.json:7:42: error: $ref: this reference leads back to a schema it is "
        "already part of, without going into a field, so no value could ever be checked against it",
    ]


def test_a_schema_that_is_not_utf8(basic: Path) -> None:
    (basic / "schemas/widgets.schema.json").write_bytes(b'{\n  "title": "caf\xe9"\n}\n')
    assert problems_of(basic) == ["schemas/widgets.schema.json:2:16: error: file is not valid UTF-8 text"]


def test_a_folder_named_like_a_schema(basic: Path) -> None:
    (basic / "schemas/widgets.schema.json").mkdir()
    assert problems_of(basic) == [
        "schemas/widgets.schema.json:1:1: error: not a file: a schema must be a JSON file "
        "(a folder or a symbolic link cannot be one)",
    ]


def test_a_schema_nested_absurdly_deep(basic: Path) -> None:
    (basic / "schemas/widgets.schema.json").write_text('{"allOf": ' + "[" * 5000 + "]" * 5000 + "}")
    assert problems_of(basic) == ["schemas/widgets.schema.json:1:1: error: nesting is deeper than 64 levels"]


def test_the_bundled_schemas_pass_their_meta_schema() -> None:
    from generator.content.schemas import load_schemas

    root = Path(__file__).parent.parent
    assert load_schemas(root)[1] == []


def test_a_key_given_twice_in_a_schema_is_a_located_error(basic: Path) -> None:
    """Issue 24, point 6: "x-audience" twice (internal, then partner) reached the partner export,
    as JSON keeps the last one. Now the schema stops with the duplicate's place."""
    edit(basic, STAGES, AUDIENCE_FIELD,
         '"abbreviation": {"type": "string", "title": "Abbreviation", "x-audience": "internal", '
         '"x-audience": "partner"}')
    line = next(n for n, text in enumerate((basic / STAGES).read_text().splitlines(), 1) if "x-audience" in text)
    text = (basic / STAGES).read_text().splitlines()[line - 1]
    column = text.index('"x-audience": "partner"') + 1
    found = [p for p in problems_of(basic) if p.startswith(STAGES)]
    assert found == [f"{STAGES}:{line}:{column}: error: duplicate key 'x-audience' (it is already set at line "
                     f"{line}): keep one of the two"]
    with pytest.raises(PlaybookError):
        generate(basic, date(2026, 4, 1), "partner")
