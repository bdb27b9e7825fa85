"""Attitude modes for the long run: how a body meets the wind, as a drag area per point of the orbit.

Three modes (docs/decay.md, "Attitude after the split"):
* ``flight``: torque-equilibrium attitude ~ +XVV held by the body's own means (US segment: its CMGs;
  Russian segment: its thrusters), with the solar arrays tracking the Sun. The SARJs turn the array
  wings once per orbit so their normal follows the Sun's direction in the orbit plane; the BGAs tilt
  them by the beta angle. The along-wind area therefore varies around the orbit: a table of the
  mesh's projected area along +X against the SARJ angle (`SunTrackingArea`, built by the scenario
  from the station model), with the beta tilt applied as cos(beta) on the part of the area that the
  SARJ turns (ESTIMATE: a flat-wing approximation of the BGA motion).
* ``edge-on``: +XVV with the arrays feathered edge-on to the wind (SARJ at its reference pose 0 deg):
  a constant area (no power from the arrays: a bound, not an operating mode for months).
* ``tumbling``: failure case, attitude control lost: the orientation-averaged area (constant).

The Sun's argument of latitude on each orbit comes from the JPL ephemeris (physics.ephemeris) at
daily nodes, linearly interpolated (the Sun moves ~1 deg/day: error < 1e-4 rad).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from physics.errors import PhysicsInputError

MODES = ("flight", "edge-on", "tumbling")
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402


@dataclass(frozen=True)
class SunTrackingArea:
    """Projected area along the wind (+X body, +XVV) against the SARJ angle (deg, 0..360 periodic)."""
    sarj_deg: np.ndarray       # (K,) increasing, within [0, 360)
    area_m2: np.ndarray        # (K,)

    def __post_init__(self):
        d, a = np.asarray(self.sarj_deg, float), np.asarray(self.area_m2, float)
        if d.ndim != 1 or d.shape != a.shape or d.size < 4 or np.any(np.diff(d) <= 0) or d[0] < 0 or d[-1] >= 360:
            raise PhysicsInputError("decay: SunTrackingArea: need >= 4 increasing SARJ angles in [0, 360) "
                                    "and one area per angle")

    def at(self, sarj_deg) -> np.ndarray:
        """Area (m^2) at SARJ angles (any shape), periodic linear interpolation."""
        x = np.mod(np.asarray(sarj_deg, float), 360.0)
        return np.interp(x, self.sarj_deg, self.area_m2, period=360.0)

    def edge_on_m2(self) -> float:
        return float(self.at(0.0))

    def along_orbit(self, phi_rad, cos_beta) -> np.ndarray:
        """Area where the Sun is phi = u_sun - u ahead in the orbit plane, at |cos beta|.

        The array normal follows the in-plane Sun direction: in +XVV body axes (x along-track,
        z nadir) the Sun is at (sin phi, 0, -cos phi) and a wing at SARJ angle theta about +Y has
        its normal at (sin theta, 0, cos theta): theta = -phi (the other face: theta = pi - phi,
        the same silhouette). The BGA tilt by beta scales the SARJ-turned part by |cos beta|."""
        edge = self.edge_on_m2()
        return edge + (self.at(-np.degrees(phi_rad)) - edge) * np.abs(cos_beta)

    def orbit_mean_m2(self, beta_rad: float = 0.0) -> float:
        phi = np.linspace(0.0, 2.0 * np.pi, 360, endpoint=False)
        return float(self.along_orbit(phi, np.cos(beta_rad)).mean())


@dataclass
class SunInFrameE:
    """Unit Sun vector in the long run's frame E (ITRS frozen at the epoch) at run times t_s."""
    epoch_utc: str
    _t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _s: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))

    def at(self, t_s: float) -> np.ndarray:
        k = int(np.floor(t_s / DAY_S))
        if self._t.size == 0 or not (self._t[0] <= k * DAY_S and (k + 1) * DAY_S <= self._t[-1]):
            self._fill(k)
        return _unit(np.array([np.interp(t_s, self._t, self._s[:, i]) for i in range(3)]))

    def _fill(self, k: int) -> None:
        """Daily nodes for 400 days from day k - 1 (one vectorised ephemeris call)."""
        from physics.ephemeris import sun_gcrs_m
        from physics.frames import itrs_from_gcrs
        from physics.timebase import Epoch
        tt = Epoch.from_utc(self.epoch_utc).tt_jd
        t = (np.arange(400) + k - 1) * DAY_S
        s = np.atleast_2d(sun_gcrs_m(tt, t))
        self._t, self._s = t, s @ itrs_from_gcrs(tt, 0.0).T


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def sun_angles(X: np.ndarray, u: np.ndarray, sun_E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """phi = u_sun - u (n,N) and cos(beta) (n,1) of orbits X (n,6) at arguments of latitude u (n,N);
    sun_E (3,) the unit Sun vector, or (n,3) one per orbit (bodies at different times)."""
    inc, raan = X[:, 3, None], X[:, 4, None]
    co, so, ci, si = np.cos(raan), np.sin(raan), np.cos(inc), np.sin(inc)
    P = np.concatenate([co, so, 0.0 * co], axis=1)
    Q = np.concatenate([-so * ci, co * ci, si], axis=1)
    W = np.concatenate([so * si, -co * si, ci], axis=1)
    s = np.asarray(sun_E, dtype=float)                      # (3,), or (n,3): one Sun per orbit
    u_sun = np.arctan2((Q * s).sum(axis=-1), (P * s).sum(axis=-1))[:, None]
    sin_beta = np.clip((W * s).sum(axis=-1), -1.0, 1.0)[:, None]
    return u_sun - u, np.sqrt(1.0 - sin_beta ** 2)


def inverse_ballistic(const: np.ndarray, idx, sun, tracking, cd_eff, mass):
    """Cd A / m of bodies idx: `const` (their (n,) constants), or, when a body tracks the Sun with its
    arrays (its area then varies around the orbit), a function (t, X, u) -> (n, samples) of the sample
    points. sun: SunInFrameE or None; tracking[j]: SunTrackingArea or None; cd_eff, mass: per body.
    The one home of the varying area, for the long-run propagator and its batch (physics/longterm/batch.py)."""
    if sun is None or all(tracking[j] is None for j in idx):
        return const

    groups = {}                              # rows of bodies that share one area table: one call each
    for row, j in enumerate(idx):
        if tracking[j] is not None:
            groups.setdefault(id(tracking[j]), (tracking[j], []))[1].append(row)
    groups = [(table, np.array(rows), np.asarray(idx)[rows]) for table, rows in groups.values()]

    def per_sample(t, X, u):
        out = np.repeat(const[:, None], u.shape[1], axis=1)
        phi, cos_beta = sun_angles(X, u, sun.at(t))
        for table, rows, js in groups:
            out[rows] = cd_eff[js, None] * table.along_orbit(phi[rows], cos_beta[rows]) / mass[js, None]
        return out
    return per_sample
