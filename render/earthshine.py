"""Earthshine: sunlight reflected by the Earth onto the station (pure numpy, no Panda3D).

The sunlit ground below lights a station's underside strongly (ISS photos show the nadir faces of
the modules lit, not black). Model: the ground is a Lambertian reflector of albedo A = 0.30 (Earth's
global annual mean, ~0.29 from CERES, Stephens et al. 2015, Rev. Geophys. 53, 141; 0.30 is the usual
orbit-average value in spacecraft thermal design, Gilmore, Spacecraft Thermal Control Handbook, 2002).
A ground point with unit normal n has radiance L = A S max(n.s, 0) / pi (S = solar irradiance, s = unit
vector to the Sun): zero on the night side. The irradiance on a plate of normal N at the station is

    E(N) = integral over the visible cap of L max(N.u, 0) dOmega,   dOmega = dA cos(emission) / d^2

(u = unit vector from the station to the ground point, d its distance). `earthshine` sums this on a
fixed polar grid of the cap and returns E / S for the plate that faces the lit ground's irradiance-
weighted direction, and that direction. Checks (tests/test_earthshine.py): with uniform radiance the
sum is the closed-form view factor sin^2(alpha) = (R/(R+h))^2 (0.880 at 420 km); over the night side
(Sun more than the horizon dip below the local horizontal) it is exactly zero.

The shader spreads it over the faces with ((1 + N.E)/2)^1.6: for a uniform cap seen from 420 km
(half-angle 69.8 deg) the exact tilted-plate factor E(gamma)/E(0) is 1.00, 0.94, 0.75, 0.60, 0.32,
0.10 at gamma = 0, 20, 45, 60, 90, 120 deg; the power law gives 1.00, 0.95, 0.78, 0.63, 0.33, 0.11
(numerical integration, docs/render.md).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

ALBEDO = 0.30
EARTH_RADIUS_M = 6_371_000.0      # mean radius: the albedo integral needs no ellipsoid
_N_LAT, _N_AZ = 48, 96            # cap grid: the uniform-cap sum matches sin^2(alpha) to 1e-4


def _cap_grid(alt_m: float):
    return _cap_grid_km(int(round(max(alt_m, 1e3) / 1e3)))   # 1 km steps: E changes by ~0.05 % per km


@lru_cache(maxsize=8)
def _cap_grid_km(alt_km: int):
    """Ground points of the cap visible from altitude alt_m, station on +z: (unit normals (K,3),
    unit directions from the station (K,3), solid angles (K,))."""
    r = EARTH_RADIUS_M + alt_km * 1e3
    lam0 = np.arccos(EARTH_RADIUS_M / r)                       # central angle to the horizon
    lam = (np.arange(_N_LAT) + 0.5) / _N_LAT * lam0
    phi = (np.arange(_N_AZ) + 0.5) / _N_AZ * 2 * np.pi
    L, P = np.meshgrid(lam, phi, indexing="ij")
    n = np.stack([np.sin(L) * np.cos(P), np.sin(L) * np.sin(P), np.cos(L)], -1).reshape(-1, 3)
    d = EARTH_RADIUS_M * n - np.array([0.0, 0.0, r])
    dist = np.linalg.norm(d, axis=1)
    u = d / dist[:, None]
    dA = EARTH_RADIUS_M ** 2 * np.sin(L).ravel() * (lam0 / _N_LAT) * (2 * np.pi / _N_AZ)
    d_omega = dA * np.maximum(-(u * n).sum(1), 0.0) / dist ** 2
    return n, u, d_omega


def cap_irradiance(alt_m: float, sun_local: np.ndarray | None, albedo: float = ALBEDO):
    """E / S and the unit direction of the lit ground, in the station-on-+z frame.

    sun_local: (3,) unit vector to the Sun in that frame, or None for uniform radiance albedo/pi
    (the closed-form check). Returns (E_over_S: float, direction (3,))."""
    n, u, d_omega = _cap_grid(alt_m)
    w = np.ones(len(n)) if sun_local is None else np.maximum(n @ np.asarray(sun_local, float), 0.0)
    w = albedo / np.pi * w * d_omega                            # radiance x solid angle
    vec = (w[:, None] * u).sum(0)
    if not np.any(w > 0):
        return 0.0, np.array([0.0, 0.0, -1.0])
    e_dir = vec / np.linalg.norm(vec)
    return float((w * np.maximum(u @ e_dir, 0.0)).sum()), e_dir


def earthshine(sun_dir: np.ndarray, zenith: np.ndarray, alt_m: float, albedo: float = ALBEDO):
    """Earthshine at the station in any frame: (E / S on the plate facing the lit ground, unit (3,)
    direction *towards* that ground). sun_dir, zenith: (3,) unit vectors in the same frame."""
    z = np.asarray(zenith, float) / np.linalg.norm(zenith)
    s = np.asarray(sun_dir, float) / np.linalg.norm(sun_dir)
    horiz = s - (s @ z) * z
    hn = float(np.linalg.norm(horiz))
    x = horiz / hn if hn > 1e-9 else np.cross(z, [1.0, 0.0, 0.0] if abs(z[0]) < 0.9 else [0.0, 1.0, 0.0])
    x = x / np.linalg.norm(x)
    e, d_local = cap_irradiance(alt_m, np.array([s @ x, 0.0, s @ z]))   # symmetric about the x-z plane
    return e, d_local[0] * x + d_local[2] * z
