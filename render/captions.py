"""Captions computed from the run's own numbers, each appearing at the moment it becomes true.

Nothing here is typed-in physics: every number comes from the Trajectory (events, states). The
words around the numbers are fixed. Pure numpy, no Panda3D.

Quantities (all from ``traj.state_at``):
* *apart*: growth of the distance between the two segments' centres of mass since the hooks opened,
  ``|r_a - r_b| - d_docked``; at the docking ring this is the gap that opened.
* *separation speed*: the range rate ``d|r_a - r_b|/dt = r_hat . (v_a - v_b)``; frame independent
  (the rotation of any frame adds a velocity perpendicular to r_hat), zero for a rigid docked stack.
* *behind / ahead*: sign of the other segment's position along the anchor's LVLH x (along the velocity).
* *orbit*: Keplerian period of the anchor at release, ``2 pi sqrt(a^3 / mu)``, a from vis-viva.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from physics.frames import lvlh_from_gcrs
from physics.rotation import dcm_from_quat

MU_EARTH = 3.986004418e14  # m^3/s^2 (EGM2008 / WGS84 GM)
RANGE_MILESTONES_M = (1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0)
PLAIN_NAMES = {"ROS": "the Russian segment", "USOS": "the US segment"}
MIN_TURN_DEG_PER_MIN = 0.05  # below this the turning is not worth a caption (a 100 m module moves < 9 cm/min)


@dataclass(frozen=True)
class Caption:
    t_s: float  # simulated time at which it becomes true (s since epoch)
    text: str
    kind: str  # release | push | range | minute | orbit | turn | burn | reentry


@dataclass(frozen=True)
class Comparison:
    """One step of the 'what the clip showed / what physics says' sequence."""
    t_s: float
    clip: str
    physics: str


def plain(name: str) -> str:
    return PLAIN_NAMES.get(name, name)


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt_distance(d_m: float) -> str:
    """'4.2 cm', '35 cm', '2.3 m', '48 m', '1.6 km', '240 km' (two significant figures)."""
    if abs(d_m) < 1.0:
        return f"{d_m * 100:.2g} cm"
    if abs(d_m) < 1000.0:
        return f"{d_m:.2g} m" if abs(d_m) < 100 else f"{d_m:.0f} m"
    return f"{d_m / 1000:.2g} km" if abs(d_m) < 100e3 else f"{d_m / 1000:,.0f} km"


def fmt_speed(v_mps: float) -> str:
    """'2.9 cm/s', '1.6 m/s'; below 0.01 mm/s (interpolation noise at the release instant) '0 cm/s'."""
    if abs(v_mps) < 1e-5:
        return "0 cm/s"
    return f"{v_mps * 100:.2g} cm/s" if abs(v_mps) < 1.0 else f"{v_mps:.2g} m/s"


def fmt_duration(dt_s: float) -> str:
    if dt_s < 120:
        return f"{dt_s:.0f} s"
    if dt_s < 7200:
        return f"{dt_s / 60:.0f} min"
    return f"{dt_s / 3600:.1f} h" if dt_s < 2 * 86400 else f"{dt_s / 86400:.1f} days"


class Pair:
    """Geometry of two bodies of a trajectory: `other` (e.g. ROS) relative to `anchor` (e.g. USOS)."""

    def __init__(self, traj, other: str = "ROS", anchor: str = "USOS"):
        names = tuple(traj.body_names)
        if other not in names or anchor not in names:
            raise ValueError(f"captions need bodies {other!r} and {anchor!r}; the run has {names}")
        self.traj, self.i, self.k = traj, names.index(other), names.index(anchor)
        self.other, self.anchor = other, anchor

    def rel(self, t_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(dr (3,), dv (3,), r_anchor (3,), v_anchor (3,)), GCRS."""
        r, v, _, _ = self.traj.state_at(float(t_s))
        return r[self.i] - r[self.k], v[self.i] - v[self.k], r[self.k], v[self.k]

    def distance_m(self, t_s: float) -> float:
        return float(np.linalg.norm(self.rel(t_s)[0]))

    def range_rate_mps(self, t_s: float) -> float:
        dr, dv, _, _ = self.rel(t_s)
        return float(np.dot(dr, dv) / np.linalg.norm(dr))

    def along_track_m(self, t_s: float) -> float:
        """Other body's position along the anchor's LVLH x (+ = ahead, along the velocity)."""
        dr, _, r, v = self.rel(t_s)
        return float((lvlh_from_gcrs(r, v) @ dr)[0])

    def turn_rate_deg_per_min(self, t_s: float) -> float:
        """How fast `other` turns as seen in its own LVLH frame (what a viewer of the LVLH scene sees).

        The LVLH frame turns at omega_lvlh = h / |r|^2 (GCRS, about the orbit normal), so the rate
        relative to it is omega_body - R_body_from_gcrs @ omega_lvlh; a docked stack holding LVLH gives 0.
        """
        r, v, q, omega = self.traj.state_at(float(t_s))
        r_i, v_i = r[self.i], v[self.i]
        omega_lvlh_gcrs = np.cross(r_i, v_i) / np.dot(r_i, r_i)
        rel_body = omega[self.i] - dcm_from_quat(q[self.i]).T @ omega_lvlh_gcrs
        return float(np.linalg.norm(rel_body)) * 180 / math.pi * 60

    def period_s(self, t_s: float) -> float:
        _, _, r, v = self.rel(t_s)
        a = 1.0 / (2.0 / np.linalg.norm(r) - np.dot(v, v) / MU_EARTH)
        return float(2 * math.pi * math.sqrt(a ** 3 / MU_EARTH))


