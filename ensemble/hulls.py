"""Distance between the two segments' hulls: convex pieces of the station's shapes and a GJK
distance (Gilbert-Johnson-Keerthi) written here and compiled with numba.

Pieces: every element mesh of station/shapes.py is a union of closed solids (cylinders, cones, slabs,
boxes); each connected solid's convex hull is one piece. A piece's hull contains the solid, so a hull
distance is never larger than the true one (recontact is counted conservatively; revolved solids with
a waisted profile are filled in). Points of each piece are kept in its segment's body frame
(origin at the segment's CoM: p_body = p_ssacs - com).

`distances(a, b, R_a_from_b, t_a_b)`: at each pose, the smallest distance between any piece of a and any
piece of b (0 when any two overlap), with a bounding-sphere broad phase and each pair's GJK lower bound
carried from pose to pose (the same values as a search from scratch, tested); `min_distance(...)`: the
smallest over a series of poses and where (each pose only examined below the best so far: piece pairs
whose bounding spheres are farther apart are skipped, and GJK stops once its lower bound reaches the
best; the same minimum as the exhaustive search, tested).
tests/test_ensemble_hulls.py checks it against trimesh's closest-point queries on a few poses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

TOL_M = 1e-6          # GJK stops when the distance bound closes to this


@dataclass(frozen=True)
class Pieces:
    """Convex pieces of one segment: points (P, 3) body frame, piece k = points[start[k]:start[k+1]]."""
    points: np.ndarray
    start: np.ndarray         # (K + 1,) int64
    centre: np.ndarray        # (K, 3) bounding-sphere centre
    radius: np.ndarray        # (K,)

    def shifted(self, d_m: np.ndarray) -> "Pieces":
        """The same pieces with the body origin moved by d (points - d): a different CoM."""
        d = np.asarray(d_m, float)
        return Pieces(self.points - d, self.start, self.centre - d, self.radius)


def segment_pieces(segment, com_ssacs_m) -> Pieces:
    """Convex pieces of a station.model SegmentModel (its meshes, SSACS) in its body frame."""
    pts, start, centre, radius = [], [0], [], []
    for mesh in segment.meshes.values():
        for solid in mesh.split(only_watertight=False):
            v = np.asarray(solid.convex_hull.vertices, float) - np.asarray(com_ssacs_m, float)
            c = 0.5 * (v.min(axis=0) + v.max(axis=0))
            pts.append(v)
            start.append(start[-1] + len(v))
            centre.append(c)
            radius.append(float(np.max(np.linalg.norm(v - c, axis=1))))
    return Pieces(np.concatenate(pts), np.array(start, np.int64), np.array(centre), np.array(radius))


def station_pieces(inputs) -> dict:
    """{"ROS": Pieces, "USOS": Pieces} of a station scenario's PhysicsInputs (its own CoMs)."""
    from station import build_model, load_station
    sc_meta = inputs.metadata["bodies"]
    st = _station_keys(inputs)
    model = build_model(load_station(st["file"] or None), vehicles=st["vehicles"])
    return {n: segment_pieces(model.segments[n], sc_meta[n]["com_ssacs_m"]) for n in ("ROS", "USOS")}


def _station_keys(inputs) -> dict:
    import tomllib
    raw = tomllib.loads(inputs.metadata["scenario"]["toml"]).get("station", {})
    v = raw.get("vehicles", True)
    return {"file": raw.get("file", ""), "vehicles": tuple(v) if isinstance(v, list) else v}


@njit(cache=True)
def _support(points, lo, hi, R, t, d):
    """Point of piece points[lo:hi] (mapped by x -> R x + t) furthest along d."""
    dl0 = R[0, 0] * d[0] + R[1, 0] * d[1] + R[2, 0] * d[2]        # R^T d
    dl1 = R[0, 1] * d[0] + R[1, 1] * d[1] + R[2, 1] * d[2]
    dl2 = R[0, 2] * d[0] + R[1, 2] * d[1] + R[2, 2] * d[2]
    best, k = -1e300, lo
    for j in range(lo, hi):
        s = points[j, 0] * dl0 + points[j, 1] * dl1 + points[j, 2] * dl2
        if s > best:
            best, k = s, j
    out = np.empty(3)
    for i in range(3):
        out[i] = R[i, 0] * points[k, 0] + R[i, 1] * points[k, 1] + R[i, 2] * points[k, 2] + t[i]
    return out


