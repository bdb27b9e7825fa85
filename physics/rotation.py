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


def dcm_from_quat(q: np.ndarray) -> np.ndarray:
    """R_a_from_b (..., 3, 3) from a unit q_a_from_b (..., 4). (Hot path: plain slicing, no stacking.)"""
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    R = np.empty(q.shape[:-1] + (3, 3))
    xx, yy, zz = x * x, y * y, z * z
    xy, xz, yz, wx, wy, wz = x * y, x * z, y * z, w * x, w * y, w * z
    R[..., 0, 0] = 1 - 2 * (yy + zz)
    R[..., 0, 1] = 2 * (xy - wz)
    R[..., 0, 2] = 2 * (xz + wy)
    R[..., 1, 0] = 2 * (xy + wz)
    R[..., 1, 1] = 1 - 2 * (xx + zz)
    R[..., 1, 2] = 2 * (yz - wx)
    R[..., 2, 0] = 2 * (xz - wy)
    R[..., 2, 1] = 2 * (yz + wx)
    R[..., 2, 2] = 1 - 2 * (xx + yy)
    return R


def quat_from_dcm(R: np.ndarray) -> np.ndarray:
    """Unit q_a_from_b (..., 4), w >= 0, from R_a_from_b (..., 3, 3). Shepperd's method: of the four
    algebraically equal formulas use the one with the largest pivot (no cancellation)."""
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


def quat_rate(q: np.ndarray, omega_body: np.ndarray) -> np.ndarray:
    """dq/dt = q * (0, omega_body) / 2 for q_inertial_from_body; q (...,4), omega (...,3)."""
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    ox, oy, oz = omega_body[..., 0], omega_body[..., 1], omega_body[..., 2]
    d = np.empty(q.shape)
    d[..., 0] = -0.5 * (x * ox + y * oy + z * oz)
    d[..., 1] = 0.5 * (w * ox + y * oz - z * oy)
    d[..., 2] = 0.5 * (w * oy - x * oz + z * ox)
    d[..., 3] = 0.5 * (w * oz + x * oy - y * ox)
    return d


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a x b over the last axis (..., 3); same result as np.cross, without its axis juggling (hot path)."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    c = np.empty(np.broadcast_shapes(a.shape, b.shape))
    c[..., 0] = a1 * b2 - a2 * b1
    c[..., 1] = a2 * b0 - a0 * b2
    c[..., 2] = a0 * b1 - a1 * b0
    return c


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


def skew(v: np.ndarray) -> np.ndarray:
    """Cross-product matrix [v]x (..., 3, 3) with skew(a) @ b = a x b."""
    x, y, z = np.moveaxis(np.asarray(v, dtype=np.float64), -1, 0)
    o = np.zeros_like(x)
    return np.stack((o, -z, y, z, o, -x, -y, x, o), axis=-1).reshape(np.shape(v)[:-1] + (3, 3))
