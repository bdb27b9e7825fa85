"""Camera paths: keys hit exactly, easing, frames, parsing errors (pure numpy, no window)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from render.camera_path import (EASES, INTERFACE_SSACS_M, ROSCOSMOS_PATH, CameraPathError, blend_poses,
                                parse_camera_path)
from render.cameras import CameraPose
from render.scenestate import Snapshot

NAMES = ("ROS", "USOS")
COMS = {"ROS": np.array([-22.8, 0.0, 6.6]), "USOS": np.array([2.5, -1.1, 2.8])}


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])


def snap(t_s, ros_pos=(-25.0, 0.0, 0.0), ros_yaw=0.0):
    """Scene with USOS at the origin (LVLH attitude in scene axes = diag(1,-1,-1)) and ROS displaced/turned."""
    R_us = np.diag([1.0, -1.0, -1.0])
    return Snapshot(t_s, NAMES, np.array([ros_pos, [0.0, 0.0, 0.0]]), np.array([rot_z(ros_yaw) @ R_us, R_us]),
                    np.array([0.0, 0.0, -6.8e6]), rot_z(0.3), np.array([1.0, 0, 0]), 1.0, np.eye(3))


PATH = {
    "name": "test", "time_from": "release",
    "key": [
        {"t_s": 0.0, "frame": "ssacs:USOS", "eye_m": [-3.0, 16.0, -2.0], "target": "interface", "fov_deg": 40.0},
        {"t_s": 10.0, "frame": "body:ROS", "eye_m": [0.0, 30.0, 0.0], "target": "ROS", "ease": "linear"},
        {"t_s": 20.0, "frame": "lvlh", "origin": "midpoint", "eye_m": [0.0, 400.0, -100.0], "target": "midpoint"},
        {"t_s": 30.0, "frame": "earth", "eye_m": [7.0e6, 0.0, 0.0], "target": "earth", "fov_deg": 60.0},
    ],
}


@pytest.fixture
def path():
    return parse_camera_path(PATH, NAMES, t_release_s=100.0, source="test.toml")


def test_key_times_are_relative_to_release(path):
    assert [k.t_s for k in path.keys] == [100.0, 110.0, 120.0, 130.0]


def test_each_key_is_hit_exactly_in_its_frame(path):
    s = snap(100.0, ros_pos=(-25.0, 0.0, 0.0), ros_yaw=0.2)
    R_us, R_ros = s.R_scene_from_body[1], s.R_scene_from_body[0]
    # key 0: eye in USOS SSACS -> body (subtract CoM) -> scene; target = the interface on the ROS side
    p0 = path.pose(s, COMS)
    assert np.allclose(p0.eye_m, R_us @ (np.array([-3.0, 16.0, -2.0]) - COMS["USOS"]), atol=1e-12)
    assert np.allclose(p0.target_m, s.pos_scene_m[0] + R_ros @ (np.array(INTERFACE_SSACS_M) - COMS["ROS"]),
                       atol=1e-12)
    assert p0.fov_deg == 40.0
    p1 = path.pose(snap(110.0, ros_yaw=0.2), COMS)
    assert np.allclose(p1.eye_m, s.pos_scene_m[0] + R_ros @ [0.0, 30.0, 0.0], atol=1e-9)
    assert np.allclose(p1.target_m, s.pos_scene_m[0], atol=1e-9)
    p2 = path.pose(snap(120.0), COMS)
    midpoint = np.array([-12.5, 0.0, 0.0])
    assert np.allclose(p2.eye_m, midpoint + [0.0, -400.0, 100.0], atol=1e-9)  # LVLH y,z flip in scene axes
    p3 = path.pose(snap(130.0), COMS)
    assert np.allclose(p3.eye_m, s.earth_center_scene_m + rot_z(0.3) @ [7.0e6, 0, 0], atol=1e-6)
    assert np.allclose(p3.target_m, s.earth_center_scene_m) and p3.fov_deg == 60.0


def test_before_first_and_after_last_key_hold(path):
    a, b = path.pose(snap(50.0), COMS), path.pose(snap(100.0), COMS)
    assert np.array_equal(a.eye_m, b.eye_m)
    c, d = path.pose(snap(1e6), COMS), path.pose(snap(130.0), COMS)
    assert np.array_equal(c.eye_m, d.eye_m)


def test_easing_functions_end_points_and_shape():
    u = np.linspace(0, 1, 101)
    for name, f in EASES.items():
        if name == "hold":
            assert f(0.7) == 0.0
            continue
        assert f(0.0) == 0.0 and f(1.0) == 1.0
        assert np.all(np.diff([f(x) for x in u]) >= 0)
    h = 1e-6  # in_out starts and ends at rest: slope ~0 at both ends
    assert EASES["in_out"](h) / h < 1e-5 and (1 - EASES["in_out"](1 - h)) / h < 1e-5
    assert EASES["in_out"](0.5) == 0.5


def test_blend_pulls_back_geometrically():
    a = CameraPose(np.array([10.0, 0, 0]), np.zeros(3), fov_deg=40.0)
    b = CameraPose(np.array([1000.0, 0, 0]), np.zeros(3), fov_deg=60.0)
    mid = blend_poses(a, b, 0.5)
    assert np.allclose(mid.eye_m, [100.0, 0, 0]) and mid.fov_deg == 50.0  # geometric mean of 10 and 1000
    assert blend_poses(a, b, 0.0) is a and blend_poses(a, b, 1.0) is b


def test_segment_uses_the_starting_keys_ease(path):
    # key 1 -> 2 is linear: the target (ROS CoM -> midpoint) moves linearly in time
    pose = path.pose(snap(115.0), COMS)
    assert np.allclose(pose.target_m, 0.5 * (np.array([-25.0, 0, 0]) + [-12.5, 0, 0]), atol=1e-9)
    # key 0 -> 1 is in_out: at a quarter of the time, smoothstep(0.25) = 0.15625 of the way
    p = path.pose(snap(102.5), COMS)
    a, b = path.pose(snap(100.0), COMS), path.pose(snap(110.0), COMS)
    assert np.allclose(p.target_m, a.target_m + 0.15625 * (b.target_m - a.target_m), atol=1e-9)


def test_continuous_in_time(path):
    ts = np.linspace(95.0, 135.0, 4001)
    eyes = np.array([path.pose(snap(t), COMS).eye_m for t in ts])
    steps = np.linalg.norm(np.diff(eyes, axis=0), axis=1)
    # the biggest jump per 10 ms is set by the earth key (7e6 m away); elsewhere it is small
    assert np.all(steps[ts[1:] <= 120.0] < 2.0)


def test_bundled_roscosmos_path_opens_on_the_port_camera_then_pulls_back():
    from render.cameras import PORT_EYE_BODY_M, PORT_FOV_DEG

    p = parse_camera_path(ROSCOSMOS_PATH, NAMES, t_release_s=10.0)
    assert p.keys[0].t_s == 5.0 and p.keys[0].target.frame == "ssacs"
    docked_pos = np.diag([1.0, -1.0, -1.0]) @ (COMS["ROS"] - COMS["USOS"])   # SSACS offset in scene axes
    pose = p.pose(snap(5.0, ros_pos=docked_pos), COMS)
    # the port camera's place (render/cameras.py): beside the interface, in the plane of the gap, on the
    # port side and above (the lit side at clip-2022's release; scene y = port, z = zenith)
    assert np.linalg.norm(pose.eye_m - pose.target_m) == pytest.approx(np.linalg.norm(PORT_EYE_BODY_M), abs=0.01)
    assert pose.fov_deg == PORT_FOV_DEG and abs(pose.eye_m[0] - pose.target_m[0]) < 0.01
    assert pose.eye_m[2] > pose.target_m[2] and pose.eye_m[1] > pose.target_m[1]
    held = p.pose(snap(10.0 + 12.0, ros_pos=docked_pos), COMS)
    assert np.allclose(held.eye_m, pose.eye_m)          # held through the push and the real-time part
    # at +40 s the interface from 30-60 m: a 50 deg view holds Zarya, PMA-1, Unity and Zvezda
    out = p.pose(snap(50.0, ros_pos=COMS["ROS"] - COMS["USOS"]), COMS)
    assert 30.0 < np.linalg.norm(out.eye_m - out.target_m) < 60.0
    assert out.eye_m[2] - out.target_m[2] > 25.0 and out.eye_m[1] > out.target_m[1]
    last = p.pose(snap(1e5), COMS)
    assert np.linalg.norm(last.eye_m - last.target_m) > 2000.0  # pulled far back
    assert last.eye_m[2] > last.target_m[2]  # from above: the Earth is below in the frame


@pytest.mark.parametrize("mutate, match", [
    (lambda d: d["key"][0].update(frame="ssacs:ZARYA"), r"key\[0\]\.frame: 'ssacs:ZARYA': no body"),
    (lambda d: d["key"][1].update(t_s=0.0), r"key\[1\]\.t_s: key times must increase"),
    (lambda d: d["key"][0].update(ease="bouncy"), r"key\[0\]\.ease: 'bouncy' is not one of"),
    (lambda d: d["key"][0].update(eye_m=[1, 2]), r"key\[0\]\.eye_m: expected \[x, y, z\]"),
    (lambda d: d["key"][2].update(target="moon"), r"key\[2\]\.target: 'moon' is not a body"),
    (lambda d: d["key"][0].update(fov_deg=500), r"fov_deg: 500.0 is outside"),
    (lambda d: d.update(time_from="launch"), r"camera_path.time_from: 'launch'"),
    (lambda d: d.update(keys=[]), r"camera_path.keys: unknown key"),
    (lambda d: d.update(key=[]), r"camera_path.key: needs at least one"),
    (lambda d: d["key"][0].update(zoom=2), r"key\[0\]\.zoom: unknown key"),
])
def test_bad_tables_give_one_line_errors(mutate, match):
    import copy

    raw = copy.deepcopy(PATH)
    mutate(raw)
    with pytest.raises(CameraPathError, match=match) as err:
        parse_camera_path(raw, NAMES, t_release_s=0.0, source="lesson.toml")
    assert str(err.value).startswith("lesson.toml: camera_path") and "\n" not in str(err.value)
    assert err.value.is_user_error


def test_release_relative_path_needs_a_release():
    with pytest.raises(CameraPathError, match="no release event"):
        parse_camera_path(PATH, NAMES, t_release_s=None)
    epoch_path = dict(PATH, time_from="epoch")
    assert parse_camera_path(epoch_path, NAMES, t_release_s=None).keys[0].t_s == 0.0
