"""Field-standard outputs of a short station run (2 min, 10-s grid, release at 10 s): CCSDS OEM/AEM
read back with ccsds-ndm-py, CZML re-read with czml3, the animated glTF read back with pygltflib.
The worked example of docs/formats.md is run here verbatim."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import main
from physics.rotation import dcm_from_quat
from physics.trajectory import Trajectory

DOC = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text()
SCENARIO = """title = "short station split"
[time]
epoch_utc = "2022-03-05T12:40:00Z"
duration_s = 120.0
output_interval_s = 10.0
[orbit]
tle_file = "iss_2022"
[station]
[release]
time_s = 10.0
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One simulate call writing every format; (folder, trajectory)."""
    d = tmp_path_factory.mktemp("formats")
    (d / "short.toml").write_text(SCENARIO)
    args = ["simulate", str(d / "short.toml"), "--quiet", "--out", str(d / "run.npz"), "--oem", str(d / "run.oem"),
            "--aem", str(d / "run.aem"), "--czml", str(d / "run.czml")]
    assert main.main(args) == 0
    return d, Trajectory.load_npz(d / "run.npz")


def _seconds(epochs, t0: str) -> np.ndarray:
    """CCSDS UTC epochs (ns digits) -> seconds after t0 (no leap second inside a 2-minute run)."""
    from datetime import datetime
    base = datetime.fromisoformat(t0.rstrip("Z"))
    out = []
    for e in epochs:
        whole, _, frac = e.partition(".")
        out.append((datetime.fromisoformat(whole) - base).total_seconds() + float("0." + (frac or "0")))
    return np.array(out)


def test_oem_reads_back_with_the_package(run):
    import ccsds_ndm
    d, traj = run
    oem = ccsds_ndm.Oem.from_file(str(d / "run.oem"))
    assert [s.metadata.object_name for s in oem.segments] == list(traj.body_names)
    for i, seg in enumerate(oem.segments):
        m = seg.metadata
        assert (m.center_name, m.ref_frame, m.time_system) == ("EARTH", "ICRF", "UTC")
        states = seg.data.state_vector_numpy
        assert states.shape == (len(traj.t_s), 6)
        # printed with Python's shortest round-trip repr of km: equal to float64 round-off of the division
        np.testing.assert_allclose(states[:, :3] * 1e3, traj.r_gcrs_m[:, i], rtol=0, atol=1e-8)
        np.testing.assert_allclose(states[:, 3:] * 1e3, traj.v_gcrs_mps[:, i], rtol=0, atol=1e-11)
        t = _seconds(seg.data.state_vector_epochs, traj.epoch_utc)
        np.testing.assert_allclose(t, traj.t_s, rtol=0, atol=1e-9)      # ns epochs
        assert any("release interface" in c for c in seg.data.comment)


def test_aem_quaternions_are_q_gcrs_from_body_scalar_last(run):
    import ccsds_ndm
    d, traj = run
    aem = ccsds_ndm.Aem.from_file(str(d / "run.aem"))
    for i, seg in enumerate(aem.segments):
        m = seg.metadata
        assert (m.ref_frame_a, m.ref_frame_b, m.attitude_type) == ("ICRF", "SC_BODY_1", "QUATERNION")
        q = seg.data.attitude_states_numpy                                 # Q1 Q2 Q3 QC
        np.testing.assert_allclose(q, traj.q_gcrs_from_body[:, i][:, [1, 2, 3, 0]], rtol=0, atol=1e-15)
        # the meaning, not just the numbers: a rotation matrix from (Q1..QC) read as Hamilton (w last)
        # maps body x to the body's x axis in GCRS, as the trajectory's own attitude does
        R = dcm_from_quat(q[-1][[3, 0, 1, 2]])
        np.testing.assert_allclose(R[:, 0], dcm_from_quat(traj.q_gcrs_from_body[-1, i])[:, 0], atol=1e-12)
    assert "scalar first" in (d / "run.aem").read_text()                   # the project convention stated


def test_docs_worked_example_runs(run, monkeypatch):
    """docs/formats.md's Python example, run as written in the folder holding run.oem."""
    d, traj = run
    code = re.search(r"```python\n(.*?)```", DOC, flags=re.S).group(1)
    monkeypatch.chdir(d)
    ns: dict = {}
    exec(compile(code, "docs/formats.md", "exec"), ns)
    np.testing.assert_allclose(ns["r_m"], traj.r_gcrs_m[:, traj.body_names.index("ROS")], atol=1e-8)


def test_czml_re_read_availability_and_samples(run):
    from czml3 import Document
    d, traj = run
    text = (d / "run.czml").read_text()
    doc = Document.model_validate(json.loads(text))                  # czml3's own validation of every packet
    packets = {p.id: p for p in doc.packets}
    clock = json.loads(text)[0]["clock"]
    assert clock["interval"] == "2022-03-05T12:40:00.000000Z/2022-03-05T12:42:00.000000Z"
    for name in traj.body_names:
        raw = next(p for p in json.loads(text) if p["id"] == name)
        assert raw["availability"] == clock["interval"]
        assert len(raw["position"]["cartesian"]) == 4 * len(traj.t_s)
        assert len(raw["orientation"]["unitQuaternion"]) == 5 * len(traj.t_s)
        assert raw["position"]["referenceFrame"] == "FIXED"
        assert raw["model"]["gltf"].startswith("data:model/gltf-binary;base64,")
        assert packets[name].path is not None
        # positions are ITRS: |r| equals the GCRS radius
        xyz = np.array(raw["position"]["cartesian"]).reshape(-1, 4)[:, 1:]
        np.testing.assert_allclose(np.linalg.norm(xyz, axis=1), np.linalg.norm(traj.r_gcrs_m[:, traj.body_names.index(name)], axis=1), rtol=1e-12)
    labels = [p["label"]["text"] for p in json.loads(text) if p["id"].startswith("event-")]
    assert labels == ["release interface 12:40:10 UTC"]


