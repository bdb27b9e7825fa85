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

from physics.atmosphere import _VALLADO_H0_KM, _VALLADO_H_KM, _VALLADO_RHO0
from physics.frames import _EP2, _WGS84_B_M, OMEGA_EARTH_RADPS, WGS84_A_M, WGS84_E2, WGS84_F
from physics.gravity import J2, J3, J4, MU_EARTH_M3PS2, R_EARTH_EQ_M

NEED_EARTH_NODE = 1      # need = (1, node index, 0)
NEED_MSIS_BLOCK = 2      # need = (2, time node index, altitude block)
_C_J2 = MU_EARTH_M3PS2 * J2 * R_EARTH_EQ_M ** 2
_H0, _RHO0, _HSC = _VALLADO_H0_KM.copy(), _VALLADO_RHO0.copy(), _VALLADO_H_KM.copy()


# --- rotations
@njit(cache=True, inline="always", error_model="numpy")
def dcm_from_quat(y, o, R, k):
    """R[k] = R_a_from_b (3,3) from the unit q_a_from_b y[o:o+4] (physics.rotation.dcm_from_quat)."""
    w, x, yq, z = y[o], y[o + 1], y[o + 2], y[o + 3]
    R[k, 0, 0] = w * w + x * x - yq * yq - z * z
    R[k, 1, 1] = w * w - x * x + yq * yq - z * z
    R[k, 2, 2] = w * w - x * x - yq * yq + z * z
    R[k, 0, 1] = 2.0 * (x * yq) - 2.0 * (w * z)
    R[k, 1, 0] = 2.0 * (x * yq) + 2.0 * (w * z)
    R[k, 0, 2] = 2.0 * (x * z) + 2.0 * (w * yq)
    R[k, 2, 0] = 2.0 * (x * z) - 2.0 * (w * yq)
    R[k, 1, 2] = 2.0 * (yq * z) - 2.0 * (w * x)
    R[k, 2, 1] = 2.0 * (yq * z) + 2.0 * (w * x)


@njit(cache=True, error_model="numpy")
def quat_from_dcm(m, q):
    """Shepperd's method as physics.rotation.quat_from_dcm (largest pivot, w >= 0), into q (4,)."""
    tr = m[0, 0] + m[1, 1] + m[2, 2]
    d = (tr, m[0, 0], m[1, 1], m[2, 2])
    i = 0
    for k in range(1, 4):
        if d[k] > d[i]:
            i = k
    s21, s02, s10 = m[2, 1] - m[1, 2], m[0, 2] - m[2, 0], m[1, 0] - m[0, 1]
    a01, a02, a12 = m[0, 1] + m[1, 0], m[0, 2] + m[2, 0], m[1, 2] + m[2, 1]
    if i == 0:
        c = (1 + tr, s21, s02, s10)
    elif i == 1:
        c = (s21, 1 + m[0, 0] - m[1, 1] - m[2, 2], a01, a02)
    elif i == 2:
        c = (s02, a01, 1 + m[1, 1] - m[0, 0] - m[2, 2], a12)
    else:
        c = (s10, a02, a12, 1 + m[2, 2] - m[0, 0] - m[1, 1])
    nrm = math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2] + c[3] * c[3])
    sgn = -1.0 if c[0] / nrm < 0 else 1.0
    for k in range(4):
        q[k] = sgn * (c[k] / nrm)


@njit(cache=True, error_model="numpy")
def lvlh_attitude(r, v, M, R, w):
    """Held attitude (dynamics.System._attitude_scalar): R_gcrs_from_unit = R_lvlh_from_g^T M with
    LVLH rows z = -r/|r|, y = -(r x v)/|r x v|, x = y x z; rate omega_unit = R^T (r x v)/r^2."""
    x, y, z = r[0], r[1], r[2]
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    hx, hy, hz = y * v[2] - z * v[1], z * v[0] - x * v[2], x * v[1] - y * v[0]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    Z = (-x / rn, -y / rn, -z / rn)
    Y = (-hx / hn, -hy / hn, -hz / hn)
    X = (Y[1] * Z[2] - Y[2] * Z[1], Y[2] * Z[0] - Y[0] * Z[2], Y[0] * Z[1] - Y[1] * Z[0])
    for i in range(3):
        for j in range(3):
            R[i, j] = X[i] * M[0, j] + Y[i] * M[1, j] + Z[i] * M[2, j]
    wg = (hx / r2, hy / r2, hz / r2)
    for j in range(3):
        w[j] = R[0, j] * wg[0] + R[1, j] * wg[1] + R[2, j] * wg[2]


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
def geodetic(x, y, z, angles):
    """frames._geodetic_scalar (Bowring, two refinements) -> (lat_rad, lon_rad, alt_m), with the
    same equations in algebraic form: sin/cos of atan2(Y, X) are Y/|(X, Y)| and X/|(X, Y)|, so only
    square roots inside (round-off differences: ~1e-9 m in altitude). angles=False: lat, lon NaN."""
    p = math.hypot(x, y)
    za, pb = z * WGS84_A_M, p * _WGS84_B_M
    d = math.sqrt(za * za + pb * pb)
    sb, cb = za / d, pb / d                   # beta = atan2(z a, p b)
    X = Y = sl = cl = 0.0
    for _ in range(2):
        Y = z + _EP2 * _WGS84_B_M * sb * sb * sb
        X = p - WGS84_E2 * WGS84_A_M * cb * cb * cb
        d = math.sqrt(X * X + Y * Y)
        sl, cl = Y / d, X / d                 # lat = atan2(Y, X)
        yb = (1.0 - WGS84_F) * sl
        d = math.sqrt(yb * yb + cl * cl)
        sb, cb = yb / d, cl / d               # beta = atan2((1 - f) sin lat, cos lat)
    n = WGS84_A_M / math.sqrt(1.0 - WGS84_E2 * sl * sl)
    alt = p * cl + z * sl - WGS84_A_M * WGS84_A_M / n
    if not angles:
        return np.nan, np.nan, alt
    return math.atan2(Y, X), math.atan2(y, x), alt


