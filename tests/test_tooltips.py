"""Glossary tooltips: whole words in running text, never inside other records' names or labels."""

from __future__ import annotations

import markdown
import pytest

from generator.site.tooltips import TermExtension, pattern

DEFINITIONS = {
    "Customer": "Customer: a signed order form.",
    "Lead": "Lead (inquiry): anyone who gave us an email.",
    "SAL": "Sales accepted lead: an MQL an SDR accepted.",
}
PROTECTED = ["Customer success", "Lead scoring and grading model", "Lead scoring"]


def render(text: str) -> str:
    md = markdown.Markdown(extensions=["tables", TermExtension(definitions=DEFINITIONS, protected=PROTECTED)])
    return md.convert(text)


def abbr(term: str) -> str:
    return f'<abbr title="{DEFINITIONS[term]}">{term}</abbr>'


@pytest.mark.parametrize("text, html", [
    ("A Customer signs.", f"<p>A {abbr('Customer')} signs.</p>"),
    ("Customer success owns it.", "<p>Customer success owns it.</p>"),  # another record's name
    ("CUSTOMER SUCCESS owns it.", "<p>CUSTOMER SUCCESS owns it.</p>"),  # names match in any case
    ("Lead scoring is weekly.", "<p>Lead scoring is weekly.</p>"),
    ("**Lead:** Dana", "<p><strong>Lead:</strong> Dana</p>"),  # a label
    ("**Lead** time", f"<p><strong>{abbr('Lead')}</strong> time</p>"),  # bold, but no label
    ("[SAL](sal.md) and SAL", f'<p><a href="sal.md">SAL</a> and {abbr("SAL")}</p>'),  # links stay plain
    ("Lead-gen and SALs", "<p>Lead-gen and SALs</p>"),  # whole words only
    ("## SAL\n", '<h2>SAL</h2>'),  # headings stay plain
    ("`SAL`", "<p><code>SAL</code></p>"),
    ("a lead", "<p>a lead</p>"),  # terms match as written
    ("SAL, SAL and Lead", f"<p>{abbr('SAL')}, {abbr('SAL')} and {abbr('Lead')}</p>"),
])
def test_terms_are_marked_in_running_text_only(text: str, html: str) -> None:
    assert render(text) == html


def test_table_headers_are_labels_and_cells_are_text() -> None:
    html = render("| SAL |\n| --- |\n| SAL |")
    assert "<th>SAL</th>" in html
    assert f"<td>{abbr('SAL')}</td>" in html


def test_no_terms_no_pattern() -> None:
    assert pattern([], ["Customer success"]) is None
    regex = pattern(["SAL"], [])
    assert regex is not None and regex.search("x SAL y") is not None
