#!/usr/bin/env python3
"""Every link and asset of a built site that points inside it leads to a file (``links.py SITE``).

``mkdocs build --strict`` checks the links written in Markdown; this checks what reaches the
reader: every ``href``/``src`` of every HTML page that is relative (or root-relative) must name a
file of the site (a folder's ``index.html`` counts). Exit 1 with one line per broken link."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def broken(site: Path) -> list[str]:
    root = site.resolve()
    problems = []
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for link in parser.found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, or an anchor on this page
            path = unquote(parts.path)
            target = (root / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            target = target.resolve()
            ok = target.is_relative_to(root) and (
                target.is_file() or (target.is_dir() and (target / "index.html").is_file()))
            if not ok:
                problems.append(f"{page.relative_to(root).as_posix()}: broken link {link}")
    return problems


if __name__ == "__main__":
    found = broken(Path(sys.argv[1]))
    print("\n".join(found) if found else f"links.py: every internal link of {sys.argv[1]} leads to a file")
    sys.exit(1 if found else 0)
