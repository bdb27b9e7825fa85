"""Integrator and events: the RK8 tableau, its order, exact event times, burns (rocket equation), reentry."""
from __future__ import annotations

import numpy as np
import pytest

from physics import Burn, Epoch, ForceModel, RigidBody, State, simulate
from physics.frames import geodetic_from_itrs, itrs_from_gcrs
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.integrator import A, A_EXT, B, C, C_EXT, D, dense_dop853, rk8_step
from physics.model import G0_MPS2

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
NO_FORCES = ForceModel(central=False, j2=False, drag=None, gravity_gradient=False, aero_torque=False)


def test_tableau_matches_scipy_and_order_conditions():
    from scipy.integrate._ivp import dop853_coefficients as d
    assert np.array_equal(A, d.A[:12, :12]) and np.array_equal(B, d.B) and np.array_equal(C, d.C[:12])
    # the dense-output extension is ours too (no private scipy import at run time)
    assert np.array_equal(A_EXT, d.A) and np.array_equal(C_EXT, d.C) and np.array_equal(D, d.D)
    # quadrature conditions of order 8: sum_i b_i c_i^(k-1) = 1/k, k = 1..8 (round-off tolerance)
    for k in range(1, 9):
        assert B @ C ** (k - 1) == pytest.approx(1.0 / k, abs=1e-14)
    assert np.allclose(A.sum(axis=1), C, atol=1e-14)          # row sums = nodes


def test_global_error_falls_as_h_to_the_eighth():
    # y' = -y^2 t... use the harmonic oscillator: exact solution (cos t, -sin t)
    def f(t, y):
        return np.array([y[1], -y[0]])
    errs = []
    for n in (10, 20):
        y, h = np.array([1.0, 0.0]), 4.0 / n
        for i in range(n):
            y = rk8_step(f, i * h, y, h)
        errs.append(abs(y[0] - np.cos(4.0)))
    assert 2 ** 7 < errs[0] / errs[1] < 2 ** 9.5                # order 8 (ratio 256)


def test_dense_output_is_seventh_order_and_exact_at_the_ends():
    # harmonic oscillator y = (cos t, -sin t): the continuous extension inside one step against the
    # closed form. Local error of a 7th-order interpolant ~ h^8: halving h divides it by ~2^8 (accept
    # 2^7 .. 2^9.5 as in the step-order test); exact (round-off) at theta = 0 and 1.
    f = lambda t, y: np.array([y[1], -y[0]])
    y0 = np.array([1.0, 0.0])
    th = np.linspace(0.0, 1.0, 11)
    errs = []
    for h in (0.5, 0.25):
        y1, K = rk8_step(f, 0.0, y0, h, stages=True)
        Y = dense_dop853(f, 0.0, y0, y1, f(h, y1), K, h)(th)
        errs.append(np.abs(Y - np.column_stack((np.cos(th * h), -np.sin(th * h)))).max())
        assert np.abs(Y[0] - y0).max() < 1e-15 and np.abs(Y[-1] - y1).max() < 1e-15
    assert 2 ** 7 < errs[0] / errs[1] < 2 ** 9.5


def _burn_in_free_space(t_start_s, duration_s, t_end_s, dt_out_s):
    """A 1 t body at rest, no forces, one 500 N burn through its CoM along body +y (Isp 300 s)."""
    body = RigidBody("S", 1000.0, np.diag([100.0, 120.0, 150.0]))
    s = State(0.0, np.zeros((1, 3)), np.zeros((1, 3)), np.array([[1.0, 0, 0, 0]]), np.zeros((1, 3)),
              np.array([1000.0]))
    burn = Burn("S", t_start_s, duration_s, 500.0, point_m=[0.0, 0, 0], direction_body=[0.0, 1.0, 0.0], isp_s=300.0)
    return simulate([body], [], s, EPOCH, t_end_s, dt_out_s, events=(burn,), forces=NO_FORCES, reentry_alt_m=None)


def test_burn_obeys_the_rocket_equation_and_hits_its_times_exactly():
    tr = _burn_in_free_space(3.3, 40.0, t_end_s=60.0, dt_out_s=0.7)
    assert [(e.kind, e.t_s) for e in tr.events] == [("burn_start", 3.3), ("burn_end", 43.3)]
    m1 = 1000.0 - 500.0 / (300.0 * G0_MPS2) * 40.0
    dv = 300.0 * G0_MPS2 * np.log(1000.0 / m1)                # Tsiolkovsky
    # exact to integrator round-off: 1e-12 relative (the mass is integrated with the motion)
    assert tr.v_gcrs_mps[-1, 0, 1] == pytest.approx(dv, rel=1e-12)
    assert np.abs(tr.v_gcrs_mps[-1, 0, [0, 2]]).max() == 0.0
    assert np.abs(tr.omega_body_radps[-1]).max() == 0.0           # thrust through the CoM: no spin


def test_burn_ending_exactly_at_the_end_records_its_end():
    """A burn whose end is t_end: burn_end is recorded (it was dropped), the final sample has the full
    rocket-equation delta-v and no sample is doubled."""
    tr = _burn_in_free_space(10.0, 50.0, t_end_s=60.0, dt_out_s=7.0)
    assert [(e.kind, e.t_s) for e in tr.events] == [("burn_start", 10.0), ("burn_end", 60.0)]
    assert tr.t_s[-1] == 60.0 and np.all(np.diff(tr.t_s) > 0)
    dv = 300.0 * G0_MPS2 * np.log(1000.0 / (1000.0 - 500.0 / (300.0 * G0_MPS2) * 50.0))
    assert tr.v_gcrs_mps[-1, 0, 1] == pytest.approx(dv, rel=1e-12)    # round-off (as above)


def test_reentry_stops_the_body_at_the_limit_and_records_where():
    body = RigidBody("S", 1000.0, np.diag([100.0, 120.0, 150.0]))
    r0 = 6378137.0 + 200e3
    v = np.sqrt(MU / r0) * 0.97                                # suborbital: falls within the orbit
    s = State(0.0, np.array([[0.0, r0 * 0.6, r0 * 0.8]]), np.array([[v, 0.0, 0.0]]),
              np.array([[1.0, 0, 0, 0]]), np.zeros((1, 3)), np.array([1000.0]))
    fm = ForceModel(central=True, j2=True, drag=None, gravity_gradient=False)
    tr = simulate([body], [], s, EPOCH, 3000.0, 10.0, forces=fm, reentry_alt_m=120e3)
    (ev,) = [e for e in tr.events if e.kind == "reentry"]
    assert ev.subject == "S" and 0 < ev.t_s < 3000.0
    assert ev.data["alt_m"] == pytest.approx(120e3, abs=1e-3)  # located to the root finder's 1 um
    # the recorded place is the geodetic position of the state at the event time (independent skyfield
    # rotation): the body stops there, so the last sample holds it
    r_last = tr.r_gcrs_m[-1, 0]
    lat, lon, alt = geodetic_from_itrs(itrs_from_gcrs(EPOCH.tt_jd, ev.t_s) @ r_last)
    assert alt == pytest.approx(120e3, abs=1.0)                # skyfield vs the fast rotation: < 1 m
    assert np.degrees(lat) == pytest.approx(ev.data["lat_deg"], abs=1e-5)
    assert np.abs(tr.v_gcrs_mps[-1]).max() == 0.0
    after = tr.t_s > ev.t_s
    # held in place to round-off (Hermite blend of equal end points: a few ulp of 6.5e6 m, < 1 um)
    assert np.abs(tr.r_gcrs_m[after, 0] - r_last).max() < 1e-6
