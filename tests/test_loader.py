"""The safe YAML loader: values as written, marks, and every refusal with its location."""

from __future__ import annotations

import pytest

from generator.loader import MAX_BYTES, MAX_DEPTH, LoadError, load_yaml, resolve_plain


def error_of(raw: bytes) -> tuple[int, int, str]:
    with pytest.raises(LoadError) as caught:
        load_yaml(raw)
    return caught.value.line, caught.value.column, caught.value.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-01-31", "2024-01-31"),
        ("2024-02-30", "2024-02-30"),
        ("NO", "NO"),
        ("yes", "yes"),
        ("True", "True"),
        ("1.10", "1.10"),
        ("017", "017"),
        ("1:20", "1:20"),
        ("0.5", 0.5),
        ("42", 42),
        ("-3", -3),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("1e3", "1e3"),
        (".inf", ".inf"),
    ],
)
def test_plain_scalars_keep_what_the_author_wrote(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_quoted_scalars_are_always_text() -> None:
    doc = load_yaml(b'a: "42"\nb: \'true\'\nc: |\n  line\n')
    assert doc.data == {"a": "42", "b": "true", "c": "line\n"}


def test_marks_point_at_values_and_keys() -> None:
    doc = load_yaml(b"title: X\nlist:\n  - one\n  - {k: v}\n")
    assert doc.marks[("title",)] == (1, 8)
    assert doc.key_marks[("title",)] == (1, 1)
    assert doc.marks[("list", 1)] == (4, 5)
    assert doc.marks[("list", 1, "k")] == (4, 9)
    assert doc.locate(("list", 1, "missing")) == (4, 5)
    assert doc.locate(("list", 1, "k"), key=True) == (4, 6)


def test_byte_order_mark_is_ignored() -> None:
    assert load_yaml(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: 1\nb: 2\na: 3\n", (3, 1, "duplicate key 'a' (it is already set above)")),
        (b"a: &x [1]\nb: *x\n", (1, 4, "anchors (&x) are not allowed in content")),
        (b"a: *x\n", (1, 4, "aliases (*name) are not allowed in content")),
        (b"a: 1\n---\nb: 2\n", (2, 1, "a content file must hold exactly one document")),
        (b"true: 1\n", (1, 1, "keys must be text: quote 'true' to use it as a key")),
        (b"12: 1\n", (1, 1, "keys must be text: quote '12' to use it as a key")),
        (b"? [a]\n: 1\n", (1, 3, "keys must be text, not a list or mapping")),
        (b"a: !!python/object:os.system x\n", (1, 4, "YAML tags (tag:yaml.org,2002:python/object:os.system) "
                                               "are not allowed in content")),
        (b"", (1, 1, "file is empty")),
        (b"# only a comment\n", (1, 1, "file is empty")),
        (b"a: ok\nb: caf\xe9\n", (2, 7, "file is not valid UTF-8 text")),
        (b"a: \x07\n", (1, 4, "invalid YAML: control characters are not allowed")),
        (b"a: [1,\nb: 2\n", (3, 1, "invalid YAML: did not find expected ',' or ']' "
                               "(while parsing a flow sequence started at line 1, column 4)")),
        (b"a: b: c\n", (1, 5, "invalid YAML: mapping values are not allowed in this context")),
    ],
)
def test_refusals_are_located(raw: bytes, expected: tuple[int, int, str]) -> None:
    assert error_of(raw) == expected


def test_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = b'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    assert error_of(bomb) == (1, 4, "anchors (&a) are not allowed in content")


def test_deep_nesting_is_refused_without_crashing() -> None:
    # libyaml's C composer overflows the C stack around depth 50,000: this must not reach it.
    assert error_of(b"a: " + b"[" * 50_000) == (1, 4 + MAX_DEPTH - 1, f"nesting is deeper than {MAX_DEPTH} levels")


def test_nesting_at_the_limit_loads() -> None:
    depth = MAX_DEPTH - 1  # the root mapping is one level
    doc = load_yaml(b"a: " + b"[" * depth + b"]" * depth + b"\n")
    value = doc.data["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_oversized_file_is_refused_before_parsing() -> None:
    raw = b"a: '" + b"x" * MAX_BYTES + b"'\n"
    assert error_of(raw) == (1, 1, f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})")


def test_text_lost_to_a_comment_is_warned_about() -> None:
    doc = load_yaml(b"a: posted in #sales by 13:00\nb: x  # a real comment\nc: 'quoted #ok'\nd: 12 #n\n"
                    b"e:\n  - item\t#tag\n")
    assert doc.data == {"a": "posted in", "b": "x", "c": "quoted #ok", "d": 12, "e": ["item"]}
    assert doc.warnings == [
        (1, 14, "the text '#sales by 13:00' is read as a comment and dropped from the value; "
                "quote the whole value to keep it"),
        (6, 10, "the text '#tag' is read as a comment and dropped from the value; quote the whole value to keep it"),
    ]
