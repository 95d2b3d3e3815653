"""The GitHub workflows, linted offline: JSON Schema (check-jsonschema), security (zizmor), and
this project's own rules. Broken fixture workflows prove that each lint can fail."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.content.loader import load_yaml
from generator.content.schemas import load_schemas
from generator.rules import editor

REPO = Path(__file__).parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
DIGEST = re.compile(r"[^@\s]+@sha256:[0-9a-f]{64}")  # a tag can be moved; a digest cannot
BROKEN = Path(__file__).parent / "fixtures" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\s*$")


def tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = BIN / name
    if not exe.exists():
        pytest.fail(f"{name} is not installed in {BIN}: run `make venv` (requirements-dev.txt pins it)")
    return subprocess.run([str(exe), *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          check=False, timeout=120)


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema, run in-process: its command-line entry point (the installed script's),
    without a Python start-up per call."""
    try:
        from check_jsonschema.cli.main_command import main
        from click.testing import CliRunner
    except ImportError:
        pytest.fail("check-jsonschema is not installed: run `make venv` (requirements-dev.txt pins it)")
    argv = [str(a) for a in args]
    result = CliRunner().invoke(main, argv, catch_exceptions=False)
    return subprocess.CompletedProcess(["check-jsonschema", *argv], result.exit_code, result.stdout, result.stderr)


def load(path: Path) -> tuple[dict[str, Any], list[str], Any]:
    raw = path.read_bytes()
    doc = load_yaml(raw)
    return doc.data, raw.decode().splitlines(), doc


# ---------------------------------------------------------------------------
# The project's own rules, for every workflow (another helper's too)


def job_images(job: dict) -> list[str]:
    """The container images a job runs: its ``container`` and its ``services``."""
    found = [job.get("container"), *(job.get("services") or {}).values()]
    return [str(c.get("image") if isinstance(c, dict) else c) for c in found if c]


def policy_problems(path: Path) -> list[str]:
    """Every way a workflow breaks the rules in CONTRIBUTING.md ("How CI is kept safe")."""
    data, lines, doc = load(path)
    name = path.name
    found = []
    if data.get("permissions") != {}:
        found.append(f"{name}: top-level permissions must be {{}} (grant per job)")
    triggers = data.get("on")
    triggers = [triggers] if isinstance(triggers, str) else list(triggers or [])
    for risky in ("pull_request_target", "workflow_run"):
        if risky in triggers:
            found.append(f"{name}: must not run on {risky}")
    for job_id, job in data.get("jobs", {}).items():
        if "timeout-minutes" not in job:
            found.append(f"{name}: job {job_id} has no timeout-minutes")
        if not isinstance(job.get("permissions"), dict):
            found.append(f"{name}: job {job_id} must state its permissions")
        for image in job_images(job):
            if not DIGEST.fullmatch(image):
                found.append(f"{name}: job {job_id} runs image {image} without a digest (@sha256:<64 hex>)")
        for index, step in enumerate(job.get("steps", [])):
            where = f"{name}:{doc.locate(('jobs', job_id, 'steps', index))[0]}"
            uses = step.get("uses", "")
            if uses and not uses.startswith("./"):
                line = lines[doc.locate(("jobs", job_id, "steps", index, "uses"))[0] - 1]
                if not PINNED.fullmatch(uses):
                    found.append(f"{where}: {uses} is not pinned to a full commit SHA")
                elif not VERSION_COMMENT.search(line):
                    found.append(f"{where}: {uses} has no '# vX.Y.Z' comment")
            keeps_token = step.get("with", {}).get("persist-credentials") is not False
            if uses.startswith("actions/checkout@") and keeps_token:
                found.append(f"{where}: checkout without persist-credentials: false")
            if "${{" in step.get("run", ""):
                found.append(f"{where}: ${{{{ }}}} inside run: pass values through env: instead")
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_follows_the_project_rules(path: Path) -> None:
    assert policy_problems(path) == []


