"""One owner rule: the stale-content issue @-mentions exactly whom CODEOWNERS routes a pull request to."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.repo.codeowners import generate
from generator.repo.stale import build_report, format_markdown
from generator.rules.project import load_playbook

from .conftest import FIXTURES, edit_file

PLAYBOOKS = sorted(p.parent.name for p in FIXTURES.glob("*/content"))
FAR_FUTURE = date(2099, 1, 1)  # every record overdue, so every record is listed in the issue


def issue_mentions(text: str) -> dict[str, str | None]:
    """Record file -> the handle its owner heading @-mentions (None: no handle) in the issue body."""
    found: dict[str, str | None] = {}
    handle: str | None = None
    for line in text.splitlines():
        if line.startswith("### "):
            match = re.search(r": @(\S+)", line)
            handle = match.group(1) if match else None
        for file in re.findall(r"\| `([^`]+\.yaml)` \|", line):
            found[file] = handle
    return found


def codeowners_routes(text: str) -> dict[str, str]:
    return {path.lstrip("/"): handle.lstrip("@") for path, handle in
            (line.split() for line in text.splitlines() if line.startswith("/"))}


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_stale_issue_and_codeowners_name_the_same_owner(name: str) -> None:
    playbook, problems = load_playbook(FIXTURES / name)
    assert not [p for p in problems if p.severity == "error"]
    mentions = issue_mentions(format_markdown(build_report(playbook, FAR_FUTURE)))
    routes = codeowners_routes(generate(playbook)[0])
    assert set(mentions) == {r.file for r in playbook.records.values()}
    assert {file: routes.get(file) for file in mentions} == mentions


def test_person_without_handle_is_reached_through_their_team_in_both(basic: Path) -> None:
    # Sam has no handle; his team (revops) has one; his own owner (sales) reaches someone else.
    (basic / "content/people/sam-lee.yaml").write_text(
        "title: Sam Lee\nowner: sales\nlast_reviewed: 2026-01-10\nrole: SDR\nteam: revops\n")
    stage = basic / "content/stages/sql.yaml"
    edit_file(stage, "owner: sales", "owner: sam-lee")
    playbook, _ = load_playbook(basic)
    mentions = issue_mentions(format_markdown(build_report(playbook, FAR_FUTURE)))
    routes = codeowners_routes(generate(playbook)[0])
    assert mentions["content/stages/sql.yaml"] == routes["content/stages/sql.yaml"] == "example/revops"


def test_gitlab_nested_groups_and_a_configured_handle_field(basic: Path) -> None:
    schema = basic / "schemas/teams.schema.json"  # as the starter's: any depth of groups
    edit_file(schema, "^[A-Za-z0-9-]+/[A-Za-z0-9-]+$", "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
    team = basic / "content/teams/revops.yaml"
    edit_file(team, "github: example/revops", "github: acme/sales/emea.revops")
    problems = [str(p) for p in load_playbook(basic)[1]]
    assert problems == ["content/teams/revops.yaml:4:9: error: github: 'acme/sales/emea.revops' is not a GitHub "
                        "user name or org/team, like jane-doe or acme/sales (nested groups need owners: "
                        "{handle_format: gitlab} in playbook.yml)"]
    (basic / "playbook.yml").write_text("owners: {handle_format: gitlab}\ncodeowners: .gitlab/CODEOWNERS\n")
    playbook, problems = load_playbook(basic)
    assert problems == []
    assert "/content/stages/mql.yaml @acme/sales/emea.revops\n" in generate(playbook)[0]
    assert main(["codeowners", "--root", str(basic)], io.StringIO()) == 0
    assert "@acme/sales/emea.revops" in (basic / ".gitlab/CODEOWNERS").read_text()  # where playbook.yml says
    assert not (basic / ".github/CODEOWNERS").exists()


def test_the_handle_field_is_configuration(basic: Path) -> None:
    for path in (basic / "content").rglob("*.yaml"):
        path.write_text(path.read_text().replace("github:", "gitlab:"))  # a bulk rename: not every file has one
    for path in (basic / "schemas").glob("*.json"):
        path.write_text(path.read_text().replace('"github"', '"gitlab"'))
    (basic / "playbook.yml").write_text("owners: {handle_field: gitlab, handle_format: gitlab}\n")
    playbook, problems = load_playbook(basic)
    assert problems == []
    text = generate(playbook)[0]
    assert "/content/stages/mql.yaml @example/revops\n" in text
    assert "# A person without a `gitlab` handle falls back to their team" in text
