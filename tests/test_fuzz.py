"""Fuzzing content, pages and schemas (issue 13, "Done when"): a fixed seed, a few hundred mutated
copies of the ``audience`` fixture; for each, ``check`` and the partner and public builds must end
in located problems or a clean build, never a traceback, and what those audiences may not see
must never reach their Markdown tree or their ``playbook.json``.

Each case mutates one or two files of one working copy, runs, and puts the files back. The
mutations: control, zero-width, bidi and YAML-special characters inserted; bytes flipped; files
truncated; lines duplicated, dropped or re-indented; values replaced with junk; bytes that are
not UTF-8; malformed annotations (``x-playbook``, ``x-ref``, ``x-audience``, ``x-drift``,
misspelt keys) and self-recursive ``$ref`` in schemas; schema files that are folders. Line
endings (CR, NEL, LS, PS) with a ``#`` in the text have a test of their own.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import traceback
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.content.schemawalk import subschemas
from generator.core.problems import PlaybookError, format_text
from generator.site import export
from generator.site.site import generate

from .conftest import FIXTURES

# Each case checks the whole fixture and builds its full site tree for an audience: a full-site build
# many times over, so the fuzz runs in make test and stays out of make test-fast.
pytestmark = pytest.mark.site

SEED = 13
CASES = 240
LINE_ENDING_CASES = 60
TODAY = date(2026, 4, 1)
# Text only ``internal`` may see in the audience fixture (see tests/test_audience.py).
SECRETS = ("SECRETSTAGETITLE", "SECRETSTAGEDEFINITION", "secretstage", "SECRETRIVALTITLE",
           "SECRETRIVALPOSITIONING", "secretrival", "SECRETPRICING", "SECRETPHONE", "SECRETDOCS")
INSERTS = ["\x00", "\x01", "\x07", "\x1b", "\x1b[2J", "\x7f", "\u200b", "\u200c", "\u200d", "\u2060",
           "\ufeff", "\u202e", "\u2066", "\u00a0", "\t", " #x", "#", ":", ": ", "'", '"', "{", "}", "[",
           "]", "&a ", "*a", "!tag ", "- ", "|", ">", "%", "@", "`", "\\", "<script>", "{{ 7*7 }}", "{% x %}"]
JUNK_VALUES = ["", "null", "~", "[]", "{}", "[a, b]", "{a: 1}", "2026-02-30", "0", "-1", "1.10", "yes",
               "'\x1b[31mred'", '"\\u202e\\u0000"', "\u200bzero", "x" * 3000, "|\n  block", "index",
               "../../etc/passwd", "<img src=x onerror=alert(1)>", "{{ config }}"]
JUNK_ANNOTATIONS: list[Any] = [5, -1, 0, 1.5, True, False, None, "", "abc", "Internal", "internl", " internal",
                               ["internal"], [], {}, {"a": 1}, [1, 2], "x" * 300, "\x1b[31m", "\u202e",
                               {"field": 1}, [{"title": "x"}], [{"field": "nope"}], ["people", 5], "People"]
ANNOTATION_KEYS = ["x-playbook", "x-ref", "x-audience", "x-drift", "x-error", "x-audiance", "X-audience",
                   "x-Audience", "x-playbok", "x-refs", "audience", "x-audience "]
PLAYBOOK_MEMBERS = ["title", "order", "review_days", "sort", "columns", "glossary", "colums", "Order"]


def _visible(text: str) -> str:
    """Text without invisible and control characters, so that a secret split by one still shows."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))


# ---------------------------------------------------------------------------
# Mutations: each takes the random source and a file's bytes, returns the new bytes


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def insert_chars(rng: random.Random, raw: bytes) -> bytes:
    text = _text(raw)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(INSERTS) + text[at:]
    return text.encode("utf-8")


def flip_byte(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 3)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randint(0, len(raw))]


