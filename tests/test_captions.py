"""Captions come from the run's numbers and appear exactly when they become true.

The synthetic trajectory below is analytic (no integrator): the US segment on a circular orbit, the
Russian segment displaced along the US segment's LVLH x, pushed with a constant acceleration for
PUSH_S seconds and then drifting at U_MPS, turning at TURN_RADPS relative to LVLH from the release on.
Every caption time and number therefore has a closed form to compare against.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from physics.frames import lvlh_from_gcrs
from physics.rotation import quat_from_dcm
from render import captions as cap

MU = 3.986004418e14
A_M = 6_378_137.0 + 420e3
N_RADPS = math.sqrt(MU / A_M ** 3)
PERIOD_S = 2 * math.pi / N_RADPS
T_REL_S, PUSH_S, U_MPS, X0_M = 10.0, 3.0, 0.03, -25.0
TURN_RADPS = math.radians(0.3) / 60  # 0.3 deg per minute


@dataclass(frozen=True)
class Ev:
    t_s: float
    kind: str
    subject: str = "ROS"
    data: dict = field(default_factory=dict)


def _rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


class SyntheticTrajectory:
    """Contract attributes of physics Trajectory (docs/design.md) with closed-form motion."""

    def __init__(self, t_end_s=PERIOD_S + 200.0, dt_s=5.0, direction=-1.0, turn_radps=TURN_RADPS, x0_m=X0_M):
        self.epoch_utc, self.epoch_tt_jd = "2022-03-05T12:00:00Z", 2459644.0008
        self.body_names = ("ROS", "USOS")
        self.direction, self.turn, self.x0 = direction, turn_radps, x0_m
        self.t_s = np.arange(0.0, t_end_s + 1e-9, dt_s)
        self.events = (Ev(T_REL_S, "release"), Ev(T_REL_S + PUSH_S, "push_end"))
        self.metadata = {"scenario": {"name": "synthetic"}}

    def rel_x(self, t):
        """Russian segment's LVLH x relative to the US segment, and its rate."""
        s = t - T_REL_S
        if s <= 0:
            return self.x0, 0.0
        if s <= PUSH_S:
            return self.x0 + self.direction * U_MPS * s * s / (2 * PUSH_S), self.direction * U_MPS * s / PUSH_S
        return self.x0 + self.direction * U_MPS * (PUSH_S / 2 + s - PUSH_S), self.direction * U_MPS

    def gap_m(self, t):
        return abs(self.rel_x(t)[0]) - abs(self.x0)

    def state_at(self, t):
        t = float(t)
        r_u = A_M * np.array([math.cos(N_RADPS * t), math.sin(N_RADPS * t), 0.0])
        v_u = A_M * N_RADPS * np.array([-math.sin(N_RADPS * t), math.cos(N_RADPS * t), 0.0])
        R_gcrs_from_lvlh = lvlh_from_gcrs(r_u, v_u).T
        omega_lvlh_gcrs = np.cross(r_u, v_u) / np.dot(r_u, r_u)
        x, xdot = self.rel_x(t)
        rel = R_gcrs_from_lvlh @ np.array([x, 0.0, 0.0])
        # rotating-frame kinematics: d/dt (R rho) = R rho_dot + omega x (R rho)
        v_r = v_u + R_gcrs_from_lvlh @ np.array([xdot, 0.0, 0.0]) + np.cross(omega_lvlh_gcrs, rel)
        turn = self.turn * max(0.0, t - T_REL_S)
        R_ros = R_gcrs_from_lvlh @ _rot_y(turn)
        w_ros = R_ros.T @ omega_lvlh_gcrs + np.array([0.0, self.turn * (t > T_REL_S), 0.0])
        w_us = R_gcrs_from_lvlh.T @ omega_lvlh_gcrs
        q = np.array([quat_from_dcm(R_ros), quat_from_dcm(R_gcrs_from_lvlh)])
        return np.array([r_u + rel, r_u]), np.array([v_r, v_u]), q, np.array([w_ros, w_us])


