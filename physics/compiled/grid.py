"""Candidate lists for the compiled area-table lookup (compiled.forces.shape_lookup): the 3 nearest table
directions of a wind direction u are searched only among the candidates of u's cube-map cell.

Why it is exact: let c be a cell's centre direction, rho the largest angle from c to the cell's
corners (the cell is a small geodesically convex quadrilateral - the gnomonic image of a square -
so its farthest point from c is a corner), d3 the angle from c to its 3rd nearest table direction.
For x in the cell, the 3 nearest to c lie within d3 + rho of x, so x's 3rd nearest distance is
<= d3 + rho, and each of x's 3 nearest j has angle(j, c) <= angle(j, x) + rho <= d3 + 2 rho. The
candidates are all j within d3 + 2 rho (+ 1e-6 rad against rounding) of c, in ascending index:
the scan sees the same cosines in the same order as a full scan, so the result is bit-identical.
A 200-direction station table (spacing ~14 deg) with 15 x 15 cells a face leaves ~10 candidates.
"""
from __future__ import annotations

import math

import numpy as np

from physics.memo import SharedCache

_FACES = ((0, 1, 1, 2), (0, -1, 1, 2), (1, 1, 0, 2), (1, -1, 0, 2), (2, 1, 0, 1), (2, -1, 0, 1))  # axis, sign, a, b
SMALL_TABLE = 16            # up to this many directions: one cell holding every row (a full scan)


def _face_points(face: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unit vectors of cube-face coordinates (a, b) in [-1, 1] (compiled.forces.cube_cell's inverse)."""
    k, s, ia, ib = _FACES[face]
    v = np.zeros(a.shape + (3,))
    v[..., k], v[..., ia], v[..., ib] = s, a, b
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _angles(dirs: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.arccos(np.clip(v @ dirs.T, -1.0, 1.0))


_CACHE = SharedCache(64)     # directions' bytes -> cube_grid's result (read-only arrays), per process


def cube_grid(dirs: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(G, cell_start (6 G^2 + 1,), candidate rows (M,)) for directions dirs (N,3); G = 0 (one cell,
    every row) for small tables. A function of the directions alone (not of areas or centres of
    pressure, which ensemble members shift): kept per process, keyed on the directions' bytes (~15 ms
    a 200-direction table, paid once instead of at every run). Callers must not modify the arrays
    returned (grids() builds new ones from them)."""
    d = np.ascontiguousarray(dirs, dtype=np.float64)
    key = d.shape[0].to_bytes(8, "little") + d.tobytes()
    hit = _CACHE.get(key)
    return hit if hit is not None else _CACHE.put(key, _cube_grid(d))


def _cube_grid(dirs: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    n = len(dirs)
    if n <= SMALL_TABLE:
        return 0, np.array([0, n], dtype=np.int64), np.arange(n, dtype=np.int64)
    G = min(24, max(4, int(math.ceil(math.sqrt(n)))))
    e = -1.0 + 2.0 * np.arange(G + 1) / G
    mid = 0.5 * (e[:-1] + e[1:])
    starts, cand = [0], []
    for f in range(6):
        A, B = np.meshgrid(mid, mid, indexing="ij")
        centre = _face_points(f, A, B).reshape(-1, 3)                       # (G*G, 3), cell (i, j)
        corners = [_face_points(f, *np.meshgrid(e[di:G + di], e[dj:G + dj], indexing="ij")).reshape(-1, 3)
                   for di in (0, 1) for dj in (0, 1)]
        rho = np.max([np.arccos(np.clip(np.sum(centre * c, axis=1), -1, 1)) for c in corners], axis=0)
        ang = _angles(dirs, centre)                                         # (G*G, N)
        d3 = np.partition(ang, 2, axis=1)[:, 2]
        for row, radius in zip(ang, d3 + 2 * rho + 1e-6):
            idx = np.nonzero(row <= radius)[0]
            cand.append(idx)
            starts.append(starts[-1] + idx.size)
    return G, np.array(starts, dtype=np.int64), np.concatenate(cand).astype(np.int64)


def grids(shapes, row_offsets: np.ndarray) -> tuple:
    """(G (n,), first cell (n,), cell_start, candidates as global rows) for every body's DragShape
    (None: an empty grid); body i's rows start at row_offsets[i] in the stacked table."""
    G_all, first, starts, cands, n_cells = [], [], [np.zeros(1, np.int64)], [], 0
    total = 0
    for i, s in enumerate(shapes):
        G, st, cd = cube_grid(s.directions) if s is not None else (0, np.array([0, 0], np.int64),
                                                                   np.zeros(0, np.int64))
        G_all.append(G)
        first.append(n_cells)
        starts.append(st[1:] + total)
        cands.append(cd + row_offsets[i])
        n_cells += len(st) - 1
        total += st[-1]
    return (np.array(G_all, dtype=np.int64), np.array(first, dtype=np.int64),
            np.concatenate(starts), np.concatenate(cands) if cands else np.zeros(0, np.int64))
