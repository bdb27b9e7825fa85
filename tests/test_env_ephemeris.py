"""Sun and Moon (DE421) against skyfield and an independent low-precision solar formula, third-body
accelerations against the tidal approximation, the Earth's shadow and solar radiation pressure."""
from __future__ import annotations

import numpy as np
import pytest

from physics import ephemeris as E
from physics import frames as F
from physics import srp as S


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Everything here must work offline: any connection attempt fails the test."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


T = F.timescale().utc(2022, 3, 5, 12, 0, 0)
EP = T.tt


def almanac_sun_direction(jd_ut: float) -> np.ndarray:
    """Astronomical Almanac low-precision Sun (accuracy 0.01 deg, 1950-2050), equatorial of date.
    Independent of DE421; 'of date' vs GCRS axes differ by 22 yr of precession (0.3 deg) -> rotate
    by the precession angle about the ecliptic pole, done here approximately via longitude shift."""
    n = jd_ut - 2451545.0
    L = np.radians((280.460 + 0.9856474 * n) % 360)
    g = np.radians((357.528 + 0.9856003 * n) % 360)
    lam = L + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)
    lam -= np.radians(1.3970 / 100 * n / 365.25)         # mean-of-date -> J2000 ecliptic longitude
    eps = np.radians(23.439291)                          # J2000 obliquity
    return np.array([np.cos(lam), np.cos(eps) * np.sin(lam), np.sin(eps) * np.sin(lam)])


def test_sun_direction_vs_almanac_and_skyfield():
    s = E.sun_gcrs_m(EP, 0.0)
    assert np.linalg.norm(s) / S.AU_M == pytest.approx(0.9918, abs=2e-4)   # early March: ~0.992 AU
    u = s / np.linalg.norm(s)
    ang_almanac = np.degrees(np.arccos(u @ almanac_sun_direction(T.ut1)))
    assert ang_almanac < 0.02                           # almanac formula accuracy 0.01 deg
    earth, sun, _ = E._bodies()
    app = earth.at(T).observe(sun).apparent().position.m
    ang = np.degrees(np.arccos(u @ app / np.linalg.norm(app))) * 3600
    assert ang < 40.0                                   # geometric vs apparent: aberration 20.5"


def test_moon_distance_and_vectorised():
    m = E.moon_gcrs_m(EP, np.array([0.0, 86400.0]))
    assert m.shape == (2, 3)
    assert np.all((356e6 < np.linalg.norm(m, axis=1)) & (np.linalg.norm(m, axis=1) < 407e6))


def test_cache_interpolation_error():
    cache = E.EphemerisCache(EP)
    t_s = np.linspace(0.0, 2 * 86400.0, 41) + 137.0
    for target, fn in (("moon", E.moon_gcrs_m), ("sun", E.sun_gcrs_m)):
        ref = fn(EP, t_s)
        err = max(np.linalg.norm(cache.position(target, t) - ref[i]) for i, t in enumerate(t_s))
        assert err < 0.1                                # bound dt^4/384 |r''''| ~ 1 cm (module doc)


@pytest.mark.parametrize("target,gm", [("sun", E.GM_SUN_M3PS2), ("moon", E.GM_MOON_M3PS2)])
def test_third_body_vs_tidal_approximation(target, gm):
    s = (E.sun_gcrs_m if target == "sun" else E.moon_gcrs_m)(EP, 0.0)
    r = np.array([[6.8e6, 0.0, 0.0], [0.0, 4.8e6, 4.8e6]])
    a = E.third_body_accel(r, s, gm)
    sn = np.linalg.norm(s)
    sh = s / sn
    tidal = gm / sn ** 3 * (3 * (r @ sh)[:, None] * sh - r)
    # the tidal form is the first-order expansion in |r|/|s|: relative error <= ~3 |r|/|s|
    tol = 3 * 6.8e6 / sn
    assert np.all(np.linalg.norm(a - tidal, axis=1) <= tol * np.linalg.norm(tidal, axis=1))


def test_shadow_behind_and_in_front():
    s = E.sun_gcrs_m(EP, 0.0)
    u = s / np.linalg.norm(s)
    r = np.array([-6.8e6 * u, 6.8e6 * u, 6.8e6 * np.cross(u, [0, 0, 1.0]) / np.linalg.norm(np.cross(u, [0, 0, 1.0]))])
    for model in ("conical", "cylindrical"):
        assert np.allclose(E.shadow_fraction(r, s, model), [0.0, 1.0, 1.0])


def test_penumbra_is_partial_and_monotonic():
    """Crossing the shadow edge at 6800 km: the penumbra is |along| * (Sun's angular diameter) wide,
    ~ 25 km here; the visible fraction goes 0 -> 1 monotonically across it."""
    s = E.sun_gcrs_m(EP, 0.0)
    u = s / np.linalg.norm(s)
    p = np.cross(u, [0, 0, 1.0]); p /= np.linalg.norm(p)
    y = np.linspace(6.30e6, 6.45e6, 301)
    pts = -np.sqrt(6.8e6 ** 2 - y ** 2)[:, None] * u + y[:, None] * p
    nu = E.shadow_fraction(pts, s)
    assert nu[0] == 0.0 and nu[-1] == 1.0 and np.all(np.diff(nu) >= -1e-12)
    partial = (nu > 0) & (nu < 1)
    width = np.ptp(y[partial]) if partial.any() else 0.0
    assert 10e3 < width < 40e3


def test_srp_cannonball():
    s = E.sun_gcrs_m(EP, 0.0)
    u = s / np.linalg.norm(s)
    r = np.array([6.8e6 * u, -6.8e6 * u])
    f = S.srp_force(r, s, np.array([1000.0, 1000.0]), np.array([1.3, 1.3]))
    d = np.linalg.norm(s - r[0])
    f0 = S.SOLAR_PRESSURE_1AU_NPM2 * (S.AU_M / d) ** 2 * 1.3 * 1000.0     # ~6 mN
    assert np.allclose(f[0], -f0 * u, rtol=1e-9)      # pushes away from the Sun
    assert np.allclose(f[1], 0.0)                     # in the umbra
    assert 5.5e-3 < f0 < 6.5e-3


def test_terms_through_the_force_context():
    from physics.forces import make_context
    from physics.model import ForceModel, RigidBody
    body = RigidBody(name="b", mass_kg=2.0, inertia_kgm2=np.eye(3), srp_area_m2=10.0, cr=1.5)
    ctx = make_context([body], EP, ForceModel(sun_moon=True, srp=True))
    r = np.array([[6.8e6, 0, 0]])
    f, tau = E.third_body_term(ctx, 10.0, r, np.zeros((1, 3)), np.eye(3)[None], np.zeros((1, 3)), ctx.mass0_kg)
    a = E.third_body_accel(r, E.sun_gcrs_m(EP, 10.0), E.GM_SUN_M3PS2) + \
        E.third_body_accel(r, E.moon_gcrs_m(EP, 10.0), E.GM_MOON_M3PS2)
    assert np.allclose(f / 2.0, a, rtol=1e-6) and not tau.any()
    f, _ = S.srp_term(ctx, 10.0, r, np.zeros((1, 3)), np.eye(3)[None], np.zeros((1, 3)), ctx.mass0_kg)
    assert np.allclose(f, S.srp_force(r, E.sun_gcrs_m(EP, 10.0), np.array([10.0]), np.array([1.5])), rtol=1e-6)
