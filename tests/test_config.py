"""playbook.yml: defaults without it, located problems in it, and the site settings it decides."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from generator.content.config import Settings, load_settings
from generator.rules.project import load_playbook
from generator.site.plugin import apply_settings

from .conftest import edit_file


def test_without_playbook_yml_the_defaults_apply(basic: Path) -> None:
    settings, problems = load_settings(basic)
    assert problems == []
    assert settings == Settings()
    assert (settings.owner_collections, settings.handle_field, settings.handle_format, settings.codeowners) == (
        ("people", "teams"), "github", "github", ".github/CODEOWNERS")


def test_settings_are_read_and_named_after_the_company(basic: Path) -> None:
    (basic / "playbook.yml").write_text(
        "company: Acme\nrepo_url: https://gitlab.com/acme/sales/playbook\n"
        "owners: {collections: [teams], handle_field: gitlab, handle_format: gitlab}\ncodeowners: .gitlab/CODEOWNERS\n")
    settings, problems = load_settings(basic)
    assert problems == []
    assert settings.title == "Acme — Sales & Marketing Playbook"
    assert (settings.owner_collections, settings.handle_field, settings.handle_format, settings.codeowners) == (
        ("teams",), "gitlab", "gitlab", ".gitlab/CODEOWNERS")


def test_mistakes_in_playbook_yml_are_located_problems_of_check(basic: Path) -> None:
    (basic / "playbook.yml").write_text(
        "company: Acme\nrepo_url: github.com/acme\nowners:\n  handle_format: bitbucket\n  colections: [people]\n"
        "codeowners: ../CODEOWNERS\ncompany: Acme Inc\n")
    _, problems = load_playbook(basic)
    assert [str(p) for p in problems] == [
        "playbook.yml:2:11: error: repo_url: must be a web address starting with http:// or https://, like "
        "https://github.com/acme/playbook",
        "playbook.yml:4:18: error: owners.handle_format: must be one of: github, gitlab (found the text "
        "'bitbucket')",
        "playbook.yml:5:3: error: unknown field 'colections' (did you mean 'collections'?)",
        "playbook.yml:6:13: error: codeowners: must be a path inside the repository, outside content/, docs/, "
        "schemas/ and templates/, like .github/CODEOWNERS or .gitlab/CODEOWNERS",
        "playbook.yml:7:1: error: duplicate key 'company' (it is already set at line 1): keep one of the two",
    ]


def test_owner_collections_follow_the_settings(basic: Path) -> None:
    common = basic / "schemas/_common.schema.json"
    edit_file(common, '"x-ref": ["people", "teams"]', '"x-ref": "@owners"')
    assert load_playbook(basic)[1] == []
    (basic / "playbook.yml").write_text("owners: {collections: [teams]}\n")
    problems = [str(p) for p in load_playbook(basic)[1]]
    assert problems == ["content/teams/revops.yaml:2:8: error: owner: 'dana-reyes' is not a known record in teams",
                        "content/teams/sales.yaml:2:8: error: owner: 'dana-reyes' is not a known record in teams"]
    (basic / "playbook.yml").write_text("owners: {collections: [staff]}\n")
    problems = [str(p) for p in load_playbook(basic)[1] if p.file.startswith("schemas/")]
    assert len(problems) == 1 and problems[0].startswith("schemas/_common.schema.json:")
    assert problems[0].endswith("error: owners.collections in playbook.yml names 'staff', which is not a "
                                "collection (collections: people, slas, stages, teams)")


def config(**values: object) -> SimpleNamespace:
    base = {"site_name": "From mkdocs.yml", "site_url": None, "repo_url": "https://github.com/old/repo",
            "repo_name": "GitHub", "edit_uri": "edit/main/docs/", "docs_dir": "/x/docs"}
    return SimpleNamespace(**{**base, **values})


def test_the_site_takes_its_name_and_repository_from_playbook_yml() -> None:
    site = config()
    apply_settings(site, Settings(company="Acme", repo_url="https://gitlab.com/acme/sales/playbook",
                                  branch="trunk", exists=True))
    assert (site.site_name, site.repo_url, site.repo_name, site.edit_uri) == (
        "Acme — Sales & Marketing Playbook", "https://gitlab.com/acme/sales/playbook", "GitLab",
        "-/edit/trunk/docs/")


def test_without_a_repository_no_page_links_or_calls_a_code_host() -> None:
    site = config()
    apply_settings(site, Settings(company="Acme", exists=True))
    assert (site.repo_url, site.repo_name, site.edit_uri) == (None, None, None)
    untouched = config()
    apply_settings(untouched, Settings())  # no playbook.yml: mkdocs.yml decides
    assert untouched == config()
