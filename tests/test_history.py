"""The change history over a scripted repository (tests/history_repo.py): exactly the business
changes, in order, with the right dates; audiences; invalid commits; merges; the cache."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.history import history
from generator.history.history import History, read_history, visible
from tests.history_repo import commit, edit, git, scripted_repo


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return scripted_repo(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="module")
def full(scripted: tuple[Path, dict[str, str]]) -> History:
    return read_history(scripted[0], cache=False)


def summary(shown: list[history.Shown]) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [(s.entry.day.isoformat(), s.view.kind, "/".join(s.current), s.view.title, s.view.lines)
            for s in shown]


IMPORTED = [
    ("2026-01-05", "added", "stages/mql", "Marketing qualified lead",
     ("**Owner**: Revenue operations (`teams/revops`)", "**Last reviewed**: 2026-03-01")),
    ("2026-01-05", "added", "stages/secretstage", "Hidden stage SECRETSTAGETITLE",
     ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-02-01")),
    ("2026-01-05", "added", "slas/mql-first-call", "MQL follow-up",
     ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-03-15")),
    ("2026-01-05", "added", "competitors/open-rival", "Open Rival Ltd",
     ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-03-01")),
    ("2026-01-05", "added", "competitors/secretrival", "SECRETRIVALTITLE Systems",
     ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-03-01")),
    ("2026-01-05", "added", "teams/revops", "Revenue operations",
     ("**Owner**: Dana Reyes (`people/dana-reyes`)", "**Last reviewed**: 2026-01-10")),
    ("2026-01-05", "added", "teams/sales", "Sales",
     ("**Owner**: Dana Reyes (`people/dana-reyes`)", "**Last reviewed**: 2026-01-10")),
    ("2026-01-05", "added", "people/dana-reyes", "Dana Reyes",
     ("**Owner**: Revenue operations (`teams/revops`)", "**Last reviewed**: 2026-01-10")),
]
MQL = "Marketing qualified lead"
DEFINITION_OLD = "“A lead whose fit and behaviour score crossed the agreed threshold.”"
DEFINITION_NEW = "“A lead whose fit and behaviour score crossed the threshold we agreed on.”"
SCRIPTED = [
    ("2026-03-02", "changed", "stages/mql", MQL,
     ("**Next stages**: added Sales qualified lead (`stages/sql`)",
      "**References gained**: Sales qualified lead (`stages/sql`)")),
    ("2026-03-02", "added", "stages/sql", "Sales qualified lead",
     ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-03-02")),
    ("2026-03-03", "changed", "stages/mql", MQL,
     ("**Entry criteria**: added “Behaviour score of 70 points or more”; removed “Behaviour score of 60 "
      "points or more”", "**Last reviewed**: 2026-03-01 → 2026-03-03")),
    ("2026-03-04", "renamed", "slas/mql-first-call", "MQL follow-up", ()),
    ("2026-03-05", "reviewed", "teams/sales", "Sales",
     ("**Last reviewed**: 2026-01-10 → 2026-03-05 — no other change: the owner confirms it is still accurate.",)),
    # The broken commit (9 March, 10:00) is not a change; its fix (12:00) is, against the last valid version.
    ("2026-03-09", "changed", "stages/sql", "Sales qualified lead", ("**Order in the funnel**: 3 → 4",)),
    ("2026-03-10", "changed", "stages/mql", MQL, (f"**Definition**: {DEFINITION_OLD} → {DEFINITION_NEW}",)),
    ("2026-03-11", "changed", "stages/mql", MQL, (f"**Definition**: {DEFINITION_NEW} → {DEFINITION_OLD}",)),
]
INTERNAL_ONLY = [
    ("2026-03-12", "changed", "competitors/open-rival", "Open Rival Ltd",
     ("**Pricing notes**: “SECRETPRICING list price 90k a year, discounts to 60k at quarter end.” → "
      "“SECRETPRICING list price 90k a year, discounts to 50k at quarter end.”",)),
    ("2026-03-12", "changed", "competitors/secretrival", "SECRETRIVALTITLE Systems",
     ("**Positioning**: “SECRETRIVALPOSITIONING cheap and cheerful.” → “SECRETRIVALPOSITIONING cheap, "
      "cheerful and SECRETRIVALNEW.”",)),
]


def test_internal_history_is_exactly_the_business_changes_in_order(full: History) -> None:
    assert summary(visible(full, "internal")) == [
        *IMPORTED, *SCRIPTED, *INTERNAL_ONLY,
        ("2026-03-16", "changed", "stages/mql", MQL,
         ("**Next stages**: removed Hidden stage SECRETSTAGETITLE (`stages/secretstage`)",
          "**References lost**: Hidden stage SECRETSTAGETITLE (`stages/secretstage`)")),
        ("2026-03-16", "removed", "stages/secretstage", "Hidden stage SECRETSTAGETITLE",
         ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-02-01")),
        ("2026-03-16", "changed", "slas/mql-first-call", "MQL follow-up",
         ("**Applies to stages**: removed Hidden stage SECRETSTAGETITLE (`stages/secretstage`)",
          "**References lost**: Hidden stage SECRETSTAGETITLE (`stages/secretstage`)")),
        ("2026-03-17", "changed", "competitors/open-rival", "Open Rival Ltd",
         ("**Audience**: removed (was “partner”)",)),
        ("2026-03-18", "changed", "stages/mql", MQL, ("**Summary**: set to “Ready for a sales call.”",)),
    ]


def test_partner_history_has_no_trace_of_internal_records(full: History) -> None:
    shown = visible(full, "partner")
    assert summary(shown) == [
        *(i for i in IMPORTED if i[2] in ("stages/mql", "slas/mql-first-call", "teams/revops", "teams/sales",
                                          "people/dana-reyes")),
        *SCRIPTED,
        ("2026-03-16", "changed", "stages/mql", MQL,
         ("**Next stages**: removed *withheld*", "**References lost**: *withheld*")),
        ("2026-03-16", "changed", "slas/mql-first-call", "MQL follow-up",
         ("**Applies to stages**: removed *withheld*", "**References lost**: *withheld*")),
        ("2026-03-18", "changed", "stages/mql", MQL, ("**Summary**: set to “Ready for a sales call.”",)),
    ]
    text = json.dumps([(s.view.title, s.view.lines, s.current) for s in shown])
    for secret in ("SECRET", "secretstage", "secretrival", "open-rival", "Open Rival", "Hidden stage"):
        assert secret not in text


def test_public_history_shows_only_public_records(full: History) -> None:
    assert [(s.view.kind, "/".join(s.current)) for s in visible(full, "public")] == [
        ("added", "teams/revops"), ("added", "people/dana-reyes"),
    ]


def test_commits_authors_dates_and_pull_requests(full: History, scripted: tuple[Path, dict[str, str]]) -> None:
    _, ids = scripted
    by_commit = {e.commit: e for e in full.entries}
    assert ids["readme"] not in by_commit  # no content changed
    assert ids["branch"] not in by_commit  # the merge stands for its branch
    threshold = by_commit[ids["threshold"]]
    assert (threshold.author, threshold.when, threshold.pull_request) == (
        "Sam Ortiz", "2026-03-03T11:00:00+00:00", None)
    assert by_commit[ids["add-stage"]].pull_request == 3
    assert by_commit[ids["merge"]].pull_request == 7
    assert by_commit[ids["merge"]].when == "2026-03-18T10:00:00+00:00"


def test_a_broken_commit_is_kept_as_invalid_and_not_described(full: History,
                                                               scripted: tuple[Path, dict[str, str]]) -> None:
    broken = next(e for e in full.entries if e.commit == scripted[1]["broken"])
    assert (broken.valid, broken.changes) == (False, ())
    assert broken.problems == (
        "content/stages/sql.yaml:6:8: order: expected a whole number, found the text 'second'",)


def test_a_deleted_collection_and_a_record_naming_a_missing_one(tmp_path: Path) -> None:
    root, _ = scripted_repo(tmp_path)
    edit(root, "content/stages/sql.yaml", "owning_team: sales", "owning_team: nobody")
    broken = commit(root, "SQL owned by nobody", "2026-03-19T10:00:00+00:00")
    shutil.rmtree(root / "content/competitors")
    (root / "schemas/competitors.schema.json").unlink()
    edit(root, "content/stages/sql.yaml", "owning_team: nobody", "owning_team: sales")
    commit(root, "Drop the competitors collection", "2026-03-20T10:00:00+00:00")
    found = read_history(root, cache=False)
    invalid = next(e for e in found.entries if e.commit == broken)
    # The problem as `playbook check` reports it (history validates with check's own pipeline).
    assert invalid.problems == ("content/stages/sql.yaml:8:14: owning_team: 'nobody' is not a known record in teams",)
    last = [(s.view.kind, "/".join(s.current), s.view.title) for s in visible(found) if s.entry.day.day == 20]
    assert last == [("removed", "competitors/open-rival", "Open Rival Ltd"),
                    ("removed", "competitors/secretrival", "SECRETRIVALTITLE Systems")]


def test_not_a_repository_and_a_shallow_clone_are_unavailable(tmp_path: Path,
                                                              scripted: tuple[Path, dict[str, str]]) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(scripted[0], plain, ignore=shutil.ignore_patterns(".git"))
    assert read_history(plain) == History(False, "this playbook is not in a git repository")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{scripted[0]}", str(shallow)], check=True)
    found = read_history(shallow)
    assert not found.available
    assert found.reason == ("the repository is a shallow clone, so its history is incomplete; check it out "
                            "with its full history (fetch-depth: 0)")


# ---------------------------------------------------------------------------
# The cache


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return scripted_repo(tmp_path)[0]


def test_the_cache_lives_in_the_git_folder_and_is_not_tracked(repo: Path) -> None:
    first = read_history(repo)
    path = history.cache_path(repo)
    assert path.is_file()
    assert path.resolve().is_relative_to((repo / ".git").resolve())
    assert git(repo, "status", "--porcelain", "--ignored") == ""
    assert first.read_commits == 13


def test_a_rebuild_reads_only_new_commits(repo: Path) -> None:
    cold = read_history(repo)
    again = read_history(repo)
    assert (again.read_commits, again.entries) == (0, cold.entries)
    edit(repo, "content/teams/revops.yaml", "last_reviewed: 2026-01-10", "last_reviewed: 2026-03-19")
    commit(repo, "RevOps reviewed", "2026-03-19T09:00:00+00:00")
    warm = read_history(repo)
    assert warm.read_commits == 1
    assert warm.entries[:-1] == cold.entries
    assert [(c.views["internal"].kind, c.key) for c in warm.entries[-1].changes] == [
        ("reviewed", ("teams", "revops"))]
    assert warm.entries == read_history(repo, cache=False).entries


@pytest.mark.parametrize("damage", ["garbage", "truncated", "tampered", "other-format"])
def test_a_damaged_cache_is_rebuilt(repo: Path, damage: str) -> None:
    cold = read_history(repo)
    path = history.cache_path(repo)
    text = path.read_text(encoding="utf-8")
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "tampered":
        path.write_text(text.replace("Marketing qualified lead", "<script>alert(1)</script>"), encoding="utf-8")
    else:
        data = json.loads(text)
        data["payload"]["format"] = 999
        data["checksum"] = history._checksum(data["payload"])
        path.write_text(json.dumps(data), encoding="utf-8")
    rebuilt = read_history(repo)
    assert rebuilt.read_commits == 13
    assert rebuilt.entries == cold.entries


def test_a_cache_from_a_rewritten_history_is_not_used(repo: Path) -> None:
    read_history(repo)
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # the cached head (the merge) is no longer on the main line
    edit(repo, "content/teams/revops.yaml", "last_reviewed: 2026-01-10", "last_reviewed: 2026-03-19")
    commit(repo, "RevOps reviewed", "2026-03-19T09:00:00+00:00")
    found = read_history(repo)
    assert found.read_commits == 13  # read again from the start: 12 old, 1 new
    assert found.entries == read_history(repo, cache=False).entries
    assert "Keep Open Rival internal" in [e.subject for e in found.entries]
    assert "Merge pull request #7 from example/feature/summary" not in [e.subject for e in found.entries]


def test_a_long_text_reads_as_a_short_word_diff(repo: Path) -> None:
    long = ("A lead whose fit and behaviour score crossed the agreed threshold of 70 points, confirmed by "
            "marketing operations within one working day.")
    edit(repo, "content/stages/mql.yaml", "A lead whose fit and behaviour score crossed the agreed threshold.", long)
    commit(repo, "Longer MQL definition", "2026-03-19T09:00:00+00:00")
    edit(repo, "content/stages/mql.yaml", "within one working day.", "within two working days <b>now</b>.")
    commit(repo, "MQL confirmed faster", "2026-03-19T10:00:00+00:00")
    last = visible(read_history(repo))[-2:]
    assert [s.view.lines for s in last] == [
        ("**Definition**: … score crossed the agreed <del>threshold.</del> <ins>threshold of 70 points, "
         "confirmed by marketing operations within one working day.</ins>",),
        ("**Definition**: … by marketing operations within <del>one</del> <ins>two</ins> working <del>day.</del> "
         "<ins>days &lt;b&gt;now&lt;/b&gt;.</ins>",),
    ]


def test_a_record_widened_to_partners_appears_to_them_as_added_that_day(repo: Path) -> None:
    edit(repo, "content/competitors/secretrival.yaml", "title: SECRETRIVALTITLE Systems",
         "title: Rival Systems\naudience: partner")
    edit(repo, "content/competitors/secretrival.yaml", "SECRETRIVALPOSITIONING cheap, cheerful and SECRETRIVALNEW.",
         "Cheap and cheerful.")
    commit(repo, "Share the rival with partners", "2026-03-19T09:00:00+00:00")
    shown = [(s.entry.day.isoformat(), s.view.kind, "/".join(s.current), s.view.title, s.view.lines)
             for s in visible(read_history(repo), "partner") if s.current[0] == "competitors"]
    assert shown == [("2026-03-19", "added", "competitors/secretrival", "Rival Systems",
                      ("**Owner**: Sales (`teams/sales`)", "**Last reviewed**: 2026-03-01"))]
