"""The renderers of the diff engine's FieldChange values: each output from the same values
(generator/history/renderers.py), none reading another's text back."""

from __future__ import annotations

from generator.history.diff import AMBIGUOUS, MISSING, REVIEWED, WITHHELD, FieldChange, Ref
from generator.history.renderers import MARKDOWN, TEXT, Markdown, chat_details, feed_html, housekeeping

SALES = Ref("sales", collection="teams", title="Sales")
SQL = Ref("sql", collection="stages", title="Sales qualified lead")
REVIEW = FieldChange((REVIEWED,), ("Last reviewed",), "changed", "2026-02-15", "2026-11-20", metadata=True)
LONG_OLD = "Confirm that the lead is within one working *days* <b>"
LONG_NEW = "Confirm that the lead is within two working *days* <b>"
# The same changes, each with its Markdown and its plain text.
CASES = [
    (FieldChange(("target",), ("Target",), "changed", "4 hours", "2 hours"),
     "**Target**: “4 hours” → “2 hours”", "Target: “4 hours” → “2 hours”"),
    (FieldChange(("review_every_days",), ("Review every (days)",), "added", None, 30),
     "**Review every \\(days\\)**: set to 30", "Review every (days): set to 30"),
    (FieldChange(("abbreviation",), ("Abbreviation",), "removed", "MQL <b>", None),
     "**Abbreviation**: removed (was “MQL &lt;b&gt;”)", "Abbreviation: removed (was “MQL <b>”)"),
    (FieldChange(("escalation", 0, "action"), ("Escalation", "1", "Action"), "changed", "a", ""),
     "**Escalation 1 / Action**: “a” → *(empty)*", "Escalation 1 / Action: “a” → (empty)"),
    (FieldChange(("entry_criteria",), ("Entry criteria",), "changed", added=("Fit grade A",),
                 removed=("Fit grade A or B",)),
     "**Entry criteria**: added “Fit grade A”; removed “Fit grade A or B”",
     "Entry criteria: added “Fit grade A”; removed “Fit grade A or B”"),
    (FieldChange(("months",), ("Months",), "reordered"), "**Months**: reordered", "Months: reordered"),
    (FieldChange(("owning_team",), ("Owning team",), "changed", SALES, Ref("gone", MISSING)),
     "**Owning team**: Sales (`teams/sales`) → gone (no such record)",
     "Owning team: Sales (teams/sales) → gone (no such record)"),
    (FieldChange(("next_stages",), ("Next stages",), "changed", removed=(Ref("", WITHHELD),)),
     "**Next stages**: removed *withheld*", "Next stages: removed withheld"),
    (FieldChange(("provider",), ("Provider",), "changed", SALES, Ref("mql", AMBIGUOUS, among=("stages", "teams"))),
     "**Provider**: Sales (`teams/sales`) → mql (ambiguous: a record in stages, teams)",
     "Provider: Sales (teams/sales) → mql (ambiguous: a record in stages, teams)"),
    (FieldChange(("grades",), ("Grades",), "changed", {"A": 1, "B": [True, None]}, {"A": 2}),
     "**Grades**: A: 1; B: true, *(empty)* → A: 2", "Grades: A: 1; B: true, (empty) → A: 2"),
    (FieldChange((), (), "changed", added=(SALES,), removed=(SQL,), references=True),
     "**References gained**: Sales (`teams/sales`)\n**References lost**: Sales qualified lead (`stages/sql`)",
     "References gained: Sales (teams/sales)\nReferences lost: Sales qualified lead (stages/sql)"),
    # Moved from test_changes (the plain text of the engine's Markdown, now of the same values).
    (FieldChange(("definition",), ("Definition",), "changed", LONG_OLD + " " * 60, LONG_NEW),
     "**Definition**: … the lead is within <del>one</del> <ins>two</ins> working \\*days\\* &lt;b&gt;",
     "Definition: … the lead is within [-one-] {+two+} working *days* <b>"),
]


def test_markdown_and_text_of_the_same_field_changes() -> None:
    for change, markdown, text in CASES:
        assert "\n".join(MARKDOWN.lines([change, REVIEW], "changed")[:-1]) == markdown, change
        assert "\n".join(TEXT.lines([change, REVIEW], "changed")[:-1]) == text, change


