"""build_model: the station spec turned into meshes, mass properties, ports and two segments.

Masses (docs/station.md, "Mass closure"): element mass = published mass_kg, minus the mass of children
marked included_in_parent_mass (moved onto the child), plus its share of the residuals.
Segments: the attachment tree cut at the interface port gives exactly two connected parts.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import trimesh

from station.area import sphere_directions, silhouette
from station.massprops import MassProperties, combine, from_mesh
from station.shapes import R_ssacs_from_local, direction, element_mesh
from station.spec import StationFileError, StationSpec

AREA_CELL_M = 0.25   # drag-table raster: outline error ~ perimeter x 0.125 m, ~1-2 % of a segment's area


@dataclass(frozen=True)
class PortFrame:
    """A port: position (3,) SSACS; R_ssacs_from_port (3,3), port x = docking axis out of its element."""

    id: str
    position_m: np.ndarray
    R_ssacs_from_port: np.ndarray


@dataclass(frozen=True, eq=False)
class SegmentModel:
    """One rigid body (ROS or USOS) in SSACS."""

    name: str
    element_ids: tuple[str, ...]
    mass: MassProperties
    meshes: dict[str, trimesh.Trimesh]
    kinds: dict[str, str]
    element_mass: dict[str, MassProperties]
    _tables: dict = field(default_factory=dict, compare=False, repr=False)
    specs: dict = field(default_factory=dict, compare=False, repr=False)   # element id -> ElementSpec
    poses: dict = field(default_factory=dict, compare=False, repr=False)   # element id -> (4,4) from reference pose

    def visual_meshes(self) -> dict[str, trimesh.Trimesh]:
        """Drawing meshes (station/visual.py) in the same pose as `meshes`, built on first use. Only the
        renderer and the glTF use them; mass properties and areas come from `meshes`."""
        if "visual" not in self._tables:
            from station.visual import visual_mesh
            self._tables["visual"] = {e: visual_mesh(self.specs[e]).copy().apply_transform(self.poses[e])
                                      if e in self.specs else self.meshes[e] for e in self.element_ids}
        return self._tables["visual"]

    def far_meshes(self) -> dict[str, trimesh.Trimesh]:
        """The far drawing (station/visual_far.py: what a few hundred pixels show), same pose, built on first use."""
        if "far" not in self._tables:
            from station.visual_far import far_mesh
            self._tables["far"] = {e: far_mesh(self.specs[e]).copy().apply_transform(self.poses[e])
                                   if e in self.specs else self.meshes[e] for e in self.element_ids}
        return self._tables["far"]

    def triangles(self) -> np.ndarray:
        """(n, 3, 3) all triangles of the segment, SSACS metres."""
        return np.concatenate([m.triangles for m in self.meshes.values()])

    def projected_area(self, direction_ssacs: np.ndarray, cell_m: float = AREA_CELL_M) -> tuple[float, np.ndarray]:
        """(area_m2, cop_m (3,)) of the segment's silhouette seen along a direction (3,)."""
        return silhouette(self.triangles(), direction_ssacs, cell_m)

    def area_table(self, n_dirs: int = 200, cell_m: float = AREA_CELL_M):
        """(directions (N,3) unit SSACS, area_m2 (N,), cop_m (N,3) SSACS); computed once per (N, cell)."""
        key = (n_dirs, cell_m)
        if key not in self._tables:
            dirs = sphere_directions(n_dirs)
            half = (n_dirs + 1) // 2   # rows half.. are -rows 0..: same outline, same centroid line
            tri = self.triangles()
            rows = [silhouette(tri, d, cell_m) for d in dirs[:half]]
            area = np.array([r[0] for r in rows])
            cop = np.array([r[1] for r in rows]).reshape(-1, 3)
            mirror = slice(0, n_dirs - half)
            self._tables[key] = (dirs, np.concatenate([area, area[mirror]]), np.concatenate([cop, cop[mirror]]))
        return self._tables[key]


@dataclass(frozen=True, eq=False)
class StationModel:
    spec: StationSpec
    segments: dict[str, SegmentModel]
    whole: MassProperties
    interface: PortFrame
    ports: dict[str, PortFrame]
    articulation_deg: dict[str, float]
    vehicles: tuple[str, ...]


def build_model(spec: StationSpec, vehicles: bool | Iterable[str] = True,
                articulation: dict[str, float] | None = None) -> StationModel:
    """Meshes, masses and segments of ``spec`` with the chosen vehicles and joint angles (deg)."""
    chosen = _chosen_vehicles(spec, vehicles)
    ids = [e for e, el in spec.elements.items() if not el.optional or e in chosen]
    angles = _angles(spec, articulation)
    masses = element_masses(spec)
    meshes, mps = {}, {}
    for eid in ids:
        R, t = _pose(spec, eid, angles)
        base = element_mesh(spec.elements[eid])
        meshes[eid] = base.copy().apply_transform(_h(R, t))   # a copy: callers may move it in place
        try:
            mps[eid] = _unit_mass(spec.elements[eid]).transformed(R, t)
        except StationFileError as exc:
            raise StationFileError(f"{spec.path}: {exc}") from None
        mps[eid] = MassProperties(masses[eid], mps[eid].com_m, mps[eid].inertia_kgm2 * masses[eid])
    groups = split_at_interface(spec, ids)
    for name, members in groups.items():
        if sum(masses[e] for e in members) <= 0:
            raise StationFileError(f"{spec.path}: segment {name}: total mass is 0 kg (elements "
                                   f"{', '.join(members[:4])}{' ...' if len(members) > 4 else ''}): a rigid body needs mass")
    segments = {name: SegmentModel(name, tuple(members), combine([mps[e] for e in members]),
                                   {e: meshes[e] for e in members}, {e: spec.elements[e].kind for e in members},
                                   {e: mps[e] for e in members}, specs={e: spec.elements[e] for e in members},
                                   poses={e: _h(*_pose(spec, e, angles)) for e in members})
                for name, members in groups.items()}
    ports = {pid: port_frame(spec, pid) for pid in spec.ports}
    return StationModel(spec, segments, combine(list(mps.values())), ports[spec.interface_port], ports,
                        angles, tuple(sorted(chosen)))


