"""Cameras as pure logic: each one turns a Snapshot into a CameraPose (no window, no Panda3D).

Poses are in the scene frame (scene.py / scenestate.py: origin at the US segment's CoM, z = zenith).
Keys 1-6 pick: orbit, chase, from_us, wide, far, port (the registry CAMERAS: name, key, description,
builder). ``CameraRig`` blends between poses smoothly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from render.scenestate import EARTH_RADIUS_M, Snapshot

# The port camera (port_pose), US body axes (SSACS: +x fwd, +y stbd, +z nadir) from the US docking port:
# in the plane of the gap (so the opening is seen edge-on, as a line of background), 6.5 m to the side,
# 5 m zenith. On the port side that is above BEAM (z >= 3.2 m) and aft of Tranquility (x >= -7.2 m); on
# the starboard side aft of Quest (x >= -6.5 m); inside the radiators' plane (|y| 14.7 m): nothing
# stands between it and PMA-1 / Zarya's nose, and the line of sight goes on down to the Earth, so the
# gap is seen against the ground, not against another module.
PORT_EYE_BODY_M = (0.0, 6.5, -5.0)
PORT_FOV_DEG = 27.0      # 3.9 m wide at 8.2 m: 325 px/m at 1280 px; the 1.0 cm gap 1 s after release is 3 px
PORT_MAX_SCALE = 2.1     # 17 m out at most: 13.7 m to the side, inside the radiators at 14.7 m


@dataclass(frozen=True)
class CameraPose:
    eye_m: np.ndarray          # (3,) scene frame
    target_m: np.ndarray       # (3,) point looked at
    up: np.ndarray = field(default_factory=lambda: np.array([0.0, 0.0, 1.0]))
    fov_deg: float = 50.0      # horizontal field of view


def _unit(v):
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def _body(snap: Snapshot, name: str) -> int:
    return snap.body_names.index(name) if name in snap.body_names else 0


def station_center(snap: Snapshot) -> np.ndarray:
    """Midpoint of all bodies' CoMs: what the orbit and wide views look at."""
    return snap.pos_scene_m.mean(axis=0)


def body_range_m(snap: Snapshot) -> float:
    p = snap.pos_scene_m
    return float(np.linalg.norm(p[0] - p[-1])) if len(p) > 1 else 0.0


class OrbitCamera:
    """Yaw/pitch/distance around the station's centre: drag turns, the wheel zooms."""

    def __init__(self, yaw_deg: float | None = None, pitch_deg=22.0, dist_m=150.0):
        self.yaw_deg, self.pitch_deg, self.dist_m = yaw_deg, pitch_deg, dist_m   # yaw None: set on first use

    def face_sun(self, snap: Snapshot) -> None:
        """Start on the sunlit side (30 deg off the Sun's azimuth) so the first view is lit, not backlit."""
        s = snap.sun_dir_scene
        self.yaw_deg = (math.degrees(math.atan2(s[1], s[0])) + 30.0) % 360.0

    def drag(self, dx_px: float, dy_px: float, deg_per_px: float = 0.3) -> None:
        self.yaw_deg = (self.yaw_deg - dx_px * deg_per_px) % 360.0
        self.pitch_deg = float(np.clip(self.pitch_deg + dy_px * deg_per_px, -89.0, 89.0))

    def zoom(self, factor: float) -> None:
        self.dist_m = float(np.clip(self.dist_m * factor, 8.0, 3.0e5))

    def pose(self, snap: Snapshot) -> CameraPose:
        if self.yaw_deg is None:
            self.face_sun(snap)
        yaw, pitch = math.radians(self.yaw_deg), math.radians(self.pitch_deg)
        direction = np.array([math.cos(pitch) * math.cos(yaw), math.cos(pitch) * math.sin(yaw), math.sin(pitch)])
        target = station_center(snap)
        framing = max(1.0, body_range_m(snap) / 55.0)   # keep both segments in view as they separate
        return CameraPose(target + self.dist_m * framing * direction, target)


def chase_pose(snap: Snapshot, name: str = "ROS") -> CameraPose:
    """Tracking shot beside the Russian segment, from the side away from the US segment and above."""
    ros, us = snap.pos_scene_m[_body(snap, name)], snap.pos_scene_m[_body(snap, "USOS")]
    away = _unit(ros - us) if np.linalg.norm(ros - us) > 1 else np.array([-1.0, 0.0, 0.0])
    side = _unit(np.cross([0.0, 0.0, 1.0], away)) if abs(away[2]) < 0.95 else np.array([0.0, 1.0, 0.0])
    # on the Sun's side of the orbit plane (scene y = orbit normal): the side the viewer sees is lit, not
    # backlit. The sign of the Sun's y (the beta angle) changes over weeks, not during a shot.
    if side[1] * snap.sun_dir_scene[1] < 0.0:
        side = -side
    return CameraPose(ros + 45.0 * away + 55.0 * side + 22.0 * np.array([0, 0, 1.0]), ros, fov_deg=55.0)


