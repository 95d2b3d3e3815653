"""The one walk over JSON Schema (Draft 2020-12): every subschema, where it is written and which
part of a record it applies to.

Three views, all built on :func:`children` (the subschemas one schema node holds directly):

- :func:`subschemas`: every subschema written in one schema document, with its JSON pointer
  (for locating it in the file). Follows no ``$ref``.
- :func:`graph`: the subschemas a collection applies to its records, ``$ref`` followed with the
  project's resolver, as :class:`Node` values (each knows its file, pointer and resolver). Each
  edge says how the child applies to the instance (:data:`SAME`, :data:`KEYS`, :data:`ITEMS`,
  or :data:`NONE` for the keywords whose annotations cannot be honoured on record values:
  ``not``, ``propertyNames``, ``unevaluated*``, ``contentSchema``, ``dependencies``).
- :func:`applying`: a record walked alongside its graph: each (location, value, node) where the
  node applies. Conditional keywords are decided on the value, as JSON Schema collects
  annotations: ``then`` when ``if`` holds, ``else`` when it does not, the ``anyOf``/``oneOf``
  branches the value is valid against (all of them when it is valid against none: fail closed),
  ``dependentSchemas`` when the key is present, ``patternProperties`` for the keys matching,
  ``additionalProperties`` for the others, ``prefixItems``/``items`` by position, ``contains``
  for the items valid against it.

:func:`unhonoured` names the places where an annotation on record values is reached through a
keyword that does not apply it to a value (so it would be silently ignored).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from referencing.exceptions import Unresolvable

Location = tuple[str | int, ...]

# The keywords that hold subschemas, by the shape of their value.
ONE = ("not", "if", "then", "else", "additionalProperties", "items", "contains", "propertyNames",
       "unevaluatedItems", "unevaluatedProperties", "contentSchema")
LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
MAP = ("$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies")
REFS = ("$ref", "$dynamicRef")

# How a child applies to the instance its parent applies to.
SAME = "same"  # to the same value (in place)
KEYS = "keys"  # to values of an object's keys
ITEMS = "items"  # to items of an array
DEFS = "defs"  # to nothing by itself (definitions, used through $ref)
NONE = "none"  # to no record value the playbook can act on: annotations there are ignored

HOW = {
    "$ref": SAME, "$dynamicRef": SAME, "allOf": SAME, "anyOf": SAME, "oneOf": SAME, "if": SAME,
    "then": SAME, "else": SAME, "dependentSchemas": SAME,
    "properties": KEYS, "patternProperties": KEYS, "additionalProperties": KEYS,
    "prefixItems": ITEMS, "items": ITEMS, "contains": ITEMS,
    "$defs": DEFS, "definitions": DEFS,
    "not": NONE, "propertyNames": NONE, "unevaluatedItems": NONE, "unevaluatedProperties": NONE,
    "contentSchema": NONE, "dependencies": NONE,
}
# The keywords that apply a subschema to the same value as validation goes (following them never
# descends into a field; ``not`` included).
IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")
# The playbook's annotations that describe record values (read by walking records).
ON_VALUES = ("x-audience", "x-ref", "x-drift", "x-metadata")
MAX_REF_HOPS = 20


def children(node: Any) -> Iterator[tuple[str, str | int | None, Any]]:
    """(keyword, name or index or None, subschema) for each subschema ``node`` holds directly,
    in the order written; ``$ref`` is not followed. Values of the wrong shape are skipped (the
    meta-schema check reports them)."""
    if not isinstance(node, dict):
        return
    for keyword, value in node.items():
        if keyword in ONE and isinstance(value, dict | bool):
            yield keyword, None, value
        elif keyword in LIST and isinstance(value, list):
            for index, sub in enumerate(value):
                if isinstance(sub, dict | bool):
                    yield keyword, index, sub
        elif keyword in MAP and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict | bool):
                    yield keyword, name, sub


def subschemas(schema: Any, pointer: Location = ()) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every subschema (an object) written in one schema document, with its pointer, parents
    first, in the order written."""
    if not isinstance(schema, dict):
        return
    pending: list[tuple[Location, dict[str, Any]]] = [(pointer, schema)]
    while pending:
        path, node = pending.pop()
        yield path, node
        found = [((*path, k) if a is None else (*path, k, a), s) for k, a, s in children(node)]
        pending.extend((p, s) for p, s in reversed(found) if isinstance(s, dict))


# ---------------------------------------------------------------------------
# The graph a collection applies


