"""Issue 15, one test per failure class: tracebacks, hangs, not one line, accepted bad input, things
left behind (signals mid-write, concurrent writers, full disks), resources. The scenario keys
themselves are fuzzed in tests/test_fuzz_scenario.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

import main
from fileio import InputFileError, atomic_file, atomic_folder, check_npz_members, probe_output
from fileio.atomic import OutputError

ROOT = Path(__file__).resolve().parents[1]
SMALL = '''title = "small"
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 60.0
output_interval_s = 10.0
[orbit]
circular_altitude_km = 400.0
[[body]]
name = "A"
mass_kg = 1000.0
box_m = [1.0, 1.0, 1.0]
[forces]
drag = "none"
'''


def run_main(*args, cwd, timeout=120):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def one_line(proc) -> str:
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return lines[0]


# ------------------------------------------------------------------ tracebacks
def test_screenshot_to_an_unwritable_place_is_one_line_before_simulating(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(SMALL)
    assert main.main(["screenshot", str(tmp_path / "s.toml"), "--out", "/proc/x.png", "--size", "64x64"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: screenshot: --out: /proc/x.png:") and "simulating" not in err, err


def test_joint_angle_nan_is_one_line():
    for cmd in (["station", "--joint", "sarj_stbd=nan"], ["export-model", "--joint", "sarj_stbd=inf", "--out", "m.glb"]):
        from cli.station_cmd import joints_from_args
        from station.spec import StationFileError
        with pytest.raises(StationFileError, match="-360..360"):
            joints_from_args([cmd[2]])


def test_damaged_long_run_arrays_are_one_line_and_leave_no_folder(tmp_path):
    from scenario.errors import ScenarioError
    from scenario.longterm.io import FIELDS, FORMAT, VERSION, load_long_run
    import json
    header = {"format": FORMAT, "version": VERSION, "runs": [{"label": "main"}]}
    arrays = {f"r0.{f}": np.zeros(3) for f in FIELDS}
    arrays["r0.t_s"] = np.array([0.0, np.nan, 2.0])
    arrays["r0.propellant_kg"] = np.zeros((3, 0))
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ScenarioError, match="r0.t_s"):
        load_long_run(tmp_path / "bad.npz")


# ------------------------------------------------------------------ hangs
def test_a_fifo_as_station_file_is_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "s.toml").write_text('[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 60.0\n'
                                     '[orbit]\ncircular_altitude_km = 400.0\n[station]\nfile = "fifo"\n')
    line = one_line(run_main("simulate", "s.toml", "--quiet", cwd=tmp_path, timeout=60))
    assert "station.file" in line and "not a regular file" in line


def test_a_run_over_the_step_budget_is_refused_with_its_estimate_and_the_flag(tmp_path, monkeypatch):
    import scenario
    from scenario.errors import ScenarioError
    from scenario.plausible import ALLOW_ENV
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    text = SMALL.replace("duration_s = 60.0", "duration_s = 3.0e7").replace(
        "output_interval_s = 10.0", "output_interval_s = 3600.0\nmax_step_s = 0.01")
    (tmp_path / "s.toml").write_text(text)
    with pytest.raises(ScenarioError) as err:
        scenario.load(tmp_path / "s.toml")
    assert "time.max_step_s" in str(err.value) and "3e+09 integrator steps" in str(err.value) \
        and "--allow-large" in str(err.value)
    monkeypatch.setenv(ALLOW_ENV, "1")
    assert scenario.load(tmp_path / "s.toml").time.max_step_s == 0.01


def test_record_refuses_tens_of_millions_of_frames_before_simulating(tmp_path):
    (tmp_path / "s.toml").write_text(SMALL)
    line = one_line(run_main("record", "s.toml", "--out", "v.mp4", "--timemap", "0.0000001x", "--size", "64x64",
                             cwd=tmp_path))
    assert "frames" in line and "--allow-large" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


# ------------------------------------------------------------------ not one line
def test_a_users_newline_is_shown_escaped(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(SMALL.replace('name = "A"', 'name = "A\\nerror: forged"'))
    assert main.main(["simulate", str(tmp_path / "s.toml"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\\n" in err, err


def test_the_worker_error_is_the_line_simulate_prints(tmp_path):
    """The app's worker (render/loading.py) reports a failed run as `simulate` does: FILE: key: problem."""
    from render.loading import worker_error_line
    from scenario.errors import ScenarioError
    exc = ScenarioError("s.toml", "station.file", "no such file 'x\ny'")
    assert worker_error_line(exc) == "s.toml: station.file: no such file 'x\\ny'"
    assert worker_error_line(ValueError("a\nb")) == "ValueError: a"