def shuffle_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = _text(raw).split("\n")
    i = rng.randrange(len(lines))
    kind = rng.choice(["dup", "drop", "indent", "dedent", "swap"])
    if kind == "dup":
        lines.insert(i, lines[i])
    elif kind == "drop" and not lines[i].lstrip().startswith("audience"):
        del lines[i]  # never drops an audience line: that would widen nothing, only narrow
    elif kind == "indent":
        lines[i] = "  " + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i].lstrip()
    elif kind == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines).encode("utf-8")


def junk_value(rng: random.Random, raw: bytes) -> bytes:
    lines = _text(raw).split("\n")
    keyed = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("audience")]
    if not keyed:
        return insert_chars(rng, raw)
    i = rng.choice(keyed)
    key = lines[i].split(": ", 1)[0]
    lines[i] = f"{key}: {rng.choice(JUNK_VALUES)}"
    return "\n".join(lines).encode("utf-8")


def not_utf8(rng: random.Random, raw: bytes) -> bytes:
    at = rng.randint(0, len(raw))
    return raw[:at] + rng.choice([b"\xff", b"\xc3", b"\xe9", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]) + raw[at:]


CONTENT_MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    insert_chars, flip_byte, truncate, shuffle_lines, junk_value, not_utf8,
]


def junk_annotation(rng: random.Random, raw: bytes) -> bytes:
    try:
        schema = json.loads(raw)
    except ValueError:
        return insert_chars(rng, raw)
    nodes = [node for _, node in subschemas(schema)]
    if not nodes:
        return raw
    if rng.random() < 0.35 and isinstance(schema, dict):
        settings = schema.setdefault("x-playbook", {})
        if isinstance(settings, dict):
            settings[rng.choice(PLAYBOOK_MEMBERS)] = rng.choice(JUNK_ANNOTATIONS)
        else:
            schema["x-playbook"] = rng.choice(JUNK_ANNOTATIONS)
    else:
        node = rng.choice(nodes)
        key = rng.choice(ANNOTATION_KEYS)
        node[key] = rng.choice(JUNK_ANNOTATIONS)
    return json.dumps(schema, indent=rng.choice([None, 2])).encode("utf-8")


def self_reference(rng: random.Random, raw: bytes) -> bytes:
    try:
        schema = json.loads(raw)
    except ValueError:
        return raw
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not properties:
        schema = {**schema, "allOf": [{"$ref": "#"}]} if isinstance(schema, dict) else schema
    else:
        name = rng.choice(sorted(properties))
        target = rng.choice([f"#/properties/{name}", "#", f"#/properties/{name}/allOf/0"])
        properties[name] = {"allOf": [{"$ref": target}]} if target.endswith("/0") else {"$ref": target}
    return json.dumps(schema).encode("utf-8")


SCHEMA_MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    junk_annotation, junk_annotation, junk_annotation, self_reference, flip_byte, truncate, insert_chars,
    not_utf8,
]


def line_endings(rng: random.Random, raw: bytes) -> bytes:
    text = _text(raw)
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if ": " in lines[i] and not lines[i].lstrip().startswith("audience"):
        lines[i] += rng.choice([" #comment", "  # note", " #sales"])
    return rng.choice(["\r", "\x85", "\u2028", "\u2029", "\r\n"]).join(lines).encode("utf-8")


# ---------------------------------------------------------------------------
# Running one case


class Findings:
    def __init__(self) -> None:
        self.cases = 0
        self.clean = 0
        self.refused = 0
        self.failures: list[str] = []


def _files(root: Path) -> dict[str, list[Path]]:
    return {
        "content": sorted(root.glob("content/*/*.yaml")),
        "docs": sorted(root.glob("docs/*.md")),
        "schemas": sorted(root.glob("schemas/*.schema.json")),
    }


