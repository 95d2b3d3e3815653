"""The real form editor: Decap CMS from node_modules/, its local backend (decap-server, on
127.0.0.1 only) writing into a copy of a fixture playbook, driven in headless Chromium.

Skipped (with the reason) when node_modules/ is missing outside CI; in CI `.ci/run` installs Node
and `make test` runs `npm ci`, so they must run there.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.cli import main
from generator.content.loader import load_yaml
from generator.rules.project import load_playbook
from generator.site import cms

from .browser import Watched, screenshot, serve
from .conftest import BASIC_TODAY, FIXTURES, build_site

pytestmark = [pytest.mark.browser, pytest.mark.site]

REPO = Path(__file__).parent.parent
NODE_MODULES = REPO / "node_modules"
SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
TIMEOUT = 30_000  # ms: the bundle is 5 MB and the machine is shared


def require_decap() -> None:
    missing = [str(p.relative_to(REPO)) for p in (NODE_MODULES / cms.PACKAGE.name / "dist" / cms.BUNDLE, SERVER)
               if not p.is_file()]
    node = shutil.which("node")
    if missing or node is None:
        reason = f"Decap CMS is not installed ({', '.join(missing) or 'no node'}): run `make node`"
        if os.environ.get("CI"):
            pytest.fail(reason + " (.ci/run installs Node; `make test` runs npm ci)")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_backend(root: Path) -> Iterator[str]:
    """decap-server writing files in ``root`` (MODE=fs), listening on 127.0.0.1 only."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([shutil.which("node") or "node", str(SERVER)], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"decap-server did not start: {process.stderr.read()!r}"
                                         if process.stderr else "decap-server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


STARTER = "starter"  # the bundled playbook itself (content/, schemas/, playbook.yml of the repository)


def playbook_copy(tmp_path: Path, fixture: str = "basic") -> Path:
    root = tmp_path / "playbook"
    if fixture == STARTER:
        for name in ("content", "schemas", "templates", "docs"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "playbook.yml", root / "playbook.yml")
    else:
        shutil.copytree(FIXTURES / fixture, root)
    (root / "node_modules").symlink_to(NODE_MODULES)  # the build copies the bundle from here
    return root


def point_at(site: Path, root: Path, url: str) -> None:
    """The built site's editor configuration, with the local backend at ``url``."""
    playbook, problems = load_playbook(root)
    assert problems == []
    (site / cms.CONFIG).write_text(cms.dumps(cms.config(playbook, local_backend=url)), encoding="utf-8")


def offsite(requests: list[str]) -> list[str]:
    return [r for r in requests if urlsplit(r).hostname not in ("127.0.0.1",) and not r.startswith("data:")]


def sign_in(page: Any) -> None:
    """The local backend's sign-in: one button, no account."""
    page.get_by_role("button", name="Login").click(timeout=TIMEOUT)


def publish(page: Any) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


@pytest.fixture
def editor(browser: Any) -> Iterator[Watched]:
    require_decap()
    # the sites are built at BASIC_TODAY: the pages' date checks run at noon of that day
    clock = dt.datetime.fromisoformat(BASIC_TODAY).replace(hour=12)
    with Watched(browser, clock, viewport={"width": 1280, "height": 900}) as watched:
        yield watched


