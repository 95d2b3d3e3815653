"""The form editor's first load (``/admin/``, Decap CMS): bytes sent and time to the first editable form.

A synthetic playbook of ``BENCH_ADMIN_RECORDS`` records (default 1,000; ``bench/synth.py``) gets
the ``/admin/`` files an internal build writes (:func:`generator.site.cms.site_files`), its records
are served by the local backend (``decap-server`` on 127.0.0.1) and a fresh headless Chromium
(no cache) opens one record in the form, signs in and waits until its first field can be typed
in. Measured: the bytes of every response (bundle, chunks, configuration, the backend's answers),
the configuration's size (a choice of records grows with them), and the wall-clock time from
navigation to the editable form. Run alone with ``python -m bench.admin``; ``make bench`` runs it
unless ``BENCH_ADMIN=0``. Needs ``make node`` and Debian's chromium; skipped (with the reason)
without them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("decap-server did not start") from None
            time.sleep(0.1)


@contextmanager
def _backend(root: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([shutil.which("node") or "node", str(SERVER)], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def _static(site: Path) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
               "--directory", str(site)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def missing() -> str | None:
    """Why the editor cannot be measured here, or None."""
    if not (NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js").is_file() or not SERVER.is_file():
        return "Decap CMS is not installed (make node)"
    if not shutil.which("node"):
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed"
    return None


def first_load(root: Path, site: Path) -> dict[str, Any]:
    """Open one record of ``root`` in the editor served from ``site``; what it cost."""
    from playwright.sync_api import sync_playwright

    from generator.rules.project import load_playbook
    from generator.site import cms

    playbook, problems = load_playbook(root)
    if problems:
        raise RuntimeError(f"the bench playbook has problems: {problems[0]}")
    collection = max(playbook.collections, key=lambda c: len(playbook.in_collection(c)))
    record = playbook.in_collection(collection)[0]
    with _backend(root) as api, _static(site) as base:
        for path, content in cms.site_files(playbook, root, local_backend=api).items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(content if isinstance(content, bytes) else content.read_bytes())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                sizes: list[tuple[str, int]] = []
                page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])))
                start = time.perf_counter()
                page.goto(f"{base}admin/#/collections/{collection}/entries/{record.id}")
                page.get_by_role("button", name="Login").click(timeout=120_000)
                signed_in = time.perf_counter()
                page.get_by_label("Title", exact=True).wait_for(timeout=120_000)
                editable = time.perf_counter()
            finally:
                browser.close()
    offsite = [u for u, _ in sizes if not u.startswith(("http://127.0.0.1", "data:"))]
    return {
        "records": len(playbook.records), "collection": collection,
        "requests": len(sizes), "bytes": sum(s for _, s in sizes),
        "api_bytes": sum(s for u, s in sizes if u.startswith(api)),
        "config_bytes": (site / cms.CONFIG).stat().st_size,
        "bundle_bytes": (site / cms.ADMIN / cms.BUNDLE).stat().st_size,
        "seconds_to_sign_in": signed_in - start, "seconds_to_editable_form": editable - start,
        "offsite_requests": offsite,
    }


def bench_admin(work: Path, records: int | None = None) -> dict[str, Any]:
    """The measurement on a fresh synthetic playbook in ``work`` (or why it was skipped)."""
    reason = missing()
    if reason:
        return {"skipped": reason}
    from bench.synth import write_playbook

    n = records or int(os.environ.get("BENCH_ADMIN_RECORDS", "1000"))
    root = work / f"admin-{n}"
    write_playbook(root, n)
    (root / "node_modules").symlink_to(NODE_MODULES)
    print(f"admin: first load of the form editor at {n:,} records", flush=True)
    return first_load(root, work / f"admin-{n}-site")


def summary(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"Form editor first load: skipped ({result['skipped']})"
    r = result
    return (f"Form editor first load at {r['records']:,} records: {r['bytes'] / 1e6:.2f} MB in "
            f"{r['requests']} requests (bundle {r['bundle_bytes'] / 1e6:.2f} MB, configuration "
            f"{r['config_bytes'] / 1e3:.0f} KB, backend {r['api_bytes'] / 1e3:.0f} KB); sign-in shown after "
            f"{r['seconds_to_sign_in']:.1f} s, first editable form after "
            f"{r['seconds_to_editable_form']:.1f} s; "
            f"requests off 127.0.0.1: {len(r['offsite_requests'])}")


def main() -> int:
    sys.path.insert(0, str(REPO))
    work = Path(tempfile.mkdtemp(prefix="playbook-bench-admin-"))
    try:
        result = bench_admin(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    print(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