def test_the_rules_catch_a_careless_workflow() -> None:
    assert policy_problems(BROKEN / "insecure.yml") == [
        "insecure.yml: top-level permissions must be {} (grant per job)",
        "insecure.yml: must not run on pull_request_target",
        "insecure.yml: job greet has no timeout-minutes",
        "insecure.yml: job greet must state its permissions",
        "insecure.yml: job greet runs image python:3.11-bookworm without a digest (@sha256:<64 hex>)",
        "insecure.yml: job greet runs image redis:7 without a digest (@sha256:<64 hex>)",
        "insecure.yml:12: actions/checkout@v4 is not pinned to a full commit SHA",
        "insecure.yml:12: checkout without persist-credentials: false",
        "insecure.yml:15: ${{ }} inside run: pass values through env: instead",
    ]


def test_the_workflows_exist() -> None:
    assert {"ci.yml", "publish.yml"} <= {p.name for p in WORKFLOWS}


# ---------------------------------------------------------------------------
# check-jsonschema: GitHub's workflow schema, plus "every job has a timeout"


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_match_the_schema(schema: str) -> None:
    result = check_jsonschema("--builtin-schema", schema, *WORKFLOWS)
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout


def test_schema_lint_fails_on_a_misspelt_key() -> None:
    result = check_jsonschema("--builtin-schema", "vendor.github-workflows",
                  BROKEN / "invalid-schema.yml")
    assert result.returncode == 1
    assert "$.jobs.build: Additional properties are not allowed ('stpes' was unexpected)" in result.stdout


def test_timeout_lint_fails_on_a_job_without_timeout() -> None:
    result = check_jsonschema("--builtin-schema", "custom.github-workflows-require-timeout",
                  BROKEN / "insecure.yml")
    assert result.returncode == 1
    assert "$.jobs.greet: 'timeout-minutes' is a required property" in result.stdout


def test_dependabot_config_matches_its_schema() -> None:
    path = REPO / ".github" / "dependabot.yml"
    result = check_jsonschema("--builtin-schema", "vendor.dependabot", path)
    assert result.returncode == 0, result.stdout
    ecosystems = {u["package-ecosystem"] for u in load(path)[0]["updates"]}
    assert ecosystems == {"github-actions", "pip"}


# ---------------------------------------------------------------------------
# zizmor, offline. --strict-collection: a workflow zizmor cannot parse is a failure, not a skip.


def test_zizmor_reports_nothing() -> None:
    result = tool("zizmor", "--offline", "--color", "never", "--strict-collection", "--no-progress",
                  ".github/workflows", ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("No findings to report. Good job!"), result.stdout


def test_zizmor_fails_on_the_insecure_fixture() -> None:
    result = tool("zizmor", "--offline", "--color", "never", "--no-progress", "--format", "json", BROKEN / "insecure.yml")
    assert result.returncode != 0
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked",
            "excessive-permissions"} <= found


def test_zizmor_refuses_a_workflow_it_cannot_parse() -> None:
    result = tool("zizmor", "--offline", "--color", "never", "--strict-collection", "--no-progress",
                  BROKEN / "invalid-schema.yml")
    assert result.returncode != 0
    assert "invalid-schema.yml" in result.stderr
    assert "does not match expected validation schema" in result.stderr


# ---------------------------------------------------------------------------
# What each of this project's workflows must do


