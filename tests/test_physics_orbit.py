"""Orbital validation: two-body Kepler, relative motion (Kepler difference and Clohessy-Wiltshire), J2."""
from __future__ import annotations

import numpy as np
import pytest

from physics import Epoch, ForceModel, RigidBody, State, simulate
from physics.forces import make_context
from physics.frames import ric_from_gcrs
from physics.constants import J2, MU_EARTH_M3PS2 as MU, R_EARTH_EQ_M

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
POINT = ForceModel(central=True, j2=False, drag=None, gravity_gradient=False)
R0 = 6778e3                                 # ISS-like orbit radius


def body(name="A"):
    return RigidBody(name, 1000.0, np.diag([100.0, 200.0, 300.0]))


def states(r, v):
    n = len(r)
    return State(0.0, np.array(r, float), np.array(v, float), np.tile([1.0, 0, 0, 0], (n, 1)),
                 np.zeros((n, 3)), np.full(n, 1000.0))


def kepler(r0, v0, t):
    """Independent two-body reference: classical elements, Kepler's equation by Newton, back to r (K,3)."""
    r0, v0 = np.asarray(r0, float), np.asarray(v0, float)
    h = np.cross(r0, v0)
    e_vec = np.cross(v0, h) / MU - r0 / np.linalg.norm(r0)
    e = np.linalg.norm(e_vec)
    a = 1.0 / (2.0 / np.linalg.norm(r0) - v0 @ v0 / MU)
    p_hat = e_vec / e
    q_hat = np.cross(h / np.linalg.norm(h), p_hat)
    x0, y0 = r0 @ p_hat, r0 @ q_hat
    nu0 = np.arctan2(y0, x0)
    E0 = 2 * np.arctan(np.sqrt((1 - e) / (1 + e)) * np.tan(nu0 / 2))
    M = E0 - e * np.sin(E0) + np.sqrt(MU / a ** 3) * np.asarray(t)
    E = M.copy()
    for _ in range(30):
        E -= (E - e * np.sin(E) - M) / (1 - e * np.cos(E))
    x, y = a * (np.cos(E) - e), a * np.sqrt(1 - e * e) * np.sin(E)
    return x[:, None] * p_hat + y[:, None] * q_hat


def test_circular_orbit_matches_kepler_to_a_millimetre_after_one_day():
    v0 = np.sqrt(MU / R0)
    tr = simulate([body()], [], states([[R0, 0, 0]], [[0, v0 * np.cos(0.9), v0 * np.sin(0.9)]]), EPOCH,
                  86400.0, 600.0, forces=POINT)
    n = np.sqrt(MU / R0 ** 3)
    t = tr.t_s
    ref = R0 * (np.outer(np.cos(n * t), [1, 0, 0]) + np.outer(np.sin(n * t), [0, np.cos(0.9), np.sin(0.9)]))
    err = np.linalg.norm(tr.r_gcrs_m[:, 0] - ref, axis=1)
    # issue 3: "under 1 mm after one day" (the integrator's truncation + round-off budget)
    print(f"FIGURE kepler circular 1 day: max position error {err.max():.3e} m")
    assert err.max() < 1e-3, err.max()


def _impulse_pair(dv_ric, t_end, dt_out=60.0):
    v0 = np.sqrt(MU / R0)
    r = np.array([R0, 0.0, 0.0])
    v = np.array([0.0, v0 * np.cos(0.9), v0 * np.sin(0.9)])
    R_ric = ric_from_gcrs(r, v)
    v_dep = v + R_ric.T @ np.asarray(dv_ric, float)
    tr = simulate([body("chief"), body("deputy")], [], states([r, r], [v, v_dep]), EPOCH, t_end, dt_out,
                  forces=POINT)
    return tr, r, v, v_dep


def _ric_rel(r_c, v_c, r_d):
    R = ric_from_gcrs(r_c, v_c)
    return np.einsum("kij,kj->ki", R, r_d - r_c)


