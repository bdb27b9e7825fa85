"""trimesh -> Panda3D geometry through numpy (panda3d_notes.md section 6: ~20 ms for 50k triangles)."""
from __future__ import annotations

import numpy as np
from panda3d.core import (Geom, GeomEnums, GeomNode, GeomTriangles, GeomVertexArrayFormat, GeomVertexData,
                          GeomVertexFormat, InternalName)

from station import appearance, normals

# Materials a viewer recognises: one palette for the app and the glTF (station/appearance.py, docs/render.md
# "Colours"): (rgb 0-1, specular strength 0-1 stored in the vertex alpha).
MATERIALS = {key: (rgb, spec) for key, (rgb, spec, _metal, _rough) in appearance.PALETTE.items()}


def material_for(kind: str, segment: str, element_id: str = "", role: str = "body"):
    """Material (rgb, spec) of one face: the face's role (body / array / mast / ...) first, then the kind."""
    return MATERIALS[appearance.material_key(kind, segment, element_id, role)]


def face_materials(mesh, kind: str, segment: str, element_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-face rgb (F,3) and spec (F,) from mesh.metadata["face_role"] (station/shapes.py, station/visual.py;
    all 'body' when absent), times mesh.metadata["face_shade"] (F,) where present (panel-to-panel tone)."""
    meta = mesh.metadata if hasattr(mesh, "metadata") else {}
    roles, shade = meta.get("face_role"), meta.get("face_shade")
    n = len(mesh.faces)
    roles = np.asarray(roles if roles is not None and len(roles) == n else ["body"] * n).astype(str)
    rgb, spec = np.empty((n, 3)), np.empty(n)
    for role in np.unique(roles):
        c, s = material_for(kind, segment, element_id, role)
        rgb[roles == role], spec[roles == role] = c, s
    if shade is not None and len(shade) == n:
        rgb *= np.asarray(shade, float)[:, None]
    return rgb, spec


def _format() -> GeomVertexFormat:
    fmt = GeomVertexArrayFormat()
    fmt.add_column(InternalName.get_vertex(), 3, GeomEnums.NT_float32, GeomEnums.C_point)
    fmt.add_column(InternalName.get_normal(), 3, GeomEnums.NT_float32, GeomEnums.C_normal)
    fmt.add_column(InternalName.get_color(), 4, GeomEnums.NT_uint8, GeomEnums.C_color)
    return GeomVertexFormat.register_format(fmt)


def flat_arrays(vertices_m: np.ndarray, faces: np.ndarray, smooth_angle_deg: float = normals.SMOOTH_ANGLE_DEG):
    """(V,3), (F,3) -> per-corner positions (3F,3) and normals (3F,3) (station/normals.py, shared with glTF)."""
    return normals.corner_normals(vertices_m, faces, smooth_angle_deg)


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
