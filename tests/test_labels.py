"""Screen-space labels and the port camera: each label's anchor lies on its own segment as drawn (masks
rendered in flat colours), labels keep clear of each other and of the text zones, and the port camera
shows the first centimetre of the gap. The real station model on a demo run (exact docking geometry:
the meshes are placed about the run's own CoMs), small offscreen renders."""
from __future__ import annotations

import numpy as np
import pytest

from render import screenspace as ss
from render.cameras import CameraPose, CameraRig
from fakes import DemoTrajectory
from render.scenestate import snapshot

T_REL = 60.0
W, H = 640, 360
MASK_RGB = {"ROS": (255, 0, 0), "USOS": (0, 0, 255)}


@pytest.fixture(scope="module")
def model():
    from station.loader import load_station
    from station.model import build_model
    return build_model(load_station())


def port_frames(traj, model):
    p = np.asarray(model.interface.position_m, float)
    com = {n: np.asarray(traj.metadata["bodies"][n]["com_ssacs_m"], float) for n in traj.body_names}
    return p - com["USOS"], p - com["ROS"]


# ------------------------------------------------------------------ pure logic
def test_projector_matches_the_lens_conventions():
    pose = CameraPose(np.zeros(3), np.array([0.0, 10.0, 0.0]), np.array([0, 0, 1.0]), 90.0)
    proj = ss.Projector.of(pose, (200, 100))
    px, z = proj.project(np.array([[0.0, 10.0, 0.0], [10.0, 10.0, 0.0], [0.0, 10.0, 5.0]]))
    assert np.allclose(px, [[100, 50], [200, 50], [100, 0]]) and np.allclose(z, 10.0)   # hfov 90: edge at x = z


def test_label_placement_avoids_text_zones_labels_and_edges():
    size = (1280, 720)
    taken = ss.keepout_px(size)
    box = ss.place_label((640, 200), (200, 30), taken, size)
    assert box is not None and not any(ss.overlaps(box[:4], t) for t in ss.keepout_px(size))
    taken.append(box[:4])
    box2 = ss.place_label((640, 200), (200, 30), taken, size)
    assert box2 is not None and not ss.overlaps(box[:4], box2[:4])
    assert ss.place_label((640, 650), (5000, 30), [], size) is None          # wider than the image: nowhere


def test_segment_labels_lean_away_from_each_other():
    """The one-orbit frame of the lesson (presenter, 1280x720): the Russian segment small on the left, the US
    segment on the right. Before, the Russian label went up-right, beside the US label; now each label
    keeps to its own side and its box is nearer its own segment than the other."""
    size = (1280, 720)
    ros, us = np.array([385.0, 339.0]), np.array([927.0, 384.0])
    taken = ss.keepout_px(size) + [(19.0, 349.0, 299.0, 493.0)]          # text zones and the legend
    r = ss.place_label(ros, (241, 32), taken, size, others_px=[us], prefer_slot=1)   # last frame: up-right
    taken.append(r[:4])
    u = ss.place_label(us, (174, 33), taken, size, others_px=[ros])
    for box, own, other in ((r, ros, us), (u, us, ros)):
        b = np.array([box[:4]])
        assert ss.box_distance(b, own)[0] * ss.NEARER_OTHER < ss.box_distance(b, other)[0]
    assert (r[0] + r[2]) / 2 < ros[0] + 130 and (u[0] + u[2]) / 2 > us[0] - 20    # not leaning inwards
    free = ss.place_label(ros, (241, 32), ss.keepout_px(size), size)             # no other segment: as before
    assert free == ss.place_label(ros, (241, 32), ss.keepout_px(size), size, others_px=[ros + 1.0])


def test_scale_bar_lengths_are_round_numbers():
    assert ss.nice_length_m(100.0, 150.0) == 2.0     # 100 px/m, ~150 px wanted: 2 m (200 px) beats 1 m (100 px)
    assert ss.nice_length_m(0.01, 150.0) == 20000.0 and ss.length_text(20000.0) == "20 km"
    assert ss.length_text(0.5) == "50 cm" and ss.length_text(2.0) == "2 m"


