"""``render.relative`` computes what ``posixpath.relpath`` does, without asking the OS."""

from __future__ import annotations

import itertools
import posixpath

from generator.render import relative

PATHS = ["index.md", "a/b.md", "a/index.md", "b/c.md", "a/b/c.md", "a/b/d/e.md", "x.md", "a", "a/",
         "./a.md", "../a.md", "a/../b.md", "/abs/a.md", "a//b.md", "ab/c.md", "a/bc.md"]


def test_relative_equals_relpath_for_every_pair() -> None:
    for target, page in itertools.product(PATHS, repeat=2):
        assert relative(target, page) == posixpath.relpath(target, posixpath.dirname(page) or "."), (target, page)


def test_relative_examples() -> None:
    assert relative("teams/sales.md", "stages/mql.md") == "../teams/sales.md"
    assert relative("stages/sql.md", "stages/mql.md") == "sql.md"
    assert relative("stages/index.md", "index.md") == "stages/index.md"
    assert relative("index.md", "index.md") == "index.md"
