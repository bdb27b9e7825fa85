"""Cinematic camera paths: eased keyframes in physical frames, looking at a target (pure numpy).

A path is a list of keys; each key gives the camera's eye and the point it looks at, each in a frame
that moves with the run, evaluated at the *current* time:

* ``lvlh`` : the anchor's LVLH axes (x along the velocity, y = -orbit normal, z nadir), origin at
  ``origin`` (a body's CoM or ``midpoint`` of all bodies);
* ``body:NAME`` : NAME's body axes (SSACS), origin at its CoM;
* ``ssacs:NAME`` : NAME's SSACS coordinates, p_body = p_ssacs - com_ssacs (how the station file
  and docs give positions, e.g. the Zarya/PMA-1 interface plane at x = -9.66 m);
* ``earth`` : Earth-fixed ITRS, origin at the Earth's centre.

Between key i and i+1 the camera blends with key i's ease: the target moves linearly, the viewing
direction is a normalised lerp and the distance geometric (a pull-back from 20 m to 2 km spends
equal time on each doubling). At a key's time the pose is that key's pose (to rounding).
Output poses are ``render.cameras.CameraPose`` in the scene frame of ``render.scenestate``.

Path dicts are what TOML gives for a ``[camera_path]`` table (see ``ROSCOSMOS_PATH``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from render.cameras import PORT_EYE_BODY_M, PORT_FOV_DEG, CameraPose
from render.scenestate import R_SCENE_FROM_LVLH, Snapshot

EASES = {
    "linear": lambda u: u,
    "in": lambda u: u * u * u,
    "out": lambda u: 1.0 - (1.0 - u) ** 3,
    "in_out": lambda u: u * u * (3.0 - 2.0 * u),
    "hold": lambda u: 0.0,  # stay on this key, cut to the next one
}
TIME_REFS = ("release", "epoch")
NAMED_TARGETS = ("midpoint", "earth")
INTERFACE_SSACS_M = (-9.66, 0.0, 4.142)  # Zarya fwd APAS / PMA-1 plane (iss_configuration.md 5), ROS axis z


class CameraPathError(Exception):
    """A bad [camera_path] table; one line naming the source and the key."""

    is_user_error = True


@dataclass(frozen=True)
class Place:
    """A point given in one of the moving frames."""
    frame: str  # "lvlh" | "body" | "ssacs" | "earth" | "named"
    body: str  # body for body/ssacs, origin for lvlh ("" = anchor), name for "named"
    p_m: np.ndarray  # (3,)


@dataclass(frozen=True)
class CameraKey:
    t_s: float  # simulated time (s since epoch)
    eye: Place
    target: Place
    fov_deg: float
    ease: str


@dataclass(frozen=True)
class CameraPath:
    name: str
    keys: tuple[CameraKey, ...]

    def pose(self, snap: Snapshot, coms_ssacs_m: dict) -> CameraPose:
        """Camera pose at snap.t_s. coms_ssacs_m: {body: (3,) CoM in SSACS} to place ssacs points."""
        t = snap.t_s
        keys = self.keys
        if t <= keys[0].t_s or len(keys) == 1:
            return key_pose(keys[0], snap, coms_ssacs_m)
        if t >= keys[-1].t_s:
            return key_pose(keys[-1], snap, coms_ssacs_m)
        i = int(np.searchsorted([k.t_s for k in keys], t, side="right")) - 1
        a, b = keys[i], keys[i + 1]
        s = EASES[a.ease]((t - a.t_s) / (b.t_s - a.t_s))
        return blend_poses(key_pose(a, snap, coms_ssacs_m), key_pose(b, snap, coms_ssacs_m), s)


def place_scene_m(place: Place, snap: Snapshot, coms_ssacs_m: dict) -> np.ndarray:
    """A Place -> (3,) scene-frame position at the snapshot's time."""
    names = snap.body_names
    if place.frame == "named":
        if place.body == "earth":
            return np.asarray(snap.earth_center_scene_m, float)
        return snap.pos_scene_m.mean(axis=0)
    if place.frame == "earth":
        return snap.earth_center_scene_m + snap.R_scene_from_itrs @ place.p_m
    if place.frame == "lvlh":
        origin = snap.pos_scene_m.mean(axis=0) if place.body == "midpoint" else \
            snap.pos_scene_m[names.index(place.body)] if place.body else np.zeros(3)
        return origin + R_SCENE_FROM_LVLH @ place.p_m
    k = names.index(place.body)
    p_body = place.p_m - np.asarray(coms_ssacs_m[place.body], float) if place.frame == "ssacs" else place.p_m
    return snap.pos_scene_m[k] + snap.R_scene_from_body[k] @ p_body


