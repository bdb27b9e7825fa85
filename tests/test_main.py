"""main.py: the default command and the one-line handling of user errors."""
from __future__ import annotations

import pytest

import main


def test_options_without_a_command_go_to_the_app(monkeypatch):
    seen = {}

    def fake_run(args):
        seen["scenario"] = args.scenario
        return 0

    from cli import app_cmd

    monkeypatch.setattr(app_cmd, "run", fake_run)
    assert main.main(["kepler-circular"]) == 0
    assert seen["scenario"] == "kepler-circular"
    assert main.main([]) == 0
    assert seen["scenario"] == "clip-2022"


def test_user_error_is_one_line_and_exit_2(capsys):
    assert main.main(["simulate", "no-such-scenario-xyz"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "no-such-scenario-xyz" in err[0]


def test_help_exits_cleanly():
    with pytest.raises(SystemExit) as exc:
        main.main(["--help"])
    assert exc.value.code == 0
