"""The scenario's [environment] table: the Earth a run flies around, as data (docs/scenarios.md).

    [environment]
    earth = "egm96"                  # a named gravity set (mu, R, J2, J3, J4 belong together), or
    # earth = "custom" with mu_m3ps2, r_eq_m, j2, j3, j4 all given (a set from a textbook or a tool)
    pole = "true-of-date"            # J2-J4 axis: "true-of-date" or "gcrs-z"

    [environment.atmosphere]
    altitude = "geodetic"            # density altitude: WGS84 "geodetic" or "spherical" |r| - R
    rotates = true                   # co-rotating atmosphere (false: still air, v_rel = v)
    rho0_kgpm3 = 3.725e-12           # one-band exponential (all three or none; [forces] drag = "exponential")
    h0_km = 400.0
    scale_height_km = 58.515

Both engines read the result (physics.environment.Environment) as run inputs.
"""
from __future__ import annotations

from physics.constants import EARTH_GRAVITY
from scenario import schema
from scenario.errors import ScenarioError
from scenario.schema import Key

ENVIRONMENT = {
    "earth": Key("choice", "egm96", choices=tuple(EARTH_GRAVITY) + ("custom",),
                 doc="gravity set: egm96 (R = 6378136.3 m), wgs84 (R = 6378137 m, the ellipsoid's own J2, J4) or custom"),
    "mu_m3ps2": Key("float", None, low=3.9e14, high=4.1e14, doc="custom set: Earth's GM (every published set: 3.986e14)"),
    "r_eq_m": Key("float", None, low=6.0e6, high=7.0e6, doc="custom set: reference radius of J2-J4"),
    "j2": Key("float", None, low=-1e-2, high=1e-2, doc="custom set: unnormalised J2 (0 switches the term off)"),
    "j3": Key("float", None, low=-1e-2, high=1e-2, doc="custom set: unnormalised J3"),
    "j4": Key("float", None, low=-1e-2, high=1e-2, doc="custom set: unnormalised J4"),
    "pole": Key("choice", "true-of-date", choices=("true-of-date", "gcrs-z"),
                doc="axis of the zonal harmonics: the true pole of date or the GCRS z axis (textbook cases)"),
}
ATMOSPHERE = {
    "altitude": Key("choice", "geodetic", choices=("geodetic", "spherical"),
                    doc="density altitude: WGS84 geodetic, or spherical |r| - r_eq of the gravity set"),
    "rotates": Key("bool", True, doc="the atmosphere turns with the Earth (false: still air, v_rel = v)"),
    "rho0_kgpm3": Key("float", None, low=1e-16, high=2.0, doc="one-band exponential atmosphere: density at h0_km"),
    "h0_km": Key("float", None, low=0.0, high=2000.0, doc="one-band exponential atmosphere: base altitude"),
    "scale_height_km": Key("float", None, low=1.0, high=1000.0, doc="one-band exponential atmosphere: scale height"),
}
_CUSTOM = ("mu_m3ps2", "r_eq_m", "j2", "j3", "j4")
_BAND = ("rho0_kgpm3", "h0_km", "scale_height_km")


SPEC = {**ENVIRONMENT, "atmosphere": Key("table", {}, spec=ATMOSPHERE)}
schema.register_section("environment", SPEC, default={})     # checked by scenario/validate.py


def read_environment(section, source: str) -> dict:
    """[environment] as checked by the one validator (scenario/validate.py; None: the defaults), with
    the checks over several keys; a plain dict ({..., "atmosphere": {...}}); ScenarioError on bad input."""
    if section is None:
        from scenario.validate import check_table
        section = check_table({}, SPEC, "environment", source)
    env, atm = dict(section), dict(section["atmosphere"])
    given = [k for k in _CUSTOM if env[k] is not None]
    if env["earth"] == "custom" and len(given) < len(_CUSTOM):
        missing = next(k for k in _CUSTOM if env[k] is None)
        raise ScenarioError(source, f"environment.{missing}", "missing value (earth = \"custom\" needs all of "
                            + ", ".join(_CUSTOM) + ")")
    if env["earth"] != "custom" and given:
        raise ScenarioError(source, f"environment.{given[0]}", f"a value for the named set '{env['earth']}' "
                            "(its constants go together): set earth = \"custom\" and give all five")
    band = [k for k in _BAND if atm[k] is not None]
    if band and len(band) < len(_BAND):
        missing = next(k for k in _BAND if atm[k] is None)
        raise ScenarioError(source, f"environment.atmosphere.{missing}", "missing value (a one-band "
                            "exponential atmosphere needs rho0_kgpm3, h0_km and scale_height_km)")
    return {**env, "atmosphere": atm}


def run_environment(sc):
    """The scenario's physics.environment.Environment (its [environment], or the defaults): the one
    place build (the run) and checks (the printed figures) get it from."""
    return physics_environment(sc.environment or read_environment(None, sc.source))


def physics_environment(env: dict):
    """The validated table as physics.environment.Environment."""
    from physics.constants import EarthGravity
    from physics.environment import Environment, ExponentialBand
    if env["earth"] == "custom":
        gravity = EarthGravity("custom", *(env[k] for k in _CUSTOM))
    else:
        gravity = EARTH_GRAVITY[env["earth"]]
    atm = env["atmosphere"]
    band = None if atm["rho0_kgpm3"] is None else ExponentialBand(*(atm[k] for k in _BAND))
    return Environment(gravity=gravity, pole=env["pole"], altitude=atm["altitude"], rotates=atm["rotates"],
                       exponential=band)
