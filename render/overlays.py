"""Overlays: relative trail of the Russian segment (LVLH), ground tracks, marker, the Russian segment's
tint, and (render/labels.py) the screen-space labels, flight arrow and scale bar."""
from __future__ import annotations

import math

import numpy as np
from panda3d.core import DepthOffsetAttrib, LPoint3f, RenderModeAttrib, TransparencyAttrib

from render import earth
from render.scenestate import EARTH_RADIUS_M, R_SCENE_FROM_LVLH, Snapshot

from physics.constants import MU_EARTH_M3PS2, OMEGA_EARTH_RADPS  # noqa: E402
TRACK_RGBA = {"ROS": (1.0, 0.45, 0.15, 1.0), "USOS": (0.25, 0.85, 1.0, 1.0)}
TRAIL_RGBA = (1.0, 0.55, 0.2, 1.0)
TINT_RGBA = (1.0, 0.45, 0.1, 0.5)   # the Russian segment's tint: its label's and track's orange, half over
LONG_RUN_S = 2 * 86400.0
TRAIL_MAX = 20000        # samples of relative trail drawn (months-long runs have 300k)
MARK_APART_M = 50e3      # beyond this the far view marks each segment separately
TRACK_POINTS = 360
_FONT = None


def font():
    """DejaVu Sans from matplotlib's data (readable, always installed); Panda's default otherwise."""
    global _FONT
    if _FONT is None:
        import matplotlib
        from panda3d.core import Filename
        from direct.showbase import ShowBaseGlobal
        path = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans-Bold.ttf"
        _FONT = ShowBaseGlobal.base.loader.load_font(Filename.from_os_specific(path).get_fullpath())
        _FONT.set_pixels_per_unit(64)
    return _FONT


def relative_trail_lvlh(traj, body: str = "ROS", anchor: str = "USOS") -> np.ndarray:
    """(K,3) the body's CoM relative to the anchor's CoM in the anchor's LVLH, turned to the scene axes."""
    names = tuple(traj.body_names)
    i, k = names.index(body), names.index(anchor)
    r, v = np.asarray(traj.r_gcrs_m), np.asarray(traj.v_gcrs_mps)
    rk, vk = r[:, k], v[:, k]
    z = -rk / np.linalg.norm(rk, axis=1, keepdims=True)
    y = -np.cross(rk, vk); y /= np.linalg.norm(y, axis=1, keepdims=True)
    x = np.cross(y, z)
    d = r[:, i] - rk
    rel_lvlh = np.stack([np.einsum("kj,kj->k", a, d) for a in (x, y, z)], -1)
    return rel_lvlh @ R_SCENE_FROM_LVLH.T


def track_itrs(traj, body_index: int, t_s: float, R_itrs_from_gcrs_now: np.ndarray, t0: float, t1: float,
               radius_m: float) -> np.ndarray:
    """(N,3) sub-satellite points between t0 and t1 in ITRS, lifted to `radius_m`.

    Over a couple of hours precession and nutation do not move: ITRS(t_i) = Rz(w_E (t_i - t)) ITRS(t)."""
    ts = np.linspace(t0, t1, TRACK_POINTS)
    from render.longstate import COARSE_S, state_at
    k = int(np.clip(np.searchsorted(traj.t_s, t_s), 1, len(traj.t_s) - 1))
    if len(traj.t_s) > 1 and traj.t_s[k] - traj.t_s[k - 1] > COARSE_S:   # hourly samples: follow the orbit
        r = np.array([state_at(traj, float(x))[0][body_index] for x in ts])
    else:
        r = np.stack([np.interp(ts, traj.t_s, traj.r_gcrs_m[:, body_index, c]) for c in range(3)], -1)
    r_now = r @ np.asarray(R_itrs_from_gcrs_now).T
    a = OMEGA_EARTH_RADPS * (ts - t_s)
    c, s = np.cos(a), np.sin(a)
    x, y = c * r_now[:, 0] + s * r_now[:, 1], -s * r_now[:, 0] + c * r_now[:, 1]
    p = np.stack([x, y, r_now[:, 2]], -1)
    return p / np.linalg.norm(p, axis=1, keepdims=True) * radius_m