def key_pose(key: CameraKey, snap: Snapshot, coms_ssacs_m: dict) -> CameraPose:
    return CameraPose(place_scene_m(key.eye, snap, coms_ssacs_m), place_scene_m(key.target, snap, coms_ssacs_m),
                      np.array([0.0, 0.0, 1.0]), key.fov_deg)


def blend_poses(a: CameraPose, b: CameraPose, s: float) -> CameraPose:
    """Target linear; direction nlerp; distance geometric. s = 0 gives a, s = 1 gives b."""
    if s <= 0.0:
        return a
    if s >= 1.0:
        return b
    target = (1 - s) * a.target_m + s * b.target_m
    da, db = a.eye_m - a.target_m, b.eye_m - b.target_m
    na, nb = max(float(np.linalg.norm(da)), 1e-6), max(float(np.linalg.norm(db)), 1e-6)
    direction = (1 - s) * da / na + s * db / nb
    n = np.linalg.norm(direction)
    direction = direction / n if n > 1e-9 else db / nb  # opposite directions: no halfway, take b's
    dist = na ** (1 - s) * nb ** s
    return CameraPose(target + dist * direction, target, a.up, (1 - s) * a.fov_deg + s * b.fov_deg)


# ---------------------------------------------------------------- parsing a [camera_path] table
def parse_camera_path(raw: dict, body_names, t_release_s: float | None, source: str = "<camera_path>",
                      interface_ssacs_m=INTERFACE_SSACS_M) -> CameraPath:
    """Validate a [camera_path] dict (as from TOML) into a CameraPath with absolute key times.

    interface_ssacs_m: where target = "interface" points (the station model's interface port
    position, SSACS; it moves with the Russian segment)."""
    def fail(key, problem):
        raise CameraPathError(f"{source}: camera_path{'.' + key if key else ''}: {problem}")

    if not isinstance(raw, dict):
        fail("", "expected a table ([camera_path])")
    unknown = set(raw) - {"name", "time_from", "key", "description"}
    if unknown:
        fail(sorted(unknown)[0], "unknown key (expected name, time_from, key)")
    time_from = raw.get("time_from", "release")
    if time_from not in TIME_REFS:
        fail("time_from", f"'{time_from}' is not one of {', '.join(TIME_REFS)}")
    if time_from == "release" and t_release_s is None:
        fail("time_from", "is 'release' but this run has no release event")
    t0 = t_release_s if time_from == "release" else 0.0
    keys_raw = raw.get("key")
    if not isinstance(keys_raw, list) or not keys_raw:
        fail("key", "needs at least one [[camera_path.key]] table")
    iface = [float(x) for x in interface_ssacs_m]
    keys = tuple(_parse_key(k, f"key[{i}]", tuple(body_names), t0, fail, iface) for i, k in enumerate(keys_raw))
    for i in range(1, len(keys)):
        if keys[i].t_s <= keys[i - 1].t_s:
            fail(f"key[{i}].t_s", "key times must increase")
    return CameraPath(str(raw.get("name", "path")), keys)


def _parse_key(k: dict, where: str, names: tuple, t0: float, fail, iface: list) -> CameraKey:
    if not isinstance(k, dict):
        fail(where, "must be a table")
    unknown = set(k) - {"t_s", "frame", "origin", "eye_m", "target", "target_frame", "fov_deg", "ease"}
    if unknown:
        fail(f"{where}.{sorted(unknown)[0]}", "unknown key")
    t = _number(k.get("t_s"), f"{where}.t_s", fail)
    eye = _place(k.get("frame", "lvlh"), k.get("origin", ""), k.get("eye_m"), f"{where}.eye_m", names, fail)
    target_raw = k.get("target", "midpoint")
    if isinstance(target_raw, str):
        if target_raw == "interface":
            target = _place("ssacs:ROS", "", iface, f"{where}.target", names, fail)
        elif target_raw in NAMED_TARGETS:
            target = Place("named", target_raw, np.zeros(3))
        elif target_raw in names:
            target = Place("body", target_raw, np.zeros(3))
        else:
            fail(f"{where}.target", f"'{target_raw}' is not a body ({', '.join(names)}), interface, midpoint or earth")
    else:
        target = _place(k.get("target_frame", k.get("frame", "lvlh")), k.get("origin", ""), target_raw,
                        f"{where}.target", names, fail)
    fov = _number(k.get("fov_deg", 45.0), f"{where}.fov_deg", fail)
    if not 1.0 <= fov <= 150.0:
        fail(f"{where}.fov_deg", f"{fov} is outside 1..150 degrees")
    ease = k.get("ease", "in_out")
    if ease not in EASES:
        fail(f"{where}.ease", f"'{ease}' is not one of {', '.join(EASES)}")
    return CameraKey(t0 + t, eye, target, fov, ease)


