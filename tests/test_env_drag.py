"""Drag against closed forms: a flat plate facing the wind, the torque of an offset centre of pressure,
the orientation-averaged (tumbling) area, and the co-rotating relative wind."""
from __future__ import annotations

import numpy as np
import pytest

from physics import drag as D
from physics.atmosphere import exponential_density
from physics.frames import OMEGA_EARTH_RADPS, WGS84_A_M
from physics.model import DragShape, ForceModel, RigidBody

PLATE_AREA = 100.0
CD = 2.2


def fibonacci_directions(n: int) -> np.ndarray:
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5 ** 0.5) * k
    rho = np.sqrt(1 - z * z)
    return np.stack([rho * np.cos(phi), rho * np.sin(phi), z], axis=1)


def plate_shape(n=2000, cop=(0.0, 0.0, 1.0)) -> DragShape:
    """Flat plate of area A with normal body x: projected area A |u . x|; cop fixed at `cop`."""
    d = np.vstack([[1.0, 0, 0], [-1.0, 0, 0], fibonacci_directions(n)])
    return DragShape(cd=CD, directions=d, area_m2=PLATE_AREA * np.abs(d[:, 0]),
                     cop_m=np.tile(cop, (len(d), 1)))


def test_plate_facing_the_wind_closed_form():
    rho, v = 3e-12, 7660.0
    v_rel = np.array([[v, 0.0, 0.0]])                      # body moves +x: the wind travels -x
    f, tau = D.drag_kernel(np.array([rho]), v_rel, np.eye(3)[None], plate_shape())
    f0 = 0.5 * rho * v * v * CD * PLATE_AREA               # q Cd A
    assert np.allclose(f[0], [-f0, 0, 0], rtol=1e-12, atol=0)
    # torque = cop x F = (0,0,1) x (-f0,0,0) = (0,-f0,0): 1 m lever arm, about -y
    assert np.allclose(tau[0], [0.0, -f0 * 1.0, 0.0], rtol=1e-12, atol=0)


def test_rotated_body_sees_the_wind_in_its_own_frame():
    """Body yawed 60 deg: the plate's projected area is A cos 60 (interpolated between table
    directions: the 2000-direction table spacing is ~4.5 deg; IDW error < 2 %)."""
    c, s = np.cos(np.radians(60)), np.sin(np.radians(60))
    R_gcrs_from_body = np.array([[[c, -s, 0], [s, c, 0], [0, 0, 1]]])
    rho, v = 3e-12, 7660.0
    f, _ = D.drag_kernel(np.array([rho]), np.array([[v, 0, 0]]), R_gcrs_from_body, plate_shape(cop=(0, 0, 0)))
    assert np.allclose(f[0, 1:], 0, atol=1e-15)             # drag stays along -v_rel in GCRS
    assert -f[0, 0] == pytest.approx(0.5 * rho * v * v * CD * PLATE_AREA * 0.5, rel=0.02)


def test_tumbling_area_is_the_orientation_average():
    """Mean projected area of a flat plate over all directions = A/2 (Cauchy: surface 2A / 4)."""
    t = D.tumbling_shape(plate_shape())
    assert t.area_m2[0] == pytest.approx(PLATE_AREA / 2, rel=0.01)   # 1 %: finite direction sampling
    assert np.allclose(t.cop_m, 0)


def test_drag_term_uses_the_corotating_wind():
    """Body on the equator-ish orbit: force = -1/2 rho Cd A |v_rel| v_rel with v_rel = v - w x r,
    rho from the exponential table at the geodetic altitude (independent of the term's plumbing)."""
    from physics.forces import make_context
    shape = D.tumbling_shape(plate_shape())                 # orientation independent: A/2
    body = RigidBody(name="plate", mass_kg=1000.0, inertia_kgm2=np.eye(3) * 100.0, drag=shape)
    ctx = make_context([body], 2459644.0, ForceModel(drag="exponential"))
    pole = ctx.earth.itrs_from_gcrs(0.0)[2]
    x = np.cross(pole, [1.0, 0, 0]); x /= np.linalg.norm(x)
    r = (WGS84_A_M + 410e3) * x[None]                       # on the equator, 410 km up
    v = 7670.0 * np.cross(pole, x)[None]                    # prograde, equatorial
    f, tau = D.drag_term(ctx, 0.0, r, v, np.eye(3)[None], np.zeros((1, 3)), ctx.mass0_kg)
    v_rel = v[0] - OMEGA_EARTH_RADPS * np.cross(pole, r[0])
    expected = -0.5 * exponential_density(410e3) * CD * shape.area_m2[0] * np.linalg.norm(v_rel) * v_rel
    # 1e-6: geodetic altitude on the equator equals r - a to < 1 mm; the area is exactly A/2
    assert np.allclose(f[0], expected, rtol=1e-6)
    assert np.linalg.norm(v_rel) == pytest.approx(7670.0 - OMEGA_EARTH_RADPS * (WGS84_A_M + 410e3), rel=1e-9)
    assert np.allclose(tau, 0.0)


def test_bodies_without_a_shape_feel_no_drag():
    from physics.forces import make_context
    body = RigidBody(name="b", mass_kg=1000.0, inertia_kgm2=np.eye(3))
    ctx = make_context([body], 2459644.0, ForceModel(drag="exponential"))
    f, tau = D.drag_term(ctx, 0.0, np.array([[6.8e6, 0, 0]]), np.array([[0, 7.6e3, 0]]),
                         np.eye(3)[None], np.zeros((1, 3)), ctx.mass0_kg)
    assert not f.any() and not tau.any()


@pytest.mark.parametrize("n_dirs", [200, 2000])
def test_neighbour_search_equals_brute_force_idw(n_dirs):
    """The lookup (argpartition of one matmul over the table, scalar weights) against an independent
    3-nearest IDW written with argsort over the angles: the same area (1e-12)."""
    d = fibonacci_directions(n_dirs)
    rng = np.random.default_rng(3)
    area = rng.uniform(10, 100, n_dirs)
    shape = DragShape(cd=CD, directions=d, area_m2=area, cop_m=np.zeros((n_dirs, 3)))
    u = rng.normal(size=(300, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    got, _ = D.shape_lookup(shape, u)
    ang = np.arccos(np.clip(u @ d.T, -1, 1))
    idx = np.argsort(ang, axis=1)[:, :3]
    w = 1.0 / (np.take_along_axis(ang, idx, axis=1) ** 2 + 1e-24)
    assert np.allclose(got, np.sum(w * area[idx], axis=1) / w.sum(axis=1), rtol=1e-12)
