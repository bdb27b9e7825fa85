"""Ensembles without Dask: member draws from (seed, index) alone, recontact on a constructed touching
case and on one that cannot touch, the confidence interval, a small reentry ensemble, and bad
[ensemble] inputs (one line, exit 2, nothing written)."""
from __future__ import annotations

import numpy as np
import pytest

import main
import scenario
from scenario.loader import SCENARIO_DIR
from ensemble import draws, report, runner, schema, separation
from tests.ensemble_helpers import short_clip

OFF = ("pusher_energy_sigma_pct = 0.0\nspring_sigma_pct = 0.0\nmisalignment_sigma_deg = 0.0\n"
       "com_sigma_m = [0.0, 0.0, 0.0]\nrate_sigma_degps = 0.0\n")


def test_a_member_depends_on_seed_and_index_only():
    spec = schema.parse({}, "x", True, None)
    a = draws.member_draw(spec, 11, 5)
    child = np.random.SeedSequence(11).spawn(6)[5]           # the 6th child of the root sequence
    g = np.random.Generator(np.random.PCG64(child))
    assert a.energy_factor == np.exp(0.25 * g.standard_normal())
    later = [draws.member_draw(spec, 11, i) for i in (9, 5, 0)][1]
    assert later.energy_factor == a.energy_factor and np.array_equal(later.com_error_m["ROS"], a.com_error_m["ROS"])
    assert draws.member_draw(spec, 12, 5).energy_factor != a.energy_factor


def test_recontact_when_the_springs_push_sideways_and_not_along_the_axis(tmp_path):
    sc = scenario.load(str(short_clip(tmp_path, OFF)))
    plan = runner.make_plan(sc)
    job = runner.build_job(sc, plan)
    along = separation.run_member(job, draws.member_draw(plan.spec, plan.seed, 0))
    # nominal push: clear by the stroke (3 cm) less the hulls' 5 mm overlap when docked, then apart
    assert 0.02 < along["min_distance_m"] < 0.03
    assert along["gap_one_orbit_m"] > 20.0
    tilted = dict(plan.spec, misalignment_bias_deg=(90.0, 0.0))       # spring line along the port's z axis
    sideways = separation.run_member(job, draws.member_draw(tilted, plan.seed, 0))
    assert sideways["min_distance_m"] == 0.0
    ens = {"min_distance_m": np.array([along["min_distance_m"], sideways["min_distance_m"]])}
    assert report.recontact(ens)[:2] == (1, 2)


def test_wilson_interval():
    lo, hi = report.wilson(0, 10)                 # textbook value: 0 .. 0.2775
    assert lo == 0.0 and hi == pytest.approx(0.27753, abs=1e-4)
    lo, hi = report.wilson(50, 100)
    assert (lo, hi) == pytest.approx((0.4038, 0.5962), abs=1e-4)


BAD = [
    ("members = 0", "ensemble.members: 0 is too small"),
    ("kind = \"reentry\"", "ensemble.kind: 'reentry' needs a [long_term] table"),
    ("misalignment_sigma_deg = -1.0", "ensemble.misalignment_sigma_deg: -1 is too small"),
    ("usos_p_flight = 0.5\nusos_p_tumbling = 0.2", "they must sum to 1"),
    ("com_sigma_m = [0.1, 0.1]", "ensemble.com_sigma_m: expected a list of 3 numbers"),
    ("sigma = 1.0", "ensemble.sigma: unknown key"),
]


