"""Fixed-step explicit Runge-Kutta of order 8 (Dormand-Prince 8(5,3) tableau, 12 stages; only the
8th-order solution is used: steps are fixed, chosen by the caller, so the run is deterministic and
events fall exactly on step boundaries) plus Hermite dense output between steps.

Why fixed steps: bit-identical output, exact event times (steps are split at every event), and the
error is set by the step: in LEO with h = 30 s the truncation error of an 8th-order method is
~(n h)^9 r ~ 1e-13 r per step (measured in tests/test_physics_orbit.py).
"""
from __future__ import annotations

import numpy as np

from physics.kernels import illinois_bracket, illinois_point

N_STAGES = 12
# Step rules of both engines (physics/simulate.py, physics/compiled/loop.py):
DEFAULT_MAX_STEP_S = 60.0       # RK8 in LEO: < 1 um/day in the Kepler test (tests/test_physics_orbit.py)
# Step limit from the fastest rotation: (|omega| + |alpha| h) h <= 0.3 rad. RK8's local error goes as
# (omega h)^9. Measured on a tumbling body at 0.5 rad/s over 1000 s (500 rad turned), attitude error
# against a 0.01-rad-step reference: 2.3e-10 rad at 0.4 rad/step, 2.2e-11 at 0.3, 1.2e-12 at 0.2 and
# 0.1 (round-off floor); energy 4e-13. 0.3 stays above the turn of a 60 s LEO step for a body in
# LVLH or tumbling a little (n h = 0.068 rad; 0.24 rad for the 3.7e-3 rad/s tumble of the
# benchmark's segments), so such runs keep their 60 s steps; a 60 s step at 0.5 rad/s (30 rad) is
# far outside RK8's stability region and the run turned to NaN before this limit.
MAX_TURN_PER_STEP_RAD = 0.3
# Dormand & Prince (1980) RK8(7)13M as used in DOP853 (Hairer, Norsett & Wanner); copied from
# scipy.integrate._ivp.dop853_coefficients (scipy 1.17.1) so that importing physics stays light;
# tests/test_physics_integrator.py checks them against scipy and the order conditions.
C = np.array([0.0, 0.05260015195876773, 0.0789002279381516, 0.1183503419072274, 0.2816496580927726, 0.3333333333333333, 0.25, 0.3076923076923077, 0.6512820512820513, 0.6, 0.8571428571428571, 1.0])
B = np.array([0.054293734116568765, 0.0, 0.0, 0.0, 0.0, 4.450312892752409, 1.8915178993145003, -5.801203960010585, 0.3111643669578199, -0.1521609496625161, 0.20136540080403034, 0.04471061572777259])
_A_ROWS = {
    0: {},
    1: {0: 0.05260015195876773},
    2: {0: 0.0197250569845379, 1: 0.0591751709536137},
    3: {0: 0.02958758547680685, 2: 0.08876275643042054},
    4: {0: 0.2413651341592667, 2: -0.8845494793282861, 3: 0.924834003261792},
    5: {0: 0.037037037037037035, 3: 0.17082860872947386, 4: 0.12546768756682242},
    6: {0: 0.037109375, 3: 0.17025221101954405, 4: 0.06021653898045596, 5: -0.017578125},
    7: {0: 0.03709200011850479, 3: 0.17038392571223998, 4: 0.10726203044637328, 5: -0.015319437748624402, 6: 0.008273789163814023},
    8: {0: 0.6241109587160757, 3: -3.3608926294469414, 4: -0.868219346841726, 5: 27.59209969944671, 6: 20.154067550477894, 7: -43.48988418106996},
    9: {0: 0.47766253643826434, 3: -2.4881146199716677, 4: -0.590290826836843, 5: 21.230051448181193, 6: 15.279233632882423, 7: -33.28821096898486, 8: -0.020331201708508627},
    10: {0: -0.9371424300859873, 3: 5.186372428844064, 4: 1.0914373489967295, 5: -8.149787010746927, 6: -18.52006565999696, 7: 22.739487099350505, 8: 2.4936055526796523, 9: -3.0467644718982196},
    11: {0: 2.273310147516538, 3: -10.53449546673725, 4: -2.0008720582248625, 5: -17.9589318631188, 6: 27.94888452941996, 7: -2.8589982771350235, 8: -8.87285693353063, 9: 12.360567175794303, 10: 0.6433927460157636},
}
A = np.zeros((12, 12))
for _i, _row in _A_ROWS.items():
    for _j, _v in _row.items():
        A[_i, _j] = _v

