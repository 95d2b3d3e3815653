"""The whole pipeline on fixture playbooks: every kind of content error, located exactly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.rules.project import Memo, load_playbook

from .conftest import edit_file


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_playbook(root)[1]]


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


VALID_STAGE = "title: Lead\nowner: revops\nlast_reviewed: 2026-01-05\norder: 1\ndefinition: Anyone.\nowning_team: sales\n"


def test_valid_fixture_has_no_problems(basic: Path) -> None:
    playbook, problems = load_playbook(basic)
    assert problems == []
    assert sorted(playbook.collections) == ["people", "slas", "stages", "teams"]
    assert list(playbook.collections) == ["stages", "slas", "teams", "people"]  # by x-playbook.order
    assert [r.id for r in playbook.in_collection("stages")] == ["mql", "sql"]  # sorted by `order`


def test_references_and_backlinks(basic: Path) -> None:
    playbook, _ = load_playbook(basic)
    mql = playbook.records[("stages", "mql")]
    assert [r.id for r in mql.references_to()] == ["revops", "sql"]
    assert [r.id for r in mql.references_to(drifting=True)] == ["revops", "sql"]
    assert [r.key for r in mql.referenced_by()] == [("slas", "mql-follow-up")]
    revops = playbook.records[("teams", "revops")]
    # the owner reference is marked x-drift: false
    dana = playbook.records[("people", "dana-reyes")]
    assert [r.id for r in dana.references_to(drifting=True)] == ["revops"]
    assert ("people", "dana-reyes") in [r.key for r in revops.referenced_by()]


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(
            "content/stages/lead.yaml", "title: [Lead\n",
            ["content/stages/lead.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' "
             "(while parsing a flow sequence started at line 1, column 8)"],
            id="syntax",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("definition: Anyone.\n", ""),
            ["content/stages/lead.yaml:1:1: error: missing required field 'definition'"],
            id="missing-field",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("order: 1", "order: first"),
            ["content/stages/lead.yaml:4:8: error: order: expected a whole number, found the text 'first'"],
            id="wrong-type",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("owning_team: sales", "owning_team: sails"),
            ["content/stages/lead.yaml:6:14: error: owning_team: 'sails' is not a known record in teams "
             "(did you mean 'sales'?)"],
            id="unknown-reference",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE + "next_stages: [mql, nope]\n",
            ["content/stages/lead.yaml:7:20: error: next_stages[1]: 'nope' is not a known record in stages"],
            id="unknown-reference-in-list",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE + "next_stages: [stages/mql, content/stages/mql.yaml]\n",
            ["content/stages/lead.yaml:7:15: error: next_stages[0]: 'stages/mql' is not a known record in "
             "stages (did you mean 'mql'? a reference is the record's id, without its collection)",
             "content/stages/lead.yaml:7:27: error: next_stages[1]: 'content/stages/mql.yaml' is not a known "
             "record in stages (did you mean 'mql'? a reference is the record's id, without its collection)"],
            id="reference-written-with-its-collection",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("owning_team: sales", "owning_team: teams/sales"),
            ["content/stages/lead.yaml:6:14: error: owning_team: 'teams/sales' is not a known record in teams "
             "(did you mean 'sales'? a reference is the record's id, without its collection)"],
            id="reference-written-with-its-collection-single",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE + "owner: sales\n",
            ["content/stages/lead.yaml:7:1: error: duplicate key 'owner' (it is already set at line 2): keep one "
             "of the two"],
            id="duplicate-key",
        ),
        pytest.param(
            "content/stages/Lead_Stage.yaml", VALID_STAGE,
            ["content/stages/Lead_Stage.yaml:1:1: error: invalid id 'Lead_Stage': a file name must be "
             "lower-case letters and digits in words joined by single hyphens, like 'mql' or "
             "'ab-lead-follow-up'"],
            id="bad-id",
        ),
        pytest.param(
            "content/stages/lead-.yaml", VALID_STAGE,
            ["content/stages/lead-.yaml:1:1: error: invalid id 'lead-': a file name must be "
             "lower-case letters and digits in words joined by single hyphens, like 'mql' or "
             "'ab-lead-follow-up'"],
            id="bad-id-trailing-hyphen",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("2026-01-05", "2026-02-30"),
            ["content/stages/lead.yaml:3:16: error: last_reviewed: expected a real date written YYYY-MM-DD, "
             "found the text '2026-02-30'"],
            id="bad-date",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("2026-01-05", "20260105"),
            ["content/stages/lead.yaml:3:16: error: last_reviewed: expected text, found the number 20260105"],
            id="date-as-number",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE + "abbreviaton: L\n",
            ["content/stages/lead.yaml:7:1: error: unknown field 'abbreviaton' (did you mean 'abbreviation'?)"],
            id="unknown-field",
        ),
        pytest.param(
            "content/stages/lead.yaml", VALID_STAGE.replace("title: Lead", "title:"),
            ["content/stages/lead.yaml:1:7: error: title: expected text, found nothing (an empty value)"],
            id="empty-value",
        ),
        pytest.param(
            "content/stages/lead.yaml", "- just\n- a list\n",
            ["content/stages/lead.yaml:1:1: error: expected a mapping of fields, found a list"],
            id="not-a-mapping",
        ),
        pytest.param(
            "content/widgets/one.yaml", VALID_STAGE,
            ["content/widgets/one.yaml:1:1: error: unknown collection 'widgets': there is no "
             "schemas/widgets.schema.json (collections: stages, slas, teams, people)"],
            id="unknown-collection",
        ),
        pytest.param(
            "content/stages/notes.txt", "hello\n",
            ["content/stages/notes.txt:1:1: error: unexpected entry: records are files named <id>.yaml"],
            id="stray-file",
        ),
        pytest.param(
            "content/lead.yaml", VALID_STAGE,
            ["content/lead.yaml:1:1: error: records belong in a collection folder: "
             "content/<collection>/<id>.yaml"],
            id="file-outside-collection",
        ),
        pytest.param(
            "content/slas/x.yaml",
            "title: X\nowner: sales\nlast_reviewed: 2026-01-01\nprovider: sales\nconsumer: revops\n"
            "commitment: c\ntarget: t\nescalation:\n  - after: 1 day\n    acton: call\n",
            ["content/slas/x.yaml:9:5: error: missing required field 'action' in escalation[0]",
             "content/slas/x.yaml:10:5: error: unknown field 'acton' (did you mean 'action'?)"],
            id="nested-errors",
        ),
    ],
)
def test_each_kind_of_content_error_is_located(basic: Path, rel: str, text: str, expected: list[str]) -> None:
    write(basic, rel, text)
    assert problems_of(basic) == expected


def test_all_problems_are_reported_in_one_run(basic: Path) -> None:
    write(basic, "content/stages/a.yaml", "title: [\n")
    write(basic, "content/stages/b.yaml", VALID_STAGE.replace("owning_team: sales", "owning_team: x"))
    write(basic, "content/stages/c.yaml", VALID_STAGE.replace("order: 1", "order: one") + "order: 2\n")
    found = problems_of(basic)
    assert [p.split(":")[0] for p in found] == [
        "content/stages/a.yaml", "content/stages/b.yaml", "content/stages/c.yaml", "content/stages/c.yaml"
    ]
    assert [p.split(": error: ")[1] for p in found[2:]] == [
        "order: expected a whole number, found the text 'one'",  # the duplicate hides nothing
        "duplicate key 'order' (it is already set at line 4): keep one of the two",
    ]


def test_schema_errors_and_reference_errors_together(basic: Path) -> None:
    write(basic, "content/stages/lead.yaml",
          VALID_STAGE.replace("order: 1", "order: x").replace("owner: revops", "owner: nobody"))
    assert problems_of(basic) == [
        "content/stages/lead.yaml:2:8: error: owner: 'nobody' is not a known record in people or teams",
        "content/stages/lead.yaml:4:8: error: order: expected a whole number, found the text 'x'",
    ]


def test_reference_to_an_invalid_record_is_not_reported_twice(basic: Path) -> None:
    write(basic, "content/stages/sql.yaml", "title: [\n")
    # mql.yaml names sql in next_stages: only the broken file itself is reported
    assert problems_of(basic) == ["content/stages/sql.yaml:2:1: error: invalid YAML: did not find expected node content"]


def test_ambiguous_reference(basic: Path) -> None:
    write(basic, "content/people/sales.yaml", "title: Sam\nowner: revops\nlast_reviewed: 2026-01-01\nrole: AE\n")
    assert "content/slas/mql-follow-up.yaml:2:8: error: owner: 'sales' is ambiguous: it names a record " \
        "in people, teams" in problems_of(basic)


def test_symlinks_are_never_followed(basic: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(VALID_STAGE)
    os.symlink(secret, basic / "content/stages/leak.yaml")
    os.symlink(tmp_path, basic / "content/outside")
    assert problems_of(basic) == [
        "content/outside:1:1: error: symbolic links are not allowed in content/",
        "content/stages/leak.yaml:1:1: error: symbolic links are not allowed in content/",
    ]


def test_invalid_schema_is_reported(basic: Path) -> None:
    write(basic, "schemas/widgets.schema.json", '{"type": "object",\n "required": [}\n')
    write(basic, "schemas/gadgets.schema.json", '{"type": "object", "required": ["title"]}')
    write(basic, "schemas/things.schema.json",
          '{"type": "objekt", "required": ["title", "owner", "last_reviewed"]}')
    assert problems_of(basic) == [
        "schemas/gadgets.schema.json:1:1: error: every collection must require owner, last_reviewed",
        "schemas/things.schema.json:1:1: error: invalid JSON Schema at type: 'objekt' is not valid "
        "under any of the given schemas",
        "schemas/widgets.schema.json:2:15: error: invalid JSON: Expecting value",
    ]


def test_schemas_must_keep_the_record_conventions(basic: Path) -> None:
    properties = {"title": {"type": "string"}, "owner": {"type": "string"}, "last_reviewed": {"type": "string"}}
    loose = {"type": "object", "required": ["title", "owner", "last_reviewed"], "properties": properties}
    write(basic, "schemas/loose.schema.json", json.dumps(loose))
    write(basic, "schemas/unowned.schema.json", json.dumps({**loose, "additionalProperties": False}))
    assert problems_of(basic) == [
        'schemas/loose.schema.json:1:1: error: a collection schema must set "additionalProperties": false, '
        "so that a misspelt field is reported instead of silently ignored",
        'schemas/unowned.schema.json:1:1: error: the owner property must name its owner records with "x-ref" '
        '("@owners": the owner collections of playbook.yml)',
    ]


def test_conventions_hold_whatever_the_schema_says(basic: Path) -> None:
    stages = basic / "schemas/stages.schema.json"
    edit_file(stages,
        '"last_reviewed": {"$ref": "_common.schema.json#/$defs/last_reviewed"}', '"last_reviewed": {}')
    write(basic, "content/stages/lead.yaml", VALID_STAGE.replace("last_reviewed: 2026-01-05", "last_reviewed: soon"))
    assert problems_of(basic) == [
        "content/stages/lead.yaml:3:16: error: last_reviewed: must be a real date written YYYY-MM-DD",
    ]


def test_missing_content_folder(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    assert problems_of(tmp_path) == ["content:1:1: error: no content/ folder: this does not look like a playbook"]


def test_review_interval_is_bounded(basic: Path) -> None:
    write(basic, "content/stages/lead.yaml", VALID_STAGE + "review_every_days: 3000000\n")
    assert problems_of(basic) == [
        "content/stages/lead.yaml:7:20: error: review_every_days: must be a whole number of days from 1 to 3650",
    ]


def test_dates_near_the_end_of_the_calendar_do_not_crash(basic: Path) -> None:
    import io

    from generator.cli import main

    write(basic, "content/stages/lead.yaml", VALID_STAGE.replace("2026-01-05", "9999-12-30"))
    assert problems_of(basic) == []
    for argv in (["stale", "--today", "2026-11-23"], ["export", "--out", "-", "--today", "2026-11-23"],
                 ["build", "--out", str(basic / "md"), "--today", "9999-12-31"]):
        assert main([*argv, "--root", str(basic)], io.StringIO()) == 0, argv


@pytest.mark.parametrize(("title", "found"), [
    ('"Lead\\0"', "U+0000"), ('"\\e[31mLead"', "U+001B"), ('"Lead \\u202Edaer"', "U+202E"),
    ('"Lead\\u2066"', "U+2066"), ('"Over\\rwrite"', "U+000D"), ('"Lead\\u2028"', "U+2028"),
])
def test_titles_reject_control_characters(basic: Path, title: str, found: str) -> None:
    """Issue 13, point 11: a title could carry NUL, ESC or a right-to-left override into <title>."""
    write(basic, "content/stages/lead.yaml", VALID_STAGE.replace("title: Lead", f"title: {title}"))
    assert problems_of(basic) == [
        f"content/stages/lead.yaml:1:8: error: title: must not contain control characters (found {found})",
    ]


def test_titles_may_break_lines(basic: Path) -> None:
    write(basic, "content/stages/lead.yaml", VALID_STAGE.replace("title: Lead", "title: >\n  Lead\n  stage"))
    assert problems_of(basic) == []


@pytest.mark.parametrize("collection", ["stages", "people"])
def test_index_is_a_reserved_id(basic: Path, collection: str) -> None:
    """Issue 13, point 10: a record named index silently replaced its collection's overview page."""
    write(basic, f"content/{collection}/index.yaml", VALID_STAGE)
    assert problems_of(basic) == [
        f"content/{collection}/index.yaml:1:1: error: reserved id 'index': {collection}/index.md is the "
        "collection's overview page; rename the file",
    ]


