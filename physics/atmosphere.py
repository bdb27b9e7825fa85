"""Neutral mass density: NRLMSIS 2.1 (pymsis) with explicit solar/geomagnetic indices, a cached
table of it for per-step use, and Vallado's exponential model for comparisons.

pymsis is always given F10.7 (previous day), F10.7a (81-day centred mean) and Ap explicitly, so it
never looks for (or downloads) space-weather files. Its output is float32 (relative step ~1e-7).
Measured cost (benchmarks/ and docs/validation-environment.md): ~27 us per call + ~9 us per point.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from physics import kernels as K
from physics.errors import PhysicsInputError
from physics.frames import SECONDS_PER_DAY, skyfield_time
from physics.memo import SharedCache

# Vallado, Fundamentals of Astrodynamics and Applications, Table 8-4 (exponential atmosphere):
# base altitude h0 (km), nominal density rho0 (kg/m^3), scale height H (km). Below 25 km US76,
# 25-500 km CIRA-72 (mean solar activity), 500-1000 km CIRA-72 with T_inf = 1000 K.
_VALLADO_H0_KM = np.array([0, 25, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 180, 200,
                           250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000], dtype=float)
_VALLADO_RHO0 = np.array([1.225, 3.899e-2, 1.774e-2, 3.972e-3, 1.057e-3, 3.206e-4, 8.770e-5,
                          1.905e-5, 3.396e-6, 5.297e-7, 9.661e-8, 2.438e-8, 8.484e-9, 3.845e-9,
                          2.070e-9, 5.464e-10, 2.789e-10, 7.248e-11, 2.418e-11, 9.518e-12,
                          3.725e-12, 1.585e-12, 6.967e-13, 1.454e-13, 3.614e-14, 1.170e-14,
                          5.245e-15, 3.019e-15])
_VALLADO_H_KM = np.array([7.249, 6.349, 6.682, 7.554, 8.382, 7.714, 6.549, 5.799, 5.382, 5.877,
                          7.263, 9.473, 12.636, 16.149, 22.523, 29.740, 37.105, 45.546, 53.628,
                          53.298, 58.515, 60.828, 63.822, 71.835, 88.667, 124.64, 181.05, 268.00])


def exponential_density(alt_m) -> np.ndarray:
    """Vallado's piecewise exponential density (kg/m^3) at geodetic altitude alt_m (scalar or (n,)).
    Below 0 m the sea-level band is used; above 1000 km the last band continues."""
    h_km = np.asarray(alt_m, dtype=float) / 1e3
    if h_km.ndim == 1 and len(h_km) <= 4:                 # per-step path: no numpy call overhead
        from physics.kernels import exponential_density as k_exp
        return np.array([k_exp(h * 1e3, _H0_LIST, _RHO0_LIST, _H_LIST) for h in h_km.tolist()])
    i = np.clip(np.searchsorted(_VALLADO_H0_KM, h_km, side="right") - 1, 0, len(_VALLADO_H0_KM) - 1)
    return _VALLADO_RHO0[i] * np.exp(-(h_km - _VALLADO_H0_KM[i]) / _VALLADO_H_KM[i])


_H0_LIST, _RHO0_LIST, _H_LIST = _VALLADO_H0_KM.tolist(), _VALLADO_RHO0.tolist(), _VALLADO_H_KM.tolist()


def exponential_scale_height_m(alt_m) -> np.ndarray:
    """Scale height (m) of the band that contains alt_m."""
    h_km = np.asarray(alt_m, dtype=float) / 1e3
    i = np.clip(np.searchsorted(_VALLADO_H0_KM, h_km, side="right") - 1, 0, len(_VALLADO_H0_KM) - 1)
    return _VALLADO_H_KM[i] * 1e3


@lru_cache(maxsize=64)
def _epoch_utc_datetime64(epoch_tt_jd: float) -> np.datetime64:
    """UTC of the epoch at microsecond resolution (leap seconds inside a run are ignored: 1 s)."""
    return np.datetime64(skyfield_time(epoch_tt_jd, 0.0).utc_datetime().replace(tzinfo=None), "us")


def check_indices(f107: float, f107a: float, ap: float, source: str = "forces") -> None:
    """Reject indices outside what NRLMSIS was fitted to (one-line PhysicsInputError)."""
    for name, value, lo, hi in (("f107", f107, 50.0, 400.0), ("f107a", f107a, 50.0, 400.0),
                                ("ap", ap, 0.0, 400.0)):
        if not (np.isfinite(value) and lo <= value <= hi):
            raise PhysicsInputError(f"{source}: {name}: {value} is outside {lo:g}..{hi:g}")


def msis_density(epoch_tt_jd: float, t_s, lat_rad, lon_rad, alt_m,
                 f107: float, f107a: float, ap: float) -> np.ndarray:
    """NRLMSIS 2.1 total mass density (kg/m^3), fly-through over n points (t_s scalar or (n,)).

    lat/lon geodetic (rad), alt_m geodetic altitude (m). Ap is used as the daily Ap and as every
    3-hourly ap (geomagnetic_activity switch left at its daily-Ap default)."""
    lat = np.atleast_1d(np.asarray(lat_rad, dtype=float))
    n = lat.size
    dt_us = np.round(np.broadcast_to(np.asarray(t_s, dtype=float), (n,)) * 1e6).astype("int64")
    dates = _epoch_utc_datetime64(float(epoch_tt_jd)) + dt_us.astype("timedelta64[us]")
    import pymsis
    out = pymsis.calculate(dates, np.degrees(np.broadcast_to(lon_rad, (n,))), np.degrees(lat),
                           np.broadcast_to(np.asarray(alt_m, dtype=float) / 1e3, (n,)),
                           np.full(n, float(f107)), np.full(n, float(f107a)),
                           np.full((n, 7), float(ap)), version=2.1)
    return out[:, 0].astype(float)


# Blocks of every MsisTable of this process, keyed on everything a block's values depend on (epoch,
# indices, grid, time node, altitude block): a block depends only on its key, so sharing changes no
# result. Bounded (a block is 23 kB: 512 blocks ~12 MB); the prefetch thread of physics/compiled/run.py
# may add blocks concurrently (physics.memo.SharedCache locks; a block computed twice is the same block).
_SHARED_BLOCKS = SharedCache(512)


class MsisTable:
    """ln(rho) of NRLMSIS on a grid in (time node, geodetic latitude, local solar time, altitude),
    filled lazily (altitude blocks per time node) and interpolated linearly in all four.

    Why this grid: with fixed indices the density field is nearly stationary in local solar time
    (the diurnal bulge follows the Sun), so time nodes can be days apart (2-day and 1-day nodes give
    the same error to 3 digits over 4 days of ISS orbit: 3.6 % rms, 11 % max, -0.7 % mean); what
    this drops is MSIS's universal-time/longitude terms. A block is 19 x 25 x 6 = 2850 points
    (~26 ms), one or two per node. ln(rho) is
    close to linear in altitude (curvature ~1/H^2 * dH/dh), so 10 km steps cost < 0.1 %.
    Entries depend only on their key, so results never depend on the order of calls (determinism).
    """

    def __init__(self, epoch_tt_jd: float, f107: float, f107a: float, ap: float,
                 node_s: float = 2 * SECONDS_PER_DAY, dlat_deg: float = 10.0, dlst_h: float = 1.0,
                 dalt_m: float = 10e3, block_levels: int = 6):
        check_indices(f107, f107a, ap)
        self.epoch_tt_jd, self.indices = float(epoch_tt_jd), (float(f107), float(f107a), float(ap))
        self.node_s, self.dlat, self.dlst, self.dalt = node_s, dlat_deg, dlst_h, dalt_m
        self.levels = block_levels
        self.lat_deg = np.arange(-90.0, 90.0 + 0.5 * dlat_deg, dlat_deg)
        self.lst_h = np.arange(0.0, 24.0 + 0.5 * dlst_h, dlst_h)
        self._blocks: dict[tuple[int, int], np.ndarray] = {}
        ut0 = _epoch_utc_datetime64(self.epoch_tt_jd)
        self._ut0_s = float((ut0 - ut0.astype("datetime64[D]")) / np.timedelta64(1, "us")) * 1e-6
        self.points_evaluated = 0
        self._shared_key = (self.epoch_tt_jd,) + self.indices + (node_s, dlat_deg, dlst_h, dalt_m, block_levels)

    def _block(self, k: int, b: int) -> np.ndarray:
        """(n_lat, n_lst, levels) ln(rho) at time node k, altitude block b (from the process's shared
        blocks when another table with the same epoch, indices and grid computed it: an ensemble's
        members then call NRLMSIS once per process, not once per member; ~10 ms a block)."""
        key = (k, b)
        if key not in self._blocks:
            shared = _SHARED_BLOCKS.get(self._shared_key + key)
            if shared is not None:
                self._blocks[key] = shared
                return shared
            alts = (b * (self.levels - 1) + np.arange(self.levels)) * self.dalt
            ut_h = ((self._ut0_s + k * self.node_s) % SECONDS_PER_DAY) / 3600.0
            la, ls, al = np.meshgrid(self.lat_deg, self.lst_h, alts, indexing="ij")
            lon = np.radians((ls - ut_h) * 15.0)
            rho = msis_density(self.epoch_tt_jd, k * self.node_s, np.radians(la.ravel()), lon.ravel(),
                               np.maximum(al.ravel(), 0.0), *self.indices)
            self.points_evaluated += rho.size
            self._blocks[key] = _SHARED_BLOCKS.put(self._shared_key + key, np.log(rho).reshape(la.shape))
        return self._blocks[key]

    def density(self, t_s: float, lat_rad, lon_rad, alt_m) -> np.ndarray:
        """Density (kg/m^3) at one time for n points ((n,) arrays) -> (n,).
        Scalar Python per point on purpose: for the 1-2 bodies of a step it is ~5x cheaper than
        numpy's per-call overhead."""
        lat_r, lon_r = np.atleast_1d(lat_rad).tolist(), np.atleast_1d(lon_rad).tolist()
        alts = np.atleast_1d(np.asarray(alt_m, dtype=float)).tolist()
        return np.array(self.density_points(t_s, zip(lat_r, lon_r, alts)))

    def density_points(self, t_s: float, points) -> list:
        """Density (kg/m^3) at one time for an iterable of (lat_rad, lon_rad, alt_m) floats -> list:
        ln(rho) trilinear in (lat, lst, alt) in the blocks of the two time nodes around t_s (the cell
        and its weights are computed once for both), then linear in time."""
        g = (self.node_s, self.dlat, self.dlst, self.dalt, self.levels, self._ut0_s, len(self.lat_deg),
             len(self.lst_h))
        out = []
        for lat_rad, lon_rad, alt_m in points:
            k, wt, b, i, j, m, fi, fj, fl = K.msis_cell(t_s, lat_rad, lon_rad, alt_m, *g)
            ln0 = _trilinear(self._block(k, b).item, i, j, m, fi, fj, fl)
            ln1 = _trilinear(self._block(k + 1, b).item, i, j, m, fi, fj, fl)
            out.append(math.exp((1.0 - wt) * ln0 + wt * ln1))
        return out


def _trilinear(T, i, j, m, fi, fj, fl) -> float:
    """kernels.trilinear of the cell (i, j, m) of a block (T = block.item: plain floats)."""
    return K.trilinear(T(i, j, m), T(i, j, m + 1), T(i, j + 1, m), T(i, j + 1, m + 1), T(i + 1, j, m),
                       T(i + 1, j, m + 1), T(i + 1, j + 1, m), T(i + 1, j + 1, m + 1), fi, fj, fl)