def _run_case(root: Path, label: str, findings: Findings, audience: str) -> None:
    findings.cases += 1
    try:
        out = io.StringIO()
        status = main(["check", "--root", str(root)], out)
        text = out.getvalue()
        assert status in (0, 1), f"check exit {status}"
        assert all(c.isprintable() or c == "\n" for c in text), "unprintable output"
        if status == 1:
            findings.refused += 1
            if findings.refused % 4 == 0:  # the build refuses too, with the same problems
                with pytest.raises(PlaybookError) as refused:
                    generate(root, TODAY, audience)
                assert format_text(refused.value.problems) in text
            return
        findings.clean += 1
        tree = generate(root, TODAY, audience)
        written = [*tree.pages.values(), export.dumps(export.export(tree.playbook, TODAY, audience))]
        written += [p.read_bytes().decode("utf-8", errors="replace") for p in tree.hand_written.values()]
        shown = _visible("\n".join(written))
        leaked = [s for s in SECRETS if s in shown]
        assert not leaked, f"{audience} build shows {leaked}"
    except BaseException as exc:  # every failure is a finding, with its traceback
        if isinstance(exc, KeyboardInterrupt):
            raise
        findings.failures.append(f"{label} ({audience}): {type(exc).__name__}: {exc}\n"
                                 f"{traceback.format_exc(limit=-4)}")


def _fuzz(tmp_path: Path, cases: int, seed: int, pick: Callable[[random.Random, dict[str, list[Path]]],
                                                                 list[tuple[Path, Any]]]) -> Findings:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    files = _files(root)
    rng = random.Random(seed)
    findings = Findings()
    for number in range(cases):
        chosen = pick(rng, files)
        originals = {path: path.read_bytes() for path, _ in chosen}
        made_folder: Path | None = None
        labels = []
        for path, mutate in chosen:
            if mutate == "folder":
                made_folder = path.parent / "extra.schema.json"
                made_folder.mkdir()
                labels.append("schemas/extra.schema.json (a folder)")
            else:
                path.write_bytes(mutate(rng, originals[path]))
                labels.append(f"{path.relative_to(root)} ({mutate.__name__})")
        audience = ("partner", "public")[number % 2]
        _run_case(root, f"case {number}: {', '.join(labels)}", findings, audience)
        for path, raw in originals.items():
            path.write_bytes(raw)
        if made_folder is not None:
            made_folder.rmdir()
    return findings


def _pick_any(rng: random.Random, files: dict[str, list[Path]]) -> list[tuple[Path, Any]]:
    chosen: list[tuple[Path, Any]] = []
    for _ in range(rng.choice([1, 1, 2])):
        kind = rng.choices(["content", "docs", "schemas", "folder"], weights=[5, 1, 4, 0.3])[0]
        if kind == "folder":
            chosen.append((files["schemas"][0], "folder"))
        else:
            mutations = SCHEMA_MUTATIONS if kind == "schemas" else CONTENT_MUTATIONS
            path = rng.choice(files[kind])
            if all(path != p for p, _ in chosen):
                chosen.append((path, rng.choice(mutations)))
    return chosen


def _pick_line_endings(rng: random.Random, files: dict[str, list[Path]]) -> list[tuple[Path, Any]]:
    return [(rng.choice(files["content"]), line_endings)]


def _report(findings: Findings) -> str:
    return (f"{findings.cases} cases (seed {SEED}): {findings.clean} clean builds, {findings.refused} refused "
            f"with located problems, {len(findings.failures)} failures\n\n" + "\n".join(findings.failures[:5]))


def test_fuzz_content_pages_and_schemas(tmp_path: Path) -> None:
    findings = _fuzz(tmp_path, CASES, SEED, _pick_any)
    assert findings.failures == [], _report(findings)
    assert findings.clean > 20 and findings.refused > 100  # the mutations reach both outcomes


def test_fuzz_line_endings(tmp_path: Path) -> None:
    findings = _fuzz(tmp_path, LINE_ENDING_CASES, SEED, _pick_line_endings)
    assert findings.failures == [], _report(findings)
