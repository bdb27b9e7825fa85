"""Bad scenario input: one line naming the file, the key and the problem; exit 2; no traceback;
no output file left behind. Every case goes through main.main like a user would."""
from __future__ import annotations

import textwrap

import pytest

import main

GOOD = """
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 100.0
output_interval_s = 10.0

[orbit]
circular_altitude_km = 400.0

[[body]]
name = "sat"
mass_kg = 1000.0
box_m = [1.0, 1.0, 1.0]

[forces]
drag = "none"
"""

TLE1 = "1 25544U 98067A   22066.87965278  .00007224  00000+0  13623-3 0  9990"
TLE2 = "2 25544  51.6433 118.2979 0004901 229.8721 120.0122 15.49615511329466"
STATION = """
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 100.0
[orbit]
{orbit}
"""


def run_bad(tmp_path, capsys, text: str, extra=()):
    path = tmp_path / "bad.toml"
    path.write_text(textwrap.dedent(text))
    out = tmp_path / "run.npz"
    rc = main.main(["simulate", str(path), "--out", str(out), "--quiet", *extra])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert not out.exists() and not list(tmp_path.glob(".run.npz.*.tmp*"))
    return err, str(path)


CASES = [
    # (description, change to GOOD, expected key, expected words)
    ("unknown key, suggestion", GOOD.replace('drag = "none"', 'drag = "none"\nf107 = 150.0'),
     "forces.f107", "did you mean 'f107_sfu'"),
    ("unknown table, suggestion", GOOD.replace("[forces]", "[forcs]"), "forcs", "did you mean 'forces'"),
    ("unknown body key", GOOD.replace("mass_kg = 1000.0", "mass_kg = 1000.0\nmas_kg = 3.0"),
     "body[0].mas_kg", "did you mean 'mass_kg'"),
    ("wrong type", GOOD.replace("duration_s = 100.0", 'duration_s = "long"'), "time.duration_s", "expected a number"),
    ("unit written in the value", GOOD.replace("duration_s = 100.0", 'duration_s = "100 s"'), "time.duration_s",
     "expected a number, got '100 s'"),
    ("other unit in the key", GOOD.replace("duration_s = 100.0", "duration_min = 2.0"), "time.duration_min",
     "did you mean 'duration_s'"),
    ("km where metres are expected", GOOD.replace("circular_altitude_km = 400.0", "circular_altitude_m = 400e3"),
     "orbit.circular_altitude_m", "did you mean 'circular_altitude_km'"),
    ("wrong type bool", GOOD.replace('drag = "none"', 'drag = "none"\nj2 = 1'), "forces.j2", "true or false"),
    ("vector length", GOOD.replace("box_m = [1.0, 1.0, 1.0]", "box_m = [1.0, 1.0]"), "body[0].box_m", "3 numbers"),
    ("missing value", GOOD.replace('epoch_utc = "2022-03-05T12:00:00Z"', ""), "time.epoch_utc", "missing"),
    ("negative mass", GOOD.replace("mass_kg = 1000.0", "mass_kg = -5.0"), "body[0].mass_kg", "too small"),
    ("orbit below 100 km", GOOD.replace("circular_altitude_km = 400.0", "circular_altitude_km = 80.0"),
     "orbit.circular_altitude_km", "too small"),
    ("state vector below 100 km", GOOD.replace("circular_altitude_km = 400.0",
     "r_gcrs_m = [6400000.0, 0.0, 0.0]\nv_gcrs_mps = [0.0, 7800.0, 0.0]"), "orbit.r_gcrs_m", "below 100 km"),
    ("epoch outside the ephemeris", GOOD.replace("2022-03-05T12:00:00Z", "2080-01-01T00:00:00Z"),
     "time.epoch_utc", "ephemeris"),
    ("epoch not a date", GOOD.replace("2022-03-05T12:00:00Z", "5 March"), "time.epoch_utc", "ISO-8601"),
    ("bad choice", GOOD.replace('drag = "none"', 'drag = "msiss"'), "forces.drag", "did you mean 'msis'"),
    ("unknown attitude body", GOOD + '\n[attitude]\nsta = "free"\n', "attitude.sta", "did you mean 'sat'"),
    ("bad attitude mode", GOOD + '\n[attitude]\nsat = "hold"\n', "attitude.sat", "not one of"),
    ("unknown latch", GOOD + '\n[release]\nlatch = "ring"\n', "release.latch", "no such latch"),
    ("two orbits", GOOD.replace("circular_altitude_km = 400.0",
     'circular_altitude_km = 400.0\ntle_file = "iss_2022"'), "orbit.", "only one of"),
    ("missing TLE file", GOOD.replace("circular_altitude_km = 400.0", 'tle_file = "iss_2021"'),
     "orbit.tle_file", "did you mean 'iss_2022'"),
    ("burn on unknown body", GOOD + '\n[[burn]]\nbody = "sta"\nstart_s = 1.0\nduration_s = 1.0\n'
     'thrust_n = 1.0\ndirection_body = [1.0, 0.0, 0.0]\n', "burn[0].body", "did you mean 'sat'"),
    ("zero burn direction", GOOD + '\n[[burn]]\nbody = "sat"\nstart_s = 1.0\nduration_s = 1.0\n'
     'thrust_n = 1.0\ndirection_body = [0.0, 0.0, 0.0]\n', "burn[0].direction_body", "zero vector"),
    ("unphysical inertia", GOOD.replace("box_m = [1.0, 1.0, 1.0]", "inertia_kgm2 = [1.0, 1.0, 5.0]"),
     "body[0].inertia_kgm2", "not a physical inertia"),
]


