"""The ensemble's relative trajectories as a faint cloud around the nominal trail (issue 14).

An ensemble file (`python main.py ensemble ... --out ens.npz`, separation kind) keeps each member's
Russian-segment position relative to the US segment in the US segment's LVLH frame every 60 s after
release (`cloud_rel_lvlh_m`). Drawn in the frame of the relative trail (render/overlays.py): every member's track up to
the playhead as thin translucent lines, in the trail's orange. It is the trail's sibling (the trail
node's children are rebuilt as the trail grows) and copies its shift and visibility (T key, clean view). The tracks and the trail share the
release instant: members differ from the nominal one by their dispersed inputs (docs/ensemble.md).
"""
from __future__ import annotations

import numpy as np
from panda3d.core import Geom, GeomEnums, GeomLinestrips, GeomNode, TransparencyAttrib

from render.scenestate import R_SCENE_FROM_LVLH

CLOUD_RGB = (1.0, 0.55, 0.2)              # the trail's orange (render.overlays.TRAIL_RGBA)
MAX_MEMBERS = 1000                        # beyond this the first 1,000 (members are independent draws)


class CloudFileError(ValueError):
    """--ensemble names no separation ensemble file: one line, exit 2."""
    is_user_error = True


def load_cloud(path) -> tuple[np.ndarray, np.ndarray]:
    """(t after release (K,), tracks in scene axes (M, K, 3)) of a separation ensemble file."""
    from ensemble.report import load
    from ensemble.store import is_ensemble_file
    if not is_ensemble_file(path):
        raise CloudFileError(f"--ensemble: {path}: not an ensemble file (`python main.py ensemble ... --out`)")
    ens = load(path)
    if str(ens["kind"]) != "separation":
        raise CloudFileError(f"--ensemble: {path}: a {ens['kind']} ensemble; the cloud needs a separation one")
    rel = ens["cloud_rel_lvlh_m"][:MAX_MEMBERS]
    return np.asarray(ens["cloud_t_s"], float), rel @ R_SCENE_FROM_LVLH.T


class EnsembleCloud:
    """Overlays extra: update(snap) redraws the tracks when the playhead passes a sample."""

    def __init__(self, overlays, path, t_release_s: float):
        self.t, self.tracks = load_cloud(path)
        self.t_rel = float(t_release_s)
        self.trail_np = overlays.trail_np
        self.np = overlays.trail_np.get_parent().attach_new_node("ensemble_cloud")
        self.np.set_shader_off()
        self.np.set_light_off()
        self.np.set_render_mode_thickness(1)
        self.np.set_transparency(TransparencyAttrib.M_alpha)
        self.np.set_depth_write(False)
        self.np.set_bin("fixed", 5)
        self._k = -1

    def update(self, snap) -> None:
        self.np.set_pos(self.trail_np.get_pos())
        (self.np.hide if self.trail_np.is_hidden() else self.np.show)()
        k = int(np.searchsorted(self.t, snap.t_s - self.t_rel, side="right"))
        if k == self._k:
            return
        self._k = k
        self.np.get_children().detach()
        if k >= 2:
            self.np.attach_new_node(_strips(self.tracks[:, :k]))


def cloud_alpha(members: int) -> float:
    """Faint, and the fainter the more members overlap: 0.4 for 6 members, 0.085 for 200, 0.04 for 1,000
    (where many members pass the cloud is brighter: the density of outcomes)."""
    return float(min(0.4, 1.2 / np.sqrt(max(members, 1))))


def _strips(tracks: np.ndarray) -> GeomNode:
    """One GeomNode: a line strip per member through its (K,3) points (one vertex buffer)."""
    from render.earth import _vdata
    m, k, _ = tracks.shape
    rec = np.empty(m * k, dtype=[("v", "<f4", 3), ("c", "u1", 4)])
    rec["v"] = tracks.reshape(-1, 3)
    rec["c"] = (np.asarray(CLOUD_RGB + (cloud_alpha(m),)) * 255).round().astype(np.uint8)
    vdata = _vdata("cloud", [("vertex", 3, GeomEnums.NT_float32, GeomEnums.C_point),
                             ("color", 4, GeomEnums.NT_uint8, GeomEnums.C_color)], rec)
    prim = GeomLinestrips(Geom.UH_static)
    for j in range(m):
        prim.add_consecutive_vertices(j * k, k)
        prim.close_primitive()
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode("cloud")
    node.add_geom(geom)
    return node


def attach(renderer_or_scene, path) -> EnsembleCloud:
    """Add the cloud of `path` to a StationScene (or an OffscreenRenderer's scene)."""
    scene = getattr(renderer_or_scene, "scene", renderer_or_scene)
    traj = scene.traj
    t_rel = next((e.t_s for e in traj.events if e.kind == "release"), float(traj.t_s[0]))
    cloud = EnsembleCloud(scene.overlays, path, t_rel)
    scene.overlays.extras.append(cloud)
    return cloud
