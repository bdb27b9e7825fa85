"""Where everything is at one playhead time, in the scene frame (pure numpy, no Panda3D).

The scene frame is the floating origin of the renderer (panda3d_notes.md section 1): its origin is
the CoM of the *anchor* body (the US segment) and its axes are that body's LVLH axes turned to
Panda3D's Z-up convention:

    scene x = LVLH x (along the velocity),  scene y = -LVLH y (orbit normal),  scene z = -LVLH z (zenith)

i.e. ``R_scene_from_lvlh = diag(1, -1, -1)`` (a proper rotation: 180 deg about x). Positions stay
float64 until the subtraction of the anchor's position; the GPU only ever sees the small differences.
The Earth, the Sun and the stars move around the station, never the other way round.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from physics.trajmeta import trajectory_meta
from render import sky
from render.longstate import lvlh_from_gcrs, quat_to_matrix, state_at

R_SCENE_FROM_LVLH = np.diag([1.0, -1.0, -1.0])
from physics.constants import WGS84_A_M as EARTH_RADIUS_M  # noqa: E402  WGS84 equatorial radius; the drawn Earth is this sphere
SUN_RADIUS_M = 695_700_000.0          # IAU 2015 nominal solar radius


@dataclass(frozen=True)
class Snapshot:
    """The scene at one time: everything the renderer needs, nothing it may write back."""
    t_s: float
    body_names: tuple[str, ...]
    pos_scene_m: np.ndarray            # (n,3) body CoMs
    R_scene_from_body: np.ndarray      # (n,3,3)
    earth_center_scene_m: np.ndarray   # (3,)
    R_scene_from_itrs: np.ndarray      # (3,3) turns the textured Earth for the epoch
    sun_dir_scene: np.ndarray          # (3,) unit vector from the station to the Sun
    sunlit_fraction: float             # 0 in the umbra, 1 in full sunlight, between in the penumbra
    R_scene_from_gcrs: np.ndarray      # (3,3) for the stars


def sunlit_fraction(r_gcrs_m: np.ndarray, sun_gcrs_m: np.ndarray) -> float:
    """Fraction of the solar disc visible from r (conical umbra/penumbra, linear across the edge).

    The Sun's and the Earth's apparent angular radii a_s, a_e and their separation d decide:
    d >= a_e + a_s full light, d <= a_e - a_s umbra, linear in between (good to a few percent,
    which is all a brightness fade needs).
    """
    to_sun = sun_gcrs_m - r_gcrs_m
    dist_sun, dist_earth = np.linalg.norm(to_sun), np.linalg.norm(r_gcrs_m)
    a_s = math.asin(min(1.0, SUN_RADIUS_M / dist_sun))
    a_e = math.asin(min(1.0, EARTH_RADIUS_M / dist_earth))
    cos_d = float(np.dot(to_sun, -r_gcrs_m) / (dist_sun * dist_earth))
    d = math.acos(max(-1.0, min(1.0, cos_d)))
    return float(np.clip((d - (a_e - a_s)) / (2 * a_s), 0.0, 1.0))


def snapshot(traj, t_s: float, anchor: str = "USOS") -> Snapshot:
    """Evaluate the trajectory at t_s and express everything in the scene frame."""
    r, v, q, _ = state_at(traj, float(t_s))     # two-body arcs between coarse (hourly) samples
    names = tuple(traj.body_names)
    k = names.index(anchor) if anchor in names else 0
    moving = np.linalg.norm(v, axis=1) > 1.0
    if not moving[k] and moving.any():     # a re-entered anchor (long runs: held at 120 km, v = 0)
        k = int(np.flatnonzero(moving)[0])  # has no orbit plane: take the LVLH axes of a live body
    if not moving.any():
        v = v.copy()
        v[k] = np.cross([0.0, 0.0, 1.0], r[k]) + np.cross([1.0, 0.0, 0.0], r[k])   # any frame will do
    R_scene_from_gcrs = R_SCENE_FROM_LVLH @ lvlh_from_gcrs(r[k], v[k])
    pos = (r - r[k]) @ R_scene_from_gcrs.T
    R_body = R_scene_from_gcrs @ quat_to_matrix(q)
    R_itrs_from_gcrs = sky.itrs_from_gcrs(traj.epoch_tt_jd, float(t_s))
    sun_gcrs = sky.sun_gcrs_m(traj.epoch_tt_jd, float(t_s))
    sun_dir = R_scene_from_gcrs @ ((sun_gcrs - r[k]) / np.linalg.norm(sun_gcrs - r[k]))
    return Snapshot(
        t_s=float(t_s), body_names=names, pos_scene_m=pos, R_scene_from_body=R_body,
        earth_center_scene_m=R_scene_from_gcrs @ (-r[k]),
        R_scene_from_itrs=R_scene_from_gcrs @ R_itrs_from_gcrs.T,
        sun_dir_scene=sun_dir, sunlit_fraction=sunlit_fraction(r[k], sun_gcrs),
        R_scene_from_gcrs=R_scene_from_gcrs,
    )


def com_ssacs(traj, model, name: str) -> np.ndarray:
    """(3,) the body's CoM in the station frame (SSACS): from the run's metadata, else from the model
    (the offset between a body's frame and its meshes, which are drawn in SSACS)."""
    com = trajectory_meta(traj).body(name).com_ssacs_m if traj is not None else None
    if com is not None:
        return np.asarray(com, float)
    return np.asarray(model.segments[name].mass.com_m, float)


def placeholder_snapshot(body_names=("ROS", "USOS"), altitude_m: float = 418e3) -> Snapshot:
    """Docked station in LVLH attitude over a daylit Earth: shown while the simulation runs."""
    n = len(body_names)
    R_body = np.repeat(R_SCENE_FROM_LVLH[None], n, 0)
    sun = np.array([0.5, -0.3, 0.81]); sun /= np.linalg.norm(sun)
    return Snapshot(0.0, tuple(body_names), np.zeros((n, 3)), R_body,
                    np.array([0.0, 0.0, -(EARTH_RADIUS_M + altitude_m)]), np.eye(3), sun, 1.0, np.eye(3))
