"""The MkDocs plugin, through real ``mkdocs build --strict`` runs of fixture playbooks (marked ``site``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import FIXTURES, edit, edit_file, free_port, mkdocs_build, mkdocs_serve
from .markup import LiveMarkup


@pytest.fixture
def built(built_basic: Path) -> Path:
    return built_basic


def read(root: Path, page: str) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


@pytest.mark.site
def test_a_page_for_every_record_and_collection(built: Path) -> None:
    pages = sorted(p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("index.html"))
    assert pages == [
        "admin/index.html",  # the form editor (internal builds; tests/test_cms_site.py)
        "changes/index.html", "freshness/index.html", "how-we-work/index.html", "index.html",
        "people/dana-reyes/index.html", "people/index.html",
        "slas/index.html", "slas/mql-follow-up/index.html",
        "stages/index.html", "stages/mql/index.html", "stages/sql/index.html",
        "teams/index.html", "teams/revops/index.html", "teams/sales/index.html",
    ]


@pytest.mark.site
def test_record_page_content_and_links(built: Path) -> None:
    html = read(built, "stages/mql/index.html")
    assert "<title>Marketing qualified lead - Fixture playbook</title>" in html
    assert '<h1 id="marketing-qualified-lead-mql">Marketing qualified lead (MQL)' in html  # found by MQL
    assert '<a href="../../teams/revops/">Revenue operations</a>' in html
    assert '<a href="../sql/">Sales qualified lead</a>' in html  # a reference
    # a backlink: no tooltip inside another record's name
    assert '<a href="../../slas/mql-follow-up/">MQL follow-up</a>' in html
    assert 'href="https://github.com/example/playbook/edit/main/content/stages/mql.yaml"' in html
    # where the reader is, and the way on
    assert ('<nav aria-label="Breadcrumb" class="pb-crumbs">\n<p><a href="../../">Home</a> \u203a '
            '<a href="../">Lifecycle stages</a></p>\n</nav>') in html
    assert '<span class="pb-pager__next">Next: <a href="../sql/">Sales qualified lead</a> →</span>' in html
    assert 'class="md-nav__item md-nav__item--active">\n      <a href="../" class="md-nav__link">' in html


@pytest.mark.site
def test_collection_index_has_no_edit_link(built: Path) -> None:
    html = read(built, "stages/index.html")
    assert "/edit/" not in html and "schema.json" not in html
    assert '<td><a href="mql/">Marketing qualified lead</a></td>' in html


@pytest.mark.site
def test_hand_written_pages_coexist_and_docs_is_untouched(built: Path) -> None:
    assert "A hand-written page next to the generated ones." in read(built, "how-we-work/index.html")
    assert sorted(p.name for p in (built / "docs").iterdir()) == ["how-we-work.md"]


def nav_links(html: str) -> list[str]:
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="md-nav__link', nav)


@pytest.mark.site
def test_nav_lists_collections_not_records(built: Path, tmp_path: Path) -> None:
    nav = read(built, "stages/sql/index.html").split('<nav class="md-nav md-nav--primary"', 1)[1]
    nav = nav.split('<nav class="md-nav md-nav--secondary"', 1)[0]
    assert 'href="../"' in nav  # the Lifecycle stages index
    assert "mql/" not in nav
    # Page size does not grow with the number of records: 40 more stages, same navigation.
    root = tmp_path / "bigger"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("site"))
    for n in range(40):
        (root / f"content/stages/extra-{n}.yaml").write_text(
            f"title: Extra {n}\nowner: revops\nlast_reviewed: 2026-03-01\norder: {10 + n}\n"
            "definition: x\nowning_team: sales\n"
        )
    assert mkdocs_build(root).returncode == 0
    bigger = read(root, "stages/sql/index.html").split('<nav class="md-nav md-nav--primary"', 1)[1]
    assert bigger.split('<nav class="md-nav md-nav--secondary"', 1)[0] == nav


@pytest.mark.site
def test_invalid_content_fails_the_build_without_touching_the_site(basic: Path) -> None:
    (basic / "site").mkdir()
    (basic / "site" / "keep.html").write_text("previous build")
    (basic / "content/stages/sql.yaml").write_text("title: SQL\nowner: revops\nowner: sales\n")
    (basic / "content/stages/bad.yaml").write_text("title: [\n")
    result = mkdocs_build(basic)
    assert result.returncode == 1
    assert "content/stages/bad.yaml:2:1: error: invalid YAML: did not find expected node content" in result.stderr
    assert "content/stages/sql.yaml:3:1: error: duplicate key 'owner' (it is already set at line 2): keep one of the two" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (basic / "site").iterdir()) == ["keep.html"]


@pytest.mark.site
def test_a_generated_page_never_replaces_a_hand_written_one(basic: Path) -> None:
    (basic / "docs/stages").mkdir()
    (basic / "docs/stages/mql.md").write_text("# My own MQL page\n")
    result = mkdocs_build(basic)
    assert result.returncode == 1
    assert ("docs/stages/mql.md:1:1: error: this hand-written page has the path of a generated page "
            "(stages/mql.md); rename or move it so that neither is lost") in result.stderr
    assert (basic / "docs/stages/mql.md").read_text() == "# My own MQL page\n"


@pytest.mark.site
def test_hand_written_home_page_wins_over_the_generated_one(basic: Path) -> None:
    (basic / "docs/index.md").write_text("# Welcome to our playbook\n")
    assert mkdocs_build(basic).returncode == 0
    assert "Welcome to our playbook" in read(basic, "index.html")


@pytest.mark.site
def test_hostile_content_renders_inert(built_hostile: Path) -> None:
    root = built_hostile
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser = LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.findings == [], page
    mql = read(root, "stages/mql/index.html")
    assert "PWNED" in mql  # the text is shown, as text
    assert "<title>\u2039/title\u203a\u2039script\u203aalert(&#x27;PWNED&#x27;)" in mql
    sql = read(root, "stages/sql/index.html")  # a hostile glossary definition, as one escaped title
    assert ('<abbr title="Sales qualified lead: &amp;lt;img src=x onerror=alert(\'PWNED\')&amp;gt; &amp;#60;img src=x onerror=alert(\'PWNED\')&amp;#62; Qualified]: *[SQL]: \u2039script\u203aalert(\'PWNED\')\u2039/script\u203a &quot; '
            'onmouseover=&quot;alert(\'PWNED\')&quot; ![x](javascript:alert(\'PWNED\')) second paragraph '
            '\u2039img src=x onerror=alert(\'PWNED\')\u203a">SQL</abbr>') in sql
    tags = json.loads(read(root, "tags.json"))  # only slug tags reach the tags plugin
    assert tags["mappings"] == [{"item": {"url": "stages/sql/", "title": "Sales qualified lead"}, "tags": ["qualified"]}]
    sla = read(root, "slas/mql-follow-up/index.html")
    assert "\\{\\{" not in sla and "{{ config.repo_url }}" in sla  # shown literally, never evaluated
    assert "[core]" not in sla  # no snippet include of .git/config


def test_serve_watches_content_schemas_and_templates(basic: Path) -> None:
    from generator.site.plugin import PlaybookPlugin

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []
            self.full: list[str] = []
            self.builder = lambda: self.full.append("built")

        def watch(self, path: str) -> None:
            self.watched.append(path)

    plugin = PlaybookPlugin()
    plugin.root = basic
    server = Server()
    assert plugin.on_serve(server, config=None, builder=None) is server
    assert server.watched == [str(basic / "content"), str(basic / "schemas"), str(basic / "templates")]
    server.builder()  # no full build to build on yet: MkDocs' own rebuild runs
    assert server.full == ["built"]


# ---------------------------------------------------------------------------
# Fail closed (issue 13): settings that could publish more than the audience may see


def _mkdocs(root: Path, *args: str, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of ``root`` with ``env`` on top of ours (None: unset)."""
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": "2026-04-01"}
    full.pop("PLAYBOOK_AUDIENCE", None)
    for key, value in env.items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(root / "site"), *args],
                          cwd=root, env=full, capture_output=True, text=True, timeout=600)


