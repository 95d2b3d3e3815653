"""Search ranking: keywords and weights written into the search index after the build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator.rules.glossary import terms
from generator.rules.project import load_playbook
from generator.site.search import (
    RECORD_BOOST,
    SECTION_SHARE,
    TERM_BOOST,
    Ranking,
    forms,
    rankings,
    rerank,
    rewrite,
    title_words,
)

from .conftest import FIXTURES, edit_file


def test_rankings_carry_terms_keyword_fields_and_title_words(tmp_path: Path) -> None:
    root = tmp_path / "w"
    shutil.copytree(FIXTURES / "walkthrough", root)
    playbook, _ = load_playbook(root)
    ranked = rankings(playbook, terms(playbook))
    assert ranked["phases/qualified-opportunity/"] == Ranking(("QO", "QOs", "Qualified", "opportunity"), TERM_BOOST)
    assert ranked["phases/client/"] == Ranking(("Client",), TERM_BOOST)
    assert ranked["buyers/head-of-logistics/"] == Ranking(
        ("Logistics director", "Fleet manager", "Head of distribution", "Head", "of", "logistics"), RECORD_BOOST)
    assert ranked["squads/client-care/"] == Ranking(("Client", "care"), RECORD_BOOST)
    # a plural of a term is none
    assert ranked["aims/signed-clients/"] == Ranking(("Signed", "this", "year"), RECORD_BOOST)


def test_title_words_leave_out_terms_and_their_plurals() -> None:
    assert title_words("MQLs called on time", {"mql", "mqls"}) == ["called", "on", "time"]
    assert title_words("Client care", {"client"}) == ["Client", "care"]
    assert title_words("Buyer's guide", set()) == ["Buyer's", "guide"]


def test_an_abbreviation_is_found_in_the_plural_too() -> None:
    assert forms("MQL") == ["MQL", "MQLs"]
    assert forms("Lead") == ["Lead"]  # a word's plural is in other titles ("Rejected leads")
    assert forms("Speed to lead") == ["Speed to lead"]
    assert forms("Closed-won") == ["Closed-won"]
    assert forms("KPIS") == ["KPIS"]


def test_rerank_weighs_records_sections_and_fields() -> None:
    index = {"config": {"fields": {"tags": {"boost": 3.0}}}, "docs": [
        {"location": "phases/qo/", "title": "Qualified opportunity", "text": ""},
        {"location": "phases/qo/#definition", "title": "Definition", "text": ""},
        {"location": "start-here/", "title": "Start here", "text": ""},
    ]}
    out = rerank(index, {"phases/qo/": Ranking(("QO",), 5.0)})
    assert out["docs"] == [
        {"location": "phases/qo/", "title": "Qualified opportunity", "text": "", "boost": 5.0, "keywords": "QO"},
        {"location": "phases/qo/#definition", "title": "Definition", "text": "", "boost": 5.0 * SECTION_SHARE},
        {"location": "start-here/", "title": "Start here", "text": ""},
    ]
    assert out["config"]["fields"]["tags"] == {"boost": 3.0}  # the site's own setting stays
    assert out["config"]["fields"]["keywords"] == {"boost": 1000.0}


def test_rewrite_leaves_a_site_without_an_index_alone(tmp_path: Path) -> None:
    assert rewrite(tmp_path, {}) is False
    (tmp_path / "search").mkdir()
    (tmp_path / "search/search_index.json").write_text(json.dumps({"config": {}, "docs": []}))
    assert rewrite(tmp_path, {}) is True
    assert "keywords" in json.loads((tmp_path / "search/search_index.json").read_text())["config"]["fields"]


def test_a_misspelt_keyword_field_is_a_located_problem(tmp_path: Path) -> None:
    root = tmp_path / "w"
    shutil.copytree(FIXTURES / "walkthrough", root)
    schema = root / "schemas/buyers.schema.json"
    edit_file(schema, '"job_titles"\n  ]', '"job_title"\n  ]')
    _, problems = load_playbook(root)
    assert [str(p) for p in problems] == [
        "schemas/buyers.schema.json:9:4: error: x-playbook.keywords[0]: 'job_title' is not a field of this "
        "collection; did you mean 'job_titles'?",
    ]


def test_rerank_drops_excluded_headings_fills_snippets_and_keeps_change_pages_to_their_title() -> None:
    index = {"config": {}, "docs": [
        # a record page whose summary is missing: its first entry has no text
        {"location": "phases/qo/", "title": "Qualified opportunity", "text": "", "tags": ["sales"]},
        {"location": "phases/qo/#definition", "title": "Definition", "text": "<p>A lead with budget.</p>"},
        # the search plugin's entry for a heading inside data-search-exclude (History, Related)
        {"location": "phases/qo/#history", "title": "Qualified opportunity", "text": "", "tags": ["sales"]},
        {"location": "changes/", "title": "What changed", "text": "<p>old and new wording</p>"},
        {"location": "changes/#week-48", "title": "Week 48", "text": "<p>old and new wording</p>"},
        {"location": "about/#empty", "title": "Empty", "text": ""},  # a real heading with no text stays
    ]}
    out = rerank(index, {})
    assert [(d["location"], d["text"]) for d in out["docs"]] == [
        ("phases/qo/", "<p>A lead with budget.</p>"),
        ("phases/qo/#definition", "<p>A lead with budget.</p>"),
        ("changes/", ""),
        ("about/#empty", ""),
    ]
