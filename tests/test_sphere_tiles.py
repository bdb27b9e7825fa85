"""Earth and atmosphere tiles (render/sphere_tiles.py): every tile that holds a point the camera can see is
drawn, the rest are not, and the frames are those of the whole spheres (tests/test_render.py)."""
import math

import numpy as np
import pytest

from render.sphere_tiles import SphereTiles, visible_band

SHELL = 1.012          # render/scene.py ATMOSPHERE_SCALE


def _tile_of(tiles: SphereTiles, p: np.ndarray) -> int:
    """The tile holding unit point p: both spheres here are cut into 12 x 24 tiles of 15 x 15 deg."""
    lat, lon = math.degrees(math.asin(p[2])), math.degrees(math.atan2(p[1], p[0]))
    return min(int((lat + 90) // 15), 11) * 24 + min(int((lon + 180) // 15), 23)


def _visible_points(distance_r: float, cam: np.ndarray, n: int, shell: float | None, rng) -> np.ndarray:
    """Random unit points of the sphere that a camera at distance_r * cam sees: in front of the horizon
    (Earth), or (shell, back faces) where the eye's line of sight reaches them beside the ground."""
    p = rng.normal(size=(n, 3)); p /= np.linalg.norm(p, axis=1, keepdims=True)
    eye = cam * distance_r
    if shell is None:
        return p[p @ cam > 1.0 / distance_r]
    q = p * shell
    d = q - eye
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    back = np.einsum("ij,ij->i", q, d) > 0                        # leaving the shell: a back face
    t = -np.einsum("ij,j->i", d, eye)                             # closest approach of the line to the centre
    closest = np.linalg.norm(eye + t[:, None] * d, axis=1)
    return p[back & (closest > 1.0)]


@pytest.mark.parametrize("distance_r", [1.066, 1.2, 3.0, 20.0])
def test_every_visible_point_lies_on_a_shown_tile(distance_r):
    rng = np.random.default_rng(3)
    earth, shell = SphereTiles("earth"), SphereTiles("atmosphere", 48, 96)
    for _ in range(4):
        cam = rng.normal(size=3); cam /= np.linalg.norm(cam)
        earth.cull(cam, visible_band(distance_r))
        shell.cull(cam, visible_band(distance_r, SHELL, back_faces=True))
        for tiles, pts in ((earth, _visible_points(distance_r, cam, 4000, None, rng)),
                           (shell, _visible_points(distance_r, cam, 20000, SHELL, rng))):
            assert len(pts) > 10
            assert all(tiles.shown[_tile_of(tiles, p)] for p in pts)


def test_from_the_station_only_a_few_tiles_are_drawn():
    """420 km up (1.066 Earth radii): the horizon 20 deg away, the limb glow's ring 18-29 deg."""
    lo, hi = visible_band(1.066)
    assert lo == 0.0 and math.degrees(hi) == pytest.approx(20.3, abs=0.2)
    lo, hi = visible_band(1.066, SHELL, back_faces=True)
    assert math.degrees(lo) == pytest.approx(18.3, abs=0.3) and math.degrees(hi) == pytest.approx(29.2, abs=0.3)
    earth = SphereTiles("earth")
    assert earth.cull(np.array([1.0, 0.0, 0.0]), visible_band(1.066)) < 0.1 * len(earth.tiles)
    assert visible_band(0.99) == (0.0, math.pi)        # inside: everything
