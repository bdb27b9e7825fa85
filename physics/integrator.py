"""Fixed-step explicit Runge-Kutta of order 8 (Dormand-Prince 8(5,3) tableau, 12 stages; only the
8th-order solution is used: steps are fixed, chosen by the caller, so the run is deterministic and
events fall exactly on step boundaries) plus Hermite dense output between steps.

Why fixed steps: bit-identical output, exact event times (steps are split at every event), and the
error is set by the step: in LEO with h = 30 s the truncation error of an 8th-order method is
~(n h)^9 r ~ 1e-13 r per step (measured in tests/test_physics_orbit.py).
"""
from __future__ import annotations

import numpy as np
from scipy.integrate._ivp import dop853_coefficients as _dop

N_STAGES = _dop.N_STAGES                    # 12
A = np.array(_dop.A[:N_STAGES, :N_STAGES])  # Butcher matrix
B = np.array(_dop.B)                        # 8th-order weights
C = np.array(_dop.C[:N_STAGES])             # nodes


def rk8_step(f, t: float, y: np.ndarray, h: float, k1: np.ndarray | None = None) -> np.ndarray:
    """One step of size h from (t, y); f(t, y) -> dy/dt (same shape). k1 = f(t, y) if known."""
    K = np.empty((N_STAGES, y.size))
    K[0] = f(t, y) if k1 is None else k1
    for s in range(1, N_STAGES):
        K[s] = f(t + C[s] * h, y + h * (A[s, :s] @ K[:s]))
    return y + h * (B @ K)


def hermite_cubic(y0, f0, y1, f1, h: float, theta):
    """Cubic Hermite between (y0, f0) and (y1, f1) over a step h, at fractions theta (K,) -> (K, ...)."""
    th = np.asarray(theta, dtype=np.float64).reshape((-1,) + (1,) * np.ndim(y0))
    t2, t3 = th * th, th * th * th
    h00, h10, h01, h11 = 2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + th, -2 * t3 + 3 * t2, t3 - t2
    return h00 * y0 + h10 * h * f0 + h01 * y1 + h11 * h * f1


def hermite_quintic(x0, v0, a0, x1, v1, a1, h: float, theta):
    """Quintic Hermite (position from position, velocity, acceleration at both ends) and its time
    derivative; theta (K,) -> (x (K,...), v (K,...)). Error O(h^6) in x, O(h^5) in v."""
    th = np.asarray(theta, dtype=np.float64).reshape((-1,) + (1,) * np.ndim(x0))
    t2, t3, t4, t5 = th ** 2, th ** 3, th ** 4, th ** 5
    H = (1 - 10 * t3 + 15 * t4 - 6 * t5, th - 6 * t3 + 8 * t4 - 3 * t5, 0.5 * (t2 - 3 * t3 + 3 * t4 - t5),
         10 * t3 - 15 * t4 + 6 * t5, -4 * t3 + 7 * t4 - 3 * t5, 0.5 * (t3 - 2 * t4 + t5))
    dH = (-30 * t2 + 60 * t3 - 30 * t4, 1 - 18 * t2 + 32 * t3 - 15 * t4, th - 4.5 * t2 + 6 * t3 - 2.5 * t4,
          30 * t2 - 60 * t3 + 30 * t4, -12 * t2 + 28 * t3 - 15 * t4, 1.5 * t2 - 4 * t3 + 2.5 * t4)
    coefs = (x0, h * v0, h * h * a0, x1, h * v1, h * h * a1)
    x = sum(c * b for c, b in zip(H, coefs))
    v = sum(c * b for c, b in zip(dH, coefs)) / h
    return x, v


def find_crossing(g, h: float, g0: float, g1: float, tol: float, max_iter: int = 60) -> float:
    """Step length s in (0, h] with g(s) ~ 0, given g(0) = g0 < 0 <= g1 = g(h). Illinois false position
    (deterministic, superlinear); stops when |g| < tol or the bracket is below 1e-9 s. Returns the
    right end of the final bracket, so the event is never early."""
    a, b, ga, gb = 0.0, h, g0, g1
    side = 0
    for _ in range(max_iter):
        s = (a * gb - b * ga) / (gb - ga)
        if not a < s < b:
            s = 0.5 * (a + b)
        gs = g(s)
        if gs >= 0:
            b, gb = s, gs
            if side == 1:
                ga *= 0.5
            side = 1
        else:
            a, ga = s, gs
            if side == -1:
                gb *= 0.5
            side = -1
        if abs(gs) < tol and gs >= 0 or b - a < 1e-9:
            break
    return b