def job_runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_ci_checks_tests_builds_and_summarises_pull_requests() -> None:
    data, _, _ = load(REPO / ".github/workflows/ci.yml")
    assert set(data["on"]) >= {"pull_request", "push"}
    job, newest = data["jobs"]["check"], data["jobs"]["newest-python"]
    assert job["permissions"] == newest["permissions"] == {"contents": "read"}
    # the oldest supported Python in the main job, the newest in the other; both run every test
    assert (job["container"]["image"].split("@")[0], newest["container"]["image"].split("@")[0]) == (
        "python:3.11-bookworm", "python:3.13-bookworm")  # each pinned by digest (policy_problems)
    assert "make test" in "\n".join(job_runs(newest))
    runs = "\n".join(job_runs(job))
    for command in (".venv/bin/playbook check --format github", "make test",
                    ".venv/bin/mkdocs build --strict", ".venv/bin/playbook codeowners --check",
                    '.venv/bin/playbook diff "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"',
                    "apt-get install --yes --no-install-recommends chromium"):
        assert command in runs, command
    diff_step = next(s for s in job["steps"] if "playbook diff" in s.get("run", ""))
    assert diff_step["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert data["env"]["NO_MKDOCS_2_WARNING"] == "1"


def test_publish_builds_read_only_and_deploys_alone_with_pages_rights() -> None:
    data, _, _ = load(REPO / ".github/workflows/publish.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    assert data["on"]["schedule"]  # daily, so freshness banners stay true
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build["steps"])
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # `make site` builds into site/ with the builder the workflow's one BUILDER setting names
    assert "make site" in "\n".join(job_runs(build))
    assert data["env"]["BUILDER"] in {"mkdocs", "properdocs", "zensical"}
    assert all(f"ifeq ($(BUILDER),{b})" in (REPO / "Makefile").read_text() for b in ("mkdocs", "properdocs"))


# ---------------------------------------------------------------------------
# Editor and pre-commit wiring


def test_editor_settings_are_what_playbook_editor_writes() -> None:
    collections, _ = load_schemas(REPO)
    assert editor.updated(REPO, collections) == ((REPO / editor.SETTINGS).read_text(), False)


@pytest.mark.parametrize("name", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_pre_commit_runs_playbook_check(name: str) -> None:
    data = load(REPO / name)[0]
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    assert entries["playbook-check"].endswith("playbook check")
    assert entries["playbook-codeowners"].endswith("playbook codeowners --check")
    assert all(hook["pass_filenames"] is False for hook in hooks)


DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"


def test_publish_deploys_only_from_the_default_branch() -> None:
    """Issue 13, point 14: workflow_dispatch may run on any branch; only the default branch deploys."""
    data, _, _ = load(REPO / ".github/workflows/publish.yml")
    assert "workflow_dispatch" in data["on"]
    assert data["jobs"]["deploy"]["if"] == DEFAULT_BRANCH_ONLY


# ---------------------------------------------------------------------------
# ci.yml's two paths (issue 21 item 3): content-only pull requests take the fast one


def ci_path(*paths: str) -> str:
    """What .ci/paths.py decides for these changed paths (given as git diff -z writes them)."""
    result = subprocess.run([sys.executable, str(REPO / ".ci/paths.py")], input="\0".join(paths).encode(),
                            capture_output=True, check=True)
    return result.stdout.decode().strip()


@pytest.mark.parametrize(("paths", "kind"), [
    (("content/stages/mql.yaml",), "content"),
    (("content/stages/mql.yaml", "docs/how-we-work.md", "playbook.yml"), "content"),
    (("docs/guides/new page.md",), "content"),
    (("content/stages/mql.yaml", "generator/site/render.py"), "full"),
    (("templates/stages.md.j2",), "full"),
    (("schemas/stages.schema.json",), "full"),
    (("tests/test_render.py",), "full"),
    ((".github/workflows/ci.yml",), "full"),
    ((".github/CODEOWNERS",), "full"),
    (("mkdocs.yml",), "full"),
    (("requirements.txt",), "full"),
    (("Makefile",), "full"),
    (("playbook.yml.bak",), "full"),
    (("content",), "full"),
    (("content/../generator/site/render.py",), "full"),
    (("docs/x.md\ngenerator/render.py",), "full"),
    ((), "full"),  # nothing to compare: run everything
])
def test_the_path_rule_sends_only_content_changes_down_the_fast_path(paths: tuple[str, ...], kind: str) -> None:
    assert ci_path(*paths) == f"kind={kind}"


def test_ci_runs_the_fast_path_for_content_and_everything_else_otherwise() -> None:
    data, _, _ = load(REPO / ".github/workflows/ci.yml")
    jobs = data["jobs"]
    decide = "\n".join(job_runs(jobs["paths"]))
    assert 'git diff --name-only -z "$BASE_SHA" HEAD | python3 .ci/paths.py >> "$GITHUB_OUTPUT"' in decide
    assert 'echo "kind=full" >> "$GITHUB_OUTPUT"' in decide  # a push to main, a manual run
    assert jobs["paths"]["outputs"] == {"kind": "${{ steps.paths.outputs.kind }}"}
    assert all(not step.get("uses", "").startswith("dorny/") for step in jobs["paths"]["steps"])
    fast = jobs["content"]
    assert (fast["needs"], fast["if"]) == ("paths", "needs.paths.outputs.kind == 'content'")
    for name in ("check", "newest-python"):
        assert (jobs[name]["needs"], jobs[name]["if"]) == ("paths", "needs.paths.outputs.kind == 'full'")
    runs = "\n".join(job_runs(fast))
    for command in (".venv/bin/playbook check --format github", ".venv/bin/playbook codeowners --check",
                    '.venv/bin/playbook diff "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"',
                    ".venv/bin/mkdocs build --strict --site-dir site", ".venv/bin/python .ci/links.py site",
                    'git diff --name-only -z "$BASE_SHA" HEAD | .venv/bin/python .ci/smoke.py site'):
        assert command in runs, command
    assert "make test" not in runs and "pytest" not in runs
    assert "make test" in "\n".join(job_runs(jobs["check"]))
    assert ".venv/bin/python .ci/links.py site" in "\n".join(job_runs(jobs["check"]))


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "stages/mql").mkdir(parents=True)
    (site / "index.html").write_text('<a href="stages/mql/">MQL</a> <a href="https://x.example/">x</a> '
                                     '<a href="#top">top</a> <img src="assets/logo.png">', encoding="utf-8")
    (site / "stages/mql/index.html").write_text('<a href="../../">home</a> <a href="../sql/">SQL</a> '
                                                '<a href="/stages/mql/">self</a>', encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / ".ci/links.py"), str(site)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (
        1, "index.html: broken link assets/logo.png\nstages/mql/index.html: broken link ../sql/\n")
    (site / "assets").mkdir()
    (site / "assets/logo.png").write_bytes(b"png")
    (site / "stages/sql").mkdir()
    (site / "stages/sql/index.html").write_text("<h1>SQL</h1>", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / ".ci/links.py"), str(site)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _smoke(site: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / ".ci/smoke.py"), str(site)], input="\0".join(paths),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.browser