# DOP853's continuous extension (Hairer, Norsett & Wanner; the same numbers as scipy's
# dop853_coefficients, checked by tests/test_physics_integrator.py): stages 12-15 and the
# interpolation weights D. The one tableau both engines use (physics/compiled/propagate.py too).
N_STAGES_EXTENDED = 16
INTERPOLATOR_POWER = 7
C_EXT = np.concatenate((C, [1.0, 0.1, 0.2, 0.7777777777777778]))
_A_EXT_ROWS = {
    12: {0: 0.054293734116568765, 5: 4.450312892752409, 6: 1.8915178993145003, 7: -5.801203960010585, 8: 0.3111643669578199, 9: -0.1521609496625161, 10: 0.20136540080403034, 11: 0.04471061572777259},
    13: {0: 0.056167502283047954, 6: 0.25350021021662483, 7: -0.2462390374708025, 8: -0.12419142326381637, 9: 0.15329179827876568, 10: 0.00820105229563469, 11: 0.007567897660545699, 12: -0.008298},
    14: {0: 0.03183464816350214, 5: 0.028300909672366776, 6: 0.053541988307438566, 7: -0.05492374857139099, 10: -0.00010834732869724932, 11: 0.0003825710908356584, 12: -0.00034046500868740456, 13: 0.1413124436746325},
    15: {0: -0.42889630158379194, 5: -4.697621415361164, 6: 7.683421196062599, 7: 4.06898981839711, 8: 0.3567271874552811, 12: -0.0013990241651590145, 13: 2.9475147891527724, 14: -9.15095847217987},
}
A_EXT = np.zeros((N_STAGES_EXTENDED, N_STAGES_EXTENDED))
A_EXT[:N_STAGES, :N_STAGES] = A
for _i, _row in _A_EXT_ROWS.items():
    for _j, _v in _row.items():
        A_EXT[_i, _j] = _v
_D_ROWS = (
    {0: -8.428938276109013, 5: 0.5667149535193777, 6: -3.0689499459498917, 7: 2.38466765651207, 8: 2.117034582445028, 9: -0.871391583777973, 10: 2.2404374302607883, 11: 0.6315787787694688, 12: -0.08899033645133331, 13: 18.148505520854727, 14: -9.194632392478356, 15: -4.436036387594894},
    {0: 10.427508642579134, 5: 242.28349177525817, 6: 165.20045171727028, 7: -374.5467547226902, 8: -22.113666853125306, 9: 7.733432668472264, 10: -30.674084731089398, 11: -9.332130526430229, 12: 15.697238121770845, 13: -31.139403219565178, 14: -9.35292435884448, 15: 35.81684148639408},
    {0: 19.985053242002433, 5: -387.0373087493518, 6: -189.17813819516758, 7: 527.8081592054236, 8: -11.57390253995963, 9: 6.8812326946963, 10: -1.0006050966910838, 11: 0.7777137798053443, 12: -2.778205752353508, 13: -60.19669523126412, 14: 84.32040550667716, 15: 11.99229113618279},
    {0: -25.69393346270375, 5: -154.18974869023643, 6: -231.5293791760455, 7: 357.6391179106141, 8: 93.40532418362432, 9: -37.45832313645163, 10: 104.0996495089623, 11: 29.8402934266605, 12: -43.53345659001114, 13: 96.32455395918828, 14: -39.17726167561544, 15: -149.72683625798564},
)
D = np.zeros((4, N_STAGES_EXTENDED))
for _i, _row in enumerate(_D_ROWS):
    for _j, _v in _row.items():
        D[_i, _j] = _v


_A_ROWS = [A[s, :s].copy() for s in range(N_STAGES)]     # the tableau's rows, sliced once
_C_LIST = C.tolist()        # the nodes as Python floats: t + c h stays a float (same IEEE result)


def rk8_step(f, t: float, y: np.ndarray, h: float, k1: np.ndarray | None = None, stages: bool = False):
    """One step of size h from (t, y); f(t, y) -> dy/dt (same shape). k1 = f(t, y) if known.
    Returns y1, or (y1, K (12, len(y))) with stages=True (for dense_dop853)."""
    K = np.empty((N_STAGES, y.size))
    K[0] = f(t, y) if k1 is None else k1
    for s in range(1, N_STAGES):
        K[s] = f(t + _C_LIST[s] * h, y + h * (_A_ROWS[s] @ K[:s]))
    y1 = y + h * (B @ K)
    return (y1, K) if stages else y1


def dense_dop853(f, t: float, y0: np.ndarray, y1: np.ndarray, f1: np.ndarray, K: np.ndarray, h: float):
    """DOP853's 7th-order continuous extension of the step (t, y0) -> (t + h, y1) with stages K and
    f1 = f(t + h, y1): three more evaluations of f (Hairer, Norsett & Wanner; the same code and
    coefficients as scipy's DOP853: A_EXT, C_EXT, D above; only runs with fast rotation use it).
    Returns theta (k,) -> Y (k, len(y0)), exact at theta = 0 and 1."""
    Kx = np.empty((N_STAGES_EXTENDED, y0.size))
    Kx[:N_STAGES], Kx[N_STAGES] = K, f1
    for s in range(N_STAGES + 1, N_STAGES_EXTENDED):
        Kx[s] = f(t + C_EXT[s] * h, y0 + h * (A_EXT[s, :s] @ Kx[:s]))
    dy = y1 - y0
    F = np.empty((INTERPOLATOR_POWER, y0.size))
    F[0], F[1], F[2] = dy, h * K[0] - dy, 2 * dy - h * (f1 + K[0])
    F[3:] = h * (D @ Kx)

    def at(theta):
        x = np.asarray(theta, dtype=np.float64)[:, None]
        Y = np.zeros((x.shape[0], y0.size))
        for i, Fi in enumerate(F[::-1]):       # nested form of scipy's Dop853DenseOutput
            Y += Fi
            Y *= x if i % 2 == 0 else 1 - x
        return Y + y0
    return at


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
        s = illinois_point(a, b, ga, gb)
        gs = g(s)
        a, b, ga, gb, side = illinois_bracket(a, b, ga, gb, side, s, gs)
        if abs(gs) < tol and gs >= 0 or b - a < 1e-9:
            break
    return b
