"""Validation: each record against its collection's schema, then references across records.

Schema errors from ``jsonschema`` are turned into short, located messages: the
line and column of the offending value (of the key, for an unknown field; of
the mapping, for a missing one).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from referencing.exceptions import Unresolvable

from .loader import Document
from .problems import Problem
from .schemas import Collection, RefSite
from .wording import describe_value as describe_value  # re-exported: other checks import it here
from .wording import field_name as field_name

_TYPE_NAMES = {
    "object": "a mapping of fields",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_NAMES.get(t, t) for t in names)


def _message(error: ValidationError) -> str:
    custom = error.schema.get("x-error") if isinstance(error.schema, dict) else None
    kind = error.validator
    if custom and kind not in ("required", "additionalProperties", "type"):
        return str(custom)
    if kind == "type":
        return f"expected {_expected(error.validator_value)}, found {describe_value(error.instance)}"
    if kind == "enum":
        options = ", ".join(str(v) for v in _items(error.validator_value))
        return f"must be one of: {options} (found {describe_value(error.instance)})"
    if kind == "format" and error.validator_value == "date":
        return f"expected a real date written YYYY-MM-DD, found {describe_value(error.instance)}"
    if kind == "minItems" and error.validator_value == 1:
        return "must list at least one item"
    if kind == "minLength" and error.validator_value == 1:
        return "must not be empty"
    return error.message


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | set | dict) else []


def _unknown_fields(error: ValidationError) -> Iterator[tuple[str, str]]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    allowed = list(schema.get("properties", {}))
    for key in _items(error.instance):
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield key, f"unknown field '{key}'{hint}"


def _problems_for(error: ValidationError, file: str, doc: Document) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    if error.context and error.validator in ("anyOf", "oneOf"):
        error = best_match(error.context)
        path = tuple(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = f" in {field_name(path)}" if path else ""
        yield Problem(file, *doc.locate(path), f"missing required field '{missing}'{where}")
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        for key, message in _unknown_fields(error):
            yield Problem(file, *doc.locate((*path, key), key=True), message)
    else:
        prefix = f"{field_name(path)}: " if path else ""
        yield Problem(file, *doc.locate(path), prefix + _message(error))


def schema_problems(collection: Collection, file: str, doc: Document) -> list[Problem]:
    """Every schema violation in one record, located in its YAML file."""
    if collection.fast is not None:
        try:
            if collection.fast.is_valid(doc.data):
                return []
        except Exception:  # anything it cannot take, the slow path judges
            pass
    try:
        errors = list(collection.validator.iter_errors(doc.data))
    except Unresolvable as exc:
        return [Problem(collection.file, 1, 1, f"schema reference cannot be resolved: {exc}")]
    return [p for error in errors for p in _problems_for(error, file, doc)]


def reference_problems(
    sites: Iterable[RefSite], ids: Mapping[str, set[str]], file: str, doc: Document
) -> list[Problem]:
    """References that name no record of an allowed collection, or more than one."""
    problems = []
    for site in sites:
        found = [c for c in site.targets if site.value in ids.get(c, ())]
        if len(found) == 1:
            continue
        where = doc.locate(site.path)
        name = field_name(site.path)
        kinds = " or ".join(site.targets)
        if not found:
            known = sorted(set().union(*(ids.get(c, set()) for c in site.targets)))
            close = difflib.get_close_matches(site.value, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"{name}: '{site.value}' is not a known record in {kinds}{hint}"
        else:
            message = f"{name}: '{site.value}' is ambiguous: it names a record in {', '.join(found)}"
        problems.append(Problem(file, *where, message))
    return problems
