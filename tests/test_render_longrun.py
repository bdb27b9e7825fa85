"""Months-long trajectories in the renderer: timeline warps and chapters, HUD decay rate against a
closed form, floating origin on a segment thousands of km away, a re-entered anchor. Synthetic
trajectories (physics.trajectory.Trajectory built directly), hourly samples, small images."""
from __future__ import annotations

import math

import numpy as np
import pytest

from physics.trajectory import Event, Trajectory
from render.cameras import CameraPose
from render.scenestate import snapshot
from render.telemetry import DAY_S, decay_rates_km_per_day, hud_lines, telemetry
from render.timeline import WARPS, Timeline, chapters_from_trajectory, warp_text

MU = 3.986004418e14
R0 = 6_378_137.0 + 420e3


def long_traj(days=200.0, step_s=3600.0, rate_m_per_day=(-50.0, -150.0), ecc=(5e-4, 8e-4), lag_rad=0.8,
              us_down_s=None):
    """Two equatorial orbits with radius rho(t) = R0 + c1 t + e R0 cos(n t) (a sinking, slightly
    eccentric orbit): c1 is what the HUD's decay rate must recover. ROS trails USOS by lag_rad."""
    t = np.arange(0.0, days * DAY_S + 1, step_s)
    n = math.sqrt(MU / R0 ** 3)
    r = np.zeros((len(t), 2, 3)); v = np.zeros_like(r)
    for j in range(2):
        c1 = rate_m_per_day[j] / DAY_S
        th = n * t - (lag_rad if j == 0 else 0.0)
        rho = R0 + c1 * t + ecc[j] * R0 * np.cos(n * t)
        drho = c1 - ecc[j] * R0 * n * np.sin(n * t)
        r[:, j] = np.stack([rho * np.cos(th), rho * np.sin(th), 0 * t], -1)
        v[:, j] = np.stack([drho * np.cos(th) - rho * n * np.sin(th), drho * np.sin(th) + rho * n * np.cos(th), 0 * t], -1)
    q = np.zeros((len(t), 2, 4)); q[..., 0] = 1.0
    events = [Event(30.44 * DAY_S, "chapter", "timeline", {"label": "one month"}),
              Event(182.6 * DAY_S, "chapter", "timeline", {"label": "six months"})]
    if us_down_s is not None:
        k = t > us_down_s
        r[k, 1] = r[np.argmax(k) - 1, 1]; v[k, 1] = 0.0
        events.append(Event(float(us_down_s), "reentry", "USOS", {"lat_deg": 0.0, "lon_deg": 0.0}))
    meta = {"bodies": {"ROS": {"com_ssacs_m": [-30.0, 0.0, 0.5]}, "USOS": {"com_ssacs_m": [2.0, 0.0, 0.0]}}}
    return Trajectory("2022-03-05T12:00:00Z", 2459644.0008, ("ROS", "USOS"), t, r, v, q, np.zeros_like(r),
                      tuple(sorted(events, key=lambda e: e.t_s)), meta)


@pytest.fixture(scope="module")
def traj():
    return long_traj(us_down_s=150 * DAY_S)


def test_warps_reach_days_per_second_with_real_unit_labels():
    assert WARPS[-1] >= 1e6 and 86400 in WARPS
    assert warp_text(86400) == "1 day/s" and warp_text(864000) == "10 days/s" and warp_text(500) == "500x"
    tl = Timeline(0, 200 * DAY_S, warp=50000)
    tl.faster()
    assert tl.warp == 86400
    tl.playing = True
    tl.advance(2.0)                      # two wall seconds at 1 day/s
    assert tl.t_s == pytest.approx(2 * DAY_S)


def test_chapters_include_month_marks_and_each_reentry(traj):
    ch = {c.label: c.t_s / DAY_S for c in chapters_from_trajectory(traj)}
    assert ch["after the split"] == 0
    assert ch["one month"] == pytest.approx(30.44) and ch["six months"] == pytest.approx(182.6)
    assert ch["reentry US segment"] == pytest.approx(150.0)


