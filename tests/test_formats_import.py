"""[orbit] ccsds_file: an initial state from a CCSDS OPM or an OEM's first state; bad files and bad
output paths of the format options: one line, exit 2, nothing written."""
from __future__ import annotations

import numpy as np
import pytest

import main
import scenario
from formats.ccsds import opm_text

R0 = np.array([6778137.0, 1.5, -2.25])
V0 = np.array([0.5, 4763.0, 6010.0123456789])
EPOCH = "2022-03-05T12:00:00Z"


def _scenario(tmp_path, orbit: str, epoch: str = EPOCH, name: str = "s.toml") -> str:
    path = tmp_path / name
    path.write_text(f'[time]\nepoch_utc = "{epoch}"\nduration_s = 20.0\noutput_interval_s = 10.0\n'
                    f'[orbit]\n{orbit}\n[[body]]\nname = "box"\nmass_kg = 2000.0\nbox_m = [2.0, 1.0, 1.0]\n'
                    '[[body]]\nname = "can"\nmass_kg = 500.0\nbox_m = [1.0, 1.0, 1.0]\nrelative_to = "box"\nr_lvlh_m = [-50.0, 0.0, 0.0]\n')
    return str(path)


def test_opm_round_trip(tmp_path):
    (tmp_path / "iss.opm").write_text(opm_text(EPOCH, R0, V0, "ISS"))
    inputs = scenario.prepare(scenario.load(_scenario(tmp_path, 'ccsds_file = "iss.opm"')))
    # km printed in shortest round-trip form: back to metres within float64 round-off
    np.testing.assert_allclose(inputs.state0.r_gcrs_m[0], R0, rtol=0, atol=1e-8)
    np.testing.assert_allclose(inputs.state0.v_gcrs_mps[0], V0, rtol=0, atol=1e-11)


def test_oem_first_state_of_a_named_segment(tmp_path):
    from formats.ccsds import write_oem
    (tmp_path / "iss.opm").write_text(opm_text(EPOCH, R0, V0, "ISS"))
    traj = scenario.run(scenario.load(_scenario(tmp_path, 'ccsds_file = "iss.opm"')))
    write_oem(traj, tmp_path / "run.oem")
    orbit = 'ccsds_file = "run.oem"\nccsds_object = "can"'
    inputs = scenario.prepare(scenario.load(_scenario(tmp_path, orbit, name="again.toml")))
    np.testing.assert_allclose(inputs.state0.r_gcrs_m[0], traj.r_gcrs_m[0, 1], rtol=0, atol=1e-8)
    np.testing.assert_allclose(inputs.state0.v_gcrs_mps[0], traj.v_gcrs_mps[0, 1], rtol=0, atol=1e-11)


def test_eme2000_is_rotated_by_the_frame_bias(tmp_path):
    from formats.ccsds_import import read_initial_state
    (tmp_path / "e.opm").write_text(opm_text(EPOCH, R0, V0).replace("= ICRF", "= EME2000"))
    st = read_initial_state(tmp_path / "e.opm")
    shift = np.linalg.norm(st.r_gcrs_m - R0)
    assert 0.3 < shift < 1.0                     # 23 mas at 6778 km = 0.76 m at most
    np.testing.assert_allclose(np.linalg.norm(st.r_gcrs_m), np.linalg.norm(R0), rtol=1e-14)


BAD_FILES = [
    ("garbage.oem", lambda: "this is not CCSDS\n", "not a readable CCSDS OPM or OEM"),
    ("mci.opm", lambda: opm_text(EPOCH, R0, V0).replace("= ICRF", "= MCI"), "REF_FRAME: 'MCI' is not one of"),
    ("moon.opm", lambda: opm_text(EPOCH, R0, V0).replace("= EARTH", "= MOON"), "CENTER_NAME: 'MOON'"),
    ("tdb.opm", lambda: opm_text(EPOCH, R0, V0).replace("= UTC", "= TDB"), "TIME_SYSTEM: 'TDB'"),
]


@pytest.mark.parametrize("name, text, problem", BAD_FILES)
def test_bad_ccsds_file_is_one_line(tmp_path, capsys, name, text, problem):
    (tmp_path / name).write_text(text())
    out = tmp_path / "run.npz"
    assert main.main(["simulate", _scenario(tmp_path, f'ccsds_file = "{name}"'), "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"error: {tmp_path / name}: ") and problem in err, err
    assert not out.exists()


def test_missing_file_wrong_object_and_epoch(tmp_path, capsys):
    (tmp_path / "iss.opm").write_text(opm_text(EPOCH, R0, V0, "ISS"))
    cases = [('ccsds_file = "nope.opm"', EPOCH, "orbit.ccsds_file: no such file 'nope.opm'"),
             ('ccsds_file = "iss.opm"\nccsds_object = "Zarya"', EPOCH, "OBJECT_NAME: 'ISS', not 'Zarya'"),
             ('ccsds_file = "iss.opm"', "2022-03-05T12:00:01Z", "time.epoch_utc: 2022-03-05T12:00:01Z is not the EPOCH"),
             ('ccsds_object = "ISS"', EPOCH, "orbit.ccsds_object: needs orbit.ccsds_file")]
    for orbit, epoch, problem in cases:
        assert main.main(["simulate", _scenario(tmp_path, orbit, epoch), "--quiet"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and problem in err, err


@pytest.mark.parametrize("option, name, problem", [
    ("--oem", "run.txt", "must end in .oem"), ("--aem", "nowhere/run.aem", "does not exist"),
    ("--czml", "run.json", "must end in .czml")])
def test_bad_output_paths_fail_before_the_run(tmp_path, capsys, option, name, problem):
    out = tmp_path / "run.npz"
    args = ["simulate", "kepler-circular", "--quiet", "--out", str(out), option, str(tmp_path / name)]
    assert main.main(args) == 2
    captured = capsys.readouterr()
    assert problem in captured.err and len(captured.err.strip().splitlines()) == 1
    assert captured.out == "" and not out.exists()             # nothing ran, nothing written


def test_aem_of_a_long_run_is_refused_before_it(tmp_path, capsys):
    assert main.main(["simulate", "lifetime-estimate", "--quiet", "--aem", str(tmp_path / "x.aem")]) == 2
    captured = capsys.readouterr()
    assert "no attitude of its own" in captured.err and captured.out == ""


def test_animate_needs_a_station_run(tmp_path, capsys):
    (tmp_path / "iss.opm").write_text(opm_text(EPOCH, R0, V0, "ISS"))
    traj = scenario.run(scenario.load(_scenario(tmp_path, 'ccsds_file = "iss.opm"')))
    traj.save_npz(tmp_path / "boxes.npz")
    (tmp_path / "junk.npz").write_text("not a zip")
    for npz, problem in (("boxes.npz", "needs the station segments ROS and USOS"), ("junk.npz", "not an .npz")):
        out = tmp_path / "split.glb"
        assert main.main(["export-model", "--animate", str(tmp_path / npz), "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and problem in err, err
        assert not out.exists() and not list(tmp_path.glob(".*.tmp*"))
    assert main.main(["export-model", "--animate", str(tmp_path / "boxes.npz"), "--out", str(tmp_path / "a.gltf")]) == 2
    assert "must end in .glb" in capsys.readouterr().err
