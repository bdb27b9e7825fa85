"""How the bodies are now: float64 arrays + time, one row per body (order of the bodies list)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.errors import PhysicsInputError
from physics.rotation import dcm_from_quat, quat_from_dcm, quat_mul


@dataclass
class State:
    t_s: float
    r_gcrs_m: np.ndarray            # (n,3)
    v_gcrs_mps: np.ndarray          # (n,3)
    q_gcrs_from_body: np.ndarray    # (n,4) w,x,y,z
    omega_body_radps: np.ndarray    # (n,3)
    mass_kg: np.ndarray             # (n,)

    def validate(self, n: int) -> None:
        """PhysicsInputError unless every array has n rows, the right shape, finite values."""
        for name, cols in (("r_gcrs_m", 3), ("v_gcrs_mps", 3), ("q_gcrs_from_body", 4), ("omega_body_radps", 3)):
            a = np.asarray(getattr(self, name), dtype=np.float64)
            if a.shape != (n, cols) or not np.all(np.isfinite(a)):
                raise PhysicsInputError(f"physics: State.{name}: expected finite ({n},{cols}), got {a.shape}")
        m = np.asarray(self.mass_kg, dtype=np.float64)
        if m.shape != (n,) or not np.all(m > 0):
            raise PhysicsInputError(f"physics: State.mass_kg: expected ({n},) positive masses")
        if np.max(np.abs(np.linalg.norm(self.q_gcrs_from_body, axis=1) - 1.0)) > 1e-6:
            raise PhysicsInputError("physics: State.q_gcrs_from_body: not unit quaternions")


def docked_state(bodies, latches, r_cm, v_cm, q_gcrs_from_ref, omega_ref, ref_body: str, t_s: float = 0.0) -> State:
    """State of all bodies welded by `latches` into ONE assembly with the rigid velocity field
    v_i = v_cm + omega x rho_i (omega common), given the assembly CoM r_cm, v_cm (3,) GCRS and the
    attitude q_gcrs_from_ref (4,) and body rate omega_ref (3,) of body `ref_body`.
    Every body must be connected to ref_body through the latches (PhysicsInputError otherwise)."""
    from physics.assembly import poses_in_ref
    names = [b.name for b in bodies]
    if ref_body not in names:
        raise PhysicsInputError(f"physics: docked_state: ref_body {ref_body!r} is not a body")
    poses = poses_in_ref(names, latches, ref_body)
    missing = [n for n in names if n not in poses]
    if missing:
        raise PhysicsInputError(f"physics: docked_state: bodies {missing} not latched to {ref_body!r}")
    m = np.array([b.mass_kg for b in bodies], dtype=np.float64)
    p_ref = np.array([poses[n][0] for n in names])          # body CoMs in ref frame (ref CoM origin)
    R_ref_from_b = np.array([poses[n][1] for n in names])
    q_ref = np.asarray(q_gcrs_from_ref, dtype=np.float64)
    q_ref = q_ref / np.linalg.norm(q_ref)
    R_g_from_ref = dcm_from_quat(q_ref)
    rho_ref = p_ref - m @ p_ref / m.sum()                    # offsets from the assembly CoM
    rho_g = rho_ref @ R_g_from_ref.T
    w_g = R_g_from_ref @ np.asarray(omega_ref, dtype=np.float64)
    q = quat_mul(q_ref[None, :], quat_from_dcm(R_ref_from_b))
    omega_b = np.einsum("nji,j->ni", R_ref_from_b, np.asarray(omega_ref, dtype=np.float64))
    return State(t_s=float(t_s),
                 r_gcrs_m=np.asarray(r_cm, dtype=np.float64)[None, :] + rho_g,
                 v_gcrs_mps=np.asarray(v_cm, dtype=np.float64)[None, :] + np.cross(w_g, rho_g),
                 q_gcrs_from_body=q, omega_body_radps=omega_b, mass_kg=m)
