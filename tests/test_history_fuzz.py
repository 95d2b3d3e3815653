"""Fuzzing the change history (issue 21 item 4): a fixed seed; each case takes the scripted history
of every kind of mark (tests/history_repo.py, ``marks_repo``), commits one mutated file (junk,
control characters, dropped, duplicated or re-indented lines, flipped bytes, a mark removed, or,
in three cases of ten, a valid commit widening every mark of the file),
then commits its revert, so that today's playbook is the original again. ``playbook changes``
and ``playbook export`` for partner and public must never end in a traceback, and, as
everything in HIDDEN is hidden today, none of it may appear, whatever the mutated commit showed.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.history_repo import HIDDEN_FROM_PARTNER, HIDDEN_FROM_PUBLIC, commit, marks_repo

pytestmark = pytest.mark.site  # many history walks: out of make test-fast

SEED = 21
CASES = 40
HIDDEN = {"partner": HIDDEN_FROM_PARTNER, "public": HIDDEN_FROM_PUBLIC}
INSERTS = ["\x00", "\x1b[2J", "\u202e", "\ufffe", "\x1e", "\x1f", ": ", "- ", "'", "{", "*a", "&a ", "#",
           "audience: public\n", "audience: partner\n", "<script>", "\u2028"]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = marks_repo(tmp_path_factory.mktemp("fuzz"))
    assert main(["changes", "--root", str(root), "--today", "2026-04-30"], io.StringIO()) == 0  # warm the cache
    return root


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True) or [""]
    at = rng.randrange(len(lines))
    choice = rng.randrange(10)
    if choice >= 7:  # still valid, and widening: what the commit shows must still be hidden now
        widened = text.replace('"x-audience": "internal"', '"x-audience": "partner"')
        if widened == text and text.startswith("title:") and "audience:" not in text:
            widened = text.replace("\n", "\naudience: partner\n", 1)
        return widened
    if choice == 0:
        lines.insert(at, rng.choice(INSERTS))
    elif choice == 1:
        line = lines[at]
        cut = rng.randrange(len(line) + 1)
        lines[at] = line[:cut] + rng.choice(INSERTS) + line[cut:]
    elif choice == 2:
        del lines[at]
    elif choice == 3:
        lines.insert(at, lines[at])
    elif choice == 4:
        lines[at] = "  " + lines[at]
    elif choice == 5:
        lines = [line for line in lines if "x-audience" not in line and "audience:" not in line]
    else:
        lines[at] = lines[at].replace(lines[at].strip()[:1] or "x", rng.choice(INSERTS), 1)
    return "".join(lines)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


@pytest.mark.parametrize("case", range(CASES))
def test_a_mutated_commit_and_its_revert_never_break_or_leak(original: Path, tmp_path: Path, case: int) -> None:
    rng = random.Random(SEED * 1000 + case)
    root = tmp_path / "repo"
    shutil.copytree(original, root, symlinks=True)
    files = sorted(p for p in (*root.glob("content/*/*.yaml"), *root.glob("schemas/*.json")))
    target = rng.choice(files)
    before = target.read_bytes()
    if rng.random() < 0.2:
        data = bytearray(before)
        data[rng.randrange(len(data))] = rng.randrange(128, 256)
        target.write_bytes(bytes(data))
    else:
        target.write_text(mutate(before.decode("utf-8"), rng), encoding="utf-8", newline="")
    if target.read_bytes() == before:  # a mutation that changed nothing: make it change something
        target.write_bytes(before + b"\x1b\n")
    commit(root, f"Mutation {case}", "2026-04-25T10:00:00+00:00")
    target.write_bytes(before)
    commit(root, f"Revert of mutation {case}", "2026-04-26T10:00:00+00:00")
    assert subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True,
                          text=True).stdout == ""
    for audience, hidden in HIDDEN.items():
        for argv in (("changes", "--format", "json"), ("changes",), ("export", "--out", "-")):
            status, out = run(*argv, "--root", str(root), "--audience", audience, "--today", "2026-04-30")
            assert status == 0, (target.name, argv, out)
            assert [s for s in hidden if s in out] == [], (target.name, argv)
