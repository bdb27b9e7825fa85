"""Reference frames: GCRS (inertial), ITRS (Earth-fixed), WGS84 geodetic, LVLH and Hill/RIC.

Transforms are named `R_a_from_b` and compose right to left: `r_a = R_a_from_b @ r_b`.
Exact GCRS <-> ITRS rotations come from skyfield (`itrs.rotation_at`, IAU 2000A precession-nutation,
Earth rotation angle from UT1 with skyfield's built-in Delta T; no polar-motion table is loaded, so the
ITRS here is skyfield's "ITRS without polar motion", ~10 m at the surface, well inside what drag and
ground tracks need). Everything is offline: the built-in timescale never downloads.

Fast path (`EarthRotation`): the exact skyfield rotation at nodes every `node_s` seconds (cached by node
index, so results never depend on call order) times a rotation by the Earth rotation rate about the CIP
(ITRS z) for the time since the node. Between nodes it neglects the change of precession-nutation over
at most node_s/2 (precession 50"/yr and the fastest nutation terms give < 0.01" in 30 min, i.e.
< 0.3 m at 6800 km; measured in tests/test_env_frames.py) and the LOD variation (1e-8 relative).
"""
from __future__ import annotations

import numpy as np

from physics.constants import (OMEGA_EARTH_RADPS, SECONDS_PER_DAY, WGS84_A_M, WGS84_B_M as _WGS84_B_M,  # noqa: F401
                               WGS84_E2, WGS84_EP2 as _EP2, WGS84_F)
from physics.memo import SharedCache
from physics.timebase import timescale  # noqa: F401  (one timescale; physics.orbit imports it from here)




def skyfield_time(epoch_tt_jd: float, t_s):
    """skyfield Time at epoch + t_s (scalar or (K,)); the seconds go in `fraction` to keep
    sub-microsecond resolution (a lone float JD resolves only ~40 us)."""
    return timescale().tt_jd(epoch_tt_jd, np.asarray(t_s, dtype=float) / SECONDS_PER_DAY)


def itrs_from_gcrs(epoch_tt_jd: float, t_s) -> np.ndarray:
    """Exact R_itrs_from_gcrs at epoch + t_s. t_s scalar -> (3,3); t_s (K,) -> (K,3,3)."""
    from skyfield.framelib import itrs
    R = itrs.rotation_at(skyfield_time(epoch_tt_jd, t_s))
    return np.ascontiguousarray(np.moveaxis(R, -1, 0)) if R.ndim == 3 else np.asarray(R)


def gcrs_from_itrs(epoch_tt_jd: float, t_s) -> np.ndarray:
    """R_gcrs_from_itrs = transpose of itrs_from_gcrs; same shapes."""
    return np.swapaxes(itrs_from_gcrs(epoch_tt_jd, t_s), -1, -2)


def _rot_z(angle_rad: float) -> np.ndarray:
    """R such that coordinates in a frame rotated by +angle about z are R @ r."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


# Nodes of every EarthRotation of this process, keyed on (epoch, node_s, k): a node depends only on its
# key, so runs with the same epoch (an ensemble's members) share them without changing any result
# (~0.4 ms of skyfield a node). Bounded: 4096 nodes (72 B each), first in, first out.
_SHARED_NODES = SharedCache(4096)


class EarthRotation:
    """Cheap R_itrs_from_gcrs for per-step use over a run (see module docstring for accuracy)."""

    def __init__(self, epoch_tt_jd: float, node_s: float = 3600.0):
        self.epoch_tt_jd = float(epoch_tt_jd)
        self.node_s = float(node_s)
        self._nodes: dict[int, np.ndarray] = {}

    def _node(self, k: int) -> np.ndarray:
        if k not in self._nodes:
            key = (self.epoch_tt_jd, self.node_s, k)
            node = _SHARED_NODES.get(key)
            if node is None:
                node = _SHARED_NODES.put(key, itrs_from_gcrs(self.epoch_tt_jd, k * self.node_s))
            self._nodes[k] = node
        return self._nodes[k]

    def itrs_from_gcrs(self, t_s: float) -> np.ndarray:
        """(3,3) at epoch + t_s (scalar)."""
        k = int(np.floor(t_s / self.node_s + 0.5))
        return _rot_z(OMEGA_EARTH_RADPS * (t_s - k * self.node_s)) @ self._node(k)

    def omega_gcrs(self, t_s: float) -> np.ndarray:
        """(3,) Earth's angular velocity in GCRS: rate about the CIP (ITRS z axis)."""
        return OMEGA_EARTH_RADPS * self._node(int(np.floor(t_s / self.node_s + 0.5)))[2]

    def to_itrs(self, t_s: float, r_gcrs: np.ndarray) -> np.ndarray:
        """r_gcrs (n,3) or (3,) -> r_itrs, same shape."""
        return np.asarray(r_gcrs) @ self.itrs_from_gcrs(t_s).T


