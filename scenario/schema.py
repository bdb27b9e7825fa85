"""The scenario file format: every key, its type, unit (in its name) and default.

docs/scenarios.md documents the same table; tests/test_scenario_docs.py checks that every key
below appears there and that every example there loads. A key's unit is in its name (duration_s,
thrust_n, f107_sfu); values are plain TOML numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scenario.errors import ScenarioError, suggest

REQUIRED = object()  # default marker: the key must be given


@dataclass(frozen=True)
class Key:
    kind: str            # float, int, bool, str, vec2, vec3, vec4, inertia, vehicles, choice
    default: Any = None  # None = optional (absent); REQUIRED = must be given
    low: float | None = None        # inclusive lower bound
    low_open: bool = False          # lower bound exclusive
    high: float | None = None
    choices: tuple = ()
    doc: str = ""


POS = dict(low=0.0, low_open=True)   # strictly positive
NONNEG = dict(low=0.0)

TOP = {
    "title": Key("str", "", doc="one-line title shown in the app and the summary"),
    "description": Key("str", "", doc="free text"),
    "check": Key("choice", "none", choices=("none", "kepler-period", "cw", "j2-node-rate", "torque-free",
                                            "gg-libration", "drag-decay", "separation-energy"),
                 doc="validation scenarios: print the measured figure against its independent reference (scenario/checks.py)"),
}
TIME = {
    "epoch_utc": Key("str", REQUIRED, doc="ISO 8601 UTC start, e.g. 2022-03-05T12:00:00Z"),
    "duration_s": Key("float", REQUIRED, **POS, doc="length of the run"),
    "output_interval_s": Key("float", 1.0, **POS, doc="spacing of the output samples"),
    "max_step_s": Key("float", 30.0, **POS, doc="largest integrator step (also kept below 0.025 rad of the fastest initial spin per step)"),
}
ORBIT = {
    "tle_file": Key("str", None, doc="assets/tles/NAME.tle or a path; the set with the epoch nearest the scenario's is used"),
    "tle_name": Key("str", None, doc="use the set with this name line from tle_file instead"),
    "tle_line1": Key("str", None, doc="TLE line 1 (with tle_line2, instead of tle_file)"),
    "tle_line2": Key("str", None, doc="TLE line 2"),
    "r_gcrs_m": Key("vec3", None, doc="state vector: position of the first body / station CoM"),
    "v_gcrs_mps": Key("vec3", None, doc="state vector: velocity"),
    "circular_altitude_km": Key("float", None, low=100.0, high=100000.0,
                                doc="circular orbit at this altitude above the equatorial radius, starting over the equator"),
    "inclination_deg": Key("float", 51.64, low=0.0, high=180.0, doc="inclination of the circular orbit"),
    "ccsds_file": Key("str", None, doc="a CCSDS OPM, or an OEM (its first state); KVN or XML; its EPOCH must be time.epoch_utc (docs/formats.md)"),
    "ccsds_object": Key("str", None, doc="with ccsds_file: the OEM segment (or OPM) with this OBJECT_NAME; default the first"),
}
STATION = {
    "file": Key("str", "", doc="station file; empty = the bundled assets/station/iss_2022-03-05.toml"),
    "vehicles": Key("vehicles", True, doc="visiting vehicles aboard: true, false, or a list of element ids"),
    "q_lvlh_from_body": Key("vec4", (1.0, 0.0, 0.0, 0.0), doc="docked attitude (w,x,y,z); identity = +XVV"),
}
RELEASE = {
    "latch": Key("str", "interface", doc="which latched port opens ('interface' = Zarya/PMA-1 APAS)"),
    "time_s": Key("float", 10.0, **NONNEG, doc="when the hooks open, seconds after the epoch"),
}
# ESTIMATE: APAS pusher energy is not published (reference section 5). Scaled from Soyuz
# (0.10 m/s off a ~470 t station = ~35 J of spring energy). Each pusher pushes with
# F(x) = preload - k x over its stroke s, storing preload*s - k s^2/2 = 375*0.03 - 5000*0.03^2/2
# = 9.0 J; four of them 36 J. Between ROS (~101 t) and USOS (~375 t), reduced mass ~79.6 t:
# dv = sqrt(2 E / mu) = sqrt(72 / 79600) = 0.030 m/s relative.
PUSHERS = {
    "count": Key("int", 4, low=0, high=64, doc="number of spring pushers on the port ring (0 = none)"),
    "stiffness_n_per_m": Key("float", 5000.0, **NONNEG, doc="spring rate of each pusher"),
    "preload_n": Key("float", 375.0, **NONNEG, doc="force of each pusher at full compression"),
    "stroke_m": Key("float", 0.03, **POS, doc="travel until the pusher leaves contact"),
    "ring_radius_m": Key("float", 0.8, **NONNEG, doc="radius of the circle the pushers sit on"),
    "offset_m": Key("vec2", (0.0, 0.0), doc="shift of the ring centre in the port's y-z plane (off-axis push)"),
}
BURN = {
    "body": Key("str", REQUIRED, doc="ROS, USOS or a custom body name"),
    "start_s": Key("float", REQUIRED, **NONNEG, doc="ignition, seconds after the epoch"),
    "duration_s": Key("float", REQUIRED, **POS, doc="burn length"),
    "thrust_n": Key("float", REQUIRED, **POS, doc="total thrust"),
    "point_ssacs_m": Key("vec3", None, doc="where the force acts, SSACS (segments only)"),
    "point_body_m": Key("vec3", None, doc="where the force acts, body frame (origin at CoM)"),
    "direction_ssacs": Key("vec3", None, doc="direction of the force on the body, SSACS axes (normalised)"),
    "direction_body": Key("vec3", None, doc="direction of the force on the body, body axes (normalised)"),
    "isp_s": Key("float", None, **POS, doc="specific impulse; if given the body's mass drops"),
    "label": Key("str", "", doc="name shown in events and plots"),
}
FORCES = {
    "central": Key("bool", True, doc="point-mass Earth gravity"),
    "j2": Key("bool", True, doc="Earth oblateness J2"),
    "j3_j4": Key("bool", False, doc="zonal J3, J4"),
    "drag": Key("choice", "msis", choices=("msis", "exponential", "none"), doc="atmosphere model"),
    "cd": Key("float", 2.2, **POS, doc="drag coefficient"),
    "f107_sfu": Key("float", 100.0, low=50.0, high=400.0, doc="F10.7 solar flux: the previous day's observed value (NRLMSIS convention, reference §1.2)"),
    "f107a_sfu": Key("float", 100.0, low=50.0, high=400.0, doc="F10.7 81-day mean"),
    "ap": Key("float", 10.0, low=0.0, high=400.0, doc="geomagnetic Ap index"),
    "gravity_gradient": Key("bool", True, doc="gravity-gradient torque"),
    "aero_torque": Key("bool", True, doc="aerodynamic torque"),
    "sun_moon": Key("bool", False, doc="Sun and Moon third-body gravity"),
    "srp": Key("bool", False, doc="solar radiation pressure"),
    "reentry_altitude_km": Key("float", 120.0, low=0.0, doc="stop a body's run below this altitude"),
}
BODY = {
    "name": Key("str", REQUIRED, doc="unique name"),
    "mass_kg": Key("float", REQUIRED, **POS, doc="mass"),
    "inertia_kgm2": Key("inertia", None, doc="[Ixx, Iyy, Izz] or a 3x3 tensor about the CoM, body axes"),
    "box_m": Key("vec3", None, doc="box edge lengths along body x, y, z: gives inertia and drag areas"),
    "cylinder_radius_m": Key("float", None, **POS, doc="cylinder along body x: radius"),
    "cylinder_length_m": Key("float", None, **POS, doc="cylinder along body x: length"),
    "drag_area_m2": Key("float", None, **NONNEG, doc="projected area, same from every side (overrides the shape's table)"),
    "cd": Key("float", 2.2, **POS, doc="drag coefficient"),
    "srp_area_m2": Key("float", 0.0, **NONNEG, doc="area for solar radiation pressure"),
    "cr": Key("float", 1.3, low=0.0, high=2.0, doc="radiation pressure coefficient"),
    "relative_to": Key("str", None, doc="place this body relative to another, in that body's LVLH frame"),
    "r_lvlh_m": Key("vec3", (0.0, 0.0, 0.0), doc="position relative to 'relative_to', its LVLH axes"),
    "v_lvlh_mps": Key("vec3", (0.0, 0.0, 0.0), doc="velocity relative to 'relative_to', seen in its rotating LVLH"),
    "r_gcrs_m": Key("vec3", None, doc="absolute position (instead of [orbit] or relative_to)"),
    "v_gcrs_mps": Key("vec3", None, doc="absolute velocity"),
    "q_lvlh_from_body": Key("vec4", (1.0, 0.0, 0.0, 0.0), doc="initial attitude in the body's own LVLH (w,x,y,z)"),
    "omega_body_radps": Key("vec3", None, doc="initial angular velocity, body axes; default = LVLH rate (no tumble)"),
    "attitude": Key("choice", "free", choices=("free", "lvlh_hold"), doc="attitude mode"),
}
LATCH = {
    "name": Key("str", REQUIRED, doc="latch name (used by [release] latch)"),
    "body_a": Key("str", REQUIRED, doc="first body"),
    "body_b": Key("str", REQUIRED, doc="second body"),
    "port_a_body_m": Key("vec3", REQUIRED, doc="port position in body_a's frame"),
    "port_b_body_m": Key("vec3", REQUIRED, doc="port position in body_b's frame"),
    "axis_body": Key("vec3", (1.0, 0.0, 0.0), doc="docking axis, from a towards b, in both bodies' axes"),
}
IMPULSE = {
    "body": Key("str", REQUIRED, doc="which body"),
    "t_s": Key("float", 0.0, **NONNEG, doc="when; dv_lvlh_mps only at t_s = 0"),
    "dv_lvlh_mps": Key("vec3", None, doc="velocity change in the body's LVLH axes (at t_s = 0)"),
    "dv_body_mps": Key("vec3", None, doc="velocity change along body axes: a 1-s burn at t_s through the CoM"),
}

TABLES = {"time": TIME, "orbit": ORBIT, "station": STATION, "forces": FORCES}  # [release]: loader
ARRAYS = {"burn": BURN, "body": BODY, "latch": LATCH, "impulse": IMPULSE}
ATTITUDE_MODES = ("free", "lvlh_hold")


def check_table(raw: dict, spec: dict, path: str, source: str) -> dict:
    """Validate one TOML table against its spec; return {key: value} with defaults filled in."""
    if not isinstance(raw, dict):
        raise ScenarioError(source, path, "expected a table")
    for key in raw:
        if key not in spec:
            raise ScenarioError(source, _join(path, key), "unknown key" + suggest(key, spec))
    out = {}
    for key, k in spec.items():
        if key in raw:
            out[key] = check_value(raw[key], k, _join(path, key), source)
        elif k.default is REQUIRED:
            raise ScenarioError(source, _join(path, key), "missing value (required)")
        else:
            out[key] = k.default
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check_value(value: Any, k: Key, path: str, source: str) -> Any:
    """Type, shape and range check of one value; returns it as float/int/tuple."""
    def fail(problem):
        raise ScenarioError(source, path, problem)

    if k.kind == "bool":
        if not isinstance(value, bool):
            fail(f"expected true or false, got {value!r}")
        return value
    if k.kind in ("str", "choice"):
        if not isinstance(value, str):
            fail(f"expected a string, got {value!r}")
        if k.choices and value not in k.choices:
            fail(f"'{value}' is not one of {', '.join(k.choices)}" + suggest(value, k.choices))
        return value
    if k.kind in ("float", "int"):
        return _number(value, k, fail)
    if k.kind in ("vec2", "vec3", "vec4"):
        return _vector(value, int(k.kind[-1]), fail)
    if k.kind == "inertia":
        return _inertia(value, fail)
    if k.kind == "vehicles":
        if isinstance(value, bool):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        fail(f"expected true, false or a list of element ids, got {value!r}")
    raise AssertionError(k.kind)


def _number(value, k: Key, fail):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"expected a number, got {value!r}")
    if k.kind == "int" and not isinstance(value, int):
        fail(f"expected a whole number, got {value!r}")
    if not math.isfinite(value):
        fail(f"expected a finite number, got {value!r}")
    if k.low is not None and (value < k.low or (k.low_open and value == k.low)):
        fail(f"{value!r} is too small (must be {'>' if k.low_open else '>='} {k.low:g})")
    if k.high is not None and value > k.high:
        fail(f"{value!r} is too large (must be <= {k.high:g})")
    return int(value) if k.kind == "int" else float(value)


def _vector(value, n: int, fail) -> tuple:
    ok = isinstance(value, list) and len(value) == n and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value)
    if not ok:
        fail(f"expected a list of {n} numbers, got {value!r}")
    return tuple(float(x) for x in value)


def _inertia(value, fail) -> tuple:
    if isinstance(value, list) and len(value) == 3 and all(isinstance(r, list) for r in value):
        rows = [_vector(r, 3, fail) for r in value]
        return tuple(rows)
    diag = _vector(value, 3, lambda p: fail("expected [Ixx, Iyy, Izz] or a 3x3 list of lists"))
    return ((diag[0], 0.0, 0.0), (0.0, diag[1], 0.0), (0.0, 0.0, diag[2]))
