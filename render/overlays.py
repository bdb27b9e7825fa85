"""Overlays in the 3D scene: relative trail of the Russian segment (LVLH), ground tracks, labels, marker."""
from __future__ import annotations

import math

import numpy as np
from panda3d.core import LPoint3f, NodePath, RenderModeAttrib, TextNode

from render import earth
from render.scenestate import EARTH_RADIUS_M, R_SCENE_FROM_LVLH, Snapshot

OMEGA_EARTH_RADPS = 7.2921159e-5
TRACK_RGBA = {"ROS": (1.0, 0.45, 0.15, 1.0), "USOS": (0.25, 0.85, 1.0, 1.0)}
TRAIL_RGBA = (1.0, 0.55, 0.2, 1.0)
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
        self.label_mode = 1      # 0 none, 1 segment names, 2 segments and modules
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
        self.labels: list[tuple[NodePath, str, np.ndarray]] = []
        self._build_labels()
        self.set_label_mode(1)

    def set_trajectory(self, traj) -> None:
        """A longer run of the same scenario (the app's progressive loading): the trail and ground
        tracks are redrawn from it at the next update; no node is rebuilt."""
        self.traj, self.trail = traj, _trail_of(traj)
        if self.trail is None:
            self.trail_np.get_children().detach()
        self._trail_k, self._track_t = -1, None

    def _build_labels(self) -> None:
        sc = self.scene
        root = sc.base.render.attach_new_node("labels")
        root.set_shader_off(); root.set_light_off(); root.set_depth_test(False); root.set_depth_write(False)
        root.set_bin("fixed", 100)
        self.labels_root = root
        names = {"ROS": "Russian segment", "USOS": "US segment"}
        for name in sc.body_names:
            self._label(names.get(name, name), name, np.zeros(3), (1.0, 0.85, 0.4, 1), 1.0)
            seg = sc.model.segments[name]
            for eid, c in sorted(_centers(seg, sc.com_ssacs[name]).items()):
                kind = seg.kinds.get(eid, "")
                if any(k in kind for k in ("module", "node", "vehicle")):
                    self._label(eid, name, c, (0.85, 0.92, 1.0, 1), 0.6)

    def _label(self, text, body, offset_body, rgba, size) -> None:
        tn = TextNode(f"label_{text}")
        tn.set_text(text); tn.set_font(font()); tn.set_align(TextNode.A_center)
        tn.set_text_color(rgba); tn.set_shadow(0.06, 0.06); tn.set_shadow_color(0, 0, 0, 1)
        np_ = self.labels_root.attach_new_node(tn)
        np_.set_billboard_point_eye()
        self.labels.append((np_, body, np.asarray(offset_body, float), size))

    def set_label_mode(self, mode: int) -> None:
        self.label_mode = int(mode) % 3
        (self.labels_root.show if self.label_mode else self.labels_root.hide)()
        for np_, _, _, size in self.labels:
            (np_.show if size >= 1.0 or self.label_mode == 2 else np_.hide)()

    def update(self, snap: Snapshot, pose) -> None:
        eye = np.asarray(pose.eye_m, float)
        far = np.linalg.norm(eye) > 2e5          # tracks and marker only make sense seen from afar
        (self.tracks_np.show if far else self.tracks_np.hide)()
        apart = len(snap.pos_scene_m) > 1 and float(np.ptp(snap.pos_scene_m, axis=0).max()) > MARK_APART_M
        (self.marker_np.show if far and not apart else self.marker_np.hide)()
        for i, name in enumerate(snap.body_names):
            mark = self.body_marks.get(name)
            if mark is not None:
                mark.set_pos(LPoint3f(*snap.pos_scene_m[i]))
                (mark.show if far and apart else mark.hide)()
        if self.label_mode:
            idx = {n: i for i, n in enumerate(snap.body_names)}
            tan = math.tan(math.radians(pose.fov_deg) / 2)
            for np_, body, off, size in self.labels:
                if size < 1.0 and self.label_mode != 2:
                    continue             # module labels are hidden in mode 1: placed again once shown
                i = idx[body]
                p = snap.pos_scene_m[i] + snap.R_scene_from_body[i] @ off
                if size >= 1.0:   # segment names: US above its segment, Russian below, so they never overlap
                    p = p + np.array([0, 0, 14.0 if body == "USOS" else -14.0])
                np_.set_pos(LPoint3f(*p))
                np_.set_scale(0.035 * size * tan * max(np.linalg.norm(p - eye), 1.0))  # constant on screen
        self._update_trail(snap)
        self._update_tracks(snap)

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
        period = 2 * math.pi * math.sqrt((EARTH_RADIUS_M + 420e3) ** 3 / 3.986004418e14)
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


def _centers(seg, com_ssacs_m) -> dict[str, np.ndarray]:
    return {eid: np.asarray(m.bounds, float).mean(0) - com_ssacs_m for eid, m in seg.meshes.items()}