@pytest.mark.parametrize("desc,text,key,words", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_one_line(tmp_path, capsys, desc, text, key, words):
    err, path = run_bad(tmp_path, capsys, text)
    assert err.startswith(f"error: {path}: {key}"), err
    assert words in err, err


@pytest.mark.parametrize("line,other,key,words", [
    (TLE1[:68] + "1", TLE2, "orbit.tle_line1", "checksum"),                      # bad checksum
    (TLE1, TLE2[:20] + "X" + TLE2[21:], "orbit.tle_line2", "malformed"),         # bad column content
    (TLE1[:-3], TLE2, "orbit.tle_line1", "69"),                                  # line too short
])
def test_malformed_tle(tmp_path, capsys, line, other, key, words):
    text = STATION.format(orbit=f'tle_line1 = "{line}"\ntle_line2 = "{other}"') + "\n[station]\n"
    err, path = run_bad(tmp_path, capsys, text)
    assert err.startswith(f"error: {path}: {key}: "), err
    assert words in err, err


def test_bad_pushers(tmp_path, capsys):
    text = GOOD.replace('[[body]]\nname = "sat"', '[[body]]\nname = "sat"') + textwrap.dedent("""
        [[body]]
        name = "b"
        mass_kg = 10.0
        box_m = [1.0, 1.0, 1.0]
        [[latch]]
        name = "ring"
        body_a = "sat"
        body_b = "b"
        port_a_body_m = [0.5, 0.0, 0.0]
        port_b_body_m = [-0.5, 0.0, 0.0]
        [release]
        latch = "ring"
        [release.pushers]
        preload_n = 10.0
        stiffness_n_per_m = 5000.0
        stroke_m = 0.03
        """)
    err, path = run_bad(tmp_path, capsys, text)
    assert err.startswith(f"error: {path}: release.pushers.preload_n: "), err


def test_not_toml(tmp_path, capsys):
    err, path = run_bad(tmp_path, capsys, "[time\nepoch_utc = 3\n")
    assert err.startswith(f"error: {path}: not valid TOML"), err


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.toml"
    assert main.main(["simulate", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {missing}: no such file"


def test_unknown_bundled_name(capsys):
    assert main.main(["simulate", "clip-2021"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: clip-2021: no such scenario") and "did you mean 'clip-2022'" in err, err


@pytest.mark.parametrize("option,value,words", [
    ("--out", "no-such-folder/run.npz", "does not exist"),
    ("--out", "run.txt", "must end in .npz"),
    ("--csv", "no-such-folder/csv", "does not exist"),
])
def test_bad_output_path(tmp_path, capsys, monkeypatch, option, value, words):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "ok.toml"
    path.write_text(GOOD)
    assert main.main(["simulate", str(path), option, value, "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {option}: {value}: ") and words in err, err
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("line,key,words", [
    ('vehicles = ["soyuz_ms19", "progres_ms18"]', "station.vehicles", "progres_ms18"),
    ('file = "no-such-station.toml"', "station.file", "no-such-station.toml"),
])
def test_bad_station_table(tmp_path, capsys, line, key, words):
    text = STATION.format(orbit='tle_file = "iss_2022"') + f"\n[station]\n{line}\n"
    err, path = run_bad(tmp_path, capsys, text)
    assert err.startswith(f"error: {path}: {key}: ") and words in err, err


def unwritable_folder(tmp_path):
    """A folder nobody may write to: chmod 555 works for ordinary users; root writes anywhere, so
    for root use /proc (Linux), where creating a file fails for everyone."""
    import os
    from pathlib import Path
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        return ro
    if Path("/proc/self").is_dir():
        return Path("/proc")
    pytest.skip("no unwritable folder available")


@pytest.mark.parametrize("option,name", [("--out", "run.npz"), ("--csv", "csv")])
def test_unwritable_output_folder(tmp_path, capsys, monkeypatch, option, name):
    """Caught before the run (a scratch file is created and removed: os.access says yes to root)."""
    folder = unwritable_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "ok.toml"
    path.write_text(GOOD)
    target = str(folder / name)
    assert main.main(["simulate", str(path), option, target, "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {option}: {target}: ") and "not writable" in err, err
    assert len(err.splitlines()) == 1
    assert not (folder / name).exists() and not list(folder.glob(".*.tmp*"))


def test_write_failure_after_the_run_is_one_line(tmp_path, capsys, monkeypatch):
    """A disk that fills up during the save: one line, exit 2, no temporary and no final file."""
    import numpy as np

    def full_disk(fh, **arrays):          # half a file written, then the disk is full
        fh.write(b"half")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez", full_disk)
    path = tmp_path / "ok.toml"
    path.write_text(GOOD)
    out = tmp_path / "run.npz"
    assert main.main(["simulate", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: --out: {out}: cannot write (No space left on device)", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.toml"]
