"""The Earth a run flies around, as run inputs (frozen): gravity set, J2 axis, atmosphere options.

Both engines read these values at run time (the kernels of physics/kernels.py take them as
arguments; the compiled engine gets them in its parameter arrays), so nothing here is baked into
compiled code and a scenario's [environment] table (scenario/environment.py, docs/scenarios.md)
changes every engine alike.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from physics.constants import EARTH_GRAVITY, EGM96, EarthGravity
from physics.errors import PhysicsInputError

POLES = ("true-of-date", "gcrs-z")
ALTITUDES = ("geodetic", "spherical")


@dataclass(frozen=True)
class ExponentialBand:
    """A one-band exponential atmosphere rho0 exp(-(h - h0) / H) (e.g. Vallado's example 8-4)."""
    rho0_kgpm3: float
    h0_km: float
    scale_height_km: float

    def __post_init__(self):
        for name in ("rho0_kgpm3", "scale_height_km"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise PhysicsInputError(f"physics: ExponentialBand.{name}: must be > 0, got {v!r}")
        if not math.isfinite(self.h0_km):
            raise PhysicsInputError(f"physics: ExponentialBand.h0_km: not finite: {self.h0_km!r}")


@dataclass(frozen=True)
class Environment:
    gravity: EarthGravity = EGM96
    pole: str = "true-of-date"            # J2-J4 axis: the true pole of date, or the GCRS z axis
    altitude: str = "geodetic"            # density altitude: WGS84 geodetic, or |r| - gravity.r_eq_m
    rotates: bool = True                  # atmosphere co-rotates with the Earth (False: still)
    exponential: ExponentialBand | None = None   # drag "exponential": None = Vallado's Table 8-4

    def __post_init__(self):
        if isinstance(self.gravity, str):
            if self.gravity not in EARTH_GRAVITY:
                raise PhysicsInputError(f"physics: Environment.gravity: unknown set {self.gravity!r} "
                                        f"(have {sorted(EARTH_GRAVITY)})")
            object.__setattr__(self, "gravity", EARTH_GRAVITY[self.gravity])
        g = self.gravity
        if not (g.mu_m3ps2 > 0 and g.r_eq_m > 0 and all(map(math.isfinite, (g.j2, g.j3, g.j4)))):
            raise PhysicsInputError(f"physics: Environment.gravity: not a usable set {g!r}")
        if self.pole not in POLES:
            raise PhysicsInputError(f"physics: Environment.pole: must be one of {POLES}, got {self.pole!r}")
        if self.altitude not in ALTITUDES:
            raise PhysicsInputError(f"physics: Environment.altitude: must be one of {ALTITUDES}, got {self.altitude!r}")

    def exponential_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(h0_km, rho0_kgpm3, scale_height_km) bands for physics.kernels.exponential_density."""
        if self.exponential is None:
            from physics.atmosphere import _VALLADO_H0_KM, _VALLADO_H_KM, _VALLADO_RHO0
            return _VALLADO_H0_KM, _VALLADO_RHO0, _VALLADO_H_KM
        e = self.exponential
        return np.array([e.h0_km]), np.array([e.rho0_kgpm3]), np.array([e.scale_height_km])

    def gravity_params(self, j2_on: bool, j34_on: bool) -> tuple[float, float, float, float, float]:
        """(mu, R, J2, J3, J4) for the kernels, zeros for the switched-off terms."""
        g = self.gravity
        return (g.mu_m3ps2, g.r_eq_m, g.j2 if j2_on else 0.0, g.j3 if j34_on else 0.0, g.j4 if j34_on else 0.0)

    def to_dict(self) -> dict:
        out = {"gravity": self.gravity.to_dict(), "pole": self.pole, "altitude": self.altitude,
               "rotates": self.rotates}
        if self.exponential is not None:
            e = self.exponential
            out["exponential"] = {"rho0_kgpm3": e.rho0_kgpm3, "h0_km": e.h0_km, "scale_height_km": e.scale_height_km}
        return out
