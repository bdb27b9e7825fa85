"""Compiled step loop of the free-flight phase (RunState.integrate of physics/simulate.py) and the output
samples of each step (Recorder.step / _interp of physics/recorder.py).

propagate() returns to Python with a status:
  DONE (t reached tb), REENTRY (a reentry event at t: y is the state there, samples up to t written;
  Python records the event exactly as RunState.handle_event does), NEED (a table entry is missing: nothing of
  the current step committed; fill P.need's entry and call again), BUDGET (max_steps steps done:
  Python reports progress and calls again), ALL_DEAD (no live body left), PUSH_END (a spring of a
  push reached its stroke end at t: y is the state there; Python ends the springs there as
  RunState.handle_event does and calls again with the remaining ones).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from physics.compiled import forces as jf
from physics.compiled.propagate import (_AX, _CX, _D, N_EXT, W, advance, fastest_rate, find_reentry, finish_step,
                                       push_g, reentry_g, rhs)

DONE, REENTRY, NEED, BUDGET, ALL_DEAD, PUSH_END = 0, 1, 2, 3, 4, 5
PUSH_END_TOL_M = 1e-12          # RunState.detectors: the push_end root's tolerance


@njit(cache=True, error_model="numpy")
def _any_alive(P):
    for k in range(P.n):
        if P.alive[k]:
            return True
    return False


@njit(cache=True, error_model="numpy")
def _step_length(t, tb, y, f0, P):
    """RunState.step_size + _step_to: (h, t_new, turn_limited)."""
    c = P.ctl[2]
    h = P.ctl[1]
    w, a = fastest_rate(y, P), fastest_rate(f0, P)
    tl = (w + a * h) * h > c
    if tl:
        h = 2 * c / (w + math.sqrt(w * w + 4 * a * c))     # root of a h^2 + w h = c
    if P.ctl[3] < h:                                        # springs pushing: Push.step_limit
        h, tl = P.ctl[3], False
    h = min(h, tb - t)
    if tb - (t + h) < 1e-9 * max(1.0, abs(tb)):
        return tb - t, tb, tl
    return h, t + h, tl


@njit(cache=True, error_model="numpy", nogil=True)
def propagate(y, t, tb, P, t_out, nxt, Yout, k_base, max_steps):
    """Steps from (t, y) towards tb; y is updated in place. Samples t_out[k] (k >= nxt) go to
    Yout[k - k_base]. Returns (status, t, nxt, steps, push index of a PUSH_END (else -1))."""
    n, N = P.n, y.size
    S = (np.empty((n, 3, 3)), np.empty((n, 3)), np.empty((n, 3)), np.empty((n, 3)), np.empty((3, 3)), np.empty(4))
    Fd = np.empty((7, N))
    K = np.empty((12, N))
    Kx = np.empty((N_EXT, N))
    ytmp, y1, f0, f1 = np.empty(N), np.empty(N), np.empty(N), np.empty(N)
    have_f = False
    steps = 0
    c = P.ctl[2]
    while t < tb:
        if not _any_alive(P):
            return ALL_DEAD, t, nxt, steps, -1
        if steps >= max_steps:
            return BUDGET, t, nxt, steps, -1
        if not have_f:
            rhs(t, y, P, S, f0)
        if P.need[0] != 0:
            return NEED, t, nxt, steps, -1
        h, t_new, short = _step_length(t, tb, y, f0, P)
        advance(t, y, h, f0, P, S, K, ytmp, y1)
        while fastest_rate(y1, P) * h > 2 * c and P.need[0] == 0:
            # the rate grew within the step faster than the start said: redo with the rate reached
            h = c / fastest_rate(y1, P)
            t_new, short = t + h, True
            advance(t, y, h, f0, P, S, K, ytmp, y1)
        hit = _first_event(t, y, h, f0, y1, P, S, K, Kx, Fd, ytmp, f1)
        if P.need[0] != 0:
            return NEED, t, nxt, steps, -1
        if hit != NO_EVENT:
            h = ytmp[0]                 # _first_event's step length (y1 is the state there)
            t_new = t + h
        stop, got = record(t, y, f0, t_new, y1, h, short and hit == NO_EVENT, K, Kx, P, S, t_out, nxt, Yout,
                           k_base, f1, ytmp, Fd)
        if P.need[0] != 0:
            return NEED, t, nxt, steps, -1
        y[:] = y1
        t, nxt = t_new, stop
        have_f = got
        if got:
            f0[:] = f1
        steps += 1
        if hit == REENTRY_EVENT:
            return REENTRY, t, nxt, steps, -1
        if hit != NO_EVENT:
            return PUSH_END, t, nxt, steps, hit
    return DONE, t, nxt, steps, -1


NO_EVENT, REENTRY_EVENT = -1, -2     # _first_event's answers besides a push index


@njit(cache=True, error_model="numpy")
def _first_event(t, y, h, f0, y1, P, S, K, Kx, Fd, ytmp, f1):
    """RunState._first_event: the earliest detector crossing in the step (t, y) -> (t + h, y1): each
    push's stroke end (root on the step's DOP853 dense output), then the reentry (re-stepped RK8);
    the earliest wins, the first detector on a tie. Returns NO_EVENT, REENTRY_EVENT or the push
    index; on an event y1 becomes the state at its step length, left in ytmp[0]. f1, Kx and Fd are
    scratch here (record() recomputes them)."""
    best, kind, dense = np.inf, NO_EVENT, False
    for p in range(P.push_body.shape[0]):
        g1 = push_g(y1, P, S, p)
        if g1 < 0:
            continue
        g0 = push_g(y, P, S, p)
        if g0 >= 0:                     # already past (should not happen): stop right here
            ytmp[0] = h
            return p
        if not dense:
            rhs(t + h, y1, P, S, f1)
            _dense_coefs(t, y, y1, f1, K, Kx, h, P, S, Fd, ytmp)
            dense = True
            if P.need[0] != 0:
                return NO_EVENT
        s = _push_crossing(y, h, g0, g1, Fd, P, S, ytmp, p)
        if s < best:
            best, kind = s, p
    if P.flags[6] != 0 and P.need[0] == 0:
        g1 = reentry_g(y1, t + h, P, S)
        if g1 >= 0:
            g0 = reentry_g(y, t, P, S)
            if g0 >= 0:                 # already past: here, whatever a push found
                ytmp[0] = h
                return REENTRY_EVENT
            s = find_reentry(t, y, h, f0, g0, g1, P, S, K, ytmp, y1)     # y1 (and K): the state at s
            if s < best:
                ytmp[0] = s
                return REENTRY_EVENT
    if kind == NO_EVENT or P.need[0] != 0:
        return NO_EVENT
    advance(t, y, best, f0, P, S, K, ytmp, y1)
    ytmp[0] = best
    return kind


@njit(cache=True, error_model="numpy")
def _push_crossing(y, h, g0, g1, Fd, P, S, row, p):
    """integrator.find_crossing (Illinois, tol PUSH_END_TOL_M, bracket 1e-9 s) of push p's detector on
    the dense output Fd of the step (the state at s as RunState takes it: finish_step)."""
    a, b, ga, gb = 0.0, h, g0, g1
    side = 0
    for _ in range(60):
        s = jf.k_illinois_point(a, b, ga, gb)
        _dense_at(Fd, y, s / h, row)
        finish_step(row, P, S)
        gs = push_g(row, P, S, p)
        a, b, ga, gb, side = jf.k_illinois_bracket(a, b, ga, gb, side, s, gs)
        if abs(gs) < PUSH_END_TOL_M and gs >= 0 or b - a < 1e-9:
            break
    return b


@njit(cache=True, error_model="numpy")
def record(t0, y0, f0, t1, y1, h, dense, K, Kx, P, S, t_out, nxt, Yout, k_base, f1, ytmp, F):
    """Recorder.step: samples in (t0, t1]; ends exact; inside, DOP853's dense output (dense) or the
    Hermite interpolation (quintic in position, cubic for the rest), quaternions renormalised, held
    attitude from the interpolated r, v. Returns (next sample index, f1 = rhs(t1, y1) computed)."""
    stop = nxt
    while stop < t_out.size and t_out[stop] <= t1:
        stop += 1
    got = False
    for k in range(nxt, stop):
        tk = t_out[k]
        row = Yout[k - k_base]
        if tk == t1:
            row[:] = y1
            continue
        if tk == t0:
            row[:] = y0
            continue
        if not got:
            rhs(t1, y1, P, S, f1)
            got = True
            if dense:
                _dense_coefs(t0, y0, y1, f1, K, Kx, h, P, S, F, ytmp)
        theta = (tk - t0) / (t1 - t0)
        if dense:
            _dense_at(F, y0, theta, row)
        else:
            _hermite(y0, f0, y1, f1, t1 - t0, theta, P.n, row)
        _fix_sample(row, P, S)
    return stop, got


@njit(cache=True, error_model="numpy")
def _dense_coefs(t, y0, y1, f1, K, Kx, h, P, S, F, ytmp):
    """integrator.dense_dop853's polynomial coefficients F (7, N) (three more evaluations)."""
    N = y0.size
    Kx[:12] = K
    Kx[12] = f1
    for s in range(13, N_EXT):
        for i in range(N):
            acc = 0.0
            for j in range(s):
                acc += _AX[s, j] * Kx[j, i]
            ytmp[i] = y0[i] + h * acc
        rhs(t + _CX[s] * h, ytmp, P, S, Kx[s])
    for i in range(N):
        dy = y1[i] - y0[i]
        F[0, i], F[1, i], F[2, i] = dy, h * K[0, i] - dy, 2 * dy - h * (f1[i] + K[0, i])
        for r in range(4):
            acc = 0.0
            for j in range(N_EXT):
                acc += _D[r, j] * Kx[j, i]
            F[3 + r, i] = h * acc


