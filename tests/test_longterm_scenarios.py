"""[long_term] scenarios end to end: the bundled ones load and run (shortened here; the full runs
are `python main.py simulate NAME`), iss-2022-check through the scenario path gives the physics
validation's figure, bad long-term keys give one-line errors, long-run files round-trip and plot."""
from __future__ import annotations

import re
import textwrap
import tomllib

import numpy as np
import pytest

import main
import scenario
from physics import spaceweather as sw
from physics.longterm.decay import DecayBody, run_long_term
from physics.longterm.elements import from_tle
from scenario.loader import SCENARIO_DIR, from_dict
from scenario.longterm.io import load_long_run, save_long_run

DAY = 86400.0


def shortened(name: str, **long_term) -> scenario.Scenario:
    """A bundled scenario with a 5-minute 6-DOF part and the given [long_term] changes."""
    path = SCENARIO_DIR / f"{name}.toml"
    raw = tomllib.loads(path.read_text())
    raw["time"].update(duration_s=300.0, output_interval_s=10.0)
    raw["long_term"].update({"headline": False, **long_term})    # the headline grid: tests/test_longterm_headline.py
    return from_dict(raw, source=str(path), name=name)


@pytest.fixture(scope="module")
def no_reboost():
    """decay-no-reboost for 250 days at high activity (the USOS comes down on day ~217), with the spread."""
    sc = shortened("decay-no-reboost", until_reentry=False, duration_days=250.0, activity="high")
    return scenario.run_long(sc)


def test_decay_no_reboost_runs(no_reboost):
    lr = no_reboost
    assert lr.main.body_names == ("ROS", "USOS") and set(lr.spread) == {"low", "moderate", "high"}
    # areas from the station mesh in flight attitude: ROS along +X (195 m^2), USOS with its arrays
    # tracking the Sun (orbit mean 2,374 m^2 at beta 0; docs/decay.md), both x the calibrated scale
    assert 180 < lr.bodies["ROS"]["area_m2"] < 250 and 2000 < lr.bodies["USOS"]["area_m2"] < 2700
    assert lr.bodies["USOS"]["attitude"] == "flight" and lr.bodies["USOS"]["sun_tracking"]
    assert lr.bodies["ROS"]["sun_tracking"] is False
    # the long run starts where the short run ended: ISS altitude on 5 March 2022 (TLE: ~418 km mean)
    assert np.all(np.abs(lr.main.alt_km[0] - 418.0) < 3.0)
    # high activity: the USOS (B = m / (k Cd A) ~ 94 kg/m^2) re-enters within 250 days, the ROS
    # (B ~ 310) does not; ECSS high decays at least 10x faster than low at 418 km (density ratio)
    assert lr.main.reentry("USOS") is not None and lr.main.reentry("ROS") is None
    assert lr.spread["high"] is lr.main
    assert np.all(lr.spread["high"].decay_m_per_day[0] > 10 * lr.spread["low"].decay_m_per_day[0])


def test_usos_reboost_runs():
    sc = shortened("usos-reboost", until_reentry=False, duration_days=150.0, activity="high")
    lr = scenario.run_long(sc)
    burns = [e for e in lr.main.events if e.kind == "burn"]
    assert burns and all(e.subject == "USOS" for e in burns)
    assert lr.without_reboosts is not None and not [e for e in lr.without_reboosts.events if e.kind == "burn"]
    j = lr.main.body_names.index("USOS")
    # the reboosted USOS ends higher; the ROS (no vehicle in the plan) is the same in both runs to
    # within the step-size effect (the shared step sequence changes: < 50 m, docs/decay.md)
    assert lr.main.alt_km[-1, j] > lr.without_reboosts.alt_km[-1, j] + 1.0
    # (10-day steps at a constant level; measured 55 m after 150 days)
    assert abs(lr.main.alt_km[-1, 1 - j] - lr.without_reboosts.alt_km[-1, 1 - j]) < 0.1
    used = sum(e.data["propellant_used_kg"] for e in burns)
    left = sum(p[-1] for p in lr.main.propellant_kg.values())
    assert used + left == pytest.approx(600.0, abs=1e-9)       # Cygnus 300 + Dragon 300 kg (presets)


