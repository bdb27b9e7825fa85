"""The per-body kernels (physics/kernels.py), the one source both engines run, against independent
vectorised oracles (tests/oracles.py) and the vectorised forms kept for arrays of samples; and the
compiled versions of the same kernels against the interpreted ones (round-off only)."""
from __future__ import annotations

import numpy as np
import pytest

from physics import kernels as K
from physics.constants import EGM96, MU_EARTH_M3PS2 as MU
from physics.frames import geodetic_from_itrs, lvlh_from_gcrs
from physics.rotation import dcm_from_quat, quat_from_dcm
from tests import oracles

RNG = np.random.default_rng(7)


def _points(n=50):
    d = RNG.normal(size=(n, 3))
    return d / np.linalg.norm(d, axis=1, keepdims=True) * RNG.uniform(6.5e6, 8e6, size=(n, 1))


def test_gravity_matches_the_legendre_oracle_about_a_tilted_pole():
    r = _points()
    pole = np.array([0.003, -0.002, 1.0]) / np.linalg.norm([0.003, -0.002, 1.0])
    g = EGM96
    got = np.array([K.gravity_accel(*p, *pole, g.mu_m3ps2, g.r_eq_m, g.j2, g.j3, g.j4, 1) for p in r])
    ref = oracles.gravity_accel(r, pole, g.mu_m3ps2, g.r_eq_m, g.j2, g.j3, g.j4)
    assert np.max(np.linalg.norm(got - ref, axis=1) / np.linalg.norm(ref, axis=1)) < 1e-14


def test_gravity_gradient_torque_matches_the_oracle():
    r = _points(10)
    q = RNG.normal(size=(10, 4))
    R = dcm_from_quat(q / np.linalg.norm(q, axis=1, keepdims=True))
    I = np.array([[[1e6, 2e4, 0], [2e4, 3e6, 1e3], [0, 1e3, 3.5e6]]] * 10)
    got = np.array([K.gravity_gradient_torque(*p, Rk.tolist(), Ik.tolist(), MU) for p, Rk, Ik in zip(r, R, I)])
    ref = oracles.gravity_gradient_torque(r, R, I, MU)
    assert np.allclose(got, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())


def test_geodetic_kernel_matches_the_vectorised_form():
    r = _points(20)
    lat, lon, alt = geodetic_from_itrs(r)            # 20 points: the vectorised (trigonometric) form
    got = np.array([K.geodetic(*p) for p in r])
    assert np.max(np.abs(got[:, 2] - alt)) < 1e-6 and np.max(np.abs(got[:, 0] - lat)) < 1e-12
    assert np.max(np.abs(got[:, 1] - lon)) < 1e-15


def test_rotation_kernels_match_the_vectorised_forms():
    q = RNG.normal(size=(30, 4))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    R = dcm_from_quat(q)
    assert np.allclose([K.dcm_from_quat(*x) for x in q], R, rtol=0, atol=1e-15)
    assert np.allclose([K.quat_from_dcm(m.tolist()) for m in R], quat_from_dcm(R), rtol=0, atol=1e-15)


def test_lvlh_kernel_matches_the_frame():
    r, v = _points(5), RNG.normal(size=(5, 3)) * 7e3
    M = dcm_from_quat(np.array([0.9, 0.1, -0.2, 0.3]) / np.linalg.norm([0.9, 0.1, -0.2, 0.3]))
    for rk, vk, L in zip(r, v, lvlh_from_gcrs(r, v)):
        R, w = K.lvlh_attitude(*rk, *vk, M.tolist())
        assert np.allclose(R, L.T @ M, atol=1e-15)
        assert np.allclose(np.array(R) @ w, np.cross(rk, vk) / (rk @ rk), rtol=1e-13)


def test_rigid_rates_match_the_oracle():
    I = np.array([[800.0, 10, 0], [10, 1200, 5], [0, 5, 1500]])
    q = np.array([0.9, 0.1, -0.3, 0.2]) / np.linalg.norm([0.9, 0.1, -0.3, 0.2])
    w, tau = np.array([0.01, -0.02, 0.03]), np.array([0.5, -0.1, 0.2])
    got = np.array(K.rigid_rates(*q, *w, *tau, I.tolist(), np.linalg.inv(I).tolist()))
    dq, dw = oracles.rigid_rates(q, w, tau, I)
    assert np.allclose(got, np.concatenate((dq, dw)), rtol=1e-13, atol=1e-18)


