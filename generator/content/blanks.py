"""What the form editor writes: an optional field it saved empty counts as left out.

Decap CMS (``/admin/``) saves a field a person cleared as ``''``, ``[]`` or ``{}``. A record read
from the form is the same record as one written by hand without that field, so the empty value
is dropped before validation, at the top level and inside objects; a required field saved empty
stays, and its schema reports it.
"""

from __future__ import annotations

from typing import Any

from .schemas import Collection, resolve

EMPTY: tuple[Any, ...] = ("", [], {})


def tolerate(collection: Collection, data: Any) -> list[str]:
    """Drop the optional fields saved empty from a record's top level and its objects, in place;
    return their names."""
    return _tolerate(collection.schema, collection.resolver, data)


def _tolerate(schema: Any, resolver: Any, data: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    node, resolver = resolve(schema, resolver)
    if not isinstance(data, dict) or not isinstance(node.get("properties"), dict):
        return []
    required = set(node.get("required") or ())
    dropped = []
    for key in list(data):
        value = data[key]
        if key not in required and key in node["properties"] and any(
                value == e and type(value) is type(e) for e in EMPTY):
            del data[key]
            dropped.append(key)
        elif isinstance(value, dict):
            dropped += _tolerate(node["properties"].get(key), resolver, value)
    return dropped
