"""The separation as a glTF animation: the static station scene of station/export.py (root 'ISS' with
R_gltf_from_ssacs, one node per segment, element meshes in SSACS) plus one animation that moves the
two segment nodes to their poses relative to the US segment's LVLH frame at every trajectory sample.

Pose of segment i at sample k (LVLH of USOS: x along the velocity, y = -orbit normal, z nadir; the
same axes as SSACS in the +XVV attitude, so the root node's SSACS -> glTF rotation applies unchanged):
    R_i = R_lvlh_from_gcrs(r_usos, v_usos) @ R_gcrs_from_body_i
    t_i = R_lvlh_from_gcrs (r_i - r_usos) - R_i com_ssacs_i        (element meshes are in SSACS)
so a mesh point p_ssacs sits at R_i (p_ssacs - com_i) + (r_i - r_usos) in LVLH: its place in the run.
Keyframe times are t_s / speed (seconds of animation), rotations glTF (x, y, z, w), sign-continuous.
"""
from __future__ import annotations

import numpy as np

from formats import FormatError, body_stop_index
from physics.trajmeta import trajectory_meta

REFERENCE = "USOS"
SEGMENTS = ("ROS", "USOS")
FLOAT = 5126                 # glTF componentType float32
ANIMATION_NAME = "separation"


def lvlh_poses(traj, com_ssacs: dict) -> tuple[np.ndarray, dict]:
    """(t_s (K,), {name: (translation (K,3) m, q_lvlh_from_body (K,4) w x y z)}) relative to USOS's LVLH,
    up to the first reentry of the reference (its LVLH needs a velocity)."""
    from physics.frames import lvlh_from_gcrs
    from physics.rotation import dcm_from_quat, quat_from_dcm
    ref = traj.body_names.index(REFERENCE)
    k = body_stop_index(traj, ref) + 1
    R_l = lvlh_from_gcrs(traj.r_gcrs_m[:k, ref], traj.v_gcrs_mps[:k, ref])          # (K,3,3)
    poses = {}
    for name in SEGMENTS:
        i = traj.body_names.index(name)
        R = R_l @ dcm_from_quat(traj.q_gcrs_from_body[:k, i])
        rel = np.einsum("kij,kj->ki", R_l, traj.r_gcrs_m[:k, i] - traj.r_gcrs_m[:k, ref])
        t = rel - R @ np.asarray(com_ssacs[name], float)
        poses[name] = (t, _continuous(quat_from_dcm(R)))
    return traj.t_s[:k].copy(), poses


def _continuous(q: np.ndarray) -> np.ndarray:
    """Flip signs so neighbouring quaternions have a positive dot product (viewers slerp linearly)."""
    q = q.copy()
    for j in range(1, len(q)):
        if np.dot(q[j], q[j - 1]) < 0:
            q[j] = -q[j]
    return q


def add_separation_animation(gltf, traj, com_ssacs: dict, speed: float):
    """Add the animation to a pygltflib.GLTF2 (loaded from a GLB) with nodes named ROS and USOS;
    the nodes' static pose becomes the first keyframe. Returns the number of keyframes."""
    import pygltflib as G
    nodes = {n.name: j for j, n in enumerate(gltf.nodes)}
    t, poses = lvlh_poses(traj, com_ssacs)
    blob = bytearray(gltf.binary_blob() or b"")
    time_acc = _accessor(gltf, blob, (t / speed).astype(np.float32), "SCALAR", with_bounds=True)
    channels, samplers = [], []
    for name in SEGMENTS:
        node = gltf.nodes[nodes[name]]
        trans, q = poses[name]
        q_xyzw = q[:, [1, 2, 3, 0]]
        node.matrix = None
        node.translation, node.rotation = trans[0].tolist(), q_xyzw[0].tolist()
        for path, values, kind in (("translation", trans, "VEC3"), ("rotation", q_xyzw, "VEC4")):
            samplers.append(G.AnimationSampler(input=time_acc, output=_accessor(gltf, blob, values.astype(np.float32), kind),
                                               interpolation="LINEAR"))
            channels.append(G.AnimationChannel(sampler=len(samplers) - 1,
                                               target=G.AnimationChannelTarget(node=nodes[name], path=path)))
    gltf.animations.append(G.Animation(name=ANIMATION_NAME, channels=channels, samplers=samplers))
    gltf.set_binary_blob(bytes(blob))
    gltf.buffers[0].byteLength = len(blob)
    return len(t)


def _accessor(gltf, blob: bytearray, values: np.ndarray, kind: str, with_bounds: bool = False) -> int:
    """Append float32 values (4-byte aligned) as a bufferView + accessor; its index."""
    import pygltflib as G
    blob.extend(b"\0" * (-len(blob) % 4))
    data = np.ascontiguousarray(values, dtype="<f4").tobytes()
    gltf.bufferViews.append(G.BufferView(buffer=0, byteOffset=len(blob), byteLength=len(data)))
    blob.extend(data)
    acc = G.Accessor(bufferView=len(gltf.bufferViews) - 1, componentType=FLOAT, count=len(values), type=kind)
    if with_bounds:                                   # required on animation inputs
        acc.min, acc.max = [float(values.min())], [float(values.max())]
    gltf.accessors.append(acc)
    return len(gltf.accessors) - 1


def animated_glb(scene_glb: bytes, traj, com_ssacs: dict, speed: float) -> tuple[bytes, int]:
    """(GLB bytes with the animation, keyframe count) from the static station GLB bytes."""
    import pygltflib as G
    gltf = G.GLTF2.load_from_bytes(scene_glb)
    n = add_separation_animation(gltf, traj, com_ssacs, speed)
    return b"".join(gltf.save_to_bytes()), n


def check_bodies(traj, where: str) -> dict:
    """{name: com_ssacs_m} of ROS and USOS from the run, or a FormatError naming what is missing."""
    missing = [n for n in SEGMENTS if n not in traj.body_names]
    coms = {n: trajectory_meta(traj).body(n).com_ssacs_m for n in SEGMENTS}
    if missing or any(c is None for c in coms.values()):
        raise FormatError(where, "body_names", f"{list(traj.body_names)}: the animation needs the station "
                          "segments ROS and USOS (a station scenario's run)")
    return {n: list(c) for n, c in coms.items()}


def run_model(traj, spec, articulation=None, vehicles=None):
    """The station model of the run: the vehicles whose elements the run's segments hold, unless
    `vehicles` (True/False/ids) is given."""
    from station import build_model
    if vehicles is not None:
        return build_model(spec, vehicles=vehicles, articulation=articulation)
    ids = {e for n in SEGMENTS for e in trajectory_meta(traj).body(n).element_ids}
    full = build_model(spec, vehicles=True, articulation=articulation)
    if not ids or all(v in ids for v in full.vehicles):
        return full
    return build_model(spec, vehicles=[v for v in full.vehicles if v in ids], articulation=articulation)
