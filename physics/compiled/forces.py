"""Compiled (numba njit) force model of the free-flight phase: the same equations, in the same
order, as physics/gravity.py (point mass, J2 or J2-J4 about the pole, gravity-gradient torque),
physics/frames.py (EarthRotation, WGS84 geodetic), physics/atmosphere.py (MsisTable trilinear ln rho,
Vallado exponential) and physics/drag.py (co-rotating atmosphere, 3-nearest area table lookup,
aero torque). Scalar arithmetic per body; results differ from the Python engine by round-off only
(tests/test_physics_jit.py).

Lazily filled tables: the compiled code cannot call skyfield or pymsis, so the Earth-rotation nodes
and the MSIS blocks live in arrays filled by Python (physics/compiled/run.py). A missing entry sets
need[:] = (kind, index...) and returns NaN; the propagator then abandons the step and returns to
Python, which fills the entry and calls again from the same state (entries depend only on their
key, so the retried step is identical: deterministic).

No fastmath: IEEE semantics, bit-reproducible runs.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from physics import kernels as K
from physics.constants import OMEGA_EARTH_RADPS

NEED_EARTH_NODE = 1      # need = (1, node index, 0)
NEED_MSIS_BLOCK = 2      # need = (2, time node index, altitude block)

# the one source of each formula (physics/kernels.py), compiled; inlined into their callers
_inline = njit(inline="always", error_model="numpy")
k_gravity_accel = _inline(K.gravity_accel)
k_gravity_gradient_torque = _inline(K.gravity_gradient_torque)
k_geodetic = _inline(K.geodetic)
k_exponential_density = _inline(K.exponential_density)
k_relative_wind_body = _inline(K.relative_wind_body)
k_drag_load = _inline(K.drag_load)
k_dcm_from_quat = _inline(K.dcm_from_quat)
k_quat_from_dcm = _inline(K.quat_from_dcm)
k_lvlh_attitude = _inline(K.lvlh_attitude)
k_rigid_rates = _inline(K.rigid_rates)
k_msis_cell = _inline(K.msis_cell)
k_trilinear = _inline(K.trilinear)
k_spring_push = _inline(K.spring_push)
k_illinois_point = _inline(K.illinois_point)
k_illinois_bracket = _inline(K.illinois_bracket)


# --- rotations
@njit(cache=True, inline="always", error_model="numpy")
def dcm_from_quat(y, o, R, k):
    """R[k] = R_a_from_b (3,3) from the unit q_a_from_b y[o:o+4] (kernels.dcm_from_quat)."""
    rows = k_dcm_from_quat(y[o], y[o + 1], y[o + 2], y[o + 3])
    for i in range(3):
        for j in range(3):
            R[k, i, j] = rows[i][j]


@njit(cache=True, error_model="numpy")
def quat_from_dcm(m, q):
    """kernels.quat_from_dcm (Shepperd, w >= 0) of m (3,3), into q (4,)."""
    w, x, y, z = k_quat_from_dcm(m)
    q[0], q[1], q[2], q[3] = w, x, y, z


@njit(cache=True, error_model="numpy")
def lvlh_attitude(r, v, M, R, w):
    """kernels.lvlh_attitude of r (3,), v (3,) with M = R_lvlh_from_unit: R (3,3), w (3,) written."""
    rows, wv = k_lvlh_attitude(r[0], r[1], r[2], v[0], v[1], v[2], M)
    for i in range(3):
        for j in range(3):
            R[i, j] = rows[i][j]
        w[i] = wv[i]


# --- Earth rotation (frames.EarthRotation) and geodetic coordinates
@njit(cache=True, inline="always", error_model="numpy")
def earth_rotation(t, nodes, node_ok, k0, node_s, need, E):
    """R_itrs_from_gcrs at t into E (3,3): rot_z(OMEGA (t - k node_s)) @ node_k; returns node index
    into `nodes` (-1 and need set if that node is not filled yet)."""
    if not math.isfinite(t):
        E[:, :] = np.nan
        return -1
    k = int(math.floor(t / node_s + 0.5))
    j = k - k0
    if j < 0 or j >= node_ok.size or not node_ok[j]:
        if need[0] == 0:                # the first missing entry of the step (later ones: NaN inputs)
            need[0], need[1], need[2] = NEED_EARTH_NODE, k, 0
        E[:, :] = np.nan
        return -1
    a = OMEGA_EARTH_RADPS * (t - k * node_s)
    c, s = math.cos(a), math.sin(a)
    N = nodes[j]
    for col in range(3):
        E[0, col] = c * N[0, col] + s * N[1, col]
        E[1, col] = -s * N[0, col] + c * N[1, col]
        E[2, col] = N[2, col]
    return j


@njit(cache=True, inline="always", error_model="numpy")
def geodetic_of(y, b, E):
    """Geodetic (lat, lon, alt) (kernels.geodetic) of the GCRS position y[b:b+3] with
    E = R_itrs_from_gcrs (r_itrs = r @ E^T)."""
    x, yy, z = y[b], y[b + 1], y[b + 2]
    xi = x * E[0, 0] + yy * E[0, 1] + z * E[0, 2]
    yi = x * E[1, 0] + yy * E[1, 1] + z * E[1, 2]
    zi = x * E[2, 0] + yy * E[2, 1] + z * E[2, 2]
    return k_geodetic(xi, yi, zi)


# --- density
@njit(cache=True, inline="always", error_model="numpy")
def _trilinear(B, i, j, m, fi, fj, fl):
    return k_trilinear(B[i, j, m], B[i, j, m + 1], B[i, j + 1, m], B[i, j + 1, m + 1], B[i + 1, j, m],
                       B[i + 1, j, m + 1], B[i + 1, j + 1, m], B[i + 1, j + 1, m + 1], fi, fj, fl)


@njit(cache=True, inline="always", error_model="numpy")
def msis_density(t, lat, lon, alt, mp, slot, store, need):
    """MsisTable.density_points for one point (kernels.msis_cell, kernels.trilinear). mp = (node_s,
    dlat_deg, dlst_h, dalt_m, levels, ut0_s, n_lat, n_lst, k_offset); slot[k - k_offset, b] = row of
    block (k, b) in store, -1 missing."""
    if not math.isfinite(alt + t):
        return np.nan                   # a stage fed by an earlier missing entry: discarded anyway
    koff = int(mp[8])
    k, wt, b, i, jj, m, fi, fj, fl = k_msis_cell(t, lat, lon, alt, mp[0], mp[1], mp[2], mp[3], int(mp[4]), mp[5],
                                                 mp[6], mp[7])
    for kk in (k, k + 1):
        j = kk - koff
        if j < 0 or j >= slot.shape[0] or b >= slot.shape[1] or slot[j, b] < 0:
            if need[0] == 0:
                need[0], need[1], need[2] = NEED_MSIS_BLOCK, kk, b
            return np.nan
    ln0 = _trilinear(store[slot[k - koff, b]], i, jj, m, fi, fj, fl)
    ln1 = _trilinear(store[slot[k + 1 - koff, b]], i, jj, m, fi, fj, fl)
    return math.exp((1.0 - wt) * ln0 + wt * ln1)


# --- drag area table (drag._lookup_lists)
@njit(cache=True, inline="always", error_model="numpy")
def cube_cell(ux, uy, uz, G):
    """Cell of the unit vector u on a cube map with G x G cells per face (0 when G = 0): face by
    the largest |component|, then the two others over it, each cut in G equal parts of [-1, 1]."""
    if G == 0:
        return 0
    ax, ay, az = abs(ux), abs(uy), abs(uz)
    if ax >= ay and ax >= az:
        f, a, b = (0 if ux > 0 else 1), uy / ax, uz / ax
    elif ay >= az:
        f, a, b = (2 if uy > 0 else 3), ux / ay, uz / ay
    else:
        f, a, b = (4 if uz > 0 else 5), ux / az, uy / az
    i = min(max(int((a + 1.0) * 0.5 * G), 0), G - 1)
    j = min(max(int((b + 1.0) * 0.5 * G), 0), G - 1)
    return (f * G + i) * G + j


@njit(cache=True, inline="always", error_model="numpy")
def shape_lookup(dirs, area, cop, o0, o1, G, c_first, cell_start, cand, ux, uy, uz):
    """Area of the table rows o0..o1-1 (directions dirs (N,3)) for the wind travel direction u:
    inverse squared angular distance weights over the 3 nearest (largest cosine, ties to the lower
    index). Returns (area, cop x, y, z). Only the candidate rows cand[cell_start[c]:cell_start[c+1]]
    of u's cube-map cell c = c_first + cube_cell(u, G) are scanned (physics/compiled/grid.py proves they
    hold the 3 nearest of every direction in the cell), in ascending order: the full scan's result."""
    cell = c_first + cube_cell(ux, uy, uz, G)
    i0 = i1 = i2 = -1
    c0 = c1 = c2 = -np.inf
    for p in range(cell_start[cell], cell_start[cell + 1]):
        i = cand[p]
        c = dirs[i, 0] * ux + dirs[i, 1] * uy + dirs[i, 2] * uz
        if c > c2:
            if c > c1:
                c2, i2 = c1, i1
                if c > c0:
                    c1, i1, c0, i0 = c0, i0, c, i
                else:
                    c1, i1 = c, i
            else:
                c2, i2 = c, i
    if o1 - o0 < 3:
        return area[i0], cop[i0, 0], cop[i0, 1], cop[i0, 2]
    w0 = 1.0 / (math.acos(max(-1.0, min(1.0, c0))) ** 2 + 1e-24)     # 1e-24: exact hit
    w1 = 1.0 / (math.acos(max(-1.0, min(1.0, c1))) ** 2 + 1e-24)
    w2 = 1.0 / (math.acos(max(-1.0, min(1.0, c2))) ** 2 + 1e-24)
    ws = w0 + w1 + w2
    a = (w0 * area[i0] + w1 * area[i1] + w2 * area[i2]) / ws
    return (a, (w0 * cop[i0, 0] + w1 * cop[i1, 0] + w2 * cop[i2, 0]) / ws,
            (w0 * cop[i0, 1] + w1 * cop[i1, 1] + w2 * cop[i2, 1]) / ws,
            (w0 * cop[i0, 2] + w1 * cop[i1, 2] + w2 * cop[i2, 2]) / ws)