@dataclass(eq=False)
class Node:
    """One subschema as a collection applies it: where it is written and what it holds."""

    schema: dict[str, Any]
    file: str  # the schema file (resource name) it is written in
    pointer: Location  # where in that file
    resolver: Any = field(repr=False)
    edges: list[tuple[str, str | int | None, Node]] = field(default_factory=list, repr=False)
    check: Any = field(default=None, repr=False)  # a validator for this subschema, made on first use


def pointer_of(fragment: str) -> Location | None:
    """The parts of a JSON pointer fragment (``/$defs/x``); None for an anchor."""
    if fragment in ("", "/"):
        return ()
    if not fragment.startswith("/"):
        return None  # an anchor
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/"))


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


def graph(schema: dict[str, Any], resolver: Any, file: str) -> Node:
    """The subschemas ``schema`` (written in ``file``) applies, ``$ref`` followed; one node per
    place written, so shared and recursive definitions are shared and recursive here too."""
    nodes: dict[tuple[str, int], Node] = {}
    documents: dict[str, dict[int, Location]] = {}

    def where(target_file: str, contents: Any, fragment: str) -> Location:
        pointer = pointer_of(fragment)
        if pointer is not None:
            return pointer
        if target_file not in documents:  # an anchor: find the node in its document
            whole = lookup(target_file, resolver)
            documents[target_file] = {id(n): p for p, n in subschemas(whole[0] if whole else None)}
        return documents[target_file].get(id(contents), ())

    def make(sub: dict[str, Any], at: str, pointer: Location, res: Any) -> Node:
        key = (at, id(sub))
        if key in nodes:
            return nodes[key]
        node = nodes[key] = Node(sub, at, pointer, res)
        for keyword in REFS:
            ref = sub.get(keyword)
            found = lookup(ref, res)
            if found is not None and isinstance(found[0], dict):
                target, _, fragment = str(ref).partition("#")
                target_file = target or at
                node.edges.append((keyword, None, make(found[0], target_file,
                                                       where(target_file, found[0], fragment), found[1])))
        for keyword, arg, child in children(sub):
            if isinstance(child, dict):
                path = (*pointer, keyword) if arg is None else (*pointer, keyword, arg)
                node.edges.append((keyword, arg, make(child, at, path, res)))
        return node

    return make(schema, file, (), resolver)


def nodes_of(root: Node) -> list[Node]:
    """Every node of a graph, once, parents first."""
    seen: dict[int, Node] = {}
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            pending.extend(reversed([child for _, _, child in node.edges]))
    return list(seen.values())


def leading_to(root: Node, keyword: str) -> set[int]:
    """The ids of the nodes from which :func:`applying` can reach a node holding ``keyword``."""
    every = nodes_of(root)
    parents: dict[int, list[int]] = {}
    for node in every:
        for how, _, child in node.edges:
            if HOW[how] in (SAME, KEYS, ITEMS):
                parents.setdefault(id(child), []).append(id(node))
    found: set[int] = set()
    reach = [id(node) for node in every if keyword in node.schema]
    while reach:
        key = reach.pop()
        if key not in found:
            found.add(key)
            reach += parents.get(key, [])
    return found


@dataclass(frozen=True)
class Unhonoured:
    """An annotation on record values reached through a keyword that applies it to none."""

    node: Node
    annotation: str
    keyword: str  # the keyword on the way that does not apply it
    via: Node  # the node holding that keyword


def unhonoured(root: Node, annotations: Iterable[str] = ON_VALUES) -> list[Unhonoured]:
    """Each place (once) where one of ``annotations`` is reached from ``root`` through ``not``,
    ``propertyNames``, ``unevaluated*``, ``contentSchema`` or ``dependencies``."""
    wanted = tuple(annotations)
    found: dict[tuple[int, str], Unhonoured] = {}
    seen: set[tuple[int, bool]] = set()
    pending: list[tuple[Node, tuple[str, Node] | None]] = [(root, None)]
    while pending:
        node, blocked = pending.pop()
        if (id(node), blocked is not None) in seen:
            continue
        seen.add((id(node), blocked is not None))
        if blocked is not None:
            for name in wanted:
                if name in node.schema and (id(node), name) not in found:
                    found[(id(node), name)] = Unhonoured(node, name, blocked[0], blocked[1])
        for keyword, _, child in node.edges:
            if HOW[keyword] == DEFS:
                continue
            pending.append((child, blocked or ((keyword, node) if HOW[keyword] == NONE else None)))
    return sorted(found.values(), key=lambda u: (u.node.file, [str(p) for p in u.node.pointer], u.annotation))


