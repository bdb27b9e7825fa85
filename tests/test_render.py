"""Offscreen renders (EGL/llvmpipe) with pixel assertions. One renderer for the module, small images."""
from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("panda3d")

from render.cameras import CameraPose
from fakes import DemoTrajectory, demo_model
from render.scenestate import EARTH_RADIUS_M, snapshot

W, H = 256, 144


@pytest.fixture(scope="module")
def traj():
    return DemoTrajectory(t_end_s=6000.0)


@pytest.fixture(scope="module")
def renderer(traj):
    from render.offscreen import OffscreenRenderer
    r = OffscreenRenderer(traj, demo_model(), size=(W, H))
    yield r
    r.close()


def lum(img):
    return img.astype(int).sum(-1) / 3.0


def day_and_night_times(traj):
    ts = np.arange(0.0, traj.t_s[-1], 60.0)
    lit = np.array([snapshot(traj, t).sunlit_fraction for t in ts])
    return float(ts[np.argmax(lit == 1.0)]), float(ts[np.argmax(lit == 0.0)])


def test_earth_below_the_geometric_horizon(renderer, traj):
    """Camera 5 km to the side of the station, pitched down 20 deg: the horizon dips
    acos(R/(R+h)) = 20.4 deg at 418 km, so it crosses the image just below the centre."""
    t_day, _ = day_and_night_times(traj)
    pitch = math.radians(20.0)
    eye = np.array([0.0, -5000.0, 0.0])
    pose = CameraPose(eye, eye + np.array([math.cos(pitch), 0.0, -math.sin(pitch)]), fov_deg=60.0)
    img = lum(renderer.render(t_day, pose))
    dip = math.degrees(math.acos(EARTH_RADIUS_M / (EARTH_RADIUS_M + 418e3))) - 20.0   # below the centre
    vfov = 2 * math.degrees(math.atan(math.tan(math.radians(30)) * H / W))
    row = H / 2 + dip / (vfov / 2) * H / 2
    assert (img[: int(row) - 8] < 40).mean() > 0.95          # space above the horizon (a few stars)
    assert (img[int(row) + 8:] > 12).mean() > 0.95           # lit Earth below it (the ocean is dark blue)


def test_station_colours_present(renderer, traj):
    t_day, _ = day_and_night_times(traj)
    img = renderer.render(t_day, "wide").astype(int)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    white = (r > 170) & (g > 170) & (b > 160) & (np.abs(r - b) < 40)
    gold = (r > 110) & (r > g + 15) & (g > b + 15)
    assert white.mean() > 0.002 and gold.mean() > 0.002


