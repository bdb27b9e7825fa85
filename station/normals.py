"""Per-corner vertex normals: smooth across gentle edges, crisp across sharp ones (renderer and glTF).

One definition for both outputs: render/meshes.py feeds these normals to Panda3D, station/export.py
writes them into the glTF, so an external viewer shades the station as the app does.
"""
from __future__ import annotations

import numpy as np

SMOOTH_ANGLE_DEG = 25.0   # revolved hulls (10-18 deg between facets) smooth; cones >25 deg, boxes, steps, panels flat


def corner_normals(vertices_m: np.ndarray, faces: np.ndarray, smooth_angle_deg: float = SMOOTH_ANGLE_DEG):
    """(V,3), (F,3) -> per-corner positions (3F,3) and unit normals (3F,3).

    A corner takes the area-weighted mean of the normals of the faces around its vertex that lie within
    `smooth_angle_deg` of its own face (cylinders look round, boxes keep crisp edges)."""
    vertices_m = np.asarray(vertices_m, float)
    faces = np.asarray(faces, np.int64)
    tri = vertices_m[faces]                                     # (F,3,3)
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])  # area-weighted face normals
    unit = fn / np.maximum(np.linalg.norm(fn, axis=1, keepdims=True), 1e-12)
    corners = faces.reshape(-1)                                 # vertex index of each corner
    face_of_corner = np.repeat(np.arange(len(faces)), 3)
    order = np.argsort(corners, kind="stable")                  # corners grouped by vertex
    starts = np.searchsorted(corners[order], np.arange(len(vertices_m) + 1))
    s_group = starts[corners[order]]
    counts = starts[corners[order] + 1] - s_group               # valence of each corner's vertex
    i_idx = np.repeat(np.arange(len(order)), counts)            # all corner pairs sharing a vertex
    j_idx = np.repeat(s_group, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    fi, fj = face_of_corner[order[i_idx]], face_of_corner[order[j_idx]]
    keep = np.einsum("ij,ij->i", unit[fi], unit[fj]) >= np.cos(np.radians(smooth_angle_deg))
    acc = np.zeros((len(order), 3))
    np.add.at(acc, i_idx[keep], fn[fj[keep]])
    normals = np.empty((len(order), 3))
    normals[order] = acc / np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-12)
    return tri.reshape(-1, 3), normals


def indexed_with_normals(vertices_m: np.ndarray, faces: np.ndarray, smooth_angle_deg: float = SMOOTH_ANGLE_DEG):
    """Indexed mesh whose vertices carry the corner normals: (V',3) positions, (V',3) normals, (F,3) faces.
    Corners with the same position and (to 1e-4) the same normal share a vertex (what glTF needs)."""
    pos, nrm = corner_normals(vertices_m, faces, smooth_angle_deg)
    key = np.hstack([np.round(pos, 5), np.round(nrm, 4)])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return pos[first], nrm[first], inverse.reshape(-1, 3)