# --- force terms on one body (force GCRS and torque body frame added into F, tau)
@njit(cache=True, inline="always", error_model="numpy")
def gravity_body(y, b, R, m, I_gg, pole, gp, gg, F, tau):
    """gravity.make_gravity_term for the body at y[b:b+3]: kernels.gravity_accel with the run's
    gp = (mu, R, J2, J3, J4, central) times the mass m into F (3,), and with gg the
    kernels.gravity_gradient_torque (I_gg (3,3) at the current mass) into tau (3,)."""
    x, yy, z = y[b], y[b + 1], y[b + 2]
    ax, ay, az = k_gravity_accel(x, yy, z, pole[0], pole[1], pole[2], gp[0], gp[1], gp[2], gp[3], gp[4], gp[5])
    F[0] += ax * m
    F[1] += ay * m
    F[2] += az * m
    if gg:
        tx, ty, tz = k_gravity_gradient_torque(x, yy, z, R, I_gg, gp[0])
        tau[0] += tx
        tau[1] += ty
        tau[2] += tz


@njit(cache=True, inline="always", error_model="numpy")
def drag_body(rho, y, b, R, wE, cd, dirs, area, cop, o0, o1, G, c_first, cell_start, cand, torque, F, tau):
    """drag.drag_term for the body at y[b:b+6] (r, v): kernels.relative_wind_body, the area table
    (shape_lookup), kernels.drag_load; force into F (3,), aero torque (torque != 0) into tau (3,)."""
    ux, uy, uz, speed = k_relative_wind_body(y[b], y[b + 1], y[b + 2], y[b + 3], y[b + 4], y[b + 5],
                                             wE[0], wE[1], wE[2], R)
    a, cx, cy, cz = shape_lookup(dirs, area, cop, o0, o1, G, c_first, cell_start, cand, ux, uy, uz)
    fx, fy, fz, tx, ty, tz = k_drag_load(rho, cd, a, cx, cy, cz, ux, uy, uz, speed, R)
    F[0] += fx
    F[1] += fy
    F[2] += fz
    if torque:
        tau[0] += tx
        tau[1] += ty
        tau[2] += tz
