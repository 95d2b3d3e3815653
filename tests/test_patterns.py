"""Schema patterns are matched within a time limit (issue 24, point 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.core import patterns


def test_same_meaning_as_python_re() -> None:
    assert patterns.search(r"^[a-z]+$", "abc\n") is True  # ``$`` before a final newline, as re
    assert patterns.search(r"^\d{4}-\d{2}$", "2026-13") is True
    assert patterns.search(r"^[A-Z]", "lower") is False
    assert patterns.search(r"(?i)^mql$", "MQL") is True


def test_a_backtracking_pattern_is_cut_off() -> None:
    assert patterns.search(r"^(a|aa)+$", "a" * 5000 + "!") is None


def test_check_ends_with_a_located_problem_on_a_backtracking_pattern(basic: Path) -> None:
    """The audit's case: check ran past 60 s. A generous guard (a subprocess with a time limit)
    catches a hang; the verdict is what is asserted, never the time."""
    path = basic / "schemas/stages.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["code"] = {"type": "string", "pattern": "^(a|aa)+$"}
    path.write_text(json.dumps(schema, indent=2))
    stage = basic / "content/stages/mql.yaml"
    stage.write_text(stage.read_text() + f"code: {'a' * 3000}!\n")
    line = len(stage.read_text().splitlines())
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(basic)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"content/stages/mql.yaml:{line}:7: error: code: {patterns.MESSAGE}",
                                          "playbook check: 1 error in 1 file"]
