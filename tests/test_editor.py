"""Editor settings derived from schemas/: written by `playbook editor`, verified by `playbook check`."""

from __future__ import annotations

import io
import json
from pathlib import Path

from generator.cli import main
from generator.rules.project import load_playbook

SCHEMAS = {f"./schemas/{c}.schema.json": [f"content/{c}/*.yaml"] for c in ("people", "slas", "stages", "teams")}


def test_editor_writes_the_mapping_and_keeps_other_settings(basic: Path) -> None:
    (basic / ".vscode").mkdir()
    (basic / ".vscode/settings.json").write_text(json.dumps(
        {"editor.tabSize": 2, "yaml.schemas": {"https://json.schemastore.org/x.json": ["x.yml"]}}))
    out = io.StringIO()
    assert main(["editor", "--root", str(basic)], out) == 0
    assert out.getvalue() == "playbook editor: .vscode/settings.json written\n"
    data = json.loads((basic / ".vscode/settings.json").read_text())
    assert data["editor.tabSize"] == 2
    assert data["yaml.schemas"] == {"https://json.schemastore.org/x.json": ["x.yml"], **SCHEMAS}
    assert main(["editor", "--check", "--root", str(basic)], io.StringIO()) == 0


def test_check_reports_a_collection_the_editor_does_not_know(basic: Path) -> None:
    assert main(["editor", "--root", str(basic)], io.StringIO()) == 0
    assert load_playbook(basic)[1] == []
    (basic / "schemas/goals.schema.json").write_text((basic / "schemas/teams.schema.json").read_text())
    assert [str(p) for p in load_playbook(basic)[1]] == [
        ".vscode/settings.json:2:1: error: yaml.schemas no longer matches schemas/ "
        "(./schemas/goals.schema.json): run `playbook editor` and commit the result, so editors check "
        "every collection"
    ]
    out = io.StringIO()
    assert main(["editor", "--check", "--root", str(basic)], out) == 1
    assert main(["editor", "--root", str(basic)], io.StringIO()) == 0
    assert load_playbook(basic)[1] == []


def test_no_settings_file_is_fine(basic: Path) -> None:
    assert not (basic / ".vscode").exists()
    assert load_playbook(basic)[1] == []
