"""Frame times for months-long videos: one frame per orbit or more, always at the same orbit phase.

At 20 days per video second a 30-fps video advances 10 orbits per frame. Frames at the time map's
own times land at a random place in the orbit every frame: the Earth's face, the Sun on the station,
the camera distance and the distances on screen jump from frame to frame (the video strobes). Here
each frame whose step is more than LOCK_FRACTION of an orbit moves to the nearest "orbit noon" of the
scene's anchor (render/longrun.py: the point of its orbit nearest the Sun): every such frame shows
the station at the same place relative to the Sun and the Earth below it, in daylight, and what
changes from frame to frame is what changes over days: the orbit's decay, the drift between the
segments, the season. Slower frames (the real-time opening and the start of the ramp) keep their
times, so the orbital motion there plays as it is. The shift is at most half an orbit (46 min) of
days between frames; the time-warp label and the HUD read the frame's own (shifted) time.
"""
from __future__ import annotations

import math

import numpy as np

from render import sky
from render.longrun import anchor_index, noon_angle_rad

LOCK_FRACTION = 0.125      # frames more than 1/8 orbit (45 deg) apart strobe: lock them to the phase
NEWTON_STEPS = 4           # the angle is ~linear in t (e < 1e-3): 4 steps reach < 1e-6 rad


def orbit_noon_near(traj, t_s: float) -> float:
    """The time of the anchor's orbit noon nearest t_s (within half an orbit), inside the run."""
    t = float(t_s)
    for _ in range(NEWTON_STEPS):
        k = anchor_index(traj, t)
        angle, n = noon_angle_rad(traj, t, k, sky.sun_gcrs_m(traj.epoch_tt_jd, t))
        t = t - angle / n
    return float(np.clip(t, traj.t_s[0], traj.t_s[-1]))


def phase_locked_times(traj, t_s: np.ndarray, period_s: float) -> np.ndarray:
    """(N,) frame times -> (N,) frame times with every frame more than LOCK_FRACTION of an orbit from
    its neighbours moved to the nearest orbit noon; never earlier than the frame before (two frames
    may show the same noon where the step is under an orbit, a still of a fraction of a second)."""
    t = np.asarray(t_s, float)
    if len(t) < 2:
        return t.copy()
    step = np.gradient(t)
    out = t.copy()
    for k in np.flatnonzero(step > LOCK_FRACTION * period_s):
        out[k] = orbit_noon_near(traj, t[k])
    return np.maximum.accumulate(out)


def is_locked(t_s: np.ndarray, period_s: float) -> np.ndarray:
    """(N,) bool: which frames phase_locked_times moves (for tests and the docs)."""
    t = np.asarray(t_s, float)
    return np.gradient(t) > LOCK_FRACTION * period_s if len(t) > 1 else np.zeros(len(t), bool)


def noon_offset_deg(traj, t_s: float) -> float:
    """How far (deg) the anchor is from its orbit noon at t_s (0 at every locked frame)."""
    angle, _ = noon_angle_rad(traj, t_s, anchor_index(traj, t_s), sky.sun_gcrs_m(traj.epoch_tt_jd, t_s))
    return math.degrees(angle)
