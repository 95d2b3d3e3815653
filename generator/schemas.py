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

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem

ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SCHEMA_SUFFIX = ".schema.json"
REQUIRED_FIELDS = ("title", "owner", "last_reviewed")
DEFAULT_REVIEW_DAYS = 90

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FORMATS = FormatChecker(formats=())


def is_real_date(text: str) -> bool:
    """A real calendar date written as YYYY-MM-DD (not 2024-02-30, not 20240131)."""
    try:
        return bool(_DATE.fullmatch(text)) and bool(date.fromisoformat(text))
    except ValueError:
        return False


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
    if schema.get("additionalProperties") is not False:
        return [Problem(file, 1, 1, 'a collection schema must set "additionalProperties": false, so that '
                        "a misspelt field is reported instead of silently ignored")]
    return []


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
        settings = _settings(collection, file, schema, validator, resolver)
        if ("owner",) not in annotations(settings, {"owner": ""}, "x-ref"):
            problems.append(Problem(file, 1, 1, 'the owner property must name people or teams with "x-ref"'))
            continue
        collections[collection] = settings
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


Location = tuple[str | int, ...]


def walk(
    schema: Any, instance: Any, resolver: Any, path: Location = ()
) -> Iterator[tuple[Location, Any, dict[str, Any]]]:
    """Walk ``instance`` alongside ``schema``: yield each (location, value, subschema) pairing,
    following ``$ref``, ``allOf``/``anyOf``/``oneOf``, properties and list items."""
    if not isinstance(schema, dict):
        return
    yield path, instance, schema
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from walk(resolved.contents, instance, resolved.resolver, path)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from walk(sub, instance, resolver, path)
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            yield from walk(properties.get(key, extra), value, resolver, (*path, key))
    elif isinstance(instance, list) and "items" in schema:
        for index, value in enumerate(instance):
            yield from walk(schema["items"], value, resolver, (*path, index))


def annotations(collection: Collection, data: Any, keyword: str) -> dict[Location, Any]:
    """The value of an ``x-...`` annotation at every location of ``data`` where it applies."""
    found: dict[Location, Any] = {}
    for path, _, node in walk(collection.schema, data, collection.resolver):
        if keyword in node:
            found.setdefault(path, node[keyword])
    return found


def record_refs(collection: Collection, data: Any) -> list[RefSite]:
    """Every reference in one record, deduplicated by location, in document order."""
    seen: dict[Location, RefSite] = {}
    for path, value, node in walk(collection.schema, data, collection.resolver):
        if "x-ref" in node and isinstance(value, str) and path not in seen:
            seen[path] = RefSite(path, value, _targets(node["x-ref"]), node.get("x-drift", True))
    return list(seen.values())
