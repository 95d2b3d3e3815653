"""A fixture repository with a scripted history, built by the tests in a temporary folder.

The ``audience`` fixture playbook is committed, then changed commit by commit with fixed
author and committer dates (nothing depends on today):

====  ==========================  =====================================================
 no.  date (UTC)                  change
====  ==========================  =====================================================
  1   Mon 2026-01-05 09:00        import the playbook (every record added)
  2   Mon 2026-03-02 10:00        add a stage: SQL (partner)                     (#3)
  3   Tue 2026-03-03 11:00        MQL threshold 60 -> 70 points, reviewed
  4   Wed 2026-03-04 09:00        rename the SLA mql-follow-up -> mql-first-call
  5   Thu 2026-03-05 15:00        review only: the Sales team
  6   Fri 2026-03-06 12:00        README only (not a content change)
  7   Mon 2026-03-09 10:00        broken: SQL order "second" (fails its schema)
  8   Mon 2026-03-09 12:00        fix: SQL order 4
  9   Tue 2026-03-10 10:00        MQL definition changed
 10   Wed 2026-03-11 10:00        revert of no. 9
 11   Thu 2026-03-12 10:00        internal competitor: SECRETRIVAL positioning;
                                  partner competitor: only its internal pricing notes
 12   Mon 2026-03-16 10:00        delete the internal stage SECRETSTAGE
 13   Tue 2026-03-17 10:00        narrow Open Rival to internal
 14   Wed 2026-03-18 10:00        merge of a branch (#7) that changed the MQL summary
====  ==========================  =====================================================
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
           "GIT_AUTHOR_NAME": "Dana Reyes", "GIT_AUTHOR_EMAIL": "dana@example.com",
           "GIT_COMMITTER_NAME": "Dana Reyes", "GIT_COMMITTER_EMAIL": "dana@example.com"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    result = subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit(root: Path, message: str, when: str, author: str = "Dana Reyes") -> str:
    git(root, "add", "-A")
    git(root, "-c", f"user.name={author}", "commit", "-q", "-m", message, f"--author={author} <a@example.com>",
        when=when)
    return git(root, "rev-parse", "HEAD").strip()


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


SQL = """title: Sales qualified lead
owner: sales
last_reviewed: 2026-03-02
audience: partner
abbreviation: SQL
order: 3
definition: A lead sales has spoken to and confirmed as a real opportunity.
owning_team: sales
"""


def scripted_repo(tmp: Path) -> tuple[Path, dict[str, str]]:
    """The repository and the commit id of each step (by a short name)."""
    root = tmp / "repo"
    shutil.copytree(FIXTURES / "audience", root)
    edit(root, "content/stages/mql.yaml", "order: 2\n",
         "order: 2\nentry_criteria:\n  - Fit grade A or B\n  - Behaviour score of 60 points or more\n")
    write(root, "README.md", "# Fixture playbook\n")
    git(root, "init", "-q", "-b", "main")
    ids: dict[str, str] = {}
    ids["import"] = commit(root, "Import the playbook", "2026-01-05T09:00:00+00:00")
    write(root, "content/stages/sql.yaml", SQL)
    edit(root, "content/stages/mql.yaml", "next_stages: [secretstage]", "next_stages: [secretstage, sql]")
    ids["add-stage"] = commit(root, "Add the SQL stage (#3)", "2026-03-02T10:00:00+00:00")
    edit(root, "content/stages/mql.yaml", "60 points", "70 points")
    edit(root, "content/stages/mql.yaml", "last_reviewed: 2026-03-01", "last_reviewed: 2026-03-03")
    ids["threshold"] = commit(root, "MQL threshold 60 -> 70 points", "2026-03-03T11:00:00+00:00",
                              author="Sam Ortiz")
    git(root, "mv", "content/slas/mql-follow-up.yaml", "content/slas/mql-first-call.yaml")
    ids["rename"] = commit(root, "Rename the MQL follow-up SLA", "2026-03-04T09:00:00+00:00")
    edit(root, "content/teams/sales.yaml", "last_reviewed: 2026-01-10", "last_reviewed: 2026-03-05")
    ids["review"] = commit(root, "Sales team reviewed", "2026-03-05T15:00:00+00:00")
    write(root, "README.md", "# Fixture playbook\n\nHow to edit it.\n")
    ids["readme"] = commit(root, "README: how to edit", "2026-03-06T12:00:00+00:00")
    edit(root, "content/stages/sql.yaml", "order: 3", "order: second")
    ids["broken"] = commit(root, "SQL comes second", "2026-03-09T10:00:00+00:00")
    edit(root, "content/stages/sql.yaml", "order: second", "order: 4")
    ids["fix"] = commit(root, "Fix the SQL order", "2026-03-09T12:00:00+00:00")
    edit(root, "content/stages/mql.yaml", "crossed the agreed threshold.", "crossed the threshold we agreed on.")
    ids["definition"] = commit(root, "Reword the MQL definition", "2026-03-10T10:00:00+00:00")
    git(root, "revert", "--no-edit", "HEAD", when="2026-03-11T10:00:00+00:00")
    ids["revert"] = git(root, "rev-parse", "HEAD").strip()
    edit(root, "content/competitors/secretrival.yaml", "SECRETRIVALPOSITIONING cheap and cheerful.",
         "SECRETRIVALPOSITIONING cheap, cheerful and SECRETRIVALNEW.")
    edit(root, "content/competitors/open-rival.yaml", "discounts to 60k", "discounts to 50k")
    ids["competitors"] = commit(root, "Competitor notes", "2026-03-12T10:00:00+00:00")
    (root / "content/stages/secretstage.yaml").unlink()
    edit(root, "content/stages/mql.yaml", "next_stages: [secretstage, sql]", "next_stages: [sql]")
    edit(root, "content/slas/mql-first-call.yaml", "stages: [mql, secretstage]", "stages: [mql]")
    ids["delete"] = commit(root, "Retire the hidden stage", "2026-03-16T10:00:00+00:00")
    edit(root, "content/competitors/open-rival.yaml", "audience: partner\n", "")
    ids["narrow"] = commit(root, "Keep Open Rival internal", "2026-03-17T10:00:00+00:00")
    git(root, "checkout", "-q", "-b", "feature/summary")
    edit(root, "content/stages/mql.yaml", "order: 2\n", "order: 2\nsummary: Ready for a sales call.\n")
    ids["branch"] = commit(root, "MQL summary", "2026-03-18T09:00:00+00:00", author="Sam Ortiz")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "--no-ff", "-q", "-m", "Merge pull request #7 from example/feature/summary",
        "feature/summary", when="2026-03-18T10:00:00+00:00")
    ids["merge"] = git(root, "rev-parse", "HEAD").strip()
    return root, ids
