"""scenario.long_term_trajectory: a long run as a Trajectory the app and video can play (months).

Checks: positions are the long run's own (LongTermResult.positions_gcrs_m) at every sample,
velocities are their time derivative, attitude is LVLH-held, altitude falls, chapters sit at one
month and six months, reentry events are carried, a re-entered body stays put, and the file
round-trips through Trajectory.save_npz / load_npz."""
from __future__ import annotations

import numpy as np
import pytest

import scenario
from physics import spaceweather as sw
from physics.longterm.decay import DecayBody, run_long_term
from physics.longterm.elements import MeanElements
from physics.longterm.rates import MU_M3PS2, R_EQ_M
from physics.frames import lvlh_from_gcrs
from physics.rotation import dcm_from_quat
from physics.trajectory import Trajectory
from scenario.longterm.traj import positions, sample_states

DAY = 86400.0
MONTH = 365.25 / 12 * DAY


@pytest.fixture(scope="module")
def result():
    """From 300 km at ECSS high activity: the light, draggy body comes down in 4 days, the heavy one
    within the 200 days (fast: constant level; 10-day steps, the worst case for jumps)."""
    el = MeanElements(R_EQ_M + 300e3, 0.0005, np.radians(51.64), 0.3, 0.2, 0.1)
    return run_long_term([DecayBody("heavy", 4e5, 2.2, 500.0), DecayBody("light", 1e5, 2.2, 2500.0)],
                         el, "2022-03-05T13:57:00Z", 200 * DAY, sw.activity("high"))


@pytest.fixture(scope="module")
def traj(result):
    return scenario.long_term_trajectory(result, dt_s=600.0)


def test_positions_are_the_long_runs_own(result, traj):
    """At the propagator's own step times the samples are LongTermResult.positions_gcrs_m."""
    assert traj.t_s[0] == 0.0 and traj.t_s[-1] >= result.t_s[-1]
    assert np.all(np.diff(traj.t_s) > 0) and np.max(np.diff(traj.t_s)) <= 600.0
    steps = result.t_s[result.t_s < result.reentry("light").data["t_crossing_s"]]
    r, _, dead = sample_states(result, steps)
    assert not dead.any()
    expect = np.array([result.positions_gcrs_m(t) for t in steps])
    # same formula, vectorised: equal to round-off (1e-6 m on 6.7e6 m)
    assert np.allclose(r, expect, rtol=0, atol=1e-6)
    k = np.searchsorted(traj.t_s, 3 * 86400.0)
    assert np.allclose(traj.r_gcrs_m[k], sample_states(result, traj.t_s[k:k + 1])[0][0], rtol=0, atol=1e-6)


def test_no_jump_at_step_boundaries(result):
    """Between steps the elements are blended towards the next step's, so the end of one step is
    the start of the next (positions_gcrs_m alone jumps there by 1/2 dn h: km to hundreds of km)."""
    K = np.arange(1, len(result.t_s) - 1)
    tt = np.repeat(result.t_s[K, None], 2, axis=1)
    before = positions(result, tt, np.repeat(K[:, None] - 1, 2, axis=1))
    after = positions(result, tt, np.repeat(K[:, None], 2, axis=1))
    ok = np.isfinite(after[..., 0])
    assert np.max(np.linalg.norm(before - after, axis=-1)[ok]) < 1e-3     # round-off of a few turns of phase


def test_positions_gcrs_m_continuous_across_steps(result):
    """LongTermResult.positions_gcrs_m itself (physics) is continuous at the step boundaries: 1 us
    either side of t_k the positions differ by ~|v| 2 us = 15 mm (+ round-off of the phase, < 1 mm);
    without the blend they jumped by 1/2 dn h (km to hundreds of km, measured on this run)."""
    eps = 1e-6
    jumps = []
    for tk in result.t_s[1:-1]:
        d = result.positions_gcrs_m(tk + eps) - result.positions_gcrs_m(tk - eps)
        ok = np.isfinite(d[:, 0])
        jumps.extend(np.linalg.norm(d[ok], axis=-1))
    assert len(jumps) > 20
    assert max(jumps) < 0.05                     # 7.7 km/s x 2 us = 15 mm, with margin


def test_velocity_is_the_derivative_and_circular(traj):
    k = 100
    r, v = traj.r_gcrs_m[k, 0], traj.v_gcrs_mps[k, 0]
    # near-circular: |v| = sqrt(mu / r) to ~e v (0.0005 * 7.7 km/s = 4 m/s) + J2 (~10 m/s)
    assert abs(np.linalg.norm(v) - np.sqrt(MU_M3PS2 / np.linalg.norm(r))) < 20.0
    # Hermite interpolation between samples reproduces the sampled velocity's integral: a 2-s
    # central difference of state_at matches v to the difference formula's error (~1e-3 m/s)
    t = traj.t_s[k] + 150.0
    d = (traj.state_at(t + 1.0)[0] - traj.state_at(t - 1.0)[0]) / 2.0
    assert np.allclose(d[0], traj.state_at(t)[1][0], atol=0.01)