def geodetic_from_itrs(r_itrs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic (lat_rad, lon_rad, alt_m) of r_itrs (3,) or (n,3) in metres.

    Bowring's method refined twice: error < 1 mm in altitude and < 1e-9 rad in latitude for
    -100..2000 km altitude (checked against skyfield's wgs84 in the tests). Up to 4 points go through
    physics.kernels.geodetic (the formula both engines run, algebraic form; ~4 us per point instead
    of ~30 us of numpy overhead per call); more points this vectorised form of the same method.
    """
    r = np.asarray(r_itrs, dtype=float)
    if r.ndim == 2 and len(r) <= 4:
        from physics.kernels import geodetic
        out = np.array([geodetic(*p) for p in r.tolist()]).reshape(len(r), 3)
        return out[:, 0], out[:, 1], out[:, 2]
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    beta = np.arctan2(z * WGS84_A_M, p * _WGS84_B_M)        # first guess of the parametric latitude
    for _ in range(_GEODETIC_ITERATIONS):
        sb, cb = np.sin(beta), np.cos(beta)
        lat = np.arctan2(z + _EP2 * _WGS84_B_M * sb * sb * sb, p - WGS84_E2 * WGS84_A_M * cb * cb * cb)
        beta = np.arctan2((1.0 - WGS84_F) * np.sin(lat), np.cos(lat))
    sl, cl = np.sin(lat), np.cos(lat)
    n = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * sl * sl)
    alt = p * cl + z * sl - WGS84_A_M * WGS84_A_M / n       # exact height for a given latitude
    return lat, np.arctan2(y, x), alt


_GEODETIC_ITERATIONS = 2


def itrs_from_geodetic(lat_rad, lon_rad, alt_m) -> np.ndarray:
    """Inverse of geodetic_from_itrs: (...,3) metres."""
    sl, cl = np.sin(lat_rad), np.cos(lat_rad)
    n = WGS84_A_M / np.sqrt(1.0 - WGS84_E2 * sl * sl)
    return np.stack([(n + alt_m) * cl * np.cos(lon_rad), (n + alt_m) * cl * np.sin(lon_rad),
                     (n * (1.0 - WGS84_E2) + alt_m) * sl], axis=-1)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def lvlh_from_gcrs(r_gcrs, v_gcrs) -> np.ndarray:
    """R_lvlh_from_gcrs, ISS convention: z to the Earth centre, y = -orbit normal, x = y x z
    (along the velocity, horizontal). (3,) -> (3,3); (n,3) -> (n,3,3); rows are the LVLH axes.
    Vectorised form of kernels.lvlh_attitude's frame (arrays of samples; the engines' per-step hold
    uses the kernel); tests/test_physics_kernels.py checks they agree."""
    r, v = np.asarray(r_gcrs, float), np.asarray(v_gcrs, float)
    z = -_unit(r)
    y = -_unit(np.cross(r, v))
    return np.stack([np.cross(y, z), y, z], axis=-2)


def ric_from_gcrs(r_gcrs, v_gcrs) -> np.ndarray:
    """R_ric_from_gcrs, Hill frame: x radial out, z orbit normal, y = z x x (along-track).
    (3,) -> (3,3); (n,3) -> (n,3,3)."""
    r, v = np.asarray(r_gcrs, float), np.asarray(v_gcrs, float)
    x = _unit(r)
    z = _unit(np.cross(r, v))
    return np.stack([x, np.cross(z, x), z], axis=-2)


def relative_state_in(R_frame_from_gcrs_fn, r_ref, v_ref, r, v):
    """Position and velocity of (r, v) relative to (r_ref, v_ref), expressed in the rotating frame
    built from the reference orbit (lvlh_from_gcrs or ric_from_gcrs): the frame's angular velocity
    omega = h / |r|^2 is removed (exact for a Keplerian reference; perturbations add a
    negligible rotation about r).
    All (3,); returns (rho (3,), rho_dot (3,))."""
    R = R_frame_from_gcrs_fn(r_ref, v_ref)
    h = np.cross(r_ref, v_ref)
    omega_gcrs = h / np.dot(r_ref, r_ref)
    dr, dv = np.asarray(r) - r_ref, np.asarray(v) - v_ref
    return R @ dr, R @ (dv - np.cross(omega_gcrs, dr))