@pytest.fixture(scope="module")
def traj():
    return SyntheticTrajectory()


@pytest.fixture(scope="module")
def caps(traj):
    return {c.kind + (c.text if c.kind == "range" else ""): c for c in cap.captions_for(traj)}


def by_kind(captions, kind):
    return [c for c in captions if c.kind == kind]


def test_hooks_open_exactly_at_release(traj):
    c = by_kind(cap.captions_for(traj), "release")
    assert len(c) == 1 and c[0].t_s == T_REL_S and c[0].text == "Hooks open"


def test_push_caption_carries_the_computed_speed(traj):
    (c,) = by_kind(cap.captions_for(traj), "push")
    assert c.t_s == T_REL_S + PUSH_S
    assert c.text == "Springs push the segments apart at 3 cm/s"  # U_MPS = 0.03 m/s


def test_push_speed_follows_the_run_not_a_constant():
    class Faster(SyntheticTrajectory):
        def rel_x(self, t):
            x, xd = super().rel_x(t)
            return self.x0 + 1.5 * (x - self.x0), 1.5 * xd
    (c,) = by_kind(cap.captions_for(Faster()), "push")
    assert c.text.endswith("at 4.5 cm/s")


def test_range_milestones_appear_when_the_gap_reaches_them(traj):
    ranges = by_kind(cap.captions_for(traj), "range")
    assert [c.text.split(" apart")[0] for c in ranges] == ["1 m", "10 m", "100 m"]  # 167 m after one orbit
    for c, level in zip(ranges, (1.0, 10.0, 100.0)):
        # closed form: gap = U*PUSH/2 + U*(t - T_REL - PUSH) after the push
        t_expected = T_REL_S + PUSH_S + (level - U_MPS * PUSH_S / 2) / U_MPS
        assert c.t_s == pytest.approx(t_expected, abs=1e-5)  # bisection tolerance 1 us + rounding
        assert traj.gap_m(c.t_s) >= level > traj.gap_m(c.t_s - 1e-3)  # true at t_on, false just before


def test_one_minute_and_one_orbit(traj):
    all_caps = cap.captions_for(traj)
    (minute,) = by_kind(all_caps, "minute")
    assert minute.t_s == T_REL_S + 60.0
    assert minute.text == f"One minute later: {cap.fmt_distance(traj.gap_m(T_REL_S + 60))} apart" == \
        "One minute later: 1.8 m apart"
    (orbit,) = by_kind(all_caps, "orbit")
    assert orbit.t_s == pytest.approx(T_REL_S + PERIOD_S, abs=1e-6)
    # gap = U*PUSH/2 + U*(PERIOD - PUSH) = 167.3 m
    assert orbit.text == "One orbit later: 167 m apart, and the Russian segment is behind"


def test_ahead_when_pushed_forward():
    t = SyntheticTrajectory(direction=+1.0, x0_m=25.0)
    (orbit,) = by_kind(cap.captions_for(t), "orbit")
    assert orbit.text.endswith("the Russian segment is ahead")


def test_turning_caption_from_the_attitude(traj):
    (turn,) = by_kind(cap.captions_for(traj), "turn")
    assert turn.t_s == T_REL_S + PUSH_S
    # the rate is 0.3 deg/min about body y relative to LVLH (on top of the once-per-orbit LVLH turn)
    assert "0.3° per minute" in turn.text
    still = SyntheticTrajectory(turn_radps=0.0)
    assert not by_kind(cap.captions_for(still), "turn")


def test_no_caption_before_it_is_true(traj):
    all_caps = cap.captions_for(traj)
    assert list(all_caps) == sorted(all_caps, key=lambda c: c.t_s)
    assert cap.current(all_caps, T_REL_S - 1e-9) is None
    assert cap.current(all_caps, T_REL_S).text == "Hooks open"
    # the "1 m" milestone stopped being true at 1.05 m: only the push speed and turn rate still hold
    assert cap.current(all_caps, T_REL_S + 59.999).kind in ("push", "turn")
    assert cap.current(all_caps, T_REL_S + 60.0).kind == "minute"
    for c in all_caps:                    # every window starts at its moment and ends after it
        assert c.t_end_s is not None and c.t_end_s > c.t_s