def test_iss_2022_check_same_figure_as_physics_validation():
    """iss-2022-check uses the predictions' drag model (mesh, flight attitude with Sun-tracking arrays,
    Cd 2.2, calibrated scale): its figure is the calibration's window 4 times the fitted scale."""
    from physics.longterm.calibration import load_calibration, stored_windows
    lr = scenario.run_long("iss-2022-check")
    c, cal = lr.check, load_calibration()
    assert lr.bodies["ISS"]["sun_tracking"] and lr.bodies["ISS"]["drag_scale"] == pytest.approx(cal.scale)
    w4 = next(w for w in stored_windows() if w["start"] == "2022-02-26 14:51")
    assert c["tle_m_per_day"] == pytest.approx(w4["observed_m_per_day"], abs=1e-3)
    # decay is linear in Cd A / m over 9 days; the step sequence differs slightly (rate-dependent cap)
    assert c["sim_m_per_day"] == pytest.approx(cal.scale * w4["simulated_m_per_day"], rel=0.01)
    assert 38 < c["tle_m_per_day"] < 47                   # the reference's TLE-derived 42-47 m/day
    # the goal was 10 %; this window comes out +21 % after the one-scale fit (its start TLE
    # follows an unexplained step; docs/decay.md): within the prediction range, and said so
    lo, hi = cal.prediction_range
    assert lo <= cal.scale / (1.0 + c["difference_pct"] / 100.0) <= hi     # this window's own scale


def test_iss_2022_check_cli_prints_comparison(tmp_path, capsys):
    out, csv_dir = tmp_path / "check.npz", tmp_path / "csv"
    assert main.main(["simulate", "iss-2022-check", "--quiet", "--out", str(out), "--csv", str(csv_dir)]) == 0
    text = capsys.readouterr().out
    # CSV: one row per step, the same numbers as the .npz (repr of float64: exact)
    import csv
    rows = list(csv.DictReader((csv_dir / "main.csv").open()))
    res = load_long_run(out).main
    assert len(rows) == len(res.t_s) and rows[0]["date_utc"] == res.epoch_utc.replace(".000", "").rstrip("Z")[:19] + "Z"
    assert [float(r["ISS_alt_km"]) for r in rows] == list(res.alt_km[:, 0])
    assert sorted(p.name for p in csv_dir.iterdir()) == ["events.csv", "main.csv", "summary.json"]
    assert main.main(["plot", str(out), "--out", str(tmp_path / "fig")]) == 0
    assert (tmp_path / "fig" / "altitude.png").read_bytes()[:4] == b"\x89PNG"
    assert load_long_run(out).check == scenario.run_long("iss-2022-check").check
    m = re.search(r"simulated decay ([0-9.]+) m/day, TLE-derived ([0-9.]+) m/day: ([+-][0-9.]+) %", text)
    assert m, text
    sim, tle, pct = map(float, m.groups())
    assert pct == pytest.approx(100 * (sim / tle - 1), abs=0.2)
    goal = "within" if abs(pct) <= 10 else "NOT within"
    assert f"{goal} the 10 % goal" in text and "TLE noise of this check: +-7 %" in text