def test_relative_motion_after_impulse_matches_kepler_difference_and_cw():
    n = np.sqrt(MU / R0 ** 3)
    T = 2 * np.pi / n
    rel = {}
    for dv in (0.02, 0.01):
        tr, r, v, v_dep = _impulse_pair([0.0, dv, 0.0], 2 * T)
        t = tr.t_s
        r_c, r_d = kepler(r, v, t), kepler(r, v_dep, t)
        exact = _ric_rel(r_c, tr.v_gcrs_mps[:, 0], r_d)
        sim = _ric_rel(tr.r_gcrs_m[:, 0], tr.v_gcrs_mps[:, 0], tr.r_gcrs_m[:, 1])
        # issue 3: relative motion in the orbital frame right to under 1 mm over two orbits
        print(f"FIGURE impulse dv={dv}: |sim-kepler| max {np.abs(sim - exact).max():.3e} m")
        assert np.abs(sim - exact).max() < 1e-3, np.abs(sim - exact).max()
        # Clohessy-Wiltshire (Hill frame: x radial, y along-track) for a pure along-track impulse
        cw = np.column_stack((2 * dv / n * (1 - np.cos(n * t)), dv / n * (4 * np.sin(n * t) - 3 * n * t), 0 * t))
        d = np.linalg.norm(sim - cw, axis=1)
        rho = np.linalg.norm(cw, axis=1)
        # CW is linear in rho/r. The leading second-order difference is the curvature of the orbit: a
        # deputy a distance y along-track on the (curved) orbit sits y^2 / (2 r) below CW's straight
        # y axis. So |sim - CW| must be of that size: below rho^2 / r (twice the term) everywhere ...
        bound = rho ** 2 / R0
        print(f"FIGURE impulse dv={dv}: |sim-CW| max {d.max():.3e} m, curvature term max {0.5 * bound.max():.3e} m")
        assert np.all(d <= bound + 1e-3)
        # ... and at its largest it IS that term (within 5%: the remaining second-order dynamics)
        assert d.max() == pytest.approx(0.5 * bound.max(), rel=0.05)
        rel[dv] = d[-1]
    # ... and check it IS the second-order term: halving the impulse quarters the CW difference (+-10%)
    assert rel[0.02] / rel[0.01] == pytest.approx(4.0, rel=0.1)


def test_j2_nodal_regression_of_iss_orbit_matches_secular_rate():
    inc = np.radians(51.64)
    fm = ForceModel(central=True, j2=True, drag=None, gravity_gradient=False)
    pole = make_context([body()], EPOCH, fm).pole_gcrs
    e1 = np.cross([0.0, 1.0, 0.0], pole)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(pole, e1)
    v0 = np.sqrt(MU / R0)
    r = R0 * e1
    v = v0 * (np.cos(inc) * e2 + np.sin(inc) * pole)
    tr = simulate([body()], [], states([r], [v]), EPOCH, 86400.0, 60.0, forces=fm, max_step_s=60.0)
    h = np.cross(tr.r_gcrs_m[:, 0], tr.v_gcrs_mps[:, 0])
    node = np.unwrap(np.arctan2(h @ e1, -(h @ e2)))          # right ascension of the ascending node
    rate = np.polyfit(tr.t_s, node, 1)[0]
    # secular rate with the mean semi-major axis (orbit-averaged energy: mean a differs from osculating
    # a by J2 short-period terms of ~1e-3 relative, i.e. a 0.3% effect on the rate: inside the 1% tolerance)
    eps = 0.5 * np.sum(tr.v_gcrs_mps[:, 0] ** 2, axis=1) - MU / np.linalg.norm(tr.r_gcrs_m[:, 0], axis=1)
    a = -MU / (2 * eps.mean())
    n = np.sqrt(MU / a ** 3)
    ref = -1.5 * n * J2 * (R_EARTH_EQ_M / a) ** 2 * np.cos(inc)
    print(f"FIGURE J2 node rate {np.degrees(rate)*86400:.5f} deg/day vs secular {np.degrees(ref)*86400:.5f} ({rate/ref-1:+.2e})")
    # issue 3: within 1%
    assert rate == pytest.approx(ref, rel=0.01)
    assert np.degrees(rate) * 86400 == pytest.approx(-5.0, abs=0.3)    # the ISS's ~5 deg/day westward