@pytest.mark.parametrize("line,message", BAD)
def test_bad_ensemble_inputs(tmp_path, capsys, line, message):
    path = short_clip(tmp_path, line.replace("members = 0", "") + "\n")
    if line == "members = 0":
        path.write_text(path.read_text().replace("members = 6", "members = 0"))
    out = tmp_path / "ens.npz"
    assert main.main(["ensemble", str(path), "--workers", "0", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and str(path) in err
    assert list(tmp_path.iterdir()) == [path]                   # nothing written


def test_a_small_reentry_ensemble(tmp_path):
    """Two members of decay-ensemble shortened to 300 days at ECSS high activity: the US segment
    re-enters in each, on dates that differ with the drag scale; its altitude fan ends there."""
    text = (SCENARIO_DIR / "decay-ensemble.toml").read_text()
    text = (text.replace("until_reentry = true", "until_reentry = false\nduration_days = 300.0")
                .replace('activity = "observed"', 'activity = "high"').replace('solar = "forecast-band"', 'solar = "scenario"')
                .replace("duration_s = 5700.0", "duration_s = 600.0").replace("members = 1000", "members = 2"))
    path = tmp_path / "short-decay.toml"
    path.write_text(text + "\n")
    sc = scenario.load(str(path))
    plan = runner.make_plan(sc)
    ens = runner.run_ensemble(sc, plan, tmp_path / "d.npz", workers=0)
    assert ens["kind"] == "reentry" and ens["reentry_days_USOS"].shape == (2,)
    lines = report.summary_lines(ens)
    assert any(line.startswith("  USOS: reentry date percentiles") for line in lines), lines
    days = ens["reentry_days_USOS"]
    assert np.all(np.isfinite(days)) and days[0] != days[1]
    fan = ens["alt_km_USOS"]
    assert np.all(np.isnan(fan[:, ens["fan_days"] > days.max() + 10.0]))
    assert np.all(fan[:, 0] > 380.0)
    summary = report.summary_dict(ens)                  # what `--summary` writes, the last chapter reads
    q = summary["segments"]["USOS"]["dates"]
    assert summary["members"] == 2 and q[0] <= q[1] <= q[2] and q[0] >= "2022-03-05"
    assert main.main(["plot", str(tmp_path / "d.npz"), "--out", str(tmp_path / "plots")]) == 0
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == ["altitude_fan.png", "reentry_dates_hist.png"]


def test_the_last_chapter_reads_the_bundled_spread():
    """assets/ensembles/decay-ensemble.json (1,000 members) for decay-no-reboost's split, and only for it."""
    from render.fate import ensemble_spread
    spread = ensemble_spread("decay-no-reboost", "2022-03-05T13:57:00.000Z")
    assert spread["members"] == 1000 and spread["scenario"] == "decay-ensemble"
    (lo, mid, hi), after = spread["USOS"]
    assert lo < mid < hi and not any(after)
    assert ensemble_spread("decay-no-reboost", "2022-03-06T00:00:00Z") is None
    assert ensemble_spread("usos-reboost", "2022-03-05T13:57:00.000Z") is None


def test_closest_return_on_a_constructed_series():
    """Rises, dips to a known value, rises again, dips deeper, then falls to the end: the deeper dip.
    No dip after the first maximum (only falling at the end, or only growing): nan."""
    t = np.arange(9) * 10.0
    d = np.array([0.025, 5.0, 9.0, 7.0, 8.0, 12.0, 4.0, 6.0, 3.0])
    assert separation.closest_return(t, d) == (4.0, 60.0)
    assert np.isnan(separation.closest_return(t, [0.025, 5.0, 9.0, 9.0, 8.0, 7.0, 7.0, 6.0, 5.0])).all()
    assert np.isnan(separation.closest_return(t, np.linspace(0.025, 40.0, 9))).all()
    # a plateau counts once; falling from the first sample: that sample is the first maximum
    assert separation.closest_return(t, [3.0, 2.0, 2.0, 2.5, 1.0, 1.0, 1.5, 2.0, 2.5]) == (1.0, 40.0)


def test_closest_return_of_the_nominal_clip():
    """Both segments held, no dispersion: the hull distance rises from the push's 2.5 cm to ~23.5 m and
    dips ~16 min (0.17 orbit) after release, the relative orbit's along-track return."""
    sc = scenario.load("clip-2022-ensemble")
    plan = runner.make_plan(sc)
    spec = dict(plan.spec, **{k: 0.0 for k in ("pusher_energy_sigma_pct", "spring_sigma_pct",
                                               "misalignment_sigma_deg", "rate_sigma_degps")},
                com_sigma_m=(0.0, 0.0, 0.0))
    job = runner.build_job(sc, plan)
    m = separation.run_member(job, draws.member_draw(spec, plan.seed, 0))
    assert 0.02 < m["min_distance_m"] < 0.03                       # the push's end: recontact test unchanged
    assert m["closest_return_m"] == pytest.approx(23.5, abs=1.0)
    assert m["t_closest_return_s"] == pytest.approx(980.0, abs=60.0)
    ens = {k: np.array([m[k]]) for k in ("closest_return_m", "t_closest_return_s")}
    assert "1/1 members have one" in report.closest_return_line(ens) and "16 min" in report.closest_return_line(ens)


def test_members_started_at_the_release_match_members_run_from_the_start(tmp_path):
    """Members start at the release from the nominal stack's state (separation.stack_at_release, run
    once); running a member's docked seconds itself (start=None) gives the same relative motion: the
    CoM error moves neither the stack's orbit nor its held attitude (measured ~2e-7 m; bound 1e-5 m)."""
    import dataclasses
    sc = scenario.load(str(short_clip(tmp_path)))
    plan = runner.make_plan(sc)
    job = runner.build_job(sc, plan)
    assert job.start is not None and job.start.t_s == job.inputs.events[0].t_s > job.inputs.state0.t_s
    old = dataclasses.replace(job, start=None)
    for i in range(2):
        d = draws.member_draw(plan.spec, plan.seed, i)
        a, b = separation.run_member(job, d), separation.run_member(old, d)
        assert np.max(np.abs(a["cloud_rel_lvlh_m"] - b["cloud_rel_lvlh_m"])) < 1e-5
        assert abs(a["min_distance_m"] - b["min_distance_m"]) < 1e-6
        assert abs(a["separation_speed_mps"] - b["separation_speed_mps"]) < 1e-9


def test_stack_at_release_without_a_docked_part_or_after_a_burn(tmp_path):
    """Release at the start: the start state itself; a burn before the release: None (members then run
    from the scenario's start)."""
    import dataclasses
    from physics.model import Burn
    inputs = scenario.prepare(scenario.load(str(short_clip(tmp_path))))
    rel = inputs.events[0]
    at_start = dataclasses.replace(inputs, events=(dataclasses.replace(rel, t_s=inputs.state0.t_s),))
    s, s0 = separation.stack_at_release(at_start), separation.stack_at_start(inputs)
    assert s.t_s == s0.t_s and np.array_equal(s.r_cm_gcrs_m, s0.r_cm_gcrs_m)
    assert np.array_equal(s.q_gcrs_from_ref, s0.q_gcrs_from_ref)
    burn = Burn("USOS", rel.t_s - 10.0, 5.0, 100.0, np.zeros(3), np.array([1.0, 0.0, 0.0]))
    assert separation.stack_at_release(dataclasses.replace(inputs, events=(rel, burn))) is None