@njit(cache=True, error_model="numpy")
def _dense_at(F, y0, x, row):
    """Nested form of scipy's Dop853DenseOutput at theta = x."""
    for i in range(y0.size):
        v = 0.0
        for p in range(7):
            v += F[6 - p, i]
            v *= x if p % 2 == 0 else 1 - x
        row[i] = v + y0[i]


@njit(cache=True, error_model="numpy")
def _hermite(y0, f0, y1, f1, h, th, n, row):
    """integrator.hermite_cubic for every component, then hermite_quintic for r and v of each unit
    (position from r, dr/dt, d2r/dt2 at both ends)."""
    t2, t3 = th * th, th * th * th
    h00, h10, h01, h11 = 2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + th, -2 * t3 + 3 * t2, t3 - t2
    for i in range(y0.size):
        row[i] = h00 * y0[i] + h10 * h * f0[i] + h01 * y1[i] + h11 * h * f1[i]
    t2, t3, t4, t5 = th ** 2, th ** 3, th ** 4, th ** 5
    H = (1 - 10 * t3 + 15 * t4 - 6 * t5, th - 6 * t3 + 8 * t4 - 3 * t5, 0.5 * (t2 - 3 * t3 + 3 * t4 - t5),
         10 * t3 - 15 * t4 + 6 * t5, -4 * t3 + 7 * t4 - 3 * t5, 0.5 * (t3 - 2 * t4 + t5))
    dH = (-30 * t2 + 60 * t3 - 30 * t4, 1 - 18 * t2 + 32 * t3 - 15 * t4, th - 4.5 * t2 + 6 * t3 - 2.5 * t4,
          30 * t2 - 60 * t3 + 30 * t4, -12 * t2 + 28 * t3 - 15 * t4, 1.5 * t2 - 4 * t3 + 2.5 * t4)
    for k in range(n):
        b = W * k
        for i in range(3):
            # velocity = dr/dt from the derivative: the state's v for a live unit (bit-identical), 0
            # for a re-entered one, whose state keeps the crossing velocity (physics/recorder.py does
            # the same, so neither engine's samples move after a reentry)
            x0, v0, a0 = y0[b + i], f0[b + i], f0[b + 3 + i]
            x1, v1, a1 = y1[b + i], f1[b + i], f1[b + 3 + i]
            co = (x0, h * v0, h * h * a0, x1, h * v1, h * h * a1)
            x, v = 0.0, 0.0
            for j in range(6):
                x += H[j] * co[j]
                v += dH[j] * co[j]
            row[b + i], row[b + 3 + i] = x, v / h


@njit(cache=True, error_model="numpy")
def _fix_sample(row, P, S):
    """Renormalise each interpolated quaternion; held units: attitude and rate from the LVLH frame
    of the interpolated r, v (Recorder._interp)."""
    R, wv, q = S[0], S[1], S[5]
    for k in range(P.n):
        b = W * k
        nrm = math.sqrt(row[b + 6] ** 2 + row[b + 7] ** 2 + row[b + 8] ** 2 + row[b + 9] ** 2)
        for i in range(4):
            row[b + 6 + i] = row[b + 6 + i] / nrm
        if P.held[k]:
            jf.lvlh_attitude(row[b:b + 3], row[b + 3:b + 6], P.M_held[k], R[k], wv[k])
            jf.quat_from_dcm(R[k], q)
            row[b + 6:b + 10] = q
            row[b + 10:b + 13] = wv[k]
