"""Frames against skyfield directly (independent implementation of WGS84 and the ITRS rotation)."""
from __future__ import annotations

import numpy as np
import pytest
from skyfield.api import wgs84
from skyfield.constants import AU_M
from skyfield.positionlib import Geocentric

from physics import frames as F

EPOCH_TT_JD = F.timescale().utc(2022, 2, 26, 14, 51, 15.799).tt


def _random_points(n=500, seed=1):
    rng = np.random.default_rng(seed)
    u = rng.normal(size=(n, 3))
    return u / np.linalg.norm(u, axis=1)[:, None] * rng.uniform(6.36e6, 8.4e6, size=(n, 1))


def test_itrs_rotation_is_skyfields_and_vectorised():
    from skyfield.framelib import itrs
    t_s = np.array([0.0, 1234.5, 86400.0])
    R = F.itrs_from_gcrs(EPOCH_TT_JD, t_s)
    assert R.shape == (3, 3, 3)
    for k, t in enumerate(t_s):
        ref = itrs.rotation_at(F.timescale().tt_jd(EPOCH_TT_JD + t / 86400.0))
        # the reference's single-float JD resolves ~40 us = 3e-9 rad of Earth rotation (2 cm at LEO)
        assert np.abs(R[k] - ref).max() < 5e-9
        assert np.allclose(R[k] @ R[k].T, np.eye(3), atol=1e-14)


def test_fast_earth_rotation_within_half_a_metre_over_three_days():
    er = F.EarthRotation(EPOCH_TT_JD)
    r = np.array([6.8e6, 1.0e5, 2.0e5])
    worst = max(np.linalg.norm((er.itrs_from_gcrs(t) - F.itrs_from_gcrs(EPOCH_TT_JD, t)) @ r)
                for t in np.linspace(0.0, 3 * 86400.0, 97))
    # 0.5 m at LEO radius = 7e-8 rad: the neglected precession-nutation change over 30 min (docstring)
    assert worst < 0.5
    # rotation axis is the CIP: ITRS z expressed in GCRS
    assert np.allclose(er.omega_gcrs(100.0) / F.OMEGA_EARTH_RADPS,
                       F.itrs_from_gcrs(EPOCH_TT_JD, 100.0)[2], atol=1e-9)


def test_geodetic_matches_skyfield_wgs84():
    pts = _random_points()
    lat, lon, alt = F.geodetic_from_itrs(pts)
    t = F.timescale().tt_jd(EPOCH_TT_JD)
    R = F.itrs_from_gcrs(EPOCH_TT_JD, 0.0)
    g = wgs84.geographic_position_of(Geocentric((pts @ R).T / AU_M, t=t))
    # skyfield iterates to ~1e-9 rad (6 mm on the ground); 1 mm in height
    assert np.abs(lat - g.latitude.radians).max() < 2e-9
    assert np.abs(np.angle(np.exp(1j * (lon - g.longitude.radians)))).max() < 1e-9
    assert np.abs(alt - g.elevation.m).max() < 1e-3
    assert np.abs(F.itrs_from_geodetic(lat, lon, alt) - pts).max() < 1e-6


def test_geodetic_known_points():
    lat, lon, alt = F.geodetic_from_itrs(np.array([[F.WGS84_A_M + 400e3, 0, 0],
                                                   [0, 0, F.WGS84_A_M * (1 - F.WGS84_F) + 1e3]]))
    assert np.allclose(alt, [400e3, 1e3], atol=1e-6)
    assert np.allclose(lat, [0.0, np.pi / 2], atol=1e-12)


@pytest.fixture
def orbit():
    r = np.array([6.778e6, 1.0e5, -2.0e5])
    v = np.array([-100.0, 4800.0, 5900.0])
    return r, v


def test_lvlh_definition(orbit):
    r, v = orbit
    R = F.lvlh_from_gcrs(r, v)
    assert np.allclose(R @ R.T, np.eye(3), atol=1e-15) and np.isclose(np.linalg.det(R), 1.0)
    assert np.allclose(R @ r, [0, 0, -np.linalg.norm(r)])             # z points to the Earth centre
    assert np.allclose(R @ np.cross(r, v) / np.linalg.norm(np.cross(r, v)), [0, -1, 0])  # y = -normal
    v_l = R @ v
    assert v_l[0] > 0 and v_l[1] == pytest.approx(0, abs=1e-9)        # x along the velocity, in-plane


def test_ric_definition_and_vectorised(orbit):
    r, v = orbit
    R = F.ric_from_gcrs(r, v)
    assert np.allclose(R @ R.T, np.eye(3), atol=1e-15) and np.isclose(np.linalg.det(R), 1.0)
    assert np.allclose(R @ r, [np.linalg.norm(r), 0, 0])
    assert (R @ v)[1] > 0 and (R @ v)[2] == pytest.approx(0, abs=1e-9)
    # LVLH = RIC relabelled: x_lvlh = y_ric, y_lvlh = -z_ric, z_lvlh = -x_ric
    P = np.array([[0, 1, 0], [0, 0, -1], [-1, 0, 0]])
    assert np.allclose(F.lvlh_from_gcrs(r, v), P @ R)
    Rn = F.ric_from_gcrs(np.stack([r, 2 * r]), np.stack([v, v]))
    assert Rn.shape == (2, 3, 3) and np.allclose(Rn[0], R)


def test_relative_state_of_a_co_orbiting_body_is_static_in_ric():
    """Two points on the same circular orbit, the second dtheta ahead: in the rotating RIC frame of
    the first, rho = r (cos dtheta - 1, sin dtheta, 0) exactly and rho_dot = 0 (rigid rotation)."""
    mu, a, dth = 3.986004418e14, 6.8e6, 1e-3
    n = np.sqrt(mu / a ** 3)
    def state(th):
        return (a * np.array([np.cos(th), np.sin(th), 0.0]), a * n * np.array([-np.sin(th), np.cos(th), 0.0]))
    (r0, v0), (r1, v1) = state(0.3), state(0.3 + dth)
    rho, rho_dot = F.relative_state_in(F.ric_from_gcrs, r0, v0, r1, v1)
    assert np.allclose(rho, a * np.array([np.cos(dth) - 1, np.sin(dth), 0.0]), atol=1e-8)
    assert np.allclose(rho_dot, 0.0, atol=1e-9)
    rho_l, _ = F.relative_state_in(F.lvlh_from_gcrs, r0, v0, r1, v1)
    assert rho_l[0] == pytest.approx(a * np.sin(dth)) and rho_l[2] == pytest.approx(a * (1 - np.cos(dth)))


def test_earth_rotation_nodes_are_shared_within_a_process_by_epoch_and_spacing():
    """Two runs with the same epoch (ensemble members) share the exact nodes; another epoch or node
    spacing gets its own; a shared node is the exact rotation at its time."""
    from physics import frames
    ep = 2459644.0
    a, b = frames.EarthRotation(ep), frames.EarthRotation(ep)
    assert b._node(3) is a._node(3)
    assert np.array_equal(a._node(3), frames.itrs_from_gcrs(ep, 3 * 3600.0))
    assert frames.EarthRotation(ep + 1.0)._node(3) is not a._node(3)
    assert frames.EarthRotation(ep, 1800.0)._node(6) is not a._node(3)
