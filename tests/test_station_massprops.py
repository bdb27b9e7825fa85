"""Mass properties against closed forms: primitives, products of inertia, parallel axis, composites."""
from __future__ import annotations

import numpy as np
import pytest
import trimesh

from station import build_model, load_station
from station.massprops import MassProperties, combine, from_mesh, steiner
from station.shapes import SECTIONS, element_mesh, revolved

# Mesh integrals are exact for polyhedra, so closed forms of the *same* polyhedron match to rounding:
ROUNDING = 1e-9   # relative


def test_box_matches_closed_form():
    m, (a, b, c) = 6.0, (1.0, 2.0, 3.0)
    mp = from_mesh(trimesh.creation.box(extents=(a, b, c)), m)
    expected = np.diag([b * b + c * c, a * a + c * c, a * a + b * b]) * m / 12.0
    np.testing.assert_allclose(mp.inertia_kgm2, expected, rtol=ROUNDING, atol=1e-12)
    np.testing.assert_allclose(mp.com_m, 0.0, atol=1e-12)


def test_solid_cylinder_matches_regular_polygon_prism():
    """Revolved cylinder = prism on a regular n-gon of circumradius R. Its section's polar moment per
    unit mass is R^2 (2 + cos(2 pi / n)) / 6 (-> R^2/2, the circle, as n -> inf; -0.64 % at n = 32)."""
    m, R, L = 1000.0, 2.0, 6.0
    mp = from_mesh(revolved(((0.0, R), (L, R)), L / 2), m)
    polar = m * R * R * (2.0 + np.cos(2 * np.pi / SECTIONS)) / 6.0
    np.testing.assert_allclose(np.diag(mp.inertia_kgm2), [polar, polar / 2 + m * L * L / 12, polar / 2 + m * L * L / 12],
                               rtol=ROUNDING)
    circle = m * R * R / 2.0   # the real cylinder: the facetting error stays below 1 %
    assert abs(mp.inertia_kgm2[0, 0] / circle - 1) < 0.01


def test_thin_plate_matches_plate_formula():
    """Thin plate a x b: I_normal = m (a^2 + b^2)/12; the slab thickness t adds m t^2/12 in-plane,
    a relative error t^2/b^2 = 2.5e-5 here."""
    m, a, b, t = 1100.0, 32.5, 10.0, 0.05
    mp = from_mesh(trimesh.creation.box(extents=(a, b, t)), m)
    np.testing.assert_allclose(np.diag(mp.inertia_kgm2), [m * b * b / 12, m * a * a / 12, m * (a * a + b * b) / 12],
                               rtol=(t / b) ** 2 * 1.01)


def test_products_of_inertia_sign_convention():
    """Two 1 kg cubes at (1,1,0) and (-1,-1,0): I_xy = -sum m x y = -2 kg m^2 (plus 0 from the cubes)."""
    cubes = [from_mesh(trimesh.creation.box(extents=(0.1, 0.1, 0.1), transform=trimesh.transformations.translation_matrix(p)), 1.0)
             for p in ((1, 1, 0), (-1, -1, 0))]
    I = combine(cubes).inertia_kgm2
    assert I[0, 1] == pytest.approx(-2.0, rel=ROUNDING)
    assert I[1, 0] == pytest.approx(-2.0, rel=ROUNDING)
    assert I[0, 2] == pytest.approx(0.0, abs=1e-12)


def test_parallel_axis_round_trip():
    mp = from_mesh(trimesh.creation.box(extents=(1.0, 2.0, 3.0)), 5.0).transformed(np.eye(3), np.array([3.0, -1.0, 2.0]))
    p = np.array([-4.0, 7.0, 0.5])
    I_p = mp.inertia_about(p)
    back = I_p - steiner(mp.mass_kg, mp.com_m - p)
    np.testing.assert_allclose(back, mp.inertia_kgm2, rtol=1e-12, atol=1e-9)
    assert not np.allclose(I_p, mp.inertia_kgm2)  # the shift did something


def test_composite_equals_single_mesh_of_same_density():
    """Second method: combining parts by the parallel-axis theorem == integrating their union directly."""
    b1 = trimesh.creation.box(extents=(1, 2, 3))
    b2 = trimesh.creation.box(extents=(2, 1, 1), transform=trimesh.transformations.translation_matrix((3, 1, -2)))
    rho = 7.0
    parts = combine([from_mesh(b1, rho * b1.volume), from_mesh(b2, rho * b2.volume)])
    whole = from_mesh(trimesh.util.concatenate([b1, b2]), rho * (b1.volume + b2.volume))
    np.testing.assert_allclose(parts.inertia_kgm2, whole.inertia_kgm2, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(parts.com_m, whole.com_m, atol=1e-12)


def test_rotation_of_mass_properties_matches_rotated_mesh():
    mesh = trimesh.creation.box(extents=(1, 2, 5), transform=trimesh.transformations.translation_matrix((1, 2, 3)))
    R = trimesh.transformations.rotation_matrix(0.7, (1, 2, 3))[:3, :3]
    moved = mesh.copy().apply_transform(np.vstack([np.column_stack([R, [0.5, 0, 0]]), [0, 0, 0, 1]]))
    a = from_mesh(mesh, 10.0).transformed(R, np.array([0.5, 0.0, 0.0]))
    b = from_mesh(moved, 10.0)
    np.testing.assert_allclose(a.inertia_kgm2, b.inertia_kgm2, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(a.com_m, b.com_m, atol=1e-9)


def test_every_mass_feeding_mesh_is_watertight():
    spec = load_station()
    for e in spec.elements.values():
        mesh = element_mesh(e)
        assert mesh.is_watertight, e.id
        assert mesh.volume > 0, e.id


def test_not_watertight_mesh_is_refused():
    open_box = trimesh.creation.box(extents=(1, 1, 1))
    open_box.update_faces(np.arange(len(open_box.faces)) > 0)
    with pytest.raises(ValueError):
        from_mesh(open_box, 1.0)


def test_segments_sum_to_whole():
    model = build_model(load_station(), vehicles=True)
    total = combine([s.mass for s in model.segments.values()])
    np.testing.assert_allclose(total.inertia_kgm2, model.whole.inertia_kgm2, rtol=1e-9)
    assert isinstance(model.whole, MassProperties)
