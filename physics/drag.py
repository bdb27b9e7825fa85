"""Aerodynamic drag force and torque in a co-rotating atmosphere.

Free-molecular LEO drag on the projected area: F = -1/2 rho Cd A(u) |v_rel| v_rel, with
v_rel = v - omega_E x r (the atmosphere turns with the Earth about the CIP; winds neglected) and
u = -v_rel / |v_rel| the direction in which the relative wind travels, in the body frame.
A(u) and the centre of pressure cop(u) come from the body's DragShape table, interpolated by inverse
squared angular distance over the 3 nearest table directions (exact at table directions, continuous
except where the set of 3 nearest changes, where the jump is bounded by the table's own variation
between neighbours; measured ~1 % for a flat plate with a 2000-direction table). Torque about the CoM: tau_body = cop(u) x F_body.

Density: Vallado's exponential table or NRLMSIS 2.1 (ForceModel.drag = "exponential" | "msis").
For "msis" the per-run MsisTable (atmosphere.py) is used: 15 us per call for two bodies against
58 us for a direct pymsis call, with 3.6 % rms / -0.4 % mean difference along an ISS orbit
(docs/validation-environment.md); ctx.cache["msis_direct"] = True selects the direct call.
"""
from __future__ import annotations

import math

import numpy as np

from physics.atmosphere import MsisTable, exponential_density, msis_density
from physics.frames import OMEGA_EARTH_RADPS, geodetic_from_itrs
from physics.model import DragShape

K_NEAREST = 3


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise a x b for (n,3) arrays; np.cross costs ~40 us per call on small arrays, this ~5 us."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


_NEIGHBOURS: dict[int, tuple[DragShape, np.ndarray]] = {}   # id(shape) -> (shape kept alive, (N,k))
N_CANDIDATES = 12


def _neighbours(shape: DragShape) -> np.ndarray:
    """(N, k) indices of the k table directions nearest to each table direction (itself first)."""
    hit = _NEIGHBOURS.get(id(shape))
    if hit is None or hit[0] is not shape:
        k = min(N_CANDIDATES, len(shape.area_m2))
        d = shape.directions
        nb = np.concatenate([np.argsort(-(d[i:i + 512] @ d.T), axis=1, kind="stable")[:, :k]
                             for i in range(0, len(d), 512)])     # chunks: memory O(512 N)
        hit = _NEIGHBOURS[id(shape)] = (shape, nb)
    return hit[1]


def _lookup_one(shape: DragShape, u: np.ndarray) -> tuple[float, np.ndarray]:
    """Area and cop for one unit wind direction u (3,) in the body frame: inverse squared angular
    distance weights over the 3 nearest table directions, searched among the 12 table neighbours of
    the nearest one (exact for a quasi-uniform table, and always the same answer for the same u)."""
    cosang = shape.directions @ u
    j = int(np.argmax(cosang))
    if len(cosang) < K_NEAREST:
        return float(shape.area_m2[j]), shape.cop_m[j]
    cand = _neighbours(shape)[j]
    best = sorted(zip(cosang[cand].tolist(), cand.tolist()), reverse=True)[:K_NEAREST]
    w = [1.0 / (math.acos(max(-1.0, min(1.0, c))) ** 2 + 1e-24) for c, _ in best]   # 1e-24: exact hit
    wsum = sum(w)
    area = sum(wi * float(shape.area_m2[i]) for wi, (_, i) in zip(w, best)) / wsum
    cop = sum(wi * shape.cop_m[i] for wi, (_, i) in zip(w, best)) / wsum
    return area, cop


def shape_lookup(shape: DragShape, u_body: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Area (n,) and cop (n,3) for wind travel directions u_body (n,3) unit."""
    out = [_lookup_one(shape, u) for u in np.atleast_2d(u_body)]
    return np.array([a for a, _ in out]), np.array([c for _, c in out])


def tumbling_shape(shape: DragShape) -> DragShape:
    """Orientation-averaged shape: every direction gets the mean projected area (for a convex body
    that is surface area / 4, Cauchy) and the cop sits at the CoM (a tumbling body's aerodynamic
    torque averages out). Assumes the table directions sample the sphere uniformly."""
    n = len(shape.area_m2)
    return DragShape(cd=shape.cd, directions=shape.directions,
                     area_m2=np.full(n, float(np.mean(shape.area_m2))), cop_m=np.zeros((n, 3)))


def drag_kernel(rho: np.ndarray, v_rel_gcrs: np.ndarray, R_gcrs_from_body: np.ndarray,
                shape: DragShape) -> tuple[np.ndarray, np.ndarray]:
    """Force (n,3) GCRS and torque (n,3) body for one shape applied to n states (pure kernel)."""
    out = [_drag_one(float(rho[k]), v_rel_gcrs[k], R_gcrs_from_body[k], shape) for k in range(len(rho))]
    return np.array([f for f, _ in out]), np.array([t for _, t in out])


def relative_wind_gcrs(omega_earth_gcrs: np.ndarray, r_gcrs: np.ndarray, v_gcrs: np.ndarray) -> np.ndarray:
    """v_rel = v - omega_E x r, (n,3)."""
    return v_gcrs - _cross(omega_earth_gcrs, r_gcrs)


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


def _drag_one(rho: float, v_rel: np.ndarray, R_gcrs_from_body: np.ndarray, shape: DragShape):
    """Force (3,) GCRS and torque (3,) body of one body (scalar arithmetic where numpy overhead
    would dominate)."""
    v_body = R_gcrs_from_body.T @ v_rel
    speed = math.sqrt(float(v_body @ v_body))
    u = -v_body / speed
    area, cop = _lookup_one(shape, u)
    f_body = (0.5 * rho * shape.cd * area * speed * speed) * u
    cx, cy, cz = cop.tolist()
    fx, fy, fz = f_body.tolist()
    return R_gcrs_from_body @ f_body, np.array([cy * fz - cz * fy, cz * fx - cx * fz, cx * fy - cy * fx])


def drag_term(ctx, t_s, r_gcrs, v_gcrs, R_gcrs_from_body, omega_body):
    """Force-term signature of docs/physics.md: (force_gcrs_n (n,3), torque_body_nm (n,3))."""
    F = np.zeros_like(r_gcrs)
    tau = np.zeros_like(r_gcrs)
    rows = [i for i, s in enumerate(ctx.drag_shapes) if s is not None]
    if not rows:
        return F, tau
    omega_e = OMEGA_EARTH_RADPS * ctx.pole_gcrs if ctx.earth is None else ctx.earth.omega_gcrs(t_s)
    rho = density_at(ctx, t_s, r_gcrs[rows])
    wx, wy, wz = omega_e.tolist()
    for k, i in enumerate(rows):
        (x, y, z), (vx, vy, vz) = r_gcrs[i].tolist(), v_gcrs[i].tolist()
        v_rel = np.array([vx - (wy * z - wz * y), vy - (wz * x - wx * z), vz - (wx * y - wy * x)])
        F[i], tau[i] = _drag_one(float(rho[k]), v_rel, R_gcrs_from_body[i], ctx.drag_shapes[i])
    if not ctx.forces.aero_torque:
        tau[:] = 0.0
    return F, tau
