"""The form editor's configuration (Decap CMS) made from schemas/ and playbook.yml, the /admin/
files of a build, "Suggest a change" and what Decap writes."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from generator.cli import main
from generator.content.loader import load_yaml
from generator.content.validate import schema_problems
from generator.rules.project import load_playbook
from generator.site import cms
from generator.site.site import generate

from .conftest import BASIC_TODAY, edit_file

TODAY = date.fromisoformat(BASIC_TODAY)


def loaded(root: Path) -> Any:
    playbook, problems = load_playbook(root)
    assert problems == []
    return playbook


def fields(config: dict[str, Any], collection: str) -> dict[str, dict[str, Any]]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}


def test_one_folder_collection_per_collection_with_fields_in_schema_order(basic: Path) -> None:
    config = cms.config(loaded(basic))
    assert [c["name"] for c in config["collections"]] == ["stages", "slas", "teams", "people"]
    people = next(c for c in config["collections"] if c["name"] == "people")
    assert {k: people[k] for k in ("folder", "extension", "format", "slug", "identifier_field")} == {
        "folder": "content/people", "extension": "yaml", "format": "yaml", "slug": "{{slug}}",
        "identifier_field": "title"}
    assert [f["name"] for f in people["fields"]] == [
        "title", "owner", "last_reviewed", "review_every_days", "summary", "role", "team", "github"]


def test_widgets_come_from_types(basic: Path) -> None:
    people = fields(cms.config(loaded(basic)), "people")
    assert people["title"] == {"name": "title", "label": "Title", "widget": "string", "required": True,
                               "hint": "The record's name as readers see it."}
    assert people["last_reviewed"]["widget"] == "datetime"
    assert people["last_reviewed"]["format"] == "YYYY-MM-DD" and people["last_reviewed"]["time_format"] is False
    assert people["review_every_days"] == {
        "name": "review_every_days", "label": "Review every (days)", "widget": "number", "value_type": "int",
        "min": 1, "required": False, "hint": "Overrides the collection's review interval for this record."}
    assert people["role"]["widget"] == "string"
    # x-ref to one collection: a relation (records added in the form can be picked at once)
    assert people["team"] == {"name": "team", "label": "Team", "widget": "relation", "collection": "teams",
                              "value_field": "{{slug}}", "search_fields": ["title"],
                              "display_fields": ["title"], "required": False}
    # "@owners": the owner collections of playbook.yml, as a choice of their records
    assert people["owner"]["widget"] == "select"
    assert people["owner"]["options"] == [
        {"label": "Dana Reyes (Person)", "value": "dana-reyes"},
        {"label": "Revenue operations (Team)", "value": "revops"},
        {"label": "Sales (Team)", "value": "sales"}]
    stages = fields(cms.config(loaded(basic)), "stages")
    assert stages["next_stages"]["widget"] == "relation" and stages["next_stages"]["multiple"] is True
    assert stages["entry_criteria"]["widget"] == "list"
    assert stages["entry_criteria"]["field"]["widget"] == "string"
    # a box of several lines where records hold text of several lines, one line elsewhere
    assert (stages["definition"]["widget"], stages["abbreviation"]["widget"]) == ("text", "string")
    slas = fields(cms.config(loaded(basic)), "slas")
    escalation = slas["escalation"]
    assert escalation["widget"] == "list"
    assert [f["name"] for f in escalation["fields"]] == ["after", "action"]


def test_a_pattern_is_refused_with_the_words_check_uses(basic: Path) -> None:
    playbook = loaded(basic)
    github = fields(cms.config(playbook), "people")["github"]
    regex, message = github["pattern"]
    assert regex == "^[A-Za-z0-9-]+$"
    person = basic / "content/people/dana-reyes.yaml"
    edit_file(person, "github: dana-reyes", "github: dana reyes")
    doc = load_yaml(person.read_bytes())
    [problem] = schema_problems(playbook.collections["people"], "content/people/dana-reyes.yaml", doc)
    assert problem.message == "github: the text 'dana reyes' does not have the expected form (GitHub handle)"
    assert message == "Does not have the expected form (GitHub handle)"
    # an x-error is the message itself, in check and in the form
    teams = fields(cms.config(playbook), "teams")
    assert "pattern" not in teams["github"] or teams["github"]["pattern"][1][0].isupper()


def test_x_error_and_audience_labels(tmp_path: Path, basic: Path) -> None:
    schema = basic / "schemas/people.schema.json"
    edit_file(
        schema,
        '"github": {"type": "string", "title": "GitHub handle", "pattern": "^[A-Za-z0-9-]+$"}',
        '"github": {"type": "string", "title": "GitHub handle", "pattern": "^[A-Za-z0-9-]+$", '
        '"x-error": "a handle is letters, digits and hyphens, like dana-reyes"},\n'
        '    "phone": {"type": "string", "title": "Phone", "x-audience": "internal"}')
    people = fields(cms.config(loaded(basic)), "people")
    assert people["github"]["pattern"] == ["^[A-Za-z0-9-]+$",
                                           "A handle is letters, digits and hyphens, like dana-reyes"]
    assert people["phone"]["label"] == "Phone (internal only)"


def test_a_new_collection_needs_no_python(basic: Path) -> None:
    (basic / "schemas/playbooks.schema.json").write_text(
        (basic / "schemas/teams.schema.json").read_text().replace('"Teams"', '"Plays"'))
    (basic / "content/playbooks").mkdir()
    config = cms.config(loaded(basic))
    [plays] = [c for c in config["collections"] if c["name"] == "playbooks"]
    assert plays["folder"] == "content/playbooks"


def test_backend_comes_from_playbook_yml(basic: Path) -> None:
    assert cms.config(loaded(basic))["backend"] == {
        "name": "proxy", "proxy_url": "http://localhost:8081/api/v1", "branch": "main"}
    (basic / "playbook.yml").write_text("repo_url: https://github.com/acme/playbook\nbranch: trunk\n"
                                        "cms:\n  base_url: https://oauth.acme.example\n")
    config = cms.config(loaded(basic))
    assert config["backend"] == {"name": "github", "repo": "acme/playbook", "branch": "trunk",
                                 "squash_merges": True, "open_authoring": True,
                                 "base_url": "https://oauth.acme.example"}
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    (basic / "playbook.yml").write_text("repo_url: https://gitlab.acme.example/sales/playbook\n"
                                        "cms:\n  app_id: 0a1b2c\n")
    assert cms.config(loaded(basic))["backend"] == {
        "name": "gitlab", "repo": "sales/playbook", "branch": "main", "squash_merges": True,
        "api_root": "https://gitlab.acme.example/api/v4", "base_url": "https://gitlab.acme.example",
        "auth_type": "pkce", "app_id": "0a1b2c", "auth_endpoint": "oauth/authorize"}


def test_a_misspelt_cms_setting_is_a_located_problem(basic: Path) -> None:
    (basic / "playbook.yml").write_text("repo_url: https://github.com/acme/playbook\ncms:\n  base-url: x\n")
    assert [str(p) for p in load_playbook(basic)[1]] == [
        "playbook.yml:3:3: error: unknown field 'base-url' (did you mean 'base_url'?)"]


def test_cms_command_prints_the_configuration_and_checks_the_install(basic: Path) -> None:
    out = io.StringIO()
    assert main(["cms", "--root", str(basic)], out) == 0
    assert yaml.safe_load(out.getvalue()) == cms.config(loaded(basic))
    out = io.StringIO()
    assert main(["cms", "--installed", "--root", str(basic)], out) == 1
    assert out.getvalue().startswith("package.json:1:1: error: Decap CMS is not installed")


def test_internal_builds_serve_admin_and_others_no_trace(basic: Path) -> None:
    from generator.site.contribution import contribute

    internal = contribute(generate(basic, TODAY, "internal"), TODAY)
    assert {p for p in internal.files if p.startswith("admin/")} == {"admin/index.html", "admin/config.yml"}
    page = internal.files["admin/index.html"]
    assert isinstance(page, bytes) and b"The form editor is not part of this build" in page
    assert yaml.safe_load(internal.files["admin/config.yml"])["collections"]  # type: ignore[arg-type]
    assert "Suggest a change" in internal.suggestions["teams/revops.md"]
    assert set(internal.suggestions) == {p for p in internal.meta}  # record pages only
    for audience in ("partner", "public"):
        added = contribute(generate(basic, TODAY, audience), TODAY)
        assert not [p for p in added.files if "admin" in p]
        assert added.suggestions == {}


def test_the_bundle_is_copied_from_node_modules(basic: Path) -> None:
    dist = basic / "node_modules/decap-cms/dist"
    dist.mkdir(parents=True)
    for name in ("decap-cms.js", "12.decap-cms.js", "12.decap-cms.js.map", "cms.js", "ab.wasm",
                 "decap-cms.js.LICENSE.txt"):
        (dist / name).write_text("x")
    files = cms.site_files(loaded(basic), basic)
    assert sorted(files) == ["admin/12.decap-cms.js", "admin/LICENSE.txt", "admin/ab.wasm", "admin/config.yml",
                             "admin/decap-cms.js", "admin/decap-cms.js.LICENSE.txt", "admin/index.html"]
    assert b'<script src="decap-cms.js"></script>' in files["admin/index.html"]  # type: ignore[operator]
    assert b"MIT License" in files["admin/LICENSE.txt"]  # type: ignore[operator]
    assert cms.problems(basic) == []


def test_suggest_a_change_opens_the_record_and_names_reviewers(basic: Path) -> None:
    person = basic / "content/people/sam-lee.yaml"
    person.write_text("title: Sam Lee\nowner: revops\nlast_reviewed: 2026-01-10\nrole: Analyst\nteam: revops\n")
    (basic / "playbook.yml").write_text("repo_url: https://github.com/acme/playbook\n")
    playbook = loaded(basic)
    record = playbook.records[("people", "dana-reyes")]  # owned by the revops team
    text = cms.suggestion(playbook, record, record.page)
    assert "[Suggest a change](../admin/index.html#/collections/people/entries/dana-reyes)" in text
    assert "Revenue operations (Dana Reyes, Sam Lee) reviews it" in text
    issue = text.split("[Describe the change](")[1].split(")")[0]
    parts = urlsplit(issue)
    assert (parts.netloc, parts.path) == ("github.com", "/acme/playbook/issues/new")
    query = parse_qs(parts.query)
    assert query["title"] == ["Suggested change: Dana Reyes"]
    assert "Record: Dana Reyes (people/dana-reyes" in query["body"][0]
    assert "Field to change (one of: Title, Owner," in query["body"][0]
    gitlab = cms.issue_link("https://gitlab.com/acme/playbook", record, playbook.collections["people"])
    assert gitlab is not None and gitlab.startswith("https://gitlab.com/acme/playbook/-/issues/new?issue%5Btitle%5D=")


def test_a_title_cannot_inject_markup_into_the_suggestion(basic: Path) -> None:
    team = basic / "content/teams/revops.yaml"
    edit_file(team, "title: Revenue operations", 'title: "<b>x</b> [a](javascript:1)"')
    playbook = loaded(basic)
    record = playbook.records[("people", "dana-reyes")]
    text = cms.suggestion(playbook, record, record.page)
    assert "<b>" not in text and "](javascript" not in text


# ---------------------------------------------------------------------------
# What Decap writes

DECAP_SAVED = """title: Dana Reyes
owner: revops
last_reviewed: 2026-01-10
summary: ''
role: Revenue operations lead
team: revops
github: dana-reyes
"""


def test_an_optional_field_saved_empty_counts_as_left_out(basic: Path) -> None:
    (basic / "content/people/dana-reyes.yaml").write_text(DECAP_SAVED)
    playbook = loaded(basic)
    assert "summary" not in playbook.records[("people", "dana-reyes")].data


# content/stages/mql.yaml as Decap CMS 3.16.3 saved it (captured over the local backend) after its
# summary and its review interval (a number) were cleared in the form.
DECAP_CLEARED = """title: Marketing qualified lead
owner: revops
last_reviewed: 2026-03-01
review_every_days: ""
summary: ""
abbreviation: MQL
order: 2
definition: |
  A lead whose fit and behaviour score crossed the agreed threshold.

  Sales accepts or rejects it within one working day.
