"""Changing ``playbook.yml`` the way a person would: in place.

``playbook init`` sets a few settings (the company, addresses, owner handles). A company's
``playbook.yml`` also holds settings init knows nothing about (the fiscal year, working hours, ...)
and comments people wrote; rewriting the file from the settings it knows would lose both. So a
setting that is already there gets its new value where it stands, keeping the line's comment; a new
one is added next to its neighbours, with a word on what it is; a setting to drop loses its line;
every other byte stays as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

# The settings init writes, in the order a new file lists them, each with a word on what it is.
TOP = ("company", "site_name", "site_url", "repo_url", "branch", "starter", "owners", "codeowners")
OWNERS = ("collections", "handle_field", "handle_format")
ABOUT = {
    "site_name": "the site's name (default: '<company> — Sales & Marketing Playbook')",
    "site_url": "where the site is published",
    "repo_url": "the repository: edit links; without it, no page calls the code host",
    "branch": "the branch edit links open",
    "starter": "true: content/ still holds the fictional example company",
    "codeowners": "where `playbook codeowners` writes",
    "collections": "the collections whose records can own records",
    "handle_field": "the field with a code-host handle",
    "handle_format": "github (user, org/team) or gitlab (user, group/subgroup/...)",
}
HEADER = ("# The one place for what differs between companies (written by `playbook init`; see\n"
          "# \"Adopting the playbook\" in README.md). Every command and the site read it.\n")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def scalar(value: Any) -> str:
    """``value`` as YAML flow text that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    # A JSON string is a YAML double-quoted scalar; what YAML would fold or refuse is escaped too.
    return _UNSAFE.sub(_escape, json.dumps(str(value), ensure_ascii=False))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _word(value: Any) -> str:
    """A plain word stays plain (``github``); anything else is quoted."""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _WORDS:
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_word(v) for v in value) + "]"
    return scalar(value)


def _line(indent: str, key: str, value: Any) -> str:
    if isinstance(value, dict):
        return f"{indent}{key}:\n" + "".join(_line(indent + "  ", k, value[k]) for k in OWNERS if k in value)
    about = f"  # {ABOUT[key]}" if key in ABOUT else ""
    text = _word(value) if key in OWNERS else scalar(value)
    return f"{indent}{key}: {text}{about}\n"


def fresh(data: dict[str, Any]) -> str:
    """A new ``playbook.yml``: the settings in a fixed order, with a word on each."""
    owners = {"owners": data.get("owners") or {}}
    return HEADER + "".join(_line("", k, owners[k] if k == "owners" else data[k]) for k in TOP
                            if k == "owners" or data.get(k) is not None)


@dataclass(frozen=True)
class _Edit:
    start: int  # character offsets into the text
    end: int
    text: str


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Just after the newline of the line where ``index`` is (a value's end may be just past it)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _nested(node: yaml.Node, value: Any) -> bool:
    """Whether a mapping setting is changed inside (a block mapping with entries) or written again."""
    return isinstance(node, yaml.MappingNode) and node.flow_style is False and bool(node.value) \
        and isinstance(value, dict)


def _edits(text: str, mapping: yaml.MappingNode, current: dict[str, Any], wanted: dict[str, Any],
           order: tuple[str, ...], indent: str) -> list[_Edit]:
    """The edits that turn the settings in ``order`` from ``current`` into ``wanted``; other keys
    (and their comments) are left as they are."""
    nodes = {k.value: (k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
    edits: list[_Edit] = []
    for i, key in enumerate(order):
        old, new = current.get(key), wanted.get(key)
        if old == new:
            continue
        if key in nodes:
            k, v = nodes[key]
            if isinstance(new, dict) and isinstance(old, dict) and _nested(v, old):
                edits += _edits(text, v, old, new, OWNERS, " " * v.value[0][0].start_mark.column)
                continue
            start, end = v.start_mark.index, v.end_mark.index
            if new is None or isinstance(new, dict):  # the whole entry goes, or is written again
                replacement = "" if new is None else _line(indent, key, new)
                edits.append(_Edit(_line_start(text, k.start_mark.index), _line_end(text, end), replacement))
            else:  # the value where it stands, keeping the line's comment
                value = _word(new) if key in OWNERS else scalar(new)
                # Up to the value's last character: a block's end mark is on the next line.
                edits.append(_Edit(start, start + len(text[start:end].rstrip()), value))
        elif new is not None:
            before = [nodes[k][1] for k in order[:i] if k in nodes]
            at = _line_end(text, before[-1].end_mark.index) if before else \
                _line_start(text, mapping.value[0][0].start_mark.index)
            edits.append(_Edit(at, at, _line(indent, key, new)))
    return edits


def updated(text: str, data: dict[str, Any]) -> str:
    """``text`` (a ``playbook.yml`` that reads without problems) with init's settings set as in
    ``data``; a file that is empty, or not a mapping, is written afresh."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        current = yaml.safe_load(text)
    except yaml.YAMLError:
        root = current = None
    if not isinstance(root, yaml.MappingNode) or not isinstance(current, dict) or not root.value:
        return fresh(data)
    out = text if text.endswith("\n") else text + "\n"
    wanted = {k: v for k, v in data.items() if k != "owners" or v}
    edits = _edits(out, root, current, wanted, TOP, "")
    # From the end, so offsets stay right; of two lines added at one place, the first listed stays first.
    for _, edit in sorted(enumerate(edits), key=lambda e: (e[1].start, e[1].end, e[0]), reverse=True):
        out = out[:edit.start] + edit.text + out[edit.end:]
    return out