def test_decay_rate_recovers_the_sinking_rate_despite_the_orbit_swing():
    # the radius swings by e R0 = 3.4 / 5.4 km around each orbit; the fit must still return c1
    tr = long_traj(days=20.0, step_s=300.0)
    rates = decay_rates_km_per_day(tr, 10 * DAY_S)
    # tolerance 5 m/day: 10 % of the slower rate; the fit's residual from the swing is far smaller
    assert rates["ROS"] == pytest.approx(-0.050, abs=0.005)
    assert rates["USOS"] == pytest.approx(-0.150, abs=0.005)


def test_hud_reads_in_days_and_km_and_marks_reentry(traj):
    lines = hud_lines(telemetry(traj, 45 * DAY_S, {}))
    assert lines[1] == "45.0 days since the split"
    assert lines[2].startswith("apart") and lines[2].endswith(" km")
    assert "km/day" in lines[3]
    later = hud_lines(telemetry(traj, 160 * DAY_S, {}))
    assert any("re-entered" in x for x in later)


def test_hud_of_a_single_body_counts_from_the_start(traj):
    """iss-2022-check flies the docked station as one body: nothing split, so no 'since the split'."""
    import dataclasses
    tm = telemetry(traj, 45 * DAY_S, {})
    one = dataclasses.replace(tm, altitude_km={"ISS": 415.0}, decay_km_per_day={"ISS": -0.034}, reentered=())
    lines = hud_lines(one)
    assert lines[1] == "45.0 days since the start" and not any(x.startswith("apart") for x in lines)
    assert lines[2].startswith("ISS") and "-0.03 km/day" in lines[2]


def test_snapshot_with_reentered_anchor_is_finite(traj):
    snap = snapshot(traj, 160 * DAY_S)
    for a in (snap.pos_scene_m, snap.R_scene_from_body, snap.R_scene_from_gcrs, snap.earth_center_scene_m):
        assert np.isfinite(a).all()


def test_recenter_moves_the_far_target_to_the_origin_and_leaves_short_runs_alone(traj):
    from render.scene import RECENTER_M, recenter
    snap = snapshot(traj, 45 * DAY_S)
    far = snap.pos_scene_m[0]
    assert np.linalg.norm(far) > 1e6                 # thousands of km apart
    pose = CameraPose(far + [0.0, 80.0, 20.0], far.copy())
    s2, p2, shift = recenter(snap, pose)
    assert np.allclose(shift, far) and np.allclose(s2.pos_scene_m[0], 0.0)
    assert np.allclose(p2.eye_m - p2.target_m, pose.eye_m - pose.target_m)    # same view
    assert np.allclose(s2.earth_center_scene_m - s2.pos_scene_m[1], snap.earth_center_scene_m - snap.pos_scene_m[1])
    near = CameraPose(np.array([0.0, 80.0, 0.0]), np.zeros(3))
    assert recenter(snap, near)[0] is snap and RECENTER_M < 1e5


def test_chase_render_of_a_segment_thousands_of_km_away(traj):
    pytest.importorskip("panda3d")
    from fakes import demo_model
    from render.offscreen import OffscreenRenderer
    r = OffscreenRenderer(traj, demo_model(), size=(160, 90), shadows=False)
    try:
        img = r.render(45 * DAY_S, "chase").astype(int)
        r.scene.station_root.hide()
        bare = r.render(45 * DAY_S, "chase").astype(int)
    finally:
        r.close()
    # the Russian segment is drawn across the middle of the frame (not lost to float32 jitter or
    # clipping): hiding the station changes a good share of the central pixels
    changed = np.abs(img - bare).max(-1)[25:65, 40:120] > 10
    assert changed.mean() > 0.05 and np.isfinite(img).all()


