"""The compiled clean path (jsonschema-rs) gives exactly the verdicts of ``jsonschema``."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from bench.synth import Synth
from bench.synth import write_playbook as write_synthetic
from generator.content.loader import load_yaml
from generator.content.schemas import fast_validator, load_schemas
from generator.content.validate import schema_problems
from generator.rules.project import load_playbook

from .conftest import FIXTURES, edit_file

HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 1.0, 1.5, 10**30, "", "x", "abc\n", "ABC", "2026-02-30", "0000-01-01",
    "2026-1-01", "20260101", "2026-01-01\n", "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", [], [""], ["a", "a"], {}, {"x": 1},
    "https://a.example/", "https://A.example/\n", "not a url", "stage-00001", "é" * 3,
]


def _both(collection: Any, data: Any) -> tuple[bool, bool]:
    slow = not list(collection.validator.iter_errors(data))
    return collection.fast.is_valid(data), slow


def _mutations(data: dict[str, Any], rng: random.Random) -> list[Any]:
    """Records one change away from ``data``: values replaced, keys dropped or added, list items."""
    out: list[Any] = []
    for key in list(data):
        for value in rng.sample(HOSTILE_VALUES, 6):
            changed = copy.deepcopy(data)
            changed[key] = value
            out.append(changed)
        dropped = copy.deepcopy(data)
        del dropped[key]
        out.append(dropped)
        value = data[key]
        if isinstance(value, list) and value:
            for item in rng.sample(HOSTILE_VALUES, 4):
                changed = copy.deepcopy(data)
                changed[key][0] = item
                out.append(changed)
            if isinstance(value[0], dict):
                for inner in list(value[0]):
                    changed = copy.deepcopy(data)
                    changed[key][0][inner] = rng.choice(HOSTILE_VALUES)
                    out.append(changed)
        if isinstance(value, dict):
            for inner in list(value):
                changed = copy.deepcopy(data)
                changed[key][inner] = rng.choice(HOSTILE_VALUES)
                out.append(changed)
    extra = copy.deepcopy(data)
    extra["unknown_field"] = "x"
    return [*out, extra, [], "text", None]


@pytest.mark.parametrize("fixture", ["basic", "hostile"])
def test_fast_and_slow_agree_on_every_fixture_record(fixture: str) -> None:
    root = FIXTURES / fixture
    collections, _ = load_schemas(root)
    checked = 0
    for path in sorted((root / "content").glob("*/*.yaml")):
        collection = collections.get(path.parent.name)
        if collection is None or collection.fast is None:
            continue
        try:
            data = load_yaml(path.read_bytes()).data
        except Exception:
            continue
        fast, slow = _both(collection, data)
        assert fast == slow, path
        checked += 1
    assert checked >= 5


def test_fast_and_slow_agree_on_mutated_records(tmp_path: Path) -> None:
    root = tmp_path / "synthetic"
    write_synthetic(root, 60)
    collections, problems = load_schemas(root)
    assert problems == []
    assert all(c.fast is not None for c in collections.values())
    synth, rng = Synth(60, seed=3), random.Random(5)
    seen = {True: 0, False: 0}
    disagreements = []
    for name, collection in collections.items():
        for index in range(3):
            for data in [synth.record(name, index), *_mutations(synth.record(name, index), rng)]:
                fast, slow = _both(collection, data)
                seen[slow] += 1
                if fast != slow:
                    disagreements.append((name, data))
                # The pipeline's verdict (fast path, then jsonschema for what it rejects) is jsonschema's.
                assert (schema_problems(collection, "f.yaml", _doc(data)) == []) == slow
    assert disagreements == []
    assert seen[True] > 20 and seen[False] > 200


def _doc(data: Any) -> Any:
    doc = load_yaml(b"a: 1")
    doc.data = data
    return doc


def test_python_regex_semantics_are_kept() -> None:
    """``$`` matches before a final newline in Python: the fast path must not reject what
    jsonschema accepts, nor accept what it rejects."""
    schema = {"type": "object", "properties": {"g": {"type": "string", "pattern": "^[a-z]+$"}}}
    validator = fast_validator("x.schema.json", {"x.schema.json": schema})
    assert validator.is_valid({"g": "abc\n"})
    assert not validator.is_valid({"g": "ABC"})


def test_only_the_date_format_is_checked() -> None:
    schema = {"properties": {"d": {"format": "date"}, "e": {"format": "email"}}}
    validator = fast_validator("x.schema.json", {"x.schema.json": schema})
    assert validator.is_valid({"d": "2024-02-29", "e": "not an address"})
    assert not validator.is_valid({"d": "2023-02-29"})
    assert not validator.is_valid({"d": "0000-01-01"})  # Python's date has no year 0
    assert not validator.is_valid({"d": "2024-2-29"})


@pytest.mark.parametrize("schema", [
    {"properties": {"n": {"multipleOf": 0.1}}},  # jsonschema-rs accepts 0.3, jsonschema does not
    {"patternProperties": {"^a": {"type": "string"}}},
    {"$id": "https://example.com/x.json", "type": "object"},
    {"properties": {"a": {"$ref": "../elsewhere/_common.schema.json#/$defs/a"}}},
    {"properties": {"a": {"$ref": "missing.schema.json#/$defs/a"}}},
    {"unevaluatedProperties": False},
])
def test_no_fast_path_where_it_could_disagree(schema: dict[str, Any]) -> None:
    assert fast_validator("x.schema.json", {"x.schema.json": schema}) is None


def test_custom_keywords_are_ignored_and_shared_definitions_resolve() -> None:
    common = {"$defs": {"owner": {"type": "string", "x-ref": ["people"], "x-drift": False}}}
    schema = {"type": "object", "required": ["owner"], "x-playbook": {"title": "T"},
              "properties": {"owner": {"$ref": "_common.schema.json#/$defs/owner", "x-error": "no"}}}
    validator = fast_validator("t.schema.json", {"t.schema.json": schema, "_common.schema.json": common})
    assert validator.is_valid({"owner": "dana"})
    assert not validator.is_valid({"owner": 3})


def test_fixture_collections_use_the_fast_path() -> None:
    collections, _ = load_schemas(FIXTURES / "basic")
    assert {n for n, c in collections.items() if c.fast is not None} == set(collections)


def test_a_rejected_record_is_explained_by_jsonschema(basic: Path) -> None:
    path = basic / "content" / "people" / "dana-reyes.yaml"
    edit_file(path, "last_reviewed: 2026-01-10", "last_reviewed: 2026-02-30")
    _, problems = load_playbook(basic)
    assert [str(p) for p in problems] == [
        "content/people/dana-reyes.yaml:3:16: error: last_reviewed: expected a real date written "
        "YYYY-MM-DD, found the text '2026-02-30'"
    ]


def test_synthetic_playbook_is_valid(tmp_path: Path) -> None:
    root = tmp_path / "synthetic"
    counts = write_synthetic(root, 100)
    playbook, problems = load_playbook(root)
    assert problems == []
    assert len(playbook.records) == sum(counts.values()) == 100
    assert sum(len(r.refs) for r in playbook.records.values()) > 300
