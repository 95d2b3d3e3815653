"""``playbook init``: a company's own playbook from a fresh copy, safely and idempotently."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.loader import load_yaml
from generator.repo.adopt import MANIFEST, manifest_text
from generator.rules.project import load_playbook

from .conftest import FIXTURES, REPO, edit_file, mkdocs_build

STARTER_SETTINGS = 'company: "Example Corp"\nsite_name: "Example Corp playbook"\nstarter: true\n'


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "HOME": str(root),
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                               "PATH": "/usr/bin:/bin"}).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The ``basic`` fixture as a fresh clone of a starter repository: committed, starter: true."""
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "basic", root)
    (root / "playbook.yml").write_text(STARTER_SETTINGS)
    (root / "docs/start-here.md").write_text("# Start here\n\nThe Example Corp playbook.\n")
    (root / MANIFEST).write_text(manifest_text(root))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "starter")
    return root


def git_show(root: Path, spec: str) -> bytes:
    return subprocess.run(["git", "-C", str(root), "show", spec], capture_output=True, check=True).stdout


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out), out.getvalue()


def records(root: Path) -> list[str]:
    return sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.yaml"))


def test_init_replaces_the_starter_with_a_skeleton_and_sets_the_company_everywhere(clone: Path) -> None:
    code, out = run("init", "--company", "Acme Analytics", "--repo-url", "https://gitlab.com/acme/sales/playbook",
                    "--handle-format", "gitlab", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert out.splitlines() == [
        "  updated  playbook.yml",
        "  removed  content/*/*.yaml  (6 example records (git can restore them))",
        "    wrote  content/people/example-person.yaml  (an example to replace)",
        "    wrote  content/teams/example-team.yaml  (an example to replace)",
        "    wrote  content/stages/example-lifecycle-stage.yaml  (an example to replace)",
        "    wrote  content/slas/example-service-level-agreement.yaml  (an example to replace)",
        "    wrote  docs/start-here.md",
        "    wrote  .vscode/settings.json",
        "    wrote  .github/CODEOWNERS",
        "     kept  .github/CODEOWNERS  (no code owner for playbook.yml, mkdocs.yml, schemas/, templates/, docs/, "
        ".github/: add hand-written lines for them)",
        "playbook init: done. Next: replace the example records (`playbook check` lists what is left), "
        "then `make serve`.",
    ]
    assert records(clone) == ["people/example-person.yaml", "slas/example-service-level-agreement.yaml",
                              "stages/example-lifecycle-stage.yaml", "teams/example-team.yaml"]
    settings = load_yaml((clone / "playbook.yml").read_bytes()).data
    assert settings == {
        "company": "Acme Analytics", "repo_url": "https://gitlab.com/acme/sales/playbook", "starter": False,
        "owners": {"collections": ["people", "teams"], "handle_field": "github", "handle_format": "gitlab"},
        "codeowners": ".github/CODEOWNERS",
    }  # the site name named the old company, so it went
    stage = (clone / "content/stages/example-lifecycle-stage.yaml").read_text()
    assert stage.splitlines()[1].startswith("# An example written by `playbook init`: replace it")
    assert "Acme Analytics's sales and marketing playbook" in (clone / "docs/start-here.md").read_text()
    # Valid, but every placeholder is a warning until it is replaced.
    playbook, problems = load_playbook(clone)
    assert problems and all(p.severity == "warning" for p in problems)
    assert playbook.settings.company == "Acme Analytics"


NO_MACHINERY_OWNER = ("     kept  .github/CODEOWNERS  (no code owner for playbook.yml, mkdocs.yml, schemas/, "
                      "templates/, docs/, .github/: add hand-written lines for them)")


def test_init_says_which_machinery_has_no_code_owner_left(clone: Path) -> None:
    """Issue 24, point 1: the starter's hand-written CODEOWNERS lines gave the machinery to the
    example company's team; once init has replaced them, the report says what has no owner."""
    (clone / ".github").mkdir()
    (clone / ".github/CODEOWNERS").write_text("/schemas/ @example/revops\n/playbook.yml @example/revops\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "codeowners")
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0
    assert NO_MACHINERY_OWNER in out.splitlines()
    text = (clone / ".github/CODEOWNERS").read_text()
    assert "@example/revops" not in text and "# /playbook.yml @your-org/revops\n" in text


def test_init_twice_changes_nothing(clone: Path) -> None:
    args = ("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert run(*args)[0] == 0
    before = {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts}
    code, out = run(*args)
    assert code == 0
    assert out.splitlines()[:-1] == ["unchanged  playbook.yml", "unchanged  .vscode/settings.json",
                                     "unchanged  .github/CODEOWNERS", NO_MACHINERY_OWNER]
    assert {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts} == before


def test_init_keeps_and_reports_what_the_company_changed(clone: Path) -> None:
    edited = clone / "content/stages/sql.yaml"
    edit_file(edited, "A lead sales has spoken to", "Our own definition:")
    (clone / "content/teams/growth.yaml").write_text("title: Growth\nowner: growth\nlast_reviewed: 2026-11-01\n")
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0
    assert "     kept  content/stages/sql.yaml  (changed from the example: delete it yourself if it belongs to " \
           "the example)" in out.splitlines()
    assert "     kept  content/teams/growth.yaml  (not one of the examples: yours, so it stays)" in out.splitlines()
    assert "Our own definition:" in edited.read_text()
    assert (clone / "content/teams/growth.yaml").is_file()


def test_init_recognises_the_examples_by_content_not_by_being_committed(clone: Path) -> None:
    """The audit's case: records the company wrote, or changed, and committed are not examples."""
    (clone / "content/teams/growth.yaml").write_text("title: Growth\nowner: growth\nlast_reviewed: 2026-11-01\n")
    edit_file(clone / "content/stages/sql.yaml", "A lead sales has spoken to", "Our own definition:")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Our own records")
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert out.splitlines()[1:4] == [
        "  removed  content/*/*.yaml  (5 example records (git can restore them))",
        "     kept  content/stages/sql.yaml  (changed from the example: delete it yourself if it belongs to the "
        "example)",
        "     kept  content/teams/growth.yaml  (not one of the examples: yours, so it stays)",
    ]
    assert "Our own definition:" in (clone / "content/stages/sql.yaml").read_text()
    assert (clone / "content/teams/growth.yaml").is_file()
    assert not (clone / MANIFEST).exists()  # the list of examples goes with them


def test_an_example_copied_but_never_committed_is_kept(clone: Path) -> None:
    (clone / "content/stages/sql.yaml").unlink()
    git(clone, "commit", "-q", "-am", "No SQL stage")
    (clone / "content/stages/sql.yaml").write_bytes(git_show(clone, "HEAD~1:content/stages/sql.yaml"))
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert "     kept  content/stages/sql.yaml  (changed since the last commit or never committed, so git could " \
           "not restore it: delete it yourself)" in out.splitlines()


def test_without_a_list_of_the_examples_init_removes_nothing(clone: Path) -> None:
    (clone / MANIFEST).unlink()
    git(clone, "commit", "-q", "-am", "No manifest")
    before = records(clone)
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert out.splitlines()[1] == (f"     kept  content/  (no {MANIFEST} lists the example company's files, so "
                                   "none was removed: delete the example records yourself and run init with "
                                   "--keep-starter)")
    assert records(clone) == before
    assert load_yaml((clone / "playbook.yml").read_bytes()).data["starter"] is True


def test_init_changes_playbook_yml_in_place_keeping_comments_and_other_settings(clone: Path) -> None:
    settings = clone / "playbook.yml"
    settings.write_text('# Ours: ask RevOps before changing anything here.\ncompany: "Example Corp"  # legal name\n'
                        'starter: true\nfiscal_year_starts: 2  # February\nworking_hours:\n  from: "08:00"\n'
                        '  to: "18:00"\n  days: [monday, friday]\n  time_zone: Europe/Paris\n')
    git(clone, "commit", "-q", "-am", "Our settings")
    code, out = run("init", "--company", "Acme", "--repo-url", "https://github.com/acme/playbook", "--today",
                    "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert settings.read_text() == (
        '# Ours: ask RevOps before changing anything here.\ncompany: "Acme"  # legal name\n'
        'repo_url: "https://github.com/acme/playbook"  # the repository: edit links; without it, no page calls '
        'the code host\n'
        'starter: false\n'
        'owners:\n'
        '  collections: [people, teams]  # the collections whose records can own records\n'
        '  handle_field: github  # the field with a code-host handle\n'
        '  handle_format: github  # github (user, org/team) or gitlab (user, group/subgroup/...)\n'
        'codeowners: ".github/CODEOWNERS"  # where `playbook codeowners` writes\n'
        'fiscal_year_starts: 2  # February\nworking_hours:\n  from: "08:00"\n'
        '  to: "18:00"\n  days: [monday, friday]\n  time_zone: Europe/Paris\n')
    assert run("init", "--company", "Acme", "--root", str(clone))[1].splitlines()[0] == "unchanged  playbook.yml"


def test_the_starter_manifest_lists_the_bundled_example_files() -> None:
    """Starter-specific: `make starter-manifest` after changing the example company's files."""
    assert (REPO / MANIFEST).read_text() == manifest_text(REPO), "run `make starter-manifest`"


def test_init_outside_a_git_clone_removes_nothing(clone: Path) -> None:
    shutil.rmtree(clone / ".git")
    before = records(clone)
    code, out = run("init", "--company", "Acme", "--root", str(clone))
    assert code == 0
    assert out.splitlines()[1].startswith("     kept  content/  (not the top of a git clone")
    assert records(clone) == before
    assert load_yaml((clone / "playbook.yml").read_bytes()).data["starter"] is True


def test_keep_starter_only_sets_the_company(clone: Path) -> None:
    before = records(clone)
    code, _ = run("init", "--company", "Acme", "--keep-starter", "--root", str(clone))
    assert code == 0
    assert records(clone) == before
    assert (clone / "docs/start-here.md").read_text() == "# Start here\n\nThe Example Corp playbook.\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--company", " "], "playbook: error: --company must name the company\n"),
])
def test_bad_requests_are_usage_errors(clone: Path, capsys, args: list[str], message: str) -> None:
    assert main(["init", *args, "--root", str(clone)], io.StringIO()) == 2
    assert capsys.readouterr().err == message


