"""The command line: exit statuses, output formats and usage errors."""

from __future__ import annotations

import io
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import edit_file


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def break_it(root: Path) -> None:
    (root / "content/stages/sql.yaml").write_text("title: SQL\nowner: nobody\nlast_reviewed: 2026-13-01\n")


def test_check_clean(basic: Path) -> None:
    assert run("check", "--root", str(basic)) == (0, "playbook check: no problems found\n")


def test_check_text(basic: Path) -> None:
    break_it(basic)
    status, out = run("check", "--root", str(basic))
    assert status == 1
    assert out.splitlines() == [
        "content/stages/sql.yaml:1:1: error: missing required field 'definition'",
        "content/stages/sql.yaml:1:1: error: missing required field 'order'",
        "content/stages/sql.yaml:1:1: error: missing required field 'owning_team'",
        "content/stages/sql.yaml:2:8: error: owner: 'nobody' is not a known record in people or teams",
        "content/stages/sql.yaml:3:16: error: last_reviewed: expected a real date written YYYY-MM-DD, "
        "found the text '2026-13-01'",
        "playbook check: 5 errors in 1 file",
    ]


def test_check_warnings_alone_do_not_fail(basic: Path) -> None:
    mql = basic / "content/stages/mql.yaml"
    edit_file(mql, "  - Fit grade A or B", "  - Fit grade A or B, see #scoring")
    assert run("check", "--root", str(basic)) == (0, (
        "content/stages/mql.yaml:12:27: warning: the text '#scoring' is read as a comment and dropped "
        "from the value; quote the whole value to keep it\n"
        "playbook check: 1 warning in 1 file\n"
    ))


def test_check_json(basic: Path) -> None:
    break_it(basic)
    status, out = run("check", "--root", str(basic), "--format", "json")
    assert status == 1
    found = json.loads(out)
    assert found[3] == {
        "file": "content/stages/sql.yaml", "line": 2, "column": 8, "severity": "error",
        "message": "owner: 'nobody' is not a known record in people or teams",
    }
    assert len(found) == 5


def test_check_json_clean_is_an_empty_list(basic: Path) -> None:
    assert run("check", "--root", str(basic), "--format", "json") == (0, "[]\n")


def test_check_github(basic: Path) -> None:
    break_it(basic)
    status, out = run("check", "--root", str(basic), "--format", "github")
    assert status == 1
    assert out.splitlines()[3] == (
        "::error file=content/stages/sql.yaml,line=2,col=8::owner: 'nobody' is not a known record in people or teams"
    )


def test_github_format_escapes_newlines_and_properties(basic: Path) -> None:
    from generator.core.problems import Problem, format_github

    assert format_github([Problem("a,b:c.yaml", 1, 2, "50%\nnext")]) == (
        "::error file=a%2Cb%3Ac.yaml,line=1,col=2::50%25%0Anext\n"
    )


