"""A re-entered segment leaves the scene: its model, its label, its far-view dot and its ground track
are hidden from its reentry event on, and a cross in its track's colour marks on the Earth where it
came down (the event's latitude and longitude). Scrubbing back before the event brings it all back.

Which bodies are gone is render/longrun.reentered (the reentry events), the definition the HUD uses
too. StationScene.apply calls ``update`` after the overlays have drawn their frame.
"""
from __future__ import annotations

import math

import numpy as np
from panda3d.core import NodePath

from render import earth
from render.longrun import reentered

MARK_HALF_DEG = 2.5          # the cross's arms: +-2.5 deg of arc (~280 km), a few pixels wider than the tracks
MARK_LIFT_M = 30e3           # above the tracks (15-25 km) so the cross lies on top of them
MARK_THICKNESS = 5


def cross_points(lat_deg: float, lon_deg: float, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Two (2,3) ITRS segments crossing at (lat, lon) on a sphere of radius_m, arms along +-45 deg."""
    def at(dlat, dlon):
        la, lo = math.radians(lat_deg + dlat), math.radians(lon_deg + dlon / max(math.cos(math.radians(lat_deg)), 0.2))
        return radius_m * np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    d = MARK_HALF_DEG
    return np.array([at(-d, -d), at(d, d)]), np.array([at(-d, d), at(d, -d)])


class ReentryMarks:
    """One cross per reentry event on the Earth (scene.earth_pivot: ITRS axes, metres)."""

    def __init__(self, scene, traj):
        self.scene = scene
        self.root = scene.earth_pivot.attach_new_node("reentry_marks")
        self.root.set_shader_off(); self.root.set_light_off()
        self.root.set_render_mode_thickness(MARK_THICKNESS)
        self.root.set_depth_write(False)
        self.root.set_bin("fixed", 3)
        self.set_trajectory(traj)

    def set_trajectory(self, traj) -> None:
        """(Re)build the crosses from traj's reentry events (the app hands over longer runs)."""
        from render.overlays import TRACK_RGBA
        from render.scenestate import EARTH_RADIUS_M
        self.traj = traj
        self.root.get_children().detach()
        self.marks: list[tuple[float, NodePath]] = []
        for ev in getattr(traj, "events", ()) if traj is not None else ():
            if ev.kind != "reentry" or "lat_deg" not in (ev.data or {}):
                continue
            node = self.root.attach_new_node(f"reentry_{ev.subject}")
            for k, pts in enumerate(cross_points(ev.data["lat_deg"], ev.data["lon_deg"], EARTH_RADIUS_M + MARK_LIFT_M)):
                node.attach_new_node(earth.polyline(f"reentry_{ev.subject}_{k}", pts, TRACK_RGBA.get(ev.subject, (1, 1, 1, 1))))
            node.hide()
            self.marks.append((float(ev.t_s), node))
        self._gone = None

    def update(self, t_s: float, far: bool) -> frozenset[str]:
        """Hide what belongs to re-entered bodies at t_s; show the crosses of past reentries (far view)."""
        gone = reentered(self.traj, t_s) if self.traj is not None else frozenset()
        for t_ev, node in self.marks:
            (node.show if far and t_s >= t_ev else node.hide)()
        sc, ov = self.scene, self.scene.overlays
        for name, node in sc.segment_np.items():
            (node.hide if name in gone else node.show)()
        screen = getattr(ov, "screen", None)     # the screen-space labels skip re-entered segments
        if screen is not None:
            screen.gone = gone
        self._gone = gone
        self.hide_tracks()
        return gone

    def hide_tracks(self) -> None:
        """Hide the far-view dot and ground track of each re-entered body (Overlays.update redraws them)."""
        ov = self.scene.overlays
        for name in self._gone or ():
            for node in (ov.body_marks.get(name), ov.tracks_np.find(f"track_{name}")):
                if node is not None and not node.is_empty():
                    node.hide()

    def destroy(self) -> None:
        self.root.remove_node()
