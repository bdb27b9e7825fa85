"""The per-body formulas, each written once: scalar Python that numba compiles unchanged.

The Python engine calls these functions as they are (interpreted); physics/compiled/forces.py
compiles the very same functions with numba (`njit(inline="always")`) for the compiled engine. So
both engines evaluate one source per formula and differ by nothing but the order in which a compiler
may fuse floating-point operations (no fastmath: IEEE semantics either way).

Rules for this module (numba-compatible by construction):
- scalars in, a tuple of floats out; matrices are indexed M[i][j] (a numba 2-D array or a
  Python list of lists: both work);
- no calls between kernels (numba would need each callee compiled first): the callers compose them;
- Earth constants are arguments (the run's environment, physics/environment.py), never module
  globals, so a scenario's mu, R, J2.. reach both engines as run inputs and nothing is baked in.
  Only the WGS84 ellipsoid (the definition of geodetic coordinates) is a module constant.

Vectorised numpy forms of these formulas are test oracles (tests/oracles.py).
"""
from __future__ import annotations

import math

from physics.constants import WGS84_A_M, WGS84_B_M, WGS84_E2, WGS84_EP2, WGS84_F


# --- gravity
def gravity_accel(x, y, z, kx, ky, kz, mu, re, j2, j3, j4, central):
    """Acceleration (m/s^2, GCRS) of the point mass (central != 0) and the zonal terms J2, J3, J4
    (a zero J_n is skipped) about the unit pole k, at r = (x, y, z).

    V_n = mu J_n R^n P_n(s) / r^(n+1), s = r_hat . k, grad s = (k - s r_hat) / r:
        a_n = mu J_n R^n / r^(n+2) [((n+1) P_n + s P_n') r_hat - P_n' k]
    (n = 2: -(3/2) mu J2 R^2 / r^4 [(1 - 5 s^2) r_hat + 2 s k]; Vallado 4th ed. eq. 8-29)."""
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    s = (x * kx + y * ky + z * kz) / rn
    s2 = s * s
    base = mu / r2
    q = re / rn
    cr = -base if central != 0 else 0.0
    ck = 0.0
    if j2 != 0.0:      # P2 = (3s^2-1)/2, P2' = 3s
        f = base * j2 * q * q
        cr += f * (7.5 * s2 - 1.5)
        ck -= 3.0 * f * s
    if j3 != 0.0:      # P3 = (5s^3-3s)/2, P3' = (15s^2-3)/2
        f = base * j3 * q * q * q
        d = 0.5 * (15.0 * s2 - 3.0)
        cr += f * (2.0 * (5.0 * s2 - 3.0) * s + s * d)
        ck -= f * d
    if j4 != 0.0:      # P4 = (35s^4-30s^2+3)/8, P4' = (35s^3-15s)/2
        f = base * j4 * q * q * q * q
        d = 0.5 * (35.0 * s2 - 15.0) * s
        cr += f * (5.0 * (35.0 * s2 * s2 - 30.0 * s2 + 3.0) / 8.0 + s * d)
        ck -= f * d
    return x / rn * cr + ck * kx, y / rn * cr + ck * ky, z / rn * cr + ck * kz


def gravity_gradient_torque(x, y, z, R, I, mu):
    """Torque (N m, body axes) about the CoM of a small body at r = (x, y, z) with attitude
    R = R_gcrs_from_body and inertia I (body axes): 3 mu / r^5 (u x I u), u = R^T r (point-mass
    Earth, first order in size / r; Hughes, Spacecraft Attitude Dynamics, eq. 8.2-4)."""
    ux = R[0][0] * x + R[1][0] * y + R[2][0] * z
    uy = R[0][1] * x + R[1][1] * y + R[2][1] * z
    uz = R[0][2] * x + R[1][2] * y + R[2][2] * z
    wx = I[0][0] * ux + I[0][1] * uy + I[0][2] * uz
    wy = I[1][0] * ux + I[1][1] * uy + I[1][2] * uz
    wz = I[2][0] * ux + I[2][1] * uy + I[2][2] * uz
    r2 = x * x + y * y + z * z
    k3 = 3.0 * mu / (r2 * r2 * math.sqrt(r2))
    return k3 * (uy * wz - uz * wy), k3 * (uz * wx - ux * wz), k3 * (ux * wy - uy * wx)


