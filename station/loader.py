"""Read and validate the station file (TOML) into frozen specs. The only reader of assets/station files."""
from __future__ import annotations

import math
import tomllib
from pathlib import Path
from types import MappingProxyType

from station.spec import ElementSpec, JointSpec, PortSpec, ResidualSpec, StationFileError, StationSpec

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "assets" / "station" / "iss_2022-03-05.toml"
DIRECTIONS = ("+X", "-X", "+Y", "-Y", "+Z", "-Z")
SEGMENTS = ("ROS", "USOS")
KINDS = ("module", "node", "adapter", "airlock", "truss", "array", "radiator", "robotics", "payload", "vehicle")

# key -> value type. "pos": number > 0, "nonneg": number >= 0.
ELEMENT_REQUIRED = {"name": "str", "segment": "str", "kind": "str", "mass_kg": "nonneg", "shape": "str",
                    "center_m": "vec3", "axis": "dir", "port": "str", "source": "str"}
ELEMENT_OPTIONAL = {"parent": "str", "length_m": "pos", "diameter_m": "pos", "normal": "dir", "port_id": "str",
                    "joints": "strlist", "included_in_parent_mass": "bool", "optional": "bool",
                    "estimated": "bool", "mass_range_kg": "pair", "mass_note": "str", "notes": "str",
                    "label": "str"}
SHAPE_PARAMS = {"width_m": "pos", "height_m": "pos", "profile_m": "profile", "array_span_m": "pos",
                "array_chord_m": "pos", "array_at_m": "nonneg", "radial_ports": "dirlist",
                "radial_port_at_m": "nonneg", "blanket_length_m": "pos", "blanket_gap_m": "nonneg",
                "panel_count": "count", "panel_gap_m": "nonneg", "thickness_m": "pos",
                # drawing only (station/visual.py; mass and drag use the shape above): docs/station.md
                "look": "str", "visual_profile_m": "profile", "array_grid": "pair", "panel_segments": "count"}
LOOKS = ("lattice", "carriers", "soyuz", "progress", "dragon", "cygnus", "cupola")
SHAPES = {"cylinder": ("length_m", "diameter_m"), "revolved": ("profile_m",),
          "node": ("length_m", "diameter_m", "radial_ports", "radial_port_at_m"),
          "box": ("length_m", "width_m", "height_m"),
          "array_wing": ("length_m", "width_m", "blanket_length_m", "blanket_gap_m"),
          "panels": ("length_m", "width_m", "panel_count")}
STATION_KEYS = {"name": "str", "configuration_date": "str", "frame": "str", "root": "str",
                "interface_port": "str", "source": "str"}
JOINT_KEYS = {"axis": "vec3", "point_m": "vec3", "default_deg": "num", "notes": "str", "source": "str"}
PORT_KEYS = {"element": "str", "mate": "str", "position_m": "vec3", "axis": "dir", "kind": "str",
             "estimated": "bool", "source": "str"}
RESIDUAL_KEYS = {"segment": "str", "mass_kg": "nonneg", "spread_over": "strlist", "estimated": "bool",
                 "source": "str"}


