"""Earth gravity: point mass, zonal harmonics J2, J3, J4, and the gravity-gradient torque.

Constants: EGM96 zonal coefficients and GM with the WGS84 equatorial radius (Vallado, Fundamentals
of Astrodynamics, 4th ed., Table D-1). The zonal terms are written for an arbitrary pole direction k
(unit vector of the Earth's rotation axis in GCRS), so the small precession-nutation offset of the
true pole from the GCRS z axis can be honoured (ctx.pole_gcrs).
"""
from __future__ import annotations

import math

import numpy as np

from physics.rotation import cross

MU_EARTH_M3PS2 = 3.986004418e14
R_EARTH_EQ_M = 6378137.0
J2 = 1.08262668e-3
J3 = -2.53265649e-6
J4 = -1.61962159e-6


def central_accel(r_gcrs_m: np.ndarray) -> np.ndarray:
    """Point-mass acceleration -mu r / |r|^3; r (n,3) -> (n,3) m/s^2."""
    rn = np.sqrt(np.einsum("ij,ij->i", r_gcrs_m, r_gcrs_m))
    return r_gcrs_m * (-MU_EARTH_M3PS2 / rn ** 3)[:, None]


def zonal_accel(r_gcrs_m: np.ndarray, pole_gcrs: np.ndarray, degrees=(2,)) -> np.ndarray:
    """Acceleration (n,3) of the zonal terms J_n for n in `degrees` (subset of 2, 3, 4).

    Potential V_n = mu J_n R^n P_n(s) / r^(n+1), s = r_hat . k. With grad s = (k - s r_hat)/r:
        a_n = -grad V_n = mu J_n R^n / r^(n+2) * [((n+1) P_n + s P_n') r_hat - P_n' k].
    For n = 2 this is the familiar -(3/2) mu J2 R^2/r^4 [(1 - 5 s^2) r_hat + 2 s k]."""
    rn = np.sqrt(np.einsum("ij,ij->i", r_gcrs_m, r_gcrs_m))
    rh = r_gcrs_m / rn[:, None]
    s = rh @ pole_gcrs
    s2 = s * s
    coef_r = np.zeros_like(s)
    coef_k = np.zeros_like(s)
    q = R_EARTH_EQ_M / rn
    base = MU_EARTH_M3PS2 / (rn * rn)
    if 2 in degrees:   # P2 = (3s^2-1)/2, P2' = 3s
        f = base * J2 * q ** 2
        coef_r += f * (1.5 * (3 * s2 - 1) + 3 * s2)
        coef_k -= f * 3 * s
    if 3 in degrees:   # P3 = (5s^3-3s)/2, P3' = (15s^2-3)/2
        f = base * J3 * q ** 3
        d = 0.5 * (15 * s2 - 3)
        coef_r += f * (2.0 * (5 * s2 - 3) * s + s * d)
        coef_k -= f * d
    if 4 in degrees:   # P4 = (35s^4-30s^2+3)/8, P4' = (35s^3-15s)/2
        f = base * J4 * q ** 4
        d = 0.5 * (35 * s2 - 15) * s
        coef_r += f * (5 * (35 * s2 * s2 - 30 * s2 + 3) / 8 + s * d)
        coef_k -= f * d
    return rh * coef_r[:, None] + coef_k[:, None] * pole_gcrs[None, :]


def gravity_gradient_torque(r_gcrs_m: np.ndarray, R_gcrs_from_body: np.ndarray,
                            inertia_kgm2: np.ndarray) -> np.ndarray:
    """Torque (n,3) body frame, about each CoM: 3 mu / r^3 (u x I u), u = r_hat in body axes
    (point-mass Earth, body small against r: the standard first-order expansion)."""
    rn = np.sqrt(np.einsum("ij,ij->i", r_gcrs_m, r_gcrs_m))
    u = np.einsum("nji,nj->ni", R_gcrs_from_body, r_gcrs_m) / rn[:, None]
    Iu = np.einsum("nij,nj->ni", inertia_kgm2, u)
    return (3.0 * MU_EARTH_M3PS2 / rn ** 3)[:, None] * cross(u, Iu)


# --- force terms with the common signature f(ctx, t, r, v, R, omega) -> (force_gcrs_n, torque_body_nm)

def central_term(ctx, t_s, r, v, R, omega):
    return central_accel(r) * ctx.mass_kg[:, None], np.zeros_like(r)


def zonal_term(ctx, t_s, r, v, R, omega):
    degrees = ((2,) if ctx.forces.j2 else ()) + ((3, 4) if ctx.forces.j3_j4 else ())
    return zonal_accel(r, ctx.pole_gcrs, degrees) * ctx.mass_kg[:, None], np.zeros_like(r)


