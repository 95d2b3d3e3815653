"""The safe YAML loader: values as written, marks, and every refusal with its location."""

from __future__ import annotations

import pytest

from generator.content.loader import MAX_BYTES, MAX_DEPTH, LoadError, _build, load_yaml, resolve_plain


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
        (b"a: b: c\n", (1, 5, "invalid YAML: mapping values are not allowed in this context: a value that "
                            "contains ': ' must be in double quotes, like a: \"b: c\"")),
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


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"], ids=["LF", "CRLF", "CR", "NEL", "LS", "PS"])
def test_comment_warning_and_marks_with_any_line_ending(end: str) -> None:
    text = end.join(["title: x", "channel: posted in #sales by 13:00", "list:", "  - item #tag", "last: y", ""])
    doc = load_yaml(text.encode("utf-8"))
    assert doc.data == {"title": "x", "channel": "posted in", "list": ["item"], "last": "y"}
    assert doc.warnings == [
        (2, 20, "the text '#sales by 13:00' is read as a comment and dropped from the value; "
                "quote the whole value to keep it"),
        (4, 10, "the text '#tag' is read as a comment and dropped from the value; quote the whole value to keep it"),
    ]
    assert doc.marks[("last",)] == (5, 7)
    assert doc.key_marks[("list",)] == (3, 1)


@pytest.mark.parametrize("end", ["\r", "\x85", "\u2028"], ids=["CR", "NEL", "LS"])
def test_refusals_count_lines_as_yaml_does(end: str) -> None:
    assert error_of(f"a: x{end}b: \x07{end}".encode()) == (2, 4, "invalid YAML: control characters are not allowed")
    assert load_yaml(f"a: 1{end}b: 2{end}a: 3{end}".encode()).errors == [
        (3, 1, "duplicate key 'a' (it is already set at line 1): keep one of the two")]
    assert error_of(f"a: x{end}b: caf".encode() + b"\xe9\n") == (2, 7, "file is not valid UTF-8 text")
    assert error_of(f"a: é{end}b: ü \x07{end}".encode()) == (2, 6, "invalid YAML: control characters are not allowed")


def test_marks_are_read_when_first_asked_for_and_match_the_values() -> None:
    raw = b"title: X\nlist:\n  - one\n  - {k: v}\nmore: [1, 'two']\n"
    doc = load_yaml(raw)
    marks, key_marks = {}, {}
    assert _build(raw.decode(), marks, key_marks) == (doc.data, doc.warnings)
    assert doc.marks == marks == {(): (1, 1), ("title",): (1, 8), ("list",): (3, 3), ("list", 0): (3, 5),
                                  ("list", 1): (4, 5), ("list", 1, "k"): (4, 9), ("more",): (5, 7),
                                  ("more", 0): (5, 8), ("more", 1): (5, 11)}
    assert doc.key_marks == key_marks
    edited = doc.with_data({"title": "Y"})
    assert edited.data == {"title": "Y"} and edited.locate(("title",)) == (1, 8)


def test_values_and_warnings_do_not_depend_on_marking() -> None:
    """The loader reads values without marks, and again with them when a problem needs a place:
    both readings must agree on every content file of every fixture and of the starter."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("tests/fixtures/*/content/*/*.yaml"), *root.glob("content/*/*.yaml")]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            plain = _build(text)
        except LoadError as exc:
            with pytest.raises(LoadError) as again:
                _build(text, {}, {})
            assert (again.value.line, again.value.column, again.value.message) == (exc.line, exc.column, exc.message)
            continue
        assert _build(text, {}, {}) == plain, path


def test_a_duplicate_key_is_an_error_that_does_not_stop_the_reading() -> None:
    doc = load_yaml(b"a: 1\nb: [x]\na:\n  nested: 3\nc: 4\n")
    assert doc.data == {"a": 1, "b": ["x"], "c": 4}  # the first value stays; the rest is still read
    assert doc.errors == [(3, 1, "duplicate key 'a' (it is already set at line 1): keep one of the two")]
    assert doc.locate(("a",)) == (1, 4)  # the first value's place, not the repeated one's
    assert doc.locate(("c",)) == (5, 4)


def test_a_colon_inside_unquoted_text_suggests_quotes() -> None:
    with pytest.raises(LoadError) as caught:
        load_yaml(b"title: Pricing: what to say\n")
    assert (caught.value.line, caught.value.column) == (1, 15)
    assert caught.value.message == (
        "invalid YAML: mapping values are not allowed in this context: a value that contains ': ' must be "
        'in double quotes, like title: "Pricing: what to say"'
    )


def test_an_unquoted_channel_says_that_hash_starts_a_comment() -> None:
    """`channel: #sales` is an empty value to YAML; the warning says why, beside the schema's
    "expected text, found nothing". A comment after a space and `#` (`# note`) is no value."""
    doc = load_yaml(b"channel: #sales\nlist:\n  - #deals-desk\nnested:  # a comment\n  a: 1\nnone: # note\n")
    assert doc.data == {"channel": None, "list": [None], "nested": {"a": 1}, "none": None}
    assert doc.warnings == [
        (1, 10, "the value is empty: '#sales' is read as a comment, as '#' after a space starts one in "
                "YAML; quote it to keep it, like \"#sales\""),
        (3, 5, "the value is empty: '#deals-desk' is read as a comment, as '#' after a space starts one "
               "in YAML; quote it to keep it, like \"#deals-desk\""),
    ]