# --- Earth shape and atmosphere
def geodetic(x, y, z):
    """WGS84 geodetic (lat_rad, lon_rad, alt_m) of the ITRS point (x, y, z): Bowring's method
    refined twice (< 1 mm in altitude, < 1e-9 rad in latitude for -100..2000 km; tests check it
    against skyfield's wgs84), in algebraic form: sin/cos of atan2(Y, X) are Y/|(X,Y)|, X/|(X,Y)|."""
    p = math.hypot(x, y)
    za, pb = z * WGS84_A_M, p * WGS84_B_M
    d = math.sqrt(za * za + pb * pb)
    sb, cb = za / d, pb / d                   # beta = atan2(z a, p b), the parametric latitude
    X = Y = sl = cl = 0.0
    for _ in range(2):
        Y = z + WGS84_EP2 * WGS84_B_M * sb * sb * sb
        X = p - WGS84_E2 * WGS84_A_M * cb * cb * cb
        d = math.sqrt(X * X + Y * Y)
        sl, cl = Y / d, X / d                 # lat = atan2(Y, X)
        yb = (1.0 - WGS84_F) * sl
        d = math.sqrt(yb * yb + cl * cl)
        sb, cb = yb / d, cl / d               # beta = atan2((1 - f) sin lat, cos lat)
    n = WGS84_A_M / math.sqrt(1.0 - WGS84_E2 * sl * sl)
    return math.atan2(Y, X), math.atan2(y, x), p * cl + z * sl - WGS84_A_M * WGS84_A_M / n


def exponential_density(alt_m, h0_km, rho0, scale_km):
    """Piecewise exponential density (kg/m^3): the band i with h0_km[i] <= h (the first band below
    it, the last above), rho0[i] exp(-(h - h0_km[i]) / scale_km[i]). One band = a plain exponential."""
    h = alt_m / 1e3
    i = 0
    for k in range(1, len(h0_km)):
        if h >= h0_km[k]:
            i = k
    return rho0[i] * math.exp(-(h - h0_km[i]) / scale_km[i])


