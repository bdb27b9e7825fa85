"""Test fakes (not shipped in the app): stand-ins with the contract's attributes (docs/design.md), for fast
render tests and benchmarks.

``demo_trajectory()`` is NOT physics: a circular orbit with the Russian segment pushed straight aft at
a constant relative velocity after release. ``demo_model()`` is a crude box-and-cylinder station in SSACS
coordinates. Both exist so the renderer can be tested in a fraction of a second without running the
real scenario; the app and the screenshot command use the real station/ and scenario/ packages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import trimesh

from physics.constants import MU_EARTH_M3PS2 as MU_EARTH  # noqa: E402


@dataclass(frozen=True)
class DemoEvent:
    t_s: float
    kind: str
    subject: str = ""
    data: dict = field(default_factory=dict)


def _lvlh_rows(r, v):
    z = -r / np.linalg.norm(r)
    y = -np.cross(r, v); y /= np.linalg.norm(y)
    return np.stack([np.cross(y, z), y, z])


def _matrix_to_quat(R):
    """R_a_from_b (3,3) -> wxyz (Shepperd's method, branch on the largest component)."""
    t = np.trace(R)
    if t > 0:
        s = 2 * np.sqrt(1 + t)
        return np.array([s / 4, (R[2, 1] - R[1, 2]) / s, (R[0, 2] - R[2, 0]) / s, (R[1, 0] - R[0, 1]) / s])
    i = int(np.argmax(np.diag(R))); j, k = (i + 1) % 3, (i + 2) % 3
    s = 2 * np.sqrt(1 + R[i, i] - R[j, j] - R[k, k])
    q = np.empty(4); q[0] = (R[k, j] - R[j, k]) / s; q[1 + i] = s / 4
    q[1 + j] = (R[j, i] + R[i, j]) / s; q[1 + k] = (R[k, i] + R[i, k]) / s
    return q


class DemoTrajectory:
    """Circular 418 km, 51.64 deg orbit; ROS leaves aft at `push_mps` after `t_release_s`, tumbling slowly."""

    def __init__(self, t_end_s=6000.0, dt_s=10.0, t_release_s=60.0, push_mps=0.12,
                 spin_radps=0.004, epoch_utc="2022-03-05T12:00:00Z", epoch_tt_jd=2459644.0008007):
        self.epoch_utc, self.epoch_tt_jd = epoch_utc, epoch_tt_jd
        self.body_names = ("ROS", "USOS")
        self.t_release_s, self.push_mps, self.spin_radps = t_release_s, push_mps, spin_radps
        self.a_m = 6_378_137.0 + 418e3
        self.n_radps = np.sqrt(MU_EARTH / self.a_m ** 3)
        self.t_s = np.arange(0.0, t_end_s + dt_s / 2, dt_s)
        states = [self.state_at(t) for t in self.t_s]
        self.r_gcrs_m, self.v_gcrs_mps, self.q_gcrs_from_body, self.omega_body_radps = (
            np.array([s[i] for s in states]) for i in range(4))
        self.events = (DemoEvent(t_release_s, "release", "ROS"), DemoEvent(t_release_s + 3.0, "push_end", "ROS"))
        self.metadata = {"scenario": {"name": "demo"}, "bodies": {
            "ROS": {"mass_kg": 150e3, "com_ssacs_m": [-30.0, 0.0, 0.5]},
            "USOS": {"mass_kg": 270e3, "com_ssacs_m": [2.0, 0.0, 0.0]}},
            # the released ports (demo_model's interface at x = -17 m) in each body frame: scenario.apart
            "release": {"body_a": "ROS", "body_b": "USOS", "t_s": t_release_s,
                        "port_a_body_m": [13.0, 0.0, -0.5], "port_b_body_m": [-19.0, 0.0, 0.0]}}

    def _orbit(self, t):
        inc, raan, u = np.radians(51.64), np.radians(30.0), self.n_radps * t
        p = np.array([np.cos(u), np.sin(u), 0.0]); dp = np.array([-np.sin(u), np.cos(u), 0.0])
        cr, sr, ci, si = np.cos(raan), np.sin(raan), np.cos(inc), np.sin(inc)
        R = np.array([[cr, -sr * ci, sr * si], [sr, cr * ci, -cr * si], [0, si, ci]])
        return R @ p * self.a_m, R @ dp * self.a_m * self.n_radps

    def state_at(self, t_s):
        """(r (2,3), v (2,3), q (2,4), omega (2,3)): body 0 = ROS, body 1 = USOS."""
        t_s = float(np.clip(t_s, self.t_s[0], self.t_s[-1])) if hasattr(self, "t_s") else float(t_s)
        r0, v0 = self._orbit(t_s)
        R_gcrs_from_lvlh = _lvlh_rows(r0, v0).T
        com = {"ROS": np.array([-30.0, 0.0, 0.5]), "USOS": np.array([2.0, 0.0, 0.0])}
        dt = max(0.0, t_s - self.t_release_s)
        rel_lvlh = com["ROS"] - com["USOS"] + np.array([-self.push_mps * dt, 0.0, 0.0])
        ang = self.spin_radps * dt
        R_spin = np.array([[1, 0, 0], [0, np.cos(ang), -np.sin(ang)], [0, np.sin(ang), np.cos(ang)]])
        r = np.array([r0 + R_gcrs_from_lvlh @ rel_lvlh, r0])
        v = np.array([v0 + R_gcrs_from_lvlh @ np.array([-self.push_mps * (dt > 0), 0, 0]), v0])
        q = np.array([_matrix_to_quat(R_gcrs_from_lvlh @ R_spin), _matrix_to_quat(R_gcrs_from_lvlh)])
        omega = np.array([[self.spin_radps * (dt > 0), -self.n_radps, 0.0], [0.0, -self.n_radps, 0.0]])
        return r, v, q, omega


@dataclass
class DemoSegment:
    element_ids: tuple
    meshes: dict
    kinds: dict
    mass: object


@dataclass
class DemoMass:
    mass_kg: float
    com_m: np.ndarray


@dataclass
class DemoPort:
    id: str
    position_m: np.ndarray
    R_ssacs_from_port: np.ndarray


@dataclass
class DemoModel:
    segments: dict
    interface: DemoPort


def _cyl_x(radius, x0, x1, y=0.0, z=0.0):
    m = trimesh.creation.cylinder(radius=radius, height=abs(x1 - x0), sections=20)
    m.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [0, 1, 0]))
    m.apply_translation([(x0 + x1) / 2, y, z])
    return m


