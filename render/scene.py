"""StationScene: the whole 3D scene (Earth, atmosphere, stars, Sun with shadows, station) in a ShowBase.

Two layers (panda3d_notes.md section 1): the far layer (own scene root and camera, near plane 1 km)
holds the Earth, the atmosphere, the stars and the ground tracks; ShowBase's own `render`/`cam` hold
the station (near plane from 5 cm). Both cameras share the position and orientation of `base.camera`.
The scene only observes the trajectory: `update(t_s, pose)` reads one snapshot and moves nodes.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from panda3d.core import (AmbientLight, Camera, ColorBlendAttrib, ColorWriteAttrib, CullFaceAttrib, DirectionalLight, LMatrix4f, LPoint3f,
                          LVector3f, NodePath, OmniBoundingVolume, PerspectiveLens, RenderState, Shader,
                          ShaderAttrib)

from render import earth, meshes, overlays
from render.cameras import CameraPose
from render.earthshine import EARTH_RADIUS_M as EARTHSHINE_RADIUS_M, earthshine
from render.reentry_marks import ReentryMarks
from render.scenestate import EARTH_RADIUS_M, Snapshot, com_ssacs, placeholder_snapshot, snapshot
from render.sphere_tiles import SphereTiles, visible_band

SHADER_DIR = Path(__file__).resolve().parents[1] / "assets" / "shaders"
ATMOSPHERE_SCALE = 1.012        # shell ~ 77 km above the ground: where the limb glow is brightest
SHADOW_MAP_PX = 1024            # 1024^2 was as fast as no shadows on llvmpipe (panda3d_notes.md, section 2)
SUN_RGB = np.array([1.45, 1.40, 1.30])
EARTH_TINT = np.array([0.88, 0.97, 1.15])  # light off oceans and clouds is bluish (mean 1: E/S unchanged)
RECENTER_M = 20e3               # beyond this the scene re-centres on the camera's target body (recenter)
SHADOW_SPLIT_M = 350.0          # beyond this spread across the sunlight the map follows one segment
STATION_EXTENT_M = 120.0        # the US truss is 109 m: no segment is larger than this
SHADOW_KEEP_RAD = np.radians(0.05)   # app: the shadow map is kept while the Sun and segments move less
SHADOW_KEEP_M = 0.02
SHADOW_LAG = 10.0               # app, playing fast: a map drawn on the frame before is kept once more while
                                # the drift is under SHADOW_LAG x the limits above (0.5 deg, 0.2 m): at 100x
                                # the map and the light are one frame late at most, drawn at half rate
MIN_STATION_PX = 0.25          # below this on screen the station (and its shadow pass) is not drawn
EARTH_COARSE_ALT_M = 5e6        # camera altitude beyond which the Earth uses its coarse mesh


def to_mat4(R: np.ndarray, pos: np.ndarray, scale: float = 1.0) -> LMatrix4f:
    """Panda3D uses row vectors (p' = p M): the rotation goes in transposed, the translation in row 3."""
    m = np.eye(4)
    m[:3, :3] = np.asarray(R).T * scale
    m[3, :3] = pos
    return LMatrix4f(*m.ravel().tolist())


def shadow_frame(pos_scene_m: np.ndarray, sun_dir: np.ndarray, eye_m: np.ndarray | None = None):
    """Centre (3,), film size (m) and depth extent along the Sun (m) of the Sun's shadow map.

    What matters for the film is the spread across the sunlight (positions projected on the plane normal
    to the Sun): segments lined up along the Sun (one shadowing the other, as the US wings do over the
    Russian segment below them) share one map whatever their distance. While that spread is under
    SHADOW_SPLIT_M one map covers both (film 130 m + spread: the US truss is 109 m long); beyond it the
    map follows the segment nearest the camera with a 130 m film (~0.13 m texels at 1024 px) rather
    than smearing self-shadows over a km-wide map. Faces outside the map are lit (station.frag)."""
    pos = np.asarray(pos_scene_m, float).reshape(-1, 3)
    s = np.asarray(sun_dir, float) / max(float(np.linalg.norm(sun_dir)), 1e-12)
    along = pos @ s
    across = pos - np.outer(along, s)
    spread = float(np.ptp(across, axis=0).max()) if len(pos) > 1 else 0.0
    if spread <= SHADOW_SPLIT_M or eye_m is None:
        depth = float(np.ptp(along)) if len(pos) > 1 else 0.0
        return pos.mean(0), 130.0 + min(spread, SHADOW_SPLIT_M), min(depth, 1e5)
    nearest = int(np.argmin(np.linalg.norm(pos - np.asarray(eye_m, float), axis=1)))
    return pos[nearest], 130.0, 0.0


def recenter(snap: Snapshot, pose: CameraPose) -> tuple[Snapshot, CameraPose, np.ndarray]:
    """Floating origin on what the camera looks at: when the body nearest the camera's target is more
    than RECENTER_M from the scene origin (months after the split the segments are up to 13,000 km
    apart), shift everything by that body's position, in float64, before Panda3D's float32 sees it:
    at 1e7 m float32 steps are 1 m, so a close-up of the far segment would shake. A pure translation:
    axes, light and what the camera frames do not change; short runs (segments < 20 km apart) are
    not touched at all, so their frames stay bit-identical. Returns (snap, pose, shift (3,))."""
    pos = np.asarray(snap.pos_scene_m, float)
    target = np.asarray(pose.target_m, float)
    o = pos[int(np.argmin(np.linalg.norm(pos - target, axis=1)))]
    if float(np.linalg.norm(o)) <= RECENTER_M:
        return snap, pose, np.zeros(3)
    snap = dataclasses.replace(snap, pos_scene_m=pos - o,
                               earth_center_scene_m=np.asarray(snap.earth_center_scene_m, float) - o)
    pose = dataclasses.replace(pose, eye_m=np.asarray(pose.eye_m, float) - o, target_m=target - o)
    return snap, pose, o


def _within(old: tuple, key: tuple, k: float) -> bool:
    """The shadow map's state `old` (Sun direction, positions, rotations, centre, film) is within k times
    SHADOW_KEEP_RAD / SHADOW_KEEP_M of `key`."""
    return (float(np.dot(old[0], key[0])) > np.cos(k * SHADOW_KEEP_RAD) and abs(old[4] - key[4]) < k * SHADOW_KEEP_M
            and float(np.abs(old[1] - key[1]).max()) < k * SHADOW_KEEP_M
            and float(np.abs(old[2] - key[2]).max()) < k * SHADOW_KEEP_RAD
            and float(np.abs(old[3] - key[3]).max()) < k * SHADOW_KEEP_M)


def load_shader(vert: str, frag: str) -> Shader:
    return Shader.load(Shader.SL_GLSL, vertex=str(SHADER_DIR / vert), fragment=str(SHADER_DIR / frag))


def element_centers_body(model, name: str, com_ssacs_m: np.ndarray) -> dict[str, np.ndarray]:
    seg = model.segments[name]
    return {eid: np.asarray(m.bounds, float).mean(0) - com_ssacs_m for eid, m in seg.meshes.items()}


class StationScene:
    """Builds every node once; `update` moves them for a playhead time and a camera pose."""

    def __init__(self, base, traj, model, shadows: bool = True, stars: int = 5000, target=None):
        """target: the GraphicsOutput to draw the 3D layers into (default base.win; the app passes a
        smaller texture buffer to render at a fraction of the window's resolution)."""
        from render.loading import fit_model
        self.body_names = tuple(traj.body_names) if traj is not None else tuple(model.segments)
        self.base, self.traj, self.model = base, traj, fit_model(model, self.body_names)
        self.target = target if target is not None else base.win
        self.com_ssacs = {n: self._com_ssacs(n) for n in self.body_names}
        self._build_layers()
        self._build_station()
        self._build_light(shadows)
        self._build_far(stars)
        self.overlays = overlays.Overlays(self, traj)
        self.reentry = ReentryMarks(self, traj)     # re-entered segments leave the scene
        self.snap: Snapshot = placeholder_snapshot(self.body_names)

    def set_trajectory(self, traj) -> None:
        """Play a longer run of the same scenario (same bodies and metadata) without rebuilding the scene."""
        self.traj = traj
        self.overlays.set_trajectory(traj)
        if getattr(self, "reentry", None) is not None:
            self.reentry.set_trajectory(traj)

    # ------------------------------------------------------------------ build
    def _com_ssacs(self, name: str) -> np.ndarray:
        return com_ssacs(self.traj, self.model, name)

    def _build_layers(self) -> None:
        b = self.base
        self.far_root = NodePath("far_root")
        self.far_lens = PerspectiveLens()
        self.far_lens.set_near_far(1e3, 1e10)
        fc = Camera("far_cam", self.far_lens)
        fc.set_scene(self.far_root)
        fc.set_cull_bounds(OmniBoundingVolume())      # float32 culling loses the Earth otherwise
        self.far_cam = b.camera.attach_new_node(fc)
        self.dr_far = self.target.make_display_region()
        self.dr_far.set_sort(-10)
        self.dr_far.set_camera(self.far_cam)
        self.dr_far.set_clear_color_active(True)
        self.dr_far.set_clear_color((0, 0, 0, 1))
        self.dr_far.set_clear_depth_active(True)
        if self.target is b.win:
            near_dr = b.cam.node().get_display_region(0)
        else:   # move the station layer to the target; the window's own 3D region goes quiet
            b.cam.node().get_display_region(0).set_active(False)
            near_dr = self.target.make_display_region()
            near_dr.set_camera(b.cam)
            self.near_dr = near_dr
        near_dr.set_sort(0)
        near_dr.set_clear_color_active(False)
        near_dr.set_clear_depth_active(True)
        if self.target is b.win:
            b.win.set_clear_color_active(False)
        b.camLens.set_near_far(0.5, 1e5)
        self.fit_aspect()

    def fit_aspect(self) -> None:
        """Keep both lenses at the window's aspect (ShowBase only updates its own lens)."""
        w, h = self.target.get_x_size(), self.target.get_y_size()
        if w > 0 and h > 0:
            self.base.camLens.set_aspect_ratio(w / h)
            self.far_lens.set_aspect_ratio(w / h)

    def _build_station(self) -> None:
        self.station_root = self.base.render.attach_new_node("station")
        self.station_root.set_shader(load_shader("station.vert", "station.frag"))
        # Every drawn surface is wound outwards (hulls and boxes closed, thin sheets with one face per
        # side, station/visual.py), so the main pass culls back faces: they were always hidden behind
        # front faces, and llvmpipe paid for them (-25 % frame time at 1080p). The shadow pass (mass
        # shapes only, meshes.segment_node) keeps both sides (_build_light): its depth
        # at thin slabs and terminators then stays what it was, and frames differ only in a few silhouette
        # pixels where a front and a back face tie in depth.
        self.segment_np: dict[str, NodePath] = {}
        self.station_lod = self.station_root.attach_new_node("station_lod")    # hidden when sub-pixel
        for name in self.body_names:     # drawing meshes (station/visual.py); mass shapes cast the shadows
            self.segment_np[name] = meshes.segment_node(self.station_lod, name, self.model.segments[name],
                                                        self.com_ssacs[name])

    def _build_light(self, shadows: bool) -> None:
        self.sun = DirectionalLight("sun")
        self.sun.set_color((*SUN_RGB, 1))
        if shadows:
            self.sun.set_shadow_caster(True, SHADOW_MAP_PX, SHADOW_MAP_PX)
            self.sun.set_camera_mask(meshes.SHADOW_CAMERA_MASK)       # mass shapes only (meshes.segment_node)
            self.base.cam.node().set_camera_mask(meshes.MAIN_CAMERA_BIT)     # a node shows if any bit does
            # The shadow camera renders base.render, so it used to run the full station shader (lighting,
            # shadow lookups) for every texel of the map: ~10 ms of a 720p frame on llvmpipe. A depth-only
            # shader with colour writes off (priority over station_root's shader) keeps the same depths.
            self.sun.set_initial_state(RenderState.make(
                CullFaceAttrib.make(CullFaceAttrib.M_cull_none), ColorWriteAttrib.make(ColorWriteAttrib.C_off),
                ShaderAttrib.make(load_shader("shadow.vert", "shadow.frag"), 100), 1))
        self.sun_np = self.base.render.attach_new_node(self.sun)
        self.base.render.set_light(self.sun_np)
        self.amb_np = self.base.render.attach_new_node(AmbientLight("ambient"))
        self.amb_np.node().set_color((0, 0, 0, 1))
        self.station_root.set_shader_input("ambient", LVector3f(0.07, 0.075, 0.09))
        self.station_root.set_shader_input("earth_dir_world", LVector3f(0, 0, -1))
        self.station_root.set_shader_input("earthshine", LVector3f(0, 0, 0))

    def _build_far(self, n_stars: int) -> None:
        self.stars_np = self.far_root.attach_new_node(earth.star_points(n_stars))
        self.stars_np.set_bin("background", 0)
        self.stars_np.set_depth_write(False)
        self.stars_np.set_render_mode_thickness(2)
        self.stars_np.set_light_off()
        self.earth_pivot = self.far_root.attach_new_node("earth_pivot")   # ITRS axes, at the Earth's centre
        self.earth_np = self.earth_pivot.attach_new_node("earth")
        self.earth_np.set_scale(EARTH_RADIUS_M)
        # Two tessellations: 96x192 near the station (the horizon from 420 km stays smooth to 0.3 px);
        # 48x96 from afar, where the whole disc faces the camera and llvmpipe paid ~3 ms at 720p for 18k
        # small front triangles (the limb sits under the atmosphere shell's ring, itself 48x96).
        # near: in tiles, only those in view drawn (render/sphere_tiles.py)
        self.earth_tiles = SphereTiles("earth_tiles")
        self.earth_tiles.root.reparent_to(self.earth_np)
        self.earth_lod = (self.earth_tiles.root, self.earth_np.attach_new_node(earth.uv_sphere(48, 96)))
        self.earth_lod[1].hide()
        self.earth_np.set_texture(earth.earth_texture())
        self.earth_np.set_shader(load_shader("sky.vert", "earth.frag"))
        self.atmo_tiles = SphereTiles("atmosphere", 48, 96)
        self.atmo_np = self.atmo_tiles.root
        self.atmo_np.reparent_to(self.earth_pivot)
        self.atmo_np.set_scale(EARTH_RADIUS_M * ATMOSPHERE_SCALE)
        self.atmo_np.set_shader(load_shader("sky.vert", "atmosphere.frag"))
        self.atmo_np.set_attrib(ColorBlendAttrib.make(ColorBlendAttrib.M_add, ColorBlendAttrib.O_one,
                                                      ColorBlendAttrib.O_one))
        self.atmo_np.set_depth_write(False)
        self.atmo_np.set_bin("fixed", 10)
        # Only the far half of the shell: inside the Earth's disc it lies behind the ground and the depth
        # test rejects it before shading (llvmpipe pays per shaded pixel); the ring outside the disc is the
        # visible limb glow. The haze over the ground itself comes from earth.frag's rim term.
        self.atmo_np.set_attrib(CullFaceAttrib.make_reverse())
        for np_ in (self.earth_np, self.atmo_np):
            np_.set_shader_input("sun_dir", LVector3f(0, 0, 1))
            np_.set_shader_input("cam_pos", LVector3f(0, 0, 0))

    # ------------------------------------------------------------------ per frame
    def update(self, t_s: float, camera_pose: CameraPose) -> Snapshot:
        """Move everything to playhead time t_s and place the camera; returns the snapshot used."""
        snap = snapshot(self.traj, t_s) if self.traj is not None else placeholder_snapshot(self.body_names)
        self.apply(snap, camera_pose)
        return snap

    def apply(self, snap: Snapshot, pose: CameraPose) -> None:
        snap, pose, origin = recenter(snap, pose)
        self.snap = snap
        self.overlays.trail_np.set_pos(LPoint3f(*(-origin)))    # the trail is drawn in the anchor's frame
        for i, name in enumerate(snap.body_names):
            if name in self.segment_np:
                self.segment_np[name].set_mat(to_mat4(snap.R_scene_from_body[i], snap.pos_scene_m[i]))
        self.earth_pivot.set_mat(to_mat4(snap.R_scene_from_itrs, snap.earth_center_scene_m))
        self.stars_np.set_mat(to_mat4(snap.R_scene_from_gcrs, np.zeros(3)))
        self._apply_sun(snap, np.asarray(pose.eye_m, float))
        self.set_camera(pose)
        self.reentry.update(snap.t_s, self.overlays.is_far(pose))     # first: the labels skip what left
        self.overlays.update(snap, pose)
        self.reentry.hide_tracks()                                     # the tracks were just redrawn

    def _apply_sun(self, snap: Snapshot, eye_m: np.ndarray | None = None) -> None:
        s = np.asarray(snap.sun_dir_scene, float)
        center, film, depth = shadow_frame(snap.pos_scene_m, s, eye_m)
        if not self._shadow_is_fresh(snap, s, center, film):   # else light and map stay as they were
            lens = self.sun.get_lens()
            lens.set_film_size(film, film)
            lens.set_near_far(10.0, film + 600.0 + depth)
            self.sun_np.set_pos(LPoint3f(*(center + s * (film / 2 + 300.0 + depth / 2))))
            self.sun_np.look_at(LPoint3f(*center))
        self.sun.set_color((*(SUN_RGB * snap.sunlit_fraction), 1))
        r_m = float(np.linalg.norm(snap.earth_center_scene_m))
        e_over_s, e_dir = earthshine(s, -snap.earth_center_scene_m / r_m, r_m - EARTHSHINE_RADIUS_M)
        self.station_root.set_shader_input("earthshine", LVector3f(*(SUN_RGB * EARTH_TINT * e_over_s)))
        self.station_root.set_shader_input("earth_dir_world", LVector3f(*e_dir))
        for np_ in (self.earth_np, self.atmo_np):
            np_.set_shader_input("sun_dir", LVector3f(*s))

    def _shadow_is_fresh(self, snap: Snapshot, sun_dir: np.ndarray, center: np.ndarray, film: float) -> bool:
        """App only (overlays.exact False): keep the Sun's light and skip the shadow-map pass (~4 ms of a
        720p frame on llvmpipe) while the Sun has turned < SHADOW_KEEP_RAD and no segment has moved by
        > SHADOW_KEEP_M or turned by > SHADOW_KEEP_RAD since the map was drawn: at 1x the map is redrawn
        about once a second. 0.05 deg over the 110 m truss is 0.1 m, under the 0.13 m texel; the light
        direction is that stale at most (invisible). Offscreen output redraws every frame (deterministic)."""
        buf = self._shadow_buffer()
        key = (sun_dir, np.asarray(snap.pos_scene_m, float), np.asarray(snap.R_scene_from_body, float),
               np.asarray(center, float), float(film))
        # no key before the buffer exists: the first frame that finds it draws it
        old, self._shadow_key = getattr(self, "_shadow_key", None), (key if buf is not None else None)
        drawn_last = not getattr(self, "_shadow_kept", True)       # the map in use was drawn on the frame before
        fresh = (buf is not None and not self.overlays.exact and old is not None and len(old[1]) == len(key[1])
                 and (_within(old, key, 1.0) or (drawn_last and _within(old, key, SHADOW_LAG))))
        if fresh:
            self._shadow_key = old        # measure the drift from the map's own state, not the last frame's
        self._shadow_kept = fresh
        if buf is not None:
            buf.set_active(not fresh)
        return fresh

    def _shadow_buffer(self):
        """The Sun's shadow buffer (Panda3D makes it lazily at the first frame that draws a caster)."""
        buf = getattr(self, "_sun_buffer", None)
        if buf is None and self.sun.is_shadow_caster():
            ge = self.base.graphicsEngine
            found = [ge.get_window(i) for i in range(ge.get_num_windows())
                     if ge.get_window(i).get_name() == self.sun.get_name() and ge.get_window(i) is not self.target]
            buf = self._sun_buffer = found[0] if len(found) == 1 else None
        return buf

    def set_camera(self, pose: CameraPose) -> None:
        eye, target = np.asarray(pose.eye_m, float), np.asarray(pose.target_m, float)
        cam = self.base.camera
        cam.set_pos(LPoint3f(*eye))
        cam.look_at(LPoint3f(*target), LVector3f(*pose.up))
        self.fit_aspect()
        for lens in (self.base.camLens, self.far_lens):
            lens.set_fov(pose.fov_deg)
            lens.set_aspect_ratio(self.base.camLens.get_aspect_ratio())
        nearest = float(np.min(np.linalg.norm(self.snap.pos_scene_m - eye, axis=1)))
        near = float(np.clip(0.03 * nearest, 0.05, 50.0))          # precision where it is needed
        self._station_lod(nearest, pose.fov_deg)
        # The far layer's near plane: 1 km near the station; from afar half the distance to the nearest
        # thing in it (the ground, the atmosphere shell, the station marker). With 1 km at 7,000 km the
        # depth step was ~7 km and the ground tracks 15-25 km up broke into dashes against the Earth.
        alt = float(np.linalg.norm(eye - self.snap.earth_center_scene_m)) - EARTH_RADIUS_M * ATMOSPHERE_SCALE
        self.far_lens.set_near_far(max(1e3, 0.5 * min(nearest, alt)), 1e10)
        coarse = alt > EARTH_COARSE_ALT_M
        if coarse != self.earth_lod[0].is_hidden():
            self.earth_lod[int(coarse)].show()
            self.earth_lod[1 - int(coarse)].hide()
        self.base.camLens.set_near_far(near, max(1e5, 4 * nearest))
        for np_ in (self.earth_np, self.atmo_np):
            np_.set_shader_input("cam_pos", LVector3f(*eye))
        self._cull_tiles(eye)

    def _cull_tiles(self, eye: np.ndarray) -> None:
        """Only the Earth and atmosphere tiles that can reach the image (render/sphere_tiles.py)."""
        v = eye - np.asarray(self.snap.earth_center_scene_m, float)
        d = float(np.linalg.norm(v))
        cam_dir = np.asarray(self.snap.R_scene_from_itrs, float).T @ (v / max(d, 1e-9))
        self.earth_tiles.cull(cam_dir, visible_band(d / EARTH_RADIUS_M))
        self.atmo_tiles.cull(cam_dir, visible_band(d / EARTH_RADIUS_M, ATMOSPHERE_SCALE, back_faces=True))

    def _station_lod(self, nearest_m: float, fov_deg: float) -> None:
        """Skip the station when even its largest segment is a fraction of a pixel (the far view: 120 m
        seen from ~7,000 km is 0.01 px at 720p). llvmpipe still transformed all its triangles and drew
        the 1024^2 shadow pass for it (720p far view 20.6 -> 23.6 fps); the marker shows where it is."""
        h_px = max(self.target.get_y_size(), 1)
        px = STATION_EXTENT_M / (max(nearest_m, 1e-3) * 2 * np.tan(np.radians(fov_deg) / 2)) * h_px
        (self.station_lod.show if px >= MIN_STATION_PX else self.station_lod.hide)()
        eye = self.base.camera.get_pos()
        for i, name in enumerate(self.snap.body_names):     # each segment: its far drawing when small
            if name in self.segment_np:
                d = float(np.linalg.norm(np.asarray(self.snap.pos_scene_m[i], float) - np.asarray(eye)))
                meshes.set_detail(self.segment_np[name], meshes.segment_px(self.segment_np[name], d, fov_deg, h_px))

    def destroy(self) -> None:
        """Remove every node, light and display region this scene added (the ShowBase stays)."""
        self.base.render.clear_light(self.sun_np)
        if self.sun.is_shadow_caster():
            self.sun.set_shadow_caster(False)
        for np_ in (self.sun_np, self.amb_np, self.station_root, self.overlays.trail_np,
                    self.overlays.labels_root, self.far_cam, self.far_root):
            np_.remove_node()
        self.target.remove_display_region(self.dr_far)
        if getattr(self, "near_dr", None) is not None:
            self.target.remove_display_region(self.near_dr)
