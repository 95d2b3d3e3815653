"""Every collection of the starter playbook can be scaffolded into a record that checks clean."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.schemas import load_schemas

from .conftest import REPO

COLLECTIONS = sorted(load_schemas(REPO)[0])


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "playbook"
    for folder in ("content", "schemas", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_new_record_in_every_starter_collection_checks_clean(starter: Path, collection: str) -> None:
    out = io.StringIO()
    assert main(["new", collection, f"scaffolded-{collection}", "--root", str(starter),
                 "--today", "2026-11-23"], out) == 0, out.getvalue()
    assert main(["check", "--root", str(starter)], io.StringIO()) == 0
