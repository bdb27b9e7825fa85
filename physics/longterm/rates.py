"""Orbit-averaged rates of the mean elements: J2 secular terms plus drag averaged around the orbit.

Elements (one row per body): X = [a_m, ex, ey, i_rad, raan_rad, lam_rad] with ex, ey = e cos w, e sin w
(non-singular for e -> 0) and lam = M + w, the mean argument of latitude. They are measured in the
frame E = ITRS frozen at the run's epoch (z = Earth's rotation axis; E rotates to ITRS by the angle
OMEGA_EARTH * t). Precession over a year (0.014 deg) is neglected in that rotation.

Why averaged: drag changes a by ~50 m per day while the orbit takes 93 min; the average over one
revolution of Gauss' equations (time-uniform samples = uniform in mean anomaly) gives the secular
rate, which can be integrated with steps of hours (see docs/decay.md for the validation).
Drag at each sample: NRLMSIS (or an exponential table) at the geodetic altitude, latitude, longitude
and UTC time of that point on the orbit, relative wind v - omega_E x r (co-rotating atmosphere),
a_drag = -1/2 rho (Cd A / m) |v_rel| v_rel. Orbit shape to first order in e (ISS e = 0.0005; the
neglected terms are O(e^2) ~ 3e-7 relative), plus the first-order J2 short-period radius (below);
velocities are those of the Keplerian mean orbit (the J2 speed wobble is ~1e-3 relative).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from physics.frames import OMEGA_EARTH_RADPS, geodetic_from_itrs

from physics.constants import GM_EARTH_M3PS2 as MU_M3PS2, J2, R_EARTH_EQ_M as R_J2_M, WGS84_A_M as R_EQ_M
# R_EQ_M (WGS84 a) is the origin of "mean altitude" a - R_eq; J2 goes with its own field's radius R_J2_M

# density(t_s (M,), lat_rad (M,), lon_rad (M,), alt_m (M,)) -> rho_kgpm3 (M,)
DensityFn = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class AveragingOptions:
    n_samples: int = 16              # points per revolution (16 vs 32 changes the rate < 0.5 %, tested)
    corotating: bool = True          # relative wind v - omega_E x r (False: v, as in simple lifetime formulas)
    geodetic: bool = True            # WGS84 geodetic altitude (False: r - R_eq, a spherical Earth)
    j2_radius: bool = True           # J2 short-period radius terms (False: r = a (1 - e cos M))


def j2_secular(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Brouwer first-order secular rates (rad/s), X (n,6) -> raan_dot, argp_dot, lam_dot (n,) each.

    raan_dot = -3/2 n J2 (R/p)^2 cos i;  argp_dot = 3/4 n J2 (R/p)^2 (5 cos^2 i - 1);
    M_dot = n [1 + 3/4 J2 (R/p)^2 sqrt(1-e^2) (3 cos^2 i - 1)]  (Vallado 4th ed. eq. 9-41).
    """
    a, ex, ey, inc = X[:, 0], X[:, 1], X[:, 2], X[:, 3]
    e2 = ex * ex + ey * ey
    n = np.sqrt(MU_M3PS2 / a ** 3)
    k = J2 * (R_J2_M / (a * (1.0 - e2))) ** 2
    c2 = np.cos(inc) ** 2
    raan_dot = -1.5 * n * k * np.cos(inc)
    argp_dot = 0.75 * n * k * (5.0 * c2 - 1.0)
    m_dot = n * (1.0 + 0.75 * k * np.sqrt(1.0 - e2) * (3.0 * c2 - 1.0))
    return raan_dot, argp_dot, m_dot + argp_dot


def orbit_points(X: np.ndarray, du: np.ndarray, j2_radius: bool = True):
    """Points at mean argument of latitude lam + du on each orbit (first order in e).

    X (n,6), du (n,N) -> r_E (n,N,3), v_E (n,N,3), and unit vectors R, S, W (n,N,3) each.
    """
    a, ex, ey, inc, raan, lam = (X[:, k, None] for k in range(6))
    u = lam + du
    cu, su, ci, si = np.cos(u), np.sin(u), np.cos(inc), np.sin(inc)
    co, so = np.cos(raan), np.sin(raan)
    R = np.stack([co * cu - so * su * ci, so * cu + co * su * ci, su * si], axis=-1)
    S = np.stack([-co * su - so * cu * ci, -so * su + co * cu * ci, cu * si], axis=-1)
    W = np.broadcast_to(np.stack([so * si, -co * si, ci + 0.0 * si], axis=-1), R.shape)
    ecos = ex * cu + ey * su                  # e cos(M) with M = u - w (u ~ lam to first order)
    # J2 first-order short-period radius of a near-circular orbit about the mean a (Kozai/Brouwer):
    # dr = k [-3/4 (3 cos^2 i - 1) + 1/4 sin^2 i cos 2u], k = J2 R^2 / a; for the ISS a constant
    # -0.76 km and a +-1.0 km wave, fitted on a Cowell orbit to 3 m rms (tests/test_decay_cowell.py).
    k = J2 * R_J2_M ** 2 / a * float(j2_radius)
    r = a * (1.0 - ecos) + k * (-0.75 * (3.0 * ci * ci - 1.0) + 0.25 * si * si * np.cos(2.0 * u))
    vc = np.sqrt(MU_M3PS2 / a)
    v_r, v_s = vc * (ex * su - ey * cu), vc * (1.0 + ecos)
    return r[..., None] * R, v_r[..., None] * R + v_s[..., None] * S, R, S, W