def test_attitude_held_in_lvlh(traj):
    k = 50
    R_gcrs_from_body = dcm_from_quat(traj.q_gcrs_from_body[k, 0])
    R_lvlh_from_gcrs = lvlh_from_gcrs(traj.r_gcrs_m[k, 0], traj.v_gcrs_mps[k, 0])
    assert np.allclose(R_lvlh_from_gcrs @ R_gcrs_from_body, np.eye(3), atol=1e-12)
    n = np.sqrt(MU_M3PS2 / np.linalg.norm(traj.r_gcrs_m[k, 0]) ** 3)
    assert traj.omega_body_radps[k, 0] == pytest.approx([0.0, -n, 0.0], rel=2e-3, abs=1e-12)


def test_altitude_decreases_and_reentered_body_stops(result, traj):
    radius = np.linalg.norm(traj.r_gcrs_m, axis=-1)
    daily = radius[: (len(radius) // 144) * 144, 0].reshape(-1, 144).mean(axis=1)   # 144 x 600 s = 1 day
    assert np.all(np.diff(daily) < 0)            # one-day means: the orbit only loses height
    t_down = result.reentry("light").t_s
    after = traj.t_s > t_down
    assert after.any()
    assert np.all(traj.v_gcrs_mps[after, 1] == 0.0) and np.ptp(traj.r_gcrs_m[after, 1], axis=0).max() < 1e-6   # round-off, 1 um


def test_chapters_one_month_six_months():
    el = MeanElements(R_EQ_M + 400e3, 0.0005, np.radians(51.64), 0.3, 0.2, 0.1)
    res = run_long_term([DecayBody("USOS", 3.75e5, 2.2, 832.0)], el, "2022-03-05T13:57:00Z", 200 * DAY,
                        sw.activity("moderate"))
    tr = scenario.long_term_trajectory(res, dt_s=3600.0)
    chapters = {e.data["label"]: e.t_s for e in tr.events if e.kind == "chapter"}
    assert chapters == {"one month": pytest.approx(MONTH), "six months": pytest.approx(6 * MONTH)}
    assert all(e.subject == "timeline" for e in tr.events if e.kind == "chapter")


def test_chapters_and_reentry_events(result, traj, tmp_path):
    chapters = {e.data["label"]: e.t_s for e in traj.events if e.kind == "chapter"}
    assert chapters == ({"one month": pytest.approx(MONTH)} if traj.t_s[-1] < 6 * MONTH else
                        {"one month": pytest.approx(MONTH), "six months": pytest.approx(6 * MONTH)})
    reentries = [e for e in traj.events if e.kind == "reentry"]
    assert [e.subject for e in reentries] == [e.subject for e in result.events if e.kind == "reentry"]
    assert reentries[0].subject == "light"
    assert reentries[0].t_s == result.reentry("light").t_s and "lat_deg" in reentries[0].data
    assert traj.t_s[-1] == pytest.approx(max(result.t_s[-1], max(e.t_s for e in reentries)))
    assert [e.t_s for e in traj.events] == sorted(e.t_s for e in traj.events)
    traj.save_npz(tmp_path / "long.npz")
    back = Trajectory.load_npz(tmp_path / "long.npz")
    assert [(e.kind, e.t_s, e.data) for e in back.events] == [(e.kind, e.t_s, e.data) for e in traj.events]
    assert np.array_equal(back.r_gcrs_m, traj.r_gcrs_m)


def test_short_run_has_no_six_months_chapter(result):
    short = scenario.long_term_trajectory(result, dt_s=600.0, t_end_s=40 * DAY)
    assert [e.data["label"] for e in short.events if e.kind == "chapter"] == ["one month"]
    assert short.t_s[-1] == 40 * DAY


def test_playback_trajectory_of_a_long_scenario():
    """What the app/video would play for iss-2022-check: the docked ISS over the 9.26-day window."""
    tr = scenario.playback_trajectory("iss-2022-check")
    assert tr.body_names == ("ISS",)
    assert tr.t_s[-1] == pytest.approx(9.2607 * DAY, rel=1e-4)
    alt = np.linalg.norm(tr.r_gcrs_m[:, 0], axis=1) - R_EQ_M
    # radius above the equatorial radius: 418 km mean, +-e a (~3.5 km), J2 short period (~1 km)
    assert 405e3 < alt.min() and alt.max() < 430e3
    assert not [e for e in tr.events if e.kind == "chapter"]      # shorter than one month
