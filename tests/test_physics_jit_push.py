"""The spring push in the compiled engine (physics/compiled/propagate.py _push_one and push_g,
physics/compiled/loop.py _first_event) against the Python engine (physics/dynamics.py System._push,
RunState's push_end detector). Both evaluate kernels.spring_push, take the step limit of
push.Push.step_limit and locate each stroke end on the step's DOP853 dense output; what differs is
round-off (summation order, numpy vs scalar rotations). The physical checks of the push (separation
speed against the energy's closed form, momentum, angular momentum, energy delivered) run in both
engines in tests/test_physics_separation.py."""
from __future__ import annotations

import numpy as np
import pytest

from physics import (Epoch, ForceModel, Latch, PortFrame, Pushers, Release, RigidBody, State, docked_state,
                     simulate)
from physics.constants import MU_EARTH_M3PS2 as MU

pytest.importorskip("numba")

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
NO_FORCES = ForceModel(central=False, j2=False, drag=None, gravity_gradient=False, aero_torque=False)
FULL = ForceModel(j2=True, drag="msis", gravity_gradient=True, aero_torque=True)
PUSH = Pushers(count=4, stiffness_n_per_m=5000.0, preload_n=375.0, stroke_m=0.03, ring_radius_m=0.8)


def box(lx, ly, lz, cop):
    from physics import DragShape
    d = np.vstack((np.eye(3), -np.eye(3)))
    return DragShape(2.2, d, np.array([ly * lz, lx * lz, lx * ly] * 2), np.tile(np.asarray(cop, float), (6, 1)))


A = RigidBody("A", 140e3, np.array([[1.3e6, 2e4, 0.0], [2e4, 9.0e6, 1e4], [0.0, 1e4, 9.5e6]]),
              drag=box(50, 30, 12, (-5.0, 0.0, 0.5)))
B = RigidBody("B", 280e3, np.array([[1.1e8, 0.0, 3e5], [0.0, 2.3e7, 0.0], [3e5, 0.0, 1.2e8]]),
              drag=box(40, 100, 20, (2.0, 1.0, -0.5)))
LATCH = Latch("L", "A", PortFrame([20.0, 0.3, -0.2], np.eye(3)), "B", PortFrame([-15.0, 0.3, -0.2], np.eye(3)))


def run(engine, r0, v0, pushers=PUSH, omega=(0.0, 0.0, 0.0), forces=NO_FORCES, t_end=40.0, dt=1.0, dr=0.0):
    s = docked_state([A, B], [LATCH], r0, v0, [0.9, 0.1, -0.3, 0.2] / np.linalg.norm([0.9, 0.1, -0.3, 0.2]),
                     omega, "A")
    s = State(s.t_s, s.r_gcrs_m + dr, s.v_gcrs_mps, s.q_gcrs_from_body, s.omega_body_radps, s.mass_kg)
    return simulate([A, B], [LATCH], s, EPOCH, t_end, dt, events=(Release(10.0, "L", pushers),), forces=forces,
                    reentry_alt_m=None if forces is NO_FORCES else 120e3, engine=engine)


def diffs(a, b):
    """Largest differences over the common samples: r, v, q, omega, and the relative position B - A."""
    _, ia, ib = np.intersect1d(a.t_s, b.t_s, return_indices=True)
    rel = [tr.r_gcrs_m[:, 1] - tr.r_gcrs_m[:, 0] for tr in (a, b)]
    return tuple(np.abs(x[ia] - y[ib]).max() for x, y in ((a.r_gcrs_m, b.r_gcrs_m), (a.v_gcrs_mps, b.v_gcrs_mps),
                 (a.q_gcrs_from_body, b.q_gcrs_from_body), (a.omega_body_radps, b.omega_body_radps), rel))


def spring_ends(tr):
    ev = [e for e in tr.events if e.kind == "push_end"]
    assert len(ev) == 1
    return np.array(ev[0].data["springs_end_s"])