@njit(cache=True, inline="always", error_model="numpy")
def geodetic_of(y, b, E, angles):
    """Geodetic (lat, lon, alt) of the GCRS position y[b:b+3] with E = R_itrs_from_gcrs
    (r_itrs = r @ E^T)."""
    x, yy, z = y[b], y[b + 1], y[b + 2]
    xi = x * E[0, 0] + yy * E[0, 1] + z * E[0, 2]
    yi = x * E[1, 0] + yy * E[1, 1] + z * E[1, 2]
    zi = x * E[2, 0] + yy * E[2, 1] + z * E[2, 2]
    return geodetic(xi, yi, zi, angles)


# --- density
@njit(cache=True, inline="always", error_model="numpy")
def exponential_density(alt_m):
    """atmosphere._exp_scalar: Vallado's band containing h (bisect_right), clipped to the table."""
    h = alt_m / 1e3
    i = np.searchsorted(_H0, h, side="right") - 1
    i = min(max(i, 0), _H0.size - 1)
    return _RHO0[i] * math.exp(-(h - _H0[i]) / _HSC[i])


@njit(cache=True, inline="always", error_model="numpy")
def _trilinear(B, i, j, m, fi, fj, fl):
    c00 = B[i, j, m] * (1 - fl) + B[i, j, m + 1] * fl
    c01 = B[i, j + 1, m] * (1 - fl) + B[i, j + 1, m + 1] * fl
    c10 = B[i + 1, j, m] * (1 - fl) + B[i + 1, j, m + 1] * fl
    c11 = B[i + 1, j + 1, m] * (1 - fl) + B[i + 1, j + 1, m + 1] * fl
    return (c00 * (1 - fj) + c01 * fj) * (1 - fi) + (c10 * (1 - fj) + c11 * fj) * fi