@njit(cache=True)
def _closest_on_simplex(W, n):
    """Minimum-norm point of the simplex W[:n] (n <= 4) and the smallest vertex subset holding it:
    every face's affine projection with non-negative barycentric weights; the least norm wins."""
    best = 1e300
    best_v = np.zeros(3)
    best_mask = 0
    for mask in range(1, 1 << n):
        idx = np.empty(4, np.int64)
        m = 0
        for j in range(n):
            if mask & (1 << j):
                idx[m] = j
                m += 1
        # weights lam on idx: minimise |sum lam_j w_j| with sum lam = 1 -> (m-1) linear equations
        p0 = W[idx[0]]
        if m == 1:
            lam = np.ones(1)
        else:
            A = np.empty((m - 1, m - 1))
            b = np.empty(m - 1)
            for r in range(m - 1):
                er = W[idx[r + 1]] - p0
                b[r] = -(er[0] * p0[0] + er[1] * p0[1] + er[2] * p0[2])
                for c in range(m - 1):
                    ec = W[idx[c + 1]] - p0
                    A[r, c] = er[0] * ec[0] + er[1] * ec[1] + er[2] * ec[2]
            if abs(np.linalg.det(A)) < 1e-30:
                continue
            mu = np.linalg.solve(A, b)
            lam = np.empty(m)
            lam[0] = 1.0 - mu.sum()
            lam[1:] = mu
        if lam.min() < -1e-12:
            continue
        v = np.zeros(3)
        for j in range(m):
            v += lam[j] * W[idx[j]]
        nv = v[0] * v[0] + v[1] * v[1] + v[2] * v[2]
        if nv < best - 1e-18 or (nv <= best + 1e-18 and m < _popcount(best_mask)):
            best, best_v, best_mask = nv, v, mask
    return best_v, best_mask


@njit(cache=True)
def _popcount(mask):
    c = 0
    while mask:
        c += mask & 1
        mask >>= 1
    return c


@njit(cache=True)
def gjk_distance(pa, la, ha, pb, lb, hb, R, t):
    """Distance between hull(pa[la:ha]) (identity pose) and hull(pb[lb:hb]) mapped by R, t; 0 on overlap."""
    return gjk_distance_below(pa, la, ha, pb, lb, hb, R, t, np.inf)


@njit(cache=True)
def gjk_distance_below(pa, la, ha, pb, lb, hb, R, t, cap):
    """gjk_distance, or some value >= cap as soon as GJK's lower bound v.w/|v| reaches cap (the pair
    cannot be closer than cap). Whenever the distance is below cap it is gjk_distance's, bit for bit:
    then every lower bound on the way is below cap too (lower bound <= distance <= the |v| returned)."""
    return gjk_bounds(pa, la, ha, pb, lb, hb, R, t, cap)[0]


@njit(cache=True)
def gjk_bounds(pa, la, ha, pb, lb, hb, R, t, cap):
    """(gjk_distance_below's value, a lower bound `low` of the true distance, its unit direction n (3,)):
    for any direction n, min over the pieces of n.(x_a - x_b) bounds the distance from below; GJK's
    v.w/|v| is that minimum for n = v/|v| (w: the Minkowski difference's support point along -v). The
    largest one GJK saw is returned; 0 (and n = 0) on overlap."""
    eye, zero = np.eye(3), np.zeros(3)
    W = np.empty((4, 3))
    v = pa[la] - (R @ pb[lb] + t)
    n = 0
    low_max, n_max = 0.0, np.zeros(3)
    for _ in range(64):
        nv = np.sqrt(v @ v)
        if nv < 1e-12:
            return 0.0, 0.0, np.zeros(3)
        w = _support(pa, la, ha, eye, zero, -v) - _support(pb, lb, hb, R, t, v)
        low = (v @ w) / nv                        # lower bound of the distance
        if low > low_max:
            low_max, n_max = low, v / nv
        if nv - low <= TOL_M:                     # upper bound |v| minus lower bound v.w/|v|
            return nv, low_max, n_max
        if low >= cap:
            return nv, low_max, n_max             # >= low >= cap: not below cap
        W[n] = w
        n += 1
        v, mask = _closest_on_simplex(W, n)
        m = 0
        for j in range(n):
            if mask & (1 << j):
                W[m] = W[j]
                m += 1
        n = m
        if n == 4:
            return 0.0, 0.0, np.zeros(3)
    return np.sqrt(v @ v), low_max, n_max


