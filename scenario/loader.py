"""Read a scenario TOML file into a validated, frozen Scenario (no physics yet)."""
from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scenario import schema
from scenario.environment import read_environment
from scenario.errors import ScenarioError, suggest
from scenario.validate import Section, check_document

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "assets" / "scenarios"
TLE_DIR = ROOT / "assets" / "tles"
from physics.constants import WGS84_A_M as EARTH_RADIUS_M  # WGS84 equatorial radius
MIN_ALTITUDE_M = 100e3          # below this nothing stays in orbit for even one revolution
SEGMENTS = ("ROS", "USOS")


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every table with its defaults filled in (SI, units in key names)."""
    name: str
    source: str                      # the file it came from (used in error messages)
    title: str
    description: str
    time: Section                    # typed sections (scenario/validate.py): sc.time.duration_s
    orbit: Section                   # (also readable as mappings: sc.time["duration_s"])
    station: Section | None          # None: no station, custom bodies only
    release: Section | None          # None: nothing is released
    pushers: Section | None          # None or count 0: hooks open without a push
    forces: Section
    attitude: dict                   # body name -> "free" | "lvlh_hold"
    burns: tuple = ()                # of Sections
    bodies: tuple = ()
    latches: tuple = ()
    impulses: tuple = ()
    long_term: Section | None = None  # None: no long run (see scenario/longterm/schema.py)
    ensemble: dict | None = None     # None: no [ensemble] table (ensemble/schema.py)
    check: str = "none"              # validation figure printed by simulate (scenario/checks.py)
    text: str = field(default="", repr=False)   # the TOML text (outputs store its hash: build.scenario_meta)
    sections: Mapping = field(default_factory=dict, repr=False)   # sections declared by register_section
    environment: dict | None = None  # [environment] checked (scenario/environment.py); None: the defaults

    @property
    def body_names(self) -> tuple[str, ...]:
        return (SEGMENTS if self.station is not None else ()) + tuple(b["name"] for b in self.bodies)

    def section(self, name: str):
        """A section declared with schema.register_section ([environment], [ensemble]): typed, or None."""
        return self.sections.get(name)


def resolve(name_or_path: str | Path) -> Path:
    """A bundled name ('clip-2022' -> assets/scenarios/clip-2022.toml) or a path."""
    text = str(name_or_path)
    path = Path(text)
    if path.suffix == ".toml" or "/" in text or "\\" in text or path.exists():
        if not path.is_file():
            raise ScenarioError(text, "", "not a regular file (a FIFO, device or folder)" if path.exists()
                                else "no such file")
        return path
    bundled = SCENARIO_DIR / f"{text}.toml"
    if not bundled.is_file():
        names = bundled_names()
        raise ScenarioError(text, "", "no such scenario (bundled: " + ", ".join(names) + ")" + suggest(text, names))
    return bundled


def bundled_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario. Raises ScenarioError (one line: 'FILE: key: problem')."""
    from fileio import InputFileError
    from fileio.bounded import read_toml_text
    path = resolve(name_or_path)
    source = str(path)
    try:            # regular file (no FIFO, no device), size cap, nesting limit: fileio.bounded
        text = read_toml_text(path, MAX_SCENARIO_BYTES, "scenario file")
    except InputFileError as exc:
        raise ScenarioError(source, "", str(exc).split(": ", 1)[-1]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", f"not valid TOML: {exc}") from None
    return from_dict(raw, source=source, name=path.stem, text=text)


MAX_SCENARIO_BYTES = 1 << 20     # 1 MiB: the largest bundled scenario is ~3 KiB


def from_dict(raw: dict, source: str = "<scenario>", name: str = "scenario", text: str = "") -> Scenario:
    """Validate a parsed TOML document (see scenario/schema.py for every key): one validator
    (scenario/validate.py) walks schema.DOCUMENT; then the checks over several keys."""
    doc = check_document({k: v for k, v in raw.items() if k not in ("long_term", "ensemble")}, schema.DOCUMENT, source)
    release = doc["release"]
    extra = {k: doc[k] for k in schema.DOCUMENT if k not in _CORE}
    sc = Scenario(
        name=name, source=source, title=doc["title"], description=doc["description"],
        time=doc["time"], orbit=doc["orbit"], station=doc["station"],
        release=release, pushers=None if release is None else release["pushers"], forces=doc["forces"],
        attitude={}, burns=doc["burn"], bodies=doc["body"], latches=doc["latch"], impulses=doc["impulse"],
        check=doc["check"], text=text, sections=extra,
        environment=read_environment(doc["environment"], source))
    sc = dataclasses.replace(sc, attitude=_attitude(doc["attitude"], sc), orbit=_check_orbit(sc))
    _cross_checks(sc)
    if "long_term" in raw:
        if "environment" in raw:        # the long run has its own Earth (EGM96 J2) and NRLMSIS air
            raise ScenarioError(source, "environment", "not used by the long run ([long_term]: EGM96 J2 and "
                                "NRLMSIS, docs/decay.md): remove [environment] or [long_term]")
        sc = dataclasses.replace(sc, long_term=_long_term(raw["long_term"], sc))
    if "ensemble" in raw:                 # Monte Carlo dispersions (issue 14): the ensemble package's keys
        from ensemble.schema import parse as parse_ensemble
        sc = dataclasses.replace(sc, ensemble=parse_ensemble(raw["ensemble"], source, sc.release is not None
                                                             and sc.station is not None, sc.long_term))
    _check_environment_for_check(sc)
    from scenario.plausible import check_plausible
    check_plausible(sc)
    return sc


def _check_environment_for_check(sc: Scenario) -> None:
    """check = "drag-decay" compares with the orbit-averaged method, which flies Vallado's table at the
    geodetic altitude in air turning with the Earth, or (the textbook case) one exponential band at
    |r| - R in still air; any other [environment.atmosphere] it could not reproduce."""
    if sc.check != "drag-decay" or sc.environment is None:
        return
    atm = sc.environment["atmosphere"]
    textbook = atm["rho0_kgpm3"] is not None and atm["altitude"] == "spherical" and not atm["rotates"]
    default = (atm["rho0_kgpm3"] is None and atm["altitude"] == "geodetic" and atm["rotates"]
               and sc.environment["earth"] != "custom")
    if not (textbook or default):
        raise ScenarioError(sc.source, "check", "'drag-decay' is checked against Vallado's table at the "
                            "geodetic altitude in rotating air, or a one-band exponential at spherical altitude "
                            "in still air ([environment.atmosphere]), with a named Earth for the former; this combination "
                            "has no reference")


_CORE = ("title", "description", "check", "time", "orbit", "station", "release", "forces", "burn", "body",
         "latch", "impulse", "attitude")


def _long_term(raw, sc: Scenario):
    from scenario.longterm import schema as longterm_schema
    lt = longterm_schema.parse(raw, sc.source, SEGMENTS)
    if sc.station is None:
        raise ScenarioError(sc.source, "long_term", "needs a [station] (the long run is for the ISS segments)")
    if lt["start"] == "split" and sc.release is None:
        raise ScenarioError(sc.source, "long_term.start", "'split' needs a [release] (or use start = \"docked\")")
    if lt["reference_tle_line1"] is not None:
        _check_reference_tle(lt, sc)
    return lt


def _check_reference_tle(lt: dict, sc: Scenario) -> None:
    """Columns and checksums of the reference TLE (the same checks as orbit.tle_line1/2)."""
    import re
    from physics import orbit as po
    if sc.orbit["tle_line1"] is None and sc.orbit["tle_file"] is None:
        raise ScenarioError(sc.source, "long_term.reference_tle_line1", "needs a TLE in [orbit] to compare with")
    try:
        po.parse_tle(lt["reference_tle_line1"], lt["reference_tle_line2"], source="TLE")
    except ValueError as exc:
        m = re.match(r"TLE: line (\d): (.*)", str(exc))
        key, problem = (f"long_term.reference_tle_line{m.group(1)}", m.group(2)) if m else (
            "long_term.reference_tle_line1", str(exc))
        raise ScenarioError(sc.source, key, problem) from None


def _attitude(checked: dict, sc: Scenario) -> dict:
    """[attitude] BODY = "free" | "lvlh_hold" (values checked by the validator; names here)."""
    names = sc.body_names
    out = {b["name"]: b["attitude"] for b in sc.bodies}
    out.update({n: "free" for n in names if n not in out})
    for body, mode in checked.items():
        if body not in names:
            raise ScenarioError(sc.source, f"attitude.{body}", "no such body" + suggest(body, names))
        out[body] = mode
    return out


def _cross_checks(sc: Scenario) -> None:
    """Checks that involve more than one key."""
    src = sc.source
    names = sc.body_names
    if not names:
        raise ScenarioError(src, "station", "no bodies: add a [station] table or [[body]] tables")
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ScenarioError(src, "body", f"two bodies are named '{dup}'")
    for i, b in enumerate(sc.bodies):
        _check_body(b, f"body[{i}]", names, sc)
    if sc.latches and sc.station is not None:
        raise ScenarioError(src, "latch", "custom latches cannot be combined with [station] (one docked assembly)")
    for i, la in enumerate(sc.latches):
        for key in ("body_a", "body_b"):
            if la[key] not in names or la[key] in SEGMENTS:
                raise ScenarioError(src, f"latch[{i}].{key}", f"no such custom body '{la[key]}'"
                                    + suggest(la[key], names))
    for table, key in [(sc.burns, "burn"), (sc.impulses, "impulse")]:
        for i, item in enumerate(table):
            if item["body"] not in names:
                raise ScenarioError(src, f"{key}[{i}].body", f"no such body '{item['body']}'"
                                    + suggest(item["body"], names))
    for i, burn in enumerate(sc.burns):
        _check_burn(burn, f"burn[{i}]", sc)
    for i, imp in enumerate(sc.impulses):
        _check_impulse(imp, f"impulse[{i}]", sc)
    if sc.release is not None:
        latches = (("interface",) if sc.station is not None else ()) + tuple(la["name"] for la in sc.latches)
        if sc.release["latch"] not in latches:
            raise ScenarioError(src, "release.latch", f"no such latch '{sc.release['latch']}'"
                                + suggest(sc.release["latch"], latches or ("interface",)))
    if sc.pushers is not None and sc.pushers["count"] > 0:
        p = sc.pushers
        if p["preload_n"] <= 0 or p["preload_n"] < p["stiffness_n_per_m"] * p["stroke_m"]:
            raise ScenarioError(src, "release.pushers.preload_n", "must be > 0 and at least "
                                "stiffness_n_per_m * stroke_m (the spring would pull before the stroke ends)")
    if sc.time["output_interval_s"] > sc.time["duration_s"]:
        raise ScenarioError(src, "time.output_interval_s", "longer than time.duration_s")


def _check_orbit(sc: Scenario):
    """Checks over the [orbit] keys; returns the section with its file paths resolved."""
    o, src = sc.orbit, sc.source
    given = [k for k in ("tle_file", "tle_line1", "r_gcrs_m", "circular_altitude_km", "ccsds_file") if o[k] is not None]
    if (o["tle_line1"] is None) != (o["tle_line2"] is None):
        raise ScenarioError(src, "orbit.tle_line2" if o["tle_line2"] is None else "orbit.tle_line1",
                            "missing value (tle_line1 and tle_line2 go together)")
    if (o["r_gcrs_m"] is None) != (o["v_gcrs_mps"] is None):
        raise ScenarioError(src, "orbit.v_gcrs_mps" if o["v_gcrs_mps"] is None else "orbit.r_gcrs_m",
                            "missing value (r_gcrs_m and v_gcrs_mps go together)")
    if o["tle_name"] is not None and o["tle_file"] is None:
        raise ScenarioError(src, "orbit.tle_name", "needs orbit.tle_file")
    if o["ccsds_object"] is not None and o["ccsds_file"] is None:
        raise ScenarioError(src, "orbit.ccsds_object", "needs orbit.ccsds_file")
    if len(given) > 1:
        raise ScenarioError(src, f"orbit.{given[1]}", f"give only one of tle_file, tle_line1/2, "
                            f"r_gcrs_m/v_gcrs_mps, circular_altitude_km, ccsds_file (also got {given[0]})")
    needs_orbit = sc.station is not None or any(
        b["relative_to"] is None and b["r_gcrs_m"] is None for b in sc.bodies)
    if needs_orbit and not given:
        raise ScenarioError(src, "orbit", "missing value: give tle_file, tle_line1/2, r_gcrs_m/v_gcrs_mps, "
                            "circular_altitude_km or ccsds_file")
    if o["r_gcrs_m"] is not None:
        check_altitude(o["r_gcrs_m"], src, "orbit.r_gcrs_m")
    if o["tle_file"] is not None:
        o = o.replace(tle_file=str(resolve_tle(o["tle_file"], src)))
    if o["ccsds_file"] is not None:
        o = o.replace(ccsds_file=str(resolve_file(o["ccsds_file"], src, "orbit.ccsds_file")))
    return o


def resolve_tle(name: str, source: str) -> Path:
    path = Path(name)
    if path.suffix != ".tle" and "/" not in name:
        path = TLE_DIR / f"{name}.tle"
    elif not path.is_absolute() and not path.exists():
        path = Path(source).parent / name   # relative to the scenario file
    if not path.is_file():
        names = sorted(p.stem for p in TLE_DIR.glob("*.tle"))
        raise ScenarioError(source, "orbit.tle_file", f"no such TLE file '{name}'" + suggest(name, names))
    return path


def resolve_file(name: str, source: str, key: str) -> Path:
    """A path as given, else relative to the scenario file; ScenarioError if neither is a file."""
    path = Path(name)
    if not path.is_absolute() and not path.exists():
        path = Path(source).parent / name
    if not path.is_file():
        raise ScenarioError(source, key, f"no such file '{name}'")
    return path


def check_altitude(r_m, source: str, key: str) -> None:
    alt_m = math.sqrt(sum(x * x for x in r_m)) - EARTH_RADIUS_M
    if alt_m < MIN_ALTITUDE_M:
        raise ScenarioError(source, key, f"altitude {alt_m / 1e3:.1f} km is below 100 km")


def _check_body(b: dict, key: str, names: tuple, sc: Scenario) -> None:
    src = sc.source
    if b["inertia_kgm2"] is None and b["box_m"] is None and b["cylinder_radius_m"] is None:
        raise ScenarioError(src, f"{key}.inertia_kgm2", "missing value: give inertia_kgm2, box_m or "
                            "cylinder_radius_m/cylinder_length_m")
    if (b["cylinder_radius_m"] is None) != (b["cylinder_length_m"] is None):
        raise ScenarioError(src, f"{key}.cylinder_length_m", "cylinder_radius_m and cylinder_length_m go together")
    if b["box_m"] is not None and min(b["box_m"]) <= 0:
        raise ScenarioError(src, f"{key}.box_m", "edge lengths must be > 0")
    if b["relative_to"] is not None:
        if b["relative_to"] not in names or b["relative_to"] == b["name"]:
            raise ScenarioError(src, f"{key}.relative_to", f"no such other body '{b['relative_to']}'"
                                + suggest(b["relative_to"], names))
        if b["r_gcrs_m"] is not None:
            raise ScenarioError(src, f"{key}.r_gcrs_m", "give either relative_to or r_gcrs_m, not both")
    if (b["r_gcrs_m"] is None) != (b["v_gcrs_mps"] is None):
        raise ScenarioError(src, f"{key}.v_gcrs_mps", "r_gcrs_m and v_gcrs_mps go together")
    if b["r_gcrs_m"] is not None:
        check_altitude(b["r_gcrs_m"], src, f"{key}.r_gcrs_m")


def _check_burn(burn: dict, key: str, sc: Scenario) -> None:
    """Segments take SSACS or body-frame keys (same axes); custom bodies only body-frame keys."""
    if burn["body"] not in SEGMENTS:
        for k in ("point_ssacs_m", "direction_ssacs"):
            if burn[k] is not None:
                raise ScenarioError(sc.source, f"{key}.{k}", f"SSACS keys are for ROS/USOS; "
                                    f"use {k.replace('ssacs', 'body')} for '{burn['body']}'")
    for a, b in [("point_ssacs_m", "point_body_m"), ("direction_ssacs", "direction_body")]:
        if burn[a] is not None and burn[b] is not None:
            raise ScenarioError(sc.source, f"{key}.{b}", f"give either {a} or {b}, not both")
    direction = burn["direction_ssacs"] or burn["direction_body"]
    if direction is None:
        raise ScenarioError(sc.source, f"{key}.direction_body", "missing value (required)")
    if math.sqrt(sum(x * x for x in direction)) < 1e-9:
        raise ScenarioError(sc.source, f"{key}.direction_body", "direction is the zero vector")


def _check_impulse(imp: dict, key: str, sc: Scenario) -> None:
    if (imp["dv_lvlh_mps"] is None) == (imp["dv_body_mps"] is None):
        raise ScenarioError(sc.source, f"{key}.dv_lvlh_mps", "give exactly one of dv_lvlh_mps, dv_body_mps")
    if imp["dv_lvlh_mps"] is not None and imp["t_s"] != 0.0:
        raise ScenarioError(sc.source, f"{key}.t_s", "dv_lvlh_mps only at t_s = 0 (use dv_body_mps later)")
    latched = {la[k] for la in sc.latches for k in ("body_a", "body_b")}
    if imp["dv_lvlh_mps"] is not None and (imp["body"] in latched or imp["body"] in SEGMENTS):
        raise ScenarioError(sc.source, f"{key}.body", f"'{imp['body']}' is latched; use a burn or a release")
