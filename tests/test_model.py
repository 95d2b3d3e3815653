"""The one reference rule (issue 25, item 2): a reference resolves when exactly one allowed
collection holds the id; an ambiguous one resolves nowhere (no first match wins), and only values
of ``x-ref`` fields name records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.content.model import page_url
from generator.content.schemas import named_in, resolved_in
from generator.rules.glossary import terms
from generator.rules.project import load_playbook
from generator.site.contribution import GLOSSARY_LINKS
from generator.site.export import export
from generator.site.search import TERM_BOOST, rankings
from generator.site.site import Options, generate

from .conftest import build_site, edit

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


@pytest.mark.parametrize(("page", "directory", "flat"), [
    ("stages/mql.md", "stages/mql/", "stages/mql.html"),
    ("stages/index.md", "stages/", "stages/index.html"),
    ("index.md", "", "index.html"),
    ("changes.md", "changes/", "changes.html"),
])
def test_the_record_url_follows_the_builder(page: str, directory: str, flat: str) -> None:
    assert page_url(page) == page_url(page, True) == directory
    assert page_url(page, False) == flat


def test_every_record_url_follows_use_directory_urls(basic: Path) -> None:
    """Glossary links, the export's pages and the search ranking's locations: one rule."""
    tree = generate(basic, date(2026, 4, 1), options=Options(history=False, directory_urls=False))
    mql = tree.playbook.records[("stages", "mql")]
    assert tree.playbook.url(mql) == "stages/mql.html"
    assert {t.term: t.url for t in terms(tree.playbook)} == {"MQL": "stages/mql.html"}
    assert {r["page"] for r in export(tree.playbook, date(2026, 4, 1))["records"]} == \
        {f"{r.collection}/{r.id}.html" for r in tree.playbook.records.values()}
    assert set(rankings(tree.playbook, terms(tree.playbook))) == \
        {f"{r.collection}/{r.id}.html" for r in tree.playbook.records.values()}
    default = generate(basic, date(2026, 4, 1), options=Options(history=False))
    assert default.playbook.url(default.playbook.records[("stages", "mql")]) == "stages/mql/"


@pytest.mark.site
def test_links_work_in_a_site_built_without_directory_urls(basic: Path) -> None:
    """A real build with ``use_directory_urls: false``: every glossary link and every ranked search
    location is a page of the site."""
    edit(basic, "mkdocs.yml", "site_name: Fixture playbook\n", "site_name: Fixture playbook\nuse_directory_urls: false\n")
    site = build_site(basic)
    links = json.loads((site / GLOSSARY_LINKS).read_text())
    assert links == {"MQL": "stages/mql.html"}
    assert all((site / url).is_file() for url in links.values())
    index = json.loads((site / "search/search_index.json").read_text())
    ranked = {d["location"]: d.get("boost") for d in index["docs"]}
    assert ranked["stages/mql.html"] == TERM_BOOST


def test_a_collections_order_is_sorted_once_and_follows_added_records(basic: Path) -> None:
    """The order is worked out once per collection (every page asks for it, for its pager), and a
    record added afterwards still takes its place."""
    import copy
    from dataclasses import replace

    playbook, _ = load_playbook(basic)
    stages = playbook.in_collection("stages")
    assert [r.id for r in stages] == ["mql", "sql"]
    assert playbook.neighbours(stages[0]) == (None, stages[1])
    assert playbook.neighbours(stages[1]) == (stages[0], None)
    stages.clear()  # a caller's list is its own
    sql = playbook.records[("stages", "sql")]
    early = replace(sql, id="lead", doc=copy.deepcopy(sql.doc))
    early.doc.data["order"] = 0
    playbook.records[("stages", "lead")] = early
    assert [r.id for r in playbook.in_collection("stages")] == ["lead", "mql", "sql"]
    assert playbook.neighbours(playbook.records[("stages", "mql")])[0] is early
