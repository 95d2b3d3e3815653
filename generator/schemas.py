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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .dates import is_real_date
from .problems import Problem
from .schemacheck import annotation_problems, marks, read_schema, reference_cycle

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
    inlined: Any = field(default=None, repr=False)  # the schema with its references resolved
    keywords: frozenset[str] = frozenset()  # the x- annotations it uses
    pruned: dict[str, Any] = field(default_factory=dict, repr=False)  # see annotated_nodes

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


def _settings(
    name: str, file: str, schema: dict[str, Any], validator: Any, resolver: Any
) -> Collection:
    meta = schema.get("x-playbook", {})
    columns = tuple(
        Column(c["field"], c.get("title", c["field"].replace("_", " ").capitalize()))
        for c in meta.get("columns", [])
    )
    return Collection(
        name=name,
        file=file,
        schema=schema,
        validator=validator,
        resolver=resolver,
        title=meta.get("title") or schema.get("title") or name.replace("-", " ").capitalize(),
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
_SUBSCHEMA = ("not", "if", "then", "else", "contains", "propertyNames", "additionalProperties", "items")
_SUBSCHEMAS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "$defs")
_PLAIN = frozenset({
    "$schema", "$comment", "$ref", "title", "description", "examples", "default", "deprecated",
    "readOnly", "writeOnly", "type", "enum", "const", "required", "minItems", "maxItems",
    "uniqueItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minProperties", "maxProperties", "minContains",
    "maxContains",
})
_VETTED = _PLAIN | set(_SUBSCHEMA) | set(_SUBSCHEMAS) | set(_SUBSCHEMA_MAPS)


def _subschemas(key: str, value: Any) -> list[Any] | None:
    """The schemas inside one keyword's value (None: not the shape that keyword takes)."""
    if key in _SUBSCHEMA:
        return [value]
    if key in _SUBSCHEMAS:
        return value if isinstance(value, list) else None
    if key in _SUBSCHEMA_MAPS:
        return list(value.values()) if isinstance(value, dict) else None
    return []


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
        subs = _subschemas(key, value)
        if subs is None or not all(_vet(s, files, formats, refs) for s in subs):
            return False
    return True