def test_invalid_settings_stop_init_before_anything_changes(clone: Path, capsys) -> None:
    (clone / "playbook.yml").write_text("company: Acme\nrepo_url: github.com/acme\n")
    before = records(clone)
    assert main(["init", "--company", "Acme", "--root", str(clone)], io.StringIO()) == 2
    assert capsys.readouterr().err == (
        "playbook: error: playbook.yml has problems; fix them first:\n"
        "playbook.yml:2:11: error: repo_url: must be a web address starting with http:// or https://, like "
        "https://github.com/acme/playbook\n"
    )
    assert records(clone) == before


@pytest.mark.site
def test_every_starter_schema_gets_an_example_record_that_checks_and_renders(tmp_path: Path) -> None:
    """On the starter's schemas and templates with an empty content/, init writes a valid example
    record in every collection (independent of the starter's own records); a strict build refuses
    to publish it until the placeholders are replaced, and says where each one is."""
    root = tmp_path / "playbook"
    for folder in ("schemas", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "content").mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    code, out = run("init", "--company", "Zed Ltd", "--today", "2026-12-01", "--root", str(root))
    assert code == 0, out
    playbook, problems = load_playbook(root)
    assert [p for p in problems if p.severity == "error"] == []
    assert [c for c in playbook.collections if not playbook.in_collection(c)] == []
    assert run("build", "--out", str(tmp_path / "md"), "--today", "2026-12-01", "--root", str(root))[0] == 0
    assert "# Start here" in (tmp_path / "md/docs/start-here.md").read_text()
    # With only the required fields, no page has an empty section or a table without rows.
    for page in sorted((tmp_path / "md/docs").rglob("*.md")):
        lines = [line for line in page.read_text().splitlines() if line.strip()]
        for here, after in zip(lines, [*lines[1:], ""], strict=True):
            if here.startswith("## "):
                assert after and not after.startswith("## "), f"{page.name}: empty section {here!r}"
            if here.startswith("| ---") or here.startswith("| ---:"):
                assert after.startswith("|"), f"{page.name}: a table without rows"
    result = mkdocs_build(root, today="2026-12-01")
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings and all("`playbook new` chose this value" in w or "placeholder text" in w for w in warnings)


