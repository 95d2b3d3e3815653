"""Vetting schema files before they become collections, so that a malformed schema is a
located problem, never a traceback or a field silently left public.

- :func:`read_schema`: a schema file that is a folder, not UTF-8, not JSON or nested absurdly
  deep is a problem at its line and column.
- :func:`annotation_problems`: the playbook's own ``x-`` annotations (``x-playbook``, ``x-ref``,
  ``x-audience``, ``x-drift``, ``x-metadata``, ``x-error``, ``x-replaces``) are checked against
  ``generator/schemas/annotations.schema.json`` wherever they appear; an unknown ``x-`` key
  is an error with a did-you-mean. The errors are located in the schema file (JSON is YAML,
  so the project's YAML loader gives every node its line and column). Invalid values are
  then made harmless: a confidentiality mark that is not understood becomes ``internal``
  (fail closed), any other invalid annotation is dropped, so nothing downstream trips on it
  (the errors still stop every build).
- :func:`reference_cycle`: a ``$ref`` chain that comes back to itself without descending
  into a field would make validation recurse forever.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..core.problems import Problem
from ..core.wording import describe_value, field_name
from .loader import Document, LoadError, load_yaml
from .schemawalk import IN_PLACE, children, pointer_of, subschemas

META_FILE = Path(__file__).parent.parent / "schemas" / "annotations.schema.json"
META: dict[str, Any] = json.loads(META_FILE.read_text(encoding="utf-8"))
KNOWN = tuple(sorted(k for k in META["$defs"] if k.startswith("x-")))
COLLECTION_ONLY = "x-playbook"
MAX_DEPTH = 64
FAIL_CLOSED = {"x-audience": "internal"}  # what an invalid value is replaced by (others are dropped)

# Every keyword of JSON Schema 2020-12 (and two older spellings): any other key in a schema is a
# mistake for the playbook (``"X-audience"`` or ``"audience"`` would be silently ignored).
KEYWORDS = frozenset({
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "$comment",
    "$defs", "definitions", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "dependentSchemas", "dependencies", "prefixItems", "items", "contains", "properties",
    "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems",
    "unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
    "dependentRequired", "title", "description", "default", "deprecated", "readOnly", "writeOnly",
    "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
})
Location = tuple[str | int, ...]
_VALIDATORS = {
    name: Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": META["$defs"]}) for name in KNOWN
}


# ---------------------------------------------------------------------------
# Reading


def _utf8_position(raw: bytes, start: int) -> tuple[int, int]:
    before = raw[:start]
    return before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1


def _depth(value: Any) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending:
        node, level = pending.pop()
        deepest = max(deepest, level)
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        pending.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def read_schema(path: Path, file: str) -> tuple[Any, str, list[Problem]]:
    """The parsed JSON of a schema file and its text, or the problem that stops it."""
    if not path.is_file() or path.is_symlink():
        return None, "", [Problem(file, 1, 1, "not a file: a schema must be a JSON file (a folder or a "
                                  "symbolic link cannot be one)")]
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        return None, "", [Problem(file, 1, 1, f"cannot read the file: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        return None, "", [Problem(file, *_utf8_position(raw, exc.start), "file is not valid UTF-8 text")]
    repeated: list[str] = []
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: _no_repeats(pairs, repeated))
    except json.JSONDecodeError as exc:
        return None, text, [Problem(file, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")]
    except RecursionError:
        return None, text, [Problem(file, 1, 1, f"nesting is deeper than {MAX_DEPTH} levels")]
    if _depth(data) > MAX_DEPTH:
        return None, text, [Problem(file, 1, 1, f"nesting is deeper than {MAX_DEPTH} levels")]
    if repeated:  # JSON keeps the last one silently ("x-audience" twice: the wider audience)
        found = [Problem(file, line, column, message) for line, column, message in marks(text).errors]
        return None, text, found or [Problem(file, 1, 1, f"duplicate key '{repeated[0]}': keep one of "
                                             "the two")]
    return data, text, []


def _no_repeats(pairs: list[tuple[str, Any]], repeated: list[str]) -> dict[str, Any]:
    """``json.loads``' object hook: the object, with every key given twice noted in ``repeated``."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            repeated.append(key)
        seen.add(key)
    return dict(pairs)


def marks(text: str) -> Document:
    """Where each node of a JSON text is written (JSON is YAML); no marks if it cannot be read so."""
    try:
        return load_yaml(text.encode("utf-8"))
    except (LoadError, RecursionError):
        return Document(None)


# ---------------------------------------------------------------------------
# Annotations


def _suggest(word: str, options: Any) -> str:
    found = difflib.get_close_matches(word.casefold(), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{found[0]}'?" if found else ""


def _unknown(word: str, options: list[str], kind: str) -> str:
    """"; did you mean 'x'?", else the list of what is known."""
    return _suggest(word, options) or f" ({kind}: {', '.join(options)})"


def _message(name: str, error: ValidationError) -> tuple[Location, str, bool]:
    """(where in the annotation's value, message, whether to point at a key) for one error."""
    where = tuple(error.absolute_path)
    label = field_name((name, *where))
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    if error.validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed))
        word = extra[0] if extra else "?"
        return (*where, word), f"{label}: unknown setting '{word}'{_unknown(word, allowed, 'settings')}", True
    if error.validator == "required":
        required: Any = error.validator_value
        missing = [m for m in required if m not in instance]
        return where, f"{label}: missing the setting '{missing[0] if missing else '?'}'", False
    text = schema.get("x-error") or error.message
    found = describe_value(error.instance)
    hint = _suggest(error.instance, error.validator_value) if (
        error.validator == "enum" and isinstance(error.instance, str)) else ""
    return where, f"{label}: {text} (found {found}){hint}", False


