"""The scenario file format: every key, its type, unit (in its name) and default.

docs/scenarios.md documents the same table; tests/test_scenario_docs.py checks that every key
below appears there and that every example there loads. A key's unit is in its name (duration_s,
thrust_n, f107_sfu); values are plain TOML numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


REQUIRED = object()  # default marker: the key must be given


@dataclass(frozen=True)
class Key:
    """One key: its kind, default, physical range and doc line. Other modules declare their own
    sections with it ([environment], [ensemble]: `register_section`); scenario/validate.py checks them all."""
    kind: str            # float, int, bool, str, vec2, vec3, vec4, inertia, vehicles, choice; table, array, named
    default: Any = None  # None = optional (absent); REQUIRED = must be given
    low: float | None = None        # inclusive lower bound (numbers; each component's |x| for vectors: see norm_high)
    low_open: bool = False          # lower bound exclusive
    high: float | None = None       # inclusive upper bound (numbers)
    choices: tuple = ()
    doc: str = ""
    norm_high: float | None = None  # vectors: largest length |v| (and inertia: largest component)
    nonzero: bool = False           # vectors: the zero vector is refused
    multiline: bool = False         # strings: newlines and tabs allowed (free text)
    max_len: int = 256              # strings: longest value (characters); arrays: most entries
    spec: dict | None = None        # table / array / named: the keys of the sub-table


POS = dict(low=0.0, low_open=True)   # strictly positive
NONNEG = dict(low=0.0)
YEAR_S = 3.16e7                      # one year: the longest 6-DOF run (months of decay: [long_term])
FAR_M = 1.0e9                        # beyond the Moon's distance: no position in a scenario is farther
FAST_MPS = 3.0e4                     # above any Earth orbit's speed (escape at 200 km: 11 km/s)
BIG_M = 1.0e3                        # a point on or around a body (the ISS is 109 m across)

TOP = {
    "title": Key("str", "", doc="one-line title shown in the app and the summary"),
    "description": Key("str", "", multiline=True, max_len=100_000, doc="free text"),
    "check": Key("choice", "none", choices=("none", "kepler-period", "cw", "j2-node-rate", "torque-free",
                                            "gg-libration", "drag-decay", "separation-energy"),
                 doc="validation scenarios: print the measured figure against its independent reference (scenario/checks.py)"),
}
TIME = {
    "epoch_utc": Key("str", REQUIRED, doc="ISO 8601 UTC start, e.g. 2022-03-05T12:00:00Z"),
    "duration_s": Key("float", REQUIRED, **POS, high=YEAR_S, doc="length of the run"),
    "output_interval_s": Key("float", 1.0, low=1e-3, high=86400.0, doc="spacing of the output samples"),
    "max_step_s": Key("float", 30.0, low=1e-3, high=3600.0, doc="largest integrator step (also kept below 0.025 rad per step of the fastest initial spin of a body not holding LVLH)"),
}
ORBIT = {
    "tle_file": Key("str", None, max_len=4096, doc="assets/tles/NAME.tle or a path; the set with the epoch nearest the scenario's is used"),
    "tle_name": Key("str", None, doc="use the set with this name line from tle_file instead"),
    "tle_line1": Key("str", None, max_len=80, doc="TLE line 1 (with tle_line2, instead of tle_file)"),
    "tle_line2": Key("str", None, max_len=80, doc="TLE line 2"),
    "r_gcrs_m": Key("vec3", None, norm_high=FAR_M, doc="state vector: position of the first body / station CoM"),
    "v_gcrs_mps": Key("vec3", None, norm_high=FAST_MPS, doc="state vector: velocity"),
    "circular_altitude_km": Key("float", None, low=100.0, high=100000.0,
                                doc="circular orbit at this altitude above the equatorial radius, starting over the equator"),
    "inclination_deg": Key("float", 51.64, low=0.0, high=180.0, doc="inclination of the circular orbit"),
    "ccsds_file": Key("str", None, max_len=4096, doc="a CCSDS OPM, or an OEM (its first state); KVN or XML; its EPOCH must be time.epoch_utc (docs/formats.md)"),
    "ccsds_object": Key("str", None, doc="with ccsds_file: the OEM segment (or OPM) with this OBJECT_NAME; default the first"),
}
STATION = {
    "file": Key("str", "", max_len=4096, doc="station file; empty = the bundled assets/station/iss_2022-03-05.toml"),
    "vehicles": Key("vehicles", True, max_len=200, doc="visiting vehicles aboard: true, false, or a list of element ids"),
    "q_lvlh_from_body": Key("vec4", (1.0, 0.0, 0.0, 0.0), nonzero=True, norm_high=1e6, doc="docked attitude (w,x,y,z); identity = +XVV"),
}
RELEASE = {
    "latch": Key("str", "interface", doc="which latched port opens ('interface' = Zarya/PMA-1 APAS)"),
    "time_s": Key("float", 10.0, **NONNEG, high=YEAR_S, doc="when the hooks open, seconds after the epoch"),
}
# ESTIMATE: APAS pusher energy is not published (reference section 5). Scaled from Soyuz
# (0.10 m/s off a ~470 t station = ~35 J of spring energy). Each pusher pushes with
# F(x) = preload - k x over its stroke s, storing preload*s - k s^2/2 = 375*0.03 - 5000*0.03^2/2
# = 9.0 J; four of them 36 J. Between ROS (~101 t) and USOS (~375 t), reduced mass ~79.6 t:
# dv = sqrt(2 E / mu) = sqrt(72 / 79600) = 0.030 m/s relative.
PUSHERS = {
    "count": Key("int", 4, low=0, high=64, doc="number of spring pushers on the port ring (0 = none)"),
    "stiffness_n_per_m": Key("float", 5000.0, **NONNEG, high=1e7, doc="spring rate of each pusher"),
    "preload_n": Key("float", 375.0, **NONNEG, high=1e5, doc="force of each pusher at full compression"),
    "stroke_m": Key("float", 0.03, **POS, high=1.0, doc="travel until the pusher leaves contact"),
    "ring_radius_m": Key("float", 0.8, **NONNEG, high=10.0, doc="radius of the circle the pushers sit on"),
    "offset_m": Key("vec2", (0.0, 0.0), norm_high=10.0, doc="shift of the ring centre in the port's y-z plane (off-axis push)"),
}
BURN = {
    "body": Key("str", REQUIRED, doc="ROS, USOS or a custom body name"),
    "start_s": Key("float", REQUIRED, **NONNEG, high=YEAR_S, doc="ignition, seconds after the epoch"),
    "duration_s": Key("float", REQUIRED, low=1e-3, high=1e6, doc="burn length"),
    "thrust_n": Key("float", REQUIRED, **POS, high=1e7, doc="total thrust"),
    "point_ssacs_m": Key("vec3", None, norm_high=BIG_M, doc="where the force acts, SSACS (segments only)"),
    "point_body_m": Key("vec3", None, norm_high=BIG_M, doc="where the force acts, body frame (origin at CoM)"),
    "direction_ssacs": Key("vec3", None, nonzero=True, norm_high=1e6, doc="direction of the force on the body, SSACS axes (normalised)"),
    "direction_body": Key("vec3", None, nonzero=True, norm_high=1e6, doc="direction of the force on the body, body axes (normalised)"),
    "isp_s": Key("float", None, low=1.0, high=1e5, doc="specific impulse; if given the body's mass drops"),
    "label": Key("str", "", doc="name shown in events and plots"),
}
FORCES = {
    "central": Key("bool", True, doc="point-mass Earth gravity"),
    "j2": Key("bool", True, doc="Earth oblateness J2"),
    "j3_j4": Key("bool", False, doc="zonal J3, J4"),
    "drag": Key("choice", "msis", choices=("msis", "exponential", "none"), doc="atmosphere model"),
    "cd": Key("float", 2.2, **POS, high=10.0, doc="drag coefficient"),
    "f107_sfu": Key("float", 100.0, low=50.0, high=400.0, doc="F10.7 solar flux: the previous day's observed value (NRLMSIS convention, reference §1.2)"),
    "f107a_sfu": Key("float", 100.0, low=50.0, high=400.0, doc="F10.7 81-day mean"),
    "ap": Key("float", 10.0, low=0.0, high=400.0, doc="geomagnetic Ap index"),
    "gravity_gradient": Key("bool", True, doc="gravity-gradient torque"),
    "aero_torque": Key("bool", True, doc="aerodynamic torque"),
    "sun_moon": Key("bool", False, doc="Sun and Moon third-body gravity"),
    "srp": Key("bool", False, doc="solar radiation pressure"),
    "reentry_altitude_km": Key("float", 120.0, low=0.0, high=1000.0, doc="stop a body's run below this altitude"),
}
BODY = {
    "name": Key("str", REQUIRED, max_len=64, doc="unique name"),
    "mass_kg": Key("float", REQUIRED, low=1e-3, high=1e7, doc="mass"),
    "inertia_kgm2": Key("inertia", None, norm_high=1e12, doc="[Ixx, Iyy, Izz] or a 3x3 tensor about the CoM, body axes"),
    "box_m": Key("vec3", None, norm_high=BIG_M, doc="box edge lengths along body x, y, z: gives inertia and drag areas"),
    "cylinder_radius_m": Key("float", None, **POS, high=BIG_M, doc="cylinder along body x: radius"),
    "cylinder_length_m": Key("float", None, **POS, high=BIG_M, doc="cylinder along body x: length"),
    "drag_area_m2": Key("float", None, **NONNEG, high=1e5, doc="projected area, same from every side (overrides the shape's table)"),
    "cd": Key("float", 2.2, **POS, high=10.0, doc="drag coefficient"),
    "srp_area_m2": Key("float", 0.0, **NONNEG, high=1e5, doc="area for solar radiation pressure"),
    "cr": Key("float", 1.3, low=0.0, high=2.0, doc="radiation pressure coefficient"),
    "relative_to": Key("str", None, doc="place this body relative to another, in that body's LVLH frame"),
    "r_lvlh_m": Key("vec3", (0.0, 0.0, 0.0), norm_high=1e7, doc="position relative to 'relative_to', its LVLH axes"),
    "v_lvlh_mps": Key("vec3", (0.0, 0.0, 0.0), norm_high=FAST_MPS, doc="velocity relative to 'relative_to', seen in its rotating LVLH"),
    "r_gcrs_m": Key("vec3", None, norm_high=FAR_M, doc="absolute position (instead of [orbit] or relative_to)"),
    "v_gcrs_mps": Key("vec3", None, norm_high=FAST_MPS, doc="absolute velocity"),
    "q_lvlh_from_body": Key("vec4", (1.0, 0.0, 0.0, 0.0), nonzero=True, norm_high=1e6, doc="initial attitude in the body's own LVLH (w,x,y,z)"),
    "omega_body_radps": Key("vec3", None, norm_high=10.0, doc="initial angular velocity, body axes; default = LVLH rate (no tumble)"),
    "attitude": Key("choice", "free", choices=("free", "lvlh_hold"), doc="attitude mode"),
}
LATCH = {
    "name": Key("str", REQUIRED, doc="latch name (used by [release] latch)"),
    "body_a": Key("str", REQUIRED, doc="first body"),
    "body_b": Key("str", REQUIRED, doc="second body"),
    "port_a_body_m": Key("vec3", REQUIRED, norm_high=BIG_M, doc="port position in body_a's frame"),
    "port_b_body_m": Key("vec3", REQUIRED, norm_high=BIG_M, doc="port position in body_b's frame"),
    "axis_body": Key("vec3", (1.0, 0.0, 0.0), nonzero=True, norm_high=1e6, doc="docking axis, from a towards b, in both bodies' axes"),
}
IMPULSE = {
    "body": Key("str", REQUIRED, doc="which body"),
    "t_s": Key("float", 0.0, **NONNEG, high=YEAR_S, doc="when; dv_lvlh_mps only at t_s = 0"),
    "dv_lvlh_mps": Key("vec3", None, norm_high=1e4, doc="velocity change in the body's LVLH axes (at t_s = 0)"),
    "dv_body_mps": Key("vec3", None, norm_high=1e4, doc="velocity change along body axes: a 1-s burn at t_s through the CoM"),
}

TABLES = {"time": TIME, "orbit": ORBIT, "station": STATION, "forces": FORCES}  # [release]: loader
ARRAYS = {"burn": BURN, "body": BODY, "latch": LATCH, "impulse": IMPULSE}
ATTITUDE_MODES = ("free", "lvlh_hold")
MAX_ITEMS = {"burn": 1000, "body": 64, "latch": 64, "impulse": 1000}   # [[...]] entries at most

# The whole document, section by section: what scenario/validate.py walks. A table with default {}
# is filled with its defaults when absent; None: absent stays None.
DOCUMENT: dict = {
    **TOP,
    "time": Key("table", {}, spec=TIME),
    "orbit": Key("table", {}, spec=ORBIT),
    "station": Key("table", None, spec=STATION),
    "release": Key("table", None, spec={**RELEASE, "pushers": Key("table", {}, spec=PUSHERS)}),
    "forces": Key("table", {}, spec=FORCES),
    **{name: Key("array", (), spec=spec, max_len=MAX_ITEMS[name]) for name, spec in ARRAYS.items()},
    "attitude": Key("named", {}, choices=ATTITUDE_MODES, max_len=64),
}


def register_section(name: str, spec: dict, default=None) -> None:
    """Declare a new top-level [NAME] table (e.g. [environment], [ensemble]) made of `Key`s: the one
    validator checks it like the others and `Scenario.section(NAME)` returns it typed. Document
    every key in docs/scenarios.md (tests/test_scenario_docs.py)."""
    if name in DOCUMENT and DOCUMENT[name].spec is not spec:
        raise ValueError(f"scenario section [{name}] is declared twice")
    DOCUMENT[name] = Key("table", default, spec=spec)


def unit_of(key: str) -> str:
    """The unit in a key's name (duration_s -> s, n_per_m -> N/m); '' for none."""
    for suffix, unit in UNITS:
        if key.endswith(suffix):
            return unit
    return ""