def test_a_change_made_in_the_form_from_a_record_page_is_exactly_that_change(
        editor: Watched, tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    (root / ".gitignore").write_text("node_modules\nsite/\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                       check=True, capture_output=True)
    site = build_site(root)
    record = root / "content/stages/sql.yaml"
    before = load_yaml(record.read_bytes()).data
    page = editor.page
    with local_backend(root) as api, serve(site) as base:
        point_at(site, root, api)
        page.goto(base + "stages/sql/")
        page.wait_for_load_state("networkidle")
        editor.requests.clear()  # the record page's own (Material asks GitHub about repo_url)
        page.get_by_role("link", name="Suggest a change").click()
        assert page.url == base + "admin/#/collections/stages/entries/sql"
        sign_in(page)
        definition = page.get_by_label("Definition", exact=True)
        definition.wait_for(timeout=TIMEOUT)
        definition.fill("A lead sales has spoken to and confirmed as a real opportunity.")
        page.get_by_role("button", name="Add entry criteria").click()
        page.get_by_label("Item", exact=True).last.fill("Budget confirmed")
        next_stages = page.locator("label", has_text="Next stages").locator("xpath=../..")
        next_stages.locator("input").fill("Marketing")
        page.get_by_text("Marketing qualified lead", exact=True).last.click()
        screenshot(page, "cms-edit")
        original = record.read_bytes()
        publish(page)
        page.get_by_text("Changes saved").wait_for(timeout=TIMEOUT)
        assert record.read_bytes() != original
    after = load_yaml(record.read_bytes()).data
    assert after == {**before, "definition": "A lead sales has spoken to and confirmed as a real opportunity.",
                     "entry_criteria": ["Budget confirmed"], "next_stages": ["mql"]}
    assert list(after) == ["title", "owner", "last_reviewed", "abbreviation", "order", "definition",
                           "entry_criteria", "owning_team", "next_stages"]  # schema order
    out = io.StringIO()
    assert main(["check", "--root", str(root)], out) == 0, out.getvalue()
    out = io.StringIO()
    assert main(["diff", "HEAD", "--root", str(root)], out) == 0
    changed = [line.split("**")[1] for line in out.getvalue().splitlines() if line.startswith("- **")]
    assert changed == ["Definition", "Entry criteria", "Next stages", "References gained"], out.getvalue()
    assert offsite(editor.requests) == []
    assert not [e for e in editor.errors if "config" in e.lower()]


def test_the_form_refuses_what_check_would_refuse_with_its_words(editor: Watched, tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    site = tmp_path / "admin-site"
    record = root / "content/people/dana-reyes.yaml"
    before = record.read_bytes()
    page = editor.page
    with local_backend(root) as api:
        write_admin(site, root, api)
        with serve(site) as base:
            page.goto(base + "admin/#/collections/people/entries/dana-reyes")
            sign_in(page)
            handle = page.get_by_label("GitHub handle (optional)", exact=True)
            handle.wait_for(timeout=TIMEOUT)
            handle.fill("dana reyes")
            publish(page)
            page.get_by_text("Does not have the expected form (GitHub handle)").wait_for(timeout=TIMEOUT)
            handle.fill("dana-reyes")
            page.get_by_label("Role", exact=True).fill("")
            publish(page)
            page.get_by_text("Role is required.").wait_for(timeout=TIMEOUT)
            screenshot(page, "cms-refused")
    assert record.read_bytes() == before
    assert offsite(editor.requests) == []


def write_admin(site: Path, root: Path, url: str | bool = True) -> None:
    playbook, problems = load_playbook(root)
    assert problems == []
    for path, content in cms.site_files(playbook, root, local_backend=url).items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(content if isinstance(content, bytes) else content.read_bytes())


FIXTURE_PLAYBOOKS = [*sorted(p.name for p in FIXTURES.iterdir()
                            if (p / "schemas").is_dir() and not load_playbook(p)[1]), STARTER]


@pytest.mark.parametrize("fixture", FIXTURE_PLAYBOOKS)
def test_the_configuration_of_every_fixture_playbook_loads_in_the_editor(
        editor: Watched, tmp_path: Path, fixture: str) -> None:
    """Decap checks its configuration against its own schema before it offers to sign in: the
    sign-in button means the configuration passed (no local backend is needed for that)."""
    root = playbook_copy(tmp_path, fixture)
    site = tmp_path / "admin-site"
    page = editor.page
    write_admin(site, root, False)
    with serve(site) as base:
        page.goto(base + "admin/")
        page.get_by_role("button", name="Login").wait_for(timeout=TIMEOUT)
        body = page.inner_text("body")
    assert "Error loading the CMS configuration" not in body
    assert "Config Errors" not in body
    assert offsite(editor.requests) == []


def test_a_configuration_decap_refuses_is_caught(editor: Watched, tmp_path: Path) -> None:
    """The check above can fail: a collection without a folder or files is refused on load."""
    root = playbook_copy(tmp_path)
    site = tmp_path / "admin-site"
    write_admin(site, root, False)
    (site / cms.CONFIG).write_text("backend: {name: proxy, proxy_url: 'http://localhost:8081/api/v1'}\n"
                                   "media_folder: docs/assets\ncollections: [{name: x, label: X}]\n")
    with serve(site) as base:
        editor.page.goto(base + "admin/")
        editor.page.get_by_text("Error loading the CMS configuration").wait_for(timeout=TIMEOUT)


def test_partner_and_public_builds_have_no_trace_of_the_editor(tmp_path: Path) -> None:
    require_decap()
    root = playbook_copy(tmp_path)
    for audience in ("partner", "public"):
        site = build_site(root, audience=audience, site=tmp_path / audience)
        assert not (site / "admin").exists()
        for path in site.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert "Suggest a change" not in text, path
                assert "/admin" not in text and "admin/" not in text, path
        assert not list(site.rglob("decap-cms*"))
    internal = build_site(root, site=tmp_path / "internal")
    assert (internal / cms.PAGE).is_file() and (internal / "admin" / cms.BUNDLE).is_file()
    assert "Suggest a change" in (internal / "stages/sql/index.html").read_text(encoding="utf-8")
    index = (internal / "search/search_index.json").read_text(encoding="utf-8")
    assert "Suggest a change" not in index and "out of date?" not in index  # on every page: not searched


def test_a_record_added_in_the_form_gets_a_valid_id_from_its_title(editor: Watched, tmp_path: Path) -> None:
    root = playbook_copy(tmp_path)
    site = tmp_path / "admin-site"
    page = editor.page
    with local_backend(root) as api:
        write_admin(site, root, api)
        with serve(site) as base:
            page.goto(base + "admin/#/collections/teams/new")
            sign_in(page)
            title = page.get_by_label("Title", exact=True)
            title.wait_for(timeout=TIMEOUT)
            title.fill("Partner Success Ünits")
            page.locator("label", has_text="Owner").locator("xpath=../..").locator("input").first.fill("Dana")
            page.get_by_text("Dana Reyes (Person)", exact=True).last.click()
            publish(page)
            page.get_by_text("Last reviewed is required.").wait_for(timeout=TIMEOUT)  # no date is made up
            page.get_by_role("button", name="Now").click()
            publish(page)
            page.get_by_text("Changes saved").wait_for(timeout=TIMEOUT)
    added = root / "content/teams/partner-success-units.yaml"
    data = load_yaml(added.read_bytes()).data
    assert (data["title"], data["owner"]) == ("Partner Success Ünits", "dana-reyes")
    assert list(data) == ["title", "owner", "last_reviewed"]
    assert main(["check", "--root", str(root)], io.StringIO()) == 0
