"""A short-step Cowell integration of translation only (point mass + J2 + drag), scipy DOP853.

The second method against which the orbit-averaged propagator is checked (tests/test_decay_cowell.py),
and the tool that turns an osculating state into mean elements (by averaging over one revolution).
Frame: E = ITRS frozen at the epoch (non-rotating; Earth's axis = z), as in physics/longterm/rates.py.
"""
from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from physics import kernels as K
from physics.longterm.rates import J2, MU_M3PS2, R_J2_M as R_EQ_M, to_earth_fixed  # J2 with its own radius
from physics.frames import OMEGA_EARTH_RADPS, geodetic_from_itrs


def accel_gravity(r: np.ndarray) -> np.ndarray:
    """Point mass + J2 about E's z, r (3,) metres in E -> (3,) m/s^2: physics.kernels.gravity_accel (the
    engines' formula) with J2 and its own radius."""
    return np.array(K.gravity_accel(float(r[0]), float(r[1]), float(r[2]), 0.0, 0.0, 1.0, MU_M3PS2, R_EQ_M, J2,
                                    0.0, 0.0, 1))


def energy_per_kg(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """v^2/2 - U with the point-mass + J2 potential (conserved without drag: axisymmetric, static)."""
    rn = np.linalg.norm(r, axis=-1)
    s2 = (r[..., 2] / rn) ** 2
    U = MU_M3PS2 / rn * (1.0 - J2 * (R_EQ_M / rn) ** 2 * 0.5 * (3.0 * s2 - 1.0))
    return 0.5 * np.sum(v * v, axis=-1) - U


def propagate(r0_E, v0_E, t_eval_s, density=None, inv_ballistic_m2pkg=0.0, rtol=1e-11, atol=1e-6):
    """Integrate from t = 0 and return r (K,3), v (K,3) at t_eval_s (K,), increasing, >= 0.

    density: DensityFn(t_s, lat, lon, alt_m) or None (no drag); co-rotating atmosphere.
    """
    def rhs(t, y):
        r, v = y[:3], y[3:]
        acc = accel_gravity(r)
        if density is not None and inv_ballistic_m2pkg > 0.0:
            lat, lon, alt = geodetic_from_itrs(to_earth_fixed(r, np.asarray(t)))
            rho = density(np.array([t]), np.array([lat]), np.array([lon]), np.array([alt]))[0]
            v_rel = v - OMEGA_EARTH_RADPS * np.array([-r[1], r[0], 0.0])
            acc = acc - 0.5 * rho * inv_ballistic_m2pkg * np.linalg.norm(v_rel) * v_rel
        return np.concatenate([v, acc])

    t_eval_s = np.asarray(t_eval_s, dtype=float)
    sol = solve_ivp(rhs, (0.0, float(t_eval_s[-1])), np.concatenate([r0_E, v0_E]), method="DOP853",
                    t_eval=t_eval_s, rtol=rtol, atol=atol)
    return sol.y[:3].T, sol.y[3:].T


def osculating(r: np.ndarray, v: np.ndarray) -> dict:
    """Osculating a, ex, ey, i, raan, lam (= M + w) of r, v (K,3): arrays (K,)."""
    h = np.cross(r, v)
    rn = np.linalg.norm(r, axis=-1)
    a = 1.0 / (2.0 / rn - np.sum(v * v, axis=-1) / MU_M3PS2)
    inc = np.arccos(h[:, 2] / np.linalg.norm(h, axis=-1))
    raan = np.arctan2(h[:, 0], -h[:, 1])
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)], axis=-1)
    evec = np.cross(v, h) / MU_M3PS2 - r / rn[:, None]
    hn = h / np.linalg.norm(h, axis=-1)[:, None]
    m_axis = np.cross(hn, node)
    ex, ey = np.sum(evec * node, axis=-1), np.sum(evec * m_axis, axis=-1)
    u = np.arctan2(np.sum(r * m_axis, axis=-1), np.sum(r * node, axis=-1))
    w = np.arctan2(ey, ex)
    nu = u - w
    e = np.hypot(ex, ey)
    E = 2.0 * np.arctan(np.sqrt((1 - e) / (1 + e)) * np.tan(nu / 2))
    lam = E - e * np.sin(E) + w
    return dict(a=a, ex=ex, ey=ey, i=inc, raan=raan, lam=lam, u=u)
