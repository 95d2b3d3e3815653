"""Placeholder links: addresses reserved for examples (RFC 2606, RFC 6761) are warnings of
``playbook check``, at the value's line, as placeholder words are."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.placeholders import placeholder_link

from .conftest import edit


@pytest.mark.parametrize("text, link", [
    ("https://example.com", "https://example.com"),
    ("See https://www.example.org/pricing for prices.", "https://www.example.org/pricing"),
    ("http://EXAMPLE.NET/a?b=c#d", "http://EXAMPLE.NET/a?b=c#d"),
    ("(https://wiki.acme.example/win-loss)", "https://wiki.acme.example/win-loss"),
    ("https://crm.invalid/report", "https://crm.invalid/report"),
    ("https://staging.test", "https://staging.test"),
    ("http://localhost:8000/admin/", "http://localhost:8000/admin/"),
    ("https://app.localhost/x", "https://app.localhost/x"),
    ("https://user:secret@example.com./x", "https://user:secret@example.com./x"),
    ("first https://acme.com then https://acme.example", "https://acme.example"),
])
def test_a_link_to_an_address_reserved_for_examples_is_a_placeholder(text: str, link: str) -> None:
    assert placeholder_link(text) == link


@pytest.mark.parametrize("text", [
    "https://acme.com/pricing", "https://example.company.com", "https://examples.com", "https://testing.io",
    "https://contest.org", "https://localhost.acme.com", "example.com without a scheme", "mailto:a@example.com",
    "https://acme.com/example.com",
])
def test_real_addresses_and_plain_words_are_not(text: str) -> None:
    assert placeholder_link(text) is None


def test_check_reports_each_placeholder_link_at_its_line(basic: Path) -> None:
    edit(basic, "content/stages/mql.yaml", "  Sales accepts or rejects it within one working day.\n",
         "  Sales accepts or rejects it within one working day (https://wiki.acme.example/mql).\n")
    edit(basic, "content/stages/mql.yaml", "  - Behaviour score of 60 or more\n",
         "  - Behaviour score of 60 or more, see https://acme.com/scoring\n  - Form on http://localhost:3000/\n")
    out = io.StringIO()
    assert main(["check", "--root", str(basic)], out) == 0  # a warning: the record is valid, not finished
    assert out.getvalue() == (
        "content/stages/mql.yaml:7:13: warning: definition: placeholder link 'https://wiki.acme.example/mql': "
        "link to the real page, or leave the link out\n"
        "content/stages/mql.yaml:14:5: warning: entry_criteria[2]: placeholder link 'http://localhost:3000/': "
        "link to the real page, or leave the link out\n"
        "playbook check: 2 warnings in 1 file\n")