# ---------------------------------------------------------------------------
# Walking a record alongside the graph

Valid = Callable[[Node, Any], bool]


def _branches(node: Node, value: Any, valid: Valid, keep: set[int] | None) -> Iterator[Node]:
    """The children of ``node`` that apply to the same ``value``, decided on it."""
    condition = next((child for keyword, _, child in node.edges if keyword == "if"), None)
    holds: bool | None = None
    chosen: dict[str, list[Node]] = {"anyOf": [], "oneOf": []}
    for keyword, arg, child in node.edges:
        if HOW[keyword] != SAME or (keep is not None and id(child) not in keep):
            continue
        if keyword in ("if", "then", "else"):
            if holds is None:
                holds = condition is not None and valid(condition, value)
            if (keyword == "else") == holds:
                continue
        elif keyword == "dependentSchemas" and not (isinstance(value, dict) and arg in value):
            continue
        elif keyword in chosen:
            if not chosen[keyword]:
                every = [c for k, _, c in node.edges if k == keyword]
                passing = [c for c in every if valid(c, value)]
                chosen[keyword] = passing or every  # valid against none: fail closed
            if child not in chosen[keyword]:
                continue
        yield child


def _keyed(node: Node, value: dict[str, Any], keep: set[int] | None) -> Iterator[tuple[str, Node]]:
    """(key, subschema) for each key of an object value, in the order of its keys."""
    named: dict[Any, Node] = {}
    patterns: list[tuple[re.Pattern[str], Node]] = []
    extra: Node | None = None
    declared: set[Any] = set(node.schema.get("properties") or ())
    regexes = [str(p) for p in node.schema.get("patternProperties") or ()]
    for keyword, arg, child in node.edges:
        wanted = keep is None or id(child) in keep
        if keyword == "properties" and wanted:
            named[arg] = child
        elif keyword == "patternProperties" and wanted:
            patterns.append((re.compile(str(arg)), child))
        elif keyword == "additionalProperties" and wanted:
            extra = child
    if not named and not patterns and extra is None:
        return
    for key in value:
        if key in named:
            yield key, named[key]
        for regex, child in patterns:
            if regex.search(key):
                yield key, child
        matched = any(re.search(r, key) for r in regexes)
        if extra is not None and key not in declared and not matched:
            yield key, extra


def _indexed(node: Node, value: list[Any], valid: Valid, keep: set[int] | None) -> Iterator[tuple[int, Node]]:
    prefix = node.schema.get("prefixItems")
    start = len(prefix) if isinstance(prefix, list) else 0
    for keyword, arg, child in node.edges:
        if keep is not None and id(child) not in keep:
            continue
        if keyword == "prefixItems" and isinstance(arg, int) and arg < len(value):
            yield arg, child
        elif keyword == "items":
            yield from ((i, child) for i in range(start, len(value)))
        elif keyword == "contains":
            yield from ((i, child) for i, item in enumerate(value) if valid(child, item))


def applying(
    root: Node, instance: Any, valid: Valid, keep: set[int] | None = None
) -> Iterator[tuple[Location, Any, Node]]:
    """Each (location, value, node) where a node of the graph applies to a value of ``instance``,
    once (a reference that comes back to itself at one location is not followed again); a node
    first, then what applies in place, then what applies to its keys or items (an item's
    subschemas in the order of the items). ``keep``: walk only these nodes (see
    :func:`leading_to`). ``valid(node, value)``: whether ``value`` is valid against a node."""
    return _applying(root, instance, valid, keep, (), set())


def _applying(
    root: Node, instance: Any, valid: Valid, keep: set[int] | None, path: Location,
    seen: set[tuple[int, Location]],
) -> Iterator[tuple[Location, Any, Node]]:
    if (keep is not None and id(root) not in keep) or (id(root), path) in seen:
        return
    seen.add((id(root), path))
    yield path, instance, root
    for child in _branches(root, instance, valid, keep):
        yield from _applying(child, instance, valid, keep, path, seen)
    if isinstance(instance, dict):
        for key, child in _keyed(root, instance, keep):
            yield from _applying(child, instance[key], valid, keep, (*path, key), seen)
    elif isinstance(instance, list):
        for index, child in sorted(_indexed(root, instance, valid, keep), key=lambda p: p[0]):
            yield from _applying(child, instance[index], valid, keep, (*path, index), seen)
