"""Body states between coarse samples (months-long runs stored hourly): two-body arcs, not chords.

`traj.state_at` interpolates positions with a cubic Hermite, right for the 6-DOF runs' seconds-apart
samples and for 300-s samples (0.2 km at mid-interval), but an hour is 4 rad of orbit: the cubic
then cuts through the Earth. Between samples more than COARSE_S apart this propagates each body on
its Kepler orbit from the sample before and from the sample after (Lagrange f and g with the
eccentric-anomaly difference, Vallado, Fundamentals of Astrodynamics, algorithm 8) and blends the
two by the time fraction, so the positions are continuous at every sample and exact at it. Drag and J2
act over one sample interval only (the blend absorbs their drift: km over an hour, not 1000s).
Bodies at rest (a re-entered segment: v = 0) stay where they are.
"""
from __future__ import annotations

import numpy as np

from physics.constants import MU_EARTH_M3PS2 as MU_EARTH  # one GM
from physics.frames import lvlh_from_gcrs  # noqa: F401  (one home; scenestate imports it from here)
from physics.rotation import dcm_from_quat, quat_from_dcm

COARSE_S = 600.0


def kepler_fg(r0: np.ndarray, v0: np.ndarray, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """(n,3), (n,3) GCRS states propagated by dt_s on their two-body (elliptic) orbits."""
    r0n = np.linalg.norm(r0, axis=1)
    a = 1.0 / (2.0 / r0n - np.einsum("ni,ni->n", v0, v0) / MU_EARTH)
    sig0 = np.einsum("ni,ni->n", r0, v0) / np.sqrt(MU_EARTH)
    sa = np.sqrt(a)
    dM = np.sqrt(MU_EARTH / a ** 3) * dt_s
    dE = dM.copy()
    for _ in range(30):   # Newton on dM = dE + sig0/sqrt(a) (1 - cos dE) - (1 - r0/a) sin dE
        f = dE + sig0 / sa * (1 - np.cos(dE)) - (1 - r0n / a) * np.sin(dE) - dM
        fp = 1 + sig0 / sa * np.sin(dE) - (1 - r0n / a) * np.cos(dE)
        dE = dE - f / fp
    rn = a + (r0n - a) * np.cos(dE) + sig0 * sa * np.sin(dE)
    f = 1 - a / r0n * (1 - np.cos(dE))
    g = dt_s - np.sqrt(a ** 3 / MU_EARTH) * (dE - np.sin(dE))
    fd = -np.sqrt(MU_EARTH * a) / (rn * r0n) * np.sin(dE)
    gd = 1 - a / rn * (1 - np.cos(dE))
    return f[:, None] * r0 + g[:, None] * v0, fd[:, None] * r0 + gd[:, None] * v0


def state_at(traj, t_s: float):
    """Like traj.state_at (r, v, q, omega), with two-body arcs between samples over COARSE_S apart.
    Attitude there: the nearer sample's attitude relative to its LVLH frame, carried on the LVLH frame
    of the interpolated state (exact for the long runs' LVLH hold; a slerp across 4 rad would not be)."""
    r, v, q, w = traj.state_at(float(t_s))
    t = np.asarray(traj.t_s, float)
    k = int(np.clip(np.searchsorted(t, t_s, side="right") - 1, 0, len(t) - 2)) if len(t) > 1 else 0
    if len(t) < 2 or t[k + 1] - t[k] <= COARSE_S or t_s <= t[0] or t_s >= t[-1]:
        return r, v, q, w
    h = t[k + 1] - t[k]
    s = (t_s - t[k]) / h
    ra, va = kepler_fg(traj.r_gcrs_m[k], traj.v_gcrs_mps[k], t_s - t[k])
    rb, vb = kepler_fg(traj.r_gcrs_m[k + 1], traj.v_gcrs_mps[k + 1], t_s - t[k + 1])
    moving = (np.linalg.norm(traj.v_gcrs_mps[k], axis=1) > 1.0) & (np.linalg.norm(traj.v_gcrs_mps[k + 1], axis=1) > 1.0)
    r = np.where(moving[:, None], (1 - s) * ra + s * rb, r)
    v = np.where(moving[:, None], (1 - s) * va + s * vb, v)
    q = q.copy()
    j = k if s < 0.5 else k + 1                    # the nearer sample's attitude relative to LVLH
    for i in np.flatnonzero(moving):
        R_rel = lvlh_from_gcrs(traj.r_gcrs_m[j, i], traj.v_gcrs_mps[j, i]) @ quat_to_matrix(traj.q_gcrs_from_body[j, i])
        q[i] = matrix_to_quat(lvlh_from_gcrs(r[i], v[i]).T @ R_rel)
    return r, v, q, w


def quat_to_matrix(q_wxyz: np.ndarray) -> np.ndarray:
    """(..., 4) scalar-first quaternions (normalised here) -> (..., 3, 3) R_a_from_b: physics.rotation's
    dcm_from_quat, the one formula (the render passes interpolated samples, hence the normalisation)."""
    q = np.asarray(q_wxyz, float)
    return dcm_from_quat(q / np.linalg.norm(q, axis=-1, keepdims=True))


def matrix_to_quat(R: np.ndarray) -> np.ndarray:
    """R_a_from_b (..., 3, 3) -> wxyz unit quaternion, w >= 0: physics.rotation.quat_from_dcm (Shepperd)."""
    return quat_from_dcm(R)
