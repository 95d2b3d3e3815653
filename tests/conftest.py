"""Shared test helpers: fixture playbooks are copied into a temporary folder before use."""

from __future__ import annotations

import shutil
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
