"""Latched assemblies: partition, composite mass properties, join/split, port reaction loads.

An assembly (connected component of the latched-port graph) is integrated as ONE rigid body.
Its frame ("unit frame") has its origin at the composite CoM and the axes of its reference body
(the first member in body order). Members sit at fixed offsets p (unit frame) and orientations
R_unit_from_body, so the weld cannot drift. Splitting gives every part the rigid velocity field of
the whole, v_i = v_cm + omega x rho_i, which conserves linear and angular momentum exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.rotation import cross, dcm_from_quat


def poses_in_ref(names, latches, ref: str) -> dict:
    """{name: (p_ref (3,), R_ref_from_body (3,3))} for every body reachable from ref via latches.
    Port frames coincide: R_a_from_b = R_a_from_pa R_b_from_pb^T, p_b = pos_pa - R_a_from_b pos_pb."""
    poses = {ref: (np.zeros(3), np.eye(3))}
    frontier = [ref]
    while frontier:
        cur = frontier.pop(0)
        p_cur, R_cur = poses[cur]
        for lt in latches:
            for a, pa, b, pb in ((lt.body_a, lt.port_a, lt.body_b, lt.port_b),
                                 (lt.body_b, lt.port_b, lt.body_a, lt.port_a)):
                if a != cur or b in poses:
                    continue
                R_a_from_b = pa.R_body_from_port @ pb.R_body_from_port.T
                p_b_in_a = pa.position_m - R_a_from_b @ pb.position_m
                poses[b] = (p_cur + R_cur @ p_b_in_a, R_cur @ R_a_from_b)
                frontier.append(b)
    return poses


def components(names, latches) -> list[list[int]]:
    """Connected components of the latch graph as lists of body indices, ordered by first index."""
    seen, out = set(), []
    for i, n in enumerate(names):
        if n in seen:
            continue
        members = poses_in_ref(names, latches, n)
        seen.update(members)
        out.append(sorted(names.index(m) for m in members))
    return out


def composite_inertia(m: np.ndarray, I_body: np.ndarray, R_u_from_b: np.ndarray, p_u: np.ndarray) -> np.ndarray:
    """Inertia (3,3) about the composite CoM (unit axes) of members m (k,), I_body (k,3,3),
    R_u_from_b (k,3,3), offsets p_u (k,3) from the composite CoM (parallel-axis theorem)."""
    I_rot = np.einsum("kij,kjl,kml->im", R_u_from_b, I_body, R_u_from_b)
    pp = np.einsum("k,ki,kj->ij", m, p_u, p_u)
    return I_rot + np.trace(pp) * np.eye(3) - pp


@dataclass(frozen=True)
class Layout:
    """How bodies sit in units for one configuration of latches (constant between events)."""
    members: tuple                 # per unit: tuple of body indices (first = reference body)
    unit_of: np.ndarray            # (n,) unit index of each body
    p_unit_m: np.ndarray           # (n,3) body CoM offset from its unit's CoM, unit axes
    R_unit_from_body: np.ndarray   # (n,3,3)
    S: np.ndarray                  # (u,n) incidence: S[u,i] = 1 if body i is in unit u
    mass_kg: np.ndarray            # (u,) at formation
    inertia_kgm2: np.ndarray       # (u,3,3) about unit CoM, unit axes
    inertia_inv: np.ndarray        # (u,3,3)
    latches: tuple                 # the latches closed in this layout


def make_layout(bodies, latches, body_mass_kg: np.ndarray) -> Layout:
    """Partition bodies by `latches` and build composite mass properties for masses body_mass_kg (n,).
    A body's inertia scales with its current mass (uniform loss of propellant: a stated simplification)."""
    names = [b.name for b in bodies]
    n = len(names)
    comps = components(names, latches)
    I_b = np.array([b.inertia_kgm2 * (m / b.mass_kg) for b, m in zip(bodies, body_mass_kg)])
    unit_of, p_u, R_ub = np.zeros(n, dtype=np.int64), np.zeros((n, 3)), np.zeros((n, 3, 3))
    S, M, I_u = np.zeros((len(comps), n)), np.zeros(len(comps)), np.zeros((len(comps), 3, 3))
    for u, idx in enumerate(comps):
        poses = poses_in_ref(names, latches, names[idx[0]])
        p = np.array([poses[names[i]][0] for i in idx])
        R = np.array([poses[names[i]][1] for i in idx])
        m = body_mass_kg[idx]
        p = p - m @ p / m.sum()
        unit_of[idx], p_u[idx], R_ub[idx], S[u, idx] = u, p, R, 1.0
        M[u] = m.sum()
        I_u[u] = composite_inertia(m, I_b[idx], R, p)
    return Layout(tuple(tuple(c) for c in comps), unit_of, p_u, R_ub, S, M, I_u, np.linalg.inv(I_u), tuple(latches))