class _Ctx:
    """Where we are in the file, for one-line messages ``FILE: table.id.field: problem``."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, problem: str) -> None:
        from fileio.text import one_line
        raise StationFileError(one_line(f"{self.path}: {where}: {problem}"))


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_profile(v) -> bool:
    ok = isinstance(v, list) and len(v) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(_is_num(x) for x in p) and p[1] >= 0 for p in v)
    return ok and all(b[0] >= a[0] for a, b in zip(v, v[1:])) and v[-1][0] > v[0][0]


def _is_list(v, n: int) -> bool:
    return isinstance(v, list) and len(v) == n and all(_is_num(x) for x in v)


# type tag -> (accepts(value), canonical(value))
_TYPES = {
    "str": (lambda v: isinstance(v, str), lambda v: v),
    "bool": (lambda v: isinstance(v, bool), lambda v: v),
    "num": (_is_num, float), "pos": (_is_num, float), "nonneg": (_is_num, float),
    "count": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, lambda v: v),
    "vec3": (lambda v: _is_list(v, 3), lambda v: tuple(float(x) for x in v)),
    "pair": (lambda v: _is_list(v, 2), lambda v: tuple(float(x) for x in v)),
    "dir": (lambda v: v in DIRECTIONS, lambda v: v),
    "strlist": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), tuple),
    "dirlist": (lambda v: isinstance(v, list) and all(x in DIRECTIONS for x in v), tuple),
    "profile": (_is_profile, lambda v: tuple((float(a), float(r)) for a, r in v)),
}


def _check(ctx: _Ctx, where: str, v, kind: str):
    """Check one value against its type tag; return it in canonical form (tuples, floats)."""
    accepts, canonical = _TYPES[kind]
    if not accepts(v):
        ctx.fail(where, f"expected {_TYPE_WORDS[kind]}, got {v!r}")
    if kind == "pos" and v <= 0:
        ctx.fail(where, f"must be positive, got {v}")
    if kind == "nonneg" and v < 0:
        ctx.fail(where, f"must not be negative, got {v}")
    _check_size(ctx, where, v, kind)
    return canonical(v)


# Physical bounds (a typo of 1e300 kg or panel_count = 1e9 stops here, not in the mesher):
# by the key's unit suffix; the whole ISS is 420 t and 109 m across.
LIMITS = {"_kg": 1e6, "_m": 1e3, "_deg": 360.0}
MAX_COUNT = 1000


def _check_size(ctx: _Ctx, where: str, v, kind: str) -> None:
    key = where.rsplit(".", 1)[-1]
    if kind == "count" and v > MAX_COUNT:
        ctx.fail(where, f"{v} is too many (at most {MAX_COUNT})")
    limit = next((lim for suffix, lim in LIMITS.items() if key.endswith(suffix)), None)
    if limit is None or kind not in ("num", "pos", "nonneg", "vec3", "pair", "profile"):
        return
    values = [v] if kind in ("num", "pos", "nonneg") else [x for p in v for x in (p if isinstance(p, list) else [p])]
    if any(abs(x) > limit for x in values):
        ctx.fail(where, f"{max(abs(x) for x in values):g} is too large (at most {limit:g} in magnitude)")


_TYPE_WORDS = {"str": "a string", "bool": "true or false", "num": "a number", "pos": "a positive number",
               "nonneg": "a number >= 0", "count": "a positive integer", "vec3": "[x, y, z] numbers",
               "pair": "[low, high] numbers", "dir": "one of " + ", ".join(DIRECTIONS),
               "strlist": "a list of strings", "dirlist": "a list of directions like \"+X\"",
               "profile": "[[axial_m, radius_m], ...] with axial increasing and radius >= 0"}


def _table(ctx: _Ctx, where: str, raw, required: dict, optional: dict) -> dict:
    """Validate one TOML table: no unknown keys, no missing keys, each value typed."""
    if not isinstance(raw, dict):
        ctx.fail(where, "expected a table")
    for key in raw:
        if key not in required and key not in optional:
            ctx.fail(f"{where}.{key}", "unknown key")
    for key in required:
        if key not in raw:
            ctx.fail(f"{where}.{key}", "missing")
    schema = {**required, **optional}
    return {k: _check(ctx, f"{where}.{k}", v, schema[k]) for k, v in raw.items()}


def _element(ctx: _Ctx, eid: str, raw) -> ElementSpec:
    where = f"elements.{eid}"
    d = _table(ctx, where, raw, ELEMENT_REQUIRED, {**ELEMENT_OPTIONAL, **SHAPE_PARAMS})
    if d["segment"] not in SEGMENTS:
        ctx.fail(f"{where}.segment", f"unknown segment {d['segment']!r} (expected {' or '.join(SEGMENTS)})")
    if d["kind"] not in KINDS:
        ctx.fail(f"{where}.kind", f"unknown kind {d['kind']!r} (expected one of {', '.join(KINDS)})")
    if d["shape"] not in SHAPES:
        ctx.fail(f"{where}.shape", f"unknown shape {d['shape']!r} (expected one of {', '.join(SHAPES)})")
    for key in SHAPES[d["shape"]]:
        if key not in d:
            ctx.fail(f"{where}.{key}", f"missing (shape {d['shape']!r} needs it)")
    _check_profile(ctx, where, d)
    _check_look(ctx, where, d)
    if "mass_range_kg" in d and not 0 <= d["mass_range_kg"][0] <= d["mass_range_kg"][1]:
        ctx.fail(f"{where}.mass_range_kg", f"expected [low, high] with 0 <= low <= high, got {list(d['mass_range_kg'])}")
    params = tuple(sorted((k, d.pop(k)) for k in list(d) if k in SHAPE_PARAMS))
    return ElementSpec(id=eid, params=params, **d)


def _check_profile(ctx: _Ctx, where: str, d: dict) -> None:
    """A profile must keep the published dimensions: its length is length_m, its widest point diameter_m."""
    prof = d.get("profile_m")
    if prof is None:
        return
    length, widest = prof[-1][0] - prof[0][0], 2 * max(r for _, r in prof)
    if widest <= 0:
        ctx.fail(f"{where}.profile_m", "has no radius > 0 (a solid of revolution needs a width)")
    if "length_m" in d and abs(length - d["length_m"]) > 0.01:
        ctx.fail(f"{where}.profile_m", f"spans {length:g} m but length_m is {d['length_m']:g} m")
    if "diameter_m" in d and abs(widest - d["diameter_m"]) > 0.01:
        ctx.fail(f"{where}.profile_m", f"is {widest:g} m wide but diameter_m is {d['diameter_m']:g} m")


def _check_look(ctx: _Ctx, where: str, d: dict) -> None:
    """Drawing keys: a known look; a visual profile as long as the element; a grid of whole panels."""
    if "look" in d and d["look"] not in LOOKS:
        ctx.fail(f"{where}.look", f"unknown look {d['look']!r} (expected one of {', '.join(LOOKS)})")
    prof = d.get("visual_profile_m")
    if prof is not None and "length_m" in d and abs(prof[-1][0] - prof[0][0] - d["length_m"]) > 0.01:
        ctx.fail(f"{where}.visual_profile_m", f"spans {prof[-1][0] - prof[0][0]:g} m but length_m is {d['length_m']:g} m")
    grid = d.get("array_grid")
    if grid is not None and not all(g >= 1 and g == int(g) for g in grid):
        ctx.fail(f"{where}.array_grid", f"expected [panels along, panels across] whole numbers >= 1, got {list(grid)}")


MAX_STATION_BYTES = 4 << 20      # 4 MiB: the bundled station file is 74 KiB


def _read_toml(path: Path) -> dict:
    """Regular files only (a FIFO or /dev/zero would hang or fill the memory), size-capped, nesting
    limited (fileio.bounded), then parsed."""
    from fileio import InputFileError
    from fileio.bounded import read_toml_text
    from fileio.text import one_line
    try:
        return tomllib.loads(read_toml_text(path, MAX_STATION_BYTES, "station file"))
    except (InputFileError, ValueError) as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise StationFileError(one_line(f"{path}: TOML syntax: {exc}")) from None
        raise StationFileError(one_line(str(exc) if isinstance(exc, InputFileError) else f"{path}: cannot read: {exc}")) from None


def load_station(path: str | Path | None = None) -> StationSpec:
    """Load and validate a station file (default: the ISS of 5 March 2022)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    ctx = _Ctx(str(path))
    raw = _read_toml(path)
    for key in raw:
        if key not in ("station", "joints", "ports", "residuals", "elements"):
            ctx.fail(key, "unknown table")
    for key in ("station", "elements"):
        if key not in raw:
            ctx.fail(key, "missing")
    for key in ("joints", "ports", "residuals", "elements"):
        if not isinstance(raw.get(key, {}), dict):
            ctx.fail(key, f"expected a table ([{key}.<id>] sections), got {raw[key]!r:.40}")
    st = _table(ctx, "station", raw["station"], {k: STATION_KEYS[k] for k in ("root", "interface_port")},
                STATION_KEYS)
    elements = {eid: _element(ctx, eid, r) for eid, r in raw["elements"].items()}
    joints = {jid: _joint(ctx, jid, r) for jid, r in raw.get("joints", {}).items()}
    ports = {pid: PortSpec(id=pid, **_table(ctx, f"ports.{pid}", r, _req(PORT_KEYS, "element", "position_m",
                                                                              "axis"), PORT_KEYS))
             for pid, r in raw.get("ports", {}).items()}
    residuals = {rid: ResidualSpec(id=rid, **_table(ctx, f"residuals.{rid}", r, _req(
        RESIDUAL_KEYS, "segment", "mass_kg", "spread_over"), RESIDUAL_KEYS)) for rid, r in raw.get("residuals", {}).items()}
    ro = MappingProxyType   # read-only views: a spec is "what it is" and never changes
    spec = StationSpec(path=str(path), name=st.get("name", ""), configuration_date=st.get("configuration_date", ""),
                       root=st["root"], interface_port=st["interface_port"], elements=ro(elements), ports=ro(ports),
                       joints=ro(joints), residuals=ro(residuals))
    from station.validate import check_references
    check_references(spec, ctx.fail)
    return spec


def _req(schema: dict, *names: str) -> dict:
    return {k: schema[k] for k in names}


def _joint(ctx: _Ctx, jid: str, raw) -> JointSpec:
    d = _table(ctx, f"joints.{jid}", raw, _req(JOINT_KEYS, "axis", "point_m", "default_deg"), JOINT_KEYS)
    n = math.sqrt(sum(a * a for a in d["axis"]))
    if n < 1e-9:
        ctx.fail(f"joints.{jid}.axis", "must not be the zero vector")
    d["axis"] = tuple(a / n for a in d["axis"])
    return JointSpec(id=jid, **d)