@njit(cache=True, inline="always", error_model="numpy")
def msis_density(t, lat, lon, alt, mp, slot, store, need):
    """MsisTable.density_points for one point. mp = (node_s, dlat_deg, dlst_h, dalt_m, levels,
    ut0_s, n_lat, n_lst, k_offset); slot[k - k_offset, b] = row of block (k, b) in store, -1 missing."""
    node_s, dlat, dlst, dalt = mp[0], mp[1], mp[2], mp[3]
    levels, ut0, nlat, nlst, koff = int(mp[4]), mp[5], mp[6], mp[7], int(mp[8])
    u_t = t / node_s
    k = int(math.floor(u_t))
    wt = u_t - k
    ut_h = (ut0 + t) / 3600.0
    ui = min(max((math.degrees(lat) + 90.0) / dlat, 0.0), nlat - 1.000001)
    uj = ((ut_h + math.degrees(lon) / 15.0) % 24.0) / dlst
    uj = min(uj, nlst - 1.000001)
    if not math.isfinite(alt + t):
        return np.nan                   # a stage fed by an earlier missing entry: discarded anyway
    ua = max(alt, 0.0) / dalt
    b = int(ua // (levels - 1))
    ul = min(ua - b * (levels - 1), levels - 1.000001)
    for kk in (k, k + 1):
        j = kk - koff
        if j < 0 or j >= slot.shape[0] or b >= slot.shape[1] or slot[j, b] < 0:
            if need[0] == 0:
                need[0], need[1], need[2] = NEED_MSIS_BLOCK, kk, b
            return np.nan
    i, jj, m = int(ui), int(uj), int(ul)
    fi, fj, fl = ui - i, uj - jj, ul - m
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
def gravity_body(y, b, R, m, I_gg, pole, flags, F, tau):
    """gravity.make_gravity_term for the body at y[b:b+3] (R (3,3), I_gg (3,3)); force into F (3,),
    torque into tau (3,). flags = (central, j2, j3_j4, gravity_gradient, ...)."""
    x, yy, z = y[b], y[b + 1], y[b + 2]
    kx, ky, kz = pole[0], pole[1], pole[2]
    r2 = x * x + yy * yy + z * z
    rn = math.sqrt(r2)
    coef = -MU_EARTH_M3PS2 / (r2 * rn) if flags[0] else 0.0
    if flags[1] and not flags[2]:
        s = (x * kx + yy * ky + z * kz) / rn
        f = _C_J2 / (r2 * r2)
        c1, c2 = (coef + f * (7.5 * s * s - 1.5) / rn) * m, 3.0 * f * s * m
        F[0] += x * c1 - c2 * kx
        F[1] += yy * c1 - c2 * ky
        F[2] += z * c1 - c2 * kz
    else:
        cr, ck = _zonal_coefs(rn, (x * kx + yy * ky + z * kz) / rn, flags[1], flags[2])
        for i in range(3):
            F[i] += (y[b + i] * coef + ((y[b + i] / rn) * cr + ck * pole[i])) * m
    if flags[3]:
        ux = R[0, 0] * x + R[1, 0] * yy + R[2, 0] * z
        uy = R[0, 1] * x + R[1, 1] * yy + R[2, 1] * z
        uz = R[0, 2] * x + R[1, 2] * yy + R[2, 2] * z
        wx = I_gg[0, 0] * ux + I_gg[0, 1] * uy + I_gg[0, 2] * uz
        wy = I_gg[1, 0] * ux + I_gg[1, 1] * uy + I_gg[1, 2] * uz
        wz = I_gg[2, 0] * ux + I_gg[2, 1] * uy + I_gg[2, 2] * uz
        k3 = 3.0 * MU_EARTH_M3PS2 / (r2 * r2 * rn)
        tau[0] += k3 * (uy * wz - uz * wy)
        tau[1] += k3 * (uz * wx - ux * wz)
        tau[2] += k3 * (ux * wy - uy * wx)


@njit(cache=True, inline="always", error_model="numpy")
def _zonal_coefs(rn, s, j2, j34):
    """gravity.zonal_accel's (coef_r, coef_k) for the switched-on degrees."""
    s2 = s * s
    coef_r, coef_k = 0.0, 0.0
    q = R_EARTH_EQ_M / rn
    base = MU_EARTH_M3PS2 / (rn * rn)
    if j2:
        f = base * J2 * q ** 2
        coef_r += f * (1.5 * (3 * s2 - 1) + 3 * s2)
        coef_k -= f * 3 * s
    if j34:
        f = base * J3 * q ** 3
        d = 0.5 * (15 * s2 - 3)
        coef_r += f * (2.0 * (5 * s2 - 3) * s + s * d)
        coef_k -= f * d
        f = base * J4 * q ** 4
        d = 0.5 * (35 * s2 - 15) * s
        coef_r += f * (5 * (35 * s2 * s2 - 30 * s2 + 3) / 8 + s * d)
        coef_k -= f * d
    return coef_r, coef_k


@njit(cache=True, inline="always", error_model="numpy")
def drag_body(rho, y, b, R, wE, cd, dirs, area, cop, o0, o1, G, c_first, cell_start, cand, torque, F, tau):
    """drag.drag_term for the body at y[b:b+6] (r, v): v_rel = v - omega_E x r,
    u = -R^T v_rel/|v_rel|, q = rho cd A(u) |v_rel|^2 / 2, F += R (q u), tau += cop(u) x (q u)."""
    x, yy, z = y[b], y[b + 1], y[b + 2]
    wx, wy, wz = wE[0], wE[1], wE[2]
    ux, uy, uz = y[b + 3] - (wy * z - wz * yy), y[b + 4] - (wz * x - wx * z), y[b + 5] - (wx * yy - wy * x)
    bx = R[0, 0] * ux + R[1, 0] * uy + R[2, 0] * uz
    by = R[0, 1] * ux + R[1, 1] * uy + R[2, 1] * uz
    bz = R[0, 2] * ux + R[1, 2] * uy + R[2, 2] * uz
    speed = math.sqrt(bx * bx + by * by + bz * bz)
    bx, by, bz = -bx / speed, -by / speed, -bz / speed
    a, cx, cy, cz = shape_lookup(dirs, area, cop, o0, o1, G, c_first, cell_start, cand, bx, by, bz)
    q = 0.5 * rho * cd * a * speed * speed
    fx, fy, fz = q * bx, q * by, q * bz
    F[0] += R[0, 0] * fx + R[0, 1] * fy + R[0, 2] * fz
    F[1] += R[1, 0] * fx + R[1, 1] * fy + R[1, 2] * fz
    F[2] += R[2, 0] * fx + R[2, 1] * fy + R[2, 2] * fz
    if torque:
        tau[0] += cy * fz - cz * fy
        tau[1] += cz * fx - cx * fz
        tau[2] += cx * fy - cy * fx
