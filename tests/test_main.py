"""main.py: the default command and the one-line handling of user errors."""
from __future__ import annotations

import sys

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


def test_reader_leaving_early_is_not_a_traceback(tmp_path):
    """`python main.py simulate ... | head -1`: the reader closes the pipe before the summary is
    written. The read end is closed first so the very first write fails (a test that only read a
    few lines could pass with the whole summary sitting in the pipe buffer)."""
    import os
    import subprocess
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    try:
        out = tmp_path / "run.npz"     # and the run still saves its file (the summary is printed first)
        proc = subprocess.run([sys.executable, "main.py", "simulate", "separation-conservation", "--quiet",
                               "--out", str(out)], cwd=root,
                              stdout=write_fd, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_fd)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0 and out.is_file()


def test_simulate_engine_option_reaches_physics(tmp_path, capsys):
    """`simulate --engine jit` runs the free flight after the push in the compiled engine (the run's
    metadata says from when); a wrong engine is an argparse error (exit 2)."""
    pytest.importorskip("numba")
    from physics.trajectory import Trajectory
    out = tmp_path / "run.npz"
    assert main.main(["simulate", "separation-conservation", "--engine", "jit", "--quiet", "--out", str(out)]) == 0
    assert Trajectory.load_npz(out).metadata["integrator"]["engine"].startswith("jit from t_s=")
    with pytest.raises(SystemExit) as exc:
        main.main(["simulate", "separation-conservation", "--engine", "fast"])
    assert exc.value.code == 2
