"""``make bench``: what the product costs as a playbook grows.

Two scenarios, each at several sizes:

- **synthetic** (``BENCH_SIZES``, default 100,1000,10000): a generated playbook
  (:mod:`bench.synth`) in which every step is measured;
- **realistic** (``BENCH_REALISTIC_SIZES``, default 1000,10000): the starter playbook in
  ``content/`` replicated to about N records (:mod:`bench.realistic`: its audiences, long texts
  and references included), for ``check`` and the loader only.

Steps:

- ``parse``: the bare parse of the YAML files: PyYAML's C loader composing the node tree
  (``yaml.compose`` with ``CSafeLoader``, line marks included), the floor of check;
- ``load``: the same files through the generator's loader (``generator.content.loader.load_yaml``);
- ``check``: ``playbook check`` (the CLI's own entry point);
- ``render``: loading and rendering every page (``generator.site.site.generate``);
- ``build``: a full ``mkdocs build`` of the generated site, and inside it the generator's time;
- ``floor``: ``mkdocs build`` of the already-rendered Markdown tree (same nav, no plugin);
- ``reload``: edit → reloaded page, for each builder (``mkdocs``, ``properdocs``, ``zensical``):
  a real ``serve`` on 127.0.0.1, one record edited, and the time until the changed page is
  served with the new text; beside it, in the same run, an edit of a hand-written page (the
  full rebuild) and the ratio of the two (:mod:`bench.reload`);
- ``incremental``: the same one-record edit through the generator alone, in-process: a
  rebuild that reuses the pages the edit cannot reach (``generate(previous=...)``), against a
  cold one;
- ``builders``: ``playbook build --out`` once, then a plain ``mkdocs build`` and a cold
  ``zensical build`` of that project, alternately (wall and CPU time, the builder's peak memory,
  HTML per page; the ratios are medians of each pair's).

Then the form editor's first load at 1,000 records (:mod:`bench.admin`; ``BENCH_ADMIN=0`` skips it).

Each measurement runs in its own child process, so peak memory (``ru_maxrss``) is that
step's alone; quick steps are repeated (``BENCH_REPEAT``, default 3) and the median kept.
``check`` and ``load`` run alternately with ``parse``, and their ratio to it is the median of
the ratios of each pair, in processor time (the machine is shared: wall-clock seconds are
kept too). Linearity is the time per record at the largest size over that at the smallest.
Full site builds and serve are skipped above ``BENCH_BUILD_MAX`` records (default 1000:
at 10,000 a build takes minutes on two cores). Prints tables and writes
``bench/results.json``: absolute seconds and the ratios the targets are stated in.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from bench import reload  # noqa: E402 (the repository on the path first)

REPO = HERE.parent
TODAY = "2026-11-23"


# ---------------------------------------------------------------------------
# Steps: each runs in a child process and prints one JSON object


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _spent(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"seconds": wall - start[0], "cpu_seconds": cpu - start[1]}


def step_parse(root: Path, _: Path) -> dict[str, Any]:
    import yaml

    start = _clock()
    count = 0
    for path in sorted((root / "content").glob("*/*.yaml")):
        yaml.compose(path.read_bytes(), Loader=yaml.CSafeLoader)
        count += 1
    return {**_spent(start), "files": count}


def step_load(root: Path, _: Path) -> dict[str, Any]:
    from generator.content.loader import load_yaml
    from generator.rules.project import fewer_gc_passes

    start = _clock()
    with fewer_gc_passes():
        docs = [load_yaml(path.read_bytes()) for path in sorted((root / "content").glob("*/*.yaml"))]
    return {**_spent(start), "files": len(docs)}


def step_check(root: Path, _: Path) -> dict[str, Any]:
    from generator import cli

    out = io.StringIO()
    start = _clock()
    code = cli.main(["check", "--root", str(root)], out=out)
    spent = _spent(start)
    if code != 0:
        raise SystemExit(f"playbook check failed:\n{out.getvalue()}")
    return spent


def step_render(root: Path, out: Path) -> dict[str, Any]:
    from datetime import date

    from generator.rules.project import load_playbook
    from generator.site.render import render_pages
    from generator.site.site import EXTRA_PAGES, generate, write_tree

    start = time.perf_counter()
    playbook, _ = load_playbook(root)
    loaded = time.perf_counter()
    pages = render_pages(playbook, date.fromisoformat(TODAY), dict(EXTRA_PAGES))
    rendered = time.perf_counter()
    tree = generate(root, date.fromisoformat(TODAY))
    write_tree(tree, root, out)  # the Markdown tree for the floor build (not timed)
    return {"seconds": rendered - loaded, "load_seconds": loaded - start, "pages": len(pages),
            "markdown_bytes": sum(len(t.encode()) for t in pages.values())}


def _mkdocs_build(config: Path, site: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config), site_dir=str(site))
    cfg.plugins.on_startup(command="build", dirty=False)
    start = time.perf_counter()
    build(cfg)
    seconds = time.perf_counter() - start
    cfg.plugins.on_shutdown()
    return seconds


def _site_pages(site: Path) -> tuple[int, int]:
    pages = [p for p in site.rglob("index.html")]
    return len(pages), sum(p.stat().st_size for p in pages)


def _timed(function: Any, spent: list[float]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    return timed


def step_build(root: Path, out: Path) -> dict[str, Any]:
    """The full build; the generator's time is all the time spent in the playbook plugin's
    hooks (loading, validating and rendering in ``on_config``, files, nav, page titles)."""
    import generator.site.plugin as plugin

    generate: list[float] = []
    hooks: list[float] = []
    plugin.generate = _timed(plugin.generate, generate)
    for name in [n for n in vars(plugin.PlaybookPlugin) if n.startswith("on_")]:
        setattr(plugin.PlaybookPlugin, name, _timed(getattr(plugin.PlaybookPlugin, name), hooks))
    seconds = _mkdocs_build(root / "mkdocs.yml", out)
    pages, html = _site_pages(out)
    return {"seconds": seconds, "generator_seconds": sum(hooks), "generate_seconds": sum(generate),
            "html_pages": pages, "html_bytes": html}


def step_floor(root: Path, out: Path) -> dict[str, Any]:
    seconds = _mkdocs_build(root / "mkdocs-floor.yml", out)
    pages, html = _site_pages(out)
    return {"seconds": seconds, "html_pages": pages, "html_bytes": html}


def step_incremental(root: Path, _: Path) -> dict[str, Any]:
    from datetime import date

    from generator.site.site import generate

    today = date.fromisoformat(TODAY)
    start = time.perf_counter()
    before = generate(root, today)
    cold = time.perf_counter() - start
    edited = _edit_one(root)
    start = time.perf_counter()
    tree = generate(root, today, previous=before)
    warm = time.perf_counter() - start
    changed = sum(1 for path, text in tree.pages.items() if before.pages.get(path) != text)
    rendered = sum(1 for path, text in tree.pages.items() if text is not before.pages.get(path))
    _edit_one(root, undo=edited)
    return {"seconds": warm, "cold_seconds": cold, "rendered": rendered,
            "changed": changed, "pages": len(tree.pages)}


STEPS = {"parse": step_parse, "load": step_load, "check": step_check, "render": step_render,
         "build": step_build, "floor": step_floor, "incremental": step_incremental}


# ---------------------------------------------------------------------------
# The change history: 2,000 commits over 1,000 records (generator/history/history.py)

HISTORY_RECORDS = 1000
HISTORY_COMMITS = 2000
HISTORY_MORE = 20  # commits added before the incremental read


def _history_stream(root: Path, start: int, count: int, first: bool) -> bytes:
    """A ``git fast-import`` stream of ``count`` commits, each changing one record: mostly a
    field, some review-only bumps, an added record every 50th and a rename every 125th."""
    import random

    rng = random.Random(start)
    files = sorted(p.relative_to(root).as_posix() for p in (root / "content").glob("*/*.yaml"))
    out = io.BytesIO()

    def data(text: bytes) -> None:
        out.write(b"data %d\n" % len(text) + text + b"\n")

    for number in range(start, start + count):
        when = 1767225600 + number * 3600  # 2026-01-01 plus an hour a commit
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@example.com> %d +0000\n" % when)
        data(f"Change {number}".encode())
        if number == start and not first:
            out.write(b"from refs/heads/main^0\n")
        if number == 0 and first:
            everything = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                                if p.is_file() and ".git" not in p.relative_to(root).parts)
            for rel in everything:
                out.write(f"M 100644 inline {rel}\n".encode())
                data((root / rel).read_bytes())
        elif number % 125 == 0:
            old = rng.choice([f for f in files if "/competitors/" in f])
            new = old.replace(".yaml", f"-r{number}.yaml")
            out.write(f"R {old} {new}\n".encode())
            files[files.index(old)] = new
            (root / old).rename(root / new)
        elif number % 50 == 0:
            source = rng.choice([f for f in files if "/personas/" in f])
            new = source.replace(".yaml", f"-n{number}.yaml")
            out.write(f"M 100644 inline {new}\n".encode())
            (root / new).write_bytes((root / source).read_bytes())
            data((root / new).read_bytes())
            files.append(new)
        else:
            rel = rng.choice(files)
            path = root / rel
            text = path.read_text(encoding="utf-8")
            if number % 5 == 0:
                day = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"
                text = re.sub(r"(?m)^last_reviewed: .*$", f"last_reviewed: {day}", text)
            else:
                text = text.replace("summary: ", f"summary: Edit {number}. ", 1)
            path.write_text(text, encoding="utf-8")
            out.write(f"M 100644 inline {rel}\n".encode())
            data(text.encode())
    return out.getvalue()


def write_history(root: Path, start: int, count: int) -> None:
    first = start == 0
    if first:
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream = _history_stream(root, start, count, first)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=stream, check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)


def step_history(root: Path, _: Path) -> dict[str, Any]:
    from generator.history.history import read_history

    start = time.perf_counter()
    history = read_history(root)
    seconds = time.perf_counter() - start
    if not history.available:
        raise SystemExit(f"history unavailable: {history.reason}")
    changes = sum(len(e.changes) for e in history.entries)
    return {"seconds": seconds, "commits_read": history.read_commits, "entries": len(history.entries),
            "changes": changes}


STEPS["history"] = step_history


def bench_history(work: Path) -> dict[str, Any]:
    """A cold read of 2,000 commits over 1,000 records, a read with nothing new (the cache
    alone), then one after ``HISTORY_MORE`` new commits (only those are summarised)."""
    from bench.synth import write_playbook
    from generator.history.history import cache_path

    root = work / "history"
    write_playbook(root, HISTORY_RECORDS)
    print(f"  history: {HISTORY_COMMITS:,} commits over {HISTORY_RECORDS:,} records ...", flush=True)
    write_history(root, 0, HISTORY_COMMITS)
    cache = cache_path(root)
    cache.unlink(missing_ok=True)
    cold = run_step("history", root, root)
    cached = run_step("history", root, root)
    write_history(root, HISTORY_COMMITS, HISTORY_MORE)
    incremental = run_step("history", root, root)
    return {"records": HISTORY_RECORDS, "commits": HISTORY_COMMITS, "cold": cold, "cached": cached,
            "incremental": incremental, "new_commits": HISTORY_MORE,
            "cache_bytes": cache.stat().st_size if cache.exists() else 0}


# ---------------------------------------------------------------------------
# Builders: Zensical beside MkDocs, over the project `playbook build --out` writes (README "Builders")


def _builder_run(command: list[str], cwd: Path, site: Path) -> dict[str, Any]:
    """Run one builder as its own process; its time, its peak memory, the pages it wrote."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")
    pages, html = _site_pages(site)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "builder_maxrss_mb": usage.ru_maxrss / 1024, "html_pages": pages, "html_bytes": html}


