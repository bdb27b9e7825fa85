"""Sun and Moon in GCRS from JPL DE421 (bundled by skyfield-data: offline), third-body gravity,
and the Earth's shadow.

Positions are geometric (no light time or aberration: what gravity needs; for the Sun direction
the 20" aberration is irrelevant to radiation pressure and shadow at the few-metre level).
Per-step use goes through `EphemerisCache`: exact positions and velocities at nodes every
`node_s` (default 1 h, keyed by node index so results never depend on call order) and cubic
Hermite interpolation between them. Error bound dt^4/384 * |d4r/dt4|: for the Moon
(|d4r/dt4| ~ a n^2 = 2.7e-3 * (2.66e-6)^2 m/s^4) that is ~1 cm with 1 h nodes, measured in
tests/test_env_ephemeris.py.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from physics.frames import skyfield_time

from physics.constants import GM_MOON_M3PS2, GM_SUN_M3PS2, R_SUN_M, WGS84_A_M  # noqa: F401
R_EARTH_SHADOW_M = WGS84_A_M           # spherical Earth for the shadow (equatorial; see shadow docs)


@lru_cache(maxsize=1)
def _bodies():
    """(earth, sun, moon) skyfield segments from the bundled de421.bsp (never downloads)."""
    import warnings
    with warnings.catch_warnings():     # it warns that its finals2000A.all (polar motion) expired:
        warnings.simplefilter("ignore")  # we never load that file, only de421.bsp
        import skyfield_data
        path = Path(skyfield_data.get_skyfield_data_path()) / "de421.bsp"
    from skyfield.api import load_file
    eph = load_file(str(path))
    return eph["earth"], eph["sun"], eph["moon"]


def _geocentric(target: str, epoch_tt_jd: float, t_s):
    earth, sun, moon = _bodies()
    p = ((sun if target == "sun" else moon) - earth).at(skyfield_time(epoch_tt_jd, t_s))
    return p.position.m.T.copy(), p.velocity.m_per_s.T.copy()


def sun_gcrs_m(epoch_tt_jd: float, t_s) -> np.ndarray:
    """Geometric Sun position in GCRS (m): t_s scalar -> (3,); (K,) -> (K,3)."""
    return _geocentric("sun", epoch_tt_jd, t_s)[0]


def moon_gcrs_m(epoch_tt_jd: float, t_s) -> np.ndarray:
    """Geometric Moon position in GCRS (m): t_s scalar -> (3,); (K,) -> (K,3)."""
    return _geocentric("moon", epoch_tt_jd, t_s)[0]


class EphemerisCache:
    """Sun/Moon positions for per-step use: cubic Hermite between exact nodes (see module doc)."""

    def __init__(self, epoch_tt_jd: float, node_s: float = 3600.0):
        self.epoch_tt_jd, self.node_s = float(epoch_tt_jd), float(node_s)
        self._nodes: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}

    def _node(self, target: str, k: int):
        key = (target, k)
        if key not in self._nodes:
            self._nodes[key] = _geocentric(target, self.epoch_tt_jd, k * self.node_s)
        return self._nodes[key]

    def position(self, target: str, t_s: float) -> np.ndarray:
        """(3,) GCRS position (m) of 'sun' or 'moon' at epoch + t_s."""
        h = self.node_s
        k = int(np.floor(t_s / h))
        s = t_s / h - k
        (p0, v0), (p1, v1) = self._node(target, k), self._node(target, k + 1)
        h00, h10 = (1 + 2 * s) * (1 - s) ** 2, s * (1 - s) ** 2
        h01, h11 = s * s * (3 - 2 * s), s * s * (s - 1)
        return h00 * p0 + h10 * h * v0 + h01 * p1 + h11 * h * v1


def third_body_accel(r_gcrs: np.ndarray, s_gcrs: np.ndarray, gm: float) -> np.ndarray:
    """Differential (tidal) acceleration of a third body at s on points r (n,3), relative to the
    Earth's centre: gm [(s - r)/|s - r|^3 - s/|s|^3]. The two terms cancel to ~1e-4 (Sun) of each:
    in float64 that leaves a relative error ~1e-12, far below anything else here."""
    d = s_gcrs - r_gcrs
    return gm * (d / np.linalg.norm(d, axis=-1, keepdims=True) ** 3 - s_gcrs / np.linalg.norm(s_gcrs) ** 3)


def shadow_fraction(r_gcrs: np.ndarray, sun_gcrs: np.ndarray, model: str = "conical") -> np.ndarray:
    """Fraction of the solar disc visible from r (n,3): 1 sunlit, 0 umbra, in between penumbra.

    "conical" (default): Montenbruck & Gill, Satellite Orbits, 3.4.2: overlap of the Sun's and the
    (spherical, equatorial-radius) Earth's apparent discs. "cylindrical": 0 behind the Earth inside
    a cylinder of Earth radius along the Sun line, else 1 (no penumbra)."""
    r = np.atleast_2d(r_gcrs)
    d = sun_gcrs - r                                   # satellite -> Sun
    if model == "cylindrical":
        s_hat = sun_gcrs / np.linalg.norm(sun_gcrs)
        along = r @ s_hat
        perp = np.linalg.norm(r - along[:, None] * s_hat, axis=1)
        return np.where((along < 0) & (perp < R_EARTH_SHADOW_M), 0.0, 1.0)
    rn, dn = np.linalg.norm(r, axis=1), np.linalg.norm(d, axis=1)
    a = np.arcsin(np.clip(R_SUN_M / dn, -1, 1))        # apparent radius of the Sun
    b = np.arcsin(np.clip(R_EARTH_SHADOW_M / rn, -1, 1))   # apparent radius of the Earth
    c = np.arccos(np.clip(np.einsum("ij,ij->i", -r, d) / (rn * dn), -1, 1))   # separation
    nu = np.ones(len(r))
    full = c <= b - a                                  # Sun fully behind the Earth's disc
    part = (np.abs(a - b) < c) & (c < a + b)
    nu[full] = 0.0
    if np.any(part):
        ap, bp, cp = a[part], b[part], c[part]
        x = (cp * cp + ap * ap - bp * bp) / (2 * cp)
        y = np.sqrt(np.maximum(ap * ap - x * x, 0.0))
        area = (ap * ap * np.arccos(np.clip(x / ap, -1, 1)) + bp * bp * np.arccos(np.clip((cp - x) / bp, -1, 1))
                - cp * y)
        nu[part] = 1.0 - area / (np.pi * ap * ap)
    return nu


def ephemeris_of(ctx) -> EphemerisCache:
    """The run's EphemerisCache, kept in ctx.scratch."""
    eph = ctx.scratch.get("ephemeris")
    if eph is None:
        eph = ctx.scratch["ephemeris"] = EphemerisCache(ctx.epoch_tt_jd)
    return eph


def third_body_term(ctx, t_s, r_gcrs, v_gcrs, R_gcrs_from_body, omega_body, mass_kg):
    """Sun + Moon gravity (force term of docs/physics.md). Their gravity-gradient torques are
    ~1e-7 (Moon) of the Earth's and are left out."""
    eph = ephemeris_of(ctx)
    a = (third_body_accel(r_gcrs, eph.position("sun", t_s), GM_SUN_M3PS2)
         + third_body_accel(r_gcrs, eph.position("moon", t_s), GM_MOON_M3PS2))
    return mass_kg[:, None] * a, np.zeros_like(r_gcrs)


third_body_term.compiled = None    # Python engine only
