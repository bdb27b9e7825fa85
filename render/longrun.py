"""Long runs as a viewer should read them (pure numpy, no Panda3D): which segments are still flying,
their orbit-mean altitude, and where each one is in its orbit.

* ``reentered(traj, t_s)``: the bodies whose reentry event lies at or before t_s. One definition for
  the scene (a re-entered segment is not drawn), the far view's marks and ground tracks, and the HUD
  (no distance to a segment that is gone).
* ``orbit_mean_altitude_km(traj, t_s)``: each body's distance from the Earth's centre averaged over one
  orbit centred on t_s, minus the WGS84 equatorial radius: the long-run propagator's "mean altitude
  a - R_eq" (physics/longterm/decay.py, LongTermResult.alt_km; the mean of |r| over a Kepler orbit is
  a (1 + e^2/2), 0.002 km above a at e = 5e-4). The instantaneous geodetic altitude swings by up to
  +-15 km around an orbit (the ellipsoid's 21 km flattening times sin^2 of the latitude, plus the
  eccentricity): months after the split the two segments sit at different latitudes, and the faster-
  sinking US segment could read higher than the Russian one. The orbit mean cannot.
* ``noon_angle_rad(traj, t_s)``: the angle, in the anchor's orbit plane, from the point of its orbit
  nearest the Sun ("orbit noon") to the anchor (render/longrun_timemap.py samples long videos there).
"""
from __future__ import annotations

import math

import numpy as np

from render.longstate import COARSE_S, state_at
from scenario.apart import period_s  # the one home of the orbit period on screen
from render.scenestate import EARTH_RADIUS_M

MEAN_SAMPLES = 24          # points over one orbit: the rectangle rule on a periodic function is spectral


def reentered(traj, t_s: float) -> frozenset[str]:
    """Bodies whose reentry event is at or before t_s (events of kind "reentry", subject = body)."""
    return frozenset(e.subject for e in getattr(traj, "events", ()) if e.kind == "reentry" and e.t_s <= t_s)


def anchor_index(traj, t_s: float, anchor: str = "USOS") -> int:
    """The scene's anchor (render/scenestate.snapshot): the US segment, or the first body still flying."""
    names = tuple(traj.body_names)
    gone = reentered(traj, t_s)
    if anchor in names and anchor not in gone:
        return names.index(anchor)
    return next((i for i, n in enumerate(names) if n not in gone), 0)


def orbit_mean_altitude_km(traj, t_s: float) -> dict[str, float]:
    """{body: mean of (|r| - R_eq) over one orbit centred on t_s, km}, for bodies still flying.
    The window is shifted to stay inside the run (its first and last half orbit)."""
    t_lo, t_hi = float(traj.t_s[0]), float(traj.t_s[-1])
    r0, v0, _, _ = state_at(traj, float(t_s))
    gone = reentered(traj, t_s)
    out = {}
    for i, name in enumerate(traj.body_names):
        if name in gone or np.linalg.norm(v0[i]) < 1.0:
            continue
        p = period_s(r0[i], v0[i])
        start = min(max(t_s - p / 2, t_lo), t_hi - p) if t_hi - t_lo > p else t_lo
        ts = start + (np.arange(MEAN_SAMPLES) + 0.5) * (min(p, t_hi - t_lo) / MEAN_SAMPLES)
        out[name] = (float(np.mean(radii_m(traj, i, ts))) - EARTH_RADIUS_M) / 1e3
    return out


def radii_m(traj, i: int, ts: np.ndarray) -> np.ndarray:
    """|r| of body i at times ts. Samples up to COARSE_S apart: |r| interpolated linearly between them
    (a smooth scalar: its error, -h^2/8 |r|'', averages out over an orbit; interpolating the positions
    instead cut the chords inside the orbit, 0.1 km low on average at 300-s samples). Coarser samples:
    the two-body arcs of render/longstate.py."""
    t = np.asarray(traj.t_s, float)
    a, b = np.searchsorted(t, [ts[0], ts[-1]])
    a, b = max(int(a) - 1, 0), min(int(b) + 1, len(t))
    if b - a >= 2 and np.max(np.diff(t[a:b])) <= COARSE_S:
        return np.interp(ts, t[a:b], np.linalg.norm(np.asarray(traj.r_gcrs_m[a:b, i]), axis=-1))
    return np.array([np.linalg.norm(state_at(traj, float(x))[0][i]) for x in ts])


def noon_angle_rad(traj, t_s: float, anchor: int, sun_gcrs_m: np.ndarray) -> tuple[float, float]:
    """(angle from orbit noon to the body in its direction of motion, in (-pi, pi]; mean motion rad/s).
    Orbit noon: the Sun's direction projected on the orbit plane. When the Sun lies along the orbit
    normal (beta = 90 deg, never for the ISS: |beta| < 75 deg) the projection degenerates: angle 0."""
    r, v, _, _ = state_at(traj, float(t_s))
    r, v = r[anchor], v[anchor]
    h = np.cross(r, v)
    h /= np.linalg.norm(h)
    s = sun_gcrs_m - np.dot(sun_gcrs_m, h) * h
    n = 2 * math.pi / period_s(r, v)
    if np.linalg.norm(s) < 1e-6 * np.linalg.norm(sun_gcrs_m):
        return 0.0, n
    s /= np.linalg.norm(s)
    return math.atan2(float(np.dot(np.cross(s, r), h)), float(np.dot(s, r))), n