def test_the_smoke_test_opens_the_changed_pages_and_fails_on_a_script_error(built_basic: Path,
                                                                             tmp_path: Path) -> None:
    from tests.browser import require_chromium

    require_chromium()
    site = built_basic / "site"
    result = _smoke(site, "content/stages/mql.yaml", "content/stages/gone.yaml", "README.md")
    assert (result.returncode, result.stdout) == (0, "smoke.py: 1 page(s) load in Chromium: /stages/mql/\n")
    assert _smoke(site, "playbook.yml").stdout == "smoke.py: 1 page(s) load in Chromium: /\n"
    broken = tmp_path / "site"
    (broken / "stages/mql").mkdir(parents=True)
    (broken / "stages/mql/index.html").write_text("<h1>MQL</h1><script>undefinedFunction()</script>",
                                                  encoding="utf-8")
    result = _smoke(broken, "content/stages/mql.yaml")
    assert result.returncode == 1
    assert result.stdout == "/stages/mql/: script error: undefinedFunction is not defined\n"


def secret_jobs_outside_an_environment(data: dict[str, Any]) -> list[str]:
    """The jobs that read a secret (other than the run's own GITHUB_TOKEN) without both a
    protected environment and the default-branch condition."""
    found = []
    for name, job in data.get("jobs", {}).items():
        text = json.dumps(job).replace("secrets.GITHUB_TOKEN", "")
        if "secrets." in text and not (job.get("environment") and job.get("if") == DEFAULT_BRANCH_ONLY):
            found.append(name)
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_are_read_only_in_an_environment_on_the_default_branch(path: Path) -> None:
    """Issue 24, point 15: the digest read its webhook secrets outside an environment, so anyone who
    could push a branch could dispatch it with changed code and read them."""
    data, _, _ = load(path)
    assert secret_jobs_outside_an_environment(data) == []


def test_the_secret_rule_catches_the_digest_without_its_environment() -> None:
    data, _, _ = load(REPO / ".github/workflows/digest.yml")
    assert secret_jobs_outside_an_environment(data) == []
    del data["jobs"]["digest"]["environment"]
    assert secret_jobs_outside_an_environment(data) == ["digest"]
