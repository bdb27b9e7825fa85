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
(docs/validation-environment.md); ctx.scratch["msis_direct"] = True selects the direct call.
"""
from __future__ import annotations

import math

import numpy as np

from physics import kernels as K
from physics.atmosphere import MsisTable, msis_density
from physics.model import DragShape

K_NEAREST = 3


_TABLES: dict[int, tuple] = {}     # id(shape) -> (shape kept alive, area list, cop rows as lists)


def _table(shape: DragShape) -> tuple:
    """Python lists of a shape's areas and cops (scalar arithmetic on them beats numpy's per-call
    overhead for the 3 entries a lookup uses)."""
    hit = _TABLES.get(id(shape))
    if hit is None or hit[0] is not shape:
        hit = _TABLES[id(shape)] = (shape, shape.area_m2.tolist(), shape.cop_m.tolist())
    return hit


def _nearest3(cosang: np.ndarray) -> list:
    """Indices of the 3 largest cosines (the 3 nearest directions). Small tables: a Python sort
    (stable: ties go to the lower index); larger: argpartition then the same order rule."""
    n = cosang.size
    if n <= 16:
        c = cosang.tolist()
        return sorted(range(n), key=lambda i: (-c[i], i))[:K_NEAREST]
    idx = np.argpartition(-cosang, K_NEAREST - 1)[:K_NEAREST].tolist()
    c = cosang[idx].tolist()
    return [i for _, i in sorted(zip([-x for x in c], idx))]


def _lookup_lists(shape: DragShape, u) -> tuple[float, list]:
    """Area (float) and cop ([3] list) for one unit wind direction u (3,) in the body frame: inverse
    squared angular distance weights over the 3 nearest table directions (brute force over the whole
    table: one matmul; tests/test_env_drag.py checks it against an independent IDW)."""
    cosang = shape.directions @ u
    _, area_l, cop_l = _table(shape)
    if cosang.size < K_NEAREST:
        j = int(np.argmax(cosang))
        return area_l[j], cop_l[j]
    idx = _nearest3(cosang)
    c = cosang[idx].tolist()
    w = [1.0 / (math.acos(max(-1.0, min(1.0, x))) ** 2 + 1e-24) for x in c]   # 1e-24: exact hit
    wsum = w[0] + w[1] + w[2]
    area = (w[0] * area_l[idx[0]] + w[1] * area_l[idx[1]] + w[2] * area_l[idx[2]]) / wsum
    p, q, r = cop_l[idx[0]], cop_l[idx[1]], cop_l[idx[2]]
    cop = [(w[0] * p[k] + w[1] * q[k] + w[2] * r[k]) / wsum for k in range(3)]
    return area, cop


def _lookup_one(shape: DragShape, u: np.ndarray) -> tuple[float, np.ndarray]:
    """Area and cop (3,) for one unit wind direction u (3,) in the body frame."""
    area, cop = _lookup_lists(shape, u)
    return area, np.array(cop)


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
    """Force (n,3) GCRS and torque (n,3) body for one shape applied to n states with the given
    relative winds (kernels.relative_wind_body with r = 0, kernels.drag_load)."""
    F, tau = [], []
    for k, (vx, vy, vz) in enumerate(np.asarray(v_rel_gcrs, float).tolist()):
        R = R_gcrs_from_body[k].tolist()
        ux, uy, uz, speed = K.relative_wind_body(0.0, 0.0, 0.0, vx, vy, vz, 0.0, 0.0, 0.0, R)
        area, cop = _lookup_lists(shape, np.array((ux, uy, uz)))
        out = K.drag_load(float(rho[k]), shape.cd, area, cop[0], cop[1], cop[2], ux, uy, uz, speed, R)
        F.append(out[:3])
        tau.append(out[3:])
    return np.array(F).reshape(-1, 3), np.array(tau).reshape(-1, 3)


def _msis_table(ctx) -> MsisTable:
    table = ctx.scratch.get("msis_table")
    if table is None:
        fm = ctx.forces
        table = ctx.scratch["msis_table"] = MsisTable(ctx.epoch_tt_jd, fm.f107, fm.f107a, fm.ap)
    return table


def _exp_table(ctx) -> tuple:
    """The run's exponential bands as lists (Environment.exponential_table)."""
    tab = ctx.scratch.get("exp_table")
    if tab is None:
        tab = ctx.scratch["exp_table"] = tuple(a.tolist() for a in ctx.forces.environment.exponential_table())
    return tab


