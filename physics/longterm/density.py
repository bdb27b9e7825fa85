"""Density models for the long-run propagator: NRLMSIS 2.1 (pymsis) and an exponential table.

Both return a `DensityFn(t_s, lat_rad, lon_rad, alt_m) -> rho_kgpm3`, vectorised over points.
(physics/atmosphere.py, owned by the environment helper, was not there when this was written; pymsis
is called directly, always with explicit f107s, f107as, aps so that it never looks for a
space-weather file or downloads one.)
"""
from __future__ import annotations

import numpy as np

from physics.errors import PhysicsInputError

# Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Table 8-4 (CIRA-72 based):
# base altitude km, nominal density kg/m^3, scale height km. This is the table the reference's
# lifetime ESTIMATE (iss_configuration.md §6.5) says it scaled; values transcribed from the book
# (UNVERIFIED against the printed page here: no copy in the reference folder).
VALLADO_TABLE = np.array([
    (0, 1.225, 7.249), (25, 3.899e-2, 6.349), (30, 1.774e-2, 6.682), (40, 3.972e-3, 7.554),
    (50, 1.057e-3, 8.382), (60, 3.206e-4, 7.714), (70, 8.770e-5, 6.549), (80, 1.905e-5, 5.799),
    (90, 3.396e-6, 5.382), (100, 5.297e-7, 5.877), (110, 9.661e-8, 7.263), (120, 2.438e-8, 9.473),
    (130, 8.484e-9, 12.636), (140, 3.845e-9, 16.149), (150, 2.070e-9, 22.523), (180, 5.464e-10, 29.740),
    (200, 2.789e-10, 37.105), (250, 7.248e-11, 45.546), (300, 2.418e-11, 53.628), (350, 9.518e-12, 53.298),
    (400, 3.725e-12, 58.515), (450, 1.585e-12, 60.828), (500, 6.967e-13, 63.822), (600, 1.454e-13, 71.835),
    (700, 3.614e-14, 88.667), (800, 1.170e-14, 124.64), (900, 5.245e-15, 181.05), (1000, 3.019e-15, 268.00),
])


def exponential_density(alt_m, scale: float = 1.0) -> np.ndarray:
    """Piecewise-exponential density (kg/m^3) at altitude alt_m (any shape), times `scale`."""
    h_km = np.asarray(alt_m, dtype=float) / 1e3
    k = np.clip(np.searchsorted(VALLADO_TABLE[:, 0], h_km, side="right") - 1, 0, len(VALLADO_TABLE) - 1)
    h0, rho0, H = VALLADO_TABLE[k].T
    return scale * rho0 * np.exp(-(h_km - h0) / H)


def exponential_model(scale: float = 1.0):
    """DensityFn using only the altitude (no time, place or solar activity)."""
    def density(t_s, lat_rad, lon_rad, alt_m):
        return exponential_density(alt_m, scale)
    return density


def msis_model(epoch_utc: str, activity):
    """DensityFn from NRLMSIS 2.1 with the indices of `activity` (physics.spaceweather model)."""
    t0 = _utc64(epoch_utc)

    def density(t_s, lat_rad, lon_rad, alt_m):
        dates = t0 + np.round(np.asarray(t_s) * 1e3).astype("timedelta64[ms]")
        return msis_density(dates, lat_rad, lon_rad, alt_m, *activity.indices(dates))
    return density


def msis_density(dates, lat_rad, lon_rad, alt_m, f107, f107a, ap) -> np.ndarray:
    """NRLMSIS 2.1 total mass density (kg/m^3) at UTC dates (datetime64), geodetic lat/lon (rad),
    alt_m, with per-point F10.7 (previous day), F10.7 81-day mean and daily Ap (all 7 Ap slots)."""
    import pymsis
    aps = np.repeat(np.asarray(ap, dtype=float)[:, None], 7, axis=1)
    out = pymsis.calculate(dates, np.degrees(lon_rad), np.degrees(lat_rad),
                           np.maximum(np.asarray(alt_m) / 1e3, 0.0), f107s=f107, f107as=f107a, aps=aps)
    return np.asarray(out)[..., 0].reshape(np.shape(alt_m))


def _utc64(epoch_utc: str) -> np.datetime64:
    """'2022-02-10T13:19:06Z' -> datetime64[ms] (one-line error on a bad string)."""
    try:
        return np.datetime64(epoch_utc.strip().rstrip("Z"), "ms")
    except ValueError:
        raise PhysicsInputError(f"decay: epoch_utc: '{epoch_utc}' is not an ISO-8601 UTC time") from None


# The reference's lifetime ESTIMATE (iss_configuration.md §6.5): the Vallado table scaled so that the
# whole ISS, B = m / (Cd A) = 170 kg/m^2, loses 45 m/day at 418 km (circular, spherical Earth,
# atmosphere not rotating), integrated from 418 km down to 150 km.
ESTIMATE_B_KGPM2, ESTIMATE_RATE_M_PER_DAY, ESTIMATE_ALT_M = 170.0, 45.0, 418e3


def reference_estimate_scale() -> float:
    """Factor on the Vallado table that gives ESTIMATE_RATE at ESTIMATE_ALT for ESTIMATE_B:
    circular decay da/dt = -rho sqrt(mu a) / B  ->  rho = rate B / sqrt(mu a)."""
    from physics.longterm.rates import MU_M3PS2, R_EQ_M
    a = R_EQ_M + ESTIMATE_ALT_M
    rho_needed = ESTIMATE_RATE_M_PER_DAY / 86400.0 * ESTIMATE_B_KGPM2 / np.sqrt(MU_M3PS2 * a)
    return float(rho_needed / exponential_density(ESTIMATE_ALT_M))


def reference_estimate_options():
    """AveragingOptions with the ESTIMATE's assumptions: spherical Earth (altitude r - R_eq), a
    non-rotating atmosphere, no J2 radius term; 4 points suffice on a circular orbit (r constant)."""
    from physics.longterm.rates import AveragingOptions
    return AveragingOptions(n_samples=4, corotating=False, geodetic=False, j2_radius=False)