def test_port_camera_sees_one_centimetre_as_three_pixels(model):
    """1 cm apart (the springs' first second) is >= 3 px across at 1280x720, and the camera stays in the
    plane of the gap, beside it, as the gap grows."""
    traj = DemoTrajectory(t_end_s=200.0, dt_s=1.0, push_mps=0.01, spin_radps=0.0)
    us, ros = port_frames(traj, model)
    rig = CameraRig(us, interactive=False, port_ros_body_m=ros)
    for dt, gap_m in ((1.0, 0.01), (100.0, 1.0)):
        snap = snapshot(traj, T_REL + dt)
        pose = rig.desired(snap, "port")
        pts = [snap.pos_scene_m[i] + snap.R_scene_from_body[i] @ p for i, p in ((1, us), (0, ros))]
        px, z = ss.Projector.of(pose, (1280, 720)).project(np.array(pts))
        assert np.linalg.norm(pts[1] - pts[0]) == pytest.approx(gap_m, rel=1e-3)
        assert np.linalg.norm(px[1] - px[0]) >= 3.0 and (z > 0).all()
        assert np.all((px > 0) & (px < (1280, 720)))


# ------------------------------------------------------------------ rendered
@pytest.fixture(scope="module")
def run():
    return DemoTrajectory(t_end_s=2500.0, dt_s=2.0, push_mps=0.05, spin_radps=0.002)


@pytest.fixture(scope="module")
def renderer(run, model):
    from render.offscreen import OffscreenRenderer
    r = OffscreenRenderer(run, model, size=(W, H), shadows=False)
    yield r
    r.close()


def masks(renderer, t, camera):
    """{segment: (H,W) bool} of each segment drawn alone in a flat colour, from the same camera."""
    sc = renderer.scene
    sc.far_root.hide(); sc.overlays.labels_root.hide(); sc.overlays.trail_np.hide()
    for name, np_ in sc.segment_np.items():
        np_.set_shader_off(1000); np_.set_light_off(1000); np_.set_texture_off(1000)
        np_.set_color(*(c / 255 for c in MASK_RGB[name]), 1, 1000)
    try:
        img = renderer.render(t, camera).astype(int)
    finally:
        for np_ in sc.segment_np.values():
            np_.clear_shader(); np_.clear_light(); np_.clear_texture(); np_.clear_color()
        sc.far_root.show(); sc.overlays.labels_root.show(); sc.overlays.trail_np.show()
    return {n: np.abs(img - np.array(rgb)).sum(-1) < 30 for n, rgb in MASK_RGB.items()}


def _mask_box(mask):
    ys, xs = np.nonzero(mask)
    return (xs.min(), ys.min(), xs.max(), ys.max()) if len(xs) else None


def _assert_labels_nearer_their_own(placed, m, where):
    """Where the two segments are apart on screen, each segment label's box is nearer its own segment's
    pixels than the other's (a class reads a label as naming what it sits next to)."""
    boxes = {n: _mask_box(mask) for n, mask in m.items()}
    if any(b is None for b in boxes.values()) or ss.overlaps(*boxes.values(), pad=8):
        return
    for key in (k for k in placed if k in m):
        box = np.array([placed[key][1]], float)
        dist = {n: float(ss.box_distance(box, np.transpose(np.nonzero(mask))[:, ::-1].T).min())
                for n, mask in m.items()}
        other = next(n for n in m if n != key)
        assert dist[key] < dist[other], f"{where}: the {key} label is nearer the {other} segment ({dist})"


CASES = [(cam, dt) for cam in ("orbit", "chase", "from_us", "wide", "port", "far")
         for dt in (-10.0, 1.0, 60.0, 700.0)] + [("wide", 2400.0), ("orbit", 2400.0)]   # 120 m apart: small


