"""The four reference cases of issue 13 (run by benchmarks/bench_physics.py, one process each so the
whole-process time is measured as a user sees it): python benchmarks/bench_reference.py CASE OUT.npz
runs CASE with simulate(engine="auto") and saves the trajectory and the propagation time.

  j2-day        one body, one day, point mass + J2 (EGM96 about GCRS z), out 60 s
  two-bodies    two bodies 100 m apart, two orbits, point mass + J2, out 10 s
  gg-tumble     a tumbling body (0.01 rad/s), 6 hours, point mass + gravity-gradient torque, out 60 s
  drag-30d      one body, 30 days, point mass + exponential drag (still air, |r| - R), out 600 s
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

T_START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

R0 = 6778e3
INC = np.radians(51.6)
MASS = 1000.0
INERTIA = np.diag([800.0, 1200.0, 1500.0])
CD, AREA = 2.2, 10.0


def orbit(a=R0, dz=0.0, dv=0.0):
    from physics.constants import MU_EARTH_M3PS2 as MU
    vc = np.sqrt(MU / a)
    return [a, 0.0, dz], [0.0, vc * np.cos(INC) + dv, vc * np.sin(INC)]


def setup(case: str):
    """(bodies, State, t_end_s, dt_out_s, ForceModel) of a case."""
    from physics import DragShape, ForceModel, RigidBody, State
    from physics.environment import Environment, ExponentialBand
    env = Environment(pole="gcrs-z", altitude="spherical", rotates=False,
                      exponential=ExponentialBand(3.725e-12, 400.0, 58.515))
    plain = dict(drag=None, gravity_gradient=False, aero_torque=False, environment=env)
    q0, w0 = [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    if case == "j2-day":
        r, v = orbit()
        return [RigidBody("a", MASS, INERTIA)], _state([r], [v], [q0], [w0]), 86400.0, 60.0, ForceModel(**plain)
    if case == "two-bodies":
        (r1, v1), (r2, v2) = orbit(), orbit(R0 + 100.0, 0.0, 0.05)
        b = [RigidBody("a", MASS, INERTIA), RigidBody("b", MASS, INERTIA)]
        return b, _state([r1, r2], [v1, v2], [q0, q0], [w0, w0]), 2 * 5553.0, 10.0, ForceModel(**plain)
    if case == "gg-tumble":
        r, v = orbit()
        q = np.array([0.9, 0.1, -0.3, 0.2]) / np.linalg.norm([0.9, 0.1, -0.3, 0.2])
        fm = ForceModel(**{**plain, "j2": False, "gravity_gradient": True})
        return [RigidBody("a", MASS, INERTIA)], _state([r], [v], [q], [[0.006, -0.004, 0.007]]), 6 * 3600.0, 60.0, fm
    if case == "drag-30d":
        r, v = orbit()
        d = np.vstack((np.eye(3), -np.eye(3)))
        shape = DragShape(CD, d, np.full(6, AREA), np.zeros((6, 3)))       # a sphere: same area every way
        fm = ForceModel(**{**plain, "j2": False, "drag": "exponential"})
        return [RigidBody("a", MASS, INERTIA, drag=shape)], _state([r], [v], [q0], [w0]), 30 * 86400.0, 600.0, fm
    raise SystemExit(f"unknown case {case!r}")


def _state(r, v, q, w):
    from physics import State
    return State(0.0, np.array(r, float), np.array(v, float), np.array(q, float), np.array(w, float),
                 np.full(len(r), MASS))


def main(case: str, out: str) -> None:
    from physics import Epoch, Model, Options, Timeline, simulate
    bodies, s0, t_end, dt, fm = setup(case)
    t, c = time.perf_counter(), time.process_time()
    tr = simulate(Model(bodies, forces=fm), s0, Timeline(Epoch.from_utc("2022-03-05T12:00:00Z"), t_end, dt),
                  Options(reentry_alt_m=None))
    prop, prop_cpu = time.perf_counter() - t, time.process_time() - c
    np.savez(out, t_s=tr.t_s, r=tr.r_gcrs_m, v=tr.v_gcrs_mps, q=tr.q_gcrs_from_body, w=tr.omega_body_radps,
             prop_s=prop, prop_cpu_s=prop_cpu, engine=tr.metadata["integrator"]["engine"], in_process_s=time.perf_counter() - T_START)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
