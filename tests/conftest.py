"""Shared test helpers: fixture playbooks are copied into a temporary folder before use.

Real site builds are slow, so each fixture playbook that tests only read is built once per session
(``built_basic``, ``built_hostile``, ``built_reader``), and one headless Chromium serves every
browser test (``browser``). A test that runs a real ``mkdocs build`` must be marked ``site`` (or
``browser``): :func:`mkdocs_build` fails it otherwise, so ``make test-fast`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from . import browser as browser_helpers

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
BASIC_TODAY = "2026-04-01"
READER_TODAY = "2026-11-02"  # the reader fixture's build day: one record is overdue, the rest current

_running: list[pytest.Item] = []  # the test being set up, run or torn down


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    _running.append(item)
    try:
        return (yield)
    finally:
        _running.pop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # A browser test with a Chromium of its own (its module's `browser` fixture) cannot start
    # Playwright while the shared one runs in the same thread: stop the shared one first.
    wants_browser = "browser" in getattr(item, "fixturenames", ()) or item.get_closest_marker("browser")
    if wants_browser and not _uses_shared_browser(item):
        browser_helpers.close_shared_browser()


def pytest_sessionfinish(session: pytest.Session) -> None:
    browser_helpers.close_shared_browser()


def _uses_shared_browser(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get("browser") if info else None
    func = definitions[-1].func if definitions else None
    return getattr(func, "__module__", None) == __name__ and getattr(func, "__name__", None) == "shared_browser_fixture"


def _require_build_mark() -> None:
    item = _running[-1] if _running else None
    if item is not None and not (item.get_closest_marker("site") or item.get_closest_marker("browser")):
        pytest.fail(f"{item.nodeid} runs a real mkdocs build: mark it @pytest.mark.site (or use an in-process "
                    "call) so that `make test-fast` leaves it out", pytrace=False)


def edit_file(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` by ``new`` in the file at ``path`` (every time, as ``str.replace``; or the
    first ``count`` times), failing the test when ``old`` is not there: an edit that silently does
    nothing would let the test pass without testing anything."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit(root: Path, rel: str, old: str, new: str, count: int = -1) -> None:
    """:func:`edit_file` on ``root/rel``."""
    edit_file(root / rel, old, new, count)


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    """A writable copy of the small, valid ``basic`` fixture playbook."""
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "basic", root)
    return root


def mkdocs_build(root: Path, *extra: str, today: str = BASIC_TODAY, audience: str = "internal",
                 site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A real ``mkdocs build --strict`` of the playbook at ``root``, judged at ``today`` and built
    for ``audience``, into ``site`` (default ``root/site``). Only for tests marked ``site``/``browser``."""
    _require_build_mark()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": today, "PLAYBOOK_AUDIENCE": audience}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site or root / "site"), *extra],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )


def build_site(root: Path, *, today: str = BASIC_TODAY, audience: str = "internal",
               site: Path | None = None) -> Path:
    """:func:`mkdocs_build`, which must succeed; returns the site folder."""
    result = mkdocs_build(root, today=today, audience=audience, site=site)
    assert result.returncode == 0, result.stderr
    return site or root / "site"


def _built(factory: pytest.TempPathFactory, fixture: str, today: str) -> Path:
    root = factory.mktemp("built") / fixture
    shutil.copytree(FIXTURES / fixture, root)
    build_site(root, today=today)
    return root


@pytest.fixture(scope="session")
def built_basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``basic`` fixture built once by a real ``mkdocs build --strict`` at 2026-04-01 (into
    ``root/site``); tests only read it."""
    return _built(tmp_path_factory, "basic", BASIC_TODAY)


@pytest.fixture(scope="session")
def built_hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``hostile`` fixture (script and markup in every field) built once at 2026-04-01."""
    return _built(tmp_path_factory, "hostile", BASIC_TODAY)


@pytest.fixture(scope="session")
def built_reader(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``reader`` fixture (a small playbook of a fictional company on full starter-style
    schemas and templates: funnel, scoring and meeting diagrams, glossary terms, tags, an overdue
    record) built once at :data:`READER_TODAY`."""
    return _built(tmp_path_factory, "reader", READER_TODAY)


@pytest.fixture(name="browser")
def shared_browser_fixture() -> Any:
    """One headless Chromium (Debian's, driven by Playwright) for the whole session; each test
    opens its own context. A module may define its own ``browser`` fixture instead."""
    return browser_helpers.shared_browser()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the machine is shared: no fixed port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def mkdocs_serve(root: Path, port: int | None = None) -> Iterator[str]:
    """A real ``mkdocs serve`` of the playbook at ``root`` (live reload on) for the duration of the
    block, on ``port`` (default: a free one); yields its address. The server is always stopped.
    Only for tests marked ``site``/``browser``."""
    _require_build_mark()
    port = port or free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": BASIC_TODAY}
    env.pop("PLAYBOOK_AUDIENCE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
