"""Visual meshes (station/visual.py): drawn where the mass shapes are, every face with a material, the
drawing keys of the station file checked, physics untouched, a triangle budget for llvmpipe."""
import numpy as np
import pytest

from station import StationFileError, build_model, load_station
from station.appearance import PALETTE, material_key
from station.shapes import element_mesh
from station.visual import visual_mesh
from tests.test_station_file import GOOD, error_of

TRIANGLE_BUDGET = 30_000     # docs/render.md, "Station detail and frame time": ~22k drawn (mass shapes ~10k)


@pytest.fixture(scope="module")
def spec():
    return load_station()


def test_visual_mesh_sits_on_its_mass_shape(spec):
    """Each drawing stays on its element: bounding boxes agree within 1.6 m (end rings, blanket boxes and
    array booms stick out a little); the lumped external carriers are drawn at their real sites instead."""
    for eid, e in spec.elements.items():
        if e.param("look") == "carriers":
            continue
        lo_v, hi_v = visual_mesh(e).bounds
        lo_m, hi_m = element_mesh(e).bounds
        assert np.all(lo_v > lo_m - 1.6) and np.all(hi_v < hi_m + 1.6), eid


def test_every_face_has_a_palette_material(spec):
    for eid, e in spec.elements.items():
        m = visual_mesh(e)
        roles = m.metadata["face_role"]
        assert len(roles) == len(m.faces) == len(m.metadata["face_shade"]) > 0, eid
        for role in set(roles):
            assert material_key(e.kind, e.segment, eid, role) in PALETTE, (eid, role)
        assert np.all(np.abs(m.metadata["face_shade"] - 1.0) < 0.2), eid


def test_features_a_viewer_recognises(spec):
    roles = {eid: set(visual_mesh(e).metadata["face_role"]) for eid, e in spec.elements.items()}
    assert "strut" in roles["s0"] and "strut" in roles["p6"]                 # lattice truss
    assert {"array", "seam", "mast"} <= roles["saw_1a"]                      # blanket grid, mast
    assert {"array", "seam"} <= roles["zvezda"] and {"array", "seam"} <= roles["soyuz_ms19"]
    assert {"ring", "hatch"} <= roles["harmony"]                             # CBM rings and covers
    assert "soyuz_mli" in roles["soyuz_ms19"] and "soyuz_mli" in roles["progress_ms18"]
    assert "dark" in roles["crew_dragon_endurance"] and "dark" in roles["cupola"]
    assert "gold" in roles["cygnus_ng17"]
    saw = visual_mesh(spec.elements["saw_1a"])
    n_quads = np.sum(saw.metadata["face_role"] == "array") // 2              # 2 triangles per quad
    assert n_quads == 41 * 2 + 2          # 41 panels per blanket on the zenith face, a plain sheet on the other
    # Zvezda is stepped: 4.35 m aft, 4.15 m large working compartment, 2.9 m small one, ~2.2 m sphere
    z = visual_mesh(spec.elements["zvezda"])
    hull = z.vertices[np.unique(z.faces[z.metadata["face_role"] == "body"])]
    r, x = np.hypot(hull[:, 1], hull[:, 2] - 4.142), hull[:, 0]
    for x_at, r_expect in ((-22.585 - 4.0, 1.45), (-22.585 - 9.0, 2.075)):
        near = np.abs(x - x_at) < 0.5
        assert r[near].max() == pytest.approx(r_expect, abs=0.02)


def test_triangle_budget(spec):
    model = build_model(spec, vehicles=True)
    n = sum(len(m.faces) for seg in model.segments.values() for m in seg.visual_meshes().values())
    assert n < TRIANGLE_BUDGET


def test_visual_meshes_leave_mass_and_areas_alone(spec):
    """Mass properties and drag areas come from the closed mass shapes whether or not drawings exist."""
    a = build_model(spec, vehicles=True)
    before = {n: (s.mass.mass_kg, s.mass.com_m.copy(), s.mass.inertia_kgm2.copy(), len(s.triangles()))
              for n, s in a.segments.items()}
    for s in a.segments.values():
        s.visual_meshes()
    for n, s in a.segments.items():
        m, com, inertia, ntri = before[n]
        assert s.mass.mass_kg == m and np.allclose(s.mass.com_m, com, atol=1e-9)
        assert np.allclose(s.mass.inertia_kgm2, inertia, rtol=1e-12) and len(s.triangles()) == ntri


def test_visual_meshes_follow_the_joints(spec):
    turned = build_model(spec, vehicles=False, articulation={"sarj_stbd": 90.0}).segments["USOS"]
    mesh, drawn = turned.meshes["saw_1a"], turned.visual_meshes()["saw_1a"]
    assert np.allclose(mesh.bounds.mean(0), drawn.bounds.mean(0), atol=1.0)


@pytest.mark.parametrize("key, value, words", [
    ("look", '"sparkly"', "unknown look 'sparkly'"),
    ("visual_profile_m", "[[0, 0.5], [2.0, 0.5]]", "spans 2 m but length_m is 6 m"),
    ("array_grid", "[2.5, 1]", "whole numbers"),
])
def test_bad_drawing_keys_are_one_line_errors(tmp_path, key, value, words):
    text = GOOD.replace('port = "B forward"', f'port = "B forward"\n{key} = {value}')
    msg = error_of(tmp_path, text)
    assert f"elements.mod_b.{key}" in msg and words in msg
