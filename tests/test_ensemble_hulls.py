"""Hull distance (ensemble/hulls.py: convex pieces, GJK compiled with numba) against independent
references: two boxes with a known gap, and trimesh's closest-point queries on the station's pieces
in a few poses (tolerance: the spacing of the points sampled along the pieces' edges)."""
from __future__ import annotations

import numpy as np
import pytest
import trimesh

from ensemble import hulls

EDGE_STEP_M = 0.05


def _pieces(meshes):
    pts, start, centre, radius = [], [0], [], []
    for m in meshes:
        v = np.asarray(m.convex_hull.vertices, float)
        c = 0.5 * (v.min(0) + v.max(0))
        pts.append(v)
        start.append(start[-1] + len(v))
        centre.append(c)
        radius.append(np.linalg.norm(v - c, axis=1).max())
    return hulls.Pieces(np.concatenate(pts), np.array(start), np.array(centre), np.array(radius))


def _rot(axis, angle):
    return trimesh.transformations.rotation_matrix(angle, axis)[:3, :3]


def test_boxes_with_a_known_gap():
    a = _pieces([trimesh.creation.box((2, 2, 2))])
    b = _pieces([trimesh.creation.box((1, 1, 1))])
    # b centred at x = 3: faces at 1 (a) and 2.5 (b): 1.5 m apart; turned 45 deg about z: corner at 3 - 0.707
    d = hulls.distances(a, b, np.stack([np.eye(3), _rot([0, 0, 1], np.pi / 4)]), np.array([[3.0, 0, 0], [3.0, 0, 0]]))
    assert d[0] == pytest.approx(1.5, abs=1e-9)
    assert d[1] == pytest.approx(2.0 - np.sqrt(0.5), abs=1e-9)
    inside = hulls.distances(a, b, np.eye(3)[None], np.array([[1.2, 0.3, 0.0]]))
    assert inside[0] == 0.0


def _edge_points(piece_vertices):
    hull = trimesh.Trimesh(piece_vertices).convex_hull
    e = hull.vertices[hull.edges_unique]
    out = [hull.vertices]
    for p, q in e:
        n = int(np.ceil(np.linalg.norm(q - p) / EDGE_STEP_M))
        out.append(p + np.linspace(0, 1, n + 1)[:, None] * (q - p))
    return np.concatenate(out)


def _closest(mesh, pts) -> float:
    """Smallest distance from pts to the mesh's triangles (trimesh.triangles.closest_point, every pair)."""
    tri = mesh.triangles
    best = np.inf
    for chunk in np.array_split(pts, max(1, len(pts) * len(tri) // 200000)):
        T = np.repeat(tri[None], len(chunk), axis=0).reshape(-1, 3, 3)
        P = np.repeat(chunk, len(tri), axis=0)
        best = min(best, float(np.linalg.norm(trimesh.triangles.closest_point(T, P) - P, axis=1).min()))
    return best


@pytest.fixture(scope="module")
def station():
    import scenario
    inputs = scenario.prepare("clip-2022")
    com = {n: np.array(inputs.metadata["bodies"][n]["com_ssacs_m"]) for n in ("ROS", "USOS")}
    return hulls.station_pieces(inputs), com["ROS"] - com["USOS"]


@pytest.mark.parametrize("pose", [((0, 1, 0), 0.02, (-1.5, 0.3, -0.2)),
                                  ((1, 1, 0), 0.05, (-3.0, 1.0, 0.5))])
def test_station_pieces_against_trimesh(station, pose):
    """ROS moved away from the docked pose (turned about an axis through its CoM, shifted): the GJK
    distance against the closest point on the US pieces' hulls from points along every ROS hull edge."""
    P, t_docked = station
    axis, angle, shift = pose
    R, t = _rot(axis, angle), t_docked + np.array(shift)
    d = hulls.distances(P["USOS"], P["ROS"], R[None], t[None])[0]
    a, b = P["USOS"], P["ROS"]
    ref = np.inf
    pa = [a.points[a.start[i]:a.start[i + 1]] for i in range(len(a.radius))]
    pb = [b.points[b.start[j]:b.start[j + 1]] @ R.T + t for j in range(len(b.radius))]
    for j, qb in enumerate(pb):
        for i, qa in enumerate(pa):
            gap = np.maximum(0.0, np.maximum(qa.min(0) - qb.max(0), qb.min(0) - qa.max(0)))
            if np.linalg.norm(gap) > d + EDGE_STEP_M:         # boxes farther apart than the answer
                continue
            ref = min(ref, _closest(trimesh.Trimesh(qa).convex_hull, _edge_points(qb)))
    assert d > 0
    assert d <= ref + 1e-6                       # sampled points can only be farther than the true closest
    assert ref - d <= EDGE_STEP_M / 2 + 1e-6     # and not by more than half a sampling step


def _unpruned(a, b, R, t):
    """Every piece pair at every pose with the plain GJK (no sphere test, no early exit)."""
    d = np.array([[hulls.gjk_distance(a.points, a.start[i], a.start[i + 1], b.points, b.start[j], b.start[j + 1],
                                      R[k], t[k]) for i in range(len(a.radius)) for j in range(len(b.radius))]
                  for k in range(len(t))])
    per_pose = d.min(axis=1)
    return float(per_pose.min()), int(np.argmin(per_pose)), per_pose


def test_pruned_minimum_is_the_unpruned_one(station):
    """min_distance skips poses and piece pairs whose bounding spheres cannot beat the best so far and
    stops GJK once its lower bound reaches it: the same smallest distance (bit for bit) and pose as
    the exhaustive search, on a drift away from the docked pose whose closest pose is not the first."""
    P, t_docked = station
    a, b = P["USOS"], P["ROS"]
    s = np.linspace(0.0, 1.0, 12)
    R = np.stack([_rot((0.3, 1, 0.2), 0.08 * (x - 0.4) ** 2) for x in s])
    t = t_docked + np.outer(np.abs(s - 0.4), (-4.0, 1.5, 0.8)) + np.array((-0.4, 0.1, 0.0))
    ref, k_ref, per_pose = _unpruned(a, b, R, t)
    d, k = hulls.min_distance(a, b, R, t)
    assert 0 < k == k_ref and d == ref
    assert np.array_equal(hulls.distances(a, b, R, t), per_pose)


def test_series_with_carried_bounds_is_the_unpruned_one(station):
    """distances() carries each piece pair's GJK lower bound from pose to pose (shifted exactly by the
    translation along its direction, less a bound on the turn): on a random walk that turns and goes
    back and forth (bounds carried in every direction, some far over many poses), the same values bit
    for bit as the exhaustive search at every pose."""
    P, t_docked = station
    a, b = P["USOS"], P["ROS"]
    rng = np.random.default_rng(7)
    k = 80
    steps = rng.normal(0.0, 0.6, (k, 3)) + np.array((-0.25, 0.05, 0.0))       # metres a pose, drifting off
    t = t_docked + np.array((-0.3, 0.0, 0.0)) + np.cumsum(steps, axis=0)
    angles = np.cumsum(rng.normal(0.0, 0.01, k))                                 # rad, back and forth
    R = np.stack([_rot((0.2, 0.4, 1.0), x) for x in angles])
    per_pose = _unpruned(a, b, R, t)[2]
    assert np.array_equal(hulls.distances(a, b, R, t), per_pose)