def test_record_defaults_span_the_long_run_at_days_per_second(traj, tmp_path):
    import argparse

    from cli import record_cmd as rc
    from render import exportplan as ep
    from render.burnin import Hud
    p = argparse.ArgumentParser()
    rc.add_arguments(p)
    opts = rc.check_options(p.parse_args(["--out", str(tmp_path / "x.mp4"), "--fps", "10"]))
    plan = ep.plan_frames(traj, opts)
    assert plan.rate.max() == pytest.approx(20 * DAY_S)
    assert traj.t_s[-1] - plan.t_s[-1] <= 20 * DAY_S / 10          # last frame within one frame of the end
    lines = Hud(traj).lines(45 * DAY_S, 20 * DAY_S)
    assert "45.0 days since the split" in lines and lines[-1] == "Time: 20 days/s"


def test_hourly_samples_follow_the_orbit_not_the_chord():
    # an hour is 4 rad of orbit: the cubic between samples cuts thousands of km into the Earth; the
    # two-body arcs (render/longstate.py) are exact for a drag-free circular orbit (tolerance 1 m:
    # float64 round-off of 7e6-m positions is ~1e-8 m)
    from render.longstate import state_at
    tr = long_traj(days=3.0, rate_m_per_day=(0.0, 0.0), ecc=(0.0, 0.0))
    n = math.sqrt(MU / R0 ** 3)
    for t in (1800.0, 5.5 * 3600.0, 2 * DAY_S + 1234.0):
        r, v, _, _ = state_at(tr, t)
        exact = R0 * np.array([math.cos(n * t), math.sin(n * t), 0.0])
        assert np.linalg.norm(r[1] - exact) < 1.0
        assert np.linalg.norm(v[1]) == pytest.approx(R0 * n, abs=1e-3)
    assert np.linalg.norm(tr.state_at(1800.0)[0][1] - R0 * np.array([math.cos(n * 1800), math.sin(n * 1800), 0])) > 1e6
    assert abs(np.linalg.norm(snapshot(tr, 1800.0).earth_center_scene_m) - R0) < 1.0


def test_far_view_marks_each_segment_when_far_apart(traj):
    pytest.importorskip("panda3d")
    from fakes import demo_model
    from render.offscreen import OffscreenRenderer
    r = OffscreenRenderer(traj, demo_model(), size=(96, 54), shadows=False)
    try:
        r.render(45 * DAY_S, "far")
        marks = r.scene.overlays.body_marks
        assert not marks["ROS"].is_hidden() and not marks["USOS"].is_hidden()
        assert r.scene.overlays.marker_np.is_hidden()
        r.render(45 * DAY_S, "chase")
        assert marks["ROS"].is_hidden()
    finally:
        r.close()


def test_lvlh_held_attitude_between_hourly_samples():
    # samples carry q = GCRS-from-LVLH (the long runs' attitude hold): between samples the body must
    # still be in LVLH (a slerp across 4 rad of orbit would leave it turned by up to ~2 rad)
    from render.longstate import matrix_to_quat, state_at
    from render.scenestate import lvlh_from_gcrs, quat_to_matrix
    tr = long_traj(days=1.0, rate_m_per_day=(0.0, 0.0), ecc=(0.0, 0.0))
    q = np.array([[matrix_to_quat(lvlh_from_gcrs(tr.r_gcrs_m[k, i], tr.v_gcrs_mps[k, i]).T) for i in range(2)]
                  for k in range(len(tr.t_s))])
    tr = Trajectory(tr.epoch_utc, tr.epoch_tt_jd, tr.body_names, tr.t_s, tr.r_gcrs_m, tr.v_gcrs_mps, q,
                    tr.omega_body_radps, tr.events, tr.metadata)
    r, v, qt, _ = state_at(tr, 5.3 * 3600.0)
    R_err = lvlh_from_gcrs(r[1], v[1]) @ quat_to_matrix(qt[1])
    assert np.degrees(np.arccos(np.clip((np.trace(R_err) - 1) / 2, -1, 1))) < 1e-4   # arccos near 1: ~1e-6 deg of round-off
