"""The project `playbook build --out` writes: its configuration, its pages' front matter, its safety."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.content.config import Settings
from generator.core.problems import PlaybookError
from generator.rules.guard import SettingsError
from generator.site.contribution import (
    SEARCH_SEPARATOR,
    SITE_NAME_TEMPLATE,
    contribute,
    search_separator,
    site_overrides,
)
from generator.site.project_out import (
    ConfigError,
    Tagged,
    edit_url,
    project_files,
    read_config,
    write_project,
)
from generator.site.site import MARKER, generate

from .conftest import FIXTURES, edit, edit_file

TODAY = date(2026, 4, 1)


def fixture(tmp_path: Path, name: str = "builders") -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return root


def front(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def config_of(files: dict[str, bytes]) -> dict[str, object]:
    return read_config_text(files["mkdocs.yml"].decode())


def read_config_text(text: str) -> dict[str, object]:
    from generator.site.project_out import _Loader

    return yaml.load(text, Loader=_Loader)  # a SafeLoader that keeps tags


def test_configuration_replaces_the_plugin_with_what_it_adds(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    files = project_files(generate(root, TODAY), root, TODAY)
    config = config_of(files)
    assert config["plugins"] == [{"search": {"separator": SEARCH_SEPARATOR, "fields": {
        "title": {"boost": 1000.0}, "keywords": {"boost": 1000.0}, "text": {"boost": 1.0},
        "tags": {"boost": 10.0}}}}, "tags"]
    assert config["docs_dir"] == "docs" and "site_dir" not in config
    assert config["nav"] == [
        "index.md", "how-we-work.md", "partner-guide.md",
        {"Lifecycle stages": "stages/index.md"}, {"Service-level agreements": "slas/mql-follow-up.md"},
        {"Competitors": "competitors/index.md"}, {"Teams": "teams/index.md"}, {"People": "people/dana-reyes.md"},
        "changes.md", "freshness.md", "tags.md",
    ]
    assert config["markdown_extensions"][-1] == {"generator.site.tooltips": {
        "definitions": {
            "HSX": "Hidden stage SECRETSTAGETITLE: SECRETSTAGEDEFINITION only the company may read.",
            "MQL": "Marketing qualified lead: A lead whose fit and behaviour score crossed the agreed threshold."},
        "protected": ["SECRETRIVALTITLE Systems", "Service-level agreements", "Revenue operations",
                      "Lifecycle stages", "Sales & success", "Open Rival Ltd", "MQL follow-up", "Competitors",
                      "Dana Reyes", "People", "Teams"]}}
    fences = config["markdown_extensions"][3]["pymdownx.superfences"]["custom_fences"][0]
    assert fences["format"] == Tagged("tag:yaml.org,2002:python/name:pymdownx.superfences.fence_code_format", "")
    assert config["extra_css"] == ["assets/playbook/playbook.css"]
    assert config["extra_javascript"] == [{"path": "assets/playbook/vendor/mermaid.min.js", "defer": True},
                                          "assets/playbook/playbook.js", "assets/playbook/changes.js"]
    assert config["theme"]["custom_dir"] == "overrides" and config["theme"]["variant"] == "classic"
    assert "content.action.edit" in config["theme"]["features"]
    assert "overrides/partials/actions.html" in files


def test_every_file_the_site_serves_is_in_docs(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    tree = generate(root, TODAY)
    files = project_files(tree, root, TODAY)
    added = contribute(tree, TODAY)
    assert {f"docs/{p}" for p in [*tree.pages, *tree.hand_written, *added.files]} | {
        "mkdocs.yml", "overrides/partials/actions.html", "overrides/main.html"} == set(files)
    assert "docs/changes.xml" in files  # the change feed, named in every page's head by main.html
    assert ('<link rel="alternate" type="application/atom+xml" href="{{ \'changes.xml\' | url }}" '
            'title="What changed in the playbook">') in files["overrides/main.html"].decode()
    assert json.loads(files["docs/playbook.json"])["generated"] == "2026-04-01"
    assert json.loads(files["docs/assets/playbook/glossary.json"]) == {"HSX": "stages/secretstage/",
                                                                       "MQL": "stages/mql/"}
    assert files["docs/how-we-work.md"] == (root / "docs/how-we-work.md").read_bytes()


def test_record_pages_carry_their_metadata_as_front_matter(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    files = project_files(generate(root, TODAY), root, TODAY)
    mql = files["docs/stages/mql.md"].decode()
    assert front(mql) == {
        "title": "Marketing qualified lead", "tags": ["inbound", "funnel"],
        "edit_url": "https://github.com/example/playbook/edit/main/content/stages/mql.yaml"}
    assert "\n</nav>\n\n# Marketing qualified lead (MQL)\n" in mql.split("---\n", 2)[2]
    assert front(files["docs/teams/sales.md"].decode())["title"] == "Sales &amp; success"
    # an index page is made from a schema and a template: no edit link (as in the plugin's build)
    assert front(files["docs/stages/index.md"].decode()) == {"edit_url": ""}
    assert front(files["docs/index.md"].decode()) == {"edit_url": ""}  # made from no file: no link


def test_partner_project_has_no_edit_links_and_nothing_internal(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    files = project_files(generate(root, TODAY, "partner"), root, TODAY)
    config = config_of(files)
    assert config["theme"]["features"] == ["content.tooltips", "navigation.indexes", "navigation.prune"]
    assert front(files["docs/stages/mql.md"].decode())["edit_url"] == ""  # no link
    assert [p for p, content in files.items() if b"SECRET" in content] == []
    assert "docs/how-we-work.md" not in files and "docs/stages/secretstage.md" not in files


def test_hostile_text_stays_text_in_the_configuration_and_front_matter(tmp_path: Path) -> None:
    root = fixture(tmp_path, "hostile")
    tree = generate(root, TODAY)
    files = project_files(tree, root, TODAY)
    added = contribute(tree, TODAY)
    tooltips = next(e["generator.site.tooltips"] for e in config_of(files)["markdown_extensions"]
                    if isinstance(e, dict) and "generator.site.tooltips" in e)
    assert tooltips == added.tooltips
    for page, meta in added.meta.items():
        assert {k: v for k, v in front(files[f"docs/{page}"].decode()).items() if k != "edit_url"} == meta


def test_edit_url_follows_mkdocs_rules() -> None:
    repo = {"repo_url": "https://github.com/example/playbook"}
    assert edit_url({**repo, "edit_uri": "edit/main/docs/"}, "../content/x.yaml") == (
        "https://github.com/example/playbook/edit/main/content/x.yaml")
    assert edit_url(repo, "page.md") is None  # no edit_uri: site_overrides decides it (next test)
    assert edit_url({**repo, "edit_uri_template": "blob/main/docs/{path_noext}.md?plain=1"}, "a/b.md") == (
        "https://github.com/example/playbook/blob/main/docs/a/b.md?plain=1")
    assert edit_url({**repo, "edit_uri": ""}, "page.md") is None
    assert edit_url({}, "page.md") is None


def test_one_edit_path_rule_for_a_repo_url_without_edit_uri() -> None:
    """Without playbook.yml, a repo_url that mkdocs.yml gives no edit_uri gets the playbook's edit
    path (GitLab's -/edit/, not MkDocs' edit/master/ default), in the plugin build and the project
    alike (both apply site_overrides); an edit_uri written in mkdocs.yml is kept."""
    none = Settings()
    gitlab = {"repo_url": "https://gitlab.com/example/playbook"}
    assert site_overrides(none, "docs", gitlab) == {"edit_uri": "-/edit/main/docs/"}
    assert site_overrides(none, "docs", {"repo_url": "https://github.com/example/playbook"}) == {
        "edit_uri": "edit/main/docs/"}
    assert site_overrides(none, "docs", {**gitlab, "edit_uri": "blob/x/"}) == {}
    assert site_overrides(none, "docs", {**gitlab, "edit_uri_template": "x/{path}"}) == {}
    assert site_overrides(none, "docs", {}) == {}


def test_search_separator_keeps_a_configured_one() -> None:
    assert search_separator(None) == SEARCH_SEPARATOR
    assert search_separator(r"[\s\-]+") == SEARCH_SEPARATOR  # MkDocs' default: replaced
    assert search_separator(r"[\s]+") == r"[\s]+"


def test_rebuild_writes_only_changed_files_and_leaves_builder_output(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    out = tmp_path / "project"
    assert write_project(generate(root, TODAY), root, out, TODAY) == (33, 0)
    (out / "site").mkdir()
    (out / "site/index.html").write_text("built")
    (out / ".cache").mkdir()
    (out / ".cache/x").write_text("cache")
    assert write_project(generate(root, TODAY), root, out, TODAY) == (0, 0)
    (root / "content/stages/secretstage.yaml").unlink()
    mql = root / "content/stages/mql.yaml"
    edit_file(mql, "next_stages: [secretstage]\n", "")
    sla = root / "content/slas/mql-follow-up.yaml"
    edit_file(sla, "stages: [mql, secretstage]", "stages: [mql]")
    _, removed = write_project(generate(root, TODAY), root, out, TODAY)
    assert removed == 1 and not (out / "docs/stages/secretstage.md").exists()
    assert (out / "site/index.html").read_text() == "built" and (out / ".cache/x").exists()
    assert (out / MARKER).exists()


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "mkdocs.yml").write_text("site_name: mine\n")
    with pytest.raises(ValueError, match="is not empty and was not made by 'playbook build'"):
        write_project(generate(root, TODAY), root, out, TODAY)
    assert (out / "mkdocs.yml").read_text() == "site_name: mine\n"


def test_a_hand_written_file_in_the_way_of_an_added_one_is_a_problem(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    (root / "docs/playbook.json").write_text("{}")
    with pytest.raises(PlaybookError) as caught:
        project_files(generate(root, TODAY), root, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "docs/playbook.json:1:1: error: this hand-written file has the path of a file the playbook adds "
        "to its site (playbook.json); rename or move it so that neither is lost"]


def test_build_command_reports_a_configuration_it_cannot_carry(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = fixture(tmp_path)
    (root / "mkdocs.yml").write_text("INHERIT: base.yml\n")
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "out")], io.StringIO()) == 2
    assert capsys.readouterr().err == (
        f"playbook: error: {root / 'mkdocs.yml'}: INHERIT is not supported by 'playbook build --out'; "
        "merge the files\n")
    (root / "mkdocs.yml").unlink()
    with pytest.raises(ConfigError, match="is missing"):
        read_config(root / "mkdocs.yml")


def test_partner_project_refuses_what_the_plugin_refuses(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - pymdownx.snippets\n")
    with pytest.raises(SettingsError, match=r"pymdownx\.snippets pastes other files into pages"):
        project_files(generate(root, TODAY, "partner"), root, TODAY)
    assert "docs/index.md" in project_files(generate(root, TODAY), root, TODAY)  # internal: allowed


def test_partner_project_loses_hidden_nav_entries_and_comments(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - Notes: how-we-work.md\n"
                      "  - Partners: partner-guide.md\n  - Stages: stages/index.md\n")
    guide = root / "docs/partner-guide.md"
    guide.write_text(guide.read_text() + "\n<!-- SECRETCOMMENT ask Dana -->\n")
    files = project_files(generate(root, TODAY, "partner"), root, TODAY)
    assert config_of(files)["nav"] == ["index.md", {"Partners": "partner-guide.md"}, {"Stages": "stages/index.md"}]
    assert b"SECRETCOMMENT" not in files["docs/partner-guide.md"]
    internal = project_files(generate(root, TODAY), root, TODAY)
    assert b"SECRETCOMMENT" in internal["docs/partner-guide.md"]
    assert "<!-- material/tags -->" in files["docs/tags.md"].decode()  # the tag index's marker stays


def test_playbook_yml_decides_the_name_and_addresses_as_in_the_plugin(tmp_path: Path) -> None:
    root = fixture(tmp_path)
    (root / "playbook.yml").write_text('company: "Acme"\nrepo_url: "https://gitlab.com/acme/playbook"\n'
                                       'branch: trunk\n')
    files = project_files(generate(root, TODAY), root, TODAY)
    config = config_of(files)
    assert (config["site_name"], config["repo_url"], config["repo_name"], config["edit_uri"]) == (
        "Acme — Sales & Marketing Playbook", "https://gitlab.com/acme/playbook", "GitLab", "-/edit/trunk/docs/")
    assert front(files["docs/stages/mql.md"].decode())["edit_url"] == (
        "https://gitlab.com/acme/playbook/-/edit/trunk/content/stages/mql.yaml")


def test_main_template_prints_the_site_name_as_text_and_keeps_the_company_one(tmp_path: Path) -> None:
    """Issue 24, point 1: the project's main.html makes every template see the site's name escaped
    (tests/test_contribution_browser.py builds it); a main.html of the company's own custom_dir
    is kept, and extended rather than replaced."""
    root = fixture(tmp_path)
    plain = project_files(generate(root, TODAY), root, TODAY)["overrides/main.html"].decode()
    assert plain.splitlines()[1:3] == ['{% extends "base.html" %}', SITE_NAME_TEMPLATE]
    (root / "custom").mkdir()
    (root / "custom/main.html").write_text('{% extends "base.html" %}\n{% block announce %}Hi{% endblock %}\n')
    edit(root, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: custom\n")
    files = project_files(generate(root, TODAY), root, TODAY)
    main_html = files["overrides/main.html"].decode()
    assert main_html.splitlines()[1:3] == ['{% extends "playbook-company-main.html" %}', SITE_NAME_TEMPLATE]
    assert "{{ super() }}" in main_html and "changes.xml" in main_html
    assert files["overrides/playbook-company-main.html"] == (root / "custom/main.html").read_bytes()


def test_the_feed_block_extends_the_themes_main_template_and_needs_one() -> None:
    """The plugin's way (contribution.with_feed) of adding what head_template adds here."""
    from jinja2 import DictLoader, Environment

    from generator.site.contribution import with_feed

    env = Environment(loader=DictLoader({"main.html": "<head>{% block extrahead %}<meta>{% endblock %}</head>"}))
    env.loader = with_feed(env, "changes.xml")
    env.filters["url"] = lambda p: "../" + p
    assert env.get_template("main.html").render() == (
        '<head>\n  <meta>\n  <link rel="alternate" type="application/atom+xml" href="../changes.xml" '
        'title="What changed in the playbook">\n</head>')
    bare = Environment(loader=DictLoader({"base.html": "x"}))
    assert with_feed(bare, "changes.xml") is bare.loader  # no main.html to extend: nothing added
