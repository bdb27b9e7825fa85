"""Compiled (numba njit) free-flight propagator: the right-hand side of dynamics.System for free
bodies (one unit per body, in body order; live or re-entered; free attitude or LVLH hold), the RK8
step, the step-size rules and the reentry root finding of physics/simulate.py, and the output samples
of physics/recorder.py (quintic/cubic Hermite, DOP853 dense output in turn-limited steps, held
attitude from the interpolated r, v). Same equations, same steps, same order of operations where it
matters; differences from the Python engine are round-off (tests/test_physics_jit.py).

Parameters travel in a JitParams namedtuple (built by physics/compiled/run.py); scratch arrays in a
tuple S = (R (n,3,3), omega (n,3), F (n,3), tau (n,3), E (3,3), q (4,)).
"""
from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit

from physics.compiled import forces as jf
from physics.constants import OMEGA_EARTH_RADPS, WGS84_A_M
from physics.integrator import A as _A, A_EXT, B as _B, C as _C, C_EXT, D, N_STAGES_EXTENDED

JitParams = namedtuple("JitParams", [
    "n", "flags",            # flags int64: central, j2, j3_j4, gravity_gradient, drag (0 off, 1 exp, 2 msis), aero_torque, reentry on
    "pole", "I", "Iinv", "I_gg", "held", "M_held", "alive",
    "has_drag", "cd", "dir_off", "dirs", "area", "cop", "grid_G", "cell_first", "cell_start", "cand",
    "nodes", "node_ok", "k0", "node_s", "mp", "slot", "store", "need",
    "ctl",                   # ctl float64: reentry_alt_m, max_step_s, max_turn_rad
    "gp",                    # gravity (mu, R, J2, J3, J4, central) of the run's environment (zeros: off)
    "atm",                   # atmosphere (spherical altitude 0/1, rotates 0/1, R of |r| - R)
    "eh0", "erho0", "eH",    # exponential bands (h0 km, rho0 kg/m^3, H km)
    # spring pushes in progress (none: zero rows): bodies (a, b) and a's docking axis (a's frame) per
    # push, (k N/m, preload N, stroke m) per push, springs push_off[p]:push_off[p+1] of push p with
    # their base on a (a's frame) and tip on b (b's frame): the active springs of physics/push.Push
    "push_body", "push_axis", "push_law", "push_off", "push_base", "push_tip"])
W = 13
_AX, _CX, _D = A_EXT.copy(), C_EXT.copy(), D.copy()
N_EXT = N_STAGES_EXTENDED


@njit(cache=True, error_model="numpy")
def rhs(t, y, P, S, dy):
    """dy/dt (dynamics.System._rhs_scalar / accelerations for trivial layouts) into dy."""
    n = P.n
    R, wv, F, tau, E = S[0], S[1], S[2], S[3], S[4]
    held, alive, M_held, I_gg, pole, flags, gp = P.held, P.alive, P.M_held, P.I_gg, P.pole, P.flags, P.gp
    for k in range(n):
        b = W * k
        if held[k]:
            jf.lvlh_attitude(y[b:b + 3], y[b + 3:b + 6], M_held[k], R[k], wv[k])
        else:
            jf.dcm_from_quat(y, b + 6, R, k)
            for i in range(3):
                wv[k, i] = y[b + 10 + i]
        for i in range(3):
            F[k, i] = 0.0
            tau[k, i] = 0.0
        if alive[k] and (flags[0] != 0 or flags[1] != 0 or flags[2] != 0 or flags[3] != 0):   # any gravity
            jf.gravity_body(y, b, R[k], y[W * n + k], I_gg[k], pole, gp, flags[3] != 0, F[k], tau[k])
    if flags[4] != 0:
        _drag_all(t, y, P, R, F, tau, E)
    for p in range(P.push_body.shape[0]):
        _push_one(y, P, R, p, F, tau)
    _derivative(y, P, F, tau, dy)