def test_a_new_codeowners_location_retires_the_generated_file_at_the_old_one(clone: Path) -> None:
    assert run("codeowners", "--root", str(clone))[0] == 0
    assert (clone / ".github/CODEOWNERS").is_file()
    code, out = run("init", "--company", "Acme", "--codeowners", ".gitlab/CODEOWNERS", "--root", str(clone))
    assert code == 0
    assert "  removed  .github/CODEOWNERS  (written by `playbook codeowners` for the old location)" in out
    assert "# BEGIN generated by `playbook codeowners`" in (clone / ".gitlab/CODEOWNERS").read_text()
    assert not (clone / ".github/CODEOWNERS").exists()


def test_codeowners_is_never_written_among_the_sources(clone: Path, capsys) -> None:
    before = records(clone)
    assert main(["init", "--company", "Acme", "--codeowners", "docs/CODEOWNERS", "--root", str(clone)],
                io.StringIO()) == 2
    assert capsys.readouterr().err == (
        "playbook: error: the settings are not valid:\n"
        "playbook.yml:7:13: error: codeowners: must be a path inside the repository, outside content/, "
        "docs/, schemas/ and templates/, like .github/CODEOWNERS or .gitlab/CODEOWNERS\n"
    )
    assert not (clone / "docs/CODEOWNERS").exists()
    assert records(clone) == before  # nothing changed: the settings are checked first
    assert (clone / "playbook.yml").read_text() == STARTER_SETTINGS