@pytest.mark.parametrize("mode", [1, 2])
def test_every_label_anchor_is_on_its_own_segment_and_labels_keep_clear(renderer, mode):
    ov = renderer.scene.overlays
    ov.set_label_mode(mode)
    shown = 0
    try:
        for cam, dt in CASES:
            renderer.render(T_REL + dt, cam)
            placed = dict(ov.screen.placed)
            m = masks(renderer, T_REL + dt, cam)
            body_of = {e: b for e, b in zip(ov.screen.els.eid, ov.screen.els.body)}
            for key, (px, box, _, eid) in placed.items():
                body = key if key in m else body_of[eid]
                x, y = int(round(px[0])), int(round(px[1]))
                near = m[body][max(0, y - 1):y + 2, max(0, x - 1):x + 2]
                assert near.any(), f"{cam} t=release{dt:+g}: label {key} points off its segment at {x},{y}"
                shown += 1
            boxes = [b for _, b, _, _ in placed.values()]
            for i, a in enumerate(boxes):
                assert not any(ss.overlaps(a, k) for k in ss.keepout_px((W, H))), f"{cam} {dt}: {a} in a text zone"
                assert not any(ss.overlaps(a, b) for b in boxes[i + 1:]), f"{cam} {dt}: labels overlap"
            for body, mask in m.items():        # a segment that fills 5 % of the view is labelled
                assert mask.mean() < 0.05 or body in placed, f"{cam} t=release{dt:+g}: {body} has no label"
            _assert_labels_nearer_their_own(placed, m, f"{cam} t=release{dt:+g}")
    finally:
        ov.set_label_mode(1)
    assert shown >= 20


def test_port_camera_render_shows_the_gap_open_in_one_second(model):
    """Rendered at 1280x720: between release and release + 1 s (1 cm apart) a column of pixels along the
    gap changes from hull to background, between the two ports' projections."""
    from render.offscreen import OffscreenRenderer
    traj = DemoTrajectory(t_end_s=200.0, dt_s=1.0, push_mps=0.01, spin_radps=0.0)
    r = OffscreenRenderer(traj, model, size=(1280, 720), shadows=False)
    try:
        r.scene.overlays.set_label_mode(0)
        before, after = (r.render(T_REL + dt, "port").astype(int) for dt in (0.0, 1.0))
    finally:
        r.close()
    changed = np.abs(after - before).sum(-1) > 60
    cols = changed.sum(0)
    x = int(np.argmax(cols))
    assert cols[x] >= 40, "no line of changed pixels along the gap"
    assert abs(x - 640) < 200                       # at the gap, in the middle of the frame


def test_record_shows_labels_and_trail_unless_told_not_to():
    import argparse
    from types import SimpleNamespace

    from cli import record_cmd

    parser = argparse.ArgumentParser()
    record_cmd.add_arguments(parser)
    calls = {}

    class Node:
        def __init__(self, name): self.name = name
        def show(self): calls[self.name] = True
        def hide(self): calls[self.name] = False

    ov = SimpleNamespace(set_label_mode=lambda m: calls.__setitem__("mode", m),
                         set_tint=lambda on: calls.__setitem__("tint", on),
                         trail_np=Node("trail"), tracks_np=Node("tracks"))
    renderer = SimpleNamespace(scene=SimpleNamespace(overlays=ov))
    for argv, want in (([], (1, True, False)), (["--no-labels", "--no-trail"], (0, False, False)),
                       (["--overlays", "--tint"], (2, True, True))):
        opts = record_cmd.check_options(parser.parse_args(["--out", "x.mp4", *argv]))
        record_cmd.set_overlays(renderer, opts)
        assert (calls["mode"], calls["trail"], calls["tint"]) == want and calls["tracks"] == calls["trail"]


def test_first_presenter_chapters_watch_the_gap_from_the_port():
    from render.presenter import chapters_for

    cams = {c.title: c.camera for c in chapters_for(DemoTrajectory(t_end_s=6000.0))}
    assert cams["Docked"] == "orbit" and cams["Hooks open"] == "port" and cams["The first minute"] == "port"
