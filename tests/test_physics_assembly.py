"""Assemblies with rotated ports: the weld holds exactly, chains split correctly, loads in port frames."""
from __future__ import annotations

import numpy as np
import pytest

from physics import (Burn, Epoch, ForceModel, Latch, PortFrame, Pushers, Release, RigidBody, docked_state,
                     simulate)
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.rotation import dcm_from_quat, quat_from_axis_angle

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
R0 = 6778e3


def rot(axis, deg):
    return dcm_from_quat(quat_from_axis_angle(axis, np.radians(deg)))


A = RigidBody("A", 100e3, np.array([[2e6, 1e4, 0], [1e4, 8e6, 0], [0, 0, 9e6]]))
B = RigidBody("B", 30e3, np.diag([1e5, 4e5, 4.5e5]))
C = RigidBody("C", 60e3, np.array([[5e6, 0, 2e4], [0, 1e6, 0], [2e4, 0, 5.5e6]]))
# A's port on its side (+y), docking axis along A's +y; B's port on its -x end, rotated; B's second
# port on +x carries C, whose port sits at its -z face, rotated so C hangs at an angle.
R_a_port = rot([0, 0, 1], 90)                 # port x = A's +y
R_b1 = rot([1, 0, 0], 30)                     # port x = B's +x, rolled 30 deg
L_AB = Latch("AB", "A", PortFrame([1.0, 4.0, 0.5], R_a_port), "B", PortFrame([-6.0, 0.2, 0.0], R_b1))
L_BC = Latch("BC", "B", PortFrame([6.0, 0.0, 0.3], rot([0, 1, 0], 20)), "C",
             PortFrame([0.5, 0.0, -3.0], rot([0, 1, 0], 20) @ rot([0, 1, 0], 90)))
BODIES, LATCHES = [A, B, C], [L_AB, L_BC]


def port_pose(tr, k, body, port):
    i = [b.name for b in BODIES].index(body)
    R = dcm_from_quat(tr.q_gcrs_from_body[k, i])
    return tr.r_gcrs_m[k, i] + R @ port.position_m, R @ port.R_body_from_port


def weld_error(tr, k, latch):
    pa, Ra = port_pose(tr, k, latch.body_a, latch.port_a)
    pb, Rb = port_pose(tr, k, latch.body_b, latch.port_b)
    return np.linalg.norm(pa - pb), np.abs(Ra - Rb).max()


def stack_state(omega=(2e-4, -1e-3, 5e-4)):
    v = np.sqrt(MU / R0)
    return docked_state(BODIES, LATCHES, [R0, 0, 0], [0, 0.6 * v, 0.8 * v], quat_from_axis_angle([1, 1, 0], 0.4),
                        omega, "A")


def test_weld_has_no_drift_and_release_keeps_the_other_weld():
    fm = ForceModel(j2=True, drag=None, gravity_gradient=True)
    tr = simulate(BODIES, LATCHES, stack_state(), EPOCH, 3000.0, 10.0, forces=fm,
                  events=(Release(1500.0, "AB", Pushers(offset_m=(0.1, 0.0))),))
    for k in (0, 100, 149, 150, 300):
        dp, dR = weld_error(tr, k, L_BC)
        # the B-C weld is exact by construction: round-off of 7e6 m coordinates (~1e-9 m)
        assert dp < 1e-7 and dR < 1e-12
    for k in (0, 100, 150):
        dp, dR = weld_error(tr, k, L_AB)
        assert dp < 1e-7 and dR < 1e-12
    dp, _ = weld_error(tr, 300, L_AB)
    assert dp > 10.0                                  # A and B drifted apart after the push
    assert [e.kind for e in tr.events] == ["release", "push_end"]


def test_chain_loads_in_rotated_port_frames_during_a_burn():
    no_env = ForceModel(central=False, j2=False, drag=None, gravity_gradient=False)
    M = A.mass_kg + B.mass_kg + C.mass_kg
    # the docked_state CoM is the composite CoM; put the thrust line through it so nothing turns:
    # burn on A at the point of A's frame where the composite CoM lies, along A's x
    s = docked_state(BODIES, LATCHES, [0.0, 0, 0], [0.0, 0, 0], [1.0, 0, 0, 0], [0.0, 0, 0], "A")
    point = -s.r_gcrs_m[0]                            # composite CoM in A's frame (A's attitude = identity)
    burn = Burn("A", 0.0, 50.0, 1000.0, point_m=point, direction_body=[1.0, 0, 0])
    tr = simulate(BODIES, LATCHES, s, EPOCH, 20.0, 5.0, events=(burn,), forces=no_env, reentry_alt_m=None)
    assert np.abs(tr.omega_body_radps).max() < 1e-15
    a = 1000.0 / M * np.array([1.0, 0, 0])            # GCRS = A's axes here
    for latch, side in ((L_BC, (2,)), (L_AB, (1, 2))):
        m_side = np.array([BODIES[i].mass_kg for i in side])
        side_mass = m_side.sum()
        c_side = m_side @ tr.r_gcrs_m[0, list(side)] / side_mass
        P, _ = port_pose(tr, 0, latch.body_a, latch.port_a)
        F = np.array(tr.metadata["loads"][latch.name]["latch_loads_n"])
        Mo = np.array(tr.metadata["loads"][latch.name]["latch_loads_nm"])
        i_a = [b.name for b in BODIES].index(latch.body_a)
        R_g_port = dcm_from_quat(tr.q_gcrs_from_body[0, i_a]) @ latch.port_a.R_body_from_port
        # side B needs m_side a, all of it through this port; expressed in port_a's frame
        ref = R_g_port.T @ (side_mass * a)
        assert np.abs(F - ref).max() < 1e-9 * np.linalg.norm(ref)
        # moment about the port origin: the side's CoM is off the port, (c - P) x F
        M_ref = R_g_port.T @ np.cross(c_side - P, side_mass * a)
        assert np.abs(Mo[0] - M_ref).max() < 1e-9 * np.linalg.norm(ref) * 10.0   # lever ~10 m


def test_docked_state_rejects_a_body_not_latched():
    D = RigidBody("D", 1.0, np.eye(3))
    with pytest.raises(Exception) as exc:
        docked_state(BODIES + [D], LATCHES, [R0, 0, 0], [0, 7.6e3, 0], [1.0, 0, 0, 0], [0, 0, 0], "A")
    assert getattr(exc.value, "is_user_error", False)
