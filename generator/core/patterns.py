"""Schema ``pattern``s, checked within a time limit.

A schema's ``pattern`` is a regular expression that the company writes, and Python's ``re``
backtracks: ``^(a+)+$`` against a long value that almost matches takes longer than the age of
the universe, and ``playbook check`` would never end. Patterns are matched with the ``regex``
module instead: in its default (version 0) mode it reads every pattern as ``re`` does, with the
same meaning (``jsonschema`` uses ``re.search``), and it takes a time limit. A value that takes
longer than :data:`LIMIT` against a pattern is a located problem of its own, never a hang.
Each verdict is remembered, so the fast and the slow validation paths pay for it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import regex  # type: ignore[import-untyped]  # no stubs are pinned; used through one call
from jsonschema import Draft202012Validator, ValidationError, validators

LIMIT = 1.0  # seconds one value may take against one pattern
TIMED_OUT = "pattern-timeout"  # the ``validator`` of the error a value that took too long gets
MESSAGE = (f"checking this value against its schema's pattern took more than {LIMIT:g} s: the pattern's "
           "regular expression backtracks (a repeat inside a repeat, like (a+)+); simplify it in the schema")


@lru_cache(maxsize=512)
def compiled(pattern: str) -> Any:
    return regex.compile(pattern, regex.VERSION0)


@lru_cache(maxsize=8192)
def search(pattern: str, text: str) -> bool | None:
    """Whether ``pattern`` matches somewhere in ``text`` (``re.search``'s meaning); None when
    finding out takes longer than :data:`LIMIT`."""
    try:
        return compiled(pattern).search(text, timeout=LIMIT) is not None
    except TimeoutError:
        return None


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string"):
        return
    found = search(pattern, instance)
    if found is None:
        yield ValidationError(MESSAGE, validator=TIMED_OUT)
    elif not found:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12 with the bounded ``pattern``: every record value is validated with it.
Validator: Any = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]
