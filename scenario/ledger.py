"""Momentum ledger across the release: what the springs change and what they cannot.

The pushers are internal forces: they change each body's momentum by equal and opposite amounts.
Over the window [t0, t1] around the push the total linear momentum changes only by the external
impulse, and the angular momentum about the system CoM only by the external torque:
    P(t1) - P(t0) = int sum_i m_i g(r_i) dt
    H_c(t1) - H_c(t0) = int sum_i [(r_i - r_c) x m_i g(r_i) + R_i tau_gg,i] dt
with H_c = sum_i [m_i (r_i - r_c) x (v_i - v_c) + R_i I_i omega_i] (GCRS axes). Gravity
(central + J2 as switched on) is integrated with the composite trapezoid rule over 40 sub-steps
(error ~ (n dt)^2 / 12 / 40^2 of the gravity impulse, < 1e-9 of it for a few-second window).
Drag and aerodynamic torque are left out: over seconds they are ~1e-6 of the gravity impulse.
"""
from __future__ import annotations

import numpy as np

from physics.gravity import accel_rows, gg_torque_rows
from physics.rotation import dcm_from_quat


def momenta(r, v, q, omega, mass, inertia):
    """(P (3,), H about the system CoM (3,)) from per-body arrays r, v, omega (n,3), q (n,4)."""
    m = np.asarray(mass, float)
    rc = m @ r / m.sum()
    vc = m @ v / m.sum()
    R = dcm_from_quat(q)
    spin = np.einsum("nij,njk,nk->ni", R, inertia, omega)
    H = np.sum(m[:, None] * np.cross(r - rc, v - vc), axis=0) + spin.sum(axis=0)
    return m @ v, H


def external(r, q, mass, inertia, forces: dict, pole_gcrs):
    """(external force (3,), external torque about the system CoM (3,)) at one instant."""
    m = np.asarray(mass, float)
    env = _environment(forces)
    g = accel_rows(r, pole_gcrs, env, central=forces.get("central", True), j2=forces.get("j2", False))
    rc = m @ r / m.sum()
    F = m[:, None] * g
    torque = np.sum(np.cross(r - rc, F), axis=0)
    if forces.get("gravity_gradient", False):
        R = dcm_from_quat(q)
        torque += np.einsum("nij,nj->i", R, gg_torque_rows(r, R, inertia, env))
    return F.sum(axis=0), torque


def _environment(forces: dict):
    """The run's Environment from its metadata (the default one for runs recorded before it was stored)."""
    from physics.constants import EarthGravity
    from physics.environment import Environment
    g = (forces.get("environment") or {}).get("gravity")
    return Environment() if g is None else Environment(gravity=EarthGravity(**g))


def ledger(traj, t0: float, t1: float, mass, inertia, forces: dict, pole_gcrs, steps: int = 40) -> dict:
    """Momentum before (t0) and after (t1) and the external impulse between; all GCRS axes, SI."""
    inertia = np.asarray(inertia, float)
    r0, v0, q0, w0 = traj.state_at(t0)
    r1, v1, q1, w1 = traj.state_at(t1)
    P0, H0 = momenta(r0, v0, q0, w0, mass, inertia)
    P1, H1 = momenta(r1, v1, q1, w1, mass, inertia)
    ts = np.linspace(t0, t1, steps + 1)
    samples = [external(*_rq(traj, t), mass, inertia, forces, pole_gcrs) for t in ts]
    weights = np.full(len(ts), (t1 - t0) / steps)
    weights[[0, -1]] *= 0.5
    J = sum(w * s[0] for w, s in zip(weights, samples))
    L = sum(w * s[1] for w, s in zip(weights, samples))
    return {"t0_s": t0, "t1_s": t1, "P0": P0, "P1": P1, "impulse": J, "P_residual": P1 - P0 - J,
            "H0": H0, "H1": H1, "angular_impulse": L, "H_residual": H1 - H0 - L}


def _rq(traj, t):
    r, _, q, _ = traj.state_at(t)
    return r, q
