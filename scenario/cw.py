"""Clohessy-Wiltshire (Hill) relative motion: the analytic prediction overlaid on the plots.

Linearised relative motion about a circular reference orbit of mean motion n, Hill/RIC frame
(x radial out, y along-track, z orbit normal):
    x'' - 2 n y' - 3 n^2 x = 0,   y'' + 2 n x' = 0,   z'' + n^2 z = 0
Closed form (Clohessy & Wiltshire 1960; Vallado, Fundamentals of Astrodynamics, 4th ed., eq. 6-66):
    x(t) = (4 - 3c) x0 + s/n x0' + 2/n (1 - c) y0'
    y(t) = 6 (s - n t) x0 + y0 - 2/n (1 - c) x0' + (4 s - 3 n t)/n y0'
    z(t) = c z0 + s/n z0'
with s = sin(n t), c = cos(n t). ISS LVLH (x along, y = -normal, z nadir) = (y, -z, -x) of RIC.
"""
from __future__ import annotations

import numpy as np

from physics.constants import MU_EARTH_M3PS2


# R_lvlh_from_ric: lvlh x = ric y; lvlh y = -ric z; lvlh z = -ric x
R_LVLH_FROM_RIC = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]])


def mean_motion(r_gcrs_m: np.ndarray, v_gcrs_mps: np.ndarray, mu: float = MU_EARTH_M3PS2) -> float:
    """n = sqrt(mu / a^3) with a from vis-viva (rad/s)."""
    r, v2 = np.linalg.norm(r_gcrs_m), float(np.dot(v_gcrs_mps, v_gcrs_mps))
    a = 1.0 / (2.0 / r - v2 / mu)
    return float(np.sqrt(mu / a ** 3))


def cw_propagate(x0_ric: np.ndarray, v0_ric: np.ndarray, n: float, t_s: np.ndarray):
    """Relative position and velocity (K,3), (K,3) in RIC at times t_s (K,) after the initial state."""
    x0, y0, z0 = x0_ric
    u, w, q = v0_ric
    t = np.asarray(t_s, float)
    s, c = np.sin(n * t), np.cos(n * t)
    x = (4 - 3 * c) * x0 + s / n * u + 2 / n * (1 - c) * w
    y = 6 * (s - n * t) * x0 + y0 - 2 / n * (1 - c) * u + (4 * s - 3 * n * t) / n * w
    z = c * z0 + s / n * q
    vx = 3 * n * s * x0 + c * u + 2 * s * w
    vy = 6 * n * (c - 1) * x0 - 2 * s * u + (4 * c - 3) * w
    vz = -n * s * z0 + c * q
    return np.stack([x, y, z], axis=1), np.stack([vx, vy, vz], axis=1)


def cw_lvlh(x0_lvlh: np.ndarray, v0_lvlh: np.ndarray, n: float, t_s: np.ndarray):
    """Same as cw_propagate, with the state and result in ISS LVLH axes."""
    R = R_LVLH_FROM_RIC
    x, v = cw_propagate(R.T @ np.asarray(x0_lvlh), R.T @ np.asarray(v0_lvlh), n, t_s)
    return x @ R.T, v @ R.T


def relative_lvlh(r_gcrs_m: np.ndarray, v_gcrs_mps: np.ndarray, chaser: int, target: int):
    """Relative position/velocity of body `chaser` in the rotating LVLH frame of body `target`.

    r, v: (K, n, 3). Returns (K,3), (K,3) in the target's LVLH axes; the velocity is the one seen in
    the rotating frame (frame rate h/|r|^2 removed)."""
    from physics.frames import lvlh_from_gcrs
    r_t, v_t = r_gcrs_m[:, target], v_gcrs_mps[:, target]
    R = lvlh_from_gcrs(r_t, v_t)                             # (K,3,3)
    omega = np.cross(r_t, v_t) / np.sum(r_t * r_t, axis=1)[:, None]
    dr = r_gcrs_m[:, chaser] - r_t
    dv = v_gcrs_mps[:, chaser] - v_t - np.cross(omega, dr)
    return np.einsum("kij,kj->ki", R, dr), np.einsum("kij,kj->ki", R, dv)
