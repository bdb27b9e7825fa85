"""The station as a glTF scene: one node per element under one node per segment, materials by kind.

glTF is +Y up, right-handed, metres. SSACS has +Z nadir, so zenith is -Z. The root node carries
R_gltf_from_ssacs: x_g = x (forward), y_g = -z (zenith = up), z_g = y (starboard); det = +1.
Blender's importer turns glTF +Y into its +Z, so the station shows upright with modules below the truss.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import trimesh
from trimesh.visual.material import PBRMaterial

R_GLTF_FROM_SSACS = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])

# kind -> (RGBA base colour, metallic, roughness)
MATERIALS = {
    "module": ((0.92, 0.92, 0.90, 1.0), 0.0, 0.6), "node": ((0.92, 0.92, 0.90, 1.0), 0.0, 0.6),
    "adapter": ((0.85, 0.85, 0.82, 1.0), 0.1, 0.5), "airlock": ((0.92, 0.92, 0.90, 1.0), 0.0, 0.6),
    "truss": ((0.55, 0.56, 0.58, 1.0), 0.6, 0.4), "array": ((0.08, 0.12, 0.35, 1.0), 0.3, 0.3),
    "radiator": ((0.96, 0.96, 0.96, 1.0), 0.0, 0.5), "robotics": ((0.80, 0.80, 0.78, 1.0), 0.2, 0.5),
    "payload": ((0.80, 0.62, 0.25, 1.0), 0.7, 0.4), "vehicle": ((0.75, 0.76, 0.74, 1.0), 0.2, 0.5),
}
GOLD = ((0.83, 0.66, 0.22, 1.0), 0.9, 0.35)
ROLE_MATERIALS = {"array": MATERIALS["array"], "mast": GOLD}   # panels on modules/vehicles, wing masts


class ExportError(ValueError):
    """The output file cannot be written (one line: ``--out: PATH: problem``)."""

    is_user_error = True


def _material(kind: str, role: str = "body") -> PBRMaterial:
    rgba, metal, rough = ROLE_MATERIALS.get(role) or MATERIALS.get(kind, MATERIALS["module"])
    name = kind if role == "body" else role
    return PBRMaterial(name=name, baseColorFactor=[int(c * 255) for c in rgba], metallicFactor=metal,
                       roughnessFactor=rough, doubleSided=name in ("array", "radiator"))


def _add_element(scene: trimesh.Scene, mesh: trimesh.Trimesh, eid: str, kind: str, parent: str) -> None:
    """Node ``eid``; an element with panels or masts gets one child node per part role (own material)."""
    roles = mesh.metadata.get("face_role", np.full(len(mesh.faces), "body"))
    if len(set(roles)) == 1:
        part = mesh.copy()
        part.visual = trimesh.visual.TextureVisuals(material=_material(kind, roles[0]))
        scene.add_geometry(part, node_name=eid, geom_name=eid, parent_node_name=parent)
        return
    scene.graph.update(frame_from=parent, frame_to=eid, matrix=np.eye(4))
    for role in sorted(set(roles)):
        part = mesh.submesh([np.flatnonzero(roles == role)], append=True)
        part.visual = trimesh.visual.TextureVisuals(material=_material(kind, role))
        scene.add_geometry(part, node_name=f"{eid}.{role}", geom_name=f"{eid}.{role}", parent_node_name=eid)


def station_scene(model) -> trimesh.Scene:
    """trimesh Scene: root 'ISS' (SSACS -> glTF Y-up) / segment nodes / element nodes."""
    scene = trimesh.Scene(base_frame="world")
    root = np.eye(4)
    root[:3, :3] = R_GLTF_FROM_SSACS
    scene.graph.update(frame_from="world", frame_to="ISS", matrix=root)
    for name, seg in model.segments.items():
        scene.graph.update(frame_from="ISS", frame_to=name, matrix=np.eye(4))
        for eid in seg.element_ids:
            _add_element(scene, seg.meshes[eid], eid, seg.kinds[eid], name)
    return scene


def write_glb(model, path: str | Path) -> Path:
    """Write binary glTF to PATH.partial, then rename to PATH (never a half-written final file)."""
    path = Path(path)
    if path.suffix.lower() != ".glb":      # binary glTF only: a .gltf/.txt name would mislead viewers
        raise ExportError(f"--out: {path}: must end in .glb (binary glTF)")
    data = trimesh.exchange.gltf.export_glb(station_scene(model))
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
        os.replace(partial, path)
    except OSError as exc:
        try:
            partial.unlink()
        except OSError:
            pass
        raise ExportError(f"--out: {path}: cannot write: {exc.strerror or exc}") from None
    return path
