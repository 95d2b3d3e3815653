"""The site's name is text (issue 24, point 1): a company name written as HTML in ``playbook.yml``
reads literally in the browser tab, the header, the nav and the logo's label, and creates no
element and runs no script, in the plugin build, the Zensical build and the plain-MkDocs build of
``playbook build --out``, for a public site."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from .browser import Reader, screenshot, serve
from .builders import BUILDERS, TODAY, build_with
from .conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.site]

# Every way out of text: an element with a handler, an attribute ended by a quote, the end of
# <title>, an entity the company typed (which must stay as typed, not turn into a character).
COMPANY = ('Acme<img src=x onerror=alert(document.domain)> "q" onfocus="alert(2)" AT&amp;T '
           "</title><script>alert(3)</script>")
NAME = f"{COMPANY} — Sales & Marketing Playbook"
# As page titles: angle brackets as look-alike quotes (Material's content.tooltips shows a title,
# and a shortened header's text, as HTML); every other character as written.
SHOWN = NAME.replace("<", "\u2039").replace(">", "\u203a")


def yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Each builder's public site of the builders fixture under that company name, served."""
    with ExitStack() as stack:
        served = {}
        for builder in BUILDERS:
            work = tmp_path_factory.mktemp(f"name-{builder}")
            root = work / "playbook"
            shutil.copytree(FIXTURES / "builders", root)
            (root / "playbook.yml").write_text(f"company: {yaml_text(COMPANY)}\n", encoding="utf-8")
            served[builder] = stack.enter_context(serve(build_with(builder, root, work, "public")))
        yield served


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("path", ["", "teams/revops/"])
def test_the_site_name_reads_literally_and_runs_nothing(browser: Any, sites: dict[str, str],
                                                         builder: str, path: str) -> None:
    reader = Reader(browser, dt.datetime.fromisoformat(TODAY))
    try:
        page = reader.open(sites[builder] + path)
        page.wait_for_timeout(300)  # an onerror handler fires once the image fails to load
        assert reader.dialogs == []
        assert page.locator("img[src=x], script:text('alert')").count() == 0
        assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                             ".some(a => a.name.startsWith('on'))).length") == 0
        assert page.title().endswith(SHOWN)
        assert page.locator(".md-header__topic .md-ellipsis").first.inner_text() == SHOWN
        for logo in (".md-header__button.md-logo", ".md-nav__button.md-logo"):
            assert page.locator(logo).get_attribute("aria-label") == SHOWN
        assert page.locator(".md-nav--primary > .md-nav__title").first.inner_text().strip() == SHOWN
        page.hover(".md-header__button.md-logo")  # the theme's tooltip of the logo (content.tooltips; Zensical: md-tooltip2)
        page.wait_for_timeout(300)
        assert "Acme\u2039img src=x" in page.locator(".md-tooltip__inner, .md-tooltip2__inner").first.inner_text()
        assert reader.dialogs == [] and page.locator("img[src=x]").count() == 0
        screenshot(page, f"site-name-{builder}-{path.strip('/').replace('/', '-') or 'home'}")
    finally:
        reader.close()