def test_check_runs_on_the_current_folder(basic: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m generator check`` in the playbook's folder (run in-process: the same __main__)."""
    monkeypatch.chdir(basic)
    monkeypatch.setattr(sys, "argv", ["generator", "check"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("generator", run_name="__main__", alter_sys=True)
    assert (exited.value.code, capsys.readouterr().out) == (0, "playbook check: no problems found\n")


def test_not_a_playbook_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--root", str(tmp_path)) == (2, "")
    assert capsys.readouterr().err == (
        f"playbook: error: {tmp_path} is not a playbook: it has no content/ or schemas/ folder\n"
    )


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["check", "--format", "xml"], ["build"],
                                  ["build", "--out", "x", "--today", "2026-02-30"]])
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_build_writes_the_site_project(basic: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    status, text = run("build", "--root", str(basic), "--out", str(out), "--today", "2026-04-01")
    assert (status, text) == (0, f"playbook build: 13 generated pages in {out} (28 files written, 0 removed)\n")
    assert "\n# Marketing qualified lead (MQL)\n" in (out / "docs/stages/mql.md").read_text()
    assert (out / "docs/how-we-work.md").read_text() == (basic / "docs/how-we-work.md").read_text()
    assert (out / "mkdocs.yml").is_file() and (out / "docs/playbook.json").is_file()
    assert (out / "docs/changes.xml").is_file()  # the change feed


def test_build_with_problems_writes_nothing(basic: Path, tmp_path: Path) -> None:
    break_it(basic)
    out = tmp_path / "md"
    status, text = run("build", "--root", str(basic), "--out", str(out))
    assert status == 1
    assert text.startswith("content/stages/sql.yaml:1:1: error: missing required field 'definition'\n")
    assert not out.exists()


def test_a_generator_bug_prints_its_traceback_and_says_it_is_a_bug(
        basic: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A fault inside the generator's own code (not the template's): ``set(None)`` in render.py.
    monkeypatch.setattr("generator.site.render.COMMON_FIELDS", None)
    assert main(["build", "--root", str(basic), "--out", str(basic.parent / "out"),
                 "--today", "2026-04-01"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last):" in err
    assert "TypeError: 'NoneType' object is not iterable" in err
    assert err.rstrip().splitlines()[-1] == (
        "playbook: this is a bug in the playbook generator, not a problem in your content; please report "
        "it with the traceback above")


@pytest.mark.parametrize("text", ["20261123", "2026-11-23T00:00", "2026-2-3", "2026-02-30", "\uff12\uff10\uff12\uff16-11-23"])
def test_every_date_option_refuses_what_is_not_a_real_iso_date(basic: Path, text: str, capsys) -> None:
    for argv in (["build", "--out", str(basic.parent / "out")], ["stale"], ["export", "--out", "-"],
                 ["new", "stages", "x"]):
        with pytest.raises(SystemExit) as exited:
            main([*argv, "--root", str(basic), "--today", text])
        assert exited.value.code == 2
        assert f"not a real date written YYYY-MM-DD: {text!r}" in capsys.readouterr().err


def test_check_output_is_printable(basic: Path) -> None:
    """Issue 13, point 11: keys and values reached the terminal raw (ESC, bidi overrides)."""
    (basic / "content/stages/sql.yaml").write_text(
        'title: SQL\nowner: revops\nlast_reviewed: 2026-01-05\norder: 2\ndefinition: x\nowning_team: sales\n'
        '"\\e]0;pwned\\a\\e[2J\u202egnp.exe": 1\n', encoding="utf-8")
    for fmt in ("text", "github"):
        status, out = run("check", "--root", str(basic), "--format", fmt)
        assert status == 1
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert r"unknown field '\x1b]0;pwned\x07\x1b[2J\u202egnp.exe'" in out
    status, out = run("check", "--root", str(basic))
    assert out.splitlines()[0] == (
        r"content/stages/sql.yaml:7:1: error: unknown field '\x1b]0;pwned\x07\x1b[2J\u202egnp.exe'")


def test_printable_file_names(basic: Path) -> None:
    from generator.core.problems import Problem, format_github, format_text

    problem = Problem("content/st\x1bages/a\tb.yaml", 1, 1, "bad\x00 value\nnext line")
    assert format_text([problem]) == "content/st\\x1bages/a\\tb.yaml:1:1: error: bad\\x00 value\\nnext line\n"
    assert format_github([problem]) == "::error file=content/st\\x1bages/a\\tb.yaml,line=1,col=1::bad\\x00 value%0Anext line\n"


def test_basic_fixture_is_clean(basic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(basic)]) == 0
    assert capsys.readouterr().out == "playbook check: no problems found\n"


@pytest.mark.parametrize("many", [False, True])
def test_a_closed_pipe_ends_quietly(basic: Path, many: bool) -> None:
    """Issue 24, point 14: `playbook check | grep -m1 ...` must not end in a BrokenPipe
    traceback, whether the output is still buffered at the end (a few lines) or written while
    the reader is gone (more than a pipe holds)."""
    count = 1000 if many else 2
    for i in range(count):
        (basic / f"content/stages/broken-{i}.yaml").write_text("title: [\n")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before anything is written
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(basic)],
                            stdout=writer, stderr=subprocess.PIPE, text=True, timeout=600)
    os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 141