def _ros_rows(renderer, t):
    """Rows covered by the Russian segment alone, seen from below against black space."""
    scene = renderer.scene
    scene.segment_np["USOS"].hide(); scene.overlays.trail_np.hide(); scene.overlays.set_label_mode(0)
    try:
        pose = CameraPose(np.array([-60.0, 0, -220.0]), np.array([-60.0, 0, 0]), np.array([1.0, 0, 0]), 60.0)
        mask = lum(renderer.render(t, pose)) > 12
    finally:
        scene.segment_np["USOS"].show(); scene.overlays.trail_np.show(); scene.overlays.set_label_mode(1)
    rows = np.nonzero(mask[:, W // 2 - 8: W // 2 + 8].sum(1) > 4)[0]    # the segment lies along the centre column
    return rows.mean()


def test_russian_segment_moves_between_playhead_times(renderer, traj):
    """Demo push: 0.12 m/s aft from t = 60 s; by 620 s it is 67 m further aft (image down: up = +x)."""
    before, after = _ros_rows(renderer, 0.0), _ros_rows(renderer, 620.0)
    metres_per_px = 2 * 220 * math.tan(math.radians(30)) / W
    assert after - before == pytest.approx(67.2 / metres_per_px, rel=0.25)   # 25 %: centroid of a shape


def test_night_side_dark_and_station_unlit_in_eclipse(renderer, traj):
    t_day, t_night = day_and_night_times(traj)
    nadir = CameraPose(np.array([0.0, -3000.0, 0.0]), np.array([0.0, -3000.0, -1e5]), np.array([1.0, 0, 0]))
    day, night = lum(renderer.render(t_day, nadir)).mean(), lum(renderer.render(t_night, nadir)).mean()
    assert day > 15 and night < 4 and day > 6 * night      # Blue Marble ocean by day is ~(10, 29, 62)
    renderer.scene.overlays.set_label_mode(0)                 # the yellow labels are bright at night too
    try:
        station_day = (lum(renderer.render(t_day, "wide")) > 170).mean()
        station_night = (lum(renderer.render(t_night, "wide")) > 170).mean()
    finally:
        renderer.scene.overlays.set_label_mode(1)
    assert station_day > 0.002 and station_night < 0.1 * station_day


def test_deterministic_and_every_named_camera_renders(renderer):
    a = renderer.render(300.0, "chase")
    b = renderer.render(300.0, "chase")
    assert np.array_equal(a, b)
    for name in ("orbit", "from_us", "wide", "far"):
        img = renderer.render(300.0, name)
        assert img.shape == (H, W, 3) and img.dtype == np.uint8 and img.max() > 100


def test_far_view_shows_the_whole_earth_and_tracks(renderer, traj):
    img = renderer.render(1260.0, "far").astype(int)          # station in the Earth's shadow
    assert (lum(img) > 30).mean() > 0.08                    # the lit part of a globe ~0.3 of the frame wide
    orange = (img[..., 0] > 200) & (img[..., 1] > 80) & (img[..., 1] < 170) & (img[..., 2] < 90)
    cyan = (img[..., 2] > 200) & (img[..., 1] > 170) & (img[..., 0] < 120)
    assert orange.sum() > 5 and cyan.sum() > 5              # both ground tracks drawn


def test_resize_updates_both_lenses(renderer):
    old = renderer.size
    try:
        renderer.size = (160, 160)
        img = renderer.render(300.0, "wide")
        assert img.shape == (160, 160, 3)
        assert renderer.scene.far_lens.get_aspect_ratio() == pytest.approx(1.0)
        assert renderer.base.camLens.get_aspect_ratio() == pytest.approx(1.0)
    finally:
        renderer.size = old


def test_night_horizon_keeps_a_faint_airglow_line(renderer, traj):
    """In the Earth's shadow the ground is black, but a thin green airglow line marks the horizon (the
    same geometry as the horizon test: 20.4 deg dip seen from 418 km), and space above it stays dark."""
    _, t_night = day_and_night_times(traj)
    pitch = math.radians(20.0)
    eye = np.array([0.0, -5000.0, 0.0])
    pose = CameraPose(eye, eye + np.array([math.cos(pitch), 0.0, -math.sin(pitch)]), fov_deg=60.0)
    renderer.scene.overlays.set_label_mode(0)
    try:
        img = renderer.render(t_night, pose).astype(int)
    finally:
        renderer.scene.overlays.set_label_mode(1)
    dip = math.degrees(math.acos(EARTH_RADIUS_M / (EARTH_RADIUS_M + 418e3))) - 20.0
    vfov = 2 * math.degrees(math.atan(math.tan(math.radians(30)) * H / W))
    row = int(H / 2 + dip / (vfov / 2) * H / 2)
    band = img[row - 6: row + 6]
    green = (band[..., 1] > band[..., 0] + 6) & (band[..., 1] > band[..., 2])
    assert green.any(axis=1).sum() >= 1 and green.mean() > 0.05        # the line across the image
    assert (lum(img[: row - 12]) < 40).mean() > 0.95                  # space above: stars only


def test_far_view_skips_the_subpixel_station_and_uses_the_coarse_earth(renderer):
    renderer.render(300.0, "far")
    fine, coarse = renderer.scene.earth_lod
    assert renderer.scene.station_lod.is_hidden()           # ~120 m from thousands of km: < 0.25 px
    assert fine.is_hidden() and not coarse.is_hidden()       # the coarse Earth from afar
    renderer.render(300.0, "chase")
    assert not renderer.scene.station_lod.is_hidden()
    assert not fine.is_hidden() and coarse.is_hidden()


def test_app_keeps_the_shadow_map_only_while_nothing_moved(renderer):
    """App mode (overlays.exact False): the same instant twice skips the shadow pass and gives the same
    picture as a redrawn map; a time 10 min later (Sun turned ~37 deg) redraws it."""
    scene = renderer.scene
    exact = renderer.render(300.0, "chase")
    scene.overlays.exact = False
    try:
        renderer.render(300.0, "chase")
        kept = renderer.render(300.0, "chase")
        assert not scene._shadow_buffer().is_active() and np.array_equal(kept, exact)
        renderer.render(900.0, "chase")
        assert scene._shadow_buffer().is_active()
    finally:
        scene.overlays.exact = True


def test_to_rgb_flips_rows_and_reorders_bgra():
    from render.offscreen import to_rgb
    bgra = np.random.default_rng(0).integers(0, 256, (5, 7, 4), dtype=np.uint8)
    assert np.array_equal(to_rgb(bgra), bgra[::-1, :, [2, 1, 0]])
