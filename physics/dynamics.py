"""Equations of motion of the units (assemblies and free bodies) between two events.

State vector y (flat float64): for each unit u a row [r_gcrs (3), v_gcrs (3), q_gcrs_from_unit (4),
omega_unit (3)], then the body masses (n,). A step reads as the algorithm:
  1. unit attitude (integrated, or kinematic LVLH hold), 2. member body states (rigid field),
  3. forces/torques on bodies (environment terms + burns + pushers), 4. sum to units,
  5. Newton and Euler for each unit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics import kernels as K
from physics.assembly import Layout
from physics.frames import lvlh_from_gcrs
from physics.rotation import cross, dcm_from_quat

W = 13          # numbers per unit row


@dataclass(frozen=True)
class PushGeom:
    """Spring pushers between bodies ia (carrying the ring, port_a) and ib. All body-frame."""
    ia: int
    ib: int
    x_port_a: np.ndarray        # (3,) docking axis in body a's frame
    base_a: np.ndarray          # (J,3) pusher base points on body a (at the port plane)
    tip_b: np.ndarray           # (J,3) matching material points of body b (coincide while latched)
    centre_a: np.ndarray        # (3,) port_a origin in body a
    centre_b: np.ndarray        # (3,) port_b origin in body b
    k_n_per_m: float
    preload_n: float
    stroke_m: float


@dataclass(frozen=True)
class BurnArrays:
    body: np.ndarray            # (B,) body index
    force_body_n: np.ndarray    # (B,3)
    torque_body_nm: np.ndarray  # (B,3) point x force
    mdot_kgps: np.ndarray       # (B,)


class System:
    """Right-hand side for one configuration (layout, holds, burns, pushes, live units)."""

    def __init__(self, layout: Layout, force_fn, held: dict, pushes=(), burns: BurnArrays | None = None,
                 alive: np.ndarray | None = None, fast_fn=None, slow_fn=None):
        self.lay = layout
        self.force_fn = force_fn
        # operator splitting (optional): fast_fn = gravity, slow_fn = drag & co (see simulate.advance)
        self.fns = {"all": force_fn, "fast": fast_fn, "slow": slow_fn}
        self.u = len(layout.members)
        self.n = layout.unit_of.size
        # held[u] = R_unit_from_lvlh-like constant: R_lvlh_from_unit (3,3)
        self.held_idx = np.array(sorted(held), dtype=np.int64)
        self.R_lvlh_from_unit = np.array([held[k] for k in sorted(held)]).reshape(-1, 3, 3)
        self.pushes = tuple(pushes)
        self.burns = burns
        self.alive = np.ones(self.u, dtype=bool) if alive is None else alive
        self.alive_b = self.alive[layout.unit_of]
        self.trivial = bool(np.all(layout.S.sum(axis=1) == 1)) and np.allclose(layout.R_unit_from_body, np.eye(3)) \
            and not np.any(layout.p_unit_m)
        self.order = np.argmax(layout.S, axis=0) if self.trivial else None   # unit of body i
        self.body_of_unit = np.argsort(self.order) if self.trivial else None
        # the common case after a release: every body its own unit, in body order, none re-entered;
        # rhs then takes a short path (same equations, fewer small-array numpy calls)
        self.simple = self.trivial and np.array_equal(self.order, np.arange(self.n)) and bool(self.alive.all())
        self.held_rows = np.isin(np.arange(self.u), self.held_idx).tolist()
        # bodies = units exactly (offsets 0, axes the identity): body states are the unit states as they are
        self.identity = self.trivial and bool(np.all(layout.R_unit_from_body == np.eye(3)))

    # --- state layout
    def split(self, y: np.ndarray):
        U = y[: W * self.u].reshape(self.u, W)
        return U[:, 0:3], U[:, 3:6], U[:, 6:10], U[:, 10:13], y[W * self.u:]

    def attitude(self, r_u, v_u, q_u, w_u):
        """(R_gcrs_from_unit (u,3,3), omega_unit (u,3)) with LVLH holds applied kinematically."""
        R = dcm_from_quat(q_u)
        if self.held_idx.size and self.u <= 4 and r_u.ndim == 2:
            return self._attitude_scalar(r_u, v_u, R, w_u)
        if self.held_idx.size:
            h = self.held_idx
            R_lvlh_from_g = lvlh_from_gcrs(r_u[h], v_u[h])
            R = R.copy()
            R[h] = np.swapaxes(R_lvlh_from_g, -1, -2) @ self.R_lvlh_from_unit
            # the LVLH frame turns with the orbit rate r x v / r^2 (about -y_lvlh)
            w_g = cross(r_u[h], v_u[h]) / np.einsum("ij,ij->i", r_u[h], r_u[h])[:, None]
            w_u = w_u.copy()
            w_u[h] = np.einsum("kji,kj->ki", R[h], w_g)
        return R, w_u

    def _attitude_scalar(self, r_u, v_u, R, w_u):
        """attitude() for 1-4 units, each held one through kernels.lvlh_attitude (the formula the
        compiled engine runs)."""
        if not hasattr(self, "_held_lists"):
            self._held_lists = {int(k): M for k, M in zip(self.held_idx, self.R_lvlh_from_unit.tolist())}
        R_l, w_l = R.tolist(), w_u.tolist()
        r_l, v_l = r_u.tolist(), v_u.tolist()
        for k, M in self._held_lists.items():
            R_l[k], w_l[k] = K.lvlh_attitude(*r_l[k], *v_l[k], M)
        return np.array(R_l), np.array(w_l)

    def bodies(self, r_u, v_u, R_u, w_u):
        """Member states: r, v (n,3) GCRS, R_gcrs_from_body (n,3,3), omega_body (n,3)."""
        lay = self.lay
        if self.trivial:
            o = self.order
            return r_u[o], v_u[o], R_u[o], w_u[o]
        R_gu = R_u[lay.unit_of]
        rho = np.einsum("nij,nj->ni", R_gu, lay.p_unit_m)
        w_g = np.einsum("nij,nj->ni", R_gu, w_u[lay.unit_of])
        R_b = R_gu @ lay.R_unit_from_body
        w_b = np.einsum("nji,nj->ni", lay.R_unit_from_body, w_u[lay.unit_of])
        return r_u[lay.unit_of] + rho, v_u[lay.unit_of] + cross(w_g, rho), R_b, w_b

    # --- forces on bodies
    def body_loads(self, t, r, v, R, w, m, part="all"):
        """Force (n,3) GCRS and torque (n,3) body frame on each body: environment + burns + pushers
        (part "all"), or gravity + burns + pushers ("fast"), or drag & co only ("slow")."""
        F, tau = self.fns[part](t, r, v, R, w, m)
        if part == "slow":
            return F, tau
        if self.burns is not None:
            b = self.burns
            np.add.at(F, b.body, np.einsum("kij,kj->ki", R[b.body], b.force_body_n))
            np.add.at(tau, b.body, b.torque_body_nm)
        for p in self.pushes:
            self._push(p, r, R, F, tau)
        return F, tau

    @staticmethod
    def push_springs(p: PushGeom, r, R) -> list:
        """kernels.spring_push of every spring of p (the formula the compiled engine runs): a list of
        (extension d, force on b (3), torque on b (3), torque on a (3)) tuples."""
        ra, rb, Ra, Rb = r[p.ia].tolist(), r[p.ib].tolist(), R[p.ia].tolist(), R[p.ib].tolist()
        e = p.x_port_a.tolist()
        return [K.spring_push(*ra, Ra, *rb, Rb, *e, *base, *tip, p.k_n_per_m, p.preload_n)
                for base, tip in zip(p.base_a.tolist(), p.tip_b.tolist())]

    @staticmethod
    def push_extension(p: PushGeom, r, R) -> np.ndarray:
        """Extension d (J,) m of each spring of p: (tip on b - base on a) along a's docking axis."""
        return np.array([out[0] for out in System.push_springs(p, r, R)])

    def _push(self, p: PushGeom, r, R, F, tau):
        """Each spring of p (the ones still within their stroke: simulate drops a spring from p at the
        exact time its own extension reaches the stroke) pushes b along a's docking axis with
        max(0, preload - k*extension), and a back with the opposite force at the SAME point (the tip
        on b): equal, opposite and collinear, so the system's linear and angular momentum are
        untouched by construction. The force depends on the spring's own extension only, so over
        0 -> stroke it does exactly the work preload*s - k s^2/2 whatever the path (off-axis pushes
        included). Extensions below 0 (only round-off right at release, where the sides touch) keep
        the spring law: a literal zero there would make the start of the push depend on that sign.
        The springs' sums (in spring order) are added once per body, as the compiled engine does."""
        acc = [0.0] * 9
        for out in self.push_springs(p, r, R):
            for i in range(9):
                acc[i] += out[1 + i]
        F[p.ib] += acc[0:3]
        F[p.ia] -= acc[0:3]
        tau[p.ib] += acc[3:6]
        tau[p.ia] += acc[6:9]

    # --- unit dynamics
    def accelerations(self, t, y, part="all"):
        """Everything the RHS and the port loads need, as a dict of arrays."""
        r_u, v_u, q_u, w_u, m = self.split(y)
        R_u, w_u = self.attitude(r_u, v_u, q_u, w_u)
        r, v, R, w = self.bodies(r_u, v_u, R_u, w_u)
        F, tau = self.body_loads(t, r, v, R, w, m, part)
        lay = self.lay
        if self.trivial:
            o = self.body_of_unit
            F_u, tau_u, M_u = F[o], tau[o], m[o]
        else:
            F_unit = np.einsum("nji,nj->ni", R_u[lay.unit_of], F)
            tau_unit = np.einsum("nij,nj->ni", lay.R_unit_from_body, tau) + cross(lay.p_unit_m, F_unit)
            F_u, tau_u, M_u = lay.S @ F, lay.S @ tau_unit, lay.S @ m
        # kernels.rigid_rates per unit: dq/dt and I^-1 (tau - w x I w); the gyroscopic term belongs
        # to the rigid-body (fast) part, so the slow part's rates use w = 0 there
        I_l, J_l = self._inertia_lists()
        gyro = part != "slow"
        rates = np.array([K.rigid_rates(*q, *(w if gyro else (0.0, 0.0, 0.0)), *tq, I, J) for q, w, tq, I, J in
                          zip(q_u.tolist(), w_u.tolist(), tau_u.tolist(), I_l, J_l)]).reshape(-1, 7)
        alpha = rates[:, 4:]
        if self.held_idx.size:
            alpha[self.held_idx] = 0.0      # LVLH rate is constant on a circular orbit (stated approx.)
        return dict(r_u=r_u, v_u=v_u, q_u=q_u, w_u=w_u, R_u=R_u, m=m, a_u=F_u / M_u[:, None],
                    alpha_u=alpha, dq_u=rates[:, :4], tau_u=tau_u, F_b=F, tau_b=tau, r_b=r, R_b=R)

    def _inertia_lists(self):
        """The units' inertia tensors and inverses as nested lists (the kernels' arguments)."""
        if not hasattr(self, "_I_lists"):
            self._I_lists = (self.lay.inertia_kgm2.tolist(), self.lay.inertia_inv.tolist())
        return self._I_lists

    def rhs_fast(self, t: float, y: np.ndarray) -> np.ndarray:
        return self.rhs(t, y, "fast")

    def kick(self, t: float, y: np.ndarray, dt: float) -> np.ndarray:
        """y with the velocities and rates changed by dt times the slow accelerations (drag & co)."""
        d = self.accelerations(t, y, "slow")
        y = y.copy()
        U = y[: W * self.u].reshape(self.u, W)
        live = self.alive
        U[live, 3:6] += dt * d["a_u"][live]
        free = live.copy()
        free[self.held_idx] = False
        U[free, 10:13] += dt * d["alpha_u"][free]
        return y

    def rhs(self, t: float, y: np.ndarray, part: str = "all") -> np.ndarray:
        if self.simple and part != "slow":
            return self._rhs_simple(t, y, part)
        d = self.accelerations(t, y, part)
        dy = np.empty_like(y)
        D = dy[: W * self.u].reshape(self.u, W)
        D[:, 0:3] = d["v_u"]
        D[:, 3:6] = d["a_u"]
        D[:, 6:10] = d["dq_u"]
        D[:, 10:13] = d["alpha_u"]
        if self.held_idx.size:
            D[self.held_idx, 6:13] = 0.0    # attitude follows LVLH kinematically; set after each step
        D[~self.alive] = 0.0
        dm = dy[W * self.u:]
        dm[:] = 0.0
        if self.burns is not None:
            np.add.at(dm, self.burns.body, -self.burns.mdot_kgps)
        dm[~self.alive_b] = 0.0
        return dy

    def _rhs_simple(self, t: float, y: np.ndarray, part: str) -> np.ndarray:
        """rhs for free bodies (unit = body, in order, none held or dead): Newton and Euler directly."""
        u = self.u
        U = y[: W * u].reshape(u, W)
        r, v, q, w = U[:, 0:3], U[:, 3:6], U[:, 6:10], U[:, 10:13]
        m = y[W * u:]
        if self.held_idx.size:
            R, w_att = self.attitude(r, v, q, w)        # held units: LVLH attitude and rate
        else:
            R, w_att = np.array([K.dcm_from_quat(*qk) for qk in q.tolist()]).reshape(-1, 3, 3), w
        F, tau = self.body_loads(t, r, v, R, w_att, m, part)
        dy = self._rhs_scalar(y, F, tau)
        if self.burns is not None:
            np.add.at(dy[W * u:], self.burns.body, -self.burns.mdot_kgps)
        return dy

    def _rhs_scalar(self, y: np.ndarray, F: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """_rhs_simple's equations: v, F/m and kernels.rigid_rates (dq/dt, I^-1 (tau - w x I w)),
        the formula the compiled engine runs; held units translate only; dm = 0 (burns: the caller)."""
        I_l, J_l = self._inertia_lists()
        u = self.u
        yl, F_l, T_l = y.tolist(), F.tolist(), tau.tolist()
        out = []
        for k in range(u):
            _, _, _, vx, vy, vz, qw, qx, qy, qz, wx, wy, wz = yl[W * k: W * k + W]
            mk = yl[W * u + k]
            fx, fy, fz = F_l[k]
            out += [vx, vy, vz, fx / mk, fy / mk, fz / mk]
            if self.held_rows[k]:       # LVLH hold: translation only, attitude set after each step
                out += [0.0] * 7
                continue
            out += K.rigid_rates(qw, qx, qy, qz, wx, wy, wz, *T_l[k], I_l[k], J_l[k])
        return np.array(out + [0.0] * (len(yl) - W * u))

    def finish_step(self, y: np.ndarray) -> np.ndarray:
        """Renormalise integrated quaternions; write the held attitude/rate into the state."""
        y = y.copy()
        r_u, v_u, q_u, w_u, _ = self.split(y)
        q_u /= np.linalg.norm(q_u, axis=1, keepdims=True)
        if self.held_idx.size:
            R, w = self.attitude(r_u, v_u, q_u, w_u)
            for h in self.held_idx.tolist():
                q_new = np.array(K.quat_from_dcm(R[h].tolist()))
                if q_new @ q_u[h] < 0:      # keep the quaternion's sign continuous
                    q_new = -q_new
                q_u[h] = q_new
                w_u[h] = w[h]
        return y