def test_short_run_has_no_orbit_caption():
    short = SyntheticTrajectory(t_end_s=300.0)
    kinds = {c.kind for c in cap.captions_for(short)}
    assert "orbit" not in kinds and "minute" in kinds


def test_no_release_no_captions():
    t = SyntheticTrajectory()
    t.events = ()
    assert cap.captions_for(t) == () and cap.clip_vs_physics(t) == ()


def test_event_captions():
    t = SyntheticTrajectory()
    t.events = t.events + (Ev(500.0, "burn_start", "ROS", {"label": "main engines"}),
                           Ev(4000.0, "reentry", "USOS", {"alt_m": 120e3}))
    texts = {c.kind: c for c in cap.captions_for(t)}
    assert texts["burn"].t_s == 500.0 and texts["burn"].text == "The Russian segment fires its main engines"
    assert texts["reentry"].text == "The US segment re-enters the atmosphere, 66 min after the split"


def test_clip_vs_physics_sequence(traj):
    steps = cap.clip_vs_physics(traj)
    assert [s.t_s for s in steps] == sorted(s.t_s for s in steps)
    assert "3 cm/s" in steps[0].physics
    assert "0.3° per minute" in steps[1].physics
    assert steps[2].physics == "After one minute: 1.8 m apart."
    assert "167 m apart, the Russian segment behind the US segment" in steps[3].physics


@pytest.mark.parametrize("d, text", [(0.042, "4.2 cm"), (0.35, "35 cm"), (2.34, "2.3 m"), (48.2, "48 m"),
                                     (167.4, "167 m"), (1640.0, "1.6 km"), (240e3, "240 km")])
def test_distance_format(d, text):
    assert cap.fmt_distance(d) == text


def test_every_caption_gets_its_turn_in_a_video_and_only_while_it_is_true(traj):
    """The lesson's time map (render/storytime.py) slows down wherever a caption's window is shorter
    than its reading time: every caption is then shown, one at a time, each only inside its window
    and for at least its reading time; the last one holds >= 8 s fully visible."""
    from render.burnin import caption_schedule, scheduled_caption
    from render.storytime import story_timemap
    from render.timemap import parse_timemap
    caps = cap.captions_for(traj)
    assert {"release", "push", "turn", "range", "minute", "orbit"} <= {c.kind for c in caps}
    t_end = caps[-1].t_end_s
    tmap, kept = story_timemap(parse_timemap("ramp", T_REL_S - 5.0, PERIOD_S), t_end, caps)
    assert kept == caps
    sched = caption_schedule(kept, tmap.video_time, video_end_s=tmap.video_time(t_end))
    assert [c for _, _, c in sched] == list(caps)
    for (on, off, c), nxt in zip(sched, sched[1:] + [None]):
        assert tmap.sim_time(on) >= c.t_s - 1e-6 and tmap.sim_time(off) <= c.t_end_s + 1e-6
        assert off - on >= cap.reading_s(c.text) - 1e-6
        if nxt is not None:
            assert nxt[0] >= off - 1e-9                  # one at a time
    on, off, last = sched[-1]
    full = [tau for tau in np.arange(on, off, 0.05) if scheduled_caption(sched, tau) == (last, 1.0)]
    assert len(full) * 0.05 >= 8.0
    assert scheduled_caption(sched, -1.0) == (None, 0.0)