def _push_case(centre):
    """Two bodies 35 m apart near `centre`, b turned ~0.1 rad against a and 3 cm out, four springs of a
    0.8 m ring: extensions from about -3 to +9 cm (one spring compressed, one beyond the 7.5 cm where
    375 N - 5 kN/m d reaches 0)."""
    Ra = dcm_from_quat(np.array([0.9, 0.1, -0.3, 0.2]) / np.linalg.norm([0.9, 0.1, -0.3, 0.2]))
    Rb = Ra @ dcm_from_quat(np.array([1.0, 0.0, 0.035, 0.035]) / np.linalg.norm([1.0, 0.0, 0.035, 0.035]))
    ang = np.pi / 2 * np.arange(4)
    ring = np.column_stack((np.zeros(4), 0.8 * np.cos(ang), 0.8 * np.sin(ang)))
    base, tip = np.array([20.0, 0.3, -0.2]) + ring, np.array([-15.0, 0.3, -0.2]) + ring
    ra = np.asarray(centre, float)
    rb = ra + Ra @ np.array([20.0, 0.3, -0.2]) - Rb @ np.array([-15.0, 0.3, -0.2]) + Ra @ [0.03, 0.01, 0.0]
    return ra, Ra, rb, Rb, np.array([1.0, 0.0, 0.0]), base, tip


@pytest.mark.parametrize("centre, tol_m", [((0.0, 0.0, 0.0), 1e-14), ((6.8e6, -1.2e6, 0.4e6), 1e-8)])
def test_spring_push_matches_the_oracle(centre, tol_m):
    """kernels.spring_push per spring against the vectorised form; near the origin to round-off, at
    orbital radius to the oracle's own round-off (it differences positions of 7e6 m: ~1e-9 m)."""
    ra, Ra, rb, Rb, e, base, tip = _push_case(centre)
    d, F, tb, ta = oracles.spring_push(ra, Ra, rb, Rb, e, base, tip, 5000.0, 375.0)
    assert d.min() < 0.0 and d.max() > 375.0 / 5000.0
    for j in range(4):
        out = K.spring_push(*ra, Ra.tolist(), *rb, Rb.tolist(), *e, *base[j], *tip[j], 5000.0, 375.0)
        assert abs(out[0] - d[j]) < tol_m
        f = 375.0 - 5000.0 * out[0]
        assert np.allclose(out[1:4], F[j], rtol=0, atol=5000.0 * tol_m + 1e-12)        # N
        assert np.allclose(out[4:7], tb[j], rtol=0, atol=40 * (5000.0 * tol_m + 1e-12))  # N m: 40 m levers
        assert np.allclose(out[7:10], ta[j], rtol=0, atol=40 * (5000.0 * tol_m + 1e-12))
        assert np.linalg.norm(out[1:4]) == pytest.approx(max(f, 0.0), rel=1e-14)


def test_compiled_kernels_equal_the_interpreted_ones_to_round_off():
    pytest.importorskip("numba")
    from physics.compiled import forces as jf
    from numba import njit
    g, r = EGM96, _points(5)
    k = np.array([0.0, 0.0, 1.0])

    @njit
    def grav(x, y, z, mu, re, j2, j3, j4):
        return jf.k_gravity_accel(x, y, z, 0.0, 0.0, 1.0, mu, re, j2, j3, j4, 1)

    @njit
    def geo(x, y, z):
        return jf.k_geodetic(x, y, z)
    for p in r:
        a_py = np.array(K.gravity_accel(*p, *k, g.mu_m3ps2, g.r_eq_m, g.j2, g.j3, g.j4, 1))
        assert np.allclose(grav(*p, g.mu_m3ps2, g.r_eq_m, g.j2, g.j3, g.j4), a_py, rtol=1e-15, atol=0)
        assert np.allclose(geo(*p), K.geodetic(*p), rtol=1e-15, atol=1e-9)

    @njit
    def push(ra, Ra, rb, Rb, e, s, t):
        return jf.k_spring_push(ra[0], ra[1], ra[2], Ra, rb[0], rb[1], rb[2], Rb, e[0], e[1], e[2], s[0], s[1], s[2],
                                t[0], t[1], t[2], 5000.0, 375.0)
    ra, Ra, rb, Rb, e, base, tip = _push_case((6.8e6, -1.2e6, 0.4e6))
    for s, t in zip(base, tip):
        got = np.array(push(ra, Ra, rb, Rb, e, s, t))
        ref = np.array(K.spring_push(*ra, Ra.tolist(), *rb, Rb.tolist(), *e, *s, *t, 5000.0, 375.0))
        assert np.allclose(got, ref, rtol=1e-14, atol=1e-15)