def step_project(root: Path, out: Path) -> dict[str, Any]:
    """`playbook build --out`: the project both builders read (the generator's part)."""
    from generator import cli

    start = time.perf_counter()
    code = cli.main(["build", "--root", str(root), "--out", str(out), "--today", TODAY], out=io.StringIO())
    if code != 0:
        raise SystemExit("playbook build --out failed")
    return {"seconds": time.perf_counter() - start}


def step_zensical(project: Path, _: Path) -> dict[str, Any]:
    """A cold `zensical build` (its cache cleaned) of the project."""
    zensical = Path(sys.executable).with_name("zensical")
    return _builder_run([str(zensical), "build", "--clean"], project, project / "site")


def step_mkdocs_project(project: Path, out: Path) -> dict[str, Any]:
    """`mkdocs build` of the same project: no plugin, the same pages, nav and assets."""
    return _builder_run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out)], project, out)


STEPS.update({"project": step_project, "zensical": step_zensical, "mkdocs_project": step_mkdocs_project})


def bench_builders(n: int, root: Path, work: Path, repeat: int) -> dict[str, Any]:
    """The project written once, then MkDocs and Zensical alternately, ``repeat`` pairs, so that
    both see the same load on a shared machine; the ratios are the medians of each pair's."""
    project = work / f"project-{n}"
    print(f"  {n:,} records: playbook build --out, then mkdocs and zensical builds of it ...", flush=True)
    result: dict[str, Any] = {"project": run_step("project", root, project)}
    runs: dict[str, list[dict[str, Any]]] = {"mkdocs": [], "zensical": []}
    for _ in range(repeat):
        runs["mkdocs"].append(run_step("mkdocs_project", project, work / f"site-project-{n}"))
        runs["zensical"].append(run_step("zensical", project, work))
    for name, found in runs.items():
        best = _median(found)
        best["builder_maxrss_mb"] = max(r["builder_maxrss_mb"] for r in found)
        best["cpu_runs"] = [round(r["cpu_seconds"], 2) for r in found]
        result[name] = best
    pairs = list(zip(runs["mkdocs"], runs["zensical"], strict=True))
    result["zensical_over_mkdocs"] = statistics.median(z["seconds"] / m["seconds"] for m, z in pairs)
    result["zensical_over_mkdocs_cpu"] = statistics.median(
        z["cpu_seconds"] / m["cpu_seconds"] for m, z in pairs)
    return result


