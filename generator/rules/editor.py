"""Editor help derived from ``schemas/``: the VS Code YAML extension's ``yaml.schemas`` mapping.

``.vscode/settings.json`` connects each ``content/<collection>/`` folder to its schema, so editors
suggest fields and underline mistakes. The mapping is derived from the collections (a new
collection needs no hand edit): ``playbook editor`` writes it, keeping every other setting, and
``playbook check`` reports a mapping that no longer matches ``schemas/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.problems import Problem

SETTINGS = ".vscode/settings.json"
KEY = "yaml.schemas"
PREFIX = "./schemas/"


class EditorSettingsError(Exception):
    """The settings file exists but cannot be read as a JSON object."""


def mapping(collections: Iterable[str]) -> dict[str, list[str]]:
    """``yaml.schemas``: each collection's schema, for the YAML files of its folder."""
    return {f"{PREFIX}{name}.schema.json": [f"content/{name}/*.yaml"] for name in sorted(collections)}


def _ours(value: Any) -> dict[str, Any]:
    """The entries of ``yaml.schemas`` for the playbook's own schemas."""
    items = value.items() if isinstance(value, dict) else ()
    return {k: v for k, v in items if k.startswith(PREFIX)}


def _others(value: Any) -> dict[str, Any]:
    """Entries for anything else (kept as they are)."""
    items = value.items() if isinstance(value, dict) else ()
    return {k: v for k, v in items if not k.startswith(PREFIX)}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EditorSettingsError(f"{SETTINGS} cannot be read as JSON: {exc}") from None
    if not isinstance(data, dict):
        raise EditorSettingsError(f"{SETTINGS} must hold a JSON object")
    return data


def updated(root: Path, collections: Iterable[str]) -> tuple[str, bool]:
    """The settings file's new text (other settings kept) and whether it differs from the current one."""
    path = root / SETTINGS
    data = _read(path) if path.is_file() else {}
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    data[KEY] = {**_others(data.get(KEY)), **mapping(collections)}
    for key, value in (("yaml.validate", True), ("yaml.completion", True), ("yaml.hover", True)):
        data.setdefault(key, value)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text, text != current


def write(root: Path, collections: Iterable[str]) -> bool:
    """Write the settings file when it changed; return whether it did."""
    text, changed = updated(root, collections)
    if changed:
        (root / SETTINGS).parent.mkdir(parents=True, exist_ok=True)
        (root / SETTINGS).write_text(text, encoding="utf-8")
    return changed


def editor_problems(root: Path, collections: Iterable[str]) -> list[Problem]:
    """A problem when ``.vscode/settings.json`` exists and its ``yaml.schemas`` no longer matches
    the collections (nothing when there is no such file: editors are optional)."""
    path = root / SETTINGS
    if not path.is_file():
        return []
    try:
        data = _read(path)
    except EditorSettingsError as exc:
        return [Problem(SETTINGS, 1, 1, str(exc))]
    wanted, found = mapping(collections), _ours(data.get(KEY))
    if found == wanted:
        return []
    names = sorted(k for k in set(wanted) ^ set(found) if isinstance(k, str))
    detail = f" ({', '.join(names)})" if names else ""
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next((number for number, text in enumerate(lines, 1) if KEY in text), 1)
    return [Problem(SETTINGS, line, 1, f"{KEY} no longer matches schemas/{detail}: run `playbook editor` "
                    "and commit the result, so editors check every collection")]
