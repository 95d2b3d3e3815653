"""``playbook new``: a scaffolded record passes ``playbook check``; bad requests change nothing."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.loader import load_yaml
from generator.repo.scaffold import dump

from .conftest import FIXTURES, edit_file


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_new_stage_is_valid_and_complete(basic: Path, capsys) -> None:
    assert main(["new", "stages", "opportunity", "--today", "2026-11-23", "--root", str(basic)]) == 0
    assert capsys.readouterr().out == f"{basic}/content/stages/opportunity.yaml\n"
    assert (basic / "content/stages/opportunity.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/stages.schema.json\n"
        "title: Opportunity\n"
        "owner: revops  # playbook new chose this: check it, then delete this comment\n"
        "last_reviewed: 2026-11-23\n"
        "order: 1  # playbook new chose this: check it, then delete this comment\n"
        'definition: "TODO: definition"\n'
        "owning_team: revops  # playbook new chose this: check it, then delete this comment\n"
        '# Optional fields (delete the leading "# " to use one):\n'
        "# review_every_days:  # Overrides the collection's review interval for this record.\n"
        "# summary:  # One or two sentences shown under the title and in overview tables.\n"
        "# abbreviation:\n"
        "# entry_criteria:\n"
        "# next_stages:\n"
    )
    assert main(["check", "--root", str(basic)]) == 0


@pytest.mark.parametrize("collection", ["people", "teams", "slas", "stages"])
def test_every_collection_scaffolds_a_record_that_passes_check(basic: Path, capsys, collection: str) -> None:
    assert main(["new", collection, "new-one", "--today", "2026-11-23", "--root", str(basic)]) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(basic)]) == 0
    out = capsys.readouterr().out.splitlines()
    # Valid, but not finished: every placeholder and every value chosen for the author is a warning.
    assert out[-1].startswith("playbook check: ") and "error" not in out[-1]
    assert all(": warning: " in line and line.startswith(f"content/{collection}/new-one.yaml:")
               for line in out[:-1])
    assert any("`playbook new` chose this value" in line for line in out[:-1])


def test_owner_option_and_relative_path(basic: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(basic)
    assert main(["new", "slas", "demo-handoff", "--owner", "dana-reyes", "--today", "2026-01-02"]) == 0
    assert capsys.readouterr().out == "content/slas/demo-handoff.yaml\n"
    data = load_yaml((basic / "content/slas/demo-handoff.yaml").read_bytes()).data
    assert data == {
        "title": "Demo handoff", "owner": "dana-reyes", "last_reviewed": "2026-01-02",
        "provider": "revops", "consumer": "revops",
        "commitment": "TODO: commitment", "target": "TODO: target",
    }


def test_schema_constraints_shape_placeholders(basic: Path, capsys) -> None:
    schema = json.loads((basic / "schemas/teams.schema.json").read_text())  # a new collection like teams
    schema["required"] += ["tier", "size", "channels", "contact", "code"]
    schema["properties"].update({
        "tier": {"enum": ["gold", "silver"]},
        "size": {"type": "integer", "minimum": 3},
        "channels": {"type": "array", "minItems": 2, "items": {"type": "string", "minLength": 12}},
        "contact": {"type": "object", "required": ["lead"],
                    "properties": {"lead": {"type": "string", "x-ref": "people"}}},
        "code": {"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["ABC"]},
    })
    (basic / "schemas/regions.schema.json").write_text(json.dumps(schema))
    assert main(["new", "regions", "emea", "--today", "2026-11-23", "--root", str(basic)]) == 0
    data = load_yaml((basic / "content/regions/emea.yaml").read_bytes()).data
    assert data["tier"] == "gold"
    assert data["size"] == 3
    assert data["channels"] == ["TODO: channels", "TODO: channels"]
    assert data["contact"] == {"lead": "dana-reyes"}
    assert data["code"] == "ABC"
    capsys.readouterr()
    assert main(["check", "--root", str(basic)]) == 0


def test_first_team_may_own_itself(basic: Path, capsys) -> None:
    for path in (basic / "content").rglob("*.yaml"):
        path.unlink()
    assert main(["new", "teams", "revops", "--today", "2026-11-23", "--root", str(basic)]) == 0
    assert "owner: revops  # playbook new chose this" in (basic / "content/teams/revops.yaml").read_text()
    capsys.readouterr()
    assert main(["check", "--root", str(basic)]) == 0


@pytest.mark.parametrize(("argv", "message"), [
    (["stages", "mql"], "content/stages/mql.yaml already exists"),
    (["stages", "../../evil"], "invalid id '../../evil': use lower-case letters and digits in words "
                               "joined by single hyphens, like 'mql' or 'ab-lead-follow-up'"),
    (["stages", "MQL"], "invalid id 'MQL'"),
    (["stages", "mql\n"], "invalid id 'mql\n'"),
    (["stages", "a--b"], "invalid id 'a--b'"),
    (["../content", "x"], "unknown collection '../content' (collections: stages, slas, teams, people)"),
    (["stages", "new-stage", "--owner", "nobody"], "--owner 'nobody' is not a record in people or teams"),
    (["slas", "x", "--today", "2026-02-30"], None),
])
def test_refusals_exit_2_and_write_nothing(basic: Path, capsys, argv: list[str], message: str | None) -> None:
    before = {f: (basic / f).read_bytes() for f in files(basic)}
    with pytest.raises(SystemExit) if message is None else _nothing():
        assert main(["new", *argv, "--root", str(basic)]) == 2
    err = capsys.readouterr().err
    if message:
        assert err.startswith(f"playbook: error: {message}")
    else:
        assert "not a real date written YYYY-MM-DD: '2026-02-30'" in err
    assert {f: (basic / f).read_bytes() for f in files(basic)} == before


def test_no_record_to_reference_is_explained(basic: Path, capsys) -> None:
    for path in (basic / "content/teams").glob("*.yaml"):
        path.unlink()
    assert main(["new", "slas", "x", "--owner", "dana-reyes", "--root", str(basic)]) == 2
    assert capsys.readouterr().err == ("playbook: error: 'provider' must name a record in teams, and there "
                                       "is none yet: create one first (playbook new teams ID)\n")
    assert not (basic / "content/slas/x.yaml").exists()


def test_dump_round_trips_awkward_text() -> None:
    data = {"a": "TODO: x", "b": "yes", "c": "1.10", "d": "- dash", "e": "line\nbreak", "f": "#hash",
            "g": ["x: y", {"h": "", "i": None}], "j": [], "k": {}, "l": 3, "m": True, "n": "2026-01-31"}
    text = dump(data)
    assert load_yaml(text.encode()).data == data
    assert "n: 2026-01-31\n" in text  # dates stay as house style writes them


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


# ---------------------------------------------------------------------------
# Every collection of a full, starter-style playbook (the reader fixture: eleven collections)

READER_COLLECTIONS = sorted(p.name.removesuffix(".schema.json")
                            for p in (FIXTURES / "reader" / "schemas").glob("*.schema.json")
                            if not p.name.startswith("_"))


def test_new_record_in_every_collection_of_a_full_playbook_checks_clean(tmp_path: Path) -> None:
    root = tmp_path / "reader"
    shutil.copytree(FIXTURES / "reader", root)
    for collection in READER_COLLECTIONS:
        out = io.StringIO()
        assert main(["new", collection, f"scaffolded-{collection}", "--root", str(root),
                     "--today", "2026-11-23"], out) == 0, (collection, out.getvalue())
    out = io.StringIO()
    assert main(["check", "--root", str(root)], out) == 0, out.getvalue()  # a problem names its file
    assert len(list((root / "content").glob("*/scaffolded-*.yaml"))) == len(READER_COLLECTIONS) == 11


def test_check_warns_until_placeholders_and_chosen_values_are_dealt_with(basic: Path, capsys) -> None:
    assert main(["new", "stages", "opportunity", "--today", "2026-11-23", "--root", str(basic)]) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(basic)]) == 0
    assert capsys.readouterr().out == (
        "content/stages/opportunity.yaml:3:16: warning: owner: `playbook new` chose this value; check that "
        "it is right, then delete the comment\n"
        "content/stages/opportunity.yaml:5:11: warning: order: `playbook new` chose this value; check that "
        "it is right, then delete the comment\n"
        "content/stages/opportunity.yaml:6:13: warning: definition: placeholder text 'TODO' is still here: "
        "replace it with the real content\n"
        "content/stages/opportunity.yaml:7:22: warning: owning_team: `playbook new` chose this value; check "
        "that it is right, then delete the comment\n"
        "playbook check: 4 warnings in 1 file\n"
    )
    record = basic / "content/stages/opportunity.yaml"
    edit_file(record, "  # playbook new chose this: check it, then delete this comment", "")
    edit_file(record, '"TODO: definition"', "A deal sales is working.\nsummary: tbd\nentry_criteria: [Lorem ipsum dolor]")
    assert main(["check", "--root", str(basic), "--format", "github"]) == 0
    assert capsys.readouterr().out == (
        "::warning file=content/stages/opportunity.yaml,line=7,col=10::summary: placeholder text 'tbd' is "
        "still here: replace it with the real content\n"
        "::warning file=content/stages/opportunity.yaml,line=8,col=18::entry_criteria[0]: placeholder text "
        "'Lorem ipsum' is still here: replace it with the real content\n"
    )
