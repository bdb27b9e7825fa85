"""The station as a glTF scene: one node per element under one node per segment; each element's drawing
mesh (station/visual.py) split by face role into child nodes with PBR metallic-roughness materials from
the app's palette (station/appearance.py) and the app's vertex normals (station/normals.py), so external
viewers shade it as the app does: smooth hulls, crisp panel and truss edges.

glTF is +Y up, right-handed, metres. SSACS has +Z nadir, so zenith is -Z. The root node carries
R_gltf_from_ssacs: x_g = x (forward), y_g = -z (zenith = up), z_g = y (starboard); det = +1.
Blender's importer turns glTF +Y into its +Z, so the station shows upright with modules below the truss.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import trimesh
from trimesh.visual.material import PBRMaterial

from fileio import write_bytes
from station import appearance, normals

R_GLTF_FROM_SSACS = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


class ExportError(ValueError):
    """The output file cannot be written (one line: ``--out: PATH: problem``)."""

    is_user_error = True


def _material(key: str) -> PBRMaterial:
    """PBR metallic-roughness material of a palette entry (station/appearance.py: the app's colours)."""
    rgb, _spec, metal, rough = appearance.PALETTE[key]
    return PBRMaterial(name=key, baseColorFactor=[int(round(c * 255)) for c in (*rgb, 1.0)], metallicFactor=metal,
                       roughnessFactor=rough, doubleSided=False)


def _part(mesh: trimesh.Trimesh, faces: np.ndarray, key: str) -> trimesh.Trimesh:
    """The faces of one material as an indexed mesh with the app's vertex normals (smooth hulls, crisp edges)."""
    v, n, f = normals.indexed_with_normals(mesh.vertices, mesh.faces[faces])
    part = trimesh.Trimesh(v, f, vertex_normals=n, process=False)
    part.visual = trimesh.visual.TextureVisuals(material=_material(key))
    return part


def _add_element(scene: trimesh.Scene, mesh: trimesh.Trimesh, eid: str, kind: str, segment: str, parent: str) -> None:
    """Node ``eid`` with one child node per face role (``eid.body``, ``eid.array``, ...), each with its material."""
    roles = np.asarray(mesh.metadata.get("face_role", np.full(len(mesh.faces), "body"))).astype(str)
    scene.graph.update(frame_from=parent, frame_to=eid, matrix=np.eye(4))
    for role in sorted(set(roles)):
        key = appearance.material_key(kind, segment, eid, role)
        scene.add_geometry(_part(mesh, np.flatnonzero(roles == role), key), node_name=f"{eid}.{role}",
                           geom_name=f"{eid}.{role}", parent_node_name=eid)


def station_scene(model) -> trimesh.Scene:
    """trimesh Scene: root 'ISS' (SSACS -> glTF Y-up) / segment nodes / element nodes."""
    scene = trimesh.Scene(base_frame="world")
    root = np.eye(4)
    root[:3, :3] = R_GLTF_FROM_SSACS
    scene.graph.update(frame_from="world", frame_to="ISS", matrix=root)
    for name, seg in model.segments.items():
        scene.graph.update(frame_from="ISS", frame_to=name, matrix=np.eye(4))
        drawn = seg.visual_meshes() if hasattr(seg, "visual_meshes") else seg.meshes   # station/visual.py
        for eid in seg.element_ids:
            _add_element(scene, drawn[eid], eid, seg.kinds[eid], name, name)
    return scene


def write_glb(model, path: str | Path) -> Path:
    """Write binary glTF to PATH atomically (fileio.atomic_file: never a half-written final file)."""
    path = Path(path)
    if path.suffix.lower() != ".glb":      # binary glTF only: a .gltf/.txt name would mislead viewers
        raise ExportError(f"--out: {path}: must end in .glb (binary glTF)")
    data = trimesh.exchange.gltf.export_glb(station_scene(model), include_normals=True)
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise ExportError(f"--out: {path}: cannot write: {exc.strerror or exc}") from None
    return path
