"""A long run as a physics.trajectory.Trajectory, so the app and the video can play months.

Positions are the long run's own mean-element positions (`LongTermResult.positions_gcrs_m`, done
here for all sample times at once; both blend across the propagator's steps so nothing jumps at
a step boundary: physics.longterm.decay.blended_elements), velocities their time derivative (central difference over
+-1 s with the same step's elements: error ~ r n^3 dt^2 / 6 = 4e-4 m/s), attitude as modelled
(`res.attitudes`): "flight" and "edge-on" bodies hold +XVV (body axes = LVLH); a "tumbling" body
turns uniformly about a body axis fixed in inertial space (TUMBLE_RATE_DEG_S about TUMBLE_AXIS_BODY,
starting from +XVV at the long run's start): its drag is the orientation average, and its real
tumble over months (chaotic under gravity gradient and aero torque) is not predicted, so the playback
shows a representative one, never a held attitude. A re-entered body stops where it crossed 120 km
(v = 0, omega = 0), as in 6-DOF trajectories. Events: the long run's burns and reentries, plus
kind "chapter" events {"label": "one month" | "six months"} for the timeline.
Sample spacing: the app interpolates positions with cubic Hermite; with 300-s samples the
mid-interval error is ~ r (n h)^4 / 384 = 0.2 km on a 93-min orbit (3.6 km at 600 s).
"""
from __future__ import annotations

import numpy as np

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
MONTH_S = 365.25 / 12.0 * DAY_S          # a mean calendar month, 30.44 days
CHAPTERS = (("one month", MONTH_S), ("six months", 6.0 * MONTH_S))
DIFF_S = 1.0                             # central-difference half-width for velocities
TUMBLE_RATE_DEG_S = 0.2                  # ESTIMATE: a representative tumble (one turn in 30 min), not a prediction
TUMBLE_AXIS_BODY = (0.8, 0.5, 0.33)      # ESTIMATE: off every principal axis of either segment (a tumble, not a spin)


def long_term_trajectory(res, dt_s: float = 300.0, t_end_s: float | None = None, metadata: dict | None = None):
    """LongTermResult -> Trajectory sampled every dt_s from 0 to t_end_s (default: the end of the run
    or the last reentry event, whichever is later).

    t_s (K,) = 0, dt_s, ... plus the end; r_gcrs_m, v_gcrs_mps (K,n,3); q_gcrs_from_body (K,n,4) wxyz;
    omega_body_radps (K,n,3). metadata: merged into the trajectory's (e.g. the short run's "bodies").
    """
    from physics.frames import lvlh_from_gcrs
    from physics.rotation import quat_from_dcm
    from physics.timebase import Epoch
    from physics.trajectory import Event, Trajectory
    # the run stops at the step that finds the last reentry; its event (the first point of that
    # revolution at <= 120 km) may lie up to one revolution later: end there
    last = max([float(res.t_s[-1])] + [e.t_s for e in res.events if e.kind == "reentry"])
    end = last if t_end_s is None else min(float(t_end_s), last)
    if not dt_s > 0:
        raise ValueError("long_term_trajectory: dt_s must be > 0")
    t = np.unique(np.append(np.arange(0.0, end, dt_s), end))
    r, v, dead = sample_states(res, t)
    v_frame = np.where(dead[..., None], _perpendicular(r), v)     # any valid frame; replaced below
    R_lvlh = lvlh_from_gcrs(r.reshape(-1, 3), v_frame.reshape(-1, 3))
    q = quat_from_dcm(np.swapaxes(R_lvlh, -1, -2)).reshape(r.shape[:2] + (4,))    # gcrs_from_body = gcrs_from_lvlh
    rate = np.linalg.norm(np.cross(r, v), axis=-1) / np.einsum("kni,kni->kn", r, r)
    omega = np.zeros_like(r)
    omega[..., 1] = -rate                 # LVLH turns about the orbit normal = -y_lvlh
    modes = tuple(res.attitudes) or ("flight",) * len(res.body_names)
    for j, mode in enumerate(modes):
        if mode == "tumbling":
            q[:, j], omega[:, j] = tumble(q[0, j], t)
    q = _hold_after_reentry(q, dead)
    omega[dead] = 0.0
    events = [e for e in res.events if e.t_s <= end]
    events += [Event(float(ts), "chapter", "timeline", {"label": label}) for label, ts in CHAPTERS if ts <= end]
    meta = {"long_term": {"activity": res.activity_label, "dt_s": dt_s, "source": "scenario.long_term_trajectory",
                          "attitude": dict(zip(res.body_names, modes)),
                          "tumble_rate_deg_s": TUMBLE_RATE_DEG_S}}
    meta.update(metadata or {})
    return Trajectory(res.epoch_utc, Epoch.from_utc(res.epoch_utc).tt_jd, tuple(res.body_names), t, r, v, q, omega,
                      tuple(sorted(events, key=lambda e: e.t_s)), meta)