def _audience_copy(tmp_path: Path, plugin: str = "  - playbook\n") -> Path:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "audience", root)
    config = root / "mkdocs.yml"
    edit_file(config, "  - playbook\n", plugin)
    return root


def _site_text(root: Path) -> str:
    site = root / "site"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".json", ".xml")) if site.exists() else ""


@pytest.mark.site
def test_audience_settings_that_disagree_stop_the_build(tmp_path: Path) -> None:
    """Point 1: ``audience: internal`` in mkdocs.yml silently overrode PLAYBOOK_AUDIENCE=public."""
    root = _audience_copy(tmp_path, "  - playbook:\n      audience: internal\n")
    result = _mkdocs(root, "--strict", env={"PLAYBOOK_AUDIENCE": "public"})
    assert result.returncode == 1
    assert ("playbook: the audience is set twice and the settings disagree: 'audience: internal' in "
            "mkdocs.yml, PLAYBOOK_AUDIENCE=public; keep one") in result.stderr
    assert "SECRET" not in _site_text(root)
    assert "Traceback" not in result.stderr


@pytest.mark.site
def test_an_audience_with_the_plugin_disabled_stops_the_build(tmp_path: Path) -> None:
    """Point 1: with ``enabled: false`` PLAYBOOK_AUDIENCE was ignored and internal docs/ pages published."""
    root = _audience_copy(tmp_path, "  - playbook:\n      enabled: false\n")
    result = _mkdocs(root, env={"PLAYBOOK_AUDIENCE": "public"})
    assert result.returncode == 1
    assert ("playbook: PLAYBOOK_AUDIENCE=public asks for a site for one audience, but the playbook plugin "
            "is disabled (enabled: false), so nothing would be withheld") in result.stderr
    assert "SECRETDOCS" not in _site_text(root)


