from pathlib import Path

from generator.cli import main


def test_basic_fixture_is_clean(basic: Path, capsys) -> None:
    assert main(["check", "--root", str(basic)]) == 0
    assert capsys.readouterr().out == "playbook check: no problems found\n"