def units_from_bodies(lay: Layout, bodies, r, v, q, w_b, m):
    """Unit states from member states, conserving momentum: v_cm = sum m v / M and omega from the
    angular momentum about the CoM, L = sum m rho x (v - v_cm) + R I omega = I_unit omega.
    For a rigid input this returns the same motion; for a single body it copies the state."""
    u = len(lay.members)
    r_u, v_u, q_u, w_u = np.zeros((u, 3)), np.zeros((u, 3)), np.zeros((u, 4)), np.zeros((u, 3))
    for k, idx in enumerate(lay.members):
        idx = list(idx)
        ref = idx[0]
        if len(idx) == 1:
            r_u[k], v_u[k], q_u[k], w_u[k] = r[ref], v[ref], q[ref], w_b[ref]
            continue
        mk = m[idx]
        M = mk.sum()
        r_u[k], v_u[k] = mk @ r[idx] / M, mk @ v[idx] / M
        q_u[k] = q[ref]
        R_g_u = dcm_from_quat(q[ref])
        I_b = np.array([bodies[i].inertia_kgm2 * (m[i] / bodies[i].mass_kg) for i in idx])
        R_g_b = dcm_from_quat(q[idx])
        L_g = np.sum(mk[:, None] * cross(r[idx] - r_u[k], v[idx] - v_u[k]), axis=0)
        L_g += np.einsum("kij,kjl,kl->i", R_g_b, I_b, w_b[idx])
        w_u[k] = lay.inertia_inv[k] @ (R_g_u.T @ L_g)
    return r_u, v_u, q_u, w_u


def latch_load(lay: Layout, bodies, latch, acc: dict, held_member: int | None = None):
    """Reaction (force (3,), moment (3,)) exerted by side A on side B through a latched port, about
    the port origin, in latch.port_a's frame; NaN if the latch closes a loop (statically indeterminate).

    Side B = bodies reached from body_b without crossing this latch. Its required motion is the rigid
    one of the unit: a_B = a + alpha x rho + omega x (omega x rho); F_req = m_B a_B,
    M_req = I_B alpha + omega x I_B omega (about B's CoM). The port carries what the external loads on B
    do not: F = F_req - F_ext,B, M = M_req - M_ext,B (minus the attitude-control torque when B holds
    the unit's attitude), moved to the port origin P: M_P = M + (c_B - P) x F."""
    names = [b.name for b in bodies]
    ia, ib = names.index(latch.body_a), names.index(latch.body_b)
    others = [lt for lt in lay.latches if lt is not latch]
    side = [names.index(n) for n in poses_in_ref(names, others, latch.body_b)]
    if ia in side:
        return np.full(3, np.nan), np.full(3, np.nan)
    u = lay.unit_of[ib]
    R, w, al = acc["R_u"][u], acc["w_u"][u], acc["alpha_u"][u]
    m = acc["m"][side]
    p = lay.p_unit_m[side]
    c = m @ p / m.sum()
    I_b = np.array([bodies[i].inertia_kgm2 * (acc["m"][i] / bodies[i].mass_kg) for i in side])
    I_B = composite_inertia(m, I_b, lay.R_unit_from_body[side], p - c)
    a_B = R.T @ acc["a_u"][u] + cross(al, c) + cross(w, cross(w, c))
    F_ext_u = acc["F_b"][side] @ R                                   # rows R^T F, unit frame
    F = m.sum() * a_B - F_ext_u.sum(axis=0)
    M_ext = np.einsum("nij,nj->i", lay.R_unit_from_body[side], acc["tau_b"][side]) \
        + cross(p - c, F_ext_u).sum(axis=0)
    M = I_B @ al + cross(w, I_B @ w) - M_ext
    if held_member is not None and held_member in side:
        I_u = lay.inertia_kgm2[u]
        M -= I_u @ al + cross(w, I_u @ w) - acc["tau_u"][u]       # control torque acts on B
    R_u_from_port = lay.R_unit_from_body[ia] @ latch.port_a.R_body_from_port
    P = lay.p_unit_m[ia] + lay.R_unit_from_body[ia] @ latch.port_a.position_m
    M_P = M + cross(c - P, F)
    return R_u_from_port.T @ F, R_u_from_port.T @ M_P