def to_earth_fixed(r_E: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """r_E (...,3) at times t_s (...) -> r_itrs (...,3): rotation by -OMEGA_EARTH * t about z."""
    th = OMEGA_EARTH_RADPS * t_s
    c, s = np.cos(th), np.sin(th)
    x, y = r_E[..., 0], r_E[..., 1]
    return np.stack([c * x + s * y, -s * x + c * y, r_E[..., 2]], axis=-1)


def sample_geodetic(X, t_s, du, geodetic=True, j2_radius=True):
    """Geodetic (lat, lon, alt_m) and times of points lam+du on each orbit; all (n,N)."""
    n_mot = np.sqrt(MU_M3PS2 / X[:, 0, None] ** 3)
    t_k = t_s + du / n_mot
    r_E, v_E, R, S, W = orbit_points(X, du, j2_radius)
    lat, lon, alt = geodetic_from_itrs(to_earth_fixed(r_E, t_k))
    if not geodetic:
        alt = np.linalg.norm(r_E, axis=-1) - R_EQ_M
    return lat, lon, alt, t_k, (r_E, v_E, R, S, W)


def averaged_rates(t_s: float, X: np.ndarray, inv_ballistic_m2pkg: np.ndarray, density: DensityFn,
                   opts: AveragingOptions = AveragingOptions(), apsidal: bool = True
                   ) -> tuple[np.ndarray, np.ndarray]:
    """d X / dt (n,6) and the lowest sampled geodetic altitude of each orbit (n,) in metres.

    inv_ballistic_m2pkg (n,) = Cd A / m of each body (0 = no drag), or a function
    f(t_s, X, u (n,N)) -> (n,N) giving it at each sample point (u: argument of latitude; a body whose
    area varies around the orbit, physics/longterm/attitude.py). apsidal=False leaves out the
    J2 turning of (ex, ey), for integrators that apply that rotation exactly (physics/longterm/decay.py).
    """
    N = opts.n_samples
    du = np.broadcast_to(2.0 * np.pi * (np.arange(N) + 0.5) / N - np.pi, (X.shape[0], N))
    lat, lon, alt, t_k, (r_E, v_E, R, S, W) = sample_geodetic(X, t_s, du, opts.geodetic, opts.j2_radius)
    rho = density(t_k.ravel(), lat.ravel(), lon.ravel(), alt.ravel()).reshape(alt.shape)
    v_rel = v_E.copy()
    if opts.corotating:
        v_rel[..., 0] += OMEGA_EARTH_RADPS * r_E[..., 1]
        v_rel[..., 1] -= OMEGA_EARTH_RADPS * r_E[..., 0]
    if callable(inv_ballistic_m2pkg):
        ib = inv_ballistic_m2pkg(t_s, X, X[:, 5, None] + du)
    else:
        ib = np.asarray(inv_ballistic_m2pkg)[:, None]
    f = (-0.5 * rho * ib * np.linalg.norm(v_rel, axis=-1))[..., None] * v_rel
    f_r, f_s, f_w = (np.einsum("nkj,nkj->nk", f, B) for B in (R, S, W))
    a, inc = X[:, 0], X[:, 3]
    na = np.sqrt(MU_M3PS2 / a) [:, None]
    u = X[:, 5, None] + du
    cu, su = np.cos(u), np.sin(u)
    raan_dot, argp_dot, lam_dot = j2_secular(X)
    argp_dot = argp_dot * float(apsidal)
    dX = np.empty_like(X)
    dX[:, 0] = (2.0 * a ** 2 / MU_M3PS2) * np.einsum("nkj,nkj->nk", v_E, f).mean(axis=1)   # energy rate
    dX[:, 1] = ((su * f_r + 2.0 * cu * f_s) / na).mean(axis=1) - argp_dot * X[:, 2]
    dX[:, 2] = ((-cu * f_r + 2.0 * su * f_s) / na).mean(axis=1) + argp_dot * X[:, 1]
    dX[:, 3] = (cu * f_w / na).mean(axis=1)
    dX[:, 4] = (su * f_w / na).mean(axis=1) / np.sin(inc) + raan_dot
    dX[:, 5] = lam_dot
    return dX, alt.min(axis=1)


def step_dalt_m(a_m: np.ndarray) -> np.ndarray:
    """1/12 of a rough density scale height H(h) = 7 km + 0.12 (h - 100 km) (Vallado's table gives
    9.5 km at 120 km, 37 at 200, 58 at 400: this is a step-size rule, not a density model)."""
    h_km = (a_m - R_EQ_M) / 1e3
    return np.maximum(7.0 + 0.12 * (h_km - 100.0), 5.0) * 1e3 / 12.0


DAILY_CAP_S, SMOOTH_CAP_S = 86400.0, 10 * 86400.0     # largest steps where the indices change daily / smoothly


def default_step_cap(activity, epoch_utc: str, msis: bool):
    """t_s -> largest step (s): 10 days where the NRLMSIS inputs are constant or interpolated between
    months, 1 day where they change day by day (a TableActivity before its `daily_until`) or where
    the density is a given function (it may change daily)."""
    if not msis:
        return lambda t: DAILY_CAP_S
    t_smooth = smooth_from_s(activity, epoch_utc)
    return lambda t: DAILY_CAP_S if t < t_smooth else SMOOTH_CAP_S


def smooth_from_s(activity, epoch_utc: str) -> float:
    """Run time (s) from which `activity`'s NRLMSIS inputs change smoothly (10-day steps): 0 for a
    constant activity, its `daily_until` for a table with one, never (inf) for one without."""
    from physics.spaceweather import ConstantActivity
    if isinstance(activity, ConstantActivity):
        return 0.0
    until = getattr(activity, "daily_until", None)
    if until is None:
        return float("inf")
    return float((np.datetime64(until, "ms") - np.datetime64(epoch_utc.strip().rstrip("Z"), "ms")) / np.timedelta64(1, "ms")) / 1e3
