"""``fewer_gc_passes`` changes the collector's threshold only while it runs."""

from __future__ import annotations

import gc

import pytest

from generator.rules.project import fewer_gc_passes


def test_threshold_is_raised_then_restored() -> None:
    before = gc.get_threshold()
    with fewer_gc_passes(50_000):
        assert gc.get_threshold() == (max(before[0], 50_000), *before[1:])
        with fewer_gc_passes(10):  # nested: never lowers it
            assert gc.get_threshold()[0] == max(before[0], 50_000)
    assert gc.get_threshold() == before


def test_threshold_is_restored_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_gc_passes():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