def _box(extents, center):
    m = trimesh.creation.box(extents=extents); m.apply_translation(center); return m


def demo_model() -> DemoModel:
    """A recognisable, crude ISS in SSACS (+X forward, +Y starboard, +Z nadir), metres."""
    us = {"lab": (_cyl_x(2.2, -8, 8), "module"), "node1": (_cyl_x(2.3, -14, -8), "node"),
          "pma1": (_cyl_x(1.0, -17, -14), "node"),
          "truss": (_box([3, 100, 3], [0, 0, -4.5]), "truss"),
          "rad_p": (_box([12, 3, 0.2], [0, -25, -4.5]), "radiator"),
          "arr_p": (_box([12, 34, 0.1], [0, -60, -4.5]), "array"),
          "arr_s": (_box([12, 34, 0.1], [0, 60, -4.5]), "array")}
    ru = {"zarya": (_cyl_x(2.1, -30, -17), "module"), "zvezda": (_cyl_x(2.1, -44, -31), "module"),
          "sm_arr": (_box([2, 30, 0.1], [-40, 0, 0]), "array"),
          "progress": (_cyl_x(1.4, -51, -44), "vehicle")}

    def seg(parts, mass, com):
        return DemoSegment(tuple(parts), {k: m for k, (m, _) in parts.items()},
                           {k: kind for k, (_, kind) in parts.items()}, DemoMass(mass, np.array(com)))
    return DemoModel({"ROS": seg(ru, 150e3, [-30.0, 0.0, 0.5]), "USOS": seg(us, 270e3, [2.0, 0.0, 0.0])},
                     DemoPort("zarya_fwd", np.array([-17.0, 0.0, 0.0]), np.eye(3)))