@njit(cache=True)
def _min_distance_pose(pa, sa, ca, ra, pb, sb, cb, rb, R, t, best):
    """Smallest piece-pair distance below `best` at one pose (b mapped into a's frame by R, t)."""
    bounds = _empty_bounds(ca.shape[0], cb.shape[0])   # nothing carried: spheres only
    return _min_pair_pose(pa, sa, ca, ra, pb, sb, cb, rb, R, t, best, bounds, R[None], t[None], 0, 0.0)[0]


BOUND_MARGIN_M = 1e-9    # a pair is skipped only when its carried lower bound beats the best by this (round-off)


@njit(cache=True)
def _empty_bounds(na, nb):
    """Per piece pair: (lower bound, its direction n (3), pose index where measured; -1: none)."""
    return np.zeros((na, nb, 4)), np.full((na, nb), -1, np.int64)


@njit(cache=True)
def _series(pa, sa, ca, ra, pb, sb, cb, rb, Rs, ts, reach_pts_b):
    """Hull distance at every pose. Each pose starts from the previous pose's closest pair, measured
    at this pose (an upper bound of this pose's distance, usually the answer). A pair is then skipped
    when a lower bound of its distance is not below that: its bounding spheres', or the one GJK gave
    for it at an earlier pose j carried to this pose k (_carried_bound). The same values as a search
    from scratch: a pair is only skipped when it cannot be closer than a distance measured at this pose."""
    out = np.empty(Rs.shape[0])
    bounds = _empty_bounds(ca.shape[0], cb.shape[0])
    pi, pj = -1, -1
    for k in range(Rs.shape[0]):
        best = np.inf
        if pi >= 0:
            best, low, nrm = gjk_bounds(pa, sa[pi], sa[pi + 1], pb, sb[pj], sb[pj + 1], Rs[k], ts[k], np.inf)
            _keep(bounds, pi, pj, low, nrm, k)
        d, i, j = _min_pair_pose(pa, sa, ca, ra, pb, sb, cb, rb, Rs[k], ts[k], best, bounds, Rs, ts, k, reach_pts_b)
        if i >= 0:
            pi, pj = i, j
        out[k] = d
    return out


@njit(cache=True)
def _keep(bounds, i, j, low, nrm, k):
    vals, pose = bounds
    vals[i, j, 0] = low
    vals[i, j, 1:] = nrm
    pose[i, j] = k


@njit(cache=True)
def _carried_bound(bounds, i, j, Rs, ts, k, reach):
    """Pair (i, j)'s lower bound at pose k from the one measured at pose m: moving b from (R_m, t_m) to
    (R_k, t_k) changes min n.(x_a - x_b) by -n.(t_k - t_m) exactly for the translation, and by at most
    |R_k - R_m|_F x reach (b's farthest point from its origin) for the turn. -inf when none is kept."""
    vals, pose = bounds
    m = pose[i, j]
    if m < 0:
        return -np.inf
    dn, f = 0.0, 0.0
    for r in range(3):
        dn += vals[i, j, 1 + r] * (ts[k, r] - ts[m, r])
        for c in range(3):
            f += (Rs[k, r, c] - Rs[m, r, c]) ** 2
    return vals[i, j, 0] - dn - math.sqrt(f) * reach


