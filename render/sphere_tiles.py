"""The Earth and its atmosphere shell cut into tiles, only the tiles the camera can see drawn.

From the station's 420 km only a cap 20 deg around the point below the camera is in view (~3 % of the
sphere), and of the atmosphere shell (drawn from behind: the limb glow) only a ring 18-29 deg out;
llvmpipe still transformed all 36,864 Earth and 9,216 shell triangles every frame and depth-tested the
shell's far half behind the whole Earth disc. Each tile is its own node; `SphereTiles.cull` shows those
whose angular extent overlaps the band of angles (from the direction to the camera) that can reach the
image. Same vertices, normals and UVs as `earth.uv_sphere` (the tiles share their edges), so the frame
is the same; docs/render.md, "Level of detail and the other cuts".
"""
from __future__ import annotations

import math

import numpy as np
from panda3d.core import NodePath

from render.earth import sphere_patch

MARGIN_RAD = math.radians(1.5)     # on top of each tile's own angular radius (facets, float32)


def visible_band(distance_r: float, shell_r: float = 1.0, ground_r: float = 1.0,
                 back_faces: bool = False) -> tuple[float, float]:
    """(lo, hi) angles (rad) from the direction to the camera, at a distance of `distance_r` sphere-radii,
    of the points of a sphere of radius `shell_r` that can be seen. Front faces (the Earth): the cap
    inside the horizon. Back faces (the atmosphere shell, culled in front): only where a line of sight
    passes beside the ground sphere (`ground_r`) and leaves the shell: from the shell's own tangent to
    the exit of the line grazing the ground. The whole sphere when the camera is inside it."""
    if distance_r <= shell_r * (1 + 1e-9):
        return 0.0, math.pi
    horizon = math.acos(min(1.0, shell_r / distance_r))
    if not back_faces:
        return 0.0, horizon
    ground_horizon = math.acos(min(1.0, ground_r / distance_r))
    return horizon, min(math.pi, ground_horizon + math.acos(min(1.0, ground_r / shell_r)))


class SphereTiles:
    """A unit sphere (z = north pole, x = Greenwich, equirectangular UVs) as tiles_lat x tiles_lon nodes."""

    def __init__(self, name: str, n_lat: int = 96, n_lon: int = 192, tiles_lat: int = 12, tiles_lon: int = 24):
        self.root = NodePath(name)
        centres, radii = [], []
        lat = np.linspace(-np.pi / 2, np.pi / 2, n_lat + 1)
        lon = np.linspace(-np.pi, np.pi, n_lon + 1)
        self.tiles: list[NodePath] = []
        for ia in np.array_split(np.arange(n_lat), tiles_lat):
            for jb in np.array_split(np.arange(n_lon), tiles_lon):
                la, lo = lat[ia[0]:ia[-1] + 2], lon[jb[0]:jb[-1] + 2]
                node, pts = sphere_patch(f"{name}_{len(self.tiles)}", la, lo)
                self.tiles.append(self.root.attach_new_node(node))
                c = pts.mean(0)
                c /= max(np.linalg.norm(c), 1e-12)
                centres.append(c)
                radii.append(float(np.arccos(np.clip(pts @ c, -1, 1)).max()))
        self.centres, self.radii = np.array(centres), np.array(radii)
        self.shown = np.ones(len(self.tiles), bool)

    def cull(self, cam_dir_local: np.ndarray, band: tuple[float, float]) -> int:
        """Show the tiles that overlap the band of angles from `cam_dir_local` (unit, sphere axes);
        returns how many are shown."""
        ang = np.arccos(np.clip(self.centres @ np.asarray(cam_dir_local, float), -1.0, 1.0))
        want = (ang - self.radii - MARGIN_RAD <= band[1]) & (ang + self.radii + MARGIN_RAD >= band[0])
        for k in np.nonzero(want != self.shown)[0]:
            (self.tiles[k].show if want[k] else self.tiles[k].hide)()
        self.shown = want
        return int(want.sum())