# --- drag on one body
def msis_cell(t, lat, lon, alt, node_s, dlat, dlst, dalt, levels, ut0, nlat, nlst):
    """Where (t, lat, lon, alt) falls in the MSIS table (physics.atmosphere.MsisTable): time node k and
    weight wt of node k + 1, altitude block b, cell (i, j, m) in (lat, local solar time, altitude) and the
    fractions (fi, fj, fl) in it. Returns (k, wt, b, i, j, m, fi, fj, fl)."""
    u_t = t / node_s
    k = int(math.floor(u_t))
    ut_h = (ut0 + t) / 3600.0
    ui = min(max((math.degrees(lat) + 90.0) / dlat, 0.0), nlat - 1.000001)
    uj = ((ut_h + math.degrees(lon) / 15.0) % 24.0) / dlst
    uj = min(uj, nlst - 1.000001)
    ua = max(alt, 0.0) / dalt
    b = int(ua // (levels - 1))
    ul = min(ua - b * (levels - 1), levels - 1.000001)
    i, j, m = int(ui), int(uj), int(ul)
    return k, u_t - k, b, i, j, m, ui - i, uj - j, ul - m


def trilinear(c000, c001, c010, c011, c100, c101, c110, c111, fi, fj, fl):
    """Trilinear interpolation of the 8 corners c_ijm of a cell at fractions (fi, fj, fl)."""
    c00 = c000 * (1 - fl) + c001 * fl
    c01 = c010 * (1 - fl) + c011 * fl
    c10 = c100 * (1 - fl) + c101 * fl
    c11 = c110 * (1 - fl) + c111 * fl
    return (c00 * (1 - fj) + c01 * fj) * (1 - fi) + (c10 * (1 - fj) + c11 * fj) * fi


def relative_wind_body(x, y, z, vx, vy, vz, wx, wy, wz, R):
    """(u_x, u_y, u_z, |v_rel|): v_rel = v - omega_E x r (co-rotating atmosphere; omega_E = 0 for
    a still one) and u = -R^T v_rel / |v_rel|, the direction the wind travels, body axes."""
    ux, uy, uz = vx - (wy * z - wz * y), vy - (wz * x - wx * z), vz - (wx * y - wy * x)
    bx = R[0][0] * ux + R[1][0] * uy + R[2][0] * uz
    by = R[0][1] * ux + R[1][1] * uy + R[2][1] * uz
    bz = R[0][2] * ux + R[1][2] * uy + R[2][2] * uz
    speed = math.sqrt(bx * bx + by * by + bz * bz)
    return -bx / speed, -by / speed, -bz / speed, speed


def drag_load(rho, cd, area, cx, cy, cz, ux, uy, uz, speed, R):
    """Free-molecular drag: F = q u with q = rho cd A |v_rel|^2 / 2 along the wind direction u (body),
    returned in GCRS (R u q), and the torque about the CoM cop x F (body). (Fx, Fy, Fz, tx, ty, tz)."""
    q = 0.5 * rho * cd * area * speed * speed
    fx, fy, fz = q * ux, q * uy, q * uz
    return (R[0][0] * fx + R[0][1] * fy + R[0][2] * fz, R[1][0] * fx + R[1][1] * fy + R[1][2] * fz,
            R[2][0] * fx + R[2][1] * fy + R[2][2] * fz, cy * fz - cz * fy, cz * fx - cx * fz, cx * fy - cy * fx)


# --- rigid-body kinematics and dynamics
def dcm_from_quat(w, x, y, z):
    """R_a_from_b (rows as three 3-tuples) of the unit quaternion q_a_from_b = (w, x, y, z)."""
    return ((w * w + x * x - y * y - z * z, 2.0 * (x * y) - 2.0 * (w * z), 2.0 * (x * z) + 2.0 * (w * y)),
            (2.0 * (x * y) + 2.0 * (w * z), w * w - x * x + y * y - z * z, 2.0 * (y * z) - 2.0 * (w * x)),
            (2.0 * (x * z) - 2.0 * (w * y), 2.0 * (y * z) + 2.0 * (w * x), w * w - x * x - y * y + z * z))


def quat_from_dcm(m):
    """Unit q_a_from_b (w, x, y, z), w >= 0, of R_a_from_b m: Shepperd's method (of four
    algebraically equal formulas, the one with the largest pivot: no cancellation)."""
    tr = m[0][0] + m[1][1] + m[2][2]
    i, best = 0, tr
    if m[0][0] > best:
        i, best = 1, m[0][0]
    if m[1][1] > best:
        i, best = 2, m[1][1]
    if m[2][2] > best:
        i = 3
    s21, s02, s10 = m[2][1] - m[1][2], m[0][2] - m[2][0], m[1][0] - m[0][1]
    a01, a02, a12 = m[0][1] + m[1][0], m[0][2] + m[2][0], m[1][2] + m[2][1]
    if i == 0:
        c0, c1, c2, c3 = 1.0 + tr, s21, s02, s10
    elif i == 1:
        c0, c1, c2, c3 = s21, 1.0 + m[0][0] - m[1][1] - m[2][2], a01, a02
    elif i == 2:
        c0, c1, c2, c3 = s02, a01, 1.0 + m[1][1] - m[0][0] - m[2][2], a12
    else:
        c0, c1, c2, c3 = s10, a02, a12, 1.0 + m[2][2] - m[0][0] - m[1][1]
    nrm = math.sqrt(c0 * c0 + c1 * c1 + c2 * c2 + c3 * c3)
    sgn = -1.0 if c0 / nrm < 0 else 1.0
    return sgn * (c0 / nrm), sgn * (c1 / nrm), sgn * (c2 / nrm), sgn * (c3 / nrm)


def lvlh_attitude(x, y, z, vx, vy, vz, M):
    """Attitude held in LVLH: R_gcrs_from_unit = R_lvlh_from_gcrs^T M (M = R_lvlh_from_unit) with the
    LVLH rows z = -r/|r|, y = -(r x v)/|r x v|, x = y x z (ISS convention), and the frame's rate
    in unit axes R^T (r x v) / r^2. Returns (R rows as three 3-tuples, (wx, wy, wz))."""
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    hx, hy, hz = y * vz - z * vy, z * vx - x * vz, x * vy - y * vx
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    Zx, Zy, Zz = -x / rn, -y / rn, -z / rn
    Yx, Yy, Yz = -hx / hn, -hy / hn, -hz / hn
    Xx, Xy, Xz = Yy * Zz - Yz * Zy, Yz * Zx - Yx * Zz, Yx * Zy - Yy * Zx
    R0 = (Xx * M[0][0] + Yx * M[1][0] + Zx * M[2][0], Xx * M[0][1] + Yx * M[1][1] + Zx * M[2][1],
          Xx * M[0][2] + Yx * M[1][2] + Zx * M[2][2])
    R1 = (Xy * M[0][0] + Yy * M[1][0] + Zy * M[2][0], Xy * M[0][1] + Yy * M[1][1] + Zy * M[2][1],
          Xy * M[0][2] + Yy * M[1][2] + Zy * M[2][2])
    R2 = (Xz * M[0][0] + Yz * M[1][0] + Zz * M[2][0], Xz * M[0][1] + Yz * M[1][1] + Zz * M[2][1],
          Xz * M[0][2] + Yz * M[1][2] + Zz * M[2][2])
    gx, gy, gz = hx / r2, hy / r2, hz / r2
    w = (R0[0] * gx + R1[0] * gy + R2[0] * gz, R0[1] * gx + R1[1] * gy + R2[1] * gz,
         R0[2] * gx + R1[2] * gy + R2[2] * gz)
    return (R0, R1, R2), w


def rigid_rates(qw, qx, qy, qz, wx, wy, wz, tx, ty, tz, I, J):
    """Attitude part of Newton-Euler for one rigid unit: dq/dt = q (0, w) / 2 (q_inertial_from_body)
    and dw/dt = I^-1 (tau - w x I w) (J = I^-1, body axes). Returns (dqw, dqx, dqy, dqz, ax, ay, az)."""
    lx = I[0][0] * wx + I[0][1] * wy + I[0][2] * wz
    ly = I[1][0] * wx + I[1][1] * wy + I[1][2] * wz
    lz = I[2][0] * wx + I[2][1] * wy + I[2][2] * wz
    ex = tx - (wy * lz - wz * ly)
    ey = ty - (wz * lx - wx * lz)
    ez = tz - (wx * ly - wy * lx)
    return (-0.5 * (qx * wx + qy * wy + qz * wz), 0.5 * (qw * wx + qy * wz - qz * wy),
            0.5 * (qw * wy + qz * wx - qx * wz), 0.5 * (qw * wz + qx * wy - qy * wx),
            J[0][0] * ex + J[0][1] * ey + J[0][2] * ez, J[1][0] * ex + J[1][1] * ey + J[1][2] * ez,
            J[2][0] * ex + J[2][1] * ey + J[2][2] * ez)


# --- spring pushers (physics/dynamics.py System._push)
def spring_push(ax, ay, az, Ra, bx, by, bz, Rb, ex, ey, ez, px, py, pz, sx, sy, sz, k, preload):
    """One spring pusher between bodies a (carrying it; CoM at (ax, ay, az), R_gcrs_from_body Ra) and
    b (CoM (bx, by, bz), Rb): docking axis e, base p, both in a's body frame; tip s, the matching
    material point of b, in b's body frame. Extension d = (P_b - P_a) . x (x = Ra e, P_a = a + Ra p,
    P_b = b + Rb s); force on b f x with f = max(0, preload - k d), on a the opposite, both at the tip
    P_b (equal, opposite, collinear: momentum and angular momentum untouched). Returns (d, force on b
    (GCRS, 3), torque on b about its CoM (b's axes, 3), torque on a about its CoM (a's axes, 3))."""
    xx = Ra[0][0] * ex + Ra[0][1] * ey + Ra[0][2] * ez
    xy = Ra[1][0] * ex + Ra[1][1] * ey + Ra[1][2] * ez
    xz = Ra[2][0] * ex + Ra[2][1] * ey + Ra[2][2] * ez
    lbx = Rb[0][0] * sx + Rb[0][1] * sy + Rb[0][2] * sz          # tip from b's CoM (GCRS)
    lby = Rb[1][0] * sx + Rb[1][1] * sy + Rb[1][2] * sz
    lbz = Rb[2][0] * sx + Rb[2][1] * sy + Rb[2][2] * sz
    lax = bx - ax + lbx                     # tip from a's CoM (GCRS); the CoM difference first: no
    lay = by - ay + lby                     # round-off of |r| ~ 7e6 m (1e-9 m) in the extension
    laz = bz - az + lbz
    dx = lax - (Ra[0][0] * px + Ra[0][1] * py + Ra[0][2] * pz)     # P_b - P_a
    dy = lay - (Ra[1][0] * px + Ra[1][1] * py + Ra[1][2] * pz)
    dz = laz - (Ra[2][0] * px + Ra[2][1] * py + Ra[2][2] * pz)
    d = dx * xx + dy * xy + dz * xz
    f = preload - k * d
    if f < 0.0:
        f = 0.0
    fx, fy, fz = f * xx, f * xy, f * xz
    cbx, cby, cbz = lby * fz - lbz * fy, lbz * fx - lbx * fz, lbx * fy - lby * fx      # l_b x F
    cax, cay, caz = lay * fz - laz * fy, laz * fx - lax * fz, lax * fy - lay * fx      # l_a x F (on a: minus)
    return (d, fx, fy, fz,
            Rb[0][0] * cbx + Rb[1][0] * cby + Rb[2][0] * cbz, Rb[0][1] * cbx + Rb[1][1] * cby + Rb[2][1] * cbz,
            Rb[0][2] * cbx + Rb[1][2] * cby + Rb[2][2] * cbz,
            -(Ra[0][0] * cax + Ra[1][0] * cay + Ra[2][0] * caz), -(Ra[0][1] * cax + Ra[1][1] * cay + Ra[2][1] * caz),
            -(Ra[0][2] * cax + Ra[1][2] * cay + Ra[2][2] * caz))


# --- event location (integrator.find_crossing and the compiled engine's reentry and stroke-end searches)
def illinois_point(a, b, ga, gb):
    """Next trial point of Illinois false position on the bracket [a, b] with g(a) = ga < 0 <= gb = g(b):
    the secant root, or the midpoint when that falls outside (a, b) (or is NaN)."""
    s = (a * gb - b * ga) / (gb - ga)
    if not a < s < b:
        s = 0.5 * (a + b)
    return s


def illinois_bracket(a, b, ga, gb, side, s, gs):
    """The bracket after g(s) = gs: (a, b, ga, gb, side). The end kept twice in a row has its g halved
    (the Illinois modification: superlinear, and never stuck on one side)."""
    if gs >= 0:
        if side == 1:
            ga *= 0.5
        return a, s, ga, gs, 1
    if side == -1:
        gb *= 0.5
    return s, b, gs, gb, -1