def gravity_gradient_term(ctx, t_s, r, v, R, omega):
    I = ctx.inertia_kgm2 * (ctx.mass_kg / ctx.mass0_kg)[:, None, None]
    return np.zeros_like(r), gravity_gradient_torque(r, R, I)


def make_gravity_term(forces):
    """One term computing the switched-on gravity parts (central, zonal, gravity gradient) together,
    sharing |r| (the hot path: every numpy call on 2-row arrays costs ~1 us, so fewer calls win).
    Same formulas as central_accel, zonal_accel (J2: a = f [(7.5 s^2 - 1.5) r_hat - 3 s k] with
    f = mu J2 R^2 / r^4, the n = 2 case of its docstring) and gravity_gradient_torque."""
    j2_only = forces.j2 and not forces.j3_j4
    degrees = ((2,) if forces.j2 else ()) + ((3, 4) if forces.j3_j4 else ())
    central, gg = forces.central, forces.gravity_gradient
    c_j2 = MU_EARTH_M3PS2 * J2 * R_EARTH_EQ_M ** 2

    def gravity_term(ctx, t_s, r, v, R, omega):
        if j2_only and len(r) <= 4:
            return _gravity_scalar(ctx, r, R, central, gg, c_j2)
        r2 = np.einsum("ij,ij->i", r, r)
        rn = np.sqrt(r2)
        coef = -MU_EARTH_M3PS2 / (r2 * rn) if central else np.zeros_like(rn)
        if j2_only:
            k = ctx.pole_gcrs
            s = (r @ k) / rn
            f = c_j2 / (r2 * r2)
            a = r * (coef + f * (7.5 * s * s - 1.5) / rn)[:, None] - (3.0 * f * s)[:, None] * k
        else:
            a = r * coef[:, None]
            if degrees:
                a = a + zonal_accel(r, ctx.pole_gcrs, degrees)
        if gg:
            m = ctx.mass_kg
            I = ctx.inertia_kgm2 if m is ctx.mass0_kg or np.array_equal(m, ctx.mass0_kg) else \
                ctx.inertia_kgm2 * (m / ctx.mass0_kg)[:, None, None]
            u = np.einsum("nji,nj->ni", R, r)
            # 3 mu / r^3 (u_hat x I u_hat) with u = r_body: 3 mu / r^5 (u x I u)
            tau = cross(u, np.einsum("nij,nj->ni", I, u)) * (3.0 * MU_EARTH_M3PS2 / (r2 * r2 * rn))[:, None]
        else:
            tau = np.zeros_like(r)
        return a * ctx.mass_kg[:, None], tau
    gravity_term.compiled = "gravity"
    return gravity_term


def _gravity_scalar(ctx, r, R, central: bool, gg: bool, c_j2: float):
    """gravity_term for 1-4 bodies, J2 only, with scalar arithmetic (same formulas; numpy's per-call
    overhead of ~1 us would dominate on 2-row arrays: ~4 us per body this way)."""
    kx, ky, kz = ctx.pole_gcrs.tolist()
    m = ctx.mass_kg.tolist()
    if gg:
        scale = ctx.mass_kg / ctx.mass0_kg
        I_l = (ctx.inertia_kgm2 if np.all(scale == 1.0) else ctx.inertia_kgm2 * scale[:, None, None]).tolist()
        R_l = R.tolist()
    F, tau = [], []
    for i, (x, y, z) in enumerate(r.tolist()):
        r2 = x * x + y * y + z * z
        rn = math.sqrt(r2)
        coef = -MU_EARTH_M3PS2 / (r2 * rn) if central else 0.0
        s = (x * kx + y * ky + z * kz) / rn
        f = c_j2 / (r2 * r2)
        c1, c2 = (coef + f * (7.5 * s * s - 1.5) / rn) * m[i], 3.0 * f * s * m[i]
        F.append([x * c1 - c2 * kx, y * c1 - c2 * ky, z * c1 - c2 * kz])
        if gg:        # 3 mu / r^5 (u x I u), u = R^T r (r in body axes)
            (a, b, c), (d, e, g), (h, p, q) = R_l[i]
            ux, uy, uz = a * x + d * y + h * z, b * x + e * y + p * z, c * x + g * y + q * z
            (I00, I01, I02), (I10, I11, I12), (I20, I21, I22) = I_l[i]
            wx, wy, wz = I00 * ux + I01 * uy + I02 * uz, I10 * ux + I11 * uy + I12 * uz, I20 * ux + I21 * uy + I22 * uz
            k3 = 3.0 * MU_EARTH_M3PS2 / (r2 * r2 * rn)
            tau.append([k3 * (uy * wz - uz * wy), k3 * (uz * wx - ux * wz), k3 * (ux * wy - uy * wx)])
        else:
            tau.append([0.0, 0.0, 0.0])
    return np.array(F), np.array(tau)