def test_x_ref_star_names_any_collection_and_an_unknown_collection_is_located(basic: Path) -> None:
    schema = basic / "schemas/slas.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["related"] = {"type": "array", "items": {"type": "string", "x-ref": "*"}}
    schema.write_text(json.dumps(data, indent=2))
    sla = basic / "content/slas/mql-follow-up.yaml"
    sla.write_text(sla.read_text() + "related: [mql, dana-reyes, sales]\n")
    playbook, problems = load_playbook(basic)
    assert problems == []
    assert [t.id for _, t in playbook.records[("slas", "mql-follow-up")].refs][-3:] == ["mql", "dana-reyes", "sales"]
    data["properties"]["related"]["items"]["x-ref"] = ["stages", "stagse"]
    schema.write_text(json.dumps(data, indent=2))
    text = schema.read_text()
    line = text[: text.index('"stagse"')].count("\n") + 1
    column = text.index('"stagse"') - text.rfind("\n", 0, text.index('"stagse"'))
    assert [str(p) for p in load_playbook(basic)[1] if p.file.startswith("schemas/")] == [
        f"schemas/slas.schema.json:{line}:{column}: error: x-ref names 'stagse', which is not a collection "
        "(there is no schemas/stagse.schema.json; collections: people, slas, stages, teams; \"*\" means any "
        "collection)"
    ]