def _check(name: str, value: Any) -> list[ValidationError]:
    validator = _VALIDATORS[name]
    return sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.validator))


def _field_problems(settings: dict[str, Any], fields: list[str]) -> Iterator[tuple[Location, str]]:
    """``sort``, column, glossary, keyword and closure fields must name properties of the collection."""
    named: list[tuple[Location, Any]] = [(("sort",), settings.get("sort"))]
    columns = settings.get("columns")
    for index, column in enumerate(columns if isinstance(columns, list) else []):
        named.append((("columns", index, "field"), column.get("field") if isinstance(column, dict) else None))
    glossary = settings.get("glossary")
    for part in ("term", "definition"):
        named.append((("glossary", part), glossary.get(part) if isinstance(glossary, dict) else None))
    keywords = settings.get("keywords")
    for index, name in enumerate(keywords if isinstance(keywords, list) else []):
        named.append((("keywords", index), name))
    closures = settings.get("closures")
    for part in ("from", "to", "yearly", "observed"):
        named.append((("closures", part), closures.get(part) if isinstance(closures, dict) else None))
    for where, value in named:
        if isinstance(value, str) and value not in fields:
            hint = _suggest(value, fields)
            yield where, (f"{field_name((COLLECTION_ONLY, *where))}: '{value}' is not a field of this "
                          f"collection{hint}")


def _located(file: str, doc: Document, path: Location, message: str, *, key: bool = False) -> Problem:
    return Problem(file, *doc.locate(path, key=key), message)


def annotation_problems(file: str, schema: Any, text: str, *, collection: bool) -> list[Problem]:
    """Check every ``x-`` annotation of one schema file; make invalid ones harmless in place."""
    problems: list[Problem] = []
    doc: Document | None = None

    def at(path: Location, message: str, *, key: bool = False) -> None:
        nonlocal doc
        doc = doc or marks(text)
        problems.append(_located(file, doc, path, message, key=key))

    for path, node in list(subschemas(schema)):
        for name in [k for k in node if not k.startswith("x-") and k not in KEYWORDS]:
            hint = _suggest(name, sorted(KEYWORDS | set(KNOWN))) or " (neither a JSON Schema keyword nor a " \
                "playbook annotation)"
            at((*path, name), f"unknown keyword '{name}'{hint}", key=True)
        for name in [k for k in node if k.startswith("x-")]:
            where = (*path, name)
            if name not in KNOWN:
                hint = _unknown(name, list(KNOWN), "annotations")
                at(where, f"unknown annotation '{name}'{hint}", key=True)
                continue
            if name == COLLECTION_ONLY and (path or not collection):
                at(where, f"{name}: belongs at the top of a collection schema (schemas/<collection>"
                   ".schema.json), where it sets the collection's title, order and columns", key=True)
                continue
            errors = _check(name, node[name])
            for error in errors:
                inner, message, key = _message(name, error)
                at((*where, *inner), message, key=key)
            if errors:
                _make_harmless(node, name)
            if name == COLLECTION_ONLY and isinstance(node.get(name), dict):
                fields = [str(f) for f in schema.get("properties", {})] if isinstance(
                    schema.get("properties"), dict) else []
                for inner, message in _field_problems(node[name], fields):
                    at((*where, *inner), message)
    return problems


def _make_harmless(node: dict[str, Any], name: str) -> None:
    if name in FAIL_CLOSED:
        node[name] = FAIL_CLOSED[name]
    elif name == COLLECTION_ONLY and isinstance(node[name], dict):
        node[name] = {k: v for k, v in node[name].items() if not _check(name, {k: v})}
    else:
        del node[name]


# ---------------------------------------------------------------------------
# Reference cycles


def _at(document: Any, pointer: Location) -> tuple[Any, Location]:
    """The node a JSON pointer names, and its path (list positions as numbers)."""
    node, path = document, cast(Location, ())
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node, path = node[part], (*path, part)
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node, path = node[int(part)], (*path, int(part))
        else:
            return None, path
    return node, path


def reference_cycle(schemas: dict[str, Any], start: str) -> tuple[str, Location] | None:
    """Where a ``$ref`` leads back to a schema already being applied to the same value
    (file name and path of that ``$ref``), in the schema file ``start`` or a file it names."""
    done: set[tuple[str, Location]] = set()
    files = [start]
    stack: set[tuple[str, Location]] = set()

    def visit(file: str, path: Location, node: Any) -> tuple[str, Location] | None:
        if not isinstance(node, dict) or (file, path) in done:
            return None
        stack.add((file, path))
        ref = node.get("$ref")
        if isinstance(ref, str):
            target_file, _, fragment = ref.partition("#")
            target_file = target_file or file
            pointer = pointer_of(fragment)
            if target_file in schemas and pointer is not None:
                if target_file not in files:
                    files.append(target_file)
                target, target_path = _at(schemas[target_file], pointer)
                if target is not None and (target_file, target_path) in stack:
                    return file, (*path, "$ref")
                found = visit(target_file, target_path, target)
                if found:
                    return found
        for keyword, arg, sub in children(node):
            if keyword in IN_PLACE:
                found = visit(file, (*path, keyword) if arg is None else (*path, keyword, arg), sub)
                if found:
                    return found
        stack.discard((file, path))
        done.add((file, path))
        return None

    for file in files:  # grows as references name other files
        for path, node in subschemas(schemas.get(file)):
            stack.clear()
            found = visit(file, path, node)
            if found:
                return found
    return None
