"""Mean elements for the long-run propagator: from a TLE (SGP4's Brouwer mean elements) or a state.

Frame E = ITRS frozen at the run's epoch (see physics/longterm/rates.py); raan_rad is therefore the
Earth-fixed longitude of the ascending node at the epoch.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.errors import PhysicsInputError


@dataclass(frozen=True)
class MeanElements:
    a_m: float
    e: float
    i_rad: float
    raan_rad: float
    argp_rad: float
    mean_anomaly_rad: float

    def __post_init__(self):
        if not (6.4e6 < self.a_m < 5e7) or not (0.0 <= self.e < 0.02):
            raise PhysicsInputError(f"decay: initial elements: a = {self.a_m:.0f} m, e = {self.e:.4f}: "
                                    "need a low orbit, near circular (e < 0.02; theory is first order in e)")

    def as_row(self) -> np.ndarray:
        """[a, ex, ey, i, raan, lam] as used by physics.longterm.rates."""
        w = self.argp_rad
        return np.array([self.a_m, self.e * np.cos(w), self.e * np.sin(w), self.i_rad, self.raan_rad,
                         self.mean_anomaly_rad + w])


def from_tle(line1: str, line2: str, source: str = "TLE") -> tuple[MeanElements, str]:
    """SGP4 mean elements of a TLE and its epoch (UTC ISO string, ms).

    a from SGP4's un-Kozai'd (Brouwer) mean motion; node converted from TEME to Earth-fixed by the
    GMST of the epoch (the TEME -> ITRS rotation without polar motion, as SGP4 defines it).
    """
    from sgp4.api import Satrec
    from sgp4.propagation import gstime
    try:
        sat = Satrec.twoline2rv(line1.rstrip(), line2.rstrip())
    except Exception as exc:           # sgp4 raises ValueError with various messages
        raise PhysicsInputError(f"{source}: TLE: cannot be read ({exc})") from None
    if sat.error != 0:
        raise PhysicsInputError(f"{source}: TLE: SGP4 error code {sat.error}")
    jd = sat.jdsatepoch + sat.jdsatepochF
    a_m = sat.a * sat.radiusearthkm * 1e3
    raan = float(np.mod(sat.nodeo - gstime(jd), 2.0 * np.pi))
    epoch = (np.datetime64("2000-01-01T12:00:00.000") + np.timedelta64(int(round((jd - 2451545.0) * 86400e3)), "ms"))
    return MeanElements(a_m, sat.ecco, sat.inclo, raan, sat.argpo, sat.mo), str(epoch) + "Z"


def from_state_E(r_E: np.ndarray, v_E: np.ndarray) -> MeanElements:
    """Mean elements of an osculating state in frame E by averaging over one revolution (J2 Cowell).

    The time-mean of the osculating elements over one revolution equals the first-order (Brouwer)
    mean elements: the short-period terms have zero mean over the mean anomaly.
    """
    from physics.longterm.cowell import osculating, propagate
    from physics.longterm.rates import MU_M3PS2
    a0 = 1.0 / (2.0 / np.linalg.norm(r_E) - np.dot(v_E, v_E) / MU_M3PS2)
    P = 2.0 * np.pi * np.sqrt(a0 ** 3 / MU_M3PS2)
    t = np.linspace(0.0, P, 257)[:-1]
    r, v = propagate(np.asarray(r_E, float), np.asarray(v_E, float), t, rtol=1e-10)
    o = osculating(r, v)
    lam = np.unwrap(o["lam"])
    lam_rate = (lam[-1] - lam[0]) / (t[-1] - t[0])
    raan = np.unwrap(o["raan"])
    raan_rate = (raan[-1] - raan[0]) / (t[-1] - t[0])
    ex, ey = o["ex"].mean(), o["ey"].mean()
    w = np.arctan2(ey, ex)
    return MeanElements(float(o["a"].mean()), float(np.hypot(ex, ey)), float(o["i"].mean()),
                        float(np.mod((raan - raan_rate * t).mean(), 2 * np.pi)), float(w),
                        float(np.mod((lam - lam_rate * t).mean() - w, 2 * np.pi)))


def from_state_gcrs(r_gcrs: np.ndarray, v_gcrs: np.ndarray, epoch_tt_jd: float) -> MeanElements:
    """Mean elements (frame E) of a GCRS state at the run's epoch."""
    from physics.frames import itrs_from_gcrs
    R = itrs_from_gcrs(epoch_tt_jd, 0.0)
    return from_state_E(R @ np.asarray(r_gcrs, float), R @ np.asarray(v_gcrs, float))
