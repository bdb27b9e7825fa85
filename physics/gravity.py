"""Earth gravity on the bodies of a run: point mass, zonal harmonics J2, J3, J4 about the run's pole,
and the gravity-gradient torque. The formulas live once in physics/kernels.py (gravity_accel,
gravity_gradient_torque); the constants are the run's environment (physics/environment.py: by
default EGM96 with its own radius 6378136.3 m, physics/constants.py).

The pole: ctx.pole_gcrs, the true pole of date (ITRS z in GCRS at the epoch; the precession-nutation
offset from GCRS z is ~0.3 deg in 2022) or GCRS z (Environment.pole = "gcrs-z", as in textbooks).
"""
from __future__ import annotations

import numpy as np

from physics import kernels as K


def accel_rows(r_gcrs_m: np.ndarray, pole_gcrs, env, central: bool = True, j2: bool = True,
               j34: bool = False) -> np.ndarray:
    """Gravity acceleration (n,3) at the positions r (n,3): the kernel row by row (bulk
    post-processing, e.g. scenario/ledger.py)."""
    mu, re, c2, c3, c4 = env.gravity_params(j2, j34)
    kx, ky, kz = (float(c) for c in pole_gcrs)
    c = 1 if central else 0
    return np.array([K.gravity_accel(x, y, z, kx, ky, kz, mu, re, c2, c3, c4, c)
                     for x, y, z in np.asarray(r_gcrs_m, float).reshape(-1, 3).tolist()]).reshape(-1, 3)


def gg_torque_rows(r_gcrs_m: np.ndarray, R_gcrs_from_body: np.ndarray, inertia_kgm2: np.ndarray, env) -> np.ndarray:
    """Gravity-gradient torque (n,3), body axes, row by row (kernels.gravity_gradient_torque)."""
    mu = env.gravity.mu_m3ps2
    return np.array([K.gravity_gradient_torque(x, y, z, R, I, mu) for (x, y, z), R, I in
                     zip(np.asarray(r_gcrs_m, float).tolist(), np.asarray(R_gcrs_from_body, float).tolist(),
                         np.asarray(inertia_kgm2, float).tolist())]).reshape(-1, 3)


def make_gravity_term(forces):
    """The force term of the switched-on gravity parts (central, zonal, gravity gradient) of
    `forces` (a ForceModel), reading the constants of forces.environment: per body, kernels.gravity_accel
    times the current mass, and kernels.gravity_gradient_torque with the inertia scaled by the
    current mass. Compiled form: "gravity" (physics/compiled/forces.py gravity_body)."""
    mu, re, c2, c3, c4 = forces.environment.gravity_params(forces.j2, forces.j3_j4)
    central = 1 if forces.central else 0
    gg = forces.gravity_gradient
    accel, torque = K.gravity_accel, K.gravity_gradient_torque

    def gravity_term(ctx, t_s, r, v, R, omega, mass):
        kx, ky, kz = ctx.pole_list
        m = mass.tolist()
        F = []
        for i, (x, y, z) in enumerate(r.tolist()):
            ax, ay, az = accel(x, y, z, kx, ky, kz, mu, re, c2, c3, c4, central)
            F.append((ax * m[i], ay * m[i], az * m[i]))
        if not gg:
            return np.array(F, dtype=np.float64).reshape(-1, 3), np.zeros((len(F), 3))
        R_l, I_l = R.tolist(), ctx.inertia_at(mass)
        tau = [torque(x, y, z, R_l[i], I_l[i], mu) for i, (x, y, z) in enumerate(r.tolist())]
        return np.array(F, dtype=np.float64).reshape(-1, 3), np.array(tau, dtype=np.float64).reshape(-1, 3)
    gravity_term.compiled = "gravity"
    return gravity_term
