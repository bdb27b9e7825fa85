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
    assert not (tmp_path / "iss.glb.partial").exists()
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


def test_gltf_up_axis_maps_zenith_to_plus_y():
    from station.export import R_GLTF_FROM_SSACS
    np.testing.assert_allclose(R_GLTF_FROM_SSACS @ [0, 0, -1.0], [0, 1, 0])   # zenith -> +Y
    np.testing.assert_allclose(R_GLTF_FROM_SSACS @ [1.0, 0, 0], [1, 0, 0])    # forward stays +X
    assert np.linalg.det(R_GLTF_FROM_SSACS) == pytest.approx(1.0)
