"""A trajectory whose one body is the whole docked station ("ISS", as in iss-2022-check) against a
model of two segments: the renderer draws every element of both, each in its own segment's materials."""
from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("panda3d")

from render.cameras import CameraPose
from fakes import DemoTrajectory, demo_model
from render.loading import fit_model
from render.scenestate import snapshot

W, H = 192, 192


class OneBody:
    """DemoTrajectory's US body flown alone under the name "ISS" (no per-body metadata, no events)."""

    def __init__(self, demo: DemoTrajectory):
        self.epoch_utc, self.epoch_tt_jd, self.body_names = demo.epoch_utc, demo.epoch_tt_jd, ("ISS",)
        self.t_s = demo.t_s
        self.r_gcrs_m, self.v_gcrs_mps = demo.r_gcrs_m[:, 1:], demo.v_gcrs_mps[:, 1:]
        self.q_gcrs_from_body, self.omega_body_radps = demo.q_gcrs_from_body[:, 1:], demo.omega_body_radps[:, 1:]
        self.events, self.metadata, self._demo = (), {"scenario": {"name": "one-body"}}, demo

    def state_at(self, t_s):
        return tuple(a[1:] for a in self._demo.state_at(t_s))


def test_fit_model_merges_the_segments_for_an_unknown_body():
    model = demo_model()
    assert fit_model(model, ("ROS", "USOS")) is model
    whole = fit_model(model, ("ISS",)).segments["ISS"]
    assert set(whole.element_ids) == set(model.segments["ROS"].element_ids) | set(model.segments["USOS"].element_ids)
    assert whole.source["zarya"] == "ROS" and whole.source["lab"] == "USOS"


def test_single_body_trajectory_shows_the_whole_station():
    from render.offscreen import OffscreenRenderer
    traj = OneBody(DemoTrajectory(t_end_s=3000.0))
    ts = np.arange(0.0, 3000.0, 30.0)
    t_noon = float(ts[np.argmax([snapshot(traj, t, anchor="ISS").sun_dir_scene[2] for t in ts])])  # Sun highest
    r = OffscreenRenderer(traj, demo_model(), size=(W, H))
    try:
        r.scene.overlays.set_label_mode(0)
        for np_ in (r.scene.earth_np, r.scene.atmo_np, r.scene.stars_np):
            np_.hide()                                       # black behind the station
        # from 150 m above (zenith side, in the Sun), image up = +x (flight direction)
        pose = CameraPose(np.array([-20.0, 0, 150.0]), np.array([-20.0, 0, 0]), np.array([1.0, 0, 0]), 60.0)
        img = r.render(t_noon, pose).astype(int)
    finally:
        r.close()
    lit = img.sum(-1) / 3 > 12
    rows = np.nonzero(lit[:, W // 2 - 4: W // 2 + 4].sum(1) > 2)[0]
    metres_per_px = 2 * 150 * math.tan(math.radians(30)) / H
    # demo station: Progress aft end at x = -51 m to PMA/lab front at +8 m: 59 m; the US part alone is 25 m
    assert (rows.max() - rows.min()) * metres_per_px > 50.0
    red, green, blue = img[..., 0], img[..., 1], img[..., 2]
    cells = (blue > red + 25) & (blue > green + 10)          # the Russian array keeps its dark-blue cells
    gold = (red > green + 15) & (green > blue + 10)          # the US wings keep their gold-brown
    assert cells.sum() > 20 and gold.mean() > 0.002         # the Russian array: a 2 m x 30 m strip, ~50 px
