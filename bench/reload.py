"""Edit → reloaded page: a real ``serve`` per builder on 127.0.0.1, one edit, and the time until
the changed page is served with the new text.

- ``mkdocs`` and ``properdocs``: ``mkdocs serve`` / ``properdocs serve`` with the playbook plugin,
  which watches ``content/``. A record edit takes the plugin's reload in place
  (:mod:`generator.site.reload`); an edit of a hand-written page in ``docs/`` takes the full rebuild
  (every page loaded, rendered and written), measured in the same run for the ratio.
- ``zensical``: ``zensical serve`` of the project ``playbook build --out`` writes, with ``playbook
  build --out --watch`` beside it (Zensical runs no plugin): a record edit is built again from the
  previous tree and only the changed files are written, which ``zensical serve`` picks up; the
  hand-written page is edited in the project, so only Zensical's own rebuild is timed.

The clock starts just before the file is written and stops when an HTTP GET of the page first
returns the new text (polled every 20 ms). Edits alternate (record, page, record, ...).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TIMEOUT = 600  # a first build at 1,000 records takes a minute or two on a busy machine
BUILDERS = ("mkdocs", "properdocs", "zensical")
PAGE = "how-we-work.md"  # the hand-written page of the bench playbook (docs/)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # 127.0.0.1 only
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _until(url: str, text: str, deadline: float) -> float:
    """Poll ``url`` until it shows ``text``; the moment it did."""
    while time.monotonic() < deadline:
        body = _get(url)
        if body is not None and text in body:
            return time.monotonic()
        time.sleep(0.02)
    raise SystemExit(f"{url} never showed {text!r}")


def _record(root: Path) -> tuple[Path, str]:
    """The record edited (the first competitor) and its page's address."""
    path = sorted((root / "content" / "competitors").glob("*.yaml"))[0]
    return path, f"competitors/{path.stem}/"


def _edit(path: Path, marker: str, old: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, f"{old}{marker} ", 1), encoding="utf-8")


def _project(root: Path, out: Path, today: str) -> None:
    done = subprocess.run([str(BIN / "playbook"), "build", "--root", str(root), "--out", str(out),
                           "--today", today], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"playbook build --out failed:\n{done.stdout}{done.stderr}")


def measure(builder: str, root: Path, work: Path, today: str, times: int = 3) -> dict[str, Any]:
    """Start ``builder``'s serve, wait until it serves the home page, then ``times`` record edits
    and ``times`` hand-written page edits, alternately; the seconds from each edit to the page."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "PLAYBOOK_TODAY": today, "PYTHONUNBUFFERED": "1"}
    project = work / f"reload-{builder}-project"
    record, record_url = _record(root)
    if builder == "zensical":
        _project(root, project, today)
        command = [str(BIN / "zensical"), "serve", "-a", f"127.0.0.1:{port}"]
        cwd, page = project, project / "docs"
    else:
        command = [str(BIN / builder), "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
        cwd, page = root, root / "docs"
    log = (work / f"reload-{builder}.log").open("w")
    originals = {p: p.read_bytes() for p in (record, page / PAGE)}
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    watcher = None
    if builder == "zensical":  # `make serve BUILDER=zensical`: the project follows content/ by itself
        watching = [str(BIN / "playbook"), "build", "--root", str(root), "--out", str(project),
                    "--today", today, "--watch"]
        watcher = subprocess.Popen(watching, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    watchdog = threading.Timer(TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
    watchdog.start()
    result: dict[str, Any] = {"record": [], "page": []}
    try:
        start = time.monotonic()
        _until(base + record_url, "<title>", start + TIMEOUT)
        result["first_seconds"] = time.monotonic() - start
        time.sleep(2.0)  # the watcher settles after the first build
        for n in range(times):
            marker = f"Reload probe {n}."
            start = time.monotonic()
            _edit(record, marker, "summary: ")
            result["record"].append(_until(base + record_url, marker, start + TIMEOUT) - start)
            time.sleep(1.0)
            start = time.monotonic()
            _edit(page / PAGE, marker, "\n\n")
            page_url = base + PAGE.removesuffix(".md") + "/"
            result["page"].append(_until(page_url, marker, start + TIMEOUT) - start)
            time.sleep(1.0)
    finally:
        watchdog.cancel()
        if watcher is not None:
            os.killpg(watcher.pid, signal.SIGINT)
            watcher.wait(timeout=20)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        for path, data in originals.items():
            path.write_bytes(data)
    ratios = [r / p for r, p in zip(result["record"], result["page"], strict=True)]
    result["record_seconds"] = sorted(result["record"])[len(result["record"]) // 2]
    result["page_seconds"] = sorted(result["page"])[len(result["page"]) // 2]
    result["record_over_page"] = sorted(ratios)[len(ratios) // 2]
    result["log_tail"] = (work / f"reload-{builder}.log").read_text(errors="replace").splitlines()[-5:]
    return result


def table(results: dict[int, dict[str, Any]]) -> str:
    head = ("records", "builder", "first build s", "record edit → page s",
            "full rebuild (docs/ edit) → page s", "ratio")
    rows = [head]
    for n, r in results.items():
        for builder, m in (r.get("reload") or {}).items():
            rows.append((f"{n:,}", builder, f"{m['first_seconds']:.1f}", f"{m['record_seconds']:.2f}",
                         f"{m['page_seconds']:.2f}", f"{m['record_over_page']:.2f}x"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(lines)
