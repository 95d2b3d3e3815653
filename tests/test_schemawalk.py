"""The one schema walk: confidentiality marks are honoured wherever JSON Schema applies them, and a
mark standing where no value can be removed is a located schema error (issue 25, item 1)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.content.schemas import Collection, _valid
from generator.content.schemawalk import applying, graph, nodes_of, subschemas
from generator.rules.audience import hidden_paths, scope
from generator.rules.project import load_playbook

from .conftest import FIXTURES, edit

STAGES = "schemas/stages.schema.json"
MQL = "content/stages/mql.yaml"  # audience: partner
END = '  "additionalProperties": false\n}'


@pytest.fixture
def audience(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "audience", root)
    return root


def add_to_stages(root: Path, keywords: str) -> None:
    """Add top-level keywords (JSON text ending with a comma) to the stages schema."""
    edit(root, STAGES, END, f"  {keywords}\n{END}")


def partner_view(root: Path) -> dict[str, Any]:
    playbook, problems = load_playbook(root)
    assert [str(p) for p in problems] == []
    return scope(playbook, "partner").records[("stages", "mql")].data


# The two reproduced fail-opens: each was accepted, `check` reported nothing and the partner view kept
# the value.
def test_a_mark_in_a_then_branch_is_honoured_when_the_branch_applies(audience: Path) -> None:
    add_to_stages(audience, '"if": {"required": ["abbreviation"]}, '
                            '"then": {"properties": {"abbreviation": {"x-audience": "internal"}}},')
    seen = partner_view(audience)
    assert "abbreviation" not in seen
    assert seen["order"] == 2


def test_a_mark_in_a_branch_that_does_not_apply_hides_nothing(audience: Path) -> None:
    add_to_stages(audience, '"if": {"required": ["summary"]}, '
                            '"then": {"properties": {"abbreviation": {"x-audience": "internal"}}}, '
                            '"else": {"properties": {"order": {"x-audience": "internal"}}},')
    seen = partner_view(audience)
    assert seen["abbreviation"] == "MQL"
    assert "order" not in seen  # the else branch applies: mql has no summary


def test_a_mark_under_pattern_properties_hides_the_matching_keys(audience: Path) -> None:
    add_to_stages(audience, '"patternProperties": {"^internal_": {"type": "string", "x-audience": "internal"}},')
    edit(audience, MQL, "order: 2\n", "order: 2\ninternal_margin: SECRETMARGIN\ninternal_note: SECRETNOTE\n")
    seen = partner_view(audience)
    assert "internal_margin" not in seen and "internal_note" not in seen
    assert seen["abbreviation"] == "MQL"


def test_a_mark_in_the_matching_any_of_branch_is_honoured(audience: Path) -> None:
    add_to_stages(audience, '"anyOf": [{"properties": {"order": {"maximum": 1, "x-audience": "internal"}}}, '
                            '{"properties": {"abbreviation": {"x-audience": "internal"}}}],')
    seen = partner_view(audience)
    assert "abbreviation" not in seen
    assert seen["order"] == 2  # the first branch does not hold for order 2


@pytest.mark.parametrize(("keywords", "where", "keyword"), [
    ('"not": {"required": ["nothing"], "properties": {"order": {"x-audience": "internal"}}},', "79:61", "not"),
    ('"propertyNames": {"x-audience": "internal"},', "79:21", "propertyNames"),
    ('"unevaluatedProperties": {"x-ref": "teams"},', "79:29", "unevaluatedProperties"),
    ('"dependencies": {"order": {"x-audience": "internal"}},', "79:30", "dependencies"),
])
def test_a_mark_where_no_value_can_be_removed_is_a_located_error(
    audience: Path, keywords: str, where: str, keyword: str
) -> None:
    add_to_stages(audience, keywords)
    annotation = "x-ref" if "x-ref" in keywords else "x-audience"
    assert [str(p) for p in load_playbook(audience)[1]] == [
        f"schemas/stages.schema.json:{where}: error: {annotation}: cannot be honoured here: it is under "
        f'"{keyword}", which applies this schema to no value of a record (the playbook would ignore it); '
        "put it on the property or item it is about"]


def test_a_shared_definition_reached_through_not_is_located_in_its_own_file(audience: Path) -> None:
    edit(audience, "schemas/_common.schema.json", '"$defs": {', '"$defs": {\n    "secret": {"x-audience": "internal", "required": ["x"]},')
    add_to_stages(audience, '"not": {"$ref": "_common.schema.json#/$defs/secret"},')
    assert [str(p) for p in load_playbook(audience)[1]] == [
        'schemas/_common.schema.json:5:16: error: x-audience: cannot be honoured here: it is under "not", which '
        "applies this schema to no value of a record (the playbook would ignore it); put it on the property or "
        "item it is about"]


# ---------------------------------------------------------------------------
# Differential: the walk finds exactly the marks JSON Schema itself collects as annotations
#
# jsonschema-rs (a separate implementation) collects unknown keywords such as ``x-audience`` as
# annotations of the instance locations they apply to, dropping those of subschemas that fail
# (a failed ``if``, an ``anyOf`` branch that does not hold). For generated schemas, with marks
# anywhere in any applicator, and generated records valid against them, every location that
# jsonschema-rs says is marked ``internal`` must be removed by scoping, and nothing else.

KEYS = ("a", "b", "c", "xa", "xb")
VALUES: tuple[Any, ...] = ("s", "t", 1, 2, True)


def gen_schema(rng: random.Random, depth: int, refs: bool = True) -> dict[str, Any]:
    """A schema with marks anywhere; ``refs``: it may name ``#/$defs/shared`` (which may not)."""
    node: dict[str, Any] = {}
    if rng.random() < 0.3:
        node["x-audience"] = rng.choice(["internal", "partner", "public"])
    if depth <= 0:
        if rng.random() < 0.4:
            node["type"] = rng.choice(["string", "integer", "boolean"])
        return node
    kinds = rng.sample(["properties", "patternProperties", "additionalProperties", "items", "prefixItems",
                        "allOf", "anyOf", "oneOf", "if", "dependentSchemas", "contains", "type",
                        *(["$ref"] if refs else [])],
                       rng.randint(1, 4))
    for kind in kinds:
        sub = lambda: gen_schema(rng, depth - 1, refs)  # noqa: E731
        if kind == "properties":
            node[kind] = {k: sub() for k in rng.sample(KEYS, rng.randint(1, 3))}
        elif kind == "patternProperties":
            node[kind] = {"^x": sub()}
        elif kind == "dependentSchemas":
            node[kind] = {rng.choice(KEYS): sub()}
        elif kind in ("additionalProperties", "items", "contains"):
            node[kind] = sub()
        elif kind in ("prefixItems", "allOf", "anyOf", "oneOf"):
            node[kind] = [sub() for _ in range(rng.randint(1, 3))]
        elif kind == "if":
            node["if"], node["then"], node["else"] = sub(), sub(), sub()
        elif kind == "$ref":
            node["$ref"] = "#/$defs/shared"
        elif kind == "type":
            node["type"] = rng.choice(["object", "array", "string"])
    return node


