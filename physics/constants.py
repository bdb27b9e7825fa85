"""Every physical constant of the project, once. station/, scenario/, render/ and physics/ import from here.

Earth gravity sets: a set is (mu, R, J2, J3, J4) and is only meaningful as a whole: the zonal
coefficients of a field are defined for that field's own reference radius R (J_n R^n is what enters
the potential). A scenario picks one by name or gives the five numbers ([environment], docs/scenarios.md).

- EGM96 (Lemoine et al. 1998, NASA/TP-1998-206861; Vallado, Fundamentals of Astrodynamics and
  Applications, 4th ed., Table D-1): GM = 3.986004418e14 m^3/s^2, R = 6378136.3 m, unnormalised
  J2 = 1.08262668e-3, J3 = -2.53265649e-6, J4 = -1.61962159e-6.
- WGS84 normal field (NIMA TR8350.2, 3rd ed., Tables 3.1 and 3.3): GM = 3.986004418e14, a = 6378137 m,
  the ellipsoid's own even zonals from its normalised C20 = -0.484166774985e-3 and
  C40 = 0.790303733511e-6 (J_n = -C_n0 sqrt(2n+1)); J3 = 0 (a symmetric ellipsoid).

The WGS84 ellipsoid (a, f) is the shape for geodetic coordinates whatever gravity set is used.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

GM_EARTH_M3PS2 = 3.986004418e14          # EGM96 / WGS84 / EGM2008 (identical to 10 digits)
GM_SUN_M3PS2 = 1.32712440018e20          # IAU 2009 / DE421 (TDB-compatible)
GM_MOON_M3PS2 = 4.902800066e12           # DE421
AU_M = 149597870700.0                    # astronomical unit (IAU 2012 Resolution B2)
R_SUN_M = 6.957e8                        # IAU 2015 nominal solar radius
SPEED_OF_LIGHT_MPS = 299792458.0
SOLAR_PRESSURE_1AU_NPM2 = 1361.0 / SPEED_OF_LIGHT_MPS   # TSI 1361 W/m^2 (Kopp & Lean 2011) / c: 4.54e-6 N/m^2

WGS84_A_M = 6378137.0                    # WGS84 semi-major axis (NIMA TR8350.2 Table 3.1)
WGS84_F = 1.0 / 298.257223563            # WGS84 flattening
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)
WGS84_EP2 = WGS84_E2 / (1.0 - WGS84_E2)

OMEGA_EARTH_RADPS = 7.292115146706979e-5  # IERS: ERA rate, rad per UT1 second (TT rate differs by 1e-8)
SECONDS_PER_DAY = 86400.0
G0_MPS2 = 9.80665                         # standard gravity, defines Isp in seconds

EGM96_R_M = 6378136.3                     # EGM96's reference radius (not WGS84's a)


@dataclass(frozen=True)
class EarthGravity:
    """A complete gravity set: (mu, R, J2, J3, J4) belong together."""
    name: str
    mu_m3ps2: float
    r_eq_m: float
    j2: float
    j3: float
    j4: float

    def to_dict(self) -> dict:
        return {"name": self.name, "mu_m3ps2": self.mu_m3ps2, "r_eq_m": self.r_eq_m,
                "j2": self.j2, "j3": self.j3, "j4": self.j4}


EGM96 = EarthGravity("egm96", GM_EARTH_M3PS2, EGM96_R_M, 1.08262668e-3, -2.53265649e-6, -1.61962159e-6)
WGS84 = EarthGravity("wgs84", GM_EARTH_M3PS2, WGS84_A_M, 0.484166774985e-3 * math.sqrt(5.0), 0.0,
                     -0.790303733511e-6 * 3.0)
EARTH_GRAVITY = {g.name: g for g in (EGM96, WGS84)}

# the default field of every run (the J2 used by closed-form checks and the orbit-average rates too)
MU_EARTH_M3PS2 = EGM96.mu_m3ps2
R_EARTH_EQ_M = EGM96.r_eq_m
J2, J3, J4 = EGM96.j2, EGM96.j3, EGM96.j4

