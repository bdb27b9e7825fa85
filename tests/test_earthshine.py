"""Earthshine (render/earthshine.py): the albedo integral against closed forms, and in pixels: the
station's underside is lit by a sunlit Earth below and dark over the night side."""
from __future__ import annotations

import math

import numpy as np
import pytest

from render.earthshine import ALBEDO, EARTH_RADIUS_M, cap_irradiance, earthshine

ZENITH = np.array([0.0, 0.0, 1.0])


def sun_at_elevation(deg: float) -> np.ndarray:
    e = math.radians(deg)
    return np.array([math.cos(e), 0.0, math.sin(e)])


@pytest.mark.parametrize("alt_km", [200, 420, 2000])
def test_uniform_cap_gives_the_view_factor_of_a_sphere(alt_km):
    """Uniform radiance A/pi over the visible cap: E/S on a nadir plate = A (R/(R+h))^2 (closed-form
    view factor of a plate facing a sphere). 0.3 % covers the 48x96 midpoint grid's error."""
    e, d = cap_irradiance(alt_km * 1e3, None, albedo=1.0)
    assert e == pytest.approx((EARTH_RADIUS_M / (EARTH_RADIUS_M + alt_km * 1e3)) ** 2, rel=3e-3)
    assert d == pytest.approx([0.0, 0.0, -1.0], abs=1e-9)


def test_distant_full_phase_earth_is_a_lambert_sphere():
    """Far away with the Sun behind the observer, a Lambertian sphere returns E = (2/3) A S (R/d)^2
    (geometric albedo 2A/3); at 90 deg phase a factor 1/pi of that (Lambert phase function)."""
    alt = 5e9                    # R/d ~ 1e-3: the finite-distance correction is ~0.1 %
    k = (EARTH_RADIUS_M / (EARTH_RADIUS_M + alt)) ** 2
    full, _ = earthshine(sun_at_elevation(90.0), ZENITH, alt)
    half, _ = earthshine(sun_at_elevation(0.0), ZENITH, alt)
    assert full == pytest.approx(2 / 3 * ALBEDO * k, rel=3e-3)
    assert half == pytest.approx(2 / 3 * ALBEDO * k / math.pi, rel=2e-2)   # the terminator cuts grid cells


def test_night_below_gives_no_earthshine_and_low_sun_comes_from_the_lit_limb():
    """420 km: the horizon dips 20.3 deg (arccos(6371/6791)), so with the Sun 21 deg below the local horizontal no visible
    ground is lit. With the Sun overhead E/S < A (R/(R+h))^2 = 0.264 (off-nadir ground is lit obliquely)
    and more than 0.9 of it; 5 deg up it is ~0.1 of that and comes from the lit side of the disc."""
    assert earthshine(sun_at_elevation(-21.0), ZENITH, 420e3)[0] == 0.0
    noon, d_noon = earthshine(sun_at_elevation(90.0), ZENITH, 420e3)
    assert 0.9 * 0.264 < noon < 0.264 and d_noon == pytest.approx([0, 0, -1], abs=1e-9)
    low, d_low = earthshine(sun_at_elevation(5.0), ZENITH, 420e3)
    assert low < 0.15 * noon and d_low[0] > 0.4 and d_low[2] < 0   # ~28 deg off nadir, sunwards


def test_underside_is_lit_by_a_sunlit_earth_and_dark_over_the_night_side():
    pytest.importorskip("panda3d")
    from render.cameras import CameraPose
    from fakes import DemoTrajectory, demo_model
    from render.offscreen import OffscreenRenderer
    traj = DemoTrajectory(t_end_s=6000.0)
    r = OffscreenRenderer(traj, demo_model(), size=(256, 144))
    try:
        r.scene.overlays.set_label_mode(0)
        below = CameraPose(np.array([0.0, 0.0, -40.0]), np.zeros(3), np.array([1.0, 0.0, 0.0]), 50.0)
        # demo orbit: Sun 61 deg up at t = 5100 s (the nadir faces get no direct sunlight), 60 deg
        # below at 2250 s (eclipse). Centre of the image: the US module's nadir face.
        noon = r.render(5100.0, below).astype(float).mean(-1)[60:84, 118:138].mean()
        night = r.render(2250.0, below).astype(float).mean(-1)[60:84, 118:138].mean()
    finally:
        r.close()
    # ambient alone gives ~18 (0.07 x 0.9 x 255); earthshine E/S ~0.2 x sun 1.4 x 0.9 adds ~65
    assert night < 25 and noon > 50 and noon > 2.5 * night
