"""What the bodies are (frozen): rigid bodies, port frames, latches, events, attitude modes, force model.

Body frame origin = the body's centre of mass. SI units. Bad values raise PhysicsInputError
('physics: FIELD: problem', one line).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.environment import Environment
from physics.errors import PhysicsInputError

from physics.constants import G0_MPS2  # noqa: F401  (standard gravity, defines Isp in seconds)


def _vec(value, shape: tuple, where: str) -> np.ndarray:
    """float64 copy of value with the given shape, finite, read-only; else PhysicsInputError."""
    try:
        a = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise PhysicsInputError(f"physics: {where}: not numeric: {value!r}") from None
    if a.shape != shape:
        raise PhysicsInputError(f"physics: {where}: expected shape {shape}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise PhysicsInputError(f"physics: {where}: not finite")
    a.setflags(write=False)
    return a


def _positive(x: float, where: str, allow_zero: bool = False) -> None:
    is_num = isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
    ok = is_num and np.isfinite(x) and (x >= 0 if allow_zero else x > 0)
    if not ok:
        raise PhysicsInputError(f"physics: {where}: must be {'>= 0' if allow_zero else '> 0'}, got {x!r}")


def _rotation(value, where: str) -> np.ndarray:
    R = _vec(value, (3, 3), where)
    if np.max(np.abs(R.T @ R - np.eye(3))) > 1e-9 or np.linalg.det(R) < 0:
        raise PhysicsInputError(f"physics: {where}: not a proper rotation matrix")
    return R


@dataclass(frozen=True)
class PortFrame:
    position_m: np.ndarray          # (3,) in the body frame (origin = body CoM)
    R_body_from_port: np.ndarray    # (3,3); port x axis = docking axis, out of body_a towards body_b

    def __post_init__(self):
        object.__setattr__(self, "position_m", _vec(self.position_m, (3,), "PortFrame.position_m"))
        object.__setattr__(self, "R_body_from_port", _rotation(self.R_body_from_port, "PortFrame.R_body_from_port"))


@dataclass(frozen=True)
class DragShape:
    cd: float
    directions: np.ndarray          # (N,3) unit, body frame: direction of travel of the relative wind
    area_m2: np.ndarray             # (N,)
    cop_m: np.ndarray               # (N,3) centre of pressure, body frame

    def __post_init__(self):
        _positive(self.cd, "DragShape.cd")
        d = np.array(self.directions, dtype=np.float64)
        n = d.shape[0] if d.ndim == 2 else -1
        object.__setattr__(self, "directions", _vec(d, (n, 3), "DragShape.directions"))
        object.__setattr__(self, "area_m2", _vec(self.area_m2, (n,), "DragShape.area_m2"))
        object.__setattr__(self, "cop_m", _vec(self.cop_m, (n, 3), "DragShape.cop_m"))
        if np.any(self.area_m2 < 0):
            raise PhysicsInputError("physics: DragShape.area_m2: negative area")


@dataclass(frozen=True)
class RigidBody:
    name: str
    mass_kg: float
    inertia_kgm2: np.ndarray        # (3,3) about the CoM, body axes, positive definite
    drag: DragShape | None = None
    srp_area_m2: float = 0.0
    cr: float = 1.3

    def __post_init__(self):
        where = f"RigidBody[{self.name}]"
        _positive(self.mass_kg, f"{where}.mass_kg")
        I = _vec(self.inertia_kgm2, (3, 3), f"{where}.inertia_kgm2")
        if np.max(np.abs(I - I.T)) > 1e-9 * np.max(np.abs(I)):
            raise PhysicsInputError(f"physics: {where}.inertia_kgm2: not symmetric")
        ev = np.linalg.eigvalsh(I)
        # principal moments must be positive and obey the triangle inequality (a real mass distribution)
        if ev[0] <= 0 or ev[0] + ev[1] < ev[2] * (1 - 1e-9):
            raise PhysicsInputError(f"physics: {where}.inertia_kgm2: not a physical inertia tensor {ev}")
        object.__setattr__(self, "inertia_kgm2", I)
        _positive(self.srp_area_m2, f"{where}.srp_area_m2", allow_zero=True)


@dataclass(frozen=True)
class Latch:
    name: str
    body_a: str
    port_a: PortFrame
    body_b: str
    port_b: PortFrame


@dataclass(frozen=True)
class Pushers:
    count: int = 4
    stiffness_n_per_m: float = 5000.0     # each
    preload_n: float = 1500.0             # each, at full compression
    stroke_m: float = 0.1
    ring_radius_m: float = 0.8
    offset_m: tuple[float, float] = (0.0, 0.0)

    def __post_init__(self):
        if int(self.count) != self.count or self.count < 1:
            raise PhysicsInputError(f"physics: Pushers.count: must be a positive integer, got {self.count!r}")
        _positive(self.stiffness_n_per_m, "Pushers.stiffness_n_per_m", allow_zero=True)
        _positive(self.preload_n, "Pushers.preload_n")
        _positive(self.stroke_m, "Pushers.stroke_m")
        _positive(self.ring_radius_m, "Pushers.ring_radius_m", allow_zero=True)
        if self.preload_n - self.stiffness_n_per_m * self.stroke_m < 0:
            raise PhysicsInputError("physics: Pushers: spring force would turn negative within the stroke "
                                    "(preload_n < stiffness_n_per_m * stroke_m)")
        _vec(self.offset_m, (2,), "Pushers.offset_m")

    @property
    def energy_j(self) -> float:
        """Work done by all springs over the stroke: count * (preload*s - k s^2/2)."""
        s = self.stroke_m
        return self.count * (self.preload_n * s - 0.5 * self.stiffness_n_per_m * s * s)


@dataclass(frozen=True)
class Release:
    t_s: float
    latch: str
    pushers: Pushers | None = None


@dataclass(frozen=True)
class Burn:
    body: str
    t_start_s: float
    duration_s: float
    thrust_n: float
    point_m: np.ndarray
    direction_body: np.ndarray
    isp_s: float | None = None
    label: str = ""

    def __post_init__(self):
        where = f"Burn[{self.label or self.body}]"
        _positive(self.duration_s, f"{where}.duration_s")
        _positive(self.thrust_n, f"{where}.thrust_n", allow_zero=True)
        object.__setattr__(self, "point_m", _vec(self.point_m, (3,), f"{where}.point_m"))
        d = _vec(self.direction_body, (3,), f"{where}.direction_body")
        if abs(np.linalg.norm(d) - 1.0) > 1e-6:
            raise PhysicsInputError(f"physics: {where}.direction_body: not a unit vector")
        object.__setattr__(self, "direction_body", d)
        if self.isp_s is not None:
            _positive(self.isp_s, f"{where}.isp_s")

    @property
    def mdot_kgps(self) -> float:
        return 0.0 if self.isp_s is None else mass_flow_kgps(self.thrust_n, self.isp_s)


def event_start(event) -> float:
    """When an event (Release or Burn) starts, seconds after the epoch."""
    return float(event.t_s if isinstance(event, Release) else event.t_start_s)


def mass_flow_kgps(thrust_n: float, isp_s: float) -> float:
    """Propellant flow of a thruster: F / (Isp g0), Isp in seconds."""
    return thrust_n / (isp_s * G0_MPS2)


ATTITUDE_MODES = ("free", "lvlh_hold")


@dataclass(frozen=True)
class AttitudeMode:
    body: str
    mode: str = "free"
    q_lvlh_from_body: tuple = (1.0, 0.0, 0.0, 0.0)

    def __post_init__(self):
        if self.mode not in ATTITUDE_MODES:
            raise PhysicsInputError(f"physics: AttitudeMode[{self.body}].mode: must be one of "
                                    f"{ATTITUDE_MODES}, got {self.mode!r}")
        q = _vec(self.q_lvlh_from_body, (4,), f"AttitudeMode[{self.body}].q_lvlh_from_body")
        if abs(np.linalg.norm(q) - 1.0) > 1e-6:
            raise PhysicsInputError(f"physics: AttitudeMode[{self.body}].q_lvlh_from_body: not a unit quaternion")


DRAG_MODELS = ("msis", "exponential", None)


@dataclass(frozen=True)
class ForceModel:
    central: bool = True
    j2: bool = True
    j3_j4: bool = False
    drag: str | None = "msis"
    f107: float = 100.0
    f107a: float = 100.0
    ap: float = 10.0
    gravity_gradient: bool = True
    aero_torque: bool = True
    sun_moon: bool = False
    srp: bool = False
    extra_terms: tuple = ()     # more force terms (physics/forces.py force_term), summed after the above
    environment: Environment = Environment()    # Earth constants, pole, atmosphere options (run inputs)

    def __post_init__(self):
        object.__setattr__(self, "extra_terms", tuple(self.extra_terms))
        if not isinstance(self.environment, Environment):
            raise PhysicsInputError(f"physics: ForceModel.environment: not an Environment: {self.environment!r}")
        for term in self.extra_terms:
            if not callable(term):
                raise PhysicsInputError(f"physics: ForceModel.extra_terms: not callable: {term!r}")
        if self.drag not in DRAG_MODELS:
            raise PhysicsInputError(f"physics: ForceModel.drag: must be one of {DRAG_MODELS}, got {self.drag!r}")
        for name in ("f107", "f107a", "ap"):
            _positive(getattr(self, name), f"ForceModel.{name}", allow_zero=True)

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("extra_terms", "environment")}
        out["environment"] = self.environment.to_dict()
        if self.extra_terms:
            out["extra_terms"] = [getattr(t, "__qualname__", repr(t)) for t in self.extra_terms]
        return out


@dataclass(frozen=True)
class Model:
    """What is simulated, frozen: the bodies, the latches between them, the forces, the attitude modes."""
    bodies: tuple
    latches: tuple = ()
    forces: ForceModel = ForceModel()
    attitude: tuple = ()            # AttitudeMode per controlled body

    def __post_init__(self):
        for name in ("bodies", "latches", "attitude"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
