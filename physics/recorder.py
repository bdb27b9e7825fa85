"""Recorder: output samples on the fixed grid t0 + k dt_out (and t_end if off it), by dense interpolation inside each step
(quintic Hermite in position from r, v, a at both step ends; cubic Hermite for the rest), plus one
sample at each event time off that grid (the integrator state there; t_s strictly increasing, not
uniform), then conversion of unit states to body states and the port loads (grid samples only) while
latched."""
from __future__ import annotations

import math

import numpy as np

from physics import assembly
from physics.dynamics import W
from physics.frames import lvlh_from_gcrs
from physics.integrator import hermite_cubic, hermite_quintic
from physics.rotation import cross, dcm_from_quat, quat_from_dcm, quat_mul
from physics.trajectory import Trajectory


class Recorder:
    def __init__(self, bodies, epoch, t0, t_end, dt_out, loads: bool):
        self.bodies, self.epoch, self.want_loads = bodies, epoch, loads
        K = int(math.floor((t_end - t0) / dt_out * (1 + 1e-12))) + 1
        self.t_out = t0 + dt_out * np.arange(K, dtype=np.float64)
        if t_end - self.t_out[-1] > 1e-9 * dt_out:     # an end off the grid is a sample too (the final
            self.t_out = np.append(self.t_out, t_end)  # state); round-off misses of the grid are not
        self.next = 0
        self.chunks = []            # (System, sample indices, Y (k, len(y)))
        self.last_f = None          # (t1, y1, System, f(t1, y1)) from the last interpolation
        self.loads_every = 1        # port loads at every k-th sample
        self.extra = []             # (System, t, y): samples at event times, off the regular grid

    def event_sample(self, sys, t: float, y: np.ndarray) -> None:
        """A sample at an event time (y is the integrator state there, before the event changes the
        configuration); dropped if the grid or an earlier event already has that exact time."""
        self.extra.append((sys, float(t), y.copy()))

    def _take(self, t1):
        """Indices of pending samples with t <= t1."""
        stop = int(np.searchsorted(self.t_out, t1, side="right"))
        ks = np.arange(self.next, stop)
        self.next = max(self.next, stop)
        return ks

    def step(self, sys, t0, y0, f0, t1, y1, dense=None):
        """Samples in (t0, t1]: ends exact; inside, dense(f1)(theta) (the integrator's continuous
        extension, f1 = rhs at the end) when given, else Hermite interpolation."""
        ks = self._take(t1)
        if ks.size == 0:
            return
        tk = self.t_out[ks]
        Y = np.empty((ks.size, y0.size))
        at_end, at_start = tk == t1, tk == t0
        inner = ~(at_end | at_start)
        Y[at_end], Y[at_start] = y1, y0
        if inner.any():
            if f0 is None:
                f0 = sys.rhs(t0, y0)
            Y[inner] = self._interp(sys, t0, y0, f0, t1, y1, (tk[inner] - t0) / (t1 - t0), dense)
        self.chunks.append((sys, ks, Y))

    def _interp(self, sys, t0, y0, f0, t1, y1, theta, dense=None):
        h = t1 - t0
        f1 = sys.rhs(t1, y1)
        self.last_f = (t1, y1, sys, f1)
        u = sys.u
        if dense is not None:
            Y = dense(f1)(theta)
            U = Y[:, : W * u].reshape(-1, u, W)
        else:
            Y = hermite_cubic(y0, f0, y1, f1, h, theta)
            U, U0, U1 = Y[:, : W * u].reshape(-1, u, W), y0[: W * u].reshape(u, W), y1[: W * u].reshape(u, W)
            F0, F1 = f0[: W * u].reshape(u, W), f1[: W * u].reshape(u, W)
            # dr/dt from the right-hand side, not the stored v: equal for live bodies (bit-identical), zero for
            # a body stopped by reentry, which must hold its place (its state keeps the crossing velocity)
            x, v = hermite_quintic(U0[:, 0:3], F0[:, 0:3], F0[:, 3:6], U1[:, 0:3], F1[:, 0:3], F1[:, 3:6], h, theta)
            U[:, :, 0:3], U[:, :, 3:6] = x, v
        U[:, :, 6:10] /= np.linalg.norm(U[:, :, 6:10], axis=-1, keepdims=True)
        if sys.held_idx.size:       # held attitude follows LVLH of the interpolated r, v (all samples at once)
            h_ = sys.held_idx
            r, v = U[:, h_, 0:3], U[:, h_, 3:6]
            R = np.swapaxes(lvlh_from_gcrs(r, v), -1, -2) @ sys.R_lvlh_from_unit[None]
            U[:, h_, 6:10] = quat_from_dcm(R)
            w_g = cross(r, v) / np.sum(r * r, axis=-1, keepdims=True)
            U[:, h_, 10:13] = np.einsum("kuji,kuj->kui", R, w_g)
        return Y

    def fill_frozen(self, sys, y, t, tb):
        ks = self._take(tb)
        if ks.size:
            self.chunks.append((sys, ks, np.repeat(y[None, :], ks.size, axis=0)))

    # --- results
    def _bodies(self, sys, Y):
        """Unit rows (k, len) -> body arrays r, v (k,n,3), q (k,n,4), omega (k,n,3)."""
        lay, u = sys.lay, sys.u
        U = Y[:, : W * u].reshape(-1, u, W)
        r_u, v_u, q_u, w_u = U[..., 0:3], U[..., 3:6], U[..., 6:10], U[..., 10:13]
        if sys.identity:                # every body its own unit, unit frame = body frame: the same values
            i = lay.unit_of
            r, v, q, w = r_u[:, i], v_u[:, i], q_u[:, i], w_u[:, i]        # fancy indexing: copies
            v[:, ~sys.alive_b], w[:, ~sys.alive_b] = 0.0, 0.0
            return r, v, q, w
        R_gu = dcm_from_quat(q_u)[:, lay.unit_of]                         # (k,n,3,3)
        rho = np.einsum("knij,nj->kni", R_gu, lay.p_unit_m)
        w_g = np.einsum("knij,knj->kni", R_gu, w_u[:, lay.unit_of])
        r = r_u[:, lay.unit_of] + rho
        v = v_u[:, lay.unit_of] + cross(w_g, rho)
        q = quat_mul(q_u[:, lay.unit_of], quat_from_dcm(lay.R_unit_from_body)[None])
        w = np.einsum("nji,knj->kni", lay.R_unit_from_body, w_u[:, lay.unit_of])
        dead = ~sys.alive_b
        v[:, dead], w[:, dead] = 0.0, 0.0      # a re-entered body stops where it crossed the limit
        return r, v, q, w

    def trajectory(self, names, events, meta, latches) -> Trajectory:
        K, n = self.t_out.size, len(names)
        r, v, w = np.zeros((K, n, 3)), np.zeros((K, n, 3)), np.zeros((K, n, 3))
        q = np.zeros((K, n, 4))
        loads = {}
        for sys, ks, Y in self._grouped():
            r[ks], v[ks], q[ks], w[ks] = self._bodies(sys, Y)
            if self.want_loads and sys.lay.latches:
                self._loads(sys, ks, Y, loads)
        meta = dict(meta, loads=loads)
        t, r, v, q, w = self._merge_events(r, v, q, w)
        for a in (t, r, v, q, w):
            a.setflags(write=False)
        return Trajectory(epoch_utc=getattr(self.epoch, "utc_iso", ""),
                          epoch_tt_jd=float(getattr(self.epoch, "tt_jd", self.epoch)), body_names=tuple(names),
                          t_s=t, r_gcrs_m=r, v_gcrs_mps=v, q_gcrs_from_body=q, omega_body_radps=w,
                          events=tuple(events), metadata=meta)

    def _grouped(self):
        """The chunks with consecutive runs of the same System joined (one conversion per run)."""
        out = []
        for sys, ks, Y in self.chunks:
            if out and out[-1][0] is sys:
                out[-1][1].append(ks)
                out[-1][2].append(Y)
            else:
                out.append((sys, [ks], [Y]))
        return [(sys, np.concatenate(ks), np.concatenate(Y)) for sys, ks, Y in out]

    def _merge_events(self, r, v, q, w):
        """The regular samples plus the event samples, in time order, each time once (t strictly
        increasing)."""
        seen = set(self.t_out.tolist())
        extra = []
        for sys, t, y in self.extra:
            if t not in seen:
                seen.add(t)
                extra.append((sys, t, y))
        if not extra:
            return self.t_out.copy(), r, v, q, w
        parts = [self._bodies(sys, y[None]) for sys, t, y in extra]
        t_all = np.concatenate((self.t_out, [t for _, t, _ in extra]))
        order = np.argsort(t_all, kind="stable")
        cat = [np.concatenate((a, np.concatenate([p[i] for p in parts]))) for i, a in enumerate((r, v, q, w))]
        return (t_all[order],) + tuple(a[order] for a in cat)

    def _loads(self, sys, ks, Y, loads):
        held = None
        for k, y in zip(ks, Y):
            if k % self.loads_every:
                continue
            acc = sys.accelerations(float(self.t_out[k]), y)
            for lt in sys.lay.latches:
                u = sys.lay.unit_of[[b.name for b in self.bodies].index(lt.body_b)]
                held = getattr(sys, "held_member", {}).get(u)
                F, M = assembly.latch_load(sys.lay, self.bodies, lt, acc, held)
                d = loads.setdefault(lt.name, {"frame": f"port_a of {lt.name} (x = docking axis, a -> b)",
                                               "on": lt.body_b, "by": lt.body_a, "about": "port origin",
                                               "t_s": [], "latch_loads_n": [], "latch_loads_nm": []})
                d["t_s"].append(float(self.t_out[k]))
                d["latch_loads_n"].append([float(x) for x in F])
                d["latch_loads_nm"].append([float(x) for x in M])
