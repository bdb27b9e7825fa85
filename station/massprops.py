"""Mass properties: published mass, inertia from a watertight shape, composites with full tensors.

Convention (docs/design.md): inertia tensor about the centre of mass, SSACS axes, positive definite,
products I_xy = -sum m x y.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import trimesh


@dataclass(frozen=True)
class MassProperties:
    """mass_kg; com_m (3,) SSACS; inertia_kgm2 (3,3) about com_m, SSACS axes."""

    mass_kg: float
    com_m: np.ndarray
    inertia_kgm2: np.ndarray

    def __post_init__(self):
        for name in ("com_m", "inertia_kgm2"):
            a = np.array(getattr(self, name), dtype=np.float64)
            a.setflags(write=False)
            object.__setattr__(self, name, a)

    def principal(self) -> tuple[np.ndarray, np.ndarray]:
        """(moments (3,) ascending, axes (3,3) columns = principal axes in SSACS)."""
        w, v = np.linalg.eigh(self.inertia_kgm2)
        return w, v

    def inertia_about(self, point_m: np.ndarray) -> np.ndarray:
        """(3,3) inertia about ``point_m`` (parallel-axis theorem): I_c + m (|d|^2 E - d d^T), d = com - point."""
        return self.inertia_kgm2 + steiner(self.mass_kg, self.com_m - np.asarray(point_m, float))

    def transformed(self, R: np.ndarray, t_m: np.ndarray) -> "MassProperties":
        """The same body moved rigidly: x -> R x + t."""
        return MassProperties(self.mass_kg, R @ self.com_m + t_m, R @ self.inertia_kgm2 @ R.T)


def steiner(mass_kg: float, d_m: np.ndarray) -> np.ndarray:
    """(3,3) parallel-axis term m (|d|^2 E - d d^T) for an offset d (3,)."""
    d = np.asarray(d_m, float)
    return mass_kg * ((d @ d) * np.eye(3) - np.outer(d, d))


def from_mesh(mesh: trimesh.Trimesh, mass_kg: float) -> MassProperties:
    """Uniform-density body of the mesh's shape scaled to ``mass_kg``. The mesh must be watertight:
    trimesh's volume integrals are meaningless otherwise."""
    if not mesh.is_watertight or mesh.volume <= 0:
        raise ValueError("mass properties need a closed (watertight) mesh with outward normals")
    props = trimesh.triangles.mass_properties(mesh.triangles, density=1.0)
    scale = mass_kg / props.volume  # inertia is linear in density
    return MassProperties(mass_kg, props.center_mass, props.inertia * scale)


def combine(parts: list[MassProperties]) -> MassProperties:
    """Composite of rigidly joined bodies: total mass, mass-weighted CoM, tensors shifted to that CoM."""
    m = sum(p.mass_kg for p in parts)
    if m <= 0:
        raise ValueError("a composite needs a positive total mass")
    com = sum(p.mass_kg * p.com_m for p in parts) / m
    inertia = sum(p.inertia_about(com) for p in parts)
    return MassProperties(m, com, inertia)
