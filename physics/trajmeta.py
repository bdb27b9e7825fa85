"""A trajectory's metadata, typed: the fields its readers (renderers, exporters, plots) use.

`Trajectory.metadata` stays the JSON object stored in the file (docs/trajectory-format.md): nothing
changes on disk and old files still load. `TrajectoryMeta.from_dict` reads that object once into frozen
dataclasses, so a reader asks `meta.release.port_a_body_m` instead of digging through nested dicts or
re-reading the scenario's TOML text. Keys a file lacks read as None / empty (older files); a key of the
wrong type is a PhysicsInputError of one line naming it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from physics.errors import PhysicsInputError

Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class BodyInfo:
    """One body: mass properties and, for station segments, where its frame sits in the station's."""
    mass_kg: float | None = None
    inertia_kgm2: tuple | None = None        # (3,3) about the CoM, body axes
    com_ssacs_m: Vec3 | None = None          # the body's CoM in the station frame (SSACS)
    segment: str | None = None               # "ROS" / "USOS" for a station segment
    element_ids: tuple[str, ...] = ()        # the station elements it is made of


@dataclass(frozen=True)
class ScenarioInfo:
    """Where the run came from. (The scenario's TOML text is also stored, as provenance only.)"""
    name: str = ""
    title: str = ""
    source: str = ""                         # the scenario file's path or bundled name
    orbit: str = ""                          # how the initial orbit was set (TLE, state vector, ...)


@dataclass(frozen=True)
class ReleaseInfo:
    """The undocking: which latch opened between which bodies, when, and the released ports."""
    latch: str = ""
    body_a: str = ""
    body_b: str = ""
    t_s: float | None = None
    pusher_energy_j: float | None = None
    port_a_body_m: Vec3 | None = None        # the port in body_a's frame (origin at its CoM)
    port_b_body_m: Vec3 | None = None


@dataclass(frozen=True)
class LongRunInfo:
    """A months-long run (scenario.long_term_trajectory): coarse samples, assumed attitudes."""
    activity: str = ""
    dt_s: float | None = None
    attitude: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    tumble_rate_deg_s: float | None = None


@dataclass(frozen=True)
class PartialInfo:
    """A run handed over before it is finished (render.loading): computed to here, of this whole."""
    computed_to_s: float
    t_end_s: float


@dataclass(frozen=True)
class TrajectoryMeta:
    scenario: ScenarioInfo = ScenarioInfo()
    bodies: Mapping[str, BodyInfo] = field(default_factory=lambda: MappingProxyType({}))
    release: ReleaseInfo | None = None
    long_run: LongRunInfo | None = None
    partial: PartialInfo | None = None

    @classmethod
    def from_dict(cls, meta: Mapping | None, where: str = "trajectory") -> "TrajectoryMeta":
        meta = _table(meta or {}, where, "metadata")
        bodies = _table(meta.get("bodies") or {}, where, "bodies")
        return cls(
            scenario=_scenario(meta.get("scenario"), where),
            bodies=MappingProxyType({str(n): _body(b, where, f"bodies.{n}") for n, b in bodies.items()}),
            release=_release(meta.get("release"), where),
            long_run=_long_run(meta.get("long_term"), where),
            partial=_partial(meta.get("partial"), where))

    def body(self, name: str) -> BodyInfo:
        """The body's info, or an empty one (a file without it)."""
        return self.bodies.get(name) or BodyInfo()


def trajectory_meta(traj) -> TrajectoryMeta:
    """The typed metadata of any trajectory-like object (a Trajectory caches it; fakes have .metadata)."""
    meta = getattr(traj, "meta", None)
    return meta if isinstance(meta, TrajectoryMeta) else TrajectoryMeta.from_dict(getattr(traj, "metadata", None))


# ---------------------------------------------------------------- readers (one line per wrong key)
def _fail(where: str, key: str, problem: str):
    raise PhysicsInputError(f"{where}: metadata.{key}: {problem}")


def _table(value, where: str, key: str) -> Mapping:
    if not isinstance(value, Mapping):
        _fail(where, key, f"expected an object, got {type(value).__name__}")
    return value


def _num(value, where: str, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(where, key, f"expected a number, got {value!r}"[:120])
    return float(value)


def _vec(value, where: str, key: str, n: int = 3) -> tuple | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != n:
        _fail(where, key, f"expected {n} numbers")
    return tuple(_num(x, where, key) for x in value)


def _matrix(value, where: str, key: str) -> tuple | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        _fail(where, key, "expected 3 rows of 3 numbers")
    return tuple(_vec(row, where, key) for row in value)


def _str(value, where: str, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        _fail(where, key, f"expected a string, got {type(value).__name__}")
    return value


def _scenario(value, where: str) -> ScenarioInfo:
    if value is None:
        return ScenarioInfo()
    s = _table(value, where, "scenario")
    return ScenarioInfo(*(_str(s.get(k), where, f"scenario.{k}") for k in ("name", "title", "source", "orbit")))


def _body(value, where: str, key: str) -> BodyInfo:
    b = _table(value, where, key)
    inertia = b.get("inertia_kgm2")
    return BodyInfo(
        mass_kg=_num(b.get("mass_kg"), where, f"{key}.mass_kg"),
        inertia_kgm2=_matrix(inertia, where, f"{key}.inertia_kgm2"),
        com_ssacs_m=_vec(b.get("com_ssacs_m"), where, f"{key}.com_ssacs_m"),
        segment=b.get("segment") and _str(b.get("segment"), where, f"{key}.segment"),
        element_ids=tuple(_str(e, where, f"{key}.element_ids") for e in b.get("element_ids") or ()))


def _release(value, where: str) -> ReleaseInfo | None:
    if value is None:
        return None
    r = _table(value, where, "release")
    return ReleaseInfo(
        *(_str(r.get(k), where, f"release.{k}") for k in ("latch", "body_a", "body_b")),
        t_s=_num(r.get("t_s"), where, "release.t_s"),
        pusher_energy_j=_num(r.get("pusher_energy_j"), where, "release.pusher_energy_j"),
        port_a_body_m=_vec(r.get("port_a_body_m"), where, "release.port_a_body_m"),
        port_b_body_m=_vec(r.get("port_b_body_m"), where, "release.port_b_body_m"))


def _long_run(value, where: str) -> LongRunInfo | None:
    if value is None:
        return None
    lt = _table(value, where, "long_term")
    att = _table(lt.get("attitude") or {}, where, "long_term.attitude")
    return LongRunInfo(_str(lt.get("activity"), where, "long_term.activity"),
                       _num(lt.get("dt_s"), where, "long_term.dt_s"),
                       MappingProxyType({str(k): str(v) for k, v in att.items()}),
                       _num(lt.get("tumble_rate_deg_s"), where, "long_term.tumble_rate_deg_s"))


def _partial(value, where: str) -> PartialInfo | None:
    if value is None:
        return None
    p = _table(value, where, "partial")
    return PartialInfo(_num(p.get("computed_to_s"), where, "partial.computed_to_s"),
                       _num(p.get("t_end_s"), where, "partial.t_end_s"))