def test_summary_file_and_plots(tmp_path, capsys, no_reboost):
    """The printed summary of a split run, the saved .npz (no pickle) and `plot` of it."""
    from scenario.longterm.summary import summary_lines
    text = "\n".join(summary_lines(no_reboost))
    for name in ("ROS", "USOS"):
        assert re.search(rf"{name}: mean altitude [0-9.]+ km at the start, decaying [0-9.]+ m/day", text)
    assert re.search(r"reentry \(120 km\): 2022-\d\d-\d\d \d\d:\d\d UTC \(day \d+\) near [0-9.]+ deg [NS], "
                     r"[0-9.]+ deg [EW]", text), text
    assert "ECSS      low (constant design bound): not within 250 days" in text
    # the ECSS bounds in one line per body, labelled: earliest (high) to latest (still up after 250 days)
    bounds = "ECSS design bounds low..high (constant levels held for years; not a forecast): "
    assert re.search(re.escape(bounds) + r"reentry from 2022-\d\d-\d\d \(high\) to beyond 2022-11-\d\d "
                     r"\((low|moderate), still up at the end of the run\)", text), text
    assert bounds + "no reentry within the runs (high, moderate, low still up at their end)" in text   # ROS
    # the mean decay over the first 30 days, from the run's own a (the start rate is one day's)
    j = no_reboost.main.body_names.index("ROS")
    a = no_reboost.main.a_m[:, j]
    rate = float(re.search(r"ROS: .*mean over the first 30 days: ([0-9.]+) m/day", text).group(1))
    assert rate == pytest.approx((a[0] - np.interp(30 * DAY, no_reboost.main.t_s, a)) / 30, abs=0.06)
    out = tmp_path / "long.npz"
    save_long_run(no_reboost, out)
    back = load_long_run(out)
    assert np.array_equal(back.main.alt_km, no_reboost.main.alt_km, equal_nan=True)
    assert back.main.events == no_reboost.main.events and set(back.spread) == set(no_reboost.spread)
    assert not list(tmp_path.glob(".*.tmp*"))
    # CSV of every run; a re-entered body's cells are empty (NaN in the arrays)
    from scenario.longterm.io import save_long_run_csv
    import csv
    folder = save_long_run_csv(no_reboost, tmp_path / "csv")
    assert {p.name for p in folder.iterdir()} == {"main.csv", "spread_low.csv", "spread_moderate.csv",
                                                  "spread_high.csv", "events.csv", "summary.json"}
    rows = list(csv.DictReader((folder / "main.csv").open()))
    usos = [r["USOS_alt_km"] for r in rows]
    assert usos[0] and usos[-1] == "" and rows[-1]["ROS_alt_km"] != ""      # USOS down, ROS still up
    events = list(csv.DictReader((folder / "events.csv").open()))
    assert any(e["kind"] == "reentry" and e["subject"] == "USOS" and e["run"] == "main" for e in events)
    assert not list(folder.glob(".*.tmp*"))
    assert main.main(["plot", str(out), "--out", str(tmp_path / "fig")]) == 0
    for png in ("altitude.png", "altitude_spread.png"):
        data = (tmp_path / "fig" / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_lifetime_estimate_scenario_reproduces_published_figure():
    """lifetime-estimate: the reference's ~1,210-day ESTIMATE through the scenario path, with the
    model tests/test_decay.py checks against quadrature (its own scale, computed independently)."""
    from physics.longterm.density import exponential_density, reference_estimate_scale
    from physics.longterm.rates import MU_M3PS2, R_EQ_M
    lr = scenario.run_long("lifetime-estimate")
    # the circular orbit is taken as the mean orbit: the run starts at 418.000 km mean altitude
    assert lr.main.alt_km[0, 0] == pytest.approx(418.0, abs=1e-9)
    a = R_EQ_M + 418e3
    assert reference_estimate_scale() == pytest.approx(
        45.0 / DAY * 170.0 / np.sqrt(MU_M3PS2 * a) / exponential_density(418e3), rel=1e-12)
    # B = 476 t / (2.0 x 1,400 m^2) = 170 kg/m^2 -> 1,191 days (tests/test_decay.py: 0.2 % from the
    # quadrature of the same model); published ~1,210 days, rounded: within 2 %
    ev = lr.main.reentry("ISS")
    assert lr.reentry_alt_km == 150.0 and ev.data["alt_m"] <= 150.5e3
    assert ev.data["t_crossing_s"] / DAY == pytest.approx(1210.0, rel=0.02)
    assert "reference ESTIMATE atmosphere" in lr.main.activity_label


BAD = [
    ("[long_term]\nactivty = \"high\"\n", "long_term.activty", "did you mean 'activity'"),
    ("[long_term]\nactivity = \"extreme\"\n", "long_term.activity", "is not one of"),
    ("[long_term]\nduration_days = -3.0\n", "long_term.duration_days", "too small"),
    ("[long_term]\n[long_term.body.ZARYA]\ncd = 2.0\n", "long_term.body.ZARYA", "no such body"),
    ("[long_term]\n[long_term.body.USOS]\nattitude = \"spinning\"\n", "long_term.body.USOS.attitude", "is not one of"),
    ("[long_term]\n[[long_term.vehicle]]\nname = \"C\"\ntype = \"soyuz\"\nbody = \"USOS\"\n",
     "long_term.vehicle[0].type", "is not one of"),
    ("[long_term]\n[[long_term.vehicle]]\nname = \"C\"\ntype = \"cygnus\"\nbody = \"USOS\"\n"
     "[[long_term.reboost]]\nvehicle = \"Cygnus\"\nkeep_above_km = 400.0\n", "long_term.reboost[0].vehicle", "no such vehicle"),
    ("[long_term]\n[[long_term.vehicle]]\nname = \"C\"\ntype = \"cygnus\"\nbody = \"USOS\"\n"
     "[[long_term.reboost]]\nvehicle = \"C\"\nt_days = 3.0\n", "long_term.reboost[0].duration_s", "go together"),
    ("[long_term]\n[[long_term.vehicle]]\nname = \"C\"\ntype = \"cygnus\"\nbody = \"USOS\"\n"
     "[[long_term.reboost]]\nvehicle = \"C\"\nkeep_above_km = 400.0\nraise_to_km = 390.0\n",
     "long_term.reboost[0].raise_to_km", "above keep_above_km"),
    ("[long_term]\nreference_tle_line1 = \"x\"\n", "long_term.reference_tle_line2", "go together"),
    ("[long_term]\natmosphere = \"reference-estimate\"\nspread = true\n", "long_term.spread", "no solar activity"),
    ("[long_term]\natmosphere = \"msise\"\n", "long_term.atmosphere", "did you mean 'msis'"),
    ("[long_term]\nstart = \"docked\"\nreference_tle_line1 = \"1 25544U 98067A   22066.87965278  .00007224  00000+0  13623-3 0  9991\"\n"
     "reference_tle_line2 = \"2 25544  51.6433 118.2979 0004901 229.8721 120.0122 15.49615511329466\"\n",
     "long_term.reference_tle_line1", "checksum"),
]
BASE = """
[time]
epoch_utc = "2022-03-05T12:22:00Z"
duration_s = 100.0
[orbit]
tle_file = "iss_2022"
[station]
[release]
"""


@pytest.mark.parametrize("table,key,words", BAD)
def test_bad_long_term_keys_one_line(tmp_path, capsys, table, key, words):
    path = tmp_path / "bad.toml"
    path.write_text(textwrap.dedent(BASE) + table)
    out = tmp_path / "run.npz"
    assert main.main(["simulate", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {path}: {key}:") and words in err, err
    assert not out.exists()


def test_long_term_needs_station(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 10.0\n[orbit]\n'
                    'circular_altitude_km = 400.0\n[[body]]\nname = "s"\nmass_kg = 10.0\nbox_m = [1.0, 1.0, 1.0]\n'
                    '[long_term]\nstart = "docked"\n')
    assert main.main(["simulate", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {path}: long_term: needs a [station] (the long run is for the ISS segments)"


def test_reference_tle_before_start(tmp_path, capsys):
    """A reference TLE older than the start TLE: one line naming the key (found when the run starts)."""
    text = (SCENARIO_DIR / "iss-2022-check.toml").read_text()
    l1 = "1 25544U 98067A   22053.88147859  .00006978  00000-0  13056-3 0  9990"
    l2 = "2 25544  51.6413 182.6542 0005405 155.4563 353.8725 15.49902234327456"
    text = re.sub(r'reference_tle_line1 = ".*"', f'reference_tle_line1 = "{l1}"', text)
    text = re.sub(r'reference_tle_line2 = ".*"', f'reference_tle_line2 = "{l2}"', text)
    path = tmp_path / "old.toml"
    path.write_text(text)
    assert main.main(["simulate", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}: long_term.reference_tle_line1: its epoch 2022-02-22") and \
        len(err.splitlines()) == 1, err


def test_scheduled_reboost_through_the_scenario(tmp_path):
    """[[long_term.reboost]] t_days + duration_s: one along-track burn at that time, propellant from
    the rocket equation (thrust x time / (Isp g0)), a raised by 2 a dv / v (first order)."""
    text = BASE.replace('[station]\n[release]\n', '[station]\n') + textwrap.dedent("""
        [long_term]
        start = "docked"
        duration_days = 4.0
        activity = "moderate"
        compare_without_reboosts = true
        [[long_term.vehicle]]
        name = "Progress MS-19"
        type = "progress"
        body = "ISS"
        [[long_term.reboost]]
        vehicle = "Progress MS-19"
        t_days = 2.0
        duration_s = 300.0
        """)
    path = tmp_path / "burn.toml"
    path.write_text(text)
    lr = scenario.run_long(scenario.load(str(path)))
    burns = [e for e in lr.main.events if e.kind == "burn"]
    assert len(burns) == 1 and burns[0].t_s == 2.0 * DAY and burns[0].data["why"] == "scheduled"
    assert burns[0].data["propellant_used_kg"] == pytest.approx(768.0 * 300.0 / (265.0 * 9.80665), rel=1e-12)
    k = int(np.searchsorted(lr.main.t_s, 2.0 * DAY))
    a = lr.main.a_m[k, 0] - burns[0].data["da_m"]
    assert burns[0].data["da_m"] == pytest.approx(2 * a * burns[0].data["dv_mps"] / np.sqrt(3.986004418e14 / a), rel=2e-3)
    # the same run without the burn ends lower by about the burn's da (minus the little extra drag
    # the higher orbit does not feel: < 2 % of da over 2 days)
    gain = lr.main.a_m[-1, 0] - lr.without_reboosts.a_m[-1, 0]
    assert gain == pytest.approx(burns[0].data["da_m"], rel=0.02)
