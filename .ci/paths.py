#!/usr/bin/env python3
"""Which path CI takes for a pull request, from the paths it changes (NUL-separated on standard
input, as ``git diff --name-only -z`` writes them): ``content`` when every one is content a
salesperson edits (``content/``, ``docs/``, ``playbook.yml``), ``full`` for anything else (the
generator, templates, schemas, tests, workflows, dependencies...), and for no path at all.

Prints ``kind=content`` or ``kind=full`` (a line for ``$GITHUB_OUTPUT``)."""

from __future__ import annotations

import re
import sys

CONTENT = re.compile(r"(?:content|docs)/.+|playbook\.yml")


def kind(paths: list[str]) -> str:
    def content(path: str) -> bool:
        return CONTENT.fullmatch(path) is not None and ".." not in path.split("/") and "\n" not in path

    return "content" if paths and all(content(p) for p in paths) else "full"


if __name__ == "__main__":
    print(f"kind={kind([p for p in sys.stdin.buffer.read().decode('utf-8', 'replace').split(chr(0)) if p])}")
