"""Earth rotation and Sun direction for the renderer.

The real functions live in physics/ (``physics.frames.itrs_from_gcrs``, ``physics.ephemeris.sun_gcrs_m``,
skyfield underneath). While physics/ is being built this module falls back to closed-form low-precision
formulas, good to ~0.3 deg (Earth rotation angle without precession-nutation) and ~0.01 deg (Sun,
Astronomical Almanac low-precision series): invisible at the scale of a rendered globe. The fallback is
used only when the physics functions cannot be imported.
"""
from __future__ import annotations

import functools
import math

import numpy as np

try:  # the contract functions (docs/design.md)
    from physics.frames import itrs_from_gcrs as _itrs_from_gcrs
except ImportError:  # pragma: no cover - depends on what has landed
    _itrs_from_gcrs = None
try:
    from physics.ephemeris import sun_gcrs_m as _sun_gcrs_m
except ImportError:  # pragma: no cover
    _sun_gcrs_m = None

TT_MINUS_UTC_S = 69.184  # 2017-2026: 37 leap seconds + 32.184 s; UT1 ~ UTC within 0.1 s
AU_M = 149_597_870_700.0


def _rot_z(angle_rad: float) -> np.ndarray:
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])  # frame rotation by +angle


def itrs_from_gcrs(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    """(3,3) R_itrs_from_gcrs at epoch + t_s (a copy: the scene's snapshot and the HUD's telemetry ask for
    the same time every frame, and skyfield's precession-nutation takes ~1 ms of it)."""
    return _itrs_from_gcrs_cached(float(epoch_tt_jd), float(t_s)).copy()


@functools.lru_cache(maxsize=8)
def _itrs_from_gcrs_cached(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    if _itrs_from_gcrs is not None:
        return np.asarray(_itrs_from_gcrs(epoch_tt_jd, t_s), float)
    jd_ut1 = epoch_tt_jd + (t_s - TT_MINUS_UTC_S) / 86400.0
    era = 2 * math.pi * ((0.7790572732640 + 1.00273781191135448 * (jd_ut1 - 2451545.0)) % 1.0)
    return _rot_z(era)


def sun_gcrs_m(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    """(3,) geocentric Sun position, metres."""
    if _sun_gcrs_m is not None:
        return np.asarray(_sun_gcrs_m(epoch_tt_jd, t_s), float)
    n = epoch_tt_jd + t_s / 86400.0 - 2451545.0
    g = math.radians((357.528 + 0.9856003 * n) % 360)
    lam = math.radians((280.460 + 0.9856474 * n) % 360 + 1.915 * math.sin(g) + 0.020 * math.sin(2 * g))
    eps = math.radians(23.439 - 0.0000004 * n)
    dist = AU_M * (1.00014 - 0.01671 * math.cos(g) - 0.00014 * math.cos(2 * g))
    return dist * np.array([math.cos(lam), math.cos(eps) * math.sin(lam), math.sin(eps) * math.sin(lam)])