@njit(cache=True)
def _min_pair_pose(pa, sa, ca, ra, pb, sb, cb, rb, R, t, best, bounds, Rs, ts, k, reach):
    """(smallest piece-pair distance below `best` at one pose, its pair i, j; -1, -1 when none is below).
    A pair is skipped when its bounding spheres, b's whole sphere, or its carried lower bound (_series:
    Rs[k], ts[k] is this pose; every pair GJK measures keeps its bound) are not below `best`."""
    cbw = cb @ R.T + t
    bi, bj = -1, -1
    reach_b = 0.0
    for j in range(cb.shape[0]):
        reach_b = max(reach_b, math.sqrt(cb[j, 0] ** 2 + cb[j, 1] ** 2 + cb[j, 2] ** 2) + rb[j])
    for i in range(ca.shape[0]):
        dx, dy, dz = t[0] - ca[i, 0], t[1] - ca[i, 1], t[2] - ca[i, 2]
        if math.sqrt(dx * dx + dy * dy + dz * dz) - ra[i] - reach_b >= best:
            continue
        for j in range(cbw.shape[0]):
            dx, dy, dz = cbw[j, 0] - ca[i, 0], cbw[j, 1] - ca[i, 1], cbw[j, 2] - ca[i, 2]
            if math.sqrt(dx * dx + dy * dy + dz * dz) - ra[i] - rb[j] >= best:
                continue
            if _carried_bound(bounds, i, j, Rs, ts, k, reach) - BOUND_MARGIN_M >= best:
                continue
            dist, low, nrm = gjk_bounds(pa, sa[i], sa[i + 1], pb, sb[j], sb[j + 1], R, t, best)
            _keep(bounds, i, j, low, nrm, k)
            if dist < best:
                best, bi, bj = dist, i, j
                if best <= 0.0:
                    return 0.0, bi, bj
    return best, bi, bj


@njit(cache=True)
def _min_over_poses(pa, sa, ca, ra, pb, sb, cb, rb, Rs, ts, reach):
    """(smallest distance over all poses, its pose index): a pose is only examined below the best so
    far (pairs whose bounding spheres are farther apart are skipped), so after an early close pose
    the rest cost a sphere test each."""
    best, kbest = 1e300, 0
    for k in range(Rs.shape[0]):
        tn = np.sqrt(ts[k] @ ts[k])
        if tn - reach >= best:                   # the whole segments' spheres already farther
            continue
        d = _min_distance_pose(pa, sa, ca, ra, pb, sb, cb, rb, Rs[k], ts[k], best)
        if d < best:
            best, kbest = d, k
            if best <= 0.0:
                break
    return best, kbest


def _reach(a: Pieces, b: Pieces) -> float:
    return float(np.max(np.linalg.norm(a.centre, axis=1) + a.radius)
                 + np.max(np.linalg.norm(b.centre, axis=1) + b.radius))


def distances(a: Pieces, b: Pieces, R_a_from_b: np.ndarray, t_a_b: np.ndarray) -> np.ndarray:
    """Hull distance (m) at each pose (K,): R_a_from_b (K,3,3), t_a_b (K,3) = b's origin in a's frame.
    The same values as a search from scratch at every pose (tests/test_ensemble_hulls.py), ~20x faster
    along a drift (each pose starts from the previous pose's closest pair; a piece of a is skipped when
    b's whole bounding sphere is farther than the best so far, a pair when its carried bound is: _series)."""
    R, t = np.ascontiguousarray(R_a_from_b, float), np.ascontiguousarray(t_a_b, float)
    reach = float(np.max(np.linalg.norm(b.points, axis=1)))
    return _series(a.points, a.start, a.centre, a.radius, b.points, b.start, b.centre, b.radius, R, t, reach)


def min_distance(a: Pieces, b: Pieces, R_a_from_b: np.ndarray, t_a_b: np.ndarray) -> tuple[float, int]:
    """(smallest hull distance over the poses, index of the pose where it occurs); 0 at the first contact."""
    best, k = _min_over_poses(a.points, a.start, a.centre, a.radius, b.points, b.start, b.centre, b.radius,
                              np.ascontiguousarray(R_a_from_b, float), np.ascontiguousarray(t_a_b, float),
                              _reach(a, b))
    return float(best), int(k)
