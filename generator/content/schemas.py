"""Collections as data: reading ``schemas/<collection>.schema.json`` and its annotations.

A collection is defined by its schema. Everything the generator needs to know
about it comes from the schema's ``x-playbook`` annotation (display title, nav
order, review interval, index columns) and from ``x-ref`` annotations on the
properties that name other records. Files whose name starts with ``_`` hold
shared definitions (for example ``_common.schema.json``) and are not
collections.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..core import patterns
from ..core.dates import is_real_date
from ..core.problems import Problem
from ..core.wording import humanize
from .schemacheck import annotation_problems, marks, read_schema, reference_cycle
from .schemawalk import (
    MAX_REF_HOPS,
    Node,
    applying,
    children,
    graph,
    leading_to,
    lookup,
    nodes_of,
    subschemas,
    unhonoured,
)
from .schemawalk import (
    Location as Location,
)

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SCHEMA_SUFFIX = ".schema.json"
REQUIRED_FIELDS = ("title", "owner", "last_reviewed")
DEFAULT_REVIEW_DAYS = 90
DEFAULT_OWNERS = ("people", "teams")  # the collections that can own records, unless playbook.yml says

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date")
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or is_real_date(value)


def is_valid_id(name: str) -> bool:
    return ID_PATTERN.fullmatch(name) is not None


@dataclass(frozen=True)
class Column:
    field: str
    title: str


@dataclass
class Collection:
    """One kind of record: its schema, validator and display settings."""

    name: str
    file: str
    schema: dict[str, Any]
    validator: Any = field(repr=False)
    resolver: Any = field(repr=False)
    title: str = ""
    singular: str = ""
    description: str = ""
    order: int = 100
    review_days: int = DEFAULT_REVIEW_DAYS
    sort: str = "title"
    columns: tuple[Column, ...] = ()
    annotations: dict[str, Any] = field(default_factory=dict)
    # A compiled validator (jsonschema-rs) for the clean path: when it accepts a record, so would
    # ``validator``; when it does not, ``validator`` explains why. None: ``validator`` alone.
    fast: Any = field(default=None, repr=False)
    graph: Any = field(default=None, repr=False)  # the subschemas it applies (schemawalk.graph)
    keywords: frozenset[str] = frozenset()  # the x- annotations it uses
    pruned: dict[str, set[int]] = field(default_factory=dict, repr=False)  # see annotated_nodes

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


def _settings(
    name: str, file: str, schema: dict[str, Any], validator: Any, resolver: Any
) -> Collection:
    meta = schema.get("x-playbook", {})
    columns = tuple(
        Column(c["field"], c.get("title") or humanize(c["field"]))
        for c in meta.get("columns", [])
    )
    return Collection(
        name=name,
        file=file,
        schema=schema,
        validator=validator,
        resolver=resolver,
        title=meta.get("title") or schema.get("title") or humanize(name),
        singular=schema.get("title") or name,
        description=schema.get("description", ""),
        order=int(meta.get("order", 100)),
        review_days=int(meta.get("review_days", DEFAULT_REVIEW_DAYS)),
        sort=meta.get("sort", "title"),
        columns=columns,
        annotations=meta,
    )


@functools.lru_cache(maxsize=256)
def _meta_error(canonical: str) -> str | None:
    """Why a schema (as canonical JSON) is not a valid JSON Schema, or None. Remembered: checking
    a schema against the meta-schema costs more than loading a small playbook (``mkdocs serve``
    and the tests load the same schemas again and again)."""
    try:
        Draft202012Validator.check_schema(json.loads(canonical))
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        return f"invalid JSON Schema at {where}: {exc.message}"
    return None


def json_schema_problems(file: str, schema: Any) -> list[Problem]:
    """A schema file (a collection's or a shared one) that is not a valid JSON Schema."""
    if not isinstance(schema, dict):
        return [Problem(file, 1, 1, "a schema must be a JSON object")]
    error = _meta_error(json.dumps(schema, sort_keys=True))
    return [Problem(file, 1, 1, error)] if error else []


def _schema_problems(file: str, schema: Any) -> list[Problem]:
    found = json_schema_problems(file, schema)
    if found:
        return found
    missing = [f for f in REQUIRED_FIELDS if f not in schema.get("required", [])]
    if missing:
        names = ", ".join(missing)
        return [Problem(file, 1, 1, f"every collection must require {names}")]
    if schema.get("additionalProperties") is not False:
        return [Problem(file, 1, 1, 'a collection schema must set "additionalProperties": false, so that '
                        "a misspelt field is reported instead of silently ignored")]
    return []


# ---------------------------------------------------------------------------
# The fast clean path: a compiled validator that agrees with ``jsonschema``
#
# jsonschema-rs is ~50x faster than ``jsonschema`` but differs from it at some edges: it
# checks formats we ignore, its regular expressions are not Python's (``$`` before a final
# newline), and some keywords compute differently (``multipleOf`` with decimals). So it is
# used only where it agrees: every ``pattern`` and ``format`` is checked by the same Python
# code as the slow path, and a collection whose schemas use a keyword outside the vetted
# set below, an ``$id``, or a ``$ref`` to something other than a file of ``schemas/``
# gets no fast validator at all. The fast validator only ever says "valid"; a record it
# rejects goes through ``jsonschema`` for the verdict and the located messages.

_FAST_BASE = "file:///playbook/schemas/"
_PLAIN = frozenset({
    "$schema", "$comment", "$ref", "title", "description", "examples", "default", "deprecated",
    "readOnly", "writeOnly", "type", "enum", "const", "required", "minItems", "maxItems",
    "uniqueItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minProperties", "maxProperties", "minContains",
    "maxContains",
})
_VETTED = _PLAIN | {"not", "if", "then", "else", "contains", "propertyNames", "additionalProperties",
                    "items", "allOf", "anyOf", "oneOf", "prefixItems", "properties", "$defs"}


def _vet(schema: Any, files: set[str], formats: set[str], refs: set[str]) -> bool:
    """Whether jsonschema-rs may validate with ``schema``; collect its formats and files it names."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key.startswith("x-"):
            continue
        if key not in _VETTED:
            return False
        if key == "$ref":
            target = value.partition("#")[0] if isinstance(value, str) else None
            if target is None or (target and target not in files):
                return False
            if target:
                refs.add(target)
        elif key == "format":
            formats.add(str(value))
    return all(_vet(sub, files, formats, refs) for _, _, sub in children(schema))


class _Pattern:
    """``pattern`` for jsonschema-rs with the slow path's bounded search (:mod:`generator.core.patterns`):
    a value that takes too long is not valid here, and the slow path says why."""

    def __init__(self, parent: Any, value: Any, path: Any) -> None:
        self.pattern = value
        patterns.compiled(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not patterns.search(self.pattern, instance):
            raise ValueError("does not match")


def _always(value: Any) -> bool:
    return True


def fast_validator(name: str, schemas: dict[str, Any]) -> Any:
    """A jsonschema-rs validator for the collection in file ``name``, or None where it could
    disagree with the ``jsonschema`` verdict."""
    files = set(schemas)
    formats: set[str] = set()
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        refs: set[str] = set()
        schema = schemas[current]
        if not isinstance(schema, dict) or "$id" in schema or not _vet(schema, files, formats, refs):
            return None
        pending += refs - seen
    checks = {f: (_is_date if f == "date" else _always) for f in formats}
    try:
        registry = jsonschema_rs.Registry(
            [(_FAST_BASE + n, s) for n, s in schemas.items() if n in seen]
        )
        return jsonschema_rs.Draft202012Validator(
            schemas[name], registry=registry, base_uri=_FAST_BASE + name, offline=True,
            validate_formats=True, formats=checks, keywords={"pattern": _Pattern},
        )
    except Exception:  # unresolvable references and the like: the slow path reports them
        return None


def load_schemas(
    root: Path, owners: tuple[str, ...] = DEFAULT_OWNERS
) -> tuple[dict[str, Collection], list[Problem]]:
    """Read every schema under ``root/schemas``; collections come back sorted by order.
    ``owners``: the collections ``"x-ref": "@owners"`` stands for (``playbook.yml``)."""
    folder = root / "schemas"
    problems: list[Problem] = []
    raw: dict[str, tuple[str, Any]] = {}
    texts: dict[str, str] = {}
    for path in sorted(folder.glob(f"*{SCHEMA_SUFFIX}")) if folder.is_dir() else []:
        file = path.relative_to(root).as_posix()
        schema, text, unreadable = read_schema(path, file)
        problems += unreadable
        if not unreadable:
            is_collection = not path.name.startswith("_")
            problems += annotation_problems(file, schema, text, collection=is_collection)
            if not is_collection:
                invalid = json_schema_problems(file, schema)
                problems += invalid
                if invalid:
                    continue  # the collections that use it fail to resolve it, and say so
            raw[path.name] = (file, schema)
            texts[path.name] = text
    names = [n[: -len(SCHEMA_SUFFIX)] for n in raw if not n.startswith("_")]
    for name, (file, schema) in raw.items():
        problems += expand_refs(file, texts[name], schema, names, owners)
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, (_, schema) in raw.items()
        if isinstance(schema, dict)
    )
    collections: dict[str, Collection] = {}
    cycles: set[tuple[str, Location]] = set()
    for name, (file, schema) in raw.items():
        if name.startswith("_"):
            continue
        collection = name[: -len(SCHEMA_SUFFIX)]
        if not is_valid_id(collection):
            problems.append(Problem(file, 1, 1, f"invalid collection name '{collection}'"))
            continue
        found = _schema_problems(file, schema)
        if found:
            problems.extend(found)
            continue
        loop = reference_cycle({n: s for n, (_, s) in raw.items()}, name)
        if loop:
            if loop not in cycles:
                cycles.add(loop)
                where = raw[loop[0]]
                problems.append(Problem(where[0], *marks(texts[loop[0]]).locate(loop[1]),
                                        "$ref: this reference leads back to a schema it is already part "
                                        "of, without going into a field, so no value could ever be "
                                        "checked against it"))
            continue
        validator = patterns.Validator(schema, registry=registry, format_checker=_FORMATS)
        resolver = registry.resolver(base_uri=name)
        settings = _settings(collection, file, schema, validator, resolver)
        settings.graph = graph(schema, resolver, name)
        settings.keywords = frozenset(k for n in nodes_of(settings.graph) for k in n.schema if k[:2] == "x-")
        problems += unhonoured_problems(settings, {n: (f, texts[n]) for n, (f, _) in raw.items()})
        if ("owner",) not in annotated_values(settings, {"owner": ""}, "x-ref"):
            problems.append(Problem(file, 1, 1, 'the owner property must name its owner records with "x-ref" '
                                    '("@owners": the owner collections of playbook.yml)'))
            continue
        settings.fast = fast_validator(name, {n: s for n, (_, s) in raw.items()})
        collections[collection] = settings
    ordered = sorted(collections.values(), key=lambda c: (c.order, c.name))
    return {c.name: c for c in ordered}, problems


# ---------------------------------------------------------------------------
# References declared with ``x-ref``

ANY = "*"  # ``"x-ref": "*"``: a record of any collection
OWNERS = "@owners"  # ``"x-ref": "@owners"``: a record of the owner collections of ``playbook.yml``


def expand_refs(
    file: str, text: str, schema: Any, names: list[str], owners: tuple[str, ...] = DEFAULT_OWNERS
) -> list[Problem]:
    """Replace ``"x-ref": "*"`` in a loaded schema with every collection's name (so the lists a
    reference may name follow ``schemas/``) and ``"@owners"`` with the owner collections, and
    report each ``x-ref`` that names a collection with no schema, located in the schema file."""
    problems: list[Problem] = []
    known = ", ".join(sorted(names)) or "none"
    for pointer, node in subschemas(schema):
        if "x-ref" not in node:
            continue
        value, where = node["x-ref"], (*pointer, "x-ref")
        if value == ANY:
            node["x-ref"] = list(names)
        elif value == OWNERS:
            node["x-ref"] = list(owners)
            problems += [Problem(file, *marks(text).locate(where), "owners.collections in playbook.yml "
                                 f"names '{target}', which is not a collection (collections: {known})")
                         for target in owners if target not in names]
        else:
            targets = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            for index, target in enumerate(targets):
                if target not in names:
                    at = where if isinstance(value, str) else (*where, index)
                    problems.append(Problem(file, *marks(text).locate(at), f"x-ref names '{target}', which "
                                            f"is not a collection (there is no schemas/{target}.schema.json; "
                                            f'collections: {known}; "*" means any collection)'))
    return problems


@dataclass(frozen=True)
class RefSite:
    """A value that names another record: where it is, and which collections it may name."""

    path: tuple[str | int, ...]
    value: str
    targets: tuple[str, ...]
    drift: bool = True  # False (``x-drift: false``): a change there does not ask for re-review


def named_in(value: str, targets: Iterable[str], holds: Callable[[str, str], bool]) -> list[str]:
    """The one reference rule: the collections among ``targets`` that hold a record with the id
    ``value`` (``holds(collection, id)``). A reference resolves when exactly one does (see
    :func:`resolved_in`); none: it names no record; more: it is ambiguous, which ``check``
    reports and which nothing resolves (no first match wins)."""
    return [target for target in dict.fromkeys(targets) if holds(target, value)]


def resolved_in(value: str, targets: Iterable[str], holds: Callable[[str, str], bool]) -> str | None:
    """The collection a reference resolves to under :func:`named_in`, or None."""
    found = named_in(value, targets, holds)
    return found[0] if len(found) == 1 else None


def ref_targets(annotation: Any) -> tuple[str, ...]:
    """The collections an ``x-ref`` annotation names (one name, or a list of them)."""
    return (annotation,) if isinstance(annotation, str) else tuple(annotation)


def resolve(schema: Any, resolver: Any) -> tuple[dict[str, Any], Any]:
    """The one ``$ref`` resolver: a schema node with its ``$ref`` chain merged in (the referring
    node's keywords win), and the resolver of the node the chain ended at. A chain that loops,
    runs on or points nowhere simply ends."""
    if isinstance(schema, dict) and "$ref" not in schema:
        return schema, resolver  # the common case: nothing to merge, no copy
    merged: dict[str, Any] = {}
    node = schema
    for _ in range(MAX_REF_HOPS):
        if not isinstance(node, dict):
            break
        merged = {**node, **merged}
        found = lookup(node["$ref"], resolver) if "$ref" in node else None
        if found is None:
            break
        node, resolver = found
    merged.pop("$ref", None)
    return merged, resolver


def resolve_node(collection: Collection, schema: Any) -> dict[str, Any]:
    """:func:`resolve` inside ``collection``'s schema."""
    return resolve(schema, collection.resolver)[0]


def _valid(node: Node, value: Any) -> bool:
    """Whether ``value`` is valid against one subschema (with the resolver of its file)."""
    if node.check is None:
        make: Any = patterns.Validator  # ``_resolver``: jsonschema's own way into a subschema
        node.check = make(node.schema, _resolver=node.resolver, format_checker=_FORMATS)
    return bool(node.check.is_valid(value))


def _leading(collection: Collection, keyword: str) -> set[int]:
    """The nodes of the collection's graph that lead to ``keyword``, worked out once."""
    if keyword not in collection.pruned:
        collection.pruned[keyword] = leading_to(collection.graph, keyword)
    return collection.pruned[keyword]


def annotated_nodes(
    collection: Collection, data: Any, keyword: str
) -> dict[Location, tuple[Any, list[Node]]]:
    """(value, every subschema holding ``keyword`` that applies there) at each location of ``data``
    where one applies, in the order of :func:`~generator.content.schemawalk.applying`. Only the parts of
    the schema that lead to ``keyword`` are walked."""
    found: dict[Location, tuple[Any, list[Node]]] = {}
    if keyword in collection.keywords:
        for path, value, node in applying(collection.graph, data, _valid, _leading(collection, keyword)):
            if keyword in node.schema:
                found.setdefault(path, (value, []))[1].append(node)
    return found


def annotated_values(collection: Collection, data: Any, keyword: str) -> dict[Location, Any]:
    """The value of an ``x-...`` annotation at every location of ``data`` where it applies (the
    first subschema's, where several apply)."""
    found = annotated_nodes(collection, data, keyword)
    return {path: nodes[0].schema[keyword] for path, (_, nodes) in found.items()}


def all_annotated_values(collection: Collection, data: Any, keyword: str) -> dict[Location, list[Any]]:
    """Every value of an ``x-...`` annotation that applies, at each location of ``data``."""
    return {path: [n.schema[keyword] for n in nodes]
            for path, (_, nodes) in annotated_nodes(collection, data, keyword).items()}


def record_refs(collection: Collection, data: Any) -> list[RefSite]:
    """Every reference in one record, deduplicated by location, in document order; a location
    does not ask for re-review when any ``"x-drift": false`` applies there."""
    drift = all_annotated_values(collection, data, "x-drift")
    still = {path for path, values in drift.items() if False in values}
    return [
        RefSite(path, value, ref_targets(nodes[0].schema["x-ref"]), path not in still)
        for path, (value, nodes) in annotated_nodes(collection, data, "x-ref").items()
        if isinstance(value, str)
    ]


def unhonoured_problems(collection: Collection, files: dict[str, tuple[str, str]]) -> list[Problem]:
    """An annotation on record values that the collection reaches only where it applies to no
    value (under ``not``, ``propertyNames``, ...): located in its schema file. ``files``: schema
    file name -> (path to show, text)."""
    problems = []
    for found in unhonoured(collection.graph):
        shown, text = files.get(found.node.file, (collection.file, ""))
        line, column = marks(text).locate((*found.node.pointer, found.annotation), key=True)
        problems.append(Problem(shown, line, column, f"{found.annotation}: cannot be honoured here: it is "
                                f'under "{found.keyword}", which applies this schema to no value of a record '
                                "(the playbook would ignore it); put it on the property or item it is about"))
    return problems
