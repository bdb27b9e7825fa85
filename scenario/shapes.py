"""Mass properties and projected-area tables of simple custom bodies (box, cylinder)."""
from __future__ import annotations

import numpy as np


def box_inertia(mass_kg: float, edges_m) -> np.ndarray:
    """(3,3) inertia of a solid box about its centre, edges (a, b, c) along body x, y, z."""
    a, b, c = edges_m
    return mass_kg / 12.0 * np.diag([b * b + c * c, a * a + c * c, a * a + b * b])


def cylinder_inertia(mass_kg: float, radius_m: float, length_m: float) -> np.ndarray:
    """(3,3) inertia of a solid cylinder along body x: I_xx = m r^2/2, I_yy = I_zz = m (3r^2 + L^2)/12."""
    axial = mass_kg * radius_m ** 2 / 2.0
    transverse = mass_kg * (3.0 * radius_m ** 2 + length_m ** 2) / 12.0
    return np.diag([axial, transverse, transverse])


def sphere_directions(n: int = 64) -> np.ndarray:
    """(n,3) near-uniform unit vectors (Fibonacci lattice), deterministic."""
    k = np.arange(n) + 0.5
    z = 1.0 - 2.0 * k / n
    phi = np.pi * (1.0 + 5.0 ** 0.5) * k
    s = np.sqrt(1.0 - z * z)
    return np.stack([s * np.cos(phi), s * np.sin(phi), z], axis=1)


def box_areas(edges_m, directions: np.ndarray) -> np.ndarray:
    """(N,) projected area of a box seen along each direction: |d_x| b c + |d_y| a c + |d_z| a b."""
    a, b, c = edges_m
    return np.abs(directions) @ np.array([b * c, a * c, a * b])


def cylinder_areas(radius_m: float, length_m: float, directions: np.ndarray) -> np.ndarray:
    """(N,) projected area of a cylinder along x: |cos t| pi r^2 (end cap) + |sin t| 2 r L (side)."""
    cos_t = np.abs(directions[:, 0])
    sin_t = np.sqrt(np.clip(1.0 - cos_t ** 2, 0.0, 1.0))
    return cos_t * np.pi * radius_m ** 2 + sin_t * 2.0 * radius_m * length_m
