"""Schema annotations: the pruned walk finds exactly what a walk of the whole schema finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.content.schemas import Collection, _valid, annotated_values, record_refs
from generator.content.schemawalk import applying, graph
from generator.rules.project import load_playbook

from .conftest import FIXTURES


def full_walk(collection: Collection, data: Any, keyword: str) -> list[tuple[Any, Any, Any]]:
    """The first subschema with ``keyword`` at each location, walking the whole schema."""
    seen: dict[Any, tuple[Any, Any, Any]] = {}
    if keyword in collection.keywords:
        for path, value, node in applying(collection.graph, data, _valid):
            if keyword in node.schema and path not in seen:
                seen[path] = (path, value, node.schema[keyword])
    return list(seen.values())


# Every fixture playbook, the reader fixture (the starter's eleven collection schemas) included; never
# the bundled starter (tests/test_smoke.py alone reads it).
@pytest.mark.parametrize("root", sorted(p for p in FIXTURES.iterdir() if (p / "schemas").is_dir()),
                         ids=lambda p: p.name)
def test_annotations_walk_only_what_leads_to_them(root: Path) -> None:
    playbook, _ = load_playbook(root)
    assert playbook.records
    for record in playbook.records.values():
        collection = playbook.collections[record.collection]
        for keyword in ("x-ref", "x-audience", "x-drift"):
            expected = full_walk(collection, record.data, keyword)
            assert list(annotated_values(collection, record.data, keyword).items()) == \
                [(path, value) for path, _, value in expected]
        assert [(s.path, s.value) for s in record_refs(collection, record.data)] == \
            [(path, value) for path, value, _ in full_walk(collection, record.data, "x-ref") if isinstance(value, str)]


def test_pruned_walk_keeps_order_recursion_and_declared_properties() -> None:
    """allOf before properties, a recursive $ref, and a declared property without references
    that additionalProperties must not take over."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {"node": {"type": "object", "properties": {"to": {"x-ref": "teams"},
                                                            "next": {"$ref": "#/$defs/node"}}}},
        "allOf": [{"properties": {"b": {"x-ref": "people"}}}],
        "properties": {"owner": {"x-ref": ["people", "teams"]}, "a": {"x-ref": "teams"},
                       "plain": {"type": "string"}, "tree": {"$ref": "#/$defs/node"}},
        "additionalProperties": {"x-ref": "stages"},
    }
    registry = Registry().with_resource(
        "things.schema.json", Resource.from_contents(schema, default_specification=DRAFT202012))
    resolver = registry.resolver(base_uri="things.schema.json")
    things = Collection("things", "schemas/things.schema.json", schema, None, resolver,
                        graph=graph(schema, resolver, "things.schema.json"), keywords=frozenset({"x-ref"}))
    data = {"owner": "x", "a": "t1", "b": "p1", "plain": "not a ref", "other": "s1",
            "tree": {"to": "t2", "next": {"to": "t3", "next": {"to": "t4"}}}}
    found = [(s.path, s.value, s.targets) for s in record_refs(things, data)]
    assert found == [(p, v, (t,) if isinstance(t, str) else tuple(t)) for p, v, t in full_walk(things, data, "x-ref")]
    assert [path for path, _, _ in found] == [("b",), ("owner",), ("a",), ("other",), ("tree", "to"),
                                              ("tree", "next", "to"), ("tree", "next", "next", "to")]
