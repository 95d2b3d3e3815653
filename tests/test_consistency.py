"""A record reviewed before it was added: ``last_reviewed`` against the day the record's file was
first committed, on fixture repositories with a scripted history (nothing depends on today)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

from generator.cli import main
from generator.content.model import Playbook
from generator.history.added import first_added
from generator.rules.consistency import reviewed_before_added
from generator.rules.project import load_playbook

from .conftest import FIXTURES, edit
from .history_repo import commit, git

WARNING = ("content/stages/mql.yaml:3:16: warning: last_reviewed: 2026-03-01 is before the record was added, "
           "on 2026-03-02: review it and write the date of that review\n")


def repo(tmp_path: Path) -> Path:
    """The ``basic`` fixture as a git repository: every record but the MQL stage committed on
    2026-01-05 (each reviewed later), the MQL stage (reviewed 2026-03-01) on 2026-03-02."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "basic", root)
    mql = (root / "content/stages/mql.yaml").read_text()
    (root / "content/stages/mql.yaml").unlink()
    git(root, "init", "-q", "-b", "main")
    commit(root, "Import", "2026-01-05T09:00:00+00:00")
    (root / "content/stages/mql.yaml").write_text(mql)
    commit(root, "Add the MQL stage", "2026-03-02T23:30:00-05:00")  # the committer's own day counts
    return root


def check(root: Path) -> str:
    out = io.StringIO()
    assert main(["check", "--root", str(root)], out) == 0
    return out.getvalue()


def test_a_record_reviewed_before_its_first_commit_is_a_warning(tmp_path: Path) -> None:
    root = repo(tmp_path)
    assert first_added(root) == {
        "content/people/dana-reyes.yaml": date(2026, 1, 5), "content/slas/mql-follow-up.yaml": date(2026, 1, 5),
        "content/stages/sql.yaml": date(2026, 1, 5), "content/teams/revops.yaml": date(2026, 1, 5),
        "content/teams/sales.yaml": date(2026, 1, 5), "content/stages/mql.yaml": date(2026, 3, 2)}
    assert check(root) == WARNING + "playbook check: 1 warning in 1 file\n"


def test_the_review_date_of_the_day_it_was_added_or_later_is_right(tmp_path: Path) -> None:
    root = repo(tmp_path)
    edit(root, "content/stages/mql.yaml", "last_reviewed: 2026-03-01", "last_reviewed: 2026-03-02")
    assert check(root) == "playbook check: no problems found\n"  # not committed yet: the file is judged


def test_a_renamed_record_keeps_the_day_it_was_first_added(tmp_path: Path) -> None:
    root = repo(tmp_path)
    git(root, "mv", "content/stages/sql.yaml", "content/stages/sales-qualified.yaml")
    edit(root, "content/stages/mql.yaml", "next_stages: [sql]", "next_stages: [sales-qualified]")
    commit(root, "Rename SQL", "2026-04-01T09:00:00+00:00")
    added = first_added(root)
    assert added["content/stages/sales-qualified.yaml"] == date(2026, 1, 5)  # reviewed 2026-02-01: no warning, not 2026-04-01
    assert check(root) == WARNING + "playbook check: 1 warning in 1 file\n"


def test_a_record_deleted_and_added_again_keeps_its_first_day(tmp_path: Path) -> None:
    root = repo(tmp_path)
    sql = (root / "content/stages/sql.yaml").read_text()
    (root / "content/stages/sql.yaml").unlink()
    edit(root, "content/stages/mql.yaml", "next_stages: [sql]", "next_stages: []")
    commit(root, "Drop SQL", "2026-04-01T09:00:00+00:00")
    (root / "content/stages/sql.yaml").write_text(sql.replace("last_reviewed: 2026-02-01", "last_reviewed: 2026-04-20"))
    commit(root, "SQL again", "2026-05-01T09:00:00+00:00")
    assert first_added(root)["content/stages/sql.yaml"] == date(2026, 1, 5)


def test_no_history_no_warning(tmp_path: Path, basic: Path) -> None:
    assert first_added(basic) == {}  # not a git repository
    assert check(basic) == "playbook check: no problems found\n"
    root = repo(tmp_path)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(shallow))
    assert first_added(shallow) == {}  # the oldest commit of a shallow clone added nothing


def test_the_rule_judges_what_it_is_given(basic: Path) -> None:
    playbook: Playbook = load_playbook(basic)[0]
    added = {"content/stages/sql.yaml": date(2026, 2, 2), "content/teams/sales.yaml": date(2026, 1, 10),
             "content/nothing/here.yaml": date(2026, 1, 1)}
    assert [str(p) for p in reviewed_before_added(playbook, added)] == [
        "content/stages/sql.yaml:3:16: warning: last_reviewed: 2026-02-01 is before the record was added, on "
        "2026-02-02: review it and write the date of that review"]