def density_points(ctx, t_s: float, r_gcrs: np.ndarray) -> list:
    """(lat_rad, lon_rad, density altitude_m) per body: WGS84 geodetic (kernels.geodetic), the
    altitude replaced by |r| - R (the gravity set's radius) when the environment says "spherical"."""
    r_l = r_gcrs.tolist()
    pts = [K.geodetic(*p) for p in (r_gcrs @ ctx.earth.itrs_from_gcrs(t_s).T).tolist()]
    env = ctx.forces.environment
    if env.altitude == "spherical":
        re = env.gravity.r_eq_m
        pts = [(lat, lon, math.sqrt(x * x + y * y + z * z) - re) for (lat, lon, _), (x, y, z) in zip(pts, r_l)]
    return pts


def density_at(ctx, t_s: float, r_gcrs: np.ndarray) -> np.ndarray:
    """Density (n,) for the ForceModel's atmosphere at the bodies' positions."""
    pts = density_points(ctx, t_s, r_gcrs)
    fm = ctx.forces
    if fm.drag == "exponential":
        h0, rho0, H = _exp_table(ctx)
        return np.array([K.exponential_density(alt, h0, rho0, H) for _, _, alt in pts])
    if ctx.scratch.get("msis_direct"):
        lat, lon, alt = (np.array(c) for c in zip(*pts))
        return msis_density(ctx.epoch_tt_jd, t_s, lat, lon, alt, fm.f107, fm.f107a, fm.ap)
    return np.array(_msis_table(ctx).density_points(t_s, pts))


def drag_term(ctx, t_s, r_gcrs, v_gcrs, R_gcrs_from_body, omega_body, mass_kg):
    """Force-term signature of docs/physics.md: (force_gcrs_n (n,3), torque_body_nm (n,3)).
    Per body after one density call: kernels.relative_wind_body, the area table, kernels.drag_load
    (compiled form: "drag", physics/compiled/forces.py drag_body)."""
    shapes = ctx.drag_shapes
    rows = ctx.scratch.get("drag_rows")
    if rows is None:
        rows = ctx.scratch["drag_rows"] = [i for i, s in enumerate(shapes) if s is not None]
    n = len(shapes)
    if not rows:
        return np.zeros_like(r_gcrs), np.zeros_like(r_gcrs)
    wx, wy, wz = ctx.earth.omega_gcrs(t_s).tolist() if ctx.forces.environment.rotates else (0.0, 0.0, 0.0)
    rho = density_at(ctx, t_s, r_gcrs if len(rows) == n else r_gcrs[rows]).tolist()
    r_l, v_l, R_l = r_gcrs.tolist(), v_gcrs.tolist(), R_gcrs_from_body.tolist()
    F, tau = [[0.0, 0.0, 0.0] for _ in range(n)], [[0.0, 0.0, 0.0] for _ in range(n)]
    torque = ctx.forces.aero_torque
    for k, i in enumerate(rows):
        (x, y, z), (vx, vy, vz), R = r_l[i], v_l[i], R_l[i]
        ux, uy, uz, speed = K.relative_wind_body(x, y, z, vx, vy, vz, wx, wy, wz, R)
        area, (cx, cy, cz) = _lookup_lists(shapes[i], np.array((ux, uy, uz)))
        out = K.drag_load(rho[k], shapes[i].cd, area, cx, cy, cz, ux, uy, uz, speed, R)
        F[i] = out[:3]
        if torque:
            tau[i] = out[3:]
    return np.array(F), np.array(tau)


drag_term.compiled = "drag"
