"""trimesh -> Panda3D geometry through numpy (panda3d_notes.md section 6: ~20 ms for 50k triangles)."""
from __future__ import annotations

import numpy as np
from panda3d.core import (BitMask32, Geom, GeomEnums, GeomNode, GeomTriangles, GeomVertexArrayFormat, GeomVertexData,
                          GeomVertexFormat, InternalName, NodePath)

from station import appearance, normals
from station.visual_far import FAR_SMOOTH_ANGLE_DEG

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


def geom_node(name: str, vertices_m: np.ndarray, faces: np.ndarray, rgb, spec,
              smooth_angle_deg: float = normals.SMOOTH_ANGLE_DEG) -> GeomNode:
    """One element as a GeomNode (indexed triangles). rgb: (3,) or per face (F,3); spec: scalar or (F,)."""
    faces = np.asarray(faces, np.int64)
    pos, nrm = flat_arrays(np.asarray(vertices_m, float), faces, smooth_angle_deg)
    n = len(pos)
    rgba = np.empty((len(faces), 4))
    rgba[:, :3] = np.clip(np.broadcast_to(np.asarray(rgb, float), (len(faces), 3)), 0, 1)
    rgba[:, 3] = np.broadcast_to(np.asarray(spec, float), (len(faces),))
    rec = np.empty(n, dtype=[("v", "<f4", 3), ("n", "<f4", 3), ("c", "u1", 4)])
    rec["v"], rec["n"] = pos, nrm
    rec["c"] = np.repeat((rgba * 255).round().astype(np.uint8), 3, axis=0)
    # indexed: corners with the same position, normal and colour share a vertex (llvmpipe shades each
    # vertex once per draw instead of once per corner: ~2.5x fewer on smooth hulls)
    _, first, index = np.unique(rec.view(np.dtype((np.void, rec.dtype.itemsize))), return_index=True,
                                return_inverse=True)
    rec = rec[first]
    vdata = GeomVertexData(name, _format(), Geom.UH_static)
    vdata.unclean_set_num_rows(len(rec))
    if n:
        memoryview(vdata.modify_array(0)).cast("B")[:] = rec.view(np.uint8).ravel()
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(GeomEnums.NT_uint32)
    idx = prim.modify_vertices()
    idx.unclean_set_num_rows(n)
    if n:
        memoryview(idx).cast("B")[:] = np.asarray(index, np.uint32).ravel().view(np.uint8)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode(name)
    node.add_geom(geom)
    return node


# The Sun's shadow camera draws the mass shapes (station/shapes.py: ~10 k triangles, the outline the
# drawing is built on) instead of the drawing (~26 k). Panda3D shows a node to a camera if any bit of the
# camera's mask is in the node's show mask, so each camera gets one bit: the Sun's shadow camera
# SHADOW_CAMERA_MASK, the main camera MAIN_CAMERA_BIT (render/scene.py); the drawing is hidden from the
# first, the proxy from the second. The shadow bias (0.002 of a ~730 m depth range) dwarfs the few
# centimetres between a drawn hull and its mass shape, so lit faces stay lit; truss and wing-mast
# lattices cast the solid shadow of their boxes. docs/render.md, "Station detail and frame time".
SHADOW_CAMERA_MASK = BitMask32.bit(20)
MAIN_CAMERA_BIT = BitMask32.bit(21)


def _geoms(into: NodePath, name: str, seg, meshes_by_id: dict, com_ssacs_m: np.ndarray,
           smooth_angle_deg: float = normals.SMOOTH_ANGLE_DEG) -> None:
    for eid in seg.element_ids:
        mesh = meshes_by_id.get(eid)
        if mesh is None or len(mesh.faces) == 0:
            continue
        part_of = getattr(seg, "source", {}).get(eid, name)    # merged station: each part's own segment
        rgb, spec = face_materials(mesh, seg.kinds.get(eid, "other"), part_of, eid)
        into.attach_new_node(geom_node(eid, np.asarray(mesh.vertices) - com_ssacs_m, mesh.faces, rgb, spec,
                                       smooth_angle_deg))
    into.flatten_strong()        # one Geom: llvmpipe pays per draw call


# Level of detail: a segment whose bounding sphere spans fewer pixels than this on screen is drawn with its
# far drawing (station/visual_far.py, ~5 k triangles for the station against ~22 k). At 200 px the US
# truss is ~0.5 m per pixel: the lattice, cell grids, rings and facets the far drawing leaves out are under
# a pixel. docs/render.md, "Level of detail".
LOD_PX = 200.0


def segment_node(parent: NodePath, name: str, seg, com_ssacs_m: np.ndarray) -> NodePath:
    """One segment under `parent`, vertices about its CoM: its drawing (station/visual.py) for the cameras,
    its far drawing (station/visual_far.py, stashed until `set_detail` picks it) and, where the drawing
    differs from the mass shapes, those shapes for the Sun's shadow map only. Python tag "radius_m": the
    drawing's bounding radius about the CoM."""
    np_seg = parent.attach_new_node(f"segment_{name}")
    drawn = seg.visual_meshes() if hasattr(seg, "visual_meshes") else seg.meshes
    drawing = np_seg.attach_new_node("drawing")
    _geoms(drawing, name, seg, drawn, com_ssacs_m)
    far = seg.far_meshes() if hasattr(seg, "far_meshes") else drawn
    if far is not drawn:
        far_np = np_seg.attach_new_node("far")
        _geoms(far_np, name, seg, far, com_ssacs_m, FAR_SMOOTH_ANGLE_DEG)
        far_np.hide(SHADOW_CAMERA_MASK)
        far_np.stash()
    if drawn is not seg.meshes:
        drawing.hide(SHADOW_CAMERA_MASK)
        proxy = np_seg.attach_new_node("shadow_proxy")
        _geoms(proxy, name, seg, seg.meshes, com_ssacs_m)
        proxy.hide(MAIN_CAMERA_BIT)
    radius = max((float(np.linalg.norm(np.asarray(m.vertices) - com_ssacs_m, axis=1).max())
                  for m in drawn.values() if len(m.vertices)), default=1.0)
    np_seg.set_python_tag("radius_m", radius)
    return np_seg


def segment_px(np_seg: NodePath, distance_m: float, fov_deg: float, height_px: int) -> float:
    """Pixels the segment's bounding sphere spans on a screen `height_px` high with a vertical `fov_deg`."""
    r = float(np_seg.get_python_tag("radius_m") or 1.0)
    return 2 * r / (max(distance_m, r) * 2 * np.tan(np.radians(fov_deg) / 2)) * height_px


def set_detail(np_seg: NodePath, px: float) -> None:
    """The far drawing below LOD_PX on screen, the full drawing above (a stashed node costs nothing)."""
    far = px < LOD_PX
    show, hide = ("far", "drawing") if far else ("drawing", "far")
    shown = np_seg.find(f"@@{show}")
    if not shown.is_empty() and shown.is_stashed():
        shown.unstash()
        np_seg.find(hide).stash()
