"""``playbook new COLLECTION ID``: start a record that already passes ``playbook check``.

The record is built from the collection's schema: every required field gets a
placeholder that validates (``TODO: ...`` text, the first option of a choice,
the minimum of a number, as many items as a list needs, an existing record for
a field that names one), ``last_reviewed`` is today and ``owner`` is
``--owner`` or the first team. Optional fields follow as comments with their
descriptions. The first line associates the file with its schema, so editors
with the YAML language server complete and underline fields while typing.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..content.loader import LoadError, load_yaml
from ..content.model import Playbook
from ..content.placeholders import DEFAULT_MARK
from ..content.schemas import Collection, is_valid_id, resolve_node
from ..core.problems import Problem, errors
from ..core.wording import field_title, humanize
from ..rules.project import CONTENT, SUFFIX, load_playbook

TODO = "TODO"
_SPACE = re.compile(r"\s+")


class ScaffoldError(Exception):
    """The record cannot be started (the command turns it into a usage error)."""


def _label(name: str, node: dict[str, Any]) -> str:
    return field_title(node, name).lower()


class _Builder:
    def __init__(self, collection: Collection, playbook: Playbook, record_id: str,
                 owner: str | None, today: date) -> None:
        self.collection, self.playbook, self.record_id = collection, playbook, record_id
        self.owner, self.today = owner, today
        self.chose = False  # whether the value being built holds a choice made here
        self.defaults: list[str] = []  # top-level fields holding such a choice

    def record(self) -> dict[str, Any]:
        data = self.object(self.collection.schema, top=True)
        data["title"] = humanize(self.record_id)
        return data

    def object(self, schema: dict[str, Any], top: bool = False) -> dict[str, Any]:
        properties = schema.get("properties", {})
        required = [name for name in properties if name in schema.get("required", [])]
        required += [name for name in schema.get("required", []) if name not in properties]
        data: dict[str, Any] = {}
        for name in required:
            node = resolve_node(self.collection, properties.get(name, {}))
            chose, self.chose = self.chose, False
            data[name] = self.owner_value(node) if top and name == "owner" else self.value(name, node)
            if top and self.chose:
                self.defaults.append(name)
            self.chose = chose or self.chose
        return data

    def value(self, name: str, node: dict[str, Any]) -> Any:
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            self.chose = True
            return node["enum"][0]
        if "default" in node:
            self.chose = True
            return node["default"]
        if "x-ref" in node:
            self.chose = True
            return self.reference(name, node["x-ref"])
        for keyword in ("oneOf", "anyOf"):
            if node.get(keyword):
                return self.value(name, resolve_node(self.collection, node[keyword][0]))
        kind = node.get("type", "string")
        kind = kind[0] if isinstance(kind, list) else kind
        if kind == "object":
            return self.object(node)
        if kind == "array":
            item = resolve_node(self.collection, node.get("items", {}))
            return [self.value(name, item) for _ in range(max(1, int(node.get("minItems", 1))))]
        if kind in ("integer", "number"):
            self.chose = True
            if "exclusiveMinimum" in node:
                return int(node["exclusiveMinimum"]) + 1
            return node.get("minimum", 1)
        if kind == "boolean":
            self.chose = True
            return False
        if kind == "null":
            return None
        if node.get("format") == "date":
            return self.today.isoformat()
        text = f"{TODO}: {_label(name, node)}"
        examples = [e for e in node.get("examples", []) if isinstance(e, str)]
        if "pattern" in node and not re.search(node["pattern"], text) and examples:
            return examples[0]
        return text.ljust(int(node.get("minLength", 0)), ".")

    def reference(self, name: str, annotation: Any) -> str:
        targets = (annotation,) if isinstance(annotation, str) else tuple(annotation)
        for target in targets:
            records = sorted(r.id for r in self.playbook.records.values() if r.collection == target)
            if records:
                return records[0]
        if self.collection.name in targets:
            return self.record_id  # the first record of its kind may name itself
        kinds = " or ".join(targets)
        raise ScaffoldError(f"'{name}' must name a record in {kinds}, and there is none yet: "
                            f"create one first (playbook new {targets[0]} ID)")

    def owner_value(self, node: dict[str, Any]) -> str:
        annotation = node.get("x-ref", self.playbook.settings.owner_collections)
        targets = (annotation,) if isinstance(annotation, str) else tuple(annotation)
        if self.owner is None:
            self.chose = True
            preferred = ("teams", *(t for t in targets if t != "teams")) if "teams" in targets else targets
            return self.reference("owner", list(preferred))
        found = [t for t in targets if (t, self.owner) in self.playbook.records]
        if not found and not (self.collection.name in targets and self.owner == self.record_id):
            raise ScaffoldError(f"--owner '{self.owner}' is not a record in {' or '.join(targets)}")
        return self.owner


# ---------------------------------------------------------------------------
# Writing YAML that reads back exactly as built (with this project's loader)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    try:
        if text and load_yaml(f"k: {text}\n".encode()).data == {"k": text}:
            return text
    except LoadError:
        pass
    return json.dumps(text, ensure_ascii=False)


def dump(value: Any, indent: int = 0) -> str:
    """Block-style YAML for plain data (mappings, lists, text, numbers, booleans)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{dump(item, indent + 2)}")
            else:
                shown = _empty(item) if isinstance(item, dict | list) else _scalar(item)
                lines.append(f"{pad}{key}: {shown}")
    else:
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = dump(item, indent + 2)
                lines.append(f"{pad}- {nested[indent + 2:]}")
            else:
                lines.append(f"{pad}- {_empty(item) if isinstance(item, dict | list) else _scalar(item)}")
    return "".join(f"{line}\n" if not line.endswith("\n") else line for line in lines)


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def _optional_comments(collection: Collection, data: dict[str, Any]) -> str:
    lines = []
    for name, node in collection.schema.get("properties", {}).items():
        if name in data:
            continue
        resolved = resolve_node(collection, node)
        about = _SPACE.sub(" ", str(resolved.get("description") or "")).strip()
        lines.append(f"# {name}:{f'  # {about}' if about else ''}\n")
    if not lines:
        return ""
    return '# Optional fields (delete the leading "# " to use one):\n' + "".join(lines)