def test_the_review_date_says_no_other_change_when_it_is_the_only_change() -> None:
    assert MARKDOWN.lines([REVIEW], "reviewed") == [
        "**Last reviewed**: 2026-02-15 → 2026-11-20 — no other change: the owner confirms it is still accurate."]
    assert TEXT.lines([CASES[0][0], REVIEW], "changed") == [
        "Target: “4 hours” → “2 hours”", "Last reviewed: 2026-02-15 → 2026-11-20"]
    unset = FieldChange((REVIEWED,), ("Last reviewed",), "added", None, "2026-11-20", metadata=True)
    assert TEXT.lines([CASES[0][0], unset], "changed")[1] == "Last reviewed: unset → 2026-11-20"


def test_an_added_or_removed_record_lists_what_it_held() -> None:
    owner = FieldChange(("owner",), ("Owner",), "added", None, SALES)
    review = FieldChange((REVIEWED,), ("Last reviewed",), "added", None, "2026-03-01", metadata=True)
    assert MARKDOWN.lines([owner, review], "added") == ["**Owner**: Sales (`teams/sales`)",
                                                        "**Last reviewed**: 2026-03-01"]
    # Moved from test_changes: the plain text of "**Owner**: Sales (`teams/sales`)".
    assert TEXT.lines([owner, review], "added") == ["Owner: Sales (teams/sales)", "Last reviewed: 2026-03-01"]
    gone = FieldChange(("owner",), ("Owner",), "removed", SALES, None)
    assert TEXT.lines([gone], "removed") == ["Owner: Sales (teams/sales)"]


def test_a_long_text_for_reviewers_is_a_fenced_line_diff() -> None:
    change = FieldChange(("summary",), ("Summary",), "changed", "one\n```\nthree", "one\ntwo\nthree")
    assert Markdown(word_diffs=False).lines([change], "changed") == [
        "**Summary**: text changed\n\n  ````diff\n  -```\n  +two\n  ````"]
    assert TEXT.lines([change], "changed") == ["Summary: one [-```-] {+two+} three"]


def test_feed_and_chat_from_the_same_values() -> None:
    target = CASES[0][0]
    title = FieldChange(("title",), ("Title",), "changed", "<script>", "x & y")
    assert feed_html([target, title, REVIEW], "changed") == (
        "<ul><li>Target: “4 hours” → “2 hours”</li><li>Title: “&lt;script&gt;” → “x &amp; y”</li>"
        "<li>Last reviewed: 2026-02-15 → 2026-11-20</li></ul>")
    # A chat shows the first five details, the review date aside; its escaping is the webhook's.
    many = [FieldChange((f"f{n}",), (f"F{n}",), "added", None, n) for n in range(7)]
    assert chat_details([*many, REVIEW], "changed") == tuple(f"F{n}: set to {n}" for n in range(5))
    assert chat_details([REVIEW, target], "changed") == ("Target: “4 hours” → “2 hours”",)


def test_a_text_that_looks_like_markup_is_only_text() -> None:
    sneaky = FieldChange(("title",), ("**Title** `x`",), "changed", "`a` *b* \\c", "<del>d</del>")
    assert TEXT.lines([sneaky], "changed") == ["**Title** `x`: “`a` *b* \\c” → “<del>d</del>”"]
    assert MARKDOWN.lines([sneaky], "changed") == [
        "**\\*\\*Title\\*\\* \\`x\\`**: “\\`a\\` \\*b\\* \\\\c” → “&lt;del&gt;d&lt;/del&gt;”"]


def test_field_change_title_and_parts() -> None:
    nested = CASES[3][0]
    assert nested.title == "Action"
    assert nested.parts() == [("", "Escalation"), (" ", "1"), (" / ", "Action")]
    assert REVIEW.review and not nested.review


def test_kept_fields_are_rendered_as_part_of_the_whole_change() -> None:
    audience = FieldChange(("audience",), ("Audience",), "added", None, "partner", metadata=True)
    # The review date is not "no other change" when a housekeeping field changed beside it.
    assert MARKDOWN.lines([audience, REVIEW], "changed", keep=lambda f: f.review or not f.metadata) == [
        "**Last reviewed**: 2026-02-15 → 2026-11-20"]
    assert housekeeping(1) == "1 housekeeping change" and housekeeping(3) == "3 housekeeping changes"
