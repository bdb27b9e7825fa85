"""`main.py station` and `main.py export-model`: output, glTF round trip, one-line errors."""
from __future__ import annotations

import numpy as np
import pytest
import trimesh

import main
from station import build_model, load_station


def test_station_command_prints_segments_and_references(capsys):
    assert main.main(["station"]) == 0
    out = capsys.readouterr().out
    for text in ("== ROS", "== USOS", "== whole", "JEOD", "principal moments", "projected area +X"):
        assert text in out


def test_station_command_without_vehicles(capsys):
    assert main.main(["station", "--no-vehicles"]) == 0
    out = capsys.readouterr().out
    assert "visiting vehicles aboard: none" in out and "435.00" in out


def test_bad_vehicle_is_one_line_error(capsys):
    assert main.main(["station", "--vehicles", "soyuz_ms99"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "soyuz_ms99" in err and "\n" not in err


def test_export_loads_back_with_every_element_node(tmp_path, capsys):
    out = tmp_path / "iss.glb"
    assert main.main(["export-model", "--out", str(out)]) == 0
    assert not list(tmp_path.glob(".iss.glb.*.tmp*"))
    scene = trimesh.load(out)
    model = build_model(load_station(), vehicles=True)
    ids = {e for seg in model.segments.values() for e in seg.element_ids}
    nodes = set(scene.graph.nodes)
    assert ids <= nodes and {"ROS", "USOS"} <= nodes
    for name, seg in model.segments.items():      # each element hangs under its segment node
        for eid in seg.element_ids:
            assert name in scene.graph.transforms.parents.get(eid, ""), eid
    assert {"zvezda.body", "zvezda.array", "saw_1a.array", "saw_1a.mast"} <= nodes   # panels get their material
    # upright in glTF (+Y up): the zenith-most part (Z1 antenna side) has the largest Y, Prichal the lowest
    lo, hi = scene.bounds
    assert hi[1] < 10.0 and lo[1] < -20.0


def test_export_to_unwritable_path_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "no_such_dir" / "iss.glb"
    assert main.main(["export-model", "--out", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --out: {bad}: cannot write") and "\n" not in err
    assert not bad.exists()


def test_export_needs_a_glb_name(tmp_path, capsys):
    bad = tmp_path / "iss.txt"
    assert main.main(["export-model", "--out", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: --out: {bad}: must end in .glb (binary glTF)"
    assert not list(tmp_path.iterdir())


def test_gltf_up_axis_maps_zenith_to_plus_y():
    from station.export import R_GLTF_FROM_SSACS
    np.testing.assert_allclose(R_GLTF_FROM_SSACS @ [0, 0, -1.0], [0, 1, 0])   # zenith -> +Y
    np.testing.assert_allclose(R_GLTF_FROM_SSACS @ [1.0, 0, 0], [1, 0, 0])    # forward stays +X
    assert np.linalg.det(R_GLTF_FROM_SSACS) == pytest.approx(1.0)


def test_station_command_prints_no_negative_zero(capsys):
    assert main.main(["station"]) == 0
    assert "-0.00 " not in capsys.readouterr().out.replace("-0.00)", "-0.00 ")


def test_other_station_file_is_not_compared_with_iss_figures(tmp_path, capsys):
    """The published figures are the ISS's: a different station must not be reported as -99 % off them."""
    from tests.test_station_file import GOOD
    path = tmp_path / "two.toml"
    path.write_text(GOOD)
    assert main.main(["station", "--station-file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "== ROS" in out and "== USOS" in out and "3.50" in out           # its own 3.5 t
    assert "JEOD" not in out and "reference model" not in out and "%" not in out


def test_station_output_piped_into_a_closed_reader_is_not_an_error(tmp_path):
    """`python main.py station | head -1`: the reader leaves early; no traceback, exit 0. The pipe's
    read end is closed before the command starts, so its very first write meets a broken pipe (a
    reader that leaves after one line would race with the pipe buffer, which holds the whole report)."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(main.__file__).resolve().parent
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    try:
        proc = subprocess.run([sys.executable, str(root / "main.py"), "station"], cwd=root, stdout=write_fd,
                              stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_fd)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr and "Error" not in proc.stderr, proc.stderr


def test_export_materials_by_kind_and_joint_angles(tmp_path, capsys):
    """Each element part's glTF material is the app's palette entry for its kind and face role
    (station/appearance.py); --joint turns the starboard wings."""
    a, b = tmp_path / "a.glb", tmp_path / "b.glb"
    assert main.main(["export-model", "--out", str(a), "--no-vehicles"]) == 0
    assert main.main(["export-model", "--out", str(b), "--no-vehicles", "--joint", "sarj_stbd=90"]) == 0
    sa, sb = trimesh.load(a), trimesh.load(b)
    for node, material in (("unity.white", "module"), ("zvezda.body", "module"), ("zvezda.array", "cells"),
                           ("s0.body", "truss"), ("s0.strut", "strut"), ("hrs_s1.radiator", "radiator"),
                           ("ams02.body", "payload"), ("saw_1a.array", "saw"), ("irosa_2b.array", "cells")):
        geom = sa.geometry[sa.graph[node][1]]
        assert geom.visual.material.name == material, (node, geom.visual.material.name)

    def extent(scene, node):         # world-frame (glTF) extent of one node's mesh
        T, g = scene.graph[node]
        return np.ptp(trimesh.transform_points(scene.geometry[g].vertices, T), axis=0)
    # SARJ at 90 deg turns wing 1A about the truss (Y) axis: its blanket goes from the X-Y plane
    # (wide along glTF x) to the Y-Z plane (wide along glTF y = -SSACS z)
    ea, eb = extent(sa, "saw_1a.array"), extent(sb, "saw_1a.array")
    assert ea[0] > 5 * ea[1] and eb[1] > 5 * eb[0], (ea, eb)
    assert np.allclose(extent(sa, "saw_2a.array"), extent(sb, "saw_2a.array"))   # port side untouched


def _glb_json(path) -> dict:
    """The JSON chunk of a binary glTF (header 12 bytes, then chunk length, type, JSON)."""
    import json
    import struct
    data = open(path, "rb").read()
    n = struct.unpack("<I", data[12:16])[0]
    return json.loads(data[20:20 + n])


def test_export_has_normals_and_pbr_materials_that_shade_hulls_smoothly(tmp_path, capsys):
    """Issue 11/16: every primitive carries NORMAL and a metallic-roughness material, and the normals are
    the app's (station/normals.py): on a module's cylinder they are exactly radial (smooth shading, not the
    5 deg-off facet normals), on the truss's struts they stay split at the corners (flat faces)."""
    out = tmp_path / "iss.glb"
    assert main.main(["export-model", "--out", str(out)]) == 0
    js = _glb_json(out)
    prims = [p for m in js["meshes"] for p in m["primitives"]]
    assert prims and all("NORMAL" in p["attributes"] and "material" in p for p in prims)
    names = {m["name"] for m in js["materials"]}
    assert {"module", "saw", "cells", "strut", "truss", "radiator", "ring"} <= names
    for m in js["materials"]:
        pbr = m["pbrMetallicRoughness"]
        assert 0 <= pbr["metallicFactor"] <= 1 and 0 < pbr["roughnessFactor"] <= 1 and len(pbr["baseColorFactor"]) == 4
    scene = trimesh.load(out)
    model = build_model(load_station(), vehicles=True)
    destiny = model.spec.elements["destiny"]
    g = scene.geometry["destiny.white"]           # mesh in the element's SSACS pose (nodes carry no offset)
    v, n = np.asarray(g.vertices), np.asarray(g.vertex_normals)
    axial = v[:, 0] - destiny.center_m[0]
    mid = np.abs(axial) < destiny.length_m / 2 - 1.0  # the cylinder, away from the end cones
    radial = v[mid] - [v[mid, 0].mean(), destiny.center_m[1], destiny.center_m[2]]
    radial[:, 0] = 0.0
    radial /= np.linalg.norm(radial, axis=1, keepdims=True)
    assert mid.sum() > 50 and np.all(np.einsum("ij,ij->i", n[mid], radial) > 1 - 1e-4)
    assert len(v) < 1.5 * len(np.unique(np.round(v, 4), axis=0))   # shared (split only at the cone edges)
    s = scene.geometry["s0.strut"]                 # square tubes: each corner has two face normals
    assert len(s.vertices) >= 1.9 * len(np.unique(np.round(s.vertices, 4), axis=0))
