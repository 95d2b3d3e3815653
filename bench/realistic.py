"""A realistic large playbook: a real playbook replicated, copy after copy, until it has N records.

Each copy keeps every file exactly as written (its layout, long texts, audiences and
confidential fields) except that record ids get a suffix (``mql`` -> ``mql-c7``), every
reference is rewritten to the same copy's record, and titles get the copy's number, so
that the result validates exactly as the source does and each record is distinct. Copy 0
is the source itself. Edits are made in the YAML text at the places the loader locates
(never by re-dumping the data), so block scalars, quoting and comments stay as the
authors wrote them.

Used by ``make bench`` (the starter playbook in ``content/`` to ~10,000 records) and by
the tests (a fixture playbook times five).
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.content.loader import Document, load_yaml
from generator.content.schemas import Collection, load_schemas, record_refs

COPIED = ("schemas", "templates", "docs", "mkdocs.yml")


@dataclass(frozen=True)
class Source:
    collection: str
    id: str
    text: str
    doc: Document


def copies_for(records: int, source_records: int) -> int:
    """How many copies of a playbook of ``source_records`` make about ``records`` records."""
    return max(1, math.ceil(records / source_records))


def copy_id(record_id: str, copy: int) -> str:
    return record_id if copy == 0 else f"{record_id}-c{copy}"


def _offsets(text: str) -> list[int]:
    """The offset of the start of each line (0-based line index), as the loader counts lines."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _scalar_end(text: str, start: int, value: str) -> int:
    """Where the scalar ``value`` written at ``start`` ends (just after its last character of
    text, before a closing quote)."""
    if text.startswith(value, start):
        return start + len(value)
    if text[start] in "'\"" and text.startswith(value, start + 1):
        return start + 1 + len(value)
    raise ValueError(f"cannot find {value!r} written at offset {start}")


def _edits(source: Source, collection: Collection, copy: int) -> list[tuple[int, str]]:
    """(offset, text to insert) for one copy of one record."""
    starts = _offsets(source.text)

    def at(path: tuple[str | int, ...]) -> int:
        line, column = source.doc.marks[path]
        return starts[line - 1] + column - 1

    suffix = copy_id("", copy)
    edits = [(_scalar_end(source.text, at(site.path), site.value), suffix)
             for site in record_refs(collection, source.doc.data)]
    title = source.doc.data.get("title")
    if isinstance(title, str) and ("title",) in source.doc.marks:
        edits.append((_scalar_end(source.text, at(("title",)), title), f" {copy}"))
    return edits


def _apply(text: str, edits: list[tuple[int, str]]) -> str:
    for offset, insert in sorted(edits, reverse=True):
        text = text[:offset] + insert + text[offset:]
    return text


def read_sources(root: Path) -> tuple[dict[str, Collection], list[Source]]:
    collections, problems = load_schemas(root)
    if problems:
        raise ValueError("the source playbook's schemas have problems:\n" + "\n".join(map(str, problems)))
    sources = []
    for path in sorted((root / "content").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        sources.append(Source(path.parent.name, path.stem, text, load_yaml(text.encode("utf-8"))))
    return collections, sources


def replicate(source: Path, dest: Path, copies: int) -> int:
    """Write ``copies`` copies of the playbook at ``source`` into ``dest`` (one playbook);
    return the number of records written."""
    collections, sources = read_sources(source)
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, dirs_exist_ok=True)
        elif (source / name).is_file():
            shutil.copy(source / name, dest / name)
    ids = {(s.collection, s.id) for s in sources}
    written = 0
    for item in sources:
        folder = dest / "content" / item.collection
        folder.mkdir(parents=True, exist_ok=True)
        for copy in range(copies):
            new_id = copy_id(item.id, copy)
            if copy and (item.collection, new_id) in ids:
                raise ValueError(f"copy id {new_id} clashes with a record of the source")
            edits = _edits(item, collections[item.collection], copy) if copy else []
            text = _apply(item.text, edits)
            (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
            written += 1
    return written


def write_playbook(root: Path, records: int, source: Path) -> dict[str, int]:
    """The bench's realistic playbook: ``source`` replicated to about ``records`` records."""
    _, sources = read_sources(source)
    copies = copies_for(records, len(sources))
    written = replicate(source, root, copies)
    return {"copies": copies, "records": written}


if __name__ == "__main__":  # pragma: no cover - a manual aid: python -m bench.realistic SRC DEST N
    import sys

    print(json.dumps(write_playbook(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[1]))))
