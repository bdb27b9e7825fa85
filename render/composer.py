"""One recorded frame: the offscreen render at the planned time, with what was asked for burnt in (HUD,
warp indicator, eclipse notes, captions). Pure numpy/Pillow around the renderer it is given: no Panda3D
import here (render/offscreen.py renders). cli/record_cmd.py drives it over render.exportplan's plan.
"""
from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from render.exportplan import FramePlan, PlanOptions, caption_show_s, make_camera


class ComposeOptions(PlanOptions, Protocol):
    """What a frame shows besides the scene (cli.record_cmd.RecordOptions has these)."""
    camera: str
    hud: bool
    technical: bool
    overlays: bool
    labels: bool
    trail: bool
    tint: bool
    ensemble: object      # Path of a separation ensemble (.npz) drawn as a cloud, or None


class FrameComposer:
    """Renders one frame and burns in what was asked for (HUD, captions, warp indicator)."""

    def __init__(self, renderer, traj, model, opts: ComposeOptions, plan: FramePlan):
        from render import burnin
        from render.burnin import Hud

        self.renderer, self.opts, self.plan = renderer, opts, plan
        self.camera = make_camera(traj, model, opts.camera)
        self.captions = plan.captions if opts.captions or opts.compare else ()
        self.hud = Hud(traj, technical=opts.technical) if opts.hud else None
        # one caption at a time, in order, each only while it is true (never earlier, never late)
        self.schedule = burnin.caption_schedule(self.captions, plan.timemap.video_time,
                                                show_s=caption_show_s(opts),
                                                video_end_s=float(plan.tau_s[-1]) if len(plan.tau_s) else math.inf)

    def frame(self, t_s: float, tau_s: float, rate: float) -> np.ndarray:
        return self.finish(self.renderer.render(t_s, self.camera(t_s)), t_s, tau_s, rate)

    def finish(self, img: np.ndarray, t_s: float, tau_s: float, rate: float) -> np.ndarray:
        """Burn HUD, warp indicator and caption into a rendered frame (pure numpy/Pillow: thread-safe)."""
        from render import burnin, timemap

        notes = self.plan.timemap.notes_at(tau_s) if hasattr(self.plan.timemap, "notes_at") else []
        if self.opts.eclipse == "brighten" and any(a <= t_s <= b for a, b in self.plan.dark):
            img, notes = burnin.brighten(img), notes + [burnin.BRIGHTENED_NOTE]
        if self.hud is not None:
            img = burnin.draw_text_block(img, self.hud.lines(t_s, rate) + notes, "top_left")
        elif self.opts.captions or self.opts.compare or notes:
            img = burnin.draw_text_block(img, [f"Time: {timemap.warp_label(rate)}"] + notes, "top_right")
        cap, alpha = burnin.scheduled_caption(self.schedule, tau_s)
        if cap is not None and alpha > 0.0:
            scale = burnin.CAPTION_SCALE * (0.8 if cap.kind == "compare" else 1.0)
            img = burnin.draw_text_block(img, cap.text.split("\n"), "bottom_center", scale, True, alpha)
        return img


def set_overlays(renderer, opts: ComposeOptions) -> None:
    """Segment labels (with the flight arrow and scale bar) and the trail are on unless --no-labels /
    --no-trail; --overlays adds the module labels; --tint marks the Russian segment."""
    overlays = getattr(getattr(renderer, "scene", None), "overlays", None)
    if overlays is None:
        return
    overlays.set_label_mode(2 if opts.overlays else 1 if opts.labels else 0)
    overlays.set_tint(opts.tint)
    overlays.tracks_on = opts.trail
    if getattr(opts, "ensemble", None) is not None and not overlays.extras:
        from render.ensemble_cloud import attach
        attach(renderer, opts.ensemble)
    for name in ("trail_np", "tracks_np"):
        node = getattr(overlays, name, None)
        if node is not None:
            (node.show if opts.trail else node.hide)()
