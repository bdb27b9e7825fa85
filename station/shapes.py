"""Element meshes from real dimensions (trimesh), in SSACS metres.

Each shape is built in a local frame (x = the element's main axis pointing away from its parent,
z = ``normal``, origin at the centre of the element's extent along x) as a set of closed solids, so
the concatenated mesh is watertight and its volume integrals give the mass distribution (uniform
density). Thin parts (array blankets, radiator panels) are closed slabs ``thickness_m`` thick.
"""
from __future__ import annotations

import functools

import numpy as np
import trimesh

from station.spec import ElementSpec

SECTIONS = 32            # facets around a revolved body: < 0.5 % volume error (1 - sin(2pi/n)/(2pi/n))
THIN_M = 0.05            # default slab thickness of blankets and panels (real: ~0.02-0.05 m)
STUB_DIAMETER_M = 1.9    # CBM/APAS port ring (outer diameter ~1.9 m, PMA-1 end)
STUB_LENGTH_M = 0.5
MAST_M = 0.4             # array mast / canister cross-section (ESTIMATE)
UNIT = {"+X": (1.0, 0.0, 0.0), "-X": (-1.0, 0.0, 0.0), "+Y": (0.0, 1.0, 0.0),
        "-Y": (0.0, -1.0, 0.0), "+Z": (0.0, 0.0, 1.0), "-Z": (0.0, 0.0, -1.0)}


def direction(name: str) -> np.ndarray:
    """'+X' ... '-Z' -> unit vector (3,)."""
    return np.array(UNIT[name])


def R_ssacs_from_local(axis: str, normal: str | None) -> np.ndarray:
    """(3,3) rotation whose columns are the local x (= axis), y, z (= normal) in SSACS."""
    x = direction(axis)
    if normal is None:  # blankets/panels default to lying in the plane that contains the truss (Y)
        normal = "+X" if axis in ("+Z", "-Z") else "+Z"
    z = direction(normal)
    if abs(x @ z) > 1e-9:
        raise ValueError(f"normal {normal} is not perpendicular to axis {axis}")
    return np.column_stack([x, np.cross(z, x), z])


def _role(part: trimesh.Trimesh, role: str) -> trimesh.Trimesh:
    """Tag a part for appearance (exported with its own material): 'array', 'mast'; default 'body'."""
    part.metadata["role"] = role
    return part


def _slab(cx: float, cy: float, cz: float, lx: float, ly: float, lz: float) -> trimesh.Trimesh:
    return trimesh.creation.box(extents=(lx, ly, lz), transform=trimesh.transformations.translation_matrix((cx, cy, cz)))


def revolved(profile_m, x0: float) -> trimesh.Trimesh:
    """Solid of revolution about local x. profile_m: [(axial_m, radius_m), ...]; axial shifted by -x0."""
    pts = [(0.0, profile_m[0][0])] + [(r, a) for a, r in profile_m] + [(0.0, profile_m[-1][0])]
    pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    mesh = trimesh.creation.revolve(np.array(pts), sections=SECTIONS)
    # revolve() turns about local z: map z -> x (x -> y, y -> z keeps it right-handed)
    mesh.vertices = mesh.vertices[:, [2, 0, 1]] - np.array([x0, 0.0, 0.0])
    if mesh.volume < 0:
        mesh.invert()
    return mesh


def _arrays(e: ElementSpec, radius_at: float, x0: float) -> list[trimesh.Trimesh]:
    """Two solar panels along local y, tip to tip ``array_span_m``, at ``array_at_m`` from the parent end."""
    span, chord = e.param("array_span_m"), e.param("array_chord_m", 2.0)
    if span is None:
        return []
    half = span / 2.0
    ax = e.param("array_at_m", 0.0) - x0
    w = half - radius_at
    return [_role(_slab(ax, s * (radius_at + w / 2.0), 0.0, chord, w, THIN_M), "array") for s in (1.0, -1.0)]


