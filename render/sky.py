"""Earth rotation and Sun direction for the renderer: physics' own (skyfield underneath), as float arrays.

``physics.frames.itrs_from_gcrs`` and ``physics.ephemeris.sun_gcrs_m`` are the one definition; this
module only fixes the renderer's call shape (epoch TT JD + seconds, numpy float64 out).
"""
from __future__ import annotations

import functools

import numpy as np

from physics.ephemeris import sun_gcrs_m as _sun_gcrs_m
from physics.frames import itrs_from_gcrs as _itrs_from_gcrs


def itrs_from_gcrs(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    """(3,3) R_itrs_from_gcrs at epoch + t_s (a copy: the scene's snapshot and the HUD's telemetry ask for
    the same time every frame, and skyfield's precession-nutation takes ~1 ms of it)."""
    return _itrs_from_gcrs_cached(float(epoch_tt_jd), float(t_s)).copy()


@functools.lru_cache(maxsize=8)
def _itrs_from_gcrs_cached(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    return np.asarray(_itrs_from_gcrs(epoch_tt_jd, t_s), float)


def sun_gcrs_m(epoch_tt_jd: float, t_s: float) -> np.ndarray:
    """(3,) geocentric Sun position, metres."""
    return np.asarray(_sun_gcrs_m(epoch_tt_jd, t_s), float)