class _Pattern:
    """``pattern`` for jsonschema-rs with Python's ``re.search``, exactly as ``jsonschema`` does."""

    def __init__(self, parent: Any, value: Any, path: Any) -> None:
        self.regex = re.compile(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.regex.search(instance):
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
        validator = Draft202012Validator(schema, registry=registry, format_checker=_FORMATS)
        resolver = registry.resolver(base_uri=name)
        settings = _settings(collection, file, schema, validator, resolver)
        settings.inlined = inline_refs(schema, resolver)
        settings.keywords = frozenset(_keywords(settings.inlined))
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


def _json_mark(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the first ``needle`` at or after ``start`` in JSON ``text``."""
    at = text.find(needle, start)
    if at < 0:
        return (1, 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def expand_refs(
    file: str, text: str, schema: Any, names: list[str], owners: tuple[str, ...] = DEFAULT_OWNERS
) -> list[Problem]:
    """Replace ``"x-ref": "*"`` in a loaded schema with every collection's name (so the lists a
    reference may name follow ``schemas/``) and ``"@owners"`` with the owner collections, and
    report each ``x-ref`` that names a collection with no schema, located in the schema file."""
    problems: list[Problem] = []
    cursor = 0
    pending: list[Any] = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        if "x-ref" in node:
            value = node["x-ref"]
            cursor = text.find('"x-ref"', cursor) + 1 or cursor
            known = ", ".join(sorted(names)) or "none"
            if value == ANY:
                node["x-ref"] = list(names)
            elif value == OWNERS:
                node["x-ref"] = list(owners)
                line, column = _json_mark(text, f'"{OWNERS}"', max(cursor - 1, 0))
                problems += [Problem(file, line, column, f"owners.collections in playbook.yml names "
                                     f"'{target}', which is not a collection (collections: {known})")
                             for target in owners if target not in names]
            else:
                targets = (value,) if isinstance(value, str) else value if isinstance(value, list) else ()
                for target in targets:
                    if target not in names:
                        line, column = _json_mark(text, f'"{target}"', max(cursor - 1, 0))
                        problems.append(Problem(file, line, column, f"x-ref names '{target}', which is not a "
                                                f"collection (there is no schemas/{target}.schema.json; "
                                                f'collections: {known}; "*" means any collection)'))
        pending.extend(reversed(list(node.values())))
    return problems


@dataclass(frozen=True)
class RefSite:
    """A value that names another record: where it is, and which collections it may name."""

    path: tuple[str | int, ...]
    value: str
    targets: tuple[str, ...]
    drift: bool = True  # False (``x-drift: false``): a change there does not ask for re-review


def ref_targets(annotation: Any) -> tuple[str, ...]:
    """The collections an ``x-ref`` annotation names (one name, or a list of them)."""
    return (annotation,) if isinstance(annotation, str) else tuple(annotation)


Location = tuple[str | int, ...]


MAX_REF_HOPS = 20


def lookup(ref: Any, resolver: Any) -> tuple[Any, Any] | None:
    """The schema a ``$ref`` points to and the resolver to use inside it; None when it points
    nowhere (validation reports that)."""
    if not isinstance(ref, str):
        return None
    try:
        found = resolver.lookup(ref)
    except Unresolvable:
        return None
    return found.contents, found.resolver


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


def inline_refs(schema: Any, resolver: Any, memo: dict[int, Any] | None = None) -> Any:
    """A copy of ``schema`` in which each ``$ref`` holds the schema it points to, resolved once,
    so that walking records asks no resolver. Shared and recursive references stay shared; one
    that cannot be resolved becomes ``{}`` (validation reports it)."""
    if not isinstance(schema, dict):
        return schema
    memo = {} if memo is None else memo
    if id(schema) in memo:
        return memo[id(schema)]
    out = memo[id(schema)] = dict(schema)
    if isinstance(schema.get("$ref"), str):
        found = lookup(schema["$ref"], resolver)
        out["$ref"] = {} if found is None else inline_refs(found[0], found[1], memo)
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list):
            out[keyword] = [inline_refs(sub, resolver, memo) for sub in schema[keyword]]
    if isinstance(schema.get("properties"), dict):
        out["properties"] = {k: inline_refs(v, resolver, memo) for k, v in schema["properties"].items()}
    for keyword in ("additionalProperties", "items"):
        if isinstance(schema.get(keyword), dict):
            out[keyword] = inline_refs(schema[keyword], resolver, memo)
    return out


def _keywords(schema: Any, seen: set[int] | None = None) -> set[str]:
    """Every ``x-...`` annotation used anywhere in an inlined schema."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    found = {k for k in schema if k.startswith("x-")}
    for value in schema.values():
        for sub in value if isinstance(value, list) else value.values() if isinstance(value, dict) else []:
            found |= _keywords(sub, seen)
        found |= _keywords(value, seen)
    return found


def walk(schema: Any, instance: Any, path: Location = ()) -> Iterator[tuple[Location, Any, dict[str, Any]]]:
    """Walk ``instance`` alongside an inlined ``schema`` (see :func:`inline_refs`): yield each
    (location, value, subschema) pairing, following ``$ref``, ``allOf``/``anyOf``/``oneOf``,
    properties and list items."""
    if not isinstance(schema, dict):
        return
    yield path, instance, schema
    if isinstance(schema.get("$ref"), dict):
        yield from walk(schema["$ref"], instance, path)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, ()):
            yield from walk(sub, instance, path)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            yield from walk(properties.get(key, extra), value, (*path, key))
    elif isinstance(instance, list) and "items" in schema:
        for index, value in enumerate(instance):
            yield from walk(schema["items"], value, (*path, index))


_COMBINED = ("allOf", "anyOf", "oneOf")


def _children(node: dict[str, Any]) -> list[Any]:
    """The subschemas :func:`walk` may enter from ``node``."""
    found: list[Any] = [node.get("$ref")]
    for keyword in _COMBINED:
        if isinstance(node.get(keyword), list):
            found += node[keyword]
    if isinstance(node.get("properties"), dict):
        found += node["properties"].values()
    return [*found, node.get("additionalProperties"), node.get("items")]