UNITS = (("_n_per_m", "N/m"), ("_kgm2", "kg m^2"), ("_radps", "rad/s"), ("_mps", "m/s"), ("_m2", "m^2"),
         ("_km", "km"), ("_kg", "kg"), ("_deg", "deg"), ("_days", "days"), ("_sfu", "sfu"), ("_s", "s"),
         ("_n", "N"), ("_m", "m"))


def allowed_text(key: str, k: Key) -> str:
    """The 'allowed' column of docs/scenarios.md for one key (the test compares the two)."""
    unit = unit_of(key)
    u = f" {unit}" if unit else ""
    if k.choices:
        return " / ".join(f'"{c}"' for c in k.choices)
    parts = []
    if k.kind in ("float", "int"):
        if k.low is not None:
            parts.append(f"{'>' if k.low_open else '≥'} {k.low:g}{u}")
        if k.high is not None:
            parts.append(f"≤ {k.high:g}{u}")
    elif k.kind.startswith("vec") or k.kind == "inertia":
        if k.nonzero:
            parts.append("not zero")
        if k.norm_high is not None:
            parts.append(f"{'each component ≤' if k.kind == 'inertia' else 'length ≤'} {k.norm_high:g}{u}")
    elif k.kind == "str":
        parts.append(f"≤ {k.max_len:,} characters" + ("" if k.multiline else ", one line"))
    return ", ".join(parts)