@njit(cache=True, inline="always", error_model="numpy")
def _push_one(y, P, R, p, F, tau):
    """dynamics.System._push for push p: kernels.spring_push per spring (in spring order), the sums
    added once to each body (force on b, the opposite on a; each one's torque)."""
    ia, ib = P.push_body[p, 0], P.push_body[p, 1]
    a, b = W * ia, W * ib
    ax = P.push_axis[p]
    k, f0 = P.push_law[p, 0], P.push_law[p, 1]
    f_x = f_y = f_z = tb_x = tb_y = tb_z = ta_x = ta_y = ta_z = 0.0
    for j in range(P.push_off[p], P.push_off[p + 1]):
        s, t = P.push_base[j], P.push_tip[j]
        _, fx, fy, fz, bx, by, bz, cx, cy, cz = jf.k_spring_push(
            y[a], y[a + 1], y[a + 2], R[ia], y[b], y[b + 1], y[b + 2], R[ib], ax[0], ax[1], ax[2],
            s[0], s[1], s[2], t[0], t[1], t[2], k, f0)
        f_x += fx
        f_y += fy
        f_z += fz
        tb_x += bx
        tb_y += by
        tb_z += bz
        ta_x += cx
        ta_y += cy
        ta_z += cz
    F[ib, 0] += f_x
    F[ib, 1] += f_y
    F[ib, 2] += f_z
    F[ia, 0] -= f_x
    F[ia, 1] -= f_y
    F[ia, 2] -= f_z
    tau[ib, 0] += tb_x
    tau[ib, 1] += tb_y
    tau[ib, 2] += tb_z
    tau[ia, 0] += ta_x
    tau[ia, 1] += ta_y
    tau[ia, 2] += ta_z


@njit(cache=True, error_model="numpy")
def push_g(y, P, S, p):
    """The push_end detector of RunState for push p: the largest extension over its springs minus
    the stroke (attitudes as rhs takes them: integrated, or the LVLH hold)."""
    R, wv = S[0], S[1]
    ia, ib = P.push_body[p, 0], P.push_body[p, 1]
    for k in (ia, ib):
        b = W * k
        if P.held[k]:
            jf.lvlh_attitude(y[b:b + 3], y[b + 3:b + 6], P.M_held[k], R[k], wv[k])
        else:
            jf.dcm_from_quat(y, b + 6, R, k)
    a, b = W * ia, W * ib
    ax = P.push_axis[p]
    best = -np.inf
    for j in range(P.push_off[p], P.push_off[p + 1]):
        s, t = P.push_base[j], P.push_tip[j]
        d = jf.k_spring_push(y[a], y[a + 1], y[a + 2], R[ia], y[b], y[b + 1], y[b + 2], R[ib], ax[0], ax[1], ax[2],
                             s[0], s[1], s[2], t[0], t[1], t[2], P.push_law[p, 0], P.push_law[p, 1])[0]
        best = max(best, d)
    return best - P.push_law[p, 2]


@njit(cache=True, inline="always", error_model="numpy")
def _drag_all(t, y, P, R, F, tau, E):
    """drag.drag_term: one Earth rotation per evaluation, density per body (MSIS table or
    exponential), then the per-body force and aero torque."""
    j = jf.earth_rotation(t, P.nodes, P.node_ok, P.k0, P.node_s, P.need, E)
    if j < 0:
        return
    N2 = P.nodes[j]
    rot = OMEGA_EARTH_RADPS if P.atm[1] != 0 else 0.0       # a still atmosphere: v_rel = v
    wE = (rot * N2[2, 0], rot * N2[2, 1], rot * N2[2, 2])
    alive, has_drag, flags, off, cd = P.alive, P.has_drag, P.flags, P.dir_off, P.cd
    msis = flags[4] == 2
    for k in range(P.n):
        if not (alive[k] and has_drag[k]):
            continue
        b = W * k
        lat, lon, alt = jf.geodetic_of(y, b, E)
        if P.atm[0] != 0:                                   # spherical altitude |r| - R
            alt = math.sqrt(y[b] * y[b] + y[b + 1] * y[b + 1] + y[b + 2] * y[b + 2]) - P.atm[2]
        if msis:
            rho = jf.msis_density(t, lat, lon, alt, P.mp, P.slot, P.store, P.need)
        else:
            rho = jf.k_exponential_density(alt, P.eh0, P.erho0, P.eH)
        jf.drag_body(rho, y, b, R[k], wE, cd[k], P.dirs, P.area, P.cop, off[k], off[k + 1], P.grid_G[k],
                     P.cell_first[k], P.cell_start, P.cand, flags[5] != 0, F[k], tau[k])


@njit(cache=True, inline="always", error_model="numpy")
def _derivative(y, P, F, tau, dy):
    """Newton and Euler per unit: v, F/m, kernels.rigid_rates (dq/dt, I^-1 (tau - w x I w)); held units:
    translation only; re-entered units and masses: 0."""
    n = P.n
    alive, held, Is, Jinv = P.alive, P.held, P.I, P.Iinv
    for k in range(n):
        b = W * k
        if not alive[k]:
            for i in range(W):
                dy[b + i] = 0.0
            continue
        mk = y[W * n + k]
        for i in range(3):
            dy[b + i] = y[b + 3 + i]
            dy[b + 3 + i] = F[k, i] / mk
        if held[k]:
            for i in range(6, W):
                dy[b + i] = 0.0
            continue
        d = jf.k_rigid_rates(y[b + 6], y[b + 7], y[b + 8], y[b + 9], y[b + 10], y[b + 11], y[b + 12],
                             tau[k, 0], tau[k, 1], tau[k, 2], Is[k], Jinv[k])
        for i in range(7):
            dy[b + 6 + i] = d[i]
    for i in range(W * n, dy.size):
        dy[i] = 0.0