def _leading_to(schema: Any, keyword: str) -> set[int]:
    """The ids of the subschemas of ``schema`` from which :func:`walk` can reach ``keyword``."""
    nodes: dict[int, dict[str, Any]] = {}
    parents: dict[int, list[int]] = {}
    pending = [schema]
    while pending:
        node = pending.pop()
        if not isinstance(node, dict) or id(node) in nodes:
            continue
        nodes[id(node)] = node
        for child in _children(node):
            if isinstance(child, dict):
                parents.setdefault(id(child), []).append(id(node))
                pending.append(child)
    found: set[int] = set()
    reach = [key for key, node in nodes.items() if keyword in node]
    while reach:
        key = reach.pop()
        if key not in found:
            found.add(key)
            reach += parents.get(key, [])
    return found




def _prune(schema: Any, keep: set[int], memo: dict[int, Any]) -> Any:
    """``schema`` with only the subschemas in ``keep``: the others become None (a property
    that stays listed, so that ``additionalProperties`` still does not apply to it)."""
    if not isinstance(schema, dict) or id(schema) not in keep:
        return None
    if id(schema) in memo:
        return memo[id(schema)]
    out: dict[str, Any] = {k: v for k, v in schema.items() if k.startswith("x-")}
    memo[id(schema)] = out
    ref = _prune(schema.get("$ref"), keep, memo)
    if ref is not None:
        out["$ref"] = ref
    for keyword in _COMBINED:
        subs = [_prune(sub, keep, memo) for sub in schema.get(keyword) or () if isinstance(sub, dict)]
        if any(sub is not None for sub in subs):
            out[keyword] = [sub for sub in subs if sub is not None]
    properties = schema.get("properties")
    extra = _prune(schema.get("additionalProperties"), keep, memo)
    pruned = {k: _prune(v, keep, memo) for k, v in properties.items()} if isinstance(properties, dict) else {}
    if extra is not None or any(v is not None for v in pruned.values()):
        out["properties"] = pruned
        out["additionalProperties"] = extra
    items = _prune(schema.get("items"), keep, memo)
    if items is not None:
        out["items"] = items
    return out


def _pruned(collection: Collection, keyword: str) -> Any:
    """The collection's inlined schema reduced to what leads to ``keyword``, made once."""
    if keyword not in collection.pruned:
        keep = _leading_to(collection.inlined, keyword)
        collection.pruned[keyword] = _prune(collection.inlined, keep, {})
    return collection.pruned[keyword]


def _annotated(
    node: dict[str, Any], instance: Any, path: Location, keyword: str, out: dict[Location, tuple[Any, Any]]
) -> None:
    """:func:`walk` over a pruned schema, keeping the first node with ``keyword`` at each location."""
    if keyword in node and path not in out:
        out[path] = (instance, node)
    if "$ref" in node:
        _annotated(node["$ref"], instance, path, keyword, out)
    for combined in _COMBINED:
        for sub in node.get(combined, ()):
            _annotated(sub, instance, path, keyword, out)
    if isinstance(instance, dict):
        if "properties" in node:
            properties, extra = node["properties"], node["additionalProperties"]
            for key, value in instance.items():
                sub = properties.get(key, extra)
                if sub is not None:
                    _annotated(sub, value, (*path, key), keyword, out)
    elif isinstance(instance, list) and "items" in node:
        for index, value in enumerate(instance):
            _annotated(node["items"], value, (*path, index), keyword, out)


def annotated_nodes(collection: Collection, data: Any, keyword: str) -> dict[Location, tuple[Any, Any]]:
    """(value, subschema) at every location of ``data`` where ``keyword`` applies, the first
    subschema that has it in :func:`walk` order, in that order. Only the parts of the schema
    that lead to ``keyword`` are walked."""
    found: dict[Location, tuple[Any, Any]] = {}
    if keyword in collection.keywords:
        schema = _pruned(collection, keyword)
        if schema is not None:
            _annotated(schema, data, (), keyword, found)
    return found


def annotated_values(collection: Collection, data: Any, keyword: str) -> dict[Location, Any]:
    """The value of an ``x-...`` annotation at every location of ``data`` where it applies."""
    return {path: node[keyword] for path, (_, node) in annotated_nodes(collection, data, keyword).items()}


def record_refs(collection: Collection, data: Any) -> list[RefSite]:
    """Every reference in one record, deduplicated by location, in document order."""
    return [
        RefSite(path, value, ref_targets(node["x-ref"]), node.get("x-drift", True))
        for path, (value, node) in annotated_nodes(collection, data, "x-ref").items()
        if isinstance(value, str)
    ]