def first_event(traj, kind: str, subject: str | None = None):
    return next((e for e in traj.events if e.kind == kind and (subject is None or e.subject == subject)), None)


def crossing_time(f, t_lo: float, t_hi: float, level: float, tol_s: float = 1e-6) -> float:
    """Bisection for the first time f(t) >= level in [t_lo, t_hi], given f(t_lo) < level <= f(t_hi)."""
    while t_hi - t_lo > tol_s:
        mid = 0.5 * (t_lo + t_hi)
        t_lo, t_hi = (mid, t_hi) if f(mid) < level else (t_lo, mid)
    return t_hi


def range_milestones(pair: Pair, t_rel_s: float, d0_m: float, milestones=RANGE_MILESTONES_M) -> list[Caption]:
    """'10 m apart, 5 min after the hooks opened' at the first time the gap reaches each milestone."""
    t = np.asarray(pair.traj.t_s, float)
    t = np.concatenate([[t_rel_s], t[t > t_rel_s]])
    gap = np.array([pair.distance_m(x) for x in t]) - d0_m
    caps = []
    for level in milestones:
        above = np.nonzero(gap >= level)[0]
        if not len(above) or above[0] == 0:
            continue
        j = above[0]
        t_on = crossing_time(lambda x: pair.distance_m(x) - d0_m, t[j - 1], t[j], level)
        caps.append(Caption(t_on, f"{fmt_distance(level)} apart, {fmt_duration(t_on - t_rel_s)} "
                                  f"after the hooks opened", "range"))
    return caps


