"""`python main.py plot run.npz --out DIR`: the figures exist, are PNGs, and draw the right data."""
from __future__ import annotations


import numpy as np
import pytest

import main
import scenario
from scenario import plots
from scenario.cw import relative_lvlh

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    out = {}
    for name in ("separation-conservation", "cw-impulse"):
        out[name] = folder / f"{name}.npz"
        scenario.run(name).save_npz(out[name])
    return out


def test_plot_writes_readable_pngs(runs, tmp_path, capsys):
    folder = tmp_path / "figs"
    assert main.main(["plot", str(runs["separation-conservation"]), "--out", str(folder)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["altitude.png", "attitude_rates.png", "lvlh.png", "range.png"]
    from PIL import Image
    for p in folder.iterdir():
        assert p.read_bytes()[:8] == PNG
        w, h = Image.open(p).size
        assert w >= 1200 and h >= 700          # projector size at 100 dpi


def test_lvlh_figure_draws_simulation_and_cw(runs):
    from physics.trajectory import Trajectory
    traj = Trajectory.load_npz(runs["cw-impulse"])
    fig = plots.fig_lvlh(traj)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    sim = lines["simulated (central gravity)"]      # the legend names the forces the run used
    cw = lines["Clohessy-Wiltshire, from the state at the start"]
    rho, _ = relative_lvlh(traj.r_gcrs_m, traj.v_gcrs_mps, 1, 0)
    assert np.allclose(sim.get_xdata(), rho[:, 0]) and np.allclose(sim.get_ydata(), -rho[:, 2])
    # central gravity only: CW and the simulation agree to the linearisation error (< 1 m, see
    # tests/test_scenario_run.py); the drift is 6 pi dv / n ~ 1.67 km, so this is the real overlay
    assert np.max(np.hypot(cw.get_xdata() - sim.get_xdata(), cw.get_ydata() - sim.get_ydata())) < 1.0
    assert min(cw.get_xdata()) < -1600.0
    assert "along-track" in ax.get_xlabel() and "(m)" in ax.get_xlabel() and "(m)" in ax.get_ylabel()
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_time_axis_units():
    assert plots.time_axis(np.array([0.0, 600.0]))[1].endswith("(s)")
    assert plots.time_axis(np.array([0.0, 11280.0]))[1].endswith("(min)")
    assert plots.time_axis(np.array([0.0, 86400.0]))[1].endswith("(h)")
    assert plots.time_axis(np.array([0.0, 30 * 86400.0]))[1].endswith("(days)")


def test_plot_bad_inputs(tmp_path, capsys):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    assert main.main(["plot", str(junk), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {junk}: ") and len(err.splitlines()) == 1
    assert main.main(["plot", str(tmp_path / "none.npz"), "--out", str(tmp_path / "f")]) == 2
    assert capsys.readouterr().err.strip() == f"error: {tmp_path / 'none.npz'}: no such file"
    assert not (tmp_path / "f").exists()
    cut = tmp_path / "cut.npz"                 # a zip's signature, then nothing: BadZipFile inside numpy
    cut.write_bytes(b"PK\x03\x04" + bytes(200))
    assert main.main(["plot", str(cut), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {cut}: ") and len(err.splitlines()) == 1


def test_damaged_long_run_file_is_one_line(tmp_path):
    """load_long_run on a truncated zip: a ScenarioError (one line, exit 2), not a traceback."""
    from scenario.errors import ScenarioError
    from scenario.longterm.io import is_long_run_file, load_long_run
    cut = tmp_path / "cut.npz"
    cut.write_bytes(b"PK\x03\x04" + bytes(200))
    assert not is_long_run_file(cut)
    with pytest.raises(ScenarioError, match="not a readable long-run file"):
        load_long_run(cut)


def test_plot_unwritable_folder(runs, tmp_path, capsys):
    from tests.test_scenario_errors import unwritable_folder
    folder = unwritable_folder(tmp_path)
    npz = runs["cw-impulse"]
    target = folder / "figures"
    assert main.main(["plot", str(npz), "--out", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --out: {target}: ") and "not writable" in err and len(err.splitlines()) == 1
    assert not target.exists()


def test_no_cw_view_for_bodies_far_apart(runs, tmp_path, capsys):
    """A months-long playback file has the segments thousands of km apart: no LVLH/CW figure (the
    linearisation is meaningless there), a one-line note instead; the altitude difference in km."""
    from physics.trajectory import Trajectory
    t = Trajectory.load_npz(runs["cw-impulse"])
    assert "lvlh" in plots.figures(t)
    r = t.r_gcrs_m.copy()
    r[:, 1] += np.array([0.0, 0.0, 300e3])              # 300 km: beyond CW_MAX_RANGE_M
    far = Trajectory(t.epoch_utc, t.epoch_tt_jd, t.body_names, t.t_s, r, t.v_gcrs_mps, t.q_gcrs_from_body,
                     t.omega_body_radps, t.events, t.metadata)
    assert plots.max_range_m(far) > plots.CW_MAX_RANGE_M and "lvlh" not in plots.figures(far)
    path = tmp_path / "far.npz"
    far.save_npz(path)
    assert main.main(["plot", str(path), "--out", str(tmp_path / "figs")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("note: no lvlh.png: the bodies get 3") and "Clohessy-Wiltshire" in out
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == ["altitude.png", "attitude_rates.png", "range.png"]
    fig = plots.fig_altitude(far)
    assert fig.axes[1].get_ylabel().endswith("(km)")
    import matplotlib.pyplot as plt
    plt.close(fig)
