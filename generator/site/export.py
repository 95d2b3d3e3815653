"""``playbook.json``: every record an audience may see, with its freshness, for other tools.

The format is versioned (``version``) and described by a JSON Schema,
``generator/schemas/export.schema.json``, published next to ``playbook.json`` as
``playbook.schema.json``. A value the audience may not see (a reference to a hidden
record) is exported as ``null``; hidden records and fields are absent. The MkDocs
plugin writes it into the built site; ``playbook export`` writes it to a file.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..content.model import Playbook
from ..history.changelog import EXPORT_LIMIT, ChangeLog, records_json
from ..rules.audience import DEFAULT, is_withheld
from ..rules.freshness import assess_all

FORMAT = "playbook-export"
VERSION = 1
SCHEMA = Path(__file__).parent.parent / "schemas" / "export.schema.json"
FILE, SCHEMA_FILE = "playbook.json", "playbook.schema.json"


def _plain(value: Any) -> Any:
    if is_withheld(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export(playbook: Playbook, today: date, audience: str = DEFAULT, changes: ChangeLog | None = None,
           ) -> dict[str, Any]:
    """The export of ``playbook``, which must already be scoped to ``audience``, with its recent
    changes (those in the mark window) when the history is known."""
    freshness = assess_all(playbook, today)
    records = []
    for name in playbook.collections:
        for record in playbook.in_collection(name):
            fresh = freshness[record.key]
            records.append({
                "collection": name,
                "id": record.id,
                "title": record.title,
                "page": playbook.url(record),
                "owner": _plain(record.get("owner")),
                "last_reviewed": fresh.last_reviewed.isoformat(),
                "due": fresh.due.isoformat(),
                "status": fresh.status,
                "data": _plain(record.data),
            })
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generated": today.isoformat(),
        "audience": audience,
        "collections": [
            {"name": c.name, "title": c.title, "singular": c.singular, "description": c.description or ""}
            for c in playbook.collections.values()
        ],
        "records": records,
    }
    if changes is not None and changes.available:
        start = today - timedelta(days=changes.window - 1)
        recent = changes.between(start, today)
        data["changes"] = records_json(changes, recent[:EXPORT_LIMIT])
        if len(recent) > EXPORT_LIMIT:
            data["changes_omitted"] = len(recent) - EXPORT_LIMIT
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
