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

from ..core.patterns import TIMED_OUT
from ..core.problems import Problem
from ..core.wording import describe_value as describe_value  # re-exported: other checks import it here
from ..core.wording import field_name as field_name
from .loader import Document
from .schemas import Collection, RefSite, named_in

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


def _quoting_hint(value: Any) -> str:
    """Why a mapping turned up where text was expected: an unquoted ``: `` inside the text."""
    if isinstance(value, dict) and len(value) == 1:
        key, item = next(iter(value.items()))
        if item is None or not isinstance(item, dict | list):
            text = f"{key}: {'' if item is None else item}".strip()
            return (f"; YAML read '{text}' as a field and its value because of the ': ' in it: put the "
                    f'whole text in double quotes, like "{text}"')
    return "; if the text contains ': ', put the whole text in double quotes"


def _example(schema: Any) -> str:
    examples = schema.get("examples") if isinstance(schema, dict) else None
    if isinstance(examples, list) and examples and isinstance(examples[0], str | int | float):
        return f", for example '{examples[0]}'"
    return ""


def _form(schema: Any) -> str:
    """What a value with a ``pattern`` must look like, in words (never the regular expression)."""
    about = (schema.get("description") or schema.get("title")) if isinstance(schema, dict) else None
    words = f" ({str(about).rstrip('.')})" if about else ""
    return f"does not have the expected form{words}{_example(schema)}"


def pattern_message(schema: Any) -> str:
    """What ``check`` says after the value when a ``pattern`` (or ``format``) fails: the schema's
    ``x-error``, or the expected form in words. The form editor shows the same words."""
    custom = schema.get("x-error") if isinstance(schema, dict) else None
    return str(custom) if custom else _form(schema)


def _count(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _message(error: ValidationError) -> str:
    custom = error.schema.get("x-error") if isinstance(error.schema, dict) else None
    kind = error.validator
    value = error.validator_value
    found = describe_value(error.instance)
    if custom and kind not in ("required", "additionalProperties", "type", TIMED_OUT):
        return str(custom)
    if kind == "type":
        message = f"expected {_expected(value)}, found {found}"
        wants_text = value == "string" or (isinstance(value, list) and "string" in value)
        mapping = wants_text and isinstance(error.instance, dict)
        return message + (_quoting_hint(error.instance) if mapping else "")
    if kind == "enum":
        options = ", ".join(str(v) for v in _items(value))
        return f"must be one of: {options} (found {found})"
    if kind == "const":
        return f"must be {value!r} (found {found})"
    if kind == "format" and value == "date":
        return f"expected a real date written YYYY-MM-DD, found {found}"
    if kind in ("pattern", "format"):
        return f"{found} {pattern_message(error.schema)}"
    if kind == "minItems":
        return "must list at least one item" if value == 1 else f"must list at least {_count(value, 'item')}"
    if kind == "maxItems":
        return f"must list at most {_count(value, 'item')}"
    if kind == "uniqueItems":
        return "lists the same item more than once"
    if kind == "minLength":
        return "must not be empty" if value == 1 else f"must be at least {_count(value, 'character')} long"
    if kind == "maxLength":
        return f"must be at most {_count(value, 'character')} long (found {len(str(error.instance))})"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[kind]
        return f"must be {words} {value} (found {found})"
    return error.message


def _names(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else _items(value)


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | set | dict) else []


def _unknown_fields(error: ValidationError) -> Iterator[tuple[str, str]]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    properties = schema.get("properties", {})
    allowed = list(properties)
    # A field that replaced an older one says so with ``"x-replaces": "old_name"`` (or a list).
    renamed = {old: name for name, node in properties.items() if isinstance(node, Mapping)
               for old in _names(node.get("x-replaces"))}
    for key in _items(error.instance):
        if key in renamed:
            yield key, f"'{key}' is now called '{renamed[key]}': rename the field (its value stays as it is)"
        elif key not in allowed:
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


def located(errors: Iterable[ValidationError], file: str, doc: Document) -> list[Problem]:
    """Schema errors as located problems, with the same wording as for records."""
    return [p for error in errors for p in _problems_for(error, file, doc)]


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


def _reference_hint(value: str, targets: Iterable[str], ids: Mapping[str, set[str]],
                    known: list[str]) -> str:
    """A did-you-mean: the record meant when the value also names its collection or folder
    (``stages/new``, ``content/stages/new.yaml``: a reference is the id alone), else the
    closest known id."""
    path = value.strip("/").removesuffix(".yaml").split("/")
    if len(path) > 1 and path[-2] in targets and path[-1] in ids.get(path[-2], ()):
        return f" (did you mean '{path[-1]}'? a reference is the record's id, without its collection)"
    close = difflib.get_close_matches(value, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def reference_problems(
    sites: Iterable[RefSite], ids: Mapping[str, set[str]], file: str, doc: Document
) -> list[Problem]:
    """References that name no record of an allowed collection, or more than one."""
    problems = []
    for site in sites:
        found = named_in(site.value, site.targets, lambda c, v: v in ids.get(c, ()))
        if len(found) == 1:
            continue
        where = doc.locate(site.path)
        name = field_name(site.path)
        kinds = " or ".join(site.targets)
        if not found:
            known = sorted(set().union(*(ids.get(c, set()) for c in site.targets)))
            hint = _reference_hint(site.value, site.targets, ids, known)
            message = f"{name}: '{site.value}' is not a known record in {kinds}{hint}"
        else:
            message = f"{name}: '{site.value}' is ambiguous: it names a record in {', '.join(found)}"
        problems.append(Problem(file, *where, message))
    return problems