entry_criteria:
  - Fit grade A or B
  - Behaviour score of 60 or more
owning_team: revops
next_stages:
  - sql
"""


def test_what_decap_writes_for_cleared_fields_passes_check(basic: Path) -> None:
    (basic / "content/stages/mql.yaml").write_text(DECAP_CLEARED)
    playbook = loaded(basic)
    data = playbook.records[("stages", "mql")].data
    assert "summary" not in data and "review_every_days" not in data


def test_a_required_field_saved_empty_is_still_reported(basic: Path) -> None:
    (basic / "content/people/dana-reyes.yaml").write_text(DECAP_SAVED.replace("title: Dana Reyes", "title: ''"))
    assert [str(p) for p in load_playbook(basic)[1]] == [
        "content/people/dana-reyes.yaml:1:8: error: title: must not be empty"]


def git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                   check=True, capture_output=True)


# content/stages/mql.yaml as Decap writes it back: comments gone, quoting and list style changed,
# the folded paragraph re-chomped.
DECAP_MQL = """title: Marketing qualified lead
owner: revops
last_reviewed: 2026-03-01
abbreviation: "MQL"
order: 2
summary: 'A lead marketing judges ready for a sales conversation.'
definition: >-
  A lead whose fit and behaviour score crossed the agreed threshold.


  Sales accepts or rejects it within one working day.