# ------------------------------------------------------------------ accepted bad input
def test_empty_out_and_nul_epoch_are_refused(tmp_path):
    (tmp_path / "s.toml").write_text(SMALL)
    assert "--out" in one_line(run_main("simulate", "s.toml", "--quiet", "--out", "", cwd=tmp_path))
    (tmp_path / "n.toml").write_text(SMALL.replace('12:00:00Z"', '12:00:00Z\\u0000"'))
    assert "time.epoch_utc" in one_line(run_main("simulate", "n.toml", "--quiet", cwd=tmp_path))


def test_nan_and_zero_quaternion_trajectories_are_refused_for_drawing(tmp_path):
    from dataclasses import replace
    import scenario
    from scenario.errors import ScenarioError
    from scenario.trajcheck import check_trajectory
    (tmp_path / "s.toml").write_text(SMALL)
    traj = scenario.run(scenario.load(tmp_path / "s.toml"))
    check_trajectory(traj, "ok.npz")
    r = traj.r_gcrs_m.copy()
    r[2, 0, 1] = np.nan
    with pytest.raises(ScenarioError, match="r_gcrs_m: non-finite value at sample 2"):
        check_trajectory(replace(traj, r_gcrs_m=r), "nan.npz")
    with pytest.raises(ScenarioError, match="not a unit quaternion"):
        check_trajectory(replace(traj, q_gcrs_from_body=np.zeros_like(traj.q_gcrs_from_body)), "q.npz")
    with pytest.raises(ScenarioError, match="outside the bundled ephemeris"):
        check_trajectory(replace(traj, epoch_tt_jd=2488069.5), "late.npz")      # the year 2100


# ------------------------------------------------------------------ left behind
SLOW_WRITER = '''
import sys, time, numpy as np
sys.path.insert(0, {root!r})
def slow(fh, **arrays):              # half the file written, then it waits for the signal
    fh.write(b"half"); fh.flush(); print("WRITING", flush=True); time.sleep(60)
np.savez = slow
import main
sys.exit(main.main(sys.argv[1:]))
'''


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_mid_write_leaves_nothing(tmp_path, sig, code):
    (tmp_path / "s.toml").write_text(SMALL)
    (tmp_path / "slow.py").write_text(SLOW_WRITER.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, "slow.py", "simulate", "s.toml", "--quiet", "--out", "o.npz"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if "WRITING" in line:
            break
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml", "slow.py"]


def test_two_concurrent_writers_leave_one_complete_file(tmp_path):
    target = tmp_path / "run.bin"
    payloads = [bytes([i]) * 3_000_000 for i in (1, 2)]
    barrier = threading.Barrier(2)

    def write(data):
        barrier.wait()
        with atomic_file(target) as fh:
            for k in range(0, len(data), 100_000):
                fh.write(data[k:k + 100_000])
    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["run.bin"]


def test_a_folder_set_appears_whole_or_not_at_all(tmp_path):
    out = tmp_path / "csv"
    with pytest.raises(OSError):
        with atomic_folder(out) as tmp:
            (tmp / "a.csv").write_text("1")
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []
    with atomic_folder(out) as tmp:
        (tmp / "a.csv").write_text("1")
        (tmp / "b.csv").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]
    (out / "keep.txt").write_text("mine")            # an existing folder: the set is moved in, the rest kept
    with atomic_folder(out) as tmp:
        (tmp / "a.csv").write_text("3")
    assert (out / "a.csv").read_text() == "3" and (out / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv", "keep.txt"]


def test_probe_output_writes_for_real(tmp_path):
    probe_output(tmp_path / "x.npz", "--out")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputError, match="does not exist"):
        probe_output(tmp_path / "no" / "x.npz", "--out")