def from_us_pose(snap: Snapshot, port_usos_body_m: np.ndarray, name: str = "ROS") -> CameraPose:
    """From beside the US segment's docking port (0.5 m forward, 8 m starboard, 6 m zenith of it: clear of
    PMA-1, Unity and Quest, inside the radiators' plane), looking at the departing segment; the field of
    view narrows as it leaves so it stays a readable size."""
    k = _body(snap, "USOS")
    port = snap.pos_scene_m[k] + snap.R_scene_from_body[k] @ np.asarray(port_usos_body_m, float)
    eye = port + snap.R_scene_from_body[k] @ np.array([0.5, 8.0, -6.0])   # SSACS: +x fwd, +y stbd, +z nadir
    target = snap.pos_scene_m[_body(snap, name)]
    # Once it is > 20 m away the hull would block the line of sight: lean out towards it, up to 70 m from
    # the US CoM (beyond the modules and the truss' depth; the arrays lie along the truss, off this line).
    u = _unit(target - snap.pos_scene_m[k])
    s = float(np.clip((np.linalg.norm(target - port) - 20.0) / 100.0, 0.0, 1.0))
    eye = (1 - s) * eye + s * (snap.pos_scene_m[k] + 70.0 * u + np.array([0.0, 0.0, 6.0]))
    dist = float(np.linalg.norm(target - eye))
    fov = float(np.clip(np.degrees(2 * math.atan(30.0 / max(dist, 1e-3))), 12.0, 80.0))
    return CameraPose(eye, target, fov_deg=fov)


def port_pose(snap: Snapshot, port_usos_body_m, port_ros_body_m=None, name: str = "ROS") -> CameraPose:
    """At the docking port, looking across the gap (PORT_EYE_BODY_M, on the Sun's side of the station so
    what faces the camera is lit): aimed at the midpoint of the two ports, it backs off along the same
    line as the gap grows so the frame holds the gap twice over plus 3.5 m (both port rims in view).
    port_ros_body_m: the Russian side of the interface in its own body frame (None: the US port only)."""
    k, i = _body(snap, "USOS"), _body(snap, name)
    R = snap.R_scene_from_body[k]
    p_us = snap.pos_scene_m[k] + R @ np.asarray(port_usos_body_m, float)
    p_ros = p_us if port_ros_body_m is None else \
        snap.pos_scene_m[i] + snap.R_scene_from_body[i] @ np.asarray(port_ros_body_m, float)
    mid, gap = (p_us + p_ros) / 2, float(np.linalg.norm(p_ros - p_us))
    off = np.array(PORT_EYE_BODY_M, float)
    if np.dot(R @ (off * [0.0, 1.0, 0.0]), snap.sun_dir_scene) < 0.0:
        off[1] = -off[1]                      # the side the Sun shines on (the beta angle's sign)
    width0 = 2.0 * float(np.linalg.norm(off)) * math.tan(math.radians(PORT_FOV_DEG) / 2)
    need = max(1.0, (2.0 * gap + 3.5) / width0)
    # it backs off to PORT_MAX_SCALE (still inside the radiators' plane, |y| < 14.7 m), then widens the
    # lens instead, up to 80 deg (16 m apart), then backs off again (an hour later: hundreds of m); once the Russian segment sinks (minutes later) the eye keeps the US port's
    # height, not the midpoint's, and looks down at the gap
    t0 = math.tan(math.radians(PORT_FOV_DEG) / 2)
    scale = max(min(need, PORT_MAX_SCALE), need * t0 / math.tan(math.radians(40.0)))   # lens: 80 deg at most
    fov = min(80.0, math.degrees(2 * math.atan(t0 * need / scale)))
    drop = max(0.0, float((R.T @ (mid - p_us))[2]))          # SSACS +z is nadir
    return CameraPose(mid + scale * (R @ off) - R @ np.array([0.0, 0.0, drop]), mid, fov_deg=fov)


def wide_pose(snap: Snapshot) -> CameraPose:
    """LVLH-fixed wide view: broadside from the orbit normal, far enough to hold both segments."""
    dist = max(230.0, 2.2 * body_range_m(snap))
    target = station_center(snap)
    return CameraPose(target + dist * _unit(np.array([-0.25, 1.0, 0.35])), target, fov_deg=55.0)


def far_pose(snap: Snapshot) -> CameraPose:
    """Far above the station, leaning towards the day side: the lit Earth, the station's place on it
    (yellow mark) and both ground tracks, even while the station itself is in the night."""
    up = _unit(-snap.earth_center_scene_m)
    s = snap.sun_dir_scene - np.dot(snap.sun_dir_scene, up) * up       # Sun's direction along the ground
    # |s| (not its direction alone): with the Sun overhead the direction along the ground is undefined and
    # flipped the view from frame to frame (long videos sample orbit noon); |s| fades the lean out there
    lean = _unit(0.8 * s + np.array([-0.6, 0.0, 0.0]))
    eye = snap.earth_center_scene_m + 4.6 * EARTH_RADIUS_M * _unit(up + 0.7 * lean)
    target = snap.earth_center_scene_m * 0.97
    return CameraPose(eye, target, north_up(snap, target - eye), fov_deg=50.0)