entry_criteria:
  - Fit grade A or B
  - Behaviour score of 60 or more
owning_team: revops
next_stages:
  - sql
"""


def test_diff_shows_only_what_the_person_changed_not_the_reformatting(basic: Path) -> None:
    mql = basic / "content/stages/mql.yaml"
    mql.write_text("# yaml-language-server: $schema=../../schemas/stages.schema.json\n" + mql.read_text())
    git(basic, "init", "-q")
    git(basic, "add", "-A")
    git(basic, "commit", "-qm", "base")
    mql.write_text(DECAP_MQL)
    out = io.StringIO()
    assert main(["diff", "HEAD", "--root", str(basic)], out) == 0
    assert "No record changed." in out.getvalue()
    mql.write_text(DECAP_MQL.replace("order: 2", "order: 4"))
    out = io.StringIO()
    assert main(["diff", "HEAD", "--root", str(basic)], out) == 0
    fields = [line for line in out.getvalue().splitlines() if line.startswith("- **")]
    assert fields == ["- **Order in the funnel**: 2 → 4"]
    assert main(["check", "--root", str(basic)], io.StringIO()) == 0  # no schema line needed either


def test_an_untitled_field_has_the_same_label_in_the_form_as_on_the_page(basic: Path) -> None:
    from generator.site.render import field_title

    edit_file(basic / "schemas/people.schema.json",
              '"github": {"type": "string", "title": "GitHub handle", "pattern": "^[A-Za-z0-9-]+$"}',
              '"github": {"type": "string", "title": "GitHub handle", "pattern": "^[A-Za-z0-9-]+$"},\n'
              '    "desk_phone-ext": {"type": "string"}')
    playbook = loaded(basic)
    label = fields(cms.config(playbook), "people")["desk_phone-ext"]["label"]
    assert label == field_title(playbook.collections["people"], "desk_phone-ext") == "Desk phone ext"


def test_the_configuration_reads_the_same_whichever_yaml_emitter_writes_it(basic: Path) -> None:
    """libyaml writes it when PyYAML has it (faster at a thousand records); the text is the pure
    Python emitter's, byte for byte, non-ASCII and long lines included."""
    edit_file(basic / "schemas/stages.schema.json", '"description": "The shared definitions of each stage',
              '"description": "Les définitions « partagées » ' + "long " * 30 + 'of each stage')
    playbook, _ = load_playbook(basic)
    data = cms.config(playbook, "https://github.com/acme/playbook", True)
    written = cms.dumps(data)
    assert "« partagées »" in written
    assert written.split("\n", 1)[1] == yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