def test_the_title_control_character_rule_is_exactly_its_definition() -> None:
    import sys
    import unicodedata

    from generator.rules.project import _BIDI, _CONTROL

    def is_control(char: str) -> bool:
        return (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in "\t\n") or char in _BIDI

    assert [hex(c) for c in range(sys.maxunicode + 1)
            if bool(_CONTROL.fullmatch(chr(c))) != is_control(chr(c))] == []


def test_a_memo_saves_only_repeated_work(basic: Path) -> None:
    """Loading with a memo (as the change history loads each version) gives what a fresh load
    gives, after an edit, a broken file and a schema change alike."""
    memo = Memo()

    def same() -> None:
        fresh, fresh_problems = load_playbook(basic)
        kept, kept_problems = load_playbook(basic, memo)
        assert kept_problems == fresh_problems
        assert {k: r.data for k, r in kept.records.items()} == {k: r.data for k, r in fresh.records.items()}
        assert {k: [(s.path, t.key) for s, t in r.refs] for k, r in kept.records.items()} == \
            {k: [(s.path, t.key) for s, t in r.refs] for k, r in fresh.records.items()}

    same()
    same()
    stage = basic / "content/stages/mql.yaml"
    edit_file(stage, "order: 2", "order: second")
    same()
    schema = basic / "schemas/stages.schema.json"
    edit_file(schema, '"order"', '"order" ', 1)
    same()
    assert len(memo.schemas) == 2
