"""Station colours by face role and the Sun's shadow-map framing (pure numpy, no rendering)."""
import numpy as np
import pytest
import trimesh

from render import meshes
from render.scene import SHADOW_SPLIT_M, shadow_frame


def _mesh_with_roles(roles):
    box = trimesh.creation.box()            # 12 faces
    box.metadata["face_role"] = np.array(roles)
    return box


def test_russian_module_panels_are_cells_not_module_white():
    rgb, spec = meshes.face_materials(_mesh_with_roles(["body"] * 8 + ["array"] * 4), "module", "ROS", "zvezda")
    assert np.allclose(rgb[:8], meshes.MATERIALS["module"][0])
    assert np.allclose(rgb[8:], meshes.MATERIALS["cells"][0])
    assert rgb[8:, 2].min() > rgb[8:, 0].max() + 0.15          # blue dominates: reads as solar cells


def test_us_wing_blanket_copper_mast_separate_and_iROSA_cells():
    rgb, _ = meshes.face_materials(_mesh_with_roles(["mast"] * 4 + ["array"] * 8), "array", "USOS", "saw_2a")
    assert np.allclose(rgb[:4], meshes.MATERIALS["mast"][0]) and np.allclose(rgb[4:], meshes.MATERIALS["saw"][0])
    r, g, b = meshes.MATERIALS["saw"][0]
    assert r > g > b and r < 0.7                                 # copper-brown, not saturated yellow
    rgb_irosa, _ = meshes.face_materials(trimesh.creation.box(), "array", "USOS", "irosa_2b")
    assert np.allclose(rgb_irosa, meshes.MATERIALS["cells"][0])


def test_mesh_without_roles_uses_the_kind():
    rgb, spec = meshes.face_materials(trimesh.creation.box(), "truss", "USOS", "s0")
    assert rgb.shape == (12, 3) and np.allclose(rgb, meshes.MATERIALS["truss"][0])


def test_shadow_map_covers_bodies_in_line_with_the_sun():
    sun = np.array([0.0, 0.0, 1.0])
    pos = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, -2000.0]])      # 2 km apart, 10 m across the sunlight
    center, film, depth = shadow_frame(pos, sun, eye_m=np.array([0.0, 50.0, 0.0]))
    assert film == pytest.approx(140.0) and depth == pytest.approx(2000.0)
    assert np.allclose(center, pos.mean(0))


def test_shadow_map_follows_nearest_segment_when_far_apart_across_the_sun():
    sun = np.array([0.0, 0.0, 1.0])
    pos = np.array([[0.0, 0.0, 0.0], [SHADOW_SPLIT_M + 500.0, 0.0, 0.0]])
    center, film, _ = shadow_frame(pos, sun, eye_m=pos[1] + [0.0, 40.0, 0.0])
    assert film == 130.0 and np.allclose(center, pos[1])