def gen_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth <= 0 or roll < 0.3:
        return rng.choice(VALUES)
    if roll < 0.6:
        return {k: gen_value(rng, depth - 1) for k in rng.sample(KEYS, rng.randint(0, 4))}
    return [gen_value(rng, depth - 1) for _ in range(rng.randint(1, 3))]


def collection_of(schema: dict[str, Any]) -> Collection:
    registry = Registry().with_resource("x.schema.json", Resource.from_contents(
        schema, default_specification=DRAFT202012))
    resolver = registry.resolver(base_uri="x.schema.json")
    root = graph(schema, resolver, "x.schema.json")
    keywords = frozenset(k for n in nodes_of(root) for k in n.schema if k.startswith("x-"))
    return Collection("x", "schemas/x.schema.json", schema, None, resolver, graph=root, keywords=keywords)


def marked(schema: dict[str, Any], instance: Any, audiences: tuple[str, ...]) -> set[tuple[str | int, ...]]:
    """The instance locations jsonschema-rs collects an ``x-audience`` in ``audiences`` for."""
    found = set()
    for item in jsonschema_rs.Draft202012Validator(schema).evaluate(instance).annotations():
        if isinstance(item["annotations"], dict) and item["annotations"].get("x-audience") in audiences:
            parts = item["instanceLocation"].split("/")[1:]
            found.add(tuple(int(p) if isinstance(instance, (dict, list)) and p.isdigit() else p for p in parts))
    return found


def cases(count: int, seed: int = 25) -> list[tuple[dict[str, Any], Any]]:
    """``count`` (schema, valid instance) pairs, each schema marked somewhere."""
    rng, found = random.Random(seed), []
    while len(found) < count:
        schema = gen_schema(rng, 3)
        schema["$defs"] = {"shared": gen_schema(rng, 2, refs=False)}
        if not any("x-audience" in n for _, n in subschemas(schema)):
            continue
        validator = jsonschema_rs.Draft202012Validator(schema)
        for _ in range(20):
            instance = {k: gen_value(rng, 3) for k in rng.sample(KEYS, rng.randint(1, 5))}
            if validator.is_valid(instance):
                found.append((schema, instance))
                break
    return found


def _normal(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(str(p) for p in path)


@pytest.mark.parametrize("case", range(300))
def test_scoping_removes_exactly_what_json_schema_marks(case: int, generated: list[Any]) -> None:
    schema, instance = generated[case]
    collection = collection_of(schema)
    for viewer, narrower in (("partner", ("internal",)), ("public", ("internal", "partner"))):
        expected = {_normal(p) for p in marked(schema, instance, narrower)}
        hidden = {_normal(p) for p in hidden_paths(collection, instance, viewer)}
        assert hidden == expected, json.dumps({"schema": schema, "instance": instance, "viewer": viewer})


@pytest.fixture(scope="module")
def generated() -> list[Any]:
    return cases(300)


def test_the_generated_cases_mark_values_in_every_applicator(generated: list[Any]) -> None:
    """The generator reaches what it is meant to test: marked values found through each keyword."""
    reached: set[str] = set()
    for schema, instance in generated:
        collection = collection_of(schema)
        for _, _, node in applying(collection.graph, instance, _valid):
            if "x-audience" in node.schema:
                reached |= {str(p) for p in node.pointer if isinstance(p, str)}
    assert reached >= {"properties", "patternProperties", "additionalProperties", "items", "prefixItems",
                       "allOf", "anyOf", "oneOf", "if", "then", "else", "dependentSchemas", "contains", "$defs"}


def test_a_mark_that_applies_to_the_whole_record_hides_the_record(audience: Path) -> None:
    add_to_stages(audience, '"if": {"properties": {"order": {"const": 2}}}, "then": {"x-audience": "internal"},')
    playbook, problems = load_playbook(audience)
    assert problems == []
    assert ("stages", "mql") in playbook.records
    assert ("stages", "mql") not in scope(playbook, "partner").records
