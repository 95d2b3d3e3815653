"""``playbook diff``: change summaries from fixture git repositories built in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.history.diff import AMBIGUOUS, FOUND, REVIEWED, FieldChange, Ref, compare
from generator.history.diff_markdown import summary
from generator.history.gitrepo import blob_id

from .conftest import edit

FIXTURE = Path(__file__).parent / "fixtures" / "basic"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(FIXTURE, root)
        self.git("init", "-q", "-b", "main")
        self.base = self.commit("base")

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, env={**os.environ, **GIT_ENV},
                                capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def edit(self, rel: str, old: str, new: str) -> None:
        edit(self.root, rel, old, new)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def header(repo: Repo, head: str | None) -> str:
    against = f"`{head[:12]}`" if head else "the working tree"
    return f"## Playbook changes\n\nCompared `{repo.base[:12]}` with {against}.\n\n"


def test_added_record(repo: Repo) -> None:
    repo.write("content/stages/opportunity.yaml", "title: Opportunity\nowner: sales\n"
               "last_reviewed: 2026-11-20\norder: 4\ndefinition: A qualified deal.\nowning_team: sales\n")
    head = repo.commit("add")
    assert summary(repo.root, repo.base, head) == header(repo, head) + (
        "1 added.\n"
        "\n"
        "### Added (1)\n"
        "\n"
        "#### Lifecycle stage: Opportunity — `content/stages/opportunity.yaml`\n"
        "\n"
        "- **Owner**: Sales (`teams/sales`)\n"
        "- **Last reviewed**: 2026-11-20\n"
    )


def test_removed_record(repo: Repo) -> None:
    (repo.root / "content/slas/mql-follow-up.yaml").unlink()
    head = repo.commit("remove")
    assert summary(repo.root, repo.base, head) == header(repo, head) + (
        "1 removed.\n"
        "\n"
        "### Removed (1)\n"
        "\n"
        "#### Service-level agreement: MQL follow-up — `content/slas/mql-follow-up.yaml`\n"
        "\n"
        "- **Owner**: Sales (`teams/sales`)\n"
        "- **Last reviewed**: 2026-02-15\n"
    )


def test_changed_fields_lists_references_and_review_warning(repo: Repo) -> None:
    mql = "content/stages/mql.yaml"
    repo.edit(mql, "order: 2", "order: 5")
    repo.edit(mql, "  - Fit grade A or B\n", "  - Fit grade A\n  - Opened two emails\n")
    repo.edit(mql, "owning_team: revops", "owning_team: sales")
    repo.edit(mql, "next_stages: [sql]", "next_stages: []")
    repo.edit(mql, "abbreviation: MQL\n", "")
    repo.edit(mql, "owner: revops\n", "owner: revops\nreview_every_days: 30\n")
    head = repo.commit("change")
    assert summary(repo.root, repo.base, head) == header(repo, head) + (
        "1 changed.\n"
        "\n"
        "⚠️ 1 changed record kept its old `last_reviewed` date: see below.\n"
        "\n"
        "### Changed (1)\n"
        "\n"
        "#### Lifecycle stage: Marketing qualified lead — `content/stages/mql.yaml`\n"
        "\n"
        "- **Review every \\(days\\)**: set to 30\n"
        "- **Abbreviation**: removed (was “MQL”)\n"
        "- **Order in the funnel**: 2 → 5\n"
        "- **Entry criteria**: added “Fit grade A”; added “Opened two emails”; removed “Fit grade A or B”\n"
        "- **Owning team**: Revenue operations (`teams/revops`) → Sales (`teams/sales`)\n"
        "- **Next stages**: removed Sales qualified lead (`stages/sql`)\n"
        "- **References gained**: Sales (`teams/sales`)\n"
        "- **References lost**: Sales qualified lead (`stages/sql`)\n"
        "- ⚠️ The content changed but `last_reviewed` is still 2026-03-01: if the owner has confirmed "
        "the whole record is accurate, set it to that date.\n"
    )


def test_changed_with_review_bump_has_no_warning(repo: Repo) -> None:
    repo.edit("content/slas/mql-follow-up.yaml", "4 working hours", "2 working hours")
    repo.edit("content/slas/mql-follow-up.yaml", "last_reviewed: 2026-02-15", "last_reviewed: 2026-11-20")
    repo.edit("content/slas/mql-follow-up.yaml", "reassigns the lead.", "reassigns the lead at once.")
    head = repo.commit("change")
    out = summary(repo.root, repo.base, head)
    assert "⚠️" not in out
    assert out.endswith(
        "#### Service-level agreement: MQL follow-up — `content/slas/mql-follow-up.yaml`\n"
        "\n"
        "- **Target**: “First call within 4 working hours” → “First call within 2 working hours”\n"
        "- **Escalation 1 / Action**: “The sales manager reassigns the lead.” → "
        "“The sales manager reassigns the lead at once.”\n"
        "- **Last reviewed**: 2026-02-15 → 2026-11-20\n"
    )


def test_review_only_is_a_still_accurate_confirmation(repo: Repo) -> None:
    repo.edit("content/stages/sql.yaml", "last_reviewed: 2026-02-01", "last_reviewed: 2026-11-20")
    head = repo.commit("review")
    assert summary(repo.root, repo.base, head) == header(repo, head) + (
        "1 confirmed still accurate.\n"
        "\n"
        "### Confirmed still accurate (1)\n"
        "\n"
        "#### Lifecycle stage: Sales qualified lead — `content/stages/sql.yaml`\n"
        "\n"
        "- **Last reviewed**: 2026-02-01 → 2026-11-20 — no other change: the owner confirms it is "
        "still accurate.\n"
    )


def test_rename_with_edit_and_pure_rename(repo: Repo) -> None:
    repo.git("mv", "content/slas/mql-follow-up.yaml", "content/slas/mql-callback.yaml")
    repo.edit("content/slas/mql-callback.yaml", "title: MQL follow-up", "title: MQL callback")
    repo.git("mv", "content/people/dana-reyes.yaml", "content/people/dana-reyes-smith.yaml")
    head = repo.commit("rename")
    assert summary(repo.root, repo.base, head) == header(repo, head) + (
        "2 renamed.\n"
        "\n"
        "⚠️ 1 changed record kept its old `last_reviewed` date: see below.\n"
        "\n"
        "### Renamed (2)\n"
        "\n"
        "#### Service-level agreement: MQL callback — `content/slas/mql-follow-up.yaml` → "
        "`content/slas/mql-callback.yaml`\n"
        "\n"
        "- **Title**: “MQL follow-up” → “MQL callback”\n"
        "- ⚠️ The content changed but `last_reviewed` is still 2026-02-15: if the owner has confirmed "
        "the whole record is accurate, set it to that date.\n"
        "\n"
        "#### Person: Dana Reyes — `content/people/dana-reyes.yaml` → "
        "`content/people/dana-reyes-smith.yaml`\n"
    )


def test_dissimilar_files_are_a_removal_and_an_addition_not_a_rename(repo: Repo) -> None:
    (repo.root / "content/stages/sql.yaml").unlink()
    repo.write("content/stages/won.yaml", "title: Won\nowner: sales\nlast_reviewed: 2026-11-20\n"
               "order: 9\ndefinition: Signed.\nowning_team: sales\n")
    head = repo.commit("swap")
    out = summary(repo.root, repo.base, head)
    assert "1 added, 1 removed.\n" in out
    assert "Renamed" not in out


def test_working_tree_is_the_default_head_and_includes_untracked_files(repo: Repo, capsys) -> None:
    repo.write("content/teams/marketing.yaml",
               "title: Marketing\nowner: dana-reyes\nlast_reviewed: 2026-11-20\n")
    repo.edit("content/teams/sales.yaml", "title: Sales", "title: Sales & Success")
    assert main(["diff", "main", "--root", str(repo.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(header(repo, None) + "1 added, 1 changed.\n")
    assert "#### Team: Marketing — `content/teams/marketing.yaml`\n" in out
    assert "- **Title**: “Sales” → “Sales &amp; Success”\n" in out


def test_formatting_and_comments_only_are_not_changes(repo: Repo) -> None:
    repo.edit("content/stages/sql.yaml", "order: 3", "order: 3   # after MQL")
    repo.write("docs/extra.md", "# Not a record\n")
    head = repo.commit("format")
    assert summary(repo.root, repo.base, head) == header(repo, head) + "No record changed.\n"


def test_long_and_multiline_text_is_shown_as_a_line_diff(repo: Repo) -> None:
    repo.edit("content/stages/mql.yaml", "  Sales accepts or rejects it within one working day.",
              "  Sales accepts or rejects it within four working hours.")
    head = repo.commit("text")
    assert (
        "- **Definition**: text changed\n"
        "\n"
        "  ```diff\n"
        "  -Sales accepts or rejects it within one working day.\n"
        "  +Sales accepts or rejects it within four working hours.\n"
        "  ```\n"
    ) in summary(repo.root, repo.base, head)


def test_untrusted_text_is_escaped(repo: Repo) -> None:
    repo.edit("content/teams/sales.yaml", "title: Sales",
              "title: \"[click](javascript:alert(1)) <img src=x onerror=alert(1)>\"")
    head = repo.commit("evil")
    out = summary(repo.root, repo.base, head)
    assert "<img" not in out and "](javascript" not in out
    assert r"\[click\]\(javascript:alert\(1\)\) &lt;img src=x onerror=alert\(1\)&gt;" in out
    # a code fence in text cannot close the diff block early
    repo.edit("content/stages/mql.yaml", "  Sales accepts", "  ```\n  Sales accepts")
    head = repo.commit("fence")
    assert "  ````diff\n" in summary(repo.root, repo.base, head)


def test_unreadable_yaml_is_reported_not_raised(repo: Repo) -> None:
    repo.write("content/stages/sql.yaml", "title: [unclosed\n")
    head = repo.commit("broken")
    assert summary(repo.root, repo.base, head).endswith(
        "#### Lifecycle stage: Sales qualified lead — `content/stages/sql.yaml`\n"
        "\n"
        "- cannot be read in `" + head[:12] + "`: line 2, column 1: invalid YAML: did not find expected "
        "',' or '\\]' \\(while parsing a flow sequence started at line 1, column 8\\)\n"
    )


def test_worktree_blob_ids_match_git(repo: Repo) -> None:
    data = (repo.root / "content/stages/mql.yaml").read_bytes()
    assert blob_id(data) == repo.git("hash-object", "content/stages/mql.yaml")


@pytest.mark.parametrize(("rev", "message"), [
    ("no-such-branch", "not a commit in this repository: 'no-such-branch'"),
    ("--output=/tmp/x", "not a revision: '--output=/tmp/x'"),
])
def test_bad_revisions_are_usage_errors(repo: Repo, capsys, rev: str, message: str) -> None:
    assert main(["diff", "--root", str(repo.root), "--", rev]) == 2
    assert capsys.readouterr().err == f"playbook: error: {message}\n"


def test_not_a_git_repository(tmp_path: Path, capsys) -> None:
    shutil.copytree(FIXTURE, tmp_path / "plain")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        assert main(["diff", "HEAD", "--root", str(tmp_path / "plain")]) == 2
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
    assert capsys.readouterr().err == "playbook: error: not a commit in this repository: 'HEAD'\n"


def test_playbook_in_a_subfolder_of_the_repository(tmp_path: Path, capsys) -> None:
    outer = Repo(tmp_path / "outer")  # the fixture at the top, and a second copy in playbook/
    shutil.copytree(FIXTURE, outer.root / "playbook")
    outer.commit("add a playbook in a subfolder")
    outer.edit("playbook/content/stages/sql.yaml", "order: 3", "order: 4")
    assert main(["diff", "HEAD", "--root", str(outer.root / "playbook")]) == 0
    out = capsys.readouterr().out
    assert "1 changed.\n" in out
    assert "- **Order in the funnel**: 3 → 4\n" in out


def test_rename_pairs_the_most_similar_files(repo: Repo) -> None:
    sql = (repo.root / "content/stages/sql.yaml").read_text()
    repo.git("rm", "-q", "content/stages/sql.yaml")
    repo.write("content/stages/sales-qualified.yaml", sql.replace("order: 3", "order: 4"))
    repo.write("content/stages/other.yaml", sql.replace("order: 3", "order: 9").replace(
        "title: Sales qualified lead", "title: Other").replace("owning_team: sales", "owning_team: revops"))
    head = repo.commit("rename among look-alikes")
    out = summary(repo.root, repo.base, head)
    assert "`content/stages/sql.yaml` → `content/stages/sales-qualified.yaml`" in out
    assert "#### Lifecycle stage: Other — `content/stages/other.yaml`" in out
    assert "1 added, 1 renamed.\n" in out


# ---------------------------------------------------------------------------
# The FieldChange values the engine produces (the renderers' input: tests/test_renderers.py)


def _fields(repo: Repo) -> list[FieldChange]:
    changes, _ = compare(repo.root, repo.base)
    assert [c.kind for c in changes] == ["changed"]
    return changes[0].fields


def test_field_changes_of_each_kind_with_schema_titles_and_nested_paths(repo: Repo) -> None:
    mql, sla = "content/stages/mql.yaml", "content/slas/mql-follow-up.yaml"
    repo.edit(mql, "abbreviation: MQL\n", "")
    repo.edit(mql, "owner: revops\n", "owner: revops\nreview_every_days: 30\n")
    repo.edit(mql, "  - Fit grade A or B\n  - Behaviour score of 60 or more\n",
              "  - Behaviour score of 60 or more\n  - Fit grade A or B\n")
    repo.edit(mql, "next_stages: [sql]", "next_stages: []")
    assert _fields(repo) == [
        FieldChange(("review_every_days",), ("Review every (days)",), "added", None, 30),
        FieldChange(("abbreviation",), ("Abbreviation",), "removed", "MQL", None),
        FieldChange(("entry_criteria",), ("Entry criteria",), "reordered"),
        FieldChange(("next_stages",), ("Next stages",), "changed",
                    removed=(Ref("sql", FOUND, "stages", "Sales qualified lead"),)),
        FieldChange((), (), "changed", removed=(Ref("sql", FOUND, "stages", "Sales qualified lead"),),
                    references=True),
    ]
    repo.git("checkout", "--", mql)
    repo.edit(sla, "reassigns the lead.", "reassigns it.")
    repo.edit(sla, "provider: sales", "provider: revops")
    repo.edit(sla, "last_reviewed: 2026-02-15", "last_reviewed: 2026-11-20")
    assert _fields(repo) == [
        FieldChange(("provider",), ("Provider",), "changed", Ref("sales", FOUND, "teams", "Sales"),
                    Ref("revops", FOUND, "teams", "Revenue operations")),
        FieldChange(("escalation", 0, "action"), ("Escalation", "1", "Action"), "changed",
                    "The sales manager reassigns the lead.", "The sales manager reassigns it."),
        FieldChange((REVIEWED,), ("Last reviewed",), "changed", "2026-02-15", "2026-11-20", metadata=True),
    ]
    assert _fields(repo)[1].title == "Action"


def test_housekeeping_fields_are_flagged_metadata(repo: Repo) -> None:
    mql = "content/stages/mql.yaml"
    repo.edit(mql, "order: 2", "order: 5")  # the collection's numeric sort field
    repo.edit(mql, "owner: revops\n", "owner: revops\naudience: partner\n")
    repo.edit(mql, "summary: A lead", "summary: A good lead")
    flagged = {f.path: f.metadata for f in _fields(repo)}
    assert flagged == {("order",): True, ("summary",): False, ("audience",): True}
    # A company marks its own housekeeping fields in the schema, at any depth.
    repo.edit("schemas/stages.schema.json", '"title": "Abbreviation"}', '"title": "Abbreviation", "x-metadata": true}')
    repo.edit(mql, "abbreviation: MQL", "abbreviation: M")
    flagged = {f.path: f.metadata for f in _fields(repo)}
    assert flagged[("abbreviation",)] is True and flagged[("summary",)] is False


def test_an_ambiguous_reference_is_an_explicit_outcome(repo: Repo) -> None:
    # "sales" is both a person and a team, and owner may name either: it names neither.
    repo.write("content/people/sales.yaml", "title: Sal Es\nowner: sales\nlast_reviewed: 2026-03-01\n")
    repo.edit("content/stages/mql.yaml", "owner: revops", "owner: sales")
    changes, _ = compare(repo.root, repo.base)
    owner = next(f for c in changes if c.kind == "changed" for f in c.fields if f.path == ("owner",))
    assert owner.new == Ref("sales", AMBIGUOUS, among=("people", "teams"))
    out = summary(repo.root, repo.base)
    assert "- **Owner**: Revenue operations (`teams/revops`) → sales (ambiguous: a record in people, teams)\n" in out
    assert "- **Owner**: sales (ambiguous: a record in people, teams)\n" in out  # the added person's owner