def captions_for(traj, other: str = "ROS", anchor: str = "USOS") -> tuple[Caption, ...]:
    """Every caption the run supports, in time order (empty when nothing is released)."""
    release = first_event(traj, "release")
    if release is None:
        return ()
    pair, t_rel = Pair(traj, other, anchor), float(release.t_s)
    t_end = float(traj.t_s[-1])
    d0 = pair.distance_m(t_rel)
    caps = [Caption(t_rel, "Hooks open", "release")]
    push = first_event(traj, "push_end")
    if push is not None:
        caps.append(Caption(float(push.t_s), "Springs push the segments apart at "
                            f"{fmt_speed(pair.range_rate_mps(push.t_s))}", "push"))
        turn = pair.turn_rate_deg_per_min(push.t_s)
        if turn >= MIN_TURN_DEG_PER_MIN:
            caps.append(Caption(float(push.t_s), f"The push is off-centre: {plain(other)} turns "
                                f"{turn:.2g}° per minute", "turn"))
    caps += range_milestones(pair, t_rel, d0)
    if t_rel + 60.0 <= t_end:
        caps.append(Caption(t_rel + 60.0, f"One minute later: {fmt_distance(pair.distance_m(t_rel + 60) - d0)} apart",
                            "minute"))
    t_orbit = t_rel + pair.period_s(t_rel)
    if t_orbit <= t_end:
        side = "behind" if pair.along_track_m(t_orbit) < 0 else "ahead"
        caps.append(Caption(t_orbit, f"One orbit later: {fmt_distance(pair.distance_m(t_orbit) - d0)} apart, "
                            f"and {plain(other)} is {side}", "orbit"))
    caps += event_captions(traj, t_rel)
    return tuple(sorted(caps, key=lambda c: c.t_s))


def event_captions(traj, t_rel_s: float) -> list[Caption]:
    caps = []
    for e in traj.events:
        if e.kind == "burn_start":
            label = e.data.get("label") or "thrusters"
            caps.append(Caption(float(e.t_s), f"{cap_first(plain(e.subject))} fires its {label}", "burn"))
        elif e.kind == "reentry":
            caps.append(Caption(float(e.t_s), f"{cap_first(plain(e.subject))} re-enters the atmosphere, "
                                f"{fmt_duration(e.t_s - t_rel_s)} after the split", "reentry"))
    return caps


def current(captions, t_s: float) -> Caption | None:
    """The latest caption that is already true at t_s (None before the first)."""
    shown = [c for c in captions if c.t_s <= t_s]
    return shown[-1] if shown else None


def clip_vs_physics(traj, other: str = "ROS", anchor: str = "USOS") -> tuple[Comparison, ...]:
    """'What the clip showed / what physics says': the clip's side is a description of the CGI
    (fixed words); the physics side is computed from this run."""
    release = first_event(traj, "release")
    if release is None:
        return ()
    pair, t_rel, t_end = Pair(traj, other, anchor), float(release.t_s), float(traj.t_s[-1])
    d0 = pair.distance_m(t_rel)
    steps = []
    push = first_event(traj, "push_end")
    if push is not None:
        speed = fmt_speed(pair.range_rate_mps(push.t_s))
        steps.append(Comparison(float(push.t_s), "The Russian segment simply floats away.",
                                f"The springs give only {speed} (a person walks at about 140 cm/s)."))
        turn = pair.turn_rate_deg_per_min(push.t_s)
        physics = (f"The push is off the centres of mass: it turns {turn:.2g}° per minute." if turn >=
                   MIN_TURN_DEG_PER_MIN else "The push is close to the centres of mass: hardly any turning.")
        steps.append(Comparison(float(push.t_s), "The two parts separate in a straight line.", physics))
    if t_rel + 60.0 <= t_end:
        gap = fmt_distance(pair.distance_m(t_rel + 60) - d0)
        steps.append(Comparison(t_rel + 60.0, "A wide gap opens within seconds.", f"After one minute: {gap} apart."))
    t_orbit = t_rel + pair.period_s(t_rel)
    if t_orbit <= t_end:
        side = "behind" if pair.along_track_m(t_orbit) < 0 else "ahead of"
        steps.append(Comparison(t_orbit, "The clip does not show what happens next.",
                                f"After one orbit ({fmt_duration(t_orbit - t_rel)}): "
                                f"{fmt_distance(pair.distance_m(t_orbit) - d0)} apart, {plain(other)} "
                                f"{side} {plain(anchor)}."))
    return tuple(steps)
