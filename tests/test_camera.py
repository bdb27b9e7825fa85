"""Camera logic without a window: orbit input, named poses, smooth transitions."""
from __future__ import annotations

import numpy as np
import pytest

from render.cameras import CAMERA_NAMES, CameraPose, CameraRig, OrbitCamera, blend, far_pose
from fakes import DemoTrajectory
from render.scenestate import EARTH_RADIUS_M, snapshot


@pytest.fixture(scope="module")
def snap():
    return snapshot(DemoTrajectory(t_end_s=1000.0), 600.0)


def test_orbit_drag_and_zoom_are_clamped():
    snap = snapshot(DemoTrajectory(t_end_s=100.0), 0.0)        # docked: no extra framing distance
    cam = OrbitCamera(yaw_deg=0.0, pitch_deg=0.0, dist_m=100.0)
    cam.drag(-100, 0)
    assert cam.yaw_deg == pytest.approx(30.0)
    cam.drag(0, 1e6)
    assert cam.pitch_deg == 89.0
    cam.zoom(1e-9)
    assert cam.dist_m == 8.0
    pose = cam.pose(snap)
    assert np.linalg.norm(pose.eye_m - pose.target_m) == pytest.approx(8.0)


def test_orbit_starts_on_the_sunlit_side(snap):
    pose = OrbitCamera().pose(snap)
    view_from = (pose.eye_m - pose.target_m) / np.linalg.norm(pose.eye_m - pose.target_m)
    assert np.dot(view_from[:2], snap.sun_dir_scene[:2]) > 0   # camera on the Sun's side: front-lit


def test_chase_is_on_the_suns_side_of_the_orbit_plane(snap):
    """The chase camera sits beside the Russian segment on the side the Sun lights (scene y = orbit normal),
    whichever side of the plane the Sun is on."""
    import dataclasses
    from render.cameras import chase_pose
    ros = snap.pos_scene_m[snap.body_names.index("ROS")]
    for sun_y in (0.4, -0.4):
        sun = np.array([0.9, sun_y, 0.1]) / np.linalg.norm([0.9, sun_y, 0.1])
        pose = chase_pose(dataclasses.replace(snap, sun_dir_scene=sun))
        assert (pose.eye_m - ros)[1] * sun_y > 0 and np.allclose(pose.target_m, ros)


def test_named_cameras_look_at_the_right_things(snap):
    rig = CameraRig(port_usos_body_m=np.array([-19.0, 0, 0]))
    ros = snap.pos_scene_m[snap.body_names.index("ROS")]
    for name in ("chase", "from_us"):
        pose = rig.desired(snap, name)
        assert np.allclose(pose.target_m, ros)
    eye = rig.desired(snap, "from_us").eye_m
    assert np.linalg.norm(eye) <= 76.0 and np.linalg.norm(eye - ros) > 20  # leaning out from the US side
    docked = snapshot(DemoTrajectory(t_end_s=100.0), 0.0)
    assert np.linalg.norm(rig.desired(docked, "from_us").eye_m) < 30     # beside the port while docked
    wide = rig.desired(snap, "wide")
    assert np.linalg.norm(wide.eye_m - wide.target_m) > 2 * np.linalg.norm(ros)   # holds both


def test_far_view_has_the_earth_in_front(snap):
    pose = far_pose(snap)
    to_earth = snap.earth_center_scene_m - pose.eye_m
    look = pose.target_m - pose.eye_m
    cos = to_earth @ look / np.linalg.norm(to_earth) / np.linalg.norm(look)
    half_angle = np.degrees(np.arcsin(EARTH_RADIUS_M / np.linalg.norm(to_earth)))
    assert np.degrees(np.arccos(cos)) < 10 and half_angle < pose.fov_deg / 2 * 1.2


def test_unknown_camera_is_refused():
    with pytest.raises(ValueError):
        CameraRig().select("nope")
    assert len(CAMERA_NAMES) == 6


def test_blend_end_points_and_geometric_distance():
    a = CameraPose(np.array([10.0, 0, 0]), np.zeros(3), fov_deg=40)
    b = CameraPose(np.array([0, 1000.0, 0]), np.zeros(3), fov_deg=60)
    assert np.allclose(blend(a, b, 0).eye_m, a.eye_m) and np.allclose(blend(a, b, 1).eye_m, b.eye_m)
    mid = blend(a, b, 0.5)
    assert np.linalg.norm(mid.eye_m) == pytest.approx(100.0) and mid.fov_deg == 50


def test_rig_transition_is_smooth_and_finishes(snap):
    rig = CameraRig(blend_s=1.0)
    start = rig.update(snap, 0.0)
    rig.select("wide")
    goal = rig.desired(snap, "wide")
    eyes = [rig.update(snap, 0.1).eye_m for _ in range(12)]
    steps = np.linalg.norm(np.diff(np.array([start.eye_m] + eyes), axis=0), axis=1)
    assert np.allclose(eyes[-1], goal.eye_m)
    assert steps.max() < 0.35 * np.linalg.norm(goal.eye_m - start.eye_m)   # no jump


def test_camera_registry_is_the_one_list(snap):
    """render.cameras.CAMERAS: unique names and keys, each builds a pose; the key table binds each key
    to its camera, and the presenter's chapters use only registered cameras."""
    from render import keys
    from render.cameras import CAMERAS
    assert len({c.name for c in CAMERAS}) == len({c.key for c in CAMERAS}) == len(CAMERAS) == len(CAMERA_NAMES)
    rig = CameraRig()
    for cam in CAMERAS:
        assert isinstance(cam.build(rig, snap), CameraPose)
        assert ((cam.key,), f"cam_{cam.name}", cam.description) in keys.KEYS


def test_presenter_chapters_use_registered_cameras():
    from render.presenter import chapters_for, long_run_chapters
    chapters = chapters_for(DemoTrajectory(t_end_s=7000.0)) + long_run_chapters(DemoTrajectory(t_end_s=7000.0))
    assert chapters and {c.camera for c in chapters} <= set(CAMERA_NAMES)