def test_a_plain_real_time_video_leaves_out_what_it_cannot_show_while_true(traj):
    """With a fixed map (--timemap real) a caption whose window is too short to read is left out,
    never shown late: no caption is ever on screen outside its window."""
    from render.burnin import caption_schedule
    caps = cap.captions_for(traj)
    video_time = lambda t_s: t_s - T_REL_S
    for on, off, c in caption_schedule(caps, video_time):
        assert on >= video_time(c.t_s) - 1e-9 and off <= video_time(c.t_end_s) + 1e-9


def test_speed_words_for_tiny_and_negative_rates():
    """At the release instant the range rate is interpolation noise (2e-13 m/s printed as '2e-11 cm/s');
    an orbit later the segments close in again: the HUD says so instead of 'separating at -3.3 cm/s'."""
    from render.burnin import _rate_words
    assert cap.fmt_speed(2e-13) == "0 cm/s" and cap.fmt_speed(0.029) == "2.9 cm/s"
    assert _rate_words(2e-13) == "separating at 0 cm/s"
    assert _rate_words(0.029) == "separating at 2.9 cm/s" and _rate_words(-0.033) == "closing at 3.3 cm/s"


def test_the_clip_vs_physics_turn_step_measures_the_free_segment_not_a_held_one():
    """US segment held, Russian segment free (turning 0.3°/min): with the US segment as `other`, the step
    used to measure it alone and say 'hardly any turning'; it names the free segment that turns."""
    t = SyntheticTrajectory()
    t.metadata = dict(t.metadata, attitude={"USOS": {"mode": "lvlh_hold"}, "ROS": {"mode": "free"}})
    (turn,) = [s for s in cap.clip_vs_physics(t, other="USOS", anchor="ROS") if s.kind == "turn"]
    assert "the Russian segment turns 0.3° per minute" in turn.physics


@pytest.fixture(scope="module")
def held_clip():
    import scenario
    return scenario.run("clip-2022")          # both segments held after the split (the lesson)


def test_the_clip_vs_physics_turn_step_says_what_the_held_path_does(held_clip):
    """Held: not 'neither turns' alone (read as physics agreeing with the clip's straight line) but when the
    path leaves that line: 1 m below it ~2.6 min after release, shown then (inside the lesson video's
    daylight), while the offset still reads 1 m."""
    from physics.frames import lvlh_from_gcrs
    (turn,) = [s for s in cap.clip_vs_physics(held_clip) if s.kind == "turn"]
    t_rel, t_p = (cap.first_event(held_clip, k).t_s for k in ("release", "push_end"))
    assert turn.physics == (f"Not a straight line: {cap.fmt_duration(turn.t_s - t_rel)} after the hooks opened, "
                            "the Russian segment is already "
                            f"{cap.fmt_distance(1.0)} below the line it left along; neither segment turns.")
    assert turn.t_s - t_rel == pytest.approx(157.0, abs=15.0)
    ir, iu = held_clip.body_names.index("ROS"), held_clip.body_names.index("USOS")

    def rho(t):                                # independent: the US segment's LVLH axes, GCRS positions
        r, v, _, _ = held_clip.state_at(t)
        return lvlh_from_gcrs(r[iu], v[iu]) @ (r[ir] - r[iu])
    u = rho(t_p + 1.0) - rho(t_p)              # rotating-frame velocity just after the push (finite step)
    u /= np.linalg.norm(u)
    d = rho(turn.t_s) - rho(t_p)
    off = d - (d @ u) * u
    assert np.linalg.norm(off) == pytest.approx(1.0, abs=0.05) and off[2] > 0.9       # 1 m, down
    assert turn.t_s < turn.t_end_s < turn.t_s + 30.0


def test_durations_under_ten_minutes_read_as_the_hud_clock():
    """'2 min 37 s' where the HUD's T+ clock reads 00:02:37 (was '3 min' beside it); whole minutes from
    10 min on, seconds under 2 min."""
    assert [cap.fmt_duration(x) for x in (33.6, 157.9, 599.9, 600.0, 5580.0)] == \
        ["34 s", "2 min 37 s", "9 min 59 s", "10 min", "93 min"]
