"""Shared test helpers: fixture playbooks are copied into a temporary folder before use."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