# ------------------------------------------------------------------ resources
def test_a_zip_bomb_is_refused_before_decompressing(tmp_path):
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("t_s.npy", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(64):
                fh.write(block)
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(InputFileError, match="zip bomb"):
        check_npz_members(bomb)
    with pytest.raises(InputFileError, match="GiB uncompressed"):
        check_npz_members(bomb, cap=1 << 20)


def test_outputs_store_the_scenarios_hash_not_a_big_copy(tmp_path):
    import scenario
    from scenario.build import MAX_STORED_TOML
    big = SMALL.replace('title = "small"', 'title = "small"\ndescription = """' + "x" * (MAX_STORED_TOML + 10) + '"""')
    (tmp_path / "s.toml").write_text(big)
    meta = scenario.prepare(scenario.load(tmp_path / "s.toml")).metadata["scenario"]
    assert "toml" not in meta and len(meta["sha256"]) == 64 and meta["bytes"] == len(big.encode())
    (tmp_path / "s.toml").write_text(SMALL)
    assert scenario.prepare(scenario.load(tmp_path / "s.toml")).metadata["scenario"]["toml"] == SMALL


def test_identical_long_runs_give_identical_bytes(tmp_path):
    """The long-run file holds no wall-clock field: two saves of one run timed differently are equal."""
    from dataclasses import replace
    import scenario
    from scenario.loader import from_dict
    from scenario.longterm.io import save_long_run
    raw = {"time": {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 60.0}, "orbit": {"tle_file": "iss_2022"},
           "station": {}, "release": {},
           "long_term": {"start": "docked", "duration_days": 2.0, "compare_without_reboosts": False,
                         "drag_calibration": False, "activity": "moderate"}}
    lr = scenario.run_long(from_dict(raw, source="x.toml"), headline=False)
    save_long_run(replace(lr, wall_s={"start": 1.0}), tmp_path / "a.npz")
    save_long_run(replace(lr, wall_s={"start": 2.0}), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_a_sample_budget_names_the_estimate(tmp_path, monkeypatch):
    import scenario
    from scenario.errors import ScenarioError
    monkeypatch.delenv("ISS_ALLOW_LARGE", raising=False)
    text = SMALL.replace("duration_s = 60.0", "duration_s = 3.0e7").replace("output_interval_s = 10.0",
                                                                            "output_interval_s = 0.01")
    (tmp_path / "s.toml").write_text(text)
    with pytest.raises(ScenarioError, match=r"time.output_interval_s: 3e\+09 samples .* GiB"):
        scenario.load(tmp_path / "s.toml")


def test_png_frames_on_a_full_disk_are_one_line_and_leave_nothing(tmp_path, monkeypatch):
    from PIL import Image
    from render.video import VideoError, VideoSpec, VideoWriter
    calls = []

    def full(self, fp, *a, **k):
        calls.append(fp)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        return real(self, fp, *a, **k)
    real = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", full)
    frame = np.zeros((16, 16, 3), np.uint8)
    with pytest.raises(VideoError, match="cannot write frame 2 .No space left on device."):
        with VideoWriter(VideoSpec(tmp_path / "frames", (16, 16), 30.0, "png")) as vw:
            for _ in range(5):
                vw.write(frame)
    assert list(tmp_path.iterdir()) == []