@pytest.mark.site
def test_snippets_cannot_paste_an_internal_page_into_a_partner_page(tmp_path: Path) -> None:
    """Point 4: pymdownx.snippets pasted an internal page (or a content file) into a partner page."""
    root = _audience_copy(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - pymdownx.snippets\n")
    guide = root / "docs/partner-guide.md"
    guide.write_text(guide.read_text() + '\n--8<-- "docs/how-we-work.md"\n\n--8<-- '
                     '"content/competitors/open-rival.yaml"\n')
    result = _mkdocs(root, "--strict", env={"PLAYBOOK_AUDIENCE": "partner"})
    assert result.returncode == 1
    assert ("playbook: pymdownx.snippets pastes other files into pages, which could put internal pages or "
            "content files into this partner site") in result.stderr
    assert "SECRET" not in _site_text(root)
    assert _mkdocs(root, "--strict", env={"PLAYBOOK_AUDIENCE": "internal"}).returncode == 0
    assert "SECRETDOCS" in (root / "site/partner-guide/index.html").read_text()  # internal may paste


@pytest.mark.site
def test_nav_titles_and_comments_of_hidden_pages_stay_out(tmp_path: Path) -> None:
    """Point 5: nav titles written in mkdocs.yml for internal pages, and HTML comments of pages,
    reached partner sites."""
    root = _audience_copy(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - Partners: partner-guide.md\n"
                      "  - SECRETNAVTITLE pricing: how-we-work.md\n  - Hidden:\n"
                      "      - SECRETSECTION: stages/secretstage.md\n  - Stages: stages/index.md\n")
    guide = root / "docs/partner-guide.md"
    guide.write_text(guide.read_text() + "\n<!-- SECRETCOMMENT: call them before the renewal -->\n\n"
                     "```html\n<!-- a comment shown as code -->\n```\n")
    result = _mkdocs(root, env={"PLAYBOOK_AUDIENCE": "partner"})
    assert result.returncode == 0, result.stderr
    text = _site_text(root)
    for secret in ("SECRETNAVTITLE", "SECRETSECTION", "SECRETCOMMENT"):
        assert secret not in text, secret
    page = (root / "site/partner-guide/index.html").read_text()
    assert "&lt;!-- a comment shown as code --&gt;" in page
    assert "Working with our agencies" in page
    assert _mkdocs(root, "--strict", env={"PLAYBOOK_AUDIENCE": "partner"}).returncode == 0
    assert _mkdocs(root, env={"PLAYBOOK_AUDIENCE": "internal"}).returncode == 0
    assert "SECRETNAVTITLE" in _site_text(root)



def _fetch(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")
    except OSError as exc:  # refused, reset, or held past the timeout
        return 0, str(exc)


def _wait_for(url: str, wanted: str, seconds: float = 90) -> tuple[int, str]:
    import time

    deadline = time.monotonic() + seconds
    status, text = 0, ""
    while time.monotonic() < deadline:
        status, text = _fetch(url)
        if wanted in text:
            return status, text
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}; last answer {status}: {text[-500:]}")


@pytest.mark.site
def test_serve_shows_the_problems_as_a_page_and_recovers(basic: Path) -> None:
    """Point 15: while content was broken, ``mkdocs serve`` held every request; now each page shows
    the located problems (with livereload) and the real pages come back once fixed, while
    ``mkdocs build`` still fails."""
    sql = basic / "content/stages/sql.yaml"
    good = sql.read_text()
    with mkdocs_serve(basic) as base:
        _wait_for(f"{base}/stages/mql/", "Marketing qualified lead")
        sql.write_text("title: [\n")
        status, page = _wait_for(f"{base}/stages/mql/", "The playbook has problems")
        assert status == 200
        assert ("content/stages/sql.yaml:2:1: error: invalid YAML: did not find expected node content"
                in page)
        assert "livereload(" in page  # the browser reloads by itself once it is fixed
        assert "The playbook has problems" in _fetch(f"{base}/")[1]
        built = mkdocs_build(basic, site=basic.parent / "site-broken")
        assert built.returncode == 1
        assert "content/stages/sql.yaml:2:1: error: invalid YAML" in built.stderr
        sql.write_text(good)
        _wait_for(f"{base}/stages/mql/", "Marketing qualified lead")
        assert "The playbook has problems" not in _fetch(f"{base}/stages/mql/")[1]


# ---------------------------------------------------------------------------
# The reload in place (generator/site/reload.py): after a content edit, only changed pages are built


@contextmanager
def serving(root: Path, log: Path) -> Iterator[str]:
    """``mkdocs serve`` of ``root`` with its log written to ``log``; yields its address."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAYBOOK_TODAY": "2026-04-01"}
    env.pop("PLAYBOOK_AUDIENCE", None)
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


IN_PLACE = "generated pages built again"


def _index(text: str) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = json.loads(text)["docs"]
    return docs


@pytest.mark.site
def test_serve_rebuilds_changed_pages_in_place_and_keeps_the_search_index_whole(basic: Path) -> None:
    log = basic.parent / "serve.log"
    with serving(basic, log) as base:
        _wait_for(f"{base}/stages/mql/", "MQL follow-up")
        # A reference moved: the referring page and both stages' pages change, in place.
        edit(basic, "content/slas/mql-follow-up.yaml", "stages: [mql]", "stages: [sql]")
        _wait_for(f"{base}/stages/sql/", "MQL follow-up")
        assert "MQL follow-up" not in _fetch(f"{base}/stages/mql/")[1]
        assert "Sales qualified lead" in _fetch(f"{base}/slas/mql-follow-up/")[1]
        assert log.read_text().count(IN_PLACE) == 1
        # The served search index is a full build's, entry for entry (ranked by the plugin).
        full = mkdocs_build(basic, site=basic.parent / "site-full")
        assert full.returncode == 0, full.stderr
        served = _index(_fetch(f"{base}/search/search_index.json")[1])
        assert served == _index((basic.parent / "site-full/search/search_index.json").read_text())
        assert any(e["location"] == "stages/sql/" for e in served)
        # A text edit: only the record's page is built again (and it shows the edit).
        edit(basic, "content/stages/sql.yaml", "A lead sales has spoken to", "A lead sales has called")
        _wait_for(f"{base}/stages/sql/", "A lead sales has called")
        assert log.read_text().count(IN_PLACE) == 2
        assert "1 of 13 generated pages built again" in log.read_text()
        # A deleted record disappears (a full rebuild: the site has one page less).
        (basic / "content/slas/mql-follow-up.yaml").unlink()
        _wait_for(f"{base}/stages/sql/", "Sales qualified lead")
        for _ in range(60):
            if _fetch(f"{base}/slas/mql-follow-up/")[0] == 404:
                break
            time.sleep(0.5)
        assert _fetch(f"{base}/slas/mql-follow-up/")[0] == 404
        assert "MQL follow-up" not in _fetch(f"{base}/stages/sql/")[1]
        served = _index(_fetch(f"{base}/search/search_index.json")[1])
        assert not any(str(e["location"]).startswith("slas/mql-follow-up/") for e in served)


@pytest.mark.site
def test_the_feed_link_extends_the_companys_own_main_template(basic: Path) -> None:
    """The plugin names the change feed the way a `playbook build --out` project does: a main.html
    that extends the theme's (here the company's custom_dir one, whose blocks stay)."""
    (basic / "custom").mkdir()
    (basic / "custom/main.html").write_text('{% extends "base.html" %}\n{% block extrahead %}'
                                            '<meta name="company" content="ours">{% endblock %}\n'
                                            '{% block announce %}Our announcement{% endblock %}\n')
    edit(basic, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: custom\n")
    result = mkdocs_build(basic)
    assert result.returncode == 0, result.stderr
    mql = read(basic, "stages/mql/index.html")
    head = mql.split("</head>")[0]
    assert '<meta name="company" content="ours">' in head and "Our announcement" in mql
    assert re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]*)"', head) == [
        "../../changes.xml"]
