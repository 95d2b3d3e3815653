"""History at scale (issue 24 item 10), outside `make bench`'s main run:

- a bulk re-id, one commit replacing N records by N others (``_pair_renames`` alone, then
  ``read_history`` cold), for each N of ``BENCH_REID`` (default 1000,2000,5000);
- one week holding 10,000 changes: the size of the What changed page and of playbook.json.

Run: ``.venv/bin/python -m bench.history_scale``. Report ratios from one run, not seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from generator.history import changelog, diff
from generator.history.history import Entry, History, RecordChange, View, read_history
from generator.site import export, site

FIXTURE = Path(__file__).parent.parent / "tests" / "fixtures" / "audience"
ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "b@example.com", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def _record(number: int, sold: str = "to") -> str:
    return (f"title: Rival number {number}\nowner: sales\nlast_reviewed: 2026-03-01\naudience: partner\n"
            f"positioning: Positioning of rival {number}, sold {sold} distributors.\nstages: [mql]\n")


def reid(records: int, work: Path) -> dict[str, float]:
    root = work / f"reid-{records}"
    shutil.copytree(FIXTURE, root)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, env=ENV, capture_output=True)

    folder = root / "content/competitors"
    for number in range(records):
        (folder / f"comp-{number}.yaml").write_text(_record(number), encoding="utf-8")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "import")
    for number in range(records):
        (folder / f"comp-{number}.yaml").unlink()
        (folder / f"rival-{number}.yaml").write_text(_record(number), encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "re-id")
    removed = {f"content/competitors/comp-{n}.yaml": _record(n).encode() for n in range(records)}
    added = {f"content/competitors/rival-{n}.yaml": _record(n, "by").encode() for n in range(records)}
    start = time.perf_counter()
    pairs = diff._pair_renames(removed, added)
    pairing = time.perf_counter() - start
    assert len(pairs) == records
    start = time.perf_counter()
    history = read_history(root, cache=False)
    cold = time.perf_counter() - start
    renamed = sum(1 for c in history.entries[-1].changes if c.views["internal"].kind == "renamed")
    assert renamed == records, renamed
    return {"pairing_s": round(pairing, 2), "read_history_s": round(cold, 1)}


def busy_week(work: Path, changes: int = 10_000) -> dict[str, float]:
    root = work / "week"
    shutil.copytree(FIXTURE, root)
    entries = []
    for number in range(changes):
        line = f"**Definition**: “old {number}” → “new {number}”"
        view = View("changed", "Marketing qualified lead", (line,))
        change = RecordChange("stages", "mql", "mql", "mql", "partner", "partner", "revops",
                              {"internal": view})
        when = f"2026-03-{16 + number % 5:02d}T{number % 24:02d}:{number % 60:02d}:00+00:00"
        entries.append(Entry(f"{number:040x}", "Bench", when, f"Change {number}", changes=(change,)))
    entries.sort(key=lambda e: e.when)
    original = site.read_history
    site.read_history = lambda _root: History(True, entries=entries, head="0" * 40)  # type: ignore[assignment]
    try:
        tree = site.generate(root, date(2026, 3, 21), "internal", site.Options(site_url="https://x.example/"))
    finally:
        site.read_history = original  # type: ignore[assignment]
    data = export.dumps(export.export(tree.playbook, date(2026, 3, 21), "internal", tree.changes))
    return {"changes": changes, "page_mb": round(len(tree.pages[changelog.PAGE].encode()) / 1e6, 2),
            "playbook_json_mb": round(len(data.encode()) / 1e6, 2)}


def main() -> None:
    sizes = [int(n) for n in os.environ.get("BENCH_REID", "1000,2000,5000").split(",")]
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as tmp:
        for records in sizes:
            print(f"bulk re-id of {records:,} records: {reid(records, Path(tmp))}", flush=True)
        print(f"one week of changes: {busy_week(Path(tmp))}", flush=True)


if __name__ == "__main__":
    main()
