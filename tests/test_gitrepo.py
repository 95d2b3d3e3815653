"""Reading git: the first-parent log holds whatever text a commit carries (issue 24 items 2 and 11)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from generator.cli import main
from generator.history import changelog, gitrepo
from generator.history.gitrepo import GitError, first_parent_log, parse_log
from tests.history_repo import commit, edit, scripted_repo

# The old log format's field and record separators, an escape sequence and a bell.
AUTHOR = "Ana\x1fBell \x1b[31mRed\x07"
SUBJECT = "Fix\x1ethe\x1fMQL \x1b]0;title\x07"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = scripted_repo(tmp_path_factory.mktemp("gitrepo"))
    edit(root, "content/stages/mql.yaml", "summary: Ready for a sales call.", "summary: Ready for a call.")
    commit(root, SUBJECT, "2026-03-19T10:00:00+00:00", author=AUTHOR)
    return root


def test_the_log_keeps_an_authors_and_a_subjects_separators_as_text(hostile: Path) -> None:
    head = gitrepo.resolve_commit(hostile, "HEAD")
    last = first_parent_log(hostile, head, None, "content/")[-1]
    # git itself drops a trailing bell from a name; everything else arrives as written.
    assert (last.author, last.subject) == (AUTHOR.removesuffix("\x07"), SUBJECT)
    assert last.files == ((("M", "content/stages/mql.yaml", last.files[0][2]),))
    assert len(first_parent_log(hostile, head, None, "content/")) == 14


def test_text_that_is_not_a_log_is_a_git_error_not_a_traceback() -> None:
    with pytest.raises(GitError, match="git log printed something other than a commit"):
        parse_log([b"not a commit", b"x"])
    with pytest.raises(GitError):
        parse_log([b"a" * 40, b"parents only"])
    assert parse_log([b"", b"\n"]) == []


def test_every_command_reading_the_history_works_and_prints_no_control_character(hostile: Path) -> None:
    for form in ("text", "markdown", "json"):
        status, out = run("changes", "--root", str(hostile), "--today", "2026-03-20", "--format", form)
        assert status == 0
        if form != "json":  # JSON escapes them itself
            assert not any(ord(c) < 32 and c != "\n" for c in out), form
    _, text = run("changes", "--root", str(hostile), "--today", "2026-03-20", "--since", "2026-03-19")
    assert text == ("2026-03-19  Lifecycle stage changed: Marketing qualified lead  "
                    f"(Ana\\x1fBell \\x1b[31mRed, {text.split(', ')[1][:7]})\n"
                    "    Summary: “Ready for a sales call.” → “Ready for a call.”\n")
    status, exported = run("export", "--root", str(hostile), "--out", "-", "--today", "2026-03-20")
    assert status == 0 and "Ana\\u001fBell" in exported
    status, digest = run("digest", "--root", str(hostile), "--today", "2026-03-23", "--no-post")
    assert status == 0
    assert "2026-03-19 · Ana Bell \\x1b\\[31mRed · commit" in digest  # \\x1f folds as a space
    assert not any(ord(c) < 32 and c != "\n" for c in digest)


def test_the_digest_for_chats_shows_control_characters_as_escapes(hostile: Path) -> None:
    from generator.history import webhook

    log = changelog.load(hostile, date(2026, 3, 20))
    message = changelog.digest(log, date(2026, 3, 19), date(2026, 3, 19), site_url=None)
    assert message is not None
    for payload in (webhook.slack_payload(message), webhook.teams_payload(message)):
        text = str(payload)
        assert "\x1b" not in text and "\x1f" not in text and "\x07" not in text


def test_playbook_build_reports_a_generator_bug_as_a_bug(hostile: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A ValueError from the generator is exit 3 with its traceback, never a usage error (exit 2)."""
    import generator.commands.build as build

    def broken(*_: object) -> tuple[int, int]:
        raise ValueError("a bug in the generator")

    monkeypatch.setattr(build, "write_project", broken)
    assert run("build", "--root", str(hostile), "--out", str(tmp_path / "out"), "--today", "2026-03-20")[0] == 3
    assert "ValueError: a bug in the generator" in capsys.readouterr().err
    monkeypatch.undo()
    (tmp_path / "full").mkdir()
    (tmp_path / "full/keep.txt").write_text("mine")
    assert run("build", "--root", str(hostile), "--out", str(tmp_path / "full"), "--today", "2026-03-20")[0] == 2
    assert "is not empty and was not made by 'playbook build'" in capsys.readouterr().err
