"""Shared test helpers: fixture playbooks are copied into a temporary folder before use."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    """A writable copy of the small, valid ``basic`` fixture playbook."""
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "basic", root)
    return root


def mkdocs_build(root: Path, *extra: str, today: str = "2026-04-01", audience: str = "internal",
                 site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A real ``mkdocs build --strict`` of the playbook at ``root``, judged at ``today`` and built
    for ``audience``, into ``site`` (default ``root/site``)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": today, "PLAYBOOK_AUDIENCE": audience}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site or root / "site"), *extra],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )


def build_site(root: Path, *, today: str = "2026-04-01", audience: str = "internal",
               site: Path | None = None) -> Path:
    """:func:`mkdocs_build`, which must succeed; returns the site folder."""
    result = mkdocs_build(root, today=today, audience=audience, site=site)
    assert result.returncode == 0, result.stderr
    return site or root / "site"


@pytest.fixture(scope="session")
def built_basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``basic`` fixture built once by a real ``mkdocs build --strict`` (into ``root/site``);
    tests only read it."""
    root = tmp_path_factory.mktemp("built") / "playbook"
    shutil.copytree(FIXTURES / "basic", root)
    build_site(root)
    return root


SERVE_PORT = 8401  # this branch's port for real ``mkdocs serve`` runs


@contextlib.contextmanager
def mkdocs_serve(root: Path, port: int = SERVE_PORT) -> Iterator[str]:
    """A real ``mkdocs serve`` of the playbook at ``root`` (live reload on) for the duration of the
    block; yields its address. The server is always stopped."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": "2026-04-01"}
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
