"""Quaternions (scalar first: w, x, y, z) and rotation matrices, vectorised over leading axes.

Convention: q_a_from_b rotates vectors from frame b to frame a, r_a = R(q_a_from_b) @ r_b, and
composes like matrices: q_a_from_c = q_a_from_b * q_b_from_c (Hamilton product).
"""
from __future__ import annotations

import numpy as np


def quat_mul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hamilton product p*q; p, q (..., 4) -> (..., 4)."""
    pw, px, py, pz = np.moveaxis(p, -1, 0)
    qw, qx, qy, qz = np.moveaxis(q, -1, 0)
    return np.stack((pw * qw - px * qx - py * qy - pz * qz,
                     pw * qx + px * qw + py * qz - pz * qy,
                     pw * qy - px * qz + py * qw + pz * qx,
                     pw * qz + px * qy - py * qx + pz * qw), axis=-1)


def quat_conj(q: np.ndarray) -> np.ndarray:
    """Conjugate (= inverse for unit quaternions); (..., 4)."""
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def quat_normalize(q: np.ndarray) -> np.ndarray:
    """Unit quaternion with w >= 0 is NOT enforced (keeps continuity); (..., 4)."""
    return q / np.linalg.norm(q, axis=-1, keepdims=True)


def _dcm_weights() -> np.ndarray:
    """K (16, 9): R.flat = (q q^T).flat @ K for a unit q (each entry of R is a quadratic form in q)."""
    K = np.zeros((4, 4, 3, 3))
    w, x, y, z = range(4)
    for (i, j), terms in {(0, 0): ((w, w, 1), (x, x, 1), (y, y, -1), (z, z, -1)),
                          (1, 1): ((w, w, 1), (x, x, -1), (y, y, 1), (z, z, -1)),
                          (2, 2): ((w, w, 1), (x, x, -1), (y, y, -1), (z, z, 1)),
                          (0, 1): ((x, y, 2), (w, z, -2)), (1, 0): ((x, y, 2), (w, z, 2)),
                          (0, 2): ((x, z, 2), (w, y, 2)), (2, 0): ((x, z, 2), (w, y, -2)),
                          (1, 2): ((y, z, 2), (w, x, -2)), (2, 1): ((y, z, 2), (w, x, 2))}.items():
        for a, b, c in terms:
            K[a, b, i, j] += c
    return K.reshape(16, 9)


_K_DCM = _dcm_weights()
# Levi-Civita symbol: one large numpy call beats many small ones
_EPS = np.zeros((3, 3, 3))
_EPS[0, 1, 2] = _EPS[1, 2, 0] = _EPS[2, 0, 1] = 1.0
_EPS[0, 2, 1] = _EPS[2, 1, 0] = _EPS[1, 0, 2] = -1.0


def dcm_from_quat(q: np.ndarray) -> np.ndarray:
    """R_a_from_b (..., 3, 3) from a unit q_a_from_b (..., 4). Vectorised form of kernels.dcm_from_quat
    for arrays of samples (the engines' per-step path runs the kernel; tests/test_physics_kernels.py)."""
    qq = q[..., :, None] * q[..., None, :]
    return (qq.reshape(q.shape[:-1] + (16,)) @ _K_DCM).reshape(q.shape[:-1] + (3, 3))


def quat_from_dcm(R: np.ndarray) -> np.ndarray:
    """Unit q_a_from_b (..., 4), w >= 0, from R_a_from_b (..., 3, 3). Shepperd's method: of the four
    algebraically equal formulas use the one with the largest pivot (no cancellation). Vectorised form
    of kernels.quat_from_dcm for arrays of samples (tests/test_physics_kernels.py checks they agree)."""
    R = np.asarray(R, dtype=np.float64)
    m = R.reshape(-1, 3, 3)
    tr = m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]
    d = np.stack((tr, m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]), axis=1)
    i = np.argmax(d, axis=1)
    # 4 q_k q_j terms: rows = which component is the pivot
    s21, s02, s10 = m[:, 2, 1] - m[:, 1, 2], m[:, 0, 2] - m[:, 2, 0], m[:, 1, 0] - m[:, 0, 1]
    a01, a02, a12 = m[:, 0, 1] + m[:, 1, 0], m[:, 0, 2] + m[:, 2, 0], m[:, 1, 2] + m[:, 2, 1]
    one = np.ones_like(tr)
    piv = np.stack((1 + tr, 1 + m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2],
                    1 + m[:, 1, 1] - m[:, 0, 0] - m[:, 2, 2], 1 + m[:, 2, 2] - m[:, 0, 0] - m[:, 1, 1]), axis=1)
    cand = np.stack((np.stack((piv[:, 0], s21, s02, s10), axis=1),
                     np.stack((s21, piv[:, 1], a01, a02), axis=1),
                     np.stack((s02, a01, piv[:, 2], a12), axis=1),
                     np.stack((s10, a02, a12, piv[:, 3]), axis=1)), axis=1)   # (K, pivot, 4) = 4 q_p q
    q = cand[np.arange(len(i)), i]
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    q = np.where(q[:, :1] < 0, -q, q) * one[:, None]
    return q.reshape(R.shape[:-2] + (4,))


def quat_from_axis_angle(axis: np.ndarray, angle_rad: float) -> np.ndarray:
    """q (4,) for a right-handed rotation by angle_rad about axis (3,)."""
    a = np.asarray(axis, dtype=np.float64)
    a = a / np.linalg.norm(a)
    return np.concatenate(([np.cos(angle_rad / 2)], np.sin(angle_rad / 2) * a))


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a x b over the last axis (..., 3), as one einsum with the Levi-Civita symbol (hot path: one
    numpy call). Bit-identical to a1 b2 - a2 b1 etc.: the other terms are exact zeros."""
    return np.einsum("ijk,...j,...k->...i", _EPS, a, b)


def slerp(q0: np.ndarray, q1: np.ndarray, f: np.ndarray | float) -> np.ndarray:
    """Spherical linear interpolation, shortest arc; q0, q1 (..., 4), f broadcastable to (...,)."""
    f = np.asarray(f, dtype=np.float64)[..., None]
    d = np.sum(q0 * q1, axis=-1, keepdims=True)
    q1 = np.where(d < 0, -q1, q1)       # shortest arc: q and -q are the same rotation
    d = np.abs(d)
    theta = np.arccos(np.clip(d, -1.0, 1.0))
    s = np.sin(theta)
    small = s < 1e-9                    # nearly equal: linear blend is exact to round-off
    safe = np.where(small, 1.0, s)
    a = np.where(small, 1.0 - f, np.sin((1.0 - f) * theta) / safe)
    b = np.where(small, f, np.sin(f * theta) / safe)
    return quat_normalize(a * q0 + b * q1)

