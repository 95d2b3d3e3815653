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

from .conftest import edit as edit  # the one checking edit (re-exported for the history tests)

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


# ---------------------------------------------------------------------------
# A history through every kind of confidentiality mark (tests/test_history_scoping.py)

CODE_NAMES = """,
    "code_names": {
      "type": "array",
      "title": "Code names",
      "items": {"type": "string", "x-audience": "internal"}
    }
  },"""
KIM = """title: Kim OWNERMARK Lee
owner: revops
last_reviewed: 2026-04-01
audience: partner
role: Partner manager
"""
DEALS_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Deal DEALSINGULARMARK",
  "x-playbook": {"title": "DEALCOLLECTIONMARK deals", "order": 70},
  "type": "object",
  "required": ["title", "owner", "last_reviewed"],
  "properties": {
    "title": {"$ref": "_common.schema.json#/$defs/title"},
    "owner": {"$ref": "_common.schema.json#/$defs/owner"},
    "last_reviewed": {"$ref": "_common.schema.json#/$defs/last_reviewed"},
    "summary": {"$ref": "_common.schema.json#/$defs/summary"},
    "audience": {"$ref": "_common.schema.json#/$defs/audience"}
  },
  "additionalProperties": false
}
"""
DEAL = """title: Deal DEALRECORDMARK
owner: sales
last_reviewed: 2026-04-01
audience: partner
summary: A joint deal with agencies.
"""
SQL_MARK = """title: Sales SQLTITLEMARK lead
owner: sales
last_reviewed: 2026-04-13
audience: partner
abbreviation: SQL
order: 4
definition: A lead sales confirmed as an opportunity.
owning_team: sales
"""

# What each audience may never see, in any output (hidden at the time, now, or both).
HIDDEN_FROM_PARTNER = (
    "CODEITEMONE", "CODEITEMTWO",  # list items marked internal (the reported case)
    "POSITIONOLDMARK", "POSITIONMIDMARK", "POSITIONNEWMARK",  # a field narrowed later, and after
    "PRICEOLDMARK", "SECRETPRICING",  # a field widened later: its value while it was internal
    "SQLTITLEMARK", "sqlmark",  # a partner record renamed, then narrowed: referenced from others
    "OWNERMARK", "kim-lee",  # an owner narrowed after owning a partner record
    "DEALCOLLECTIONMARK", "DEALSINGULARMARK", "DEALRECORDMARK", "big-deal",  # a collection narrowed
    "PAGEMARK",  # a hand-written page narrowed in its front matter
    "WIDEOLDMARK", "SECRETRIVALTITLE", "SECRETRIVALPOSITIONING",  # a record widened: its past
    "SECRETSTAGE", "secretstage",  # a record deleted while internal
    "SECRETDOCS", "SECRETPHONE",  # an internal page, an internal field
)
HIDDEN_FROM_PUBLIC = (*HIDDEN_FROM_PARTNER, "Open Rival", "Marketing qualified lead", "MQL follow-up",
                      "Rival Systems", "List price on request", "Dana's partner brief")
# Seen by internal readers in the change history (so that the test above can fail).
SHOWN_TO_INTERNAL = ("CODEITEMONE", "CODEITEMTWO", "POSITIONOLDMARK", "POSITIONNEWMARK", "PRICEOLDMARK",
                     "SQLTITLEMARK", "OWNERMARK", "DEALRECORDMARK", "WIDEOLDMARK", "SECRETSTAGETITLE")


def marks_repo(tmp: Path) -> tuple[Path, dict[str, str]]:
    """The ``audience`` fixture, then one commit per kind of mark and change (April 2026)."""
    root = tmp / "marks"
    shutil.copytree(FIXTURES / "audience", root)
    edit(root, "schemas/competitors.schema.json", '"x-ref": "stages"\n      }\n    }\n  },',
         '"x-ref": "stages"\n      }\n    }' + CODE_NAMES)
    edit(root, "content/competitors/open-rival.yaml", "stages: [mql]\n", "stages: [mql]\ncode_names: [CODEITEMONE]\n")
    edit(root, "content/competitors/open-rival.yaml", "Enterprise suites for large distributors.",
         "Enterprise suites POSITIONOLDMARK.")
    edit(root, "content/competitors/secretrival.yaml", "stages: [mql]\n", "stages: [mql]\nsummary: Cheap.\n")
    write(root, "content/people/kim-lee.yaml", KIM)
    write(root, "schemas/deals.schema.json", DEALS_SCHEMA)
    write(root, "content/deals/big-deal.yaml", DEAL)
    edit(root, "docs/partner-guide.md", "How partners use this playbook.",
         "How partners use this playbook. PAGEMARK Dana's partner brief.")
    git(root, "init", "-q", "-b", "main")
    ids: dict[str, str] = {}

    def step(name: str, day: int, message: str) -> None:
        ids[name] = commit(root, message, f"2026-04-{day:02d}T10:00:00+00:00")

    step("import", 1, "Import the playbook")
    rival = "content/competitors/open-rival.yaml"
    edit(root, rival, "code_names: [CODEITEMONE]", "code_names: [CODEITEMTWO, CODEITEMONE]")
    step("item-added", 2, "Open Rival: a second code name")
    edit(root, rival, "code_names: [CODEITEMTWO, CODEITEMONE]", "code_names: [CODEITEMONE, CODEITEMTWO]")
    step("item-reordered", 3, "Open Rival: code names reordered")
    edit(root, rival, "code_names: [CODEITEMONE, CODEITEMTWO]", "code_names: [CODEITEMTWO]")
    step("item-removed", 4, "Open Rival: a code name retired")
    edit(root, rival, "POSITIONOLDMARK", "POSITIONMIDMARK")
    step("field-before-narrowing", 6, "Open Rival positioning")
    edit(root, "schemas/competitors.schema.json", '"title": "Positioning"',
         '"title": "Positioning",\n      "x-audience": "internal"')
    step("field-narrowed", 7, "Positioning is internal")
    edit(root, rival, "POSITIONMIDMARK", "POSITIONNEWMARK")
    step("field-after-narrowing", 8, "Open Rival positioning again")
    edit(root, rival, "discounts to 60k at quarter end.", "discounts to 60k at quarter end PRICEOLDMARK.")
    step("field-before-widening", 9, "Open Rival pricing")
    edit(root, "schemas/competitors.schema.json", '"title": "Pricing notes",\n      "x-audience": "internal"',
         '"title": "Pricing notes"')
    edit(root, rival, "pricing_notes: SECRETPRICING list price 90k a year, discounts to 60k at quarter end "
         "PRICEOLDMARK.", "pricing_notes: List price on request.")
    step("field-widened", 10, "Pricing notes are shared with partners")
    write(root, "content/stages/sqlmark.yaml", SQL_MARK)
    edit(root, "content/stages/mql.yaml", "next_stages: [secretstage]", "next_stages: [secretstage, sqlmark]")
    step("record-added", 13, "Add the SQL stage")
    git(root, "mv", "content/stages/sqlmark.yaml", "content/stages/sqlmark-two.yaml")
    edit(root, "content/stages/mql.yaml", "[secretstage, sqlmark]", "[secretstage, sqlmark-two]")
    step("record-renamed", 14, "Rename the SQL stage")
    edit(root, "content/stages/sqlmark-two.yaml", "audience: partner\n", "")
    step("record-narrowed", 15, "Keep the SQL stage internal")
    edit(root, "content/slas/mql-follow-up.yaml", "owner: sales", "owner: kim-lee")
    step("owner-set", 16, "Kim owns the follow-up")
    edit(root, "content/slas/mql-follow-up.yaml", "owner: kim-lee", "owner: sales")
    edit(root, "content/people/kim-lee.yaml", "audience: partner\n", "")
    step("owner-narrowed", 17, "Kim is internal")
    edit(root, "content/competitors/secretrival.yaml", "summary: Cheap.", "summary: Cheap WIDEOLDMARK.")
    step("before-widening", 18, "Rival summary")
    edit(root, "content/competitors/secretrival.yaml", "title: SECRETRIVALTITLE Systems",
         "title: Rival Systems\naudience: partner")
    edit(root, "content/competitors/secretrival.yaml", "summary: Cheap WIDEOLDMARK.", "summary: Cheap.")
    step("record-widened", 19, "Share the rival with partners")
    (root / "content/stages/secretstage.yaml").unlink()
    edit(root, "content/stages/mql.yaml", "[secretstage, sqlmark-two]", "[sqlmark-two]")
    edit(root, "content/slas/mql-follow-up.yaml", "stages: [mql, secretstage]", "stages: [mql]")
    step("record-deleted", 20, "Retire the hidden stage")
    edit(root, "content/deals/big-deal.yaml", "audience: partner\n", "")
    step("collection-narrowed", 21, "Deals are internal")
    edit(root, "docs/partner-guide.md", "audience: partner", "audience: internal")
    step("page-narrowed", 22, "The partner guide is internal")
    return root, ids
