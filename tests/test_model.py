"""The one reference rule (issue 25, item 2): a reference resolves when exactly one allowed
collection holds the id; an ambiguous one resolves nowhere (no first match wins), and only values
of ``x-ref`` fields name records."""

from __future__ import annotations

from pathlib import Path

from generator.project import load_playbook
from generator.schemas import named_in, resolved_in

SAM = "title: Sam\nowner: revops\nlast_reviewed: 2026-01-01\nrole: AE\n"
OPS = "title: Operations\nowner: dana-reyes\nlast_reviewed: 2026-01-10\n"


def test_the_rule() -> None:
    records = {("people", "sales"), ("teams", "sales"), ("teams", "revops")}
    holds = lambda c, v: (c, v) in records  # noqa: E731
    assert named_in("sales", ("people", "teams"), holds) == ["people", "teams"]
    assert resolved_in("sales", ("people", "teams"), holds) is None  # ambiguous
    assert resolved_in("sales", ("teams",), holds) == "teams"
    assert resolved_in("revops", ("people", "teams", "teams"), holds) == "teams"
    assert resolved_in("nobody", ("people", "teams"), holds) is None


def test_an_ambiguous_reference_is_an_error_and_links_nothing(basic: Path) -> None:
    (basic / "content/people/sales.yaml").write_text(SAM)
    playbook, problems = load_playbook(basic)
    assert "content/slas/mql-follow-up.yaml:2:8: error: owner: 'sales' is ambiguous: it names a record " \
        "in people, teams" in [str(p) for p in problems]
    assert playbook.find("sales", ("people", "teams")) is None
    assert playbook.find("sales") is None
    found = playbook.find("sales", ("teams",))
    assert found is not None and found.key == ("teams", "sales")
    sla = playbook.records[("slas", "mql-follow-up")]
    assert [site.path for site, _ in sla.refs if site.value == "sales"] == [("provider",)]  # x-ref: teams


def test_only_values_of_references_name_records(basic: Path) -> None:
    (basic / "content/teams/ops.yaml").write_text(OPS)
    playbook, problems = load_playbook(basic)
    assert problems == []
    assert playbook.find("ops") is not None  # a record with that id exists...
    assert playbook.referenced("ops") is None  # ...but no reference names it
    revops = playbook.referenced("revops")
    assert revops is not None and revops.key == ("teams", "revops")
    assert playbook.referenced("revops", ("owner",)) == revops
    assert playbook.referenced("revops", ("no", "such", "field")) is None
