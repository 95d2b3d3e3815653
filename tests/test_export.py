"""playbook.json: the export, its JSON Schema, the CLI command and the file in the built site."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.cli import main
from generator.site.export import SCHEMA, export
from generator.site.site import generate

from .conftest import FIXTURES

TODAY = date(2026, 4, 1)
VALIDATOR = Draft202012Validator(json.loads(SCHEMA.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(data: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_schema_is_valid() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))


def test_export_of_every_record_with_its_status(basic: Path) -> None:
    tree = generate(basic, TODAY)
    data = export(tree.playbook, TODAY, tree.audience)
    assert errors(data) == []
    assert (data["format"], data["version"], data["generated"], data["audience"]) == (
        "playbook-export", 1, "2026-04-01", "internal")
    assert [c["name"] for c in data["collections"]] == ["stages", "slas", "teams", "people"]
    assert [(r["collection"], r["id"]) for r in data["records"]] == [
        ("stages", "mql"), ("stages", "sql"), ("slas", "mql-follow-up"),
        ("teams", "revops"), ("teams", "sales"), ("people", "dana-reyes"),
    ]
    mql = data["records"][0]
    assert {k: v for k, v in mql.items() if k != "data"} == {
        "collection": "stages", "id": "mql", "title": "Marketing qualified lead", "page": "stages/mql/",
        "owner": "revops", "last_reviewed": "2026-03-01", "due": "2026-05-30", "status": "current",
    }
    assert mql["data"]["abbreviation"] == "MQL" and mql["data"]["last_reviewed"] == "2026-03-01"


def test_withheld_references_are_null_and_hidden_records_absent(tmp_path: Path) -> None:
    root = tmp_path / "audience"
    shutil.copytree(FIXTURES / "audience", root)
    tree = generate(root, TODAY, "partner")
    data = export(tree.playbook, TODAY, "partner")
    assert errors(data) == []
    records = {(r["collection"], r["id"]): r for r in data["records"]}
    assert ("stages", "sql") not in records  # internal only
    assert "pricing_notes" not in records[("competitors", "open-rival")]["data"]  # an internal field
    assert records[("slas", "mql-follow-up")]["data"]["stages"] == ["mql", None]
    assert records[("stages", "mql")]["data"]["next_stages"] == [None]
    assert "SECRET" not in json.dumps(data)


def test_export_command_writes_the_file(basic: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "playbook.json"
    status = main(["export", "--root", str(basic), "--out", str(target), "--today", "2026-04-01"], out)
    assert (status, out.getvalue()) == (0, f"playbook export: 6 records for the internal audience in {target}\n")
    data = json.loads(target.read_text())
    assert errors(data) == [] and len(data["records"]) == 6
    printed = io.StringIO()
    assert main(["export", "--root", str(basic), "--out", "-", "--today", "2026-04-01"], printed) == 0
    assert json.loads(printed.getvalue()) == data


def test_export_command_reports_problems(basic: Path, tmp_path: Path) -> None:
    (basic / "content/stages/mql.yaml").write_text("title: [\n")
    out = io.StringIO()
    assert main(["export", "--root", str(basic), "--out", str(tmp_path / "x.json")], out) == 1
    assert out.getvalue().startswith("content/stages/mql.yaml:")
    assert not (tmp_path / "x.json").exists()


@pytest.fixture
def site(built_basic: Path) -> Path:
    return built_basic / "site"


@pytest.mark.site
def test_site_publishes_the_export_and_its_schema(site: Path) -> None:
    data = json.loads((site / "playbook.json").read_text())
    assert errors(data) == []
    assert data["generated"] == "2026-04-01" and len(data["records"]) == 6
    assert (site / "playbook.schema.json").read_bytes() == SCHEMA.read_bytes()


@pytest.mark.site
def test_site_publishes_the_glossary_links(site: Path) -> None:
    assert json.loads((site / "assets/playbook/glossary.json").read_text()) == {"MQL": "stages/mql/"}
    assert (site / "assets/playbook/vendor/mermaid.min.js").stat().st_size > 1_000_000
    assert not (site / "assets/playbook/vendor/README.md").exists()
    mql = (site / "stages/mql/index.html").read_text()
    assert ('<abbr title="Marketing qualified lead: A lead marketing judges ready for a sales conversation.">'
            'MQL</abbr>') in mql  # the term, expanded
