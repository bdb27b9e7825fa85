"""CZML (Cesium) of a Trajectory, built with czml3: the clock set to the run, one packet per body
(availability until its end or reentry, sampled position and orientation, its path, a label, its own
glTF model embedded as a data URI), one labelled point per release and reentry event.

Frames (docs/formats.md): positions are written in Cesium's FIXED frame, i.e. ITRS metres computed
here with the same Earth rotation as the physics (physics.frames.itrs_from_gcrs), so the picture does
not depend on Cesium loading its own Earth-orientation data. Orientation is the unit quaternion
(x, y, z, w) taking body-axis vectors to Earth-fixed axes, as the CZML Orientation property defines.
The embedded models are in body axes as Cesium sees them: Cesium turns a glTF (+Y up, +Z forward) into
its model frame by M = [[0,0,1],[1,0,0],[0,1,0]] (Y_UP_TO_Z_UP then Z_UP_TO_X_UP), so the model's root
node carries M^T and Cesium's model frame equals the body frame (SSACS axes, origin at the segment CoM).
"""
from __future__ import annotations

import base64
from types import SimpleNamespace

import numpy as np

from formats import body_stop_index
from physics.trajmeta import trajectory_meta

CESIUM_FROM_GLTF = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
COLORS = {"ROS": [230, 90, 60, 255], "USOS": [80, 150, 255, 255]}
OTHER_COLOR = [240, 240, 240, 255]
EVENT_KINDS = ("release", "reentry")
MIN_PIXELS = 32              # a 100-m station is sub-pixel from afar; Cesium draws it at least this big


def _iso(traj, t_s: float) -> str:
    from formats.ccsds import utc_labels
    return utc_labels(traj.epoch_utc, [t_s])[0][:-3] + "Z"      # microseconds are enough for a viewer


def segment_glb(model, name: str, com_ssacs) -> bytes:
    """One segment's GLB in Cesium's body-axis convention (see the module docstring)."""
    import trimesh
    from station.export import station_scene
    scene = station_scene(SimpleNamespace(segments={name: model.segments[name]}))
    root, seg = np.eye(4), np.eye(4)
    root[:3, :3] = CESIUM_FROM_GLTF.T
    seg[:3, 3] = -np.asarray(com_ssacs, float)
    scene.graph.update(frame_from="world", frame_to="ISS", matrix=root)
    scene.graph.update(frame_from="ISS", frame_to=name, matrix=seg)
    return trimesh.exchange.gltf.export_glb(scene)


def _samples(t: np.ndarray, values: np.ndarray) -> list[float]:
    return np.hstack([t[:, None], values]).ravel().tolist()


def _body_packet(traj, i: int, models: dict):
    from czml3 import Packet
    from czml3.properties import (Color, Label, Model, Orientation, Path, PolylineMaterial, Position,
                                  SolidColorMaterial)
    from czml3.types import Cartesian2Value
    from czml3.types import TimeInterval
    from physics.frames import itrs_from_gcrs
    from physics.rotation import dcm_from_quat, quat_from_dcm
    name = traj.body_names[i]
    k = body_stop_index(traj, i) + 1
    t = traj.t_s[:k]
    R = itrs_from_gcrs(traj.epoch_tt_jd, t).reshape(-1, 3, 3)
    r = np.einsum("kij,kj->ki", R, traj.r_gcrs_m[:k, i])
    q = quat_from_dcm(R @ dcm_from_quat(traj.q_gcrs_from_body[:k, i]))[:, [1, 2, 3, 0]]
    color = COLORS.get(name, OTHER_COLOR)
    epoch = _iso(traj, 0.0)
    model = None
    if name in models:
        uri = "data:model/gltf-binary;base64," + base64.b64encode(models[name]).decode("ascii")
        model = Model(gltf=uri, minimumPixelSize=MIN_PIXELS)
    return Packet(
        id=name, name=name, availability=TimeInterval(start=epoch, end=_iso(traj, float(t[-1]))),
        position=Position(epoch=epoch, referenceFrame="FIXED", cartesian=_samples(t, r),
                          interpolationAlgorithm="LAGRANGE", interpolationDegree=5),
        orientation=Orientation(epoch=epoch, unitQuaternion=_samples(t, q), interpolationAlgorithm="LINEAR"),
        path=Path(show=True, width=2, leadTime=0, trailTime=float(t[-1]),
                  material=PolylineMaterial(solidColor=SolidColorMaterial(color=Color(rgba=color)))),
        label=Label(text=name, show=True, fillColor=Color(rgba=color), pixelOffset=Cartesian2Value(values=[0, -24])),
        model=model)


def _event_packets(traj) -> list:
    from czml3 import Packet
    from czml3.properties import Color, Label, Point, Position
    from czml3.types import Cartesian2Value, TimeInterval
    from physics.frames import itrs_from_gcrs
    out = []
    for j, e in enumerate(ev for ev in traj.events if ev.kind in EVENT_KINDS):
        body = e.subject if e.subject in traj.body_names else e.data.get("body_b", traj.body_names[0])
        r_gcrs = traj.state_at(e.t_s)[0][traj.body_names.index(body)]
        r = itrs_from_gcrs(traj.epoch_tt_jd, e.t_s) @ r_gcrs
        when = _iso(traj, e.t_s)
        text = f"{e.kind} {e.subject} {when[11:19]} UTC"
        out.append(Packet(id=f"event-{j}-{e.kind}", name=text,
                          availability=TimeInterval(start=when, end=_iso(traj, float(traj.t_s[-1]))),
                          position=Position(referenceFrame="FIXED", cartesian=r.tolist()),
                          point=Point(pixelSize=10, color=Color(rgba=[255, 220, 0, 255])),
                          label=Label(text=text, show=True, pixelOffset=Cartesian2Value(values=[0, 20]))))
    return out


def czml_document(traj, models: dict | None = None, multiplier: float = 60.0):
    """czml3 Document: clock over the run (played at `multiplier` x real time), bodies, events."""
    from czml3 import Document, Packet
    from czml3.enums import ClockRanges, ClockSteps
    from czml3.properties import Clock
    from czml3.types import TimeInterval
    start, end = _iso(traj, 0.0), _iso(traj, float(traj.t_s[-1]))
    src = trajectory_meta(traj).scenario.title or "ISS separation run"
    clock = Clock(interval=TimeInterval(start=start, end=end), currentTime=start, multiplier=multiplier,
                  range=ClockRanges.LOOP_STOP, step=ClockSteps.SYSTEM_CLOCK_MULTIPLIER)
    packets = [Packet(id="document", name=src, version="1.0", clock=clock)]
    packets += [_body_packet(traj, i, models or {}) for i in range(len(traj.body_names))]
    return Document(packets=packets + _event_packets(traj))


def czml_text(traj, models: dict | None = None) -> str:
    return czml_document(traj, models).dumps()