def test_czml_models_are_in_body_axes_as_cesium_reads_them(run):
    """Cesium's glTF correction M applied to the embedded model gives the segment's meshes in its
    body frame (SSACS axes, origin at the run's CoM)."""
    import base64
    import io
    import trimesh
    from formats.czml import CESIUM_FROM_GLTF
    from station import build_model, load_station
    d, traj = run
    raw = next(p for p in json.loads((d / "run.czml").read_text()) if p["id"] == "ROS")
    glb = base64.b64decode(raw["model"]["gltf"].split(",", 1)[1])
    scene = trimesh.load(io.BytesIO(glb), file_type="glb", force="scene")
    v = np.vstack([trimesh.transform_points(scene.geometry[g].vertices, M)
                   for M, g in (scene.graph[n] for n in scene.graph.nodes_geometry)]) @ CESIUM_FROM_GLTF.T
    seg = build_model(load_station(None)).segments["ROS"]
    ref = np.vstack([seg.meshes[e].vertices for e in seg.element_ids]) - traj.metadata["bodies"]["ROS"]["com_ssacs_m"]
    np.testing.assert_allclose(v.min(axis=0), ref.min(axis=0), atol=1e-4)
    np.testing.assert_allclose(v.max(axis=0), ref.max(axis=0), atol=1e-4)


def test_long_run_oem_has_the_mean_element_positions(tmp_path):
    import ccsds_ndm
    import scenario
    toml = tmp_path / "docked.toml"
    toml.write_text('[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 60.0\n[orbit]\n'
                    'circular_altitude_km = 415.0\n[station]\n[long_term]\nstart = "docked"\n'
                    'duration_days = 1.0\nactivity = "moderate"\n')
    assert main.main(["simulate", str(toml), "--quiet", "--oem", str(tmp_path / "long.oem")]) == 0
    traj = scenario.long_term_trajectory(scenario.run_long(scenario.load(str(toml))).main)
    (seg,) = ccsds_ndm.Oem.from_file(str(tmp_path / "long.oem")).segments
    assert seg.metadata.object_name == "ISS"
    np.testing.assert_allclose(seg.data.state_vector_numpy[:, :3] * 1e3, traj.r_gcrs_m[:, 0], rtol=0, atol=1e-8)
    assert "mean-element" in (tmp_path / "long.oem").read_text()


def test_animated_glb_has_both_segments_and_the_last_pose(run):
    import pygltflib
    from formats.gltf_anim import lvlh_poses
    from station.export import R_GLTF_FROM_SSACS
    d, traj = run
    out = d / "split.glb"
    assert main.main(["export-model", "--animate", str(d / "run.npz"), "--out", str(out), "--speed", "10"]) == 0
    g = pygltflib.GLTF2().load(str(out))
    (anim,) = g.animations
    targets = {(g.nodes[c.target.node].name, c.target.path): c.sampler for c in anim.channels}
    assert set(targets) == {(n, p) for n in ("ROS", "USOS") for p in ("translation", "rotation")}
    blob = g.binary_blob()

    def values(acc_index, width):
        a = g.accessors[acc_index]
        v = g.bufferViews[a.bufferView]
        return np.frombuffer(blob, "<f4", a.count * width, v.byteOffset + (a.byteOffset or 0)).reshape(a.count, width)

    s = anim.samplers[targets[("ROS", "translation")]]
    times = values(s.input, 1)[:, 0]
    assert len(times) == len(traj.t_s)                                # a keyframe per sample of the run
    np.testing.assert_allclose(times, traj.t_s / 10.0, rtol=1e-6)
    com = traj.metadata["bodies"]["ROS"]["com_ssacs_m"]
    t, poses = lvlh_poses(traj, {n: traj.metadata["bodies"][n]["com_ssacs_m"] for n in ("ROS", "USOS")})
    trans = values(anim.samplers[targets[("ROS", "translation")]].output, 3)
    rot = values(anim.samplers[targets[("ROS", "rotation")]].output, 4)
    # the last keyframe puts ROS's CoM where the run has it, in USOS's LVLH (float32: ~1e-5 m)
    from physics.frames import lvlh_from_gcrs
    i, j = traj.body_names.index("ROS"), traj.body_names.index("USOS")
    R_l = lvlh_from_gcrs(traj.r_gcrs_m[-1, j], traj.v_gcrs_mps[-1, j])
    R = dcm_from_quat(rot[-1][[3, 0, 1, 2]].astype(float))
    com_lvlh = R @ np.asarray(com) + trans[-1]
    np.testing.assert_allclose(com_lvlh, R_l @ (traj.r_gcrs_m[-1, i] - traj.r_gcrs_m[-1, j]), atol=1e-3)
    np.testing.assert_allclose(R, R_l @ dcm_from_quat(traj.q_gcrs_from_body[-1, i]), atol=1e-6)
    assert g.nodes[g.scenes[0].nodes[0]].name == "ISS"
    np.testing.assert_allclose(np.array(g.nodes[g.scenes[0].nodes[0]].matrix).reshape(4, 4).T[:3, :3],
                               R_GLTF_FROM_SSACS)                     # glTF column-major
