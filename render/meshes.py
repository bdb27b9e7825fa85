"""trimesh -> Panda3D geometry through numpy (panda3d_notes.md section 6: ~20 ms for 50k triangles)."""
from __future__ import annotations

import numpy as np
from panda3d.core import (Geom, GeomEnums, GeomNode, GeomTriangles, GeomVertexArrayFormat, GeomVertexData,
                          GeomVertexFormat, InternalName)

# Materials a viewer recognises (RGB 0-1, specular strength 0-1 stored in the vertex alpha).
# Russian arrays are dark blue; the US arrays look gold-brown in sunlight.
MATERIALS = {
    "module": ((0.90, 0.90, 0.88), 0.35),
    "node": ((0.88, 0.88, 0.86), 0.35),
    "truss": ((0.55, 0.56, 0.58), 0.2),
    "radiator": ((0.95, 0.95, 0.95), 0.2),
    "array_USOS": ((0.80, 0.58, 0.22), 0.9),
    "array_ROS": ((0.10, 0.16, 0.42), 0.9),
    "vehicle": ((0.80, 0.80, 0.78), 0.3),
    "other": ((0.72, 0.72, 0.72), 0.25),
}


def material_for(kind: str, segment: str) -> tuple[tuple[float, float, float], float]:
    kind = (kind or "other").lower()
    if "array" in kind or "solar" in kind:
        return MATERIALS["array_ROS" if segment.upper().startswith("ROS") else "array_USOS"]
    for key in ("radiator", "truss", "module", "node", "vehicle"):
        if key in kind:
            return MATERIALS[key]
    return MATERIALS["other"]


def _format() -> GeomVertexFormat:
    fmt = GeomVertexArrayFormat()
    fmt.add_column(InternalName.get_vertex(), 3, GeomEnums.NT_float32, GeomEnums.C_point)
    fmt.add_column(InternalName.get_normal(), 3, GeomEnums.NT_float32, GeomEnums.C_normal)
    fmt.add_column(InternalName.get_color(), 4, GeomEnums.NT_uint8, GeomEnums.C_color)
    return GeomVertexFormat.register_format(fmt)


def flat_arrays(vertices_m: np.ndarray, faces: np.ndarray, smooth_angle_deg: float = 35.0):
    """(V,3), (F,3) -> per-corner positions (3F,3) and normals (3F,3).

    Normals are smooth across edges sharper than `smooth_angle_deg` only: corners take the area-weighted
    mean of the adjacent face normals that lie within that angle of their own face (cylinders look round,
    boxes keep crisp edges)."""
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


def geom_node(name: str, vertices_m: np.ndarray, faces: np.ndarray, rgb, spec: float) -> GeomNode:
    """One element as a GeomNode with a uniform material (non-indexed triangles)."""
    pos, nrm = flat_arrays(np.asarray(vertices_m, float), np.asarray(faces, np.int64))
    n = len(pos)
    rec = np.empty(n, dtype=[("v", "<f4", 3), ("n", "<f4", 3), ("c", "u1", 4)])
    rec["v"], rec["n"] = pos, nrm
    rec["c"] = np.array([*(np.clip(rgb, 0, 1) * 255), spec * 255]).round().astype(np.uint8)
    vdata = GeomVertexData(name, _format(), Geom.UH_static)
    vdata.unclean_set_num_rows(n)
    if n:
        memoryview(vdata.modify_array(0)).cast("B")[:] = rec.view(np.uint8).ravel()
    prim = GeomTriangles(Geom.UH_static)
    prim.add_consecutive_vertices(0, n)
    prim.close_primitive()
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode(name)
    node.add_geom(geom)
    return node
