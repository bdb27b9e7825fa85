"""Vectorised numpy forms of the per-body formulas: test oracles only (the engines run the scalar
kernels of physics/kernels.py). Written from the textbook formulas, independent of the kernels."""
from __future__ import annotations

import numpy as np


def gravity_accel(r, pole, mu, re, j2, j3, j4):
    """Point mass + zonal J2-J4 about the unit pole, r (n,3) -> (n,3): a_n = mu J_n R^n / r^(n+2)
    [((n+1) P_n + s P_n') r_hat - P_n' k] with the Legendre polynomials P_n(s), s = r_hat . k."""
    rn = np.linalg.norm(r, axis=1)
    rh = r / rn[:, None]
    s = rh @ pole
    P = {2: (0.5 * (3 * s ** 2 - 1), 3 * s),
         3: (0.5 * (5 * s ** 3 - 3 * s), 0.5 * (15 * s ** 2 - 3)),
         4: ((35 * s ** 4 - 30 * s ** 2 + 3) / 8, 0.5 * (35 * s ** 3 - 15 * s))}
    a = -mu * r / rn[:, None] ** 3
    for n, jn in ((2, j2), (3, j3), (4, j4)):
        Pn, dPn = P[n]
        f = mu * jn * re ** n / rn ** (n + 2)
        a = a + f[:, None] * (((n + 1) * Pn + s * dPn)[:, None] * rh - dPn[:, None] * pole[None, :])
    return a


def gravity_gradient_torque(r, R, I, mu):
    """3 mu / r^3 (u x I u), u = R^T r / |r| (body axes), (n,3)."""
    rn = np.linalg.norm(r, axis=1)
    u = np.einsum("nji,nj->ni", R, r) / rn[:, None]
    return (3 * mu / rn ** 3)[:, None] * np.cross(u, np.einsum("nij,nj->ni", I, u))


def rigid_rates(q, w, tau, I):
    """dq/dt = q (0, w) / 2 (Hamilton), dw/dt = I^-1 (tau - w x I w) for one body."""
    qw, qv = q[0], q[1:]
    dq = 0.5 * np.concatenate(([-qv @ w], qw * w + np.cross(qv, w)))
    return dq, np.linalg.solve(I, tau - np.cross(w, I @ w))


def spring_push(ra, Ra, rb, Rb, e, base, tip, k, preload):
    """Spring pushers between a and b, every spring at once (the numpy form System._push had):
    x = Ra e, P_a = r_a + Ra p, P_b = r_b + Rb s, d = (P_b - P_a) . x, F = max(0, f0 - k d) x on b at
    P_b, -F on a at the same point. Returns d (J,), F (J,3) GCRS, torque on b (J,3) b's axes, on a (J,3)
    a's axes."""
    x = Ra @ e
    Pa, Pb = ra + base @ Ra.T, rb + tip @ Rb.T
    d = (Pb - Pa) @ x
    F = np.maximum(preload - k * d, 0.0)[:, None] * x[None, :]
    return d, F, np.cross(Pb - rb, F) @ Rb, -np.cross(Pb - ra, F) @ Ra