def _profile(e: ElementSpec):
    if e.param("profile_m") is not None:
        return e.param("profile_m")
    return ((0.0, e.diameter_m / 2.0), (e.length_m, e.diameter_m / 2.0))


def _radius_at(profile, a: float) -> float:
    xs, rs = zip(*profile)
    return float(np.interp(a, xs, rs))


def _revolved_parts(e: ElementSpec) -> list[trimesh.Trimesh]:
    prof = _profile(e)
    x0 = (prof[0][0] + prof[-1][0]) / 2.0
    parts = [revolved(prof, x0)]
    parts += _arrays(e, _radius_at(prof, e.param("array_at_m", 0.0)), x0)
    if e.shape == "node":
        parts += _stubs(e, prof, x0)
    return parts


def _stubs(e: ElementSpec, prof, x0: float) -> list[trimesh.Trimesh]:
    """Port rings on the radial faces of a node (directions given in SSACS)."""
    R = R_ssacs_from_local(e.axis, e.normal)
    at = e.param("radial_port_at_m")
    r = _radius_at(prof, at)
    out = []
    for name in e.param("radial_ports"):
        d_local = R.T @ direction(name)
        stub = trimesh.creation.cylinder(radius=STUB_DIAMETER_M / 2, height=STUB_LENGTH_M, sections=SECTIONS)
        T = trimesh.geometry.align_vectors([0, 0, 1], d_local)
        T[:3, 3] = np.array([at - x0, 0.0, 0.0]) + d_local * (r + STUB_LENGTH_M / 2 - 0.05)
        stub.apply_transform(T)
        out.append(stub)
    return out


def _box_parts(e: ElementSpec) -> list[trimesh.Trimesh]:
    return [_slab(0, 0, 0, e.length_m, e.param("width_m"), e.param("height_m"))]


def _wing_parts(e: ElementSpec) -> list[trimesh.Trimesh]:
    """Solar array wing: mast along local x, two blankets beside it at the outboard end."""
    L, W = e.length_m, e.param("width_m")
    bl, gap = e.param("blanket_length_m"), e.param("blanket_gap_m")
    t = e.param("thickness_m", THIN_M)
    bw = (W - gap) / 2.0
    xb = L / 2.0 - bl / 2.0
    parts = [_role(_slab(0, 0, 0, L, MAST_M, MAST_M), "mast")]
    parts += [_role(_slab(xb, s * (gap / 2 + bw / 2), 0, bl, bw, t), "array") for s in (1.0, -1.0)]
    return parts


def _panel_parts(e: ElementSpec) -> list[trimesh.Trimesh]:
    """``panel_count`` flat panels side by side along local y (radiator ORUs, iROSA blanket)."""
    n, w = e.param("panel_count"), e.param("width_m")
    gap, t = e.param("panel_gap_m", 0.2), e.param("thickness_m", THIN_M)
    offsets = (np.arange(n) - (n - 1) / 2.0) * (w + gap)
    return [_slab(0, y, 0, e.length_m, w, t) for y in offsets]


BUILDERS = {"cylinder": _revolved_parts, "revolved": _revolved_parts, "node": _revolved_parts,
            "box": _box_parts, "array_wing": _wing_parts, "panels": _panel_parts}


@functools.lru_cache(maxsize=512)
def element_mesh(e: ElementSpec) -> trimesh.Trimesh:
    """The element's mesh in SSACS at all joint angles zero (cached; do not modify it in place)."""
    parts = BUILDERS[e.shape](e)
    mesh = trimesh.util.concatenate(parts)
    # face_role (n_faces,): which faces are solar panels or masts, for materials (mass ignores it)
    mesh.metadata["face_role"] = np.concatenate([[p.metadata.get("role", "body")] * len(p.faces) for p in parts])
    T = np.eye(4)
    T[:3, :3] = R_ssacs_from_local(e.axis, e.normal)
    T[:3, 3] = e.center_m
    mesh.apply_transform(T)
    return mesh