def builders_table(results: dict[int, dict[str, Any]]) -> str:
    head = ("records", "build --out s", "mkdocs s", "zensical s", "zensical/mkdocs", "CPU ratio",
            "mkdocs MB", "zensical MB", "mkdocs KB/page", "zensical KB/page", "plugin build s")
    rows = [head]
    for n, r in results.items():
        b = r.get("builders")
        if not b:
            continue
        m, z = b["mkdocs"], b["zensical"]
        rows.append((
            f"{n:,}", f"{b['project']['seconds']:.2f}", f"{m['seconds']:.1f}", f"{z['seconds']:.1f}",
            f"{b['zensical_over_mkdocs']:.2f}x", f"{b['zensical_over_mkdocs_cpu']:.2f}x",
            f"{m['builder_maxrss_mb']:.0f}",
            f"{z['builder_maxrss_mb']:.0f}", f"{m['html_bytes'] / m['html_pages'] / 1024:.1f}",
            f"{z['html_bytes'] / z['html_pages'] / 1024:.1f}",
            f"{r['build']['seconds']:.1f}" if r.get("build") else "-",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(lines)


def _edit_one(root: Path, undo: str | None = None) -> str:
    """Change one competitor's summary (or put it back); return the original text."""
    path = sorted((root / "content" / "competitors").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    if undo is not None:
        path.write_text(undo, encoding="utf-8")
        return text
    path.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    return text


def child(step: str, root: Path, out: Path) -> None:
    sys.path.insert(0, str(REPO))
    result = STEPS[step](root, out)
    result["maxrss_mb"] = _maxrss_mb()
    print(json.dumps(result))


# ---------------------------------------------------------------------------
# The parent: runs the steps, the serve measurement, and reports


def run_step(step: str, root: Path, out: Path) -> dict[str, Any]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--step", step, "--root", str(root), "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench step {step} failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - start
    return result


def repeated(step: str, root: Path, out: Path, times: int) -> dict[str, Any]:
    return _median([run_step(step, root, out) for _ in range(times)])


def paired(
    root: Path, out: Path, times: int, step: str = "check"
) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Bare parse and ``step``, alternately, so that both see the same load on a shared machine;
    the ratio is the median of the ratios of each pair, in processor time."""
    parses, others = [], []
    for _ in range(times):
        parses.append(run_step("parse", root, out))
        others.append(run_step(step, root, out))
    pairs = zip(parses, others, strict=True)
    ratio = statistics.median(c["cpu_seconds"] / p["cpu_seconds"] for p, c in pairs)
    return _median(parses), _median(others), ratio


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = dict(sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2])
    best["runs"] = [round(r["seconds"], 4) for r in runs]
    best["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    return best


def write_floor_config(root: Path, tree: Path) -> None:
    """mkdocs.yml for the rendered Markdown tree: the plugin's nav (collections, not records)."""
    from generator.content.schemas import load_schemas

    collections, _ = load_schemas(root)
    nav = ["  - index.md", "  - how-we-work.md"]
    nav += [f"  - {json.dumps(c.title)}: {c.name}/index.md" for c in collections.values()]
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - playbook:\n      today: \"2026-11-23\"\n", "")
    config += f"docs_dir: {tree}\nnav:\n" + "\n".join(nav) + "\n"
    (root / "mkdocs-floor.yml").write_text(config, encoding="utf-8")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def bench_size(n: int, work: Path, repeat: int, build_max: int) -> dict[str, Any]:
    from bench.synth import write_playbook

    root = work / f"playbook-{n}"
    counts = write_playbook(root, n)
    tree = work / f"markdown-{n}"
    result: dict[str, Any] = {"records": n, "collections": counts,
                              "content_bytes": sum(p.stat().st_size for p in root.glob("content/*/*.yaml"))}
    print(f"  {n:,} records: parse, check ...", flush=True)
    result["parse"], result["check"], result["check_over_parse"] = paired(root, tree, repeat)
    _, result["load"], result["load_over_parse"] = paired(root, tree, repeat, "load")
    print(f"  {n:,} records: render ...", flush=True)
    result["render"] = repeated("render", root, tree, repeat)
    if n <= build_max:
        print(f"  {n:,} records: mkdocs build (full, then the Markdown floor) ...", flush=True)
        write_floor_config(root, tree)
        result["build"] = run_step("build", root, work / f"site-{n}")
        result["floor"] = run_step("floor", root, work / f"site-floor-{n}")
        print(f"  {n:,} records: one-record edit (in-process, then each builder's serve) ...", flush=True)
        result["incremental"] = run_step("incremental", root, tree)
        runs = int(os.environ.get("BENCH_RELOAD_RUNS", "3"))
        result["reload"] = {b: reload.measure(b, root, work, TODAY, runs) for b in reload.BUILDERS}
        result["builders"] = bench_builders(n, root, work, repeat)
    else:
        result["skipped"] = f"full site build and serve (over BENCH_BUILD_MAX={build_max} records)"
        result["incremental"] = run_step("incremental", root, tree)
    return result


def bench_realistic(n: int, work: Path, repeat: int) -> dict[str, Any]:
    """The starter playbook replicated to about ``n`` records: check and the loader."""
    from bench.realistic import write_playbook

    root = work / f"realistic-{n}"
    made = write_playbook(root, n, REPO)
    result: dict[str, Any] = {"records": made["records"], "copies": made["copies"],
                              "content_bytes": sum(p.stat().st_size for p in root.glob("content/*/*.yaml"))}
    print(f"  realistic, {made['records']:,} records: parse, check, loader ...", flush=True)
    result["parse"], result["check"], result["check_over_parse"] = paired(root, work, repeat)
    _, result["load"], result["load_over_parse"] = paired(root, work, repeat, "load")
    shutil.rmtree(root, ignore_errors=True)
    return result


def linearity(results: dict[int, dict[str, Any]]) -> float | None:
    """Check's processor time per record at the largest size over that at the smallest
    (1.0: linear; 10 sizes apart, a quadratic step shows as up to 10)."""
    if len(results) < 2:
        return None
    small, big = results[min(results)], results[max(results)]
    per = [r["check"]["cpu_seconds"] / r["records"] for r in (small, big)]
    return per[1] / per[0]


def ratios(results: dict[int, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n, r in results.items():
        x: dict[str, Any] = {"check_over_parse": r["check_over_parse"],
                             "load_over_parse": r["load_over_parse"]}
        if "build" in r:
            b, f = r["build"], r["floor"]
            x["generator_share_of_build"] = b["generator_seconds"] / b["seconds"]
            x["build_over_floor"] = b["seconds"] / f["seconds"]
            x["seconds_per_page"] = b["seconds"] / b["html_pages"]
            x["html_bytes_per_page"] = b["html_bytes"] / b["html_pages"]
            for builder, m in r["reload"].items():
                x[f"reload_{builder}_record_over_full_rebuild"] = m["record_over_page"]
        inc = r["incremental"]
        x["incremental_generate_over_cold"] = inc["seconds"] / inc["cold_seconds"]
        out[str(n)] = x
    out["check_per_record_largest_over_smallest"] = linearity(results)
    if "100" in out and "1000" in out and "seconds_per_page" in out["1000"]:
        out["per_page_time_1000_over_100"] = out["1000"]["seconds_per_page"] / out["100"]["seconds_per_page"]
        out["per_page_html_1000_over_100"] = (
            out["1000"]["html_bytes_per_page"] / out["100"]["html_bytes_per_page"])
    return out


def targets(results: dict[int, dict[str, Any]], r: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    def get(n: int, *keys: str) -> Any:
        value: Any = results.get(n)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    rows: list[tuple[str, str, bool | None]] = []
    big = max(results)
    cp = r[str(big)]["check_over_parse"]
    rows.append((f"synthetic: check of {big:,} records within 2x of the bare C-loader parse", f"{cp:.2f}x",
                 cp <= 2))
    line = r.get("check_per_record_largest_over_smallest")
    if line is not None:
        rows.append((f"synthetic: check time per record, {big:,} vs {min(results):,} records, within 1.25x",
                     f"{line:.2f}x", line <= 1.25))
    if "1000" in r and "generator_share_of_build" in r["1000"]:
        share = r["1000"]["generator_share_of_build"]
        rows.append(("generator share of a full build of 1,000 records under 10%", f"{share:.1%}",
                     share < 0.10))
    if "per_page_time_1000_over_100" in r:
        t, h = r["per_page_time_1000_over_100"], r["per_page_html_1000_over_100"]
        rows.append(("per-page build time, 1,000 vs 100 records, within 1.5x", f"{t:.2f}x", t <= 1.5))
        rows.append(("per-page HTML size, 1,000 vs 100 records, within 1.5x", f"{h:.2f}x", h <= 1.5))
    inc = results[max(results)]["incremental"]
    rows.append(("one-record edit re-renders only affected pages",
                 f"renders {inc['rendered']:,} of {inc['pages']:,} ({inc['changed']} change), "
                 f"{inc['seconds']:.2f} s vs {inc['cold_seconds']:.2f} s cold",
                 inc["rendered"] < inc["pages"]))
    for builder, m in (get(1000, "reload") or {}).items():
        rows.append((f"{builder}: one record edited -> reloaded page at 1,000 records within 1 s",
                     f"{m['record_seconds']:.2f} s ({m['record_over_page']:.2f}x a full rebuild, "
                     f"{m['page_seconds']:.1f} s)", m["record_seconds"] <= 1.0))
    mem = get(big, "check", "maxrss_mb")
    rows.append((f"check of {big:,} records under 500 MB peak memory", f"{mem:.0f} MB", mem < 500))
    return rows


def realistic_targets(results: dict[int, dict[str, Any]]) -> list[tuple[str, str, bool | None]]:
    if not results:
        return []
    big = results[max(results)]
    cp, lp = big["check_over_parse"], big["load_over_parse"]
    rows: list[tuple[str, str, bool | None]] = [
        (f"realistic: check of {big['records']:,} records within 2x of the bare C-loader parse",
         f"{cp:.2f}x", cp <= 2),
        (f"realistic: loader over the bare C-loader parse, {big['records']:,} records "
         f"(overhead {lp - 1:.0%})", f"{lp:.2f}x", None),
    ]
    line = linearity(results)
    if line is not None:
        small = results[min(results)]
        rows.append((f"realistic: check time per record, {big['records']:,} vs {small['records']:,} records, "
                     "within 1.25x", f"{line:.2f}x", line <= 1.25))
    return rows


def realistic_table(results: dict[int, dict[str, Any]]) -> str:
    head = ("records", "copies", "parse s", "load s", "check s", "load/parse", "check/parse", "check MB",
            "check ms/record")
    rows = [head]
    for r in results.values():
        rows.append((
            f"{r['records']:,}", str(r["copies"]), f"{r['parse']['seconds']:.2f}",
            f"{r['load']['seconds']:.2f}",
            f"{r['check']['seconds']:.2f}", f"{r['load_over_parse']:.2f}x", f"{r['check_over_parse']:.2f}x",
            f"{r['check']['maxrss_mb']:.0f}", f"{r['check']['cpu_seconds'] / r['records'] * 1000:.3f}",
        ))
    return _markdown(rows)


def _markdown(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    return "\n".join(lines)


def table(results: dict[int, dict[str, Any]]) -> str:
    head = ("records", "parse s", "check s", "check/parse", "load/parse", "check MB", "render s", "build s",
            "floor s",
            "gen share", "s/page", "KB/page", "edit changes")
    rows = [head]
    for n, r in results.items():
        b, f = r.get("build"), r.get("floor")
        rows.append((
            f"{n:,}", f"{r['parse']['seconds']:.2f}", f"{r['check']['seconds']:.2f}",
            f"{r['check_over_parse']:.2f}x", f"{r['load_over_parse']:.2f}x", f"{r['check']['maxrss_mb']:.0f}",
            f"{r['render']['seconds']:.2f}",
            f"{b['seconds']:.1f}" if b else "skipped", f"{f['seconds']:.1f}" if f else "skipped",
            f"{b['generator_seconds'] / b['seconds']:.1%}" if b else "-",
            f"{b['seconds'] / b['html_pages'] * 1000:.1f} ms" if b else "-",
            f"{b['html_bytes'] / b['html_pages'] / 1024:.1f}" if b else "-",
            f"{r['incremental']['changed']} of {r['incremental']['pages']:,} change",
        ))
    return _markdown(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", choices=sorted(STEPS))
    parser.add_argument("--root", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    if args.step:
        child(args.step, args.root, args.out)
        return 0
    sys.path.insert(0, str(REPO))
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "100,1000,10000").split(",") if s.strip()]
    real = os.environ.get("BENCH_REALISTIC_SIZES", "1000,10000")
    real_sizes = [int(s) for s in real.split(",") if s.strip()]
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    build_max = int(os.environ.get("BENCH_BUILD_MAX", "1000"))
    info = machine()
    print(f"Benchmark: sizes {sizes}, realistic {real_sizes}, {repeat} runs of the quick steps; "
          f"{info['nproc']} cores, "
          f"{info['cpu']}, {info['ram_gb']} GB RAM", flush=True)
    work = Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    try:
        results = {n: bench_size(n, work, repeat, build_max) for n in sizes}
        history = bench_history(work) if os.environ.get("BENCH_HISTORY", "1") != "0" else None
        realistic = {n: bench_realistic(n, work, repeat) for n in real_sizes}
        from bench import admin  # the form editor's first load (bench/admin.py)

        editor = admin.bench_admin(work) if os.environ.get("BENCH_ADMIN", "1") != "0" else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    r = ratios(results)
    rows = targets(results, r) + realistic_targets(realistic)
    real_ratios = {str(n): {k: v[k] for k in ("records", "check_over_parse", "load_over_parse")}
                   for n, v in realistic.items()}
    real_ratios["check_per_record_largest_over_smallest"] = linearity(realistic)
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": info,
              "sizes": sizes, "results": {str(n): v for n, v in results.items()}, "ratios": r,
              "realistic": {"sizes": real_sizes, "results": {str(n): v for n, v in realistic.items()},
                            "ratios": real_ratios},
              "targets": [{"target": t, "measured": m, "met": ok} for t, m, ok in rows], "history": history,
              "admin": editor}
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\nSynthetic playbook:")
    print(table(results))
    if realistic:
        print("\nRealistic playbook (the starter replicated):")
        print(realistic_table(realistic))
    if any("reload" in v for v in results.values()):
        print("\nEdit -> reloaded page, a real serve per builder (median of the runs):\n")
        print(reload.table(results))
    if any("builders" in v for v in results.values()):
        print("\nBuilders, over the project `playbook build --out` writes (no plugin):\n")
        print(builders_table(results))
    skipped = [f"{n:,}" for n, v in results.items() if "skipped" in v]
    if skipped:
        print(f"\nFull mkdocs build and serve skipped at {', '.join(skipped)} records "
              f"(BENCH_BUILD_MAX={build_max}; raise it to measure them).")
    if history:
        print(f"\nHistory of {history['commits']:,} commits over {history['records']:,} records: "
              f"cold {history['cold']['seconds']:.2f} s ({history['cold']['changes']:,} changes), "
              f"cached {history['cached']['seconds']:.2f} s, {history['new_commits']} new commits "
              f"{history['incremental']['seconds']:.2f} s "
              f"({history['incremental']['commits_read']} read); peak {history['cold']['maxrss_mb']:.0f} MB")
    if editor:
        from bench import admin

        print("\n" + admin.summary(editor))
    print("\nTargets:")
    for target, measured, ok in rows:
        mark = "n/a " if ok is None else ("met " if ok else "MISS")
        print(f"  [{mark}] {target}: {measured}")
    print(f"\nWrote {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