@njit(cache=True, error_model="numpy")
def finish_step(y, P, S):
    """System.finish_step: renormalise quaternions; held units get the LVLH attitude (sign kept
    continuous) and rate."""
    R, wv, q = S[0], S[1], S[5]
    for k in range(P.n):
        b = W * k
        nrm = math.sqrt(y[b + 6] * y[b + 6] + y[b + 7] * y[b + 7] + y[b + 8] * y[b + 8] + y[b + 9] * y[b + 9])
        for i in range(4):
            y[b + 6 + i] = y[b + 6 + i] / nrm
        if P.held[k]:
            jf.lvlh_attitude(y[b:b + 3], y[b + 3:b + 6], P.M_held[k], R[k], wv[k])
            jf.quat_from_dcm(R[k], q)
            if q[0] * y[b + 6] + q[1] * y[b + 7] + q[2] * y[b + 8] + q[3] * y[b + 9] < 0:
                for i in range(4):
                    q[i] = -q[i]
            y[b + 6:b + 10] = q
            y[b + 10:b + 13] = wv[k]


@njit(cache=True, error_model="numpy")
def fastest_rate(y, P):
    """RunState._fastest_rate: largest |rate row| over live, non-held units (state or derivative)."""
    best = -1.0
    for k in range(P.n):
        if P.alive[k] and not P.held[k]:
            b = W * k + 10
            best = max(best, y[b] * y[b] + y[b + 1] * y[b + 1] + y[b + 2] * y[b + 2])
    return 0.0 if best < 0 else math.sqrt(best)


@njit(cache=True, error_model="numpy")
def advance(t, y, h, f0, P, S, K, ytmp, y1):
    """rk8_step (K[0] = f0) then finish_step; result in y1, stages in K. Each sum over the stages
    runs in stage order (j outer, components inner: the same sums, vectorisable); zero tableau
    entries are skipped (adding 0 * K leaves a finite sum unchanged)."""
    N = y.size
    K[0, :] = f0
    acc = y1                        # scratch until the final combination
    for s in range(1, 12):
        acc[:] = 0.0
        for j in range(s):
            a = _A[s, j]
            if a != 0.0:
                for i in range(N):
                    acc[i] += a * K[j, i]
        for i in range(N):
            ytmp[i] = y[i] + h * acc[i]
        rhs(t + _C[s] * h, ytmp, P, S, K[s])
    ytmp[:] = 0.0
    for j in range(12):
        b = _B[j]
        if b != 0.0:
            for i in range(N):
                ytmp[i] += b * K[j, i]
    for i in range(N):
        y1[i] = y[i] + h * ytmp[i]
    finish_step(y1, P, S)


@njit(cache=True, error_model="numpy")
def reentry_g(y, t, P, S):
    """Reentry detector of RunState: reentry_alt - min altitude over live bodies (|r| - a as a lower
    bound while all are well above, geodetic WGS84 otherwise)."""
    lb = np.inf
    for k in range(P.n):
        if P.alive[k]:
            b = W * k
            lb = min(lb, math.sqrt(y[b] * y[b] + y[b + 1] * y[b + 1] + y[b + 2] * y[b + 2]) - WGS84_A_M)
    if lb > P.ctl[0] + 1.0:
        return P.ctl[0] - lb
    E = S[4]
    if jf.earth_rotation(t, P.nodes, P.node_ok, P.k0, P.node_s, P.need, E) < 0:
        return np.nan
    low = np.inf
    for k in range(P.n):
        if P.alive[k]:
            low = min(low, jf.geodetic_of(y, W * k, E)[2])
    return P.ctl[0] - low


@njit(cache=True, error_model="numpy")
def find_reentry(t, y, h, f0, g0, g1, P, S, K, ytmp, y1):
    """integrator.find_crossing (Illinois, tol 1e-6 m) on re-stepped RK8 from (t, y); y1 = the
    state at the returned step length."""
    a, b, ga, gb = 0.0, h, g0, g1
    side = 0
    for _ in range(60):
        s = jf.k_illinois_point(a, b, ga, gb)
        advance(t, y, s, f0, P, S, K, ytmp, y1)
        gs = reentry_g(y1, t + s, P, S)
        a, b, ga, gb, side = jf.k_illinois_bracket(a, b, ga, gb, side, s, gs)
        if abs(gs) < 1e-6 and gs >= 0 or b - a < 1e-9 or P.need[0] != 0:
            break
    advance(t, y, b, f0, P, S, K, ytmp, y1)
    return b
