"""Captions computed from the run's own numbers, each shown only while it is true.

Nothing here is typed-in physics: every number comes from the Trajectory (events, states). The
words around the numbers are fixed. Pure numpy, no Panda3D.

Quantities:
* *apart*: the gap between the two docking ports (scenario.apart: the one definition the HUD,
  presenter, video and `simulate` share), formatted by `fmt_distance` exactly as the HUD formats it.
* *separation speed*: the rate of that gap, formatted by `fmt_speed` as on the HUD.
* *turning*: a segment's rate relative to its local horizon (LVLH), what a viewer sees turn.
* *behind / ahead*: sign of the other segment's position along the anchor's LVLH x (along the velocity).
* *orbit*: Keplerian period of the anchor at release, ``2 pi sqrt(a^3 / mu)``, a from vis-viva.

Each caption has a window [t_s, t_end_s]: from the moment it becomes true until its number, rounded as
printed, no longer matches the run (`holds_until`). The video shows a caption only inside its
window and slows its time map where a window is shorter than the caption's reading time
(render/storytime.py); the final caption holds FINAL_HOLD_S.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from physics.frames import lvlh_from_gcrs
from scenario.apart import apart_at, fmt_distance, fmt_speed, one_orbit_after_release, period_s, spin_lvlh_radps  # noqa: F401 (re-exported)
from scenario.attitude_text import all_held, modes
from scenario.cw import relative_lvlh

RANGE_MILESTONES_M = (1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0)
PLAIN_NAMES = {"ROS": "the Russian segment", "USOS": "the US segment"}
MIN_TURN_DEG_PER_MIN = 0.05  # below this the turning is not worth a caption (a 100 m module moves < 9 cm/min)
TURN_NOISE_DEG_PER_MIN = 1e-4  # below this a rate is round-off (a 100 m module moves < 0.2 mm/min): "0°"
OFF_LINE_M = 1.0  # held: the path is said to leave the clip's straight line when it is this far off it (ESTIMATE: visible on a 100-m station)
EVENT_WINDOW_S = 30.0  # a caption without a number ("Hooks open") is news for this long after its event
WORDS_PER_S, MIN_READ_S = 2.5, 3.0  # reading speed for a class (subtitle guides: 2.5-3 words/s)
FINAL_HOLD_S = 9.0  # the last caption stays fully visible >= 8 s (plus its 0.5-s fade-in and margin)


@dataclass(frozen=True)
class Caption:
    t_s: float  # simulated time at which it becomes true (s since epoch)
    text: str
    kind: str  # release | push | range | minute | orbit | turn | burn | reentry | compare
    t_end_s: float | None = None  # true until then (its number no longer rounds the same); None: open


def reading_s(text: str) -> float:
    """Video seconds a class needs to read `text`."""
    return max(MIN_READ_S, 1.0 + len(text.split()) / WORDS_PER_S)


@dataclass(frozen=True)
class Comparison:
    """One step of the 'what the clip showed / what physics says' sequence."""
    t_s: float
    clip: str
    physics: str
    kind: str = ""  # the caption kind stating the same number (push | turn | minute | orbit)
    t_end_s: float | None = None  # the physics number holds until then


def plain(name: str) -> str:
    return PLAIN_NAMES.get(name, name)


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt_turn(deg_per_min: float) -> str:
    """'2° per minute', '0.3° per minute': one significant figure (the rate drifts by a few per cent a
    minute under gravity gradient, so a second figure would be true for seconds only). Below
    TURN_NOISE_DEG_PER_MIN (round-off of a held attitude, ~1e-15) '0° per minute'."""
    return "0° per minute" if abs(deg_per_min) < TURN_NOISE_DEG_PER_MIN else f"{deg_per_min:.1g}° per minute"


def fmt_duration(dt_s: float) -> str:
    """'34 s', '2 min 37 s' (under 10 min: minutes and seconds as the HUD's T+ clock shows them then,
    never '3 min' beside a clock reading 00:02:37), '93 min', '2.5 h', '3.1 days'."""
    if dt_s < 120:
        return f"{dt_s:.0f} s"
    if dt_s < 600:
        m, sec = divmod(int(dt_s), 60)              # truncated, as burnin.clock_text
        return f"{m} min {sec} s"
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
        """(dr (3,), dv (3,), r_anchor (3,), v_anchor (3,)), GCRS, centre of mass to centre of mass."""
        r, v, _, _ = self.traj.state_at(float(t_s))
        return r[self.i] - r[self.k], v[self.i] - v[self.k], r[self.k], v[self.k]

    def distance_m(self, t_s: float) -> float:
        """'Apart': the gap between the docking ports (scenario.apart.apart_at)."""
        return apart_at(self.traj, t_s).gap_m

    def range_rate_mps(self, t_s: float) -> float:
        return apart_at(self.traj, t_s).gap_rate_mps

    def along_track_m(self, t_s: float) -> float:
        """Other body's position along the anchor's LVLH x (+ = ahead, along the velocity)."""
        dr, _, r, v = self.rel(t_s)
        return float((lvlh_from_gcrs(r, v) @ dr)[0])

    def turn_rate_deg_per_min(self, t_s: float, body: str | None = None) -> float:
        """How fast `body` (default `other`) turns relative to its local horizon (scenario.apart.spin_lvlh_radps)."""
        j = self.i if body is None else list(self.traj.body_names).index(body)
        r, v, q, omega = self.traj.state_at(float(t_s))
        rel = spin_lvlh_radps(r[j], v[j], q[j], omega[j])[0]
        return float(np.linalg.norm(rel)) * 180 / math.pi * 60

    def turning(self, t_s: float) -> tuple[str, float]:
        """(the free segment of the pair turning fastest at t_s, its rate in deg/min); a held segment
        does not turn, so it is never the answer unless both are held (then `other`, 0)."""
        held = modes(self.traj)
        free = [b for b in (self.other, self.anchor) if held.get(b) != "lvlh_hold"]
        rates = {b: self.turn_rate_deg_per_min(t_s, b) for b in free}
        return max(rates.items(), key=lambda kv: kv[1]) if rates else (self.other, 0.0)

    def lvlh(self, t_s) -> tuple[np.ndarray, np.ndarray]:
        """`other`'s CoM relative to `anchor`'s in the anchor's LVLH frame (x along the velocity, z down)
        and its rate in that rotating frame, at the times t_s (K,) -> (K, 3) each (scenario.cw.relative_lvlh)."""
        states = [self.traj.state_at(float(x)) for x in np.atleast_1d(t_s)]
        return relative_lvlh(np.array([s[0] for s in states]), np.array([s[1] for s in states]), self.i, self.k)

    def off_line(self, t_from_s: float):
        """t -> (3,) LVLH offset of `other` from the straight line it leaves along at t_from_s (through its
        LVLH position then, along its LVLH velocity then): the part of its displacement across that line."""
        (rho0,), (v0,) = self.lvlh(t_from_s)
        u = v0 / np.linalg.norm(v0)

        def offset(t_s: float) -> np.ndarray:
            d = self.lvlh(t_s)[0][0] - rho0
            return d - (d @ u) * u
        return offset

    def period_s(self, t_s: float) -> float:
        _, _, r, v = self.rel(t_s)
        return period_s(r, v)


def first_event(traj, kind: str, subject: str | None = None):
    return next((e for e in traj.events if e.kind == kind and (subject is None or e.subject == subject)), None)


def crossing_time(f, t_lo: float, t_hi: float, level: float, tol_s: float = 1e-6) -> float:
    """Bisection for the first time f(t) >= level in [t_lo, t_hi], given f(t_lo) < level <= f(t_hi)."""
    while t_hi - t_lo > tol_s:
        mid = 0.5 * (t_lo + t_hi)
        t_lo, t_hi = (mid, t_hi) if f(mid) < level else (t_lo, mid)
    return t_hi


def holds_until(quantity, t_on_s: float, t_max_s: float, step_s: float = 1.0) -> float:
    """Last time in [t_on, t_max] up to which quantity(t) (a printed string) still equals quantity(t_on):
    scan at step_s, then bisect the first change to 1 ms."""
    shown = quantity(t_on_s)
    t = t_on_s
    while t < t_max_s:
        nxt = min(t + step_s, t_max_s)
        if quantity(nxt) != shown:
            lo, hi = t, nxt
            while hi - lo > 1e-3:
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if quantity(mid) == shown else (lo, mid)
            return lo
        t = nxt
    return t_max_s


class Windows:
    """When each kind of number, as printed, stops being true (the end of a caption's window)."""

    def __init__(self, pair: Pair, t_run_end_s: float):
        self.pair, self.t_max = pair, t_run_end_s
        dt = np.diff(np.asarray(pair.traj.t_s, float))
        self.step = float(np.clip(np.median(dt) if len(dt) else 1.0, 0.5, 60.0))

    def _until(self, quantity, t_s: float, horizon_s: float) -> float:
        return holds_until(quantity, t_s, min(self.t_max, t_s + horizon_s), self.step)

    def gap(self, t_s: float) -> float:
        return self._until(lambda t: fmt_distance(self.pair.distance_m(t)), t_s, 3 * 3600.0)

    def speed(self, t_s: float) -> float:
        return self._until(lambda t: fmt_speed(self.pair.range_rate_mps(t)), t_s, 3600.0)

    def turn(self, t_s: float, body: str | None = None) -> float:
        return self._until(lambda t: fmt_turn(self.pair.turn_rate_deg_per_min(t, body)), t_s, 3600.0)

    def gap_and_side(self, t_s: float) -> float:
        return self._until(lambda t: (fmt_distance(self.pair.distance_m(t)), self.pair.along_track_m(t) < 0),
                           t_s, 3 * 3600.0)


def range_milestones(pair: Pair, t_rel_s: float, windows: Windows | None = None,
                     milestones=RANGE_MILESTONES_M) -> list[Caption]:
    """'10 m apart, 5 min after the hooks opened' at the first time the gap reaches each milestone,
    true while the gap still reads as that number."""
    t = np.asarray(pair.traj.t_s, float)
    t = np.concatenate([[t_rel_s], t[t > t_rel_s]])
    gap = np.array([pair.distance_m(x) for x in t])
    caps = []
    for level in milestones:
        above = np.nonzero(gap >= level)[0]
        if not len(above) or above[0] == 0:
            continue
        j = above[0]
        t_on = crossing_time(pair.distance_m, t[j - 1], t[j], level)
        caps.append(Caption(t_on, f"{fmt_distance(level)} apart, {fmt_duration(t_on - t_rel_s)} "
                                  f"after the hooks opened", "range", windows.gap(t_on) if windows else None))
    return caps


def captions_for(traj, other: str = "ROS", anchor: str = "USOS") -> tuple[Caption, ...]:
    """Every caption the run supports, in time order (empty when nothing is released)."""
    release = first_event(traj, "release")
    if release is None:
        return ()
    pair, t_rel = Pair(traj, other, anchor), float(release.t_s)
    t_end = float(traj.t_s[-1])
    win = Windows(pair, t_end)
    caps = [Caption(t_rel, "Hooks open", "release", min(t_end, t_rel + EVENT_WINDOW_S))]
    push = first_event(traj, "push_end")
    if push is not None:
        t_p = float(push.t_s)
        caps.append(Caption(t_p, f"Springs push the segments apart at {fmt_speed(pair.range_rate_mps(t_p))}",
                            "push", win.speed(t_p)))
        who, turn = pair.turning(t_p)
        if turn >= MIN_TURN_DEG_PER_MIN:
            caps.append(Caption(t_p, f"The push is off-centre: {plain(who)} turns {fmt_turn(turn)}",
                                "turn", win.turn(t_p, who)))
    caps += range_milestones(pair, t_rel, win)
    if t_rel + 60.0 <= t_end:
        t_m = t_rel + 60.0
        caps.append(Caption(t_m, f"One minute later: {fmt_distance(pair.distance_m(t_m))} apart", "minute",
                            win.gap(t_m)))
    t_orbit = one_orbit_after_release(traj)
    if t_orbit <= t_end:
        side = "behind" if pair.along_track_m(t_orbit) < 0 else "ahead"
        caps.append(Caption(t_orbit, f"One orbit later: {fmt_distance(pair.distance_m(t_orbit))} apart, "
                            f"and {plain(other)} is {side}", "orbit", win.gap_and_side(t_orbit)))
    caps += event_captions(traj, t_rel)
    return tuple(sorted(caps, key=lambda c: c.t_s))


def event_captions(traj, t_rel_s: float) -> list[Caption]:
    caps, t_end = [], float(traj.t_s[-1])
    for e in traj.events:
        if e.kind == "burn_start":
            label = e.data.get("label") or "thrusters"
            stop = first_after(traj, "burn_end", e.subject, float(e.t_s))
            caps.append(Caption(float(e.t_s), f"{cap_first(plain(e.subject))} fires its {label}", "burn",
                                min(t_end, max(stop if stop is not None else e.t_s, e.t_s + EVENT_WINDOW_S))))
        elif e.kind == "reentry":
            caps.append(Caption(float(e.t_s), f"{cap_first(plain(e.subject))} re-enters the atmosphere, "
                                f"{fmt_duration(e.t_s - t_rel_s)} after the split", "reentry", t_end))
    return caps


def first_after(traj, kind: str, subject: str, t_s: float) -> float | None:
    return next((float(e.t_s) for e in traj.events if e.kind == kind and e.subject == subject and e.t_s >= t_s), None)


def current(captions, t_s: float) -> Caption | None:
    """The latest caption that is true at t_s (inside its window; None if there is none)."""
    shown = [c for c in captions if c.t_s <= t_s and (c.t_end_s is None or t_s <= c.t_end_s)]
    return shown[-1] if shown else None


def latest(captions, t_s: float) -> Caption | None:
    """The latest caption whose moment has come by t_s, true or not any more (chapter summaries)."""
    shown = [c for c in captions if c.t_s <= t_s]
    return shown[-1] if shown else None


def clip_vs_physics(traj, other: str = "ROS", anchor: str = "USOS") -> tuple[Comparison, ...]:
    """'What the clip showed / what physics says': the clip's side is a description of the CGI
    (fixed words); the physics side is computed from this run, with the caption of the same kind's window."""
    release = first_event(traj, "release")
    if release is None:
        return ()
    pair, t_rel, t_end = Pair(traj, other, anchor), float(release.t_s), float(traj.t_s[-1])
    win = Windows(pair, t_end)
    steps = []
    push = first_event(traj, "push_end")
    if push is not None:
        t_p = float(push.t_s)
        speed = fmt_speed(pair.range_rate_mps(t_p))
        steps.append(Comparison(t_p, "The Russian segment simply floats away.",
                                f"The springs give only {speed} (a person walks at about 140 cm/s).", "push",
                                win.speed(t_p)))
        steps.append(_turn_step(pair, win, t_p, t_rel))
    if t_rel + 60.0 <= t_end:
        t_m = t_rel + 60.0
        steps.append(Comparison(t_m, "A wide gap opens within seconds.",
                                f"After one minute: {fmt_distance(pair.distance_m(t_m))} apart.", "minute",
                                win.gap(t_m)))
    t_orbit = one_orbit_after_release(traj)
    if t_orbit <= t_end:
        side = "behind" if pair.along_track_m(t_orbit) < 0 else "ahead of"
        steps.append(Comparison(t_orbit, "It ends here, before the drift begins.",
                                f"After one orbit ({fmt_duration(t_orbit - t_rel)}): "
                                f"{fmt_distance(pair.distance_m(t_orbit))} apart, {plain(other)} "
                                f"{side} {plain(anchor)}.", "orbit", win.gap_and_side(t_orbit)))
    return tuple(sorted(steps, key=lambda c: c.t_s))


def _turn_step(pair: Pair, win: Windows, t_p: float, t_rel: float) -> Comparison:
    """'The two parts separate in a straight line': held, when the path is OFF_LINE_M off that line
    (Pair.off_line), at that moment, while the offset still reads so; free, how fast the fastest-turning
    free segment turns."""
    clip = "The two parts separate in a straight line."
    if all_held(pair.traj):
        off = pair.off_line(t_p)
        dist = lambda t: float(np.linalg.norm(off(t)))          # noqa: E731
        t_on = first_reach(pair.traj, dist, t_p, OFF_LINE_M)
        if t_on is None:
            return Comparison(t_p, clip, "Nearly a straight line within this run; neither segment turns.", "turn",
                              win.t_max)
        return Comparison(t_on, clip, f"Not a straight line: {fmt_duration(t_on - t_rel)} after the hooks opened, "
                          f"{plain(pair.other)} is already {fmt_distance(OFF_LINE_M)} {_where(off(t_on))} the line "
                          f"it left along; neither segment turns.", "turn",
                          float(win._until(lambda t: fmt_distance(dist(t)), t_on, 3600.0)))
    who, turn = pair.turning(t_p)
    physics = (f"The push is off the centres of mass: {plain(who)} turns {fmt_turn(turn)}." if turn >=
               MIN_TURN_DEG_PER_MIN else "The push is close to the centres of mass: hardly any turning.")
    return Comparison(t_p, clip, physics, "turn", win.turn(t_p, who))


def first_reach(traj, f, t_from_s: float, level: float) -> float | None:
    """First time f(t) >= level after t_from_s (scan of the samples, then bisection); None if never in the run."""
    t = np.asarray(traj.t_s, float)
    t = np.concatenate([[t_from_s], t[t > t_from_s]])
    k_prev = 0
    for k in range(1, len(t)):
        if f(t[k]) >= level:
            return float(crossing_time(f, float(t[k_prev]), float(t[k]), level))
        k_prev = k
    return None


def _where(d_lvlh: np.ndarray) -> str:
    """'below' / 'above' / 'beside': the larger of the offset's radial (z, down) and cross-track parts."""
    if abs(d_lvlh[2]) >= abs(d_lvlh[1]):
        return "below" if d_lvlh[2] > 0 else "above"
    return "beside"
