"""Collections as data: reading ``schemas/<collection>.schema.json`` and its annotations.

A collection is defined by its schema. Everything the generator needs to know
about it comes from the schema's ``x-playbook`` annotation (display title, nav
order, review interval, index columns) and from ``x-ref`` annotations on the
properties that name other records. Files whose name starts with ``_`` hold
shared definitions (for example ``_common.schema.json``) and are not
collections.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .problems import Problem

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SCHEMA_SUFFIX = ".schema.json"
REQUIRED_FIELDS = ("title", "owner", "last_reviewed")
DEFAULT_REVIEW_DAYS = 90

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    """A real calendar date written as YYYY-MM-DD (not 2024-02-30, not 20240131)."""
    if not isinstance(value, str):
        return True
    return bool(_DATE.fullmatch(value)) and bool(date.fromisoformat(value))


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
    refs_plan: Any = field(default=None, repr=False)

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


def _json_problem(file: str, text: str) -> Problem | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(file, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")
    return None


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


def _schema_problems(file: str, schema: Any) -> list[Problem]:
    if not isinstance(schema, dict):
        return [Problem(file, 1, 1, "a schema must be a JSON object")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        return [Problem(file, 1, 1, f"invalid JSON Schema at {where}: {exc.message}")]
    missing = [f for f in REQUIRED_FIELDS if f not in schema.get("required", [])]
    if missing:
        names = ", ".join(missing)
        return [Problem(file, 1, 1, f"every collection must require {names}")]
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


def _fast_date(value: Any) -> bool:
    try:
        return _is_date(value)
    except ValueError:
        return False


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
    checks = {f: (_fast_date if f == "date" else _always) for f in formats}
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


def load_schemas(root: Path) -> tuple[dict[str, Collection], list[Problem]]:
    """Read every schema under ``root/schemas``; collections come back sorted by order."""
    folder = root / "schemas"
    problems: list[Problem] = []
    raw: dict[str, tuple[str, Any]] = {}
    for path in sorted(folder.glob(f"*{SCHEMA_SUFFIX}")) if folder.is_dir() else []:
        file = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        bad = _json_problem(file, text)
        if bad:
            problems.append(bad)
            continue
        raw[path.name] = (file, json.loads(text))
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, (_, schema) in raw.items()
        if isinstance(schema, dict)
    )
    collections: dict[str, Collection] = {}
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
        validator = Draft202012Validator(schema, registry=registry, format_checker=_FORMATS)
        resolver = registry.resolver(base_uri=name)
        collections[collection] = _settings(collection, file, schema, validator, resolver)
        collections[collection].fast = fast_validator(name, {n: s for n, (_, s) in raw.items()})
    ordered = sorted(collections.values(), key=lambda c: (c.order, c.name))
    return {c.name: c for c in ordered}, problems


# ---------------------------------------------------------------------------
# References declared with ``x-ref``


@dataclass(frozen=True)
class RefSite:
    """A value that names another record: where it is, and which collections it may name."""

    path: tuple[str | int, ...]
    value: str
    targets: tuple[str, ...]
    drift: bool = True  # False (``x-drift: false``): a change there does not ask for re-review


def _targets(annotation: Any) -> tuple[str, ...]:
    return (annotation,) if isinstance(annotation, str) else tuple(annotation)


def iter_refs(
    schema: Any, instance: Any, resolver: Any, path: tuple[str | int, ...] = ()
) -> Iterator[RefSite]:
    """Walk ``instance`` alongside ``schema`` and yield every value marked ``x-ref``."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from iter_refs(resolved.contents, instance, resolved.resolver, path)
    if "x-ref" in schema and isinstance(instance, str):
        yield RefSite(path, instance, _targets(schema["x-ref"]), schema.get("x-drift", True))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from iter_refs(sub, instance, resolver, path)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            sub = properties.get(key, extra)
            yield from iter_refs(sub, value, resolver, (*path, key))
    elif isinstance(instance, list) and "items" in schema:
        for index, value in enumerate(instance):
            yield from iter_refs(schema["items"], value, resolver, (*path, index))


class _Plan:
    """One schema node compiled for :func:`iter_refs`: its ``$ref`` resolved once, and ``live``
    only when an ``x-ref`` can be reached from it."""

    __slots__ = ("alts", "extra", "items", "live", "props", "ref", "site")

    def __init__(self) -> None:
        self.ref: _Plan | None = None
        self.site: tuple[tuple[str, ...], bool] | None = None
        self.alts: list[_Plan] = []
        self.props: dict[str, _Plan | None] = {}
        self.extra: _Plan | None = None
        self.items: _Plan | None = None
        self.live = False

    def children(self) -> Iterator[_Plan]:
        yield from (p for p in (self.ref, self.extra, self.items, *self.alts, *self.props.values()) if p)


def _compile(schema: Any, resolver: Any, memo: dict[int, _Plan]) -> _Plan | None:
    if not isinstance(schema, dict):
        return None
    if id(schema) in memo:
        return memo[id(schema)]
    plan = memo[id(schema)] = _Plan()
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        plan.ref = _compile(resolved.contents, resolved.resolver, memo)
    if "x-ref" in schema:
        plan.site = (_targets(schema["x-ref"]), schema.get("x-drift", True))
    plan.alts = [p for k in ("allOf", "anyOf", "oneOf") for s in schema.get(k, [])
                 if (p := _compile(s, resolver, memo))]
    plan.props = {k: _compile(s, resolver, memo) for k, s in schema.get("properties", {}).items()}
    plan.extra = _compile(schema.get("additionalProperties"), resolver, memo)
    plan.items = _compile(schema["items"], resolver, memo) if "items" in schema else None
    return plan


def _plan(schema: Any, resolver: Any) -> _Plan | None:
    memo: dict[int, _Plan] = {}
    top = _compile(schema, resolver, memo)
    changed = True
    while changed:  # a fixed point, as schemas may refer to themselves
        changed = False
        for plan in memo.values():
            live = plan.site is not None or any(c.live for c in plan.children())
            if live and not plan.live:
                plan.live = changed = True
    return top


def _walk(plan: _Plan, instance: Any, path: tuple[str | int, ...]) -> Iterator[RefSite]:
    """:func:`iter_refs` over a compiled plan: the same sites in the same order."""
    if plan.ref is not None and plan.ref.live:
        yield from _walk(plan.ref, instance, path)
    if plan.site is not None and isinstance(instance, str):
        yield RefSite(path, instance, *plan.site)
    for alt in plan.alts:
        if alt.live:
            yield from _walk(alt, instance, path)
    if isinstance(instance, dict):
        props, extra = plan.props, plan.extra
        for key, value in instance.items():
            sub = props.get(key, extra)
            if sub is not None and sub.live:
                yield from _walk(sub, value, (*path, key))
    elif isinstance(instance, list) and plan.items is not None and plan.items.live:
        for index, value in enumerate(instance):
            yield from _walk(plan.items, value, (*path, index))


def record_refs(collection: Collection, data: Any) -> list[RefSite]:
    """Every reference in one record, deduplicated by location, in document order."""
    if collection.refs_plan is None:
        try:
            collection.refs_plan = _plan(collection.schema, collection.resolver) or False
        except Unresolvable:  # walk the schema itself, which reports it as before
            collection.refs_plan = False
    if collection.refs_plan:
        sites: Iterator[RefSite] = _walk(collection.refs_plan, data, ())
    else:
        sites = iter_refs(collection.schema, data, collection.resolver)
    seen: dict[tuple[str | int, ...], RefSite] = {}
    for site in sites:
        seen.setdefault(site.path, site)
    return list(seen.values())
