"""The four ways one playbook is built for the builder-parity tests (tests/test_builders_browser.py)
and the tests that compare builders' sites (tests/test_contribution_browser.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.site.project_out import plugin_settings, read_config

from .conftest import build_site

BUILDERS = ("plugin", "properdocs", "zensical", "mkdocs")
PROPERDOCS = Path(sys.executable).parent / "properdocs"
TODAY = "2026-04-01"
ZENSICAL = Path(sys.executable).parent / "zensical"


def builder_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build_project(root: Path, out: Path, audience: str) -> Path:
    """``playbook build --out`` of the playbook at ``root`` (a real run of the command)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--out", str(out),
         "--today", TODAY, "--audience", audience],
        env=builder_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def build_with(builder: str, root: Path, work: Path, audience: str) -> Path:
    """The site of ``root`` for ``audience``, made by ``builder``; returns the site folder."""
    if builder == "plugin":
        return build_site(root, today=TODAY, audience=audience, site=work / "site")
    if builder == "properdocs":
        site = work / "site"
        result = subprocess.run(
            [str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)], cwd=root,
            env={**builder_env(), "PLAYBOOK_TODAY": TODAY, "PLAYBOOK_AUDIENCE": audience},
            capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return site
    project = build_project(root, work / "project", audience)
    if builder == "zensical":
        command = [str(ZENSICAL), "build", "--strict"]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(command, cwd=project, env=builder_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert plugin_settings(read_config(project / "mkdocs.yml")) is None  # built without the plugin
    return project / "site"