def _number(value, where: str, fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(where, f"expected a number, got {value!r}")
    return float(value)


def _place(frame: str, origin: str, p, where: str, names: tuple, fail) -> Place:
    if not (isinstance(p, (list, tuple)) and len(p) == 3):
        fail(where, f"expected [x, y, z] in metres, got {p!r}")
    p_m = np.array([_number(x, where, fail) for x in p])
    kind, _, body = str(frame).partition(":")
    if kind in ("body", "ssacs"):
        if body not in names:
            fail(where.rsplit(".", 1)[0] + ".frame", f"'{frame}': no body '{body}' (have {', '.join(names)})")
        return Place(kind, body, p_m)
    if kind == "lvlh" and not body:
        if origin and origin != "midpoint" and origin not in names:
            fail(where.rsplit(".", 1)[0] + ".origin", f"'{origin}' is not a body or 'midpoint'")
        return Place("lvlh", origin, p_m)
    if kind == "earth" and not body:
        return Place("earth", "", p_m)
    fail(where.rsplit(".", 1)[0] + ".frame", f"'{frame}' is not lvlh, body:NAME, ssacs:NAME or earth")


# ---------------------------------------------------------------- the bundled path
# Re-creates the shots of the Roscosmos clip (March 2022): close on the Zarya / PMA-1 interface,
# then pulling back as the Russian segment drifts away with the Earth below. SSACS: +X forward,
# +Y starboard, +Z nadir, so "above" is -Z; LVLH z is nadir too. Times from the release.
# The opening: the port camera (render/cameras.py port_pose) on the port side, the lit side at clip-2022's
# release (Sun 57 deg up, 47 deg to port of ahead): in the plane of the gap, looking across it, so the
# 1 cm the springs open in the first second is 3 px at 1280x720 and the gap is seen growing in real time.
_PORT_EYE_SSACS = [round(a + b, 3) for a, b in zip(INTERFACE_SSACS_M, (PORT_EYE_BODY_M[0], -PORT_EYE_BODY_M[1],
                                                                      PORT_EYE_BODY_M[2]))]
ROSCOSMOS_PATH = {
    "name": "roscosmos",
    "time_from": "release",
    "key": [
        # the port close-up, held through the push and the first 12 s (the video's real-time part)
        {"t_s": -5.0, "frame": "ssacs:USOS", "eye_m": _PORT_EYE_SSACS, "target": "interface",
         "fov_deg": PORT_FOV_DEG, "ease": "hold"},
        {"t_s": 12.0, "frame": "ssacs:USOS", "eye_m": _PORT_EYE_SSACS, "target": "interface",
         "fov_deg": PORT_FOV_DEG, "ease": "in_out"},
        # then out to the interface from above, aft and to port, ~45 m out: Zarya, PMA-1, Unity with Node 3
        # and the Z1 truss, Zvezda with its arrays and the docked Soyuz and Progress all in frame (a class
        # knows the station by them); between the P1 radiator (y = -14.7 m, z within 5.2 m of the truss)
        # and the truss, so neither blocks the port (USOS-fixed); a slow dolly back while the gap grows
        {"t_s": 40.0, "frame": "ssacs:USOS", "eye_m": [-18.0, -18.0, -38.0], "target": "interface",
         "fov_deg": 50.0, "ease": "in_out"},
        {"t_s": 90.0, "frame": "ssacs:USOS", "eye_m": [-20.0, -24.0, -48.0], "target": "interface",
         "fov_deg": 50.0, "ease": "in_out"},
        # pull back to port and above, looking down past the station at the Earth (LVLH: y = starboard,
        # z = nadir; origin at the midpoint of the two segments)
        {"t_s": 300.0, "frame": "lvlh", "origin": "midpoint", "eye_m": [25.0, -140.0, -70.0],
         "target": "midpoint", "fov_deg": 50.0, "ease": "in_out"},
        {"t_s": 1800.0, "frame": "lvlh", "origin": "midpoint", "eye_m": [300.0, -900.0, -450.0],
         "target": "midpoint", "fov_deg": 50.0, "ease": "in_out"},
        {"t_s": 5600.0, "frame": "lvlh", "origin": "midpoint", "eye_m": [900.0, -2600.0, -1300.0],
         "target": "midpoint", "fov_deg": 50.0, "ease": "linear"},
    ],
}
BUNDLED_PATHS = {"roscosmos": ROSCOSMOS_PATH}
