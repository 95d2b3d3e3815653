"""The glossary: terms from collections that declare x-playbook.glossary, for tooltips and links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.rules.glossary import (
    abbreviations,
    expanded,
    is_plain_term,
    links,
    one_line,
    protected_names,
    terms,
)
from generator.rules.project import load_playbook

from .conftest import FIXTURES, edit_file


def test_terms_come_from_the_annotated_field_and_link_to_their_page(basic: Path) -> None:
    playbook, problems = load_playbook(basic)
    assert problems == []
    found = terms(playbook)
    expansion = "Marketing qualified lead: A lead marketing judges ready for a sales conversation."
    assert [(t.term, t.definition, t.url) for t in found] == [("MQL", expansion, "stages/mql/")]
    assert abbreviations(found) == {"MQL": expansion}
    assert links(found) == {"MQL": "stages/mql/"}


def test_a_collection_without_the_annotation_defines_nothing(basic: Path) -> None:
    schema = basic / "schemas/stages.schema.json"
    edit_file(schema, '"glossary"', '"not-glossary"')
    playbook, _ = load_playbook(basic)
    assert terms(playbook) == []


def test_hostile_terms_are_left_out_and_definitions_fold_to_one_line(tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "hostile", root)
    playbook, _ = load_playbook(root)
    found = terms(playbook)
    assert [t.term for t in found] == ["SQL"]  # "MQL<svg onload=...>" is no plain term
    assert found[0].definition == (
        "Sales qualified lead: &amp;lt;img src=x onerror=alert('PWNED')&amp;gt; &amp;#60;img src=x onerror=alert('PWNED')&amp;#62; "
        "Qualified]: *[SQL]: \u2039script\u203aalert('PWNED')\u2039/script\u203a \" onmouseover=\"alert('PWNED')\" "
        "![x](javascript:alert('PWNED')) second paragraph \u2039img src=x onerror=alert('PWNED')\u203a"
    )
    assert "\n" not in found[0].definition


@pytest.mark.parametrize("term, plain", [
    ("MQL", True), ("Speed to lead", True), ("Closed-won", True), ("R&D", True),
    ("MQL<svg>", False), ("a]b", False), ("two\nlines", False), ("*[X]", False), ("", False),
    (" MQL", False), ("x" * 41, False), (42, False),
])
def test_plain_terms(term: object, plain: bool) -> None:
    assert is_plain_term(term) is plain


def test_one_line_folds_and_shortens() -> None:
    assert one_line("a\n\n  b\tc") == "a b c"
    assert one_line("<b>x</b> &lt;i&gt; R&D") == "\u2039b\u203ax\u2039/b\u203a &amp;lt;i&amp;gt; R&amp;D"
    assert one_line("word " * 100, limit=12) == "word word w…"


@pytest.mark.parametrize("definition", [
    "<img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
])
def test_a_tooltip_decodes_to_text_never_to_a_tag(definition: str) -> None:
    """The browser decodes the title attribute once and Material's tooltip parses the result as
    HTML: after that decoding there must be no '<' left to open a tag."""
    from html.parser import HTMLParser

    import markdown

    out = markdown.markdown("ICP here.", extensions=["abbr"],
                            extension_configs={"abbr": {"glossary": {"ICP": one_line(definition)}}})
    titles: list[str] = []

    class Titles(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            titles.extend(v or "" for k, v in attrs if k == "title")

    Titles().feed(out)
    assert len(titles) == 1
    assert "<" not in titles[0]  # what the browser hands to the tooltip's innerHTML


@pytest.mark.parametrize("term, title, definition, tooltip", [
    ("SAL", "Sales accepted lead", "An MQL an SDR accepted.", "Sales accepted lead: An MQL an SDR accepted."),
    ("Nurture", "Nurture", "Planned contact.", "Planned contact."),  # the term is the title
    ("nurture", "Nurture", "Planned contact.", "Planned contact."),
    ("Decay", "Score decay", "Score decay: points lost.", "Score decay: points lost."),  # already says it
])
def test_a_term_short_for_its_title_is_expanded(term: str, title: str, definition: str, tooltip: str) -> None:
    assert expanded(term, title, definition) == tooltip


def test_protected_names_are_other_records_and_collections(basic: Path) -> None:
    playbook, _ = load_playbook(basic)
    names = protected_names(playbook, terms(playbook))
    assert "Marketing qualified lead" not in names  # the record that defines MQL
    assert {"MQL follow-up", "Revenue operations", "Lifecycle stages"} <= set(names)
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)  # longest first