def _trail_of(traj) -> np.ndarray | None:
    """The Russian segment's trail in the US segment's LVLH frame; none over months (LONG_RUN_S)."""
    short = traj is not None and traj.t_s[-1] - traj.t_s[0] <= LONG_RUN_S
    return relative_trail_lvlh(traj) if short and "ROS" in traj.body_names else None


class Overlays:
    def __init__(self, scene, traj):
        self.scene, self.traj = scene, traj
        self.trail_np = scene.station_root.get_parent().attach_new_node("trail")
        self.trail_np.set_shader_off(); self.trail_np.set_light_off()
        self.trail_np.set_render_mode_thickness(3)
        self.trail = _trail_of(traj)
        self._trail_k = -1
        self.tracks_np = scene.earth_pivot.attach_new_node("ground_tracks")
        self.tracks_np.set_shader_off(); self.tracks_np.set_light_off()
        self.tracks_np.set_render_mode_thickness(3)
        self._track_t = None
        self.marker_np = scene.far_root.attach_new_node(earth.polyline("marker", np.zeros((2, 3)), (1, 1, 0.3, 1)))
        self.marker_np.set_attrib(RenderModeAttrib.make(RenderModeAttrib.M_point, 9))  # "the station is here"
        self.marker_np.set_light_off()
        # once the segments are far apart (months later: thousands of km), one dot per segment in its
        # ground-track colour shows where each one is
        self.body_marks = {}
        for name in scene.body_names:
            np_ = scene.far_root.attach_new_node(earth.polyline(f"mark_{name}", np.zeros((2, 3)),
                                                                TRACK_RGBA.get(name, (1, 1, 1, 1))))
            np_.set_attrib(RenderModeAttrib.make(RenderModeAttrib.M_point, 9))
            np_.set_light_off()
            np_.hide()
            self.body_marks[name] = np_
        self.exact = False       # True: recompute every overlay every frame (offscreen: deterministic output)
        self.extras = []         # more overlays with update(snap) (render/ensemble_cloud.py)
        from render.labels import ScreenLabels
        win = scene.base.win
        self.screen = ScreenLabels(scene.base, scene.model, scene.com_ssacs, scene.body_names, font(),
                                   lambda: (win.get_x_size(), win.get_y_size()))
        self.labels_root = self.screen.root
        self.tint_np = None
        self.set_label_mode(1)

    def set_trajectory(self, traj) -> None:
        """A longer run of the same scenario (the app's progressive loading): the trail and ground
        tracks are redrawn from it at the next update; no node is rebuilt."""
        self.traj, self.trail = traj, _trail_of(traj)
        if self.trail is None:
            self.trail_np.get_children().detach()
        self._trail_k, self._track_t = -1, None

    @property
    def label_mode(self) -> int:
        return self.screen.mode

    def set_label_mode(self, mode: int) -> None:
        """0 no labels, 1 the two segments (with the flight arrow and scale bar), 2 segments and modules."""
        self.screen.set_mode(mode)

    def set_tint(self, on: bool, body: str = "ROS") -> None:
        """Wash the Russian segment in orange: its own geometry drawn again (an instance, no copy) unlit,
        half transparent, pulled a little towards the camera so it lies exactly on the visible faces."""
        seg = self.scene.segment_np.get(body)
        if seg is None:
            return
        if self.tint_np is None:
            self.tint_np = seg.get_parent().attach_new_node(f"tint_{body}")
            seg.instance_to(self.tint_np)
            self.tint_np.set_shader_off(100); self.tint_np.set_light_off(100)
            self.tint_np.set_color(TINT_RGBA, 100)
            self.tint_np.set_transparency(TransparencyAttrib.M_alpha, 100)
            self.tint_np.set_depth_write(False, 100)
            self.tint_np.set_attrib(DepthOffsetAttrib.make(1), 100)
            self.tint_np.set_bin("fixed", 20, 100)
        (self.tint_np.show if on else self.tint_np.hide)()

    @property
    def tint_on(self) -> bool:
        return self.tint_np is not None and not self.tint_np.is_hidden()

    tracks_on = True                             # record --no-trail: no ground tracks either

    @staticmethod
    def is_far(pose) -> bool:
        """Tracks, marker and reentry crosses only make sense seen from afar."""
        return float(np.linalg.norm(np.asarray(pose.eye_m, float))) > 2e5

    def update(self, snap: Snapshot, pose) -> None:
        far = self.is_far(pose)
        (self.tracks_np.show if far and self.tracks_on else self.tracks_np.hide)()
        apart = len(snap.pos_scene_m) > 1 and float(np.ptp(snap.pos_scene_m, axis=0).max()) > MARK_APART_M
        (self.marker_np.show if far and not apart else self.marker_np.hide)()
        for i, name in enumerate(snap.body_names):
            mark = self.body_marks.get(name)
            if mark is not None:
                mark.set_pos(LPoint3f(*snap.pos_scene_m[i]))
                (mark.show if far and apart else mark.hide)()
        self.screen.update(snap, pose, exact=self.exact)     # the app: layout every other frame
        self._update_trail(snap)
        self._update_tracks(snap)
        for extra in self.extras:
            extra.update(snap)

    def _update_trail(self, snap: Snapshot) -> None:
        if self.trail is None:
            return
        k = int(np.searchsorted(self.traj.t_s, snap.t_s, side="right"))
        if k == self._trail_k and not self.exact:
            return
        self._trail_k = k
        self.trail_np.get_children().detach()
        # the anchor-frame trail; the live end is the segment's position in that frame (the scene may be
        # shifted: trail_np carries the shift). Long runs: the last TRAIL_MAX samples only.
        i = self.traj.body_names.index("ROS")
        live = snap.pos_scene_m[i] - snap.pos_scene_m[self.traj.body_names.index("USOS")] \
            if "USOS" in self.traj.body_names else snap.pos_scene_m[i]
        pts = np.vstack([self.trail[max(0, k - TRAIL_MAX):k], live])
        self.trail_np.attach_new_node(earth.polyline("trail", pts, TRAIL_RGBA))

    def _update_tracks(self, snap: Snapshot) -> None:
        traj = self.traj
        if traj is None or (not self.exact and self._track_t is not None and abs(snap.t_s - self._track_t) < 20.0):
            return
        self._track_t = snap.t_s
        period = 2 * math.pi * math.sqrt((EARTH_RADIUS_M + 420e3) ** 3 / MU_EARTH_M3PS2)
        t0, t1 = max(traj.t_s[0], snap.t_s - period), min(traj.t_s[-1], snap.t_s + 0.15 * period)
        R_now = snap.R_scene_from_itrs.T @ snap.R_scene_from_gcrs   # = R_itrs_from_gcrs at t
        self.tracks_np.get_children().detach()
        for i, name in enumerate(traj.body_names):
            radius = EARTH_RADIUS_M + (25e3 if name == "ROS" else 15e3)
            pts = track_itrs(traj, i, snap.t_s, R_now, t0, t1, radius)
            np_ = self.tracks_np.attach_new_node(earth.polyline(f"track_{name}", pts, TRACK_RGBA.get(name, (1, 1, 1, 1))))
            # The two tracks overlap to within a line width until the segments are far apart, and their
            # 10 km height difference is ~3 depth steps at 7,000 km: they z-fought (dashed orange/cyan,
            # different from frame to frame). Fixed order, no depth write: the Earth still hides the far
            # side, and the Russian track (drawn last, the higher one) lies on top; the US track is drawn
            # wider beneath it, so where they coincide both show (cyan edges, orange core).
            np_.set_bin("fixed", 1 + (name == "ROS"))
            np_.set_depth_write(False)
            if name == "USOS" and "ROS" in traj.body_names:
                np_.set_render_mode_thickness(6)

