"""Spring pushers in progress: ring geometry in both bodies' frames, the springs still within their
stroke (each leaves at its own stroke end, located by simulate), and the push-phase step limit.
The forces themselves are in physics/dynamics.py (System._push)."""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from physics.dynamics import PushGeom


class Push:
    """One push in progress: the full ring geometry, the springs still within their stroke and the
    time each spring left it (NaN while active). `geom` holds only the active springs."""

    def __init__(self, full: PushGeom, name: str):
        self.full, self.name = full, name
        self.active = np.arange(full.base_a.shape[0])
        self.end_s = np.full(full.base_a.shape[0], np.nan)
        self.geom = full

    def step_limit(self, m: np.ndarray) -> float:
        """Largest RK8 step (s) while the springs push, from the unit masses m: 1/20 of the time to
        cover the stroke under the preload and 1/50 of the spring period (reduced mass)."""
        p = self.geom
        mu = m[p.ia] * m[p.ib] / (m[p.ia] + m[p.ib])   # lower bound of the reduced mass of the units
        n_spr = p.base_a.shape[0]
        h = math.sqrt(2 * p.stroke_m * mu / (n_spr * p.preload_n)) / 20   # stroke under the preload
        if p.k_n_per_m > 0:
            h = min(h, 2 * math.pi * math.sqrt(mu / (n_spr * p.k_n_per_m)) / 50)
        return h

    def end(self, done: np.ndarray, t: float) -> None:
        """Springs (mask over the active ones) that reached their stroke end at time t."""
        self.end_s[self.active[done]] = t
        self.active = self.active[~done]
        self.geom = dataclasses.replace(self.full, base_a=self.full.base_a[self.active],
                                        tip_b=self.full.tip_b[self.active])


def push_geom(latch, pushers, names) -> PushGeom:
    """Pusher positions on the port ring (port y-z plane), mapped into both bodies' frames."""
    ang = 2 * np.pi * np.arange(pushers.count) / pushers.count
    c = np.column_stack((np.zeros(pushers.count), pushers.ring_radius_m * np.cos(ang) + pushers.offset_m[0],
                         pushers.ring_radius_m * np.sin(ang) + pushers.offset_m[1]))
    pa, pb = latch.port_a, latch.port_b
    return PushGeom(ia=names.index(latch.body_a), ib=names.index(latch.body_b),
                    x_port_a=pa.R_body_from_port[:, 0].copy(),
                    base_a=pa.position_m + c @ pa.R_body_from_port.T, tip_b=pb.position_m + c @ pb.R_body_from_port.T,
                    centre_a=pa.position_m.copy(), centre_b=pb.position_m.copy(),
                    k_n_per_m=float(pushers.stiffness_n_per_m), preload_n=float(pushers.preload_n),
                    stroke_m=float(pushers.stroke_m))
