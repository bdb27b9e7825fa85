"""Aerodynamic drag force and torque in a co-rotating atmosphere.

Free-molecular LEO drag on the projected area: F = -1/2 rho Cd A(u) |v_rel| v_rel, with
v_rel = v - omega_E x r (the atmosphere turns with the Earth about the CIP; winds neglected) and
u = -v_rel / |v_rel| the direction in which the relative wind travels, in the body frame.
A(u) and the centre of pressure cop(u) come from the body's DragShape table, interpolated by inverse
squared angular distance over the 3 nearest table directions (exact at table directions, continuous
except where the set of 3 nearest changes, where the jump is bounded by the table's own variation
between neighbours). Torque about the CoM: tau_body = cop(u) x F_body.

Density: Vallado's exponential table or NRLMSIS 2.1 (ForceModel.drag = "exponential" | "msis").
For "msis" the per-run MsisTable (atmosphere.py) is used: 15 us per call for two bodies against
58 us for a direct pymsis call, with 3.6 % rms / -0.4 % mean difference along an ISS orbit
(docs/validation-environment.md); ctx.cache["msis_direct"] = True selects the direct call.
"""
from __future__ import annotations

import numpy as np

from physics.atmosphere import MsisTable, exponential_density, msis_density
from physics.frames import OMEGA_EARTH_RADPS, geodetic_from_itrs
from physics.model import DragShape

K_NEAREST = 3


def shape_lookup(shape: DragShape, u_body: np.ndarray, mode: str = "idw") -> tuple[np.ndarray, np.ndarray]:
    """Area (n,) and cop (n,3) for wind travel directions u_body (n,3) unit.
    mode "idw": inverse squared angular distance over the 3 nearest directions; "nearest": nearest."""
    cosang = np.clip(u_body @ shape.directions.T, -1.0, 1.0)          # (n, N)
    if mode == "nearest" or len(shape.area_m2) < K_NEAREST:
        j = np.argmax(cosang, axis=1)
        return shape.area_m2[j], shape.cop_m[j]
    idx = np.argpartition(-cosang, K_NEAREST - 1, axis=1)[:, :K_NEAREST]   # (n, 3)
    ang = np.arccos(np.take_along_axis(cosang, idx, axis=1))
    w = 1.0 / (ang * ang + 1e-24)                                      # 1e-24: exact hit -> its value
    w /= w.sum(axis=1, keepdims=True)
    area = np.sum(w * shape.area_m2[idx], axis=1)
    cop = np.einsum("nk,nkj->nj", w, shape.cop_m[idx])
    return area, cop


def tumbling_shape(shape: DragShape) -> DragShape:
    """Orientation-averaged shape: every direction gets the mean projected area (for a convex body
    that is surface area / 4, Cauchy) and the cop sits at the CoM (a tumbling body's aerodynamic
    torque averages out). Assumes the table directions sample the sphere uniformly."""
    n = len(shape.area_m2)
    return DragShape(cd=shape.cd, directions=shape.directions,
                     area_m2=np.full(n, float(np.mean(shape.area_m2))), cop_m=np.zeros((n, 3)))


def drag_kernel(rho: np.ndarray, v_rel_gcrs: np.ndarray, R_gcrs_from_body: np.ndarray,
                shape: DragShape, mode: str = "idw") -> tuple[np.ndarray, np.ndarray]:
    """Force (n,3) GCRS and torque (n,3) body for one shape applied to n states (pure kernel)."""
    v_body = np.einsum("nji,nj->ni", R_gcrs_from_body, v_rel_gcrs)     # R^T v
    speed = np.linalg.norm(v_rel_gcrs, axis=1)
    u_body = -v_body / speed[:, None]
    area, cop = shape_lookup(shape, u_body, mode)
    f_body = (0.5 * rho * shape.cd * area * speed)[:, None] * u_body * speed[:, None]
    f_gcrs = np.einsum("nij,nj->ni", R_gcrs_from_body, f_body)
    return f_gcrs, np.cross(cop, f_body)


def relative_wind_gcrs(omega_earth_gcrs: np.ndarray, r_gcrs: np.ndarray, v_gcrs: np.ndarray) -> np.ndarray:
    """v_rel = v - omega_E x r, (n,3)."""
    return v_gcrs - np.cross(omega_earth_gcrs, r_gcrs)


def density_at(ctx, t_s: float, r_gcrs: np.ndarray) -> np.ndarray:
    """Density (n,) for the ForceModel's atmosphere at the bodies' positions."""
    lat, lon, alt = geodetic_from_itrs(ctx.earth.to_itrs(t_s, r_gcrs))
    fm = ctx.forces
    if fm.drag == "exponential":
        return exponential_density(alt)
    if ctx.cache.get("msis_direct"):
        return msis_density(ctx.epoch_tt_jd, t_s, lat, lon, alt, fm.f107, fm.f107a, fm.ap)
    table = ctx.cache.get("msis_table")
    if table is None:
        table = ctx.cache["msis_table"] = MsisTable(ctx.epoch_tt_jd, fm.f107, fm.f107a, fm.ap)
    return table.density(t_s, lat, lon, alt)


def drag_term(ctx, t_s, r_gcrs, v_gcrs, R_gcrs_from_body, omega_body):
    """Force-term signature of docs/physics.md: (force_gcrs_n (n,3), torque_body_nm (n,3))."""
    F = np.zeros_like(r_gcrs)
    tau = np.zeros_like(r_gcrs)
    rows = [i for i, s in enumerate(ctx.drag_shapes) if s is not None]
    if not rows:
        return F, tau
    omega_e = OMEGA_EARTH_RADPS * ctx.pole_gcrs if ctx.earth is None else ctx.earth.omega_gcrs(t_s)
    rho = density_at(ctx, t_s, r_gcrs[rows])
    v_rel = relative_wind_gcrs(omega_e, r_gcrs[rows], v_gcrs[rows])
    for k, i in enumerate(rows):
        f, m = drag_kernel(rho[k:k + 1], v_rel[k:k + 1], R_gcrs_from_body[i:i + 1], ctx.drag_shapes[i])
        F[i], tau[i] = f[0], m[0]
    if not ctx.forces.aero_torque:
        tau[:] = 0.0
    return F, tau
