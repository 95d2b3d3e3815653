"""The one date rule, shared by command-line options, plugin settings and record fields."""

from __future__ import annotations

from datetime import date

import pytest
from mkdocs.exceptions import PluginError

from generator.core.dates import is_real_date, parse_iso_date
from generator.site.plugin import build_date

from .conftest import edit_file

NOT_DATES = ["20261123", "2026-11-23T00:00", "2026-2-3", "2026-02-30", " 2026-11-23", "2026-11-23\n",
             "\uff12\uff10\uff12\uff16-11-23", ""]


def test_a_real_date() -> None:
    assert parse_iso_date("2026-11-23") == date(2026, 11, 23)
    assert is_real_date("2024-02-29")


@pytest.mark.parametrize("text", NOT_DATES)
def test_what_is_not_a_date_is_refused_with_the_same_message(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_iso_date(text)
    assert str(caught.value) == f"not a real date written YYYY-MM-DD: {text!r}"
    assert not is_real_date(text)


@pytest.mark.parametrize("text", [t for t in NOT_DATES if t])
def test_the_plugin_applies_the_same_rule(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PluginError, match="must be a date written YYYY-MM-DD"):
        build_date(text)
    monkeypatch.setenv("PLAYBOOK_TODAY", text)
    with pytest.raises(PluginError, match="must be a date written YYYY-MM-DD"):
        build_date(None)
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-11-23")
    assert build_date(None) == date(2026, 11, 23)


def test_record_dates_follow_the_rule_too(basic) -> None:
    from generator.rules.project import load_playbook

    record = basic / "content/stages/mql.yaml"
    edit_file(record, "last_reviewed: 2026-03-01", "last_reviewed: '20260301'")
    _, problems = load_playbook(basic)
    assert [str(p) for p in problems] == [
        "content/stages/mql.yaml:3:16: error: last_reviewed: expected a real date written YYYY-MM-DD, found the "
        "text '20260301'"]
