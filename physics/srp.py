"""Solar radiation pressure, cannonball model, with the Earth's conical shadow.

F = nu * P_1AU * (1 AU / d)^2 * Cr * A * d_hat, where d_hat points from the Sun to the body, d is the
Sun distance, nu the visible fraction of the solar disc (ephemeris.shadow_fraction, conical) and
P_1AU = 1361 W/m^2 / c (total solar irradiance, Kopp & Lean 2011). No torque (cannonball: the centre
of pressure is taken at the CoM).
"""
from __future__ import annotations

import numpy as np

from physics.constants import AU_M, SOLAR_PRESSURE_1AU_NPM2
from physics.ephemeris import ephemeris_of, shadow_fraction


def srp_force(r_gcrs: np.ndarray, sun_gcrs: np.ndarray, area_m2: np.ndarray, cr: np.ndarray,
              shadow: str = "conical") -> np.ndarray:
    """Force (n,3) N in GCRS on n cannonballs at r (n,3) with the Sun at sun_gcrs (3,)."""
    d = r_gcrs - sun_gcrs                               # Sun -> body
    dist = np.linalg.norm(d, axis=1)
    nu = shadow_fraction(r_gcrs, sun_gcrs, shadow)
    mag = nu * SOLAR_PRESSURE_1AU_NPM2 * (AU_M / dist) ** 2 * cr * area_m2
    return mag[:, None] * d / dist[:, None]


def srp_term(ctx, t_s, r_gcrs, v_gcrs, R_gcrs_from_body, omega_body, mass_kg):
    """Force term of docs/physics.md; bodies with srp_area_m2 == 0 feel nothing."""
    if not np.any(ctx.srp_area_m2 > 0):
        return np.zeros_like(r_gcrs), np.zeros_like(r_gcrs)
    sun = ephemeris_of(ctx).position("sun", t_s)
    return srp_force(r_gcrs, sun, ctx.srp_area_m2, ctx.cr), np.zeros_like(r_gcrs)


srp_term.compiled = None    # Python engine only
