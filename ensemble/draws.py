"""Member i's random inputs, from (seed, i) alone: numpy SeedSequence(seed, spawn_key=(i,)), the
i-th child of SeedSequence(seed).spawn(). A member is the same whichever process computes it, in
whatever order, so an ensemble is bit-identical for any number of workers (tests/test_ensemble_dask.py).

Every member draws every variable in a fixed order (unused ones too), so switching a dispersion off
changes no other variable of any member. The density error's time series comes from its own child
stream (spawn_key (i, 1)), so its length does not shift anything else.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SPRINGS = 64            # scenario.schema PUSHERS count <= 64
SOLAR_LEVELS = 21           # the forecast band is sampled on 21 levels (-1, -0.9 .. 1): members share NRLMSIS tables


@dataclass(frozen=True)
class MemberDraw:
    index: int
    energy_factor: float          # total spring energy x this (log-normal)
    spring_factors: np.ndarray    # (MAX_SPRINGS,) each spring's force x this (mean 1)
    tilt_rad: np.ndarray          # (2,) spring line tilt about the port y, z axes
    com_error_m: dict             # {"ROS": (3,), "USOS": (3,)} SSACS: true CoM - modelled CoM
    rate_radps: np.ndarray        # (3,) residual stack rate at release, body (= SSACS) axes
    drag_z: float                 # standard normal: drag scale = fitted x exp(z * scatter_log)
    density_z0: float             # standard normal: ln density factor at the start / held factor
    solar_u: float                # position in the forecast band, -1 (low edge) .. 0 (curve) .. 1 (high edge)
    mode_u: dict                  # {"USOS": u, "ROS": u} uniform [0, 1): picks each attitude mode


def rng(seed: int, index: int, stream: int = 0) -> np.random.Generator:
    key = (int(index),) if stream == 0 else (int(index), int(stream))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed), spawn_key=key)))


def member_draw(spec: dict, seed: int, index: int) -> MemberDraw:
    """spec: the parsed [ensemble] table (ensemble/schema.py)."""
    g = rng(seed, index)
    e, s, t, c_ros, c_usos, w, z_drag, z_rho, u_sol, u_modes = (
        g.standard_normal(), g.standard_normal(MAX_SPRINGS), g.standard_normal(2), g.standard_normal(3),
        g.standard_normal(3), g.standard_normal(3), g.standard_normal(), g.standard_normal(), g.random(),
        g.random(2))
    com_sigma = np.asarray(spec["com_sigma_m"], float)
    tilt = np.radians(np.asarray(spec["misalignment_bias_deg"], float) + spec["misalignment_sigma_deg"] * t)
    u = np.round((2.0 * u_sol - 1.0) * (SOLAR_LEVELS - 1) / 2) / ((SOLAR_LEVELS - 1) / 2)
    return MemberDraw(
        index=int(index),
        energy_factor=float(np.exp(spec["pusher_energy_sigma_pct"] / 100.0 * e)),
        spring_factors=np.maximum(1.0 + spec["spring_sigma_pct"] / 100.0 * s, 0.05),
        tilt_rad=tilt,
        com_error_m={"ROS": com_sigma * c_ros, "USOS": com_sigma * c_usos},
        rate_radps=np.radians(spec["rate_sigma_degps"] * w),
        drag_z=float(z_drag), density_z0=float(z_rho), solar_u=float(u),
        mode_u={"USOS": float(u_modes[0]), "ROS": float(u_modes[1])})


def nominal_draw() -> MemberDraw:
    """No dispersion: the scenario's own inputs (index -1; the ensemble's nominal run)."""
    return MemberDraw(index=-1, energy_factor=1.0, spring_factors=np.ones(MAX_SPRINGS), tilt_rad=np.zeros(2),
                      com_error_m={"ROS": np.zeros(3), "USOS": np.zeros(3)}, rate_radps=np.zeros(3),
                      drag_z=0.0, density_z0=0.0, solar_u=0.0, mode_u={"USOS": 0.0, "ROS": 0.0})


def pick_mode(probabilities: dict, u: float) -> str:
    """The mode whose cumulative-probability slot holds u (probabilities in the schema's order)."""
    acc = 0.0
    for mode, p in probabilities.items():
        acc += p
        if u < acc:
            return mode
    return next(m for m, p in reversed(probabilities.items()) if p > 0)


def density_log_series(spec: dict, seed: int, index: int, z0: float, n: int, dt_days: float) -> np.ndarray:
    """ln density factor at n nodes dt_days apart: sigma * x_k, x a unit first-order Gauss-Markov
    process (x_0 = z0, x_k+1 = phi x_k + sqrt(1 - phi^2) w_k, phi = exp(-dt / tau)); tau = 0: x_k = z0."""
    sigma, tau = spec["density_sigma_pct"] / 100.0, spec["density_correlation_days"]
    x = np.full(n, z0)
    if tau > 0 and n > 1:
        phi = np.exp(-dt_days / tau)
        w = rng(seed, index, 1).standard_normal(n - 1)
        for k in range(1, n):
            x[k] = phi * x[k - 1] + np.sqrt(1.0 - phi * phi) * w[k - 1]
    return sigma * x