def _chosen_vehicles(spec: StationSpec, vehicles) -> set[str]:
    optional = {e for e, el in spec.elements.items() if el.optional}
    if vehicles is True:
        return optional
    if vehicles is False or vehicles is None:
        return set()
    chosen = set(vehicles)
    unknown = sorted(chosen - optional)
    if unknown:
        raise StationFileError(f"{spec.path}: vehicles: unknown optional element(s) {', '.join(unknown)} "
                               f"(known: {', '.join(sorted(optional))})")
    # a vehicle is aboard only with its (optional) parent chain
    return {v for v in chosen} | {p for v in chosen for p in _optional_ancestors(spec, v)}


def _optional_ancestors(spec: StationSpec, eid: str) -> list[str]:
    out, cur = [], spec.elements[eid].parent
    while cur is not None and spec.elements[cur].optional:
        out.append(cur)
        cur = spec.elements[cur].parent
    return out


def _angles(spec: StationSpec, articulation: dict[str, float] | None) -> dict[str, float]:
    angles = {j: js.default_deg for j, js in spec.joints.items()}
    for j, deg in (articulation or {}).items():
        if j not in spec.joints:
            raise StationFileError(f"{spec.path}: articulation.{j}: unknown joint (known: {', '.join(spec.joints)})")
        angles[j] = float(deg)
    return angles


def _rotation(axis: np.ndarray, deg: float) -> np.ndarray:
    """(3,3) right-handed rotation by ``deg`` about unit ``axis`` (Rodrigues)."""
    k = np.asarray(axis, float)
    a = np.radians(deg)
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * K + (1 - np.cos(a)) * K @ K


def _pose(spec: StationSpec, eid: str, angles: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Rigid motion (R, t) from the reference pose: joints applied innermost first."""
    R, t = np.eye(3), np.zeros(3)
    for j in spec.elements[eid].joints:
        js = spec.joints[j]
        Rj = _rotation(js.axis, angles[j])
        p = np.asarray(js.point_m)
        R, t = Rj @ R, Rj @ (t - p) + p
    return R, t


def _h(R: np.ndarray, t: np.ndarray) -> np.ndarray:
    T = np.eye(4)
    T[:3, :3], T[:3, 3] = R, t
    return T


@functools.lru_cache(maxsize=512)
def _unit_mass(e) -> MassProperties:
    """Mass properties of the element's reference-pose shape at 1 kg (scaled later). Dimensions that
    pass the type checks yet give no closed solid (e.g. 1e-12 m thin) are the file's fault."""
    try:
        return from_mesh(element_mesh(e), 1.0)
    except ValueError:
        raise StationFileError(f"elements.{e.id}.shape: the {e.shape!r} mesh from these dimensions is not a "
                               "closed solid (a dimension too small?)") from None


def element_masses(spec: StationSpec) -> dict[str, float]:
    """kg per element after moving included-in-parent masses and spreading the residuals."""
    m = {eid: e.mass_kg for eid, e in spec.elements.items()}
    for e in spec.elements.values():
        if e.included_in_parent_mass:
            m[e.parent] -= e.mass_kg
    for r in spec.residuals.values():
        basis = sum(spec.elements[e].mass_kg for e in r.spread_over)
        for e in r.spread_over:
            m[e] += r.mass_kg * spec.elements[e].mass_kg / basis
    return m


def split_at_interface(spec: StationSpec, ids: list[str]) -> dict[str, list[str]]:
    """Cut the interface edge of the attachment tree; name each part by its elements' segment."""
    port = spec.ports[spec.interface_port]
    cut = frozenset((port.element, port.mate))
    present = set(ids)
    adj: dict[str, list[str]] = {e: [] for e in ids}
    for e in ids:
        p = spec.elements[e].parent
        if p is not None and p in present and frozenset((e, p)) != cut:
            adj[e].append(p)
            adj[p].append(e)
    groups = [_component(adj, port.element), _component(adj, port.mate)]
    if sum(len(g) for g in groups) != len(ids):
        raise StationFileError(f"{spec.path}: station.interface_port: cutting it leaves more than two parts")
    anchors = (port.element, port.mate)
    return {_segment_name(spec, g, a, port.id): sorted(g, key=ids.index) for g, a in zip(groups, anchors)}


def _component(adj: dict[str, list[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for n in adj[stack.pop()]:
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


def _segment_name(spec: StationSpec, group: set[str], anchor: str, port_id: str) -> str:
    """The part takes the segment of its element at the cut; every other element must agree."""
    name = spec.elements[anchor].segment
    odd = sorted(e for e in group if spec.elements[e].segment != name)
    if odd:
        raise StationFileError(f"{spec.path}: elements.{odd[0]}.segment: {spec.elements[odd[0]].segment!r}, but the "
                               f"cut at {port_id} puts it on the {name} side (with {anchor})")
    return name


def port_frame(spec: StationSpec, pid: str) -> PortFrame:
    """Frame of a port: x = docking axis out of its element; y, z completed right-handed (fixed parts only)."""
    p = spec.ports[pid]
    R = R_ssacs_from_local(p.axis, None)
    return PortFrame(pid, np.array(p.position_m), R)