def tumble(q0: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(q (M,4) GCRS-from-body, omega_body (M,3)): uniform rotation from q0 about TUMBLE_AXIS_BODY."""
    from physics.rotation import quat_mul
    axis = np.asarray(TUMBLE_AXIS_BODY, float)
    axis = axis / np.linalg.norm(axis)
    w = np.radians(TUMBLE_RATE_DEG_S)
    half = 0.5 * w * np.asarray(t, float)[:, None]
    turn = np.concatenate([np.cos(half), np.sin(half) * axis], axis=1)       # body-fixed axis: q0 * turn
    return quat_mul(q0[None, :], turn), np.broadcast_to(w * axis, (len(t), 3)).copy()


def _perpendicular(r):
    """z x r + x x r: never parallel to r (a placeholder velocity for re-entered bodies)."""
    return np.cross([0.0, 0.0, 1.0], r) + np.cross([1.0, 0.0, 0.0], r)


def _hold_after_reentry(q, dead):
    """A re-entered body keeps the attitude it had at its last live sample."""
    for j in range(q.shape[1]):
        gone = np.flatnonzero(dead[:, j])
        if gone.size and gone[0] > 0:
            q[gone, j] = q[gone[0] - 1, j]
    return q


def sample_states(res, t: np.ndarray):
    """(r (M,n,3), v (M,n,3), dead (M,n)) GCRS at times t (M,): positions as res.positions_gcrs_m;
    a re-entered body is held at its reentry point with v = 0."""
    n = len(res.body_names)
    t_stop = np.array([_stop_time(res, j) for j in range(n)])
    dead = t[:, None] > t_stop[None, :]
    tt = np.minimum(t[:, None], t_stop[None, :])                       # (M,n)
    k = np.clip(np.searchsorted(res.t_s, tt, side="right") - 1, 0, len(res.t_s) - 1)
    last_ok = np.array([np.flatnonzero(np.isfinite(res.elements[:, j, 0]))[-1] for j in range(n)])
    k = np.minimum(k, last_ok[None, :])
    r = positions(res, tt, k)
    v = (positions(res, tt + DIFF_S, k) - positions(res, tt - DIFF_S, k)) / (2 * DIFF_S)
    v[dead] = 0.0
    return r, v, dead


def _stop_time(res, j: int) -> float:
    ev = res.reentry(res.body_names[j])
    return np.inf if ev is None else float(ev.t_s)


def positions(res, tt: np.ndarray, k: np.ndarray) -> np.ndarray:
    """GCRS positions (M,n,3) at times tt (M,n) within the steps starting at rows k (M,n).

    LongTermResult.positions_gcrs_m, vectorised over all samples: the elements of row k carried at
    their J2 secular rates and blended towards row k+1 (physics.longterm.decay.blended_elements), so the orbit
    runs on smoothly across step boundaries. At the step times t_k this is exactly row k's position.
    """
    from physics.longterm.decay import blended_elements
    from physics.frames import gcrs_from_itrs
    from physics.timebase import Epoch
    M, n = tt.shape
    last_ok = np.array([np.flatnonzero(np.isfinite(res.elements[:, j, 0]))[-1] for j in range(n)])
    k1 = np.minimum(k + 1, last_ok[None, :])
    cols = np.arange(n)[None, :]
    X0 = res.elements[k, cols].reshape(M * n, 6)
    X1 = res.elements[k1, cols].reshape(M * n, 6)
    t0, t1 = res.t_s[k].reshape(-1), res.t_s[k1].reshape(-1)
    h = np.where((k1 > k).reshape(-1), t1 - t0, np.inf)
    X = blended_elements(X0, X1, tt.reshape(-1) - t0, h)
    r_E = _orbit_point(X)
    G = gcrs_from_itrs(Epoch.from_utc(res.epoch_utc).tt_jd, 0.0)
    return (r_E @ G.T).reshape(M, n, 3)


def _orbit_point(X: np.ndarray) -> np.ndarray:
    from physics.longterm.rates import orbit_points
    return orbit_points(X, np.zeros((X.shape[0], 1)))[0][:, 0]