def _mark_defaults(text: str, defaults: list[str]) -> str:
    """Append :data:`DEFAULT_MARK` to the line of each top-level field whose value was chosen
    here, so that ``playbook check`` warns until someone confirms it."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in defaults and not line.startswith((" ", "-", "#")):
            lines[index] = f"{line}  {DEFAULT_MARK}"
    return "\n".join(lines)


def render(collection: Collection, data: dict[str, Any], defaults: list[str] | None = None) -> str:
    header = f"# yaml-language-server: $schema=../../schemas/{collection.name}.schema.json\n"
    return header + _mark_defaults(dump(data), defaults or []) + _optional_comments(collection, data)


# ---------------------------------------------------------------------------


def scaffold(root: Path, name: str, record_id: str, owner: str | None, today: date) -> tuple[Path, str]:
    """Build the new record's path and text; raise :class:`ScaffoldError` when it must not be made."""
    playbook, _ = load_playbook(root)
    if name not in playbook.collections:
        known = ", ".join(playbook.collections) or "none"
        raise ScaffoldError(f"unknown collection '{name}' (collections: {known})")
    if not is_valid_id(record_id):
        raise ScaffoldError(f"invalid id '{record_id}': use lower-case letters and digits in words joined "
                            "by single hyphens, like 'mql' or 'ab-lead-follow-up'")
    folder = root / CONTENT / name
    path = folder / f"{record_id}{SUFFIX}"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ScaffoldError(f"{CONTENT}/{name} is not a plain folder")
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{CONTENT}/{name}/{record_id}{SUFFIX} already exists")
    collection = playbook.collections[name]
    builder = _Builder(collection, playbook, record_id, owner, today)
    data = builder.record()
    return path, render(collection, data, builder.defaults)


def create(
    root: Path, name: str, record_id: str, owner: str | None, today: date
) -> tuple[Path, list[Problem]]:
    """Write the new record (never replacing a file) and return its path with the problems
    ``check`` finds in it (none, unless an unusual schema defeats the placeholders)."""
    path, text = scaffold(root, name, record_id, owner, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # never replaces a file
        handle.write(text)
    _, problems = load_playbook(root)
    rel = path.relative_to(root).as_posix()
    return path, [p for p in errors(problems) if p.file == rel]  # placeholders are warnings, as meant
