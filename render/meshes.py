"""trimesh -> Panda3D geometry through numpy (panda3d_notes.md section 6: ~20 ms for 50k triangles)."""
from __future__ import annotations

import numpy as np
from panda3d.core import (Geom, GeomEnums, GeomNode, GeomTriangles, GeomVertexArrayFormat, GeomVertexData,
                          GeomVertexFormat, InternalName)

# Materials a viewer recognises (RGB 0-1, specular strength 0-1 stored in the vertex alpha).
# Solar cells are dark blue (Russian arrays, iROSA, Cygnus UltraFlex). The big US wings (SAW) are drawn
# in the copper/golden brown of their Kapton back, the colour every ISS photo shows, muted from a
# saturated yellow (docs/render.md, "Colours"): the model does not turn the wings to the Sun, so no side
# is reliably the cell side, and the recognisable tone is the one used for both.
MATERIALS = {
    "module": ((0.90, 0.90, 0.88), 0.35),
    "node": ((0.88, 0.88, 0.86), 0.35),
    "truss": ((0.55, 0.56, 0.58), 0.2),
    "radiator": ((0.95, 0.95, 0.95), 0.2),
    "saw": ((0.50, 0.34, 0.15), 0.5),          # US wing blanket: copper-gold Kapton
    "mast": ((0.62, 0.60, 0.55), 0.3),         # wing mast (FASTMast): light grey-beige struts
    "cells": ((0.09, 0.12, 0.33), 0.9),        # solar cells: dark blue, glossy
    "vehicle": ((0.80, 0.80, 0.78), 0.3),
    "other": ((0.72, 0.72, 0.72), 0.25),
}


def material_for(kind: str, segment: str, element_id: str = "", role: str = "body"):
    """Material (rgb, spec) of one face: the face's role (body / array / mast) first, then the kind."""
    kind, role = (kind or "other").lower(), str(role or "body").lower()
    if role == "mast":
        return MATERIALS["mast"]
    is_array = role == "array" or "array" in kind or "solar" in kind
    if is_array:
        # the US truss wings (kind "array"); iROSA roll-outs and the arrays of vehicles are cells
        us_wing = (not segment.upper().startswith("ROS")) and "array" in kind and not element_id.lower().startswith("irosa")
        return MATERIALS["saw" if us_wing else "cells"]
    for key in ("radiator", "truss", "module", "node", "vehicle"):
        if key in kind:
            return MATERIALS[key]
    return MATERIALS["other"]


def face_materials(mesh, kind: str, segment: str, element_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-face rgb (F,3) and spec (F,) from mesh.metadata["face_role"] (station/shapes.py; all 'body'
    when absent)."""
    roles = mesh.metadata.get("face_role") if hasattr(mesh, "metadata") else None
    n = len(mesh.faces)
    roles = np.asarray(roles if roles is not None and len(roles) == n else ["body"] * n).astype(str)
    rgb, spec = np.empty((n, 3)), np.empty(n)
    for role in np.unique(roles):
        c, s = material_for(kind, segment, element_id, role)
        rgb[roles == role], spec[roles == role] = c, s
    return rgb, spec


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


def geom_node(name: str, vertices_m: np.ndarray, faces: np.ndarray, rgb, spec) -> GeomNode:
    """One element as a GeomNode (non-indexed triangles). rgb: (3,) or per face (F,3); spec: scalar or (F,)."""
    faces = np.asarray(faces, np.int64)
    pos, nrm = flat_arrays(np.asarray(vertices_m, float), faces)
    n = len(pos)
    rgba = np.empty((len(faces), 4))
    rgba[:, :3] = np.clip(np.broadcast_to(np.asarray(rgb, float), (len(faces), 3)), 0, 1)
    rgba[:, 3] = np.broadcast_to(np.asarray(spec, float), (len(faces),))
    rec = np.empty(n, dtype=[("v", "<f4", 3), ("n", "<f4", 3), ("c", "u1", 4)])
    rec["v"], rec["n"] = pos, nrm
    rec["c"] = np.repeat((rgba * 255).round().astype(np.uint8), 3, axis=0)
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