@pytest.mark.parametrize("offset, omega", [((0.0, 0.0), (0.0, 0.0, 0.0)), ((0.2, -0.25), (1e-3, -2e-3, 5e-4))])
def test_push_in_free_space_engines_agree_to_round_off(offset, omega):
    """Near the origin (positions of metres: round-off 1e-15 m): the stroke ends (each spring's own,
    off-axis) and the states agree to a few ulp. Measured: end times 2e-15 s, r 7e-15 m, v 5e-16 m/s,
    q 1e-16, omega 4e-19 rad/s."""
    kw = dict(pushers=Pushers(count=4, stiffness_n_per_m=5000.0, preload_n=375.0, stroke_m=0.03,
                              ring_radius_m=0.8, offset_m=offset), omega=omega)
    py, jit = (run(e, [0.0, 0, 0], [0.0, 0, 0], **kw) for e in ("python", "jit"))
    assert jit.metadata["integrator"]["engine"] == "jit from t_s=10"       # from the release: the push too
    assert py.metadata["integrator"]["engine"] == "python"
    dt_end = np.abs(spring_ends(py) - spring_ends(jit)).max()
    dr, dv, dq, dw, _ = diffs(py, jit)
    print(f"FIGURE push jit vs python, free space {offset}: ends {dt_end:.1e} s, dr {dr:.1e} m, dv {dv:.1e} m/s, "
          f"dq {dq:.1e}, dw {dw:.1e} rad/s")
    assert dt_end < 1e-12 and dr < 1e-12 and dv < 1e-13 and dq < 1e-13 and dw < 1e-16     # ~100x measured


def test_push_in_orbit_engines_agree_within_the_python_engines_own_round_off():
    """In orbit with J2, MSIS drag, gravity gradient and aero torque for one orbit after the push. The
    positions carry 1e-9 m of round-off at 6.8e6 m (an ulp), so the extension does and each stroke end
    moves by up to ~1e-9 m / 0.03 m/s ~ 3e-8 s; that spreads through the drift. The reference for round-off is
    the Python engine against itself with every position moved by 2 ulp (2e-9 m): the engines must not
    differ by more than 10x that (measured: the same size, 2.0e-8 vs 1.6e-8 s at the stroke ends, 1.7 vs
    1.0 um in relative position)."""
    a = 6378137.0 + 420e3
    vc = np.sqrt(MU / a)
    inc = np.radians(51.6)
    r0, v0 = [a, 0.0, 0.0], [0.0, vc * np.cos(inc), vc * np.sin(inc)]
    kw = dict(forces=FULL, t_end=5600.0, dt=20.0, omega=(2e-4, -1e-4, 3e-4))
    py, jit, nudged = run("python", r0, v0, **kw), run("jit", r0, v0, **kw), run("python", r0, v0, dr=2e-9, **kw)
    assert jit.metadata["integrator"]["engine"] == "jit from t_s=10"
    ends = np.abs(spring_ends(py) - spring_ends(jit)).max(), np.abs(spring_ends(py) - spring_ends(nudged)).max()
    d_eng, d_ref = diffs(py, jit), diffs(py, nudged)
    print(f"FIGURE push jit vs python in orbit, 1 orbit: ends {ends[0]:.1e} s, relative position {d_eng[4]:.1e} m, "
          f"q {d_eng[2]:.1e}, omega {d_eng[3]:.1e} rad/s; Python vs itself nudged 2e-9 m: ends {ends[1]:.1e} s, "
          f"relative position {d_ref[4]:.1e} m, q {d_ref[2]:.1e}, omega {d_ref[3]:.1e} rad/s")
    assert ends[0] < 1e-7                       # 3e-9 m of stroke at the ~0.03 m/s end speed
    assert d_eng[4] < 1e-4                      # relative position after an orbit: 0.1 mm
    for eng, ref, floor in zip(d_eng, d_ref, (1e-6, 1e-9, 1e-12, 1e-14, 1e-6)):
        assert eng < 10 * max(ref, floor)