def north_up(snap: Snapshot, view_dir: np.ndarray) -> np.ndarray:
    """The screen's up for a view of the whole Earth: the Earth's north pole (ITRS +z in the scene),
    as on a map and a globe. The station's zenith (the default up) points almost along the view
    from afar, so the picture's roll followed the orbit: the Earth was often shown south-up. Looking
    straight along the axis (over a pole) any up will do: then the zenith."""
    north = np.asarray(snap.R_scene_from_itrs, float) @ np.array([0.0, 0.0, 1.0])
    d = _unit(np.asarray(view_dir, float))
    return north if np.linalg.norm(np.cross(north, d)) > 1e-3 else np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True)
class CameraKind:
    """One live camera: its name (--camera NAME), the app's key, what it shows, and its pose builder."""
    name: str
    key: str                                            # Panda3D event name (render/keys.py binds it)
    description: str                                    # the help line (app overlay, docs key table)
    build: Callable[["CameraRig", Snapshot], CameraPose]


# The registry: every live camera, in key order. The app, record, screenshot, the presenter's chapters
# and the key table (render/keys.py) all read it.
CAMERAS = (
    CameraKind("orbit", "1", "camera: orbit (left-drag turns it, the wheel zooms)",
               lambda rig, snap: (rig.orbit if rig.interactive else OrbitCamera()).pose(snap)),
    CameraKind("chase", "2", "camera: chase the Russian segment", lambda rig, snap: chase_pose(snap)),
    CameraKind("from_us", "3", "camera: from the US segment, looking at the Russian one",
               lambda rig, snap: from_us_pose(snap, rig.port_usos_body_m)),
    CameraKind("wide", "4", "camera: wide view, fixed in LVLH", lambda rig, snap: wide_pose(snap)),
    CameraKind("far", "5", "camera: far view, Earth (north up) and both ground tracks",
               lambda rig, snap: far_pose(snap)),
    CameraKind("port", "6", "camera: at the docking port, looking across the gap",
               lambda rig, snap: port_pose(snap, rig.port_usos_body_m, rig.port_ros_body_m)),
)
CAMERA_KINDS = {c.name: c for c in CAMERAS}
CAMERA_NAMES = tuple(CAMERA_KINDS)


class CameraRig:
    """Picks a camera by name and blends to it over `blend_s` seconds (smoothstep ease)."""

    def __init__(self, port_usos_body_m=(0.0, 0.0, 0.0), blend_s: float = 1.2, interactive: bool = True,
                 port_ros_body_m=None):
        self.orbit = OrbitCamera()
        self.port_ros_body_m = None if port_ros_body_m is None else np.asarray(port_ros_body_m, float)
        self.interactive = interactive   # False: "orbit" is a fresh sun-side orbit camera per call (offscreen)
        self.port_usos_body_m = np.asarray(port_usos_body_m, float)
        self.name = "orbit"
        self.blend_s = blend_s
        self._from: CameraPose | None = None
        self._age_s = blend_s
        self.current: CameraPose | None = None

    def desired(self, snap: Snapshot, name: str | None = None) -> CameraPose:
        name = name or self.name
        if name in CAMERA_KINDS:
            return CAMERA_KINDS[name].build(self, snap)
        raise ValueError(f"unknown camera {name!r}; choose one of {', '.join(CAMERA_NAMES)}")

    def select(self, name: str) -> None:
        if name not in CAMERA_NAMES:
            raise ValueError(f"unknown camera {name!r}; choose one of {', '.join(CAMERA_NAMES)}")
        if name != self.name:
            self._from, self._age_s, self.name = self.current, 0.0, name

    def update(self, snap: Snapshot, dt_s: float) -> CameraPose:
        self._age_s += max(0.0, dt_s)
        goal = self.desired(snap)
        if self._from is None or self._age_s >= self.blend_s:
            self.current = goal
        else:
            s = self._age_s / self.blend_s
            self.current = blend(self._from, goal, s * s * (3 - 2 * s))
        return self.current


def blend(a: CameraPose, b: CameraPose, s: float) -> CameraPose:
    """Between two poses: target linearly, viewing direction normalised-lerp, distance geometrically
    (so a jump from 100 m to 20 000 km zooms out evenly instead of rushing through the last step)."""
    target = (1 - s) * a.target_m + s * b.target_m
    da, db = a.eye_m - a.target_m, b.eye_m - b.target_m
    na, nb = max(np.linalg.norm(da), 1e-3), max(np.linalg.norm(db), 1e-3)
    direction = _unit((1 - s) * da / na + s * db / nb)
    if np.linalg.norm(direction) == 0:
        direction = db / nb
    dist = na ** (1 - s) * nb ** s
    up = _unit((1 - s) * a.up + s * b.up)
    return CameraPose(target + dist * direction, target, up, (1 - s) * a.fov_deg + s * b.fov_deg)