def test_the_change_history_starts_where_the_starter_was_replaced(clone: Path) -> None:
    from datetime import date as day

    from generator.site.site import generate

    assert run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))[0] == 0
    uncommitted = generate(clone, day(2026, 12, 2)).pages["changes.md"]
    assert "Marketing qualified lead" not in uncommitted  # the starter's past is not the company's
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Adopt the playbook")
    team = clone / "content/teams/example-team.yaml"
    edit_file(team, "title: Example team", "title: Growth team")
    git(clone, "commit", "-q", "-am", "Our first team")
    changes = generate(clone, day(2026, 12, 2)).pages["changes.md"]
    assert "Growth team" in changes
    assert "Marketing qualified lead" not in changes and "Example Corp" not in changes


# ---------------------------------------------------------------------------
# Nothing of the example company is left


# The product's own files, which name the example as such (its code, tests and the README that
# introduces it); everything else is the company's playbook once init has run.
PRODUCT = ("generator/", "tests/", "bench/", "README.md")


def starter_names(root: Path) -> tuple[set[str], set[str]]:
    """What identifies the example company, read from the starter itself: its name, its people's
    and competitors' names, its owners' handles and e-mail addresses (and their domain and
    organisation), and its record ids of three words or more (shorter ones, like `mql` or
    `behaviour-score`, are ordinary words of any company's playbook)."""
    playbook, _ = load_playbook(root)
    names = {str(playbook.settings.company)}
    for record in playbook.records.values():
        if record.collection in ("people", "competitors"):
            names.add(record.title)
        for field in ("github", "email"):
            value = record.get(field)
            if isinstance(value, str):
                names |= {value, value.split("@")[-1], value.split("/")[0]}
    ids = {record.id for record in playbook.records.values() if record.id.count("-") >= 2}
    return names, ids


def leftovers(root: Path, names: set[str], ids: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    words = re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(ids)))
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith((".git/", *PRODUCT)):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits = sorted(n for n in names if n.casefold() in text.casefold()) + sorted(set(words.findall(text)))
        if hits:
            found[rel] = hits
    return found


def test_a_fresh_init_leaves_no_name_of_the_example_company(tmp_path: Path) -> None:
    root = tmp_path / "playbook"
    for rel in git(REPO, "ls-files").splitlines():
        if (REPO / rel).is_file() and not (REPO / rel).is_symlink():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, root / rel)
    names, ids = starter_names(root)
    assert len(names) > 20 and len(ids) > 10
    before = leftovers(root, names, ids)
    assert ".github/CODEOWNERS" in before and "playbook.yml" in before  # what the check finds
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "starter")
    code, out = run("init", "--company", "Acme Analytics", "--today", "2026-12-01", "--root", str(root))
    assert code == 0, out
    assert leftovers(root, names, ids) == {}
    owners = (root / ".github/CODEOWNERS").read_text()
    assert "# /schemas/ @your-org/revops\n" in owners and "# BEGIN generated by `playbook codeowners`" in owners
    assert run("codeowners", "--check", "--root", str(root))[0] == 0


def test_init_keeps_hand_written_codeowners_lines_changed_since_the_last_commit(clone: Path) -> None:
    owners = clone / ".github/CODEOWNERS"
    owners.parent.mkdir()
    owners.write_text("/schemas/ @example/revops\n/templates/ @example/revops\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "owners")
    owners.write_text("/schemas/ @example/revops\n/docs/ @example/revops\n")
    code, out = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 0, out
    assert ("     kept  .github/CODEOWNERS  (its hand-written lines name the example company's owners and it "
            "changed since the last commit: replace those lines yourself)") in out.splitlines()
    assert owners.read_text().startswith("/schemas/ @example/revops\n/docs/ @example/revops\n")


@pytest.mark.parametrize("rel", [".github/CODEOWNERS", ".vscode/settings.json", "docs/start-here.md",
                                 "playbook.yml"])
@pytest.mark.parametrize("dangling", [False, True])
def test_init_never_writes_through_a_symbolic_link(clone: Path, tmp_path: Path, rel: str, dangling: bool) -> None:
    """Issue 24, point 5: a link at a file init writes (pointing outside, or nowhere yet) makes it
    stop before anything changes, as `playbook codeowners` does."""
    outside = tmp_path / "outside.txt"
    if not dangling:
        outside.write_text("not yours\n")
    target = clone / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    target.symlink_to(outside)
    before = {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts}
    code, _ = run("init", "--company", "Acme", "--today", "2026-12-01", "--root", str(clone))
    assert code == 2
    assert outside.read_text() == "not yours\n" if not dangling else not outside.exists()
    assert {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts} == before
