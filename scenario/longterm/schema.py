"""The [long_term] table of a scenario: months to years of decay after the 6-DOF run (issue 7).

docs/scenarios.md documents every key (checked by tests/test_scenario_docs.py). The physics is
physics/longterm/decay.py (docs/decay.md); this module only reads and checks the keys.
"""
from __future__ import annotations

from scenario.errors import ScenarioError, suggest
from scenario.schema import NONNEG, POS, REQUIRED, Key
from scenario.validate import check_table, check_value

ACTIVITIES = ("low", "moderate", "high", "observed", "forecast-2022", "forecast-2022-high", "forecast-2022-low",
              "predicted-2019")
SPREAD = ("low", "moderate", "high")
VEHICLE_TYPES = ("progress", "cygnus", "dragon")
MAX_DAYS = 7305.0         # 20 years; the observed/outlook table ends in Dec 2032 anyway

LONG_TERM = {
    "start": Key("choice", "split", choices=("split", "docked"),
                 doc="'split': each segment from its state at the end of the 6-DOF run; 'docked': the docked station as one body 'ISS' from [orbit] (a TLE: its SGP4 mean elements at the TLE epoch)"),
    "duration_days": Key("float", 365.25, low=1.0, high=MAX_DAYS, doc="length of the long run (a body stops at reentry)"),
    "until_reentry": Key("bool", False, doc="run until every body has re-entered (at most 20 years or the end of the activity table); duration_days is then ignored"),
    "activity": Key("choice", "observed", choices=ACTIVITIES,
                    doc="solar activity: observed history (with the CelesTrak outlook after 2026 as the solar-cycle profile); forecast-2022 (NOAA SWPC cycle-25 forecast as issued in Dec 2021; -high / -low: the edges of its published range; predicted-2019 = forecast-2022); low/moderate/high: ECSS constant design bounds"),
    "atmosphere": Key("choice", "msis", choices=("msis", "reference-estimate"),
                      doc="'msis': NRLMSIS 2.1 with the solar activity; 'reference-estimate': the reference's lifetime ESTIMATE model (Vallado exponential table scaled to 45 m/day at 418 km for B = 170 kg/m^2, spherical Earth, atmosphere not rotating; activity ignored), to rerun that published figure"),
    "spread": Key("bool", False, doc="also run the ECSS constant design bounds low, moderate and high (labelled as such: constant levels held for years are not a forecast)"),
    "compare_without_reboosts": Key("bool", True, doc="when there are reboosts, also run without them (for the plot and summary)"),
    "max_step_days": Key("float", None, low=0.01, high=10.0, doc="largest propagator step (default: 1 day where the activity changes day by day, 10 days with a constant level or the smooth monthly part of a table)"),
    "drag_calibration": Key("bool", True, doc="multiply each mesh-derived Cd x A by the effective drag scale fitted by `python main.py calibrate` (assets/tles/drag_calibration.toml); a body's own area_m2 is used as given"),
    "headline": Key("bool", False, doc="also print the reentry dates per segment for each attitude mode, with the calibration range, under observed activity and under the NOAA SWPC forecast of Dec 2021 with its band (scenario.longterm.headline)"),
    "reentry_altitude_km": Key("float", 120.0, low=80.0, high=200.0, doc="a body has re-entered when its lowest point reaches this altitude"),
    "reference_tle_line1": Key("str", None, max_len=80, doc="a later TLE of the same object (with start = 'docked' and a TLE orbit): the run ends at its epoch and the summary compares the decay"),
    "reference_tle_line2": Key("str", None, max_len=80, doc="its line 2"),
}
# [long_term.body.NAME]: NAME = ROS, USOS (start = "split") or ISS (start = "docked")
LT_BODY = {
    "attitude": Key("choice", "flight", choices=("flight", "edge-on", "tumbling"),
                    doc="'flight': +XVV held (US: CMGs; ROS: its thrusters), arrays tracking the Sun, so the mesh's along-wind area varies around the orbit; 'edge-on': +XVV with the arrays feathered edge-on (SARJ 0); 'tumbling': attitude lost, orientation-averaged area (the playback tumbles)"),
    "cd": Key("float", 2.2, **POS, high=10.0, doc="drag coefficient"),
    "area_m2": Key("float", None, **NONNEG, high=1e5, doc="drag area instead of the one from the station mesh"),
    "mass_kg": Key("float", None, low=1.0, high=1e7, doc="mass instead of the station model's"),
}
LT_VEHICLE = {
    "name": Key("str", REQUIRED, max_len=64, doc="shown in events and the summary, e.g. 'Cygnus NG-17'"),
    "type": Key("choice", REQUIRED, choices=VEHICLE_TYPES, doc="preset thrust, Isp, propellant and longest burn (physics/longterm/decay.py, docs/decay.md)"),
    "body": Key("str", REQUIRED, doc="the body it is docked to and pushes (ROS, USOS or ISS)"),
    "thrust_n": Key("float", None, low=0.1, high=1e5, doc="instead of the preset"),
    "isp_s": Key("float", None, low=1.0, high=1e5, doc="instead of the preset"),
    "propellant_kg": Key("float", None, **NONNEG, high=1e5, doc="propellant available for reboosts, instead of the preset"),
    "max_burn_s": Key("float", None, low=1.0, high=1e5, doc="longest single burn, instead of the preset"),
}
LT_REBOOST = {
    "vehicle": Key("str", REQUIRED, doc="name of a [[long_term.vehicle]]"),
    "t_days": Key("float", None, **NONNEG, high=MAX_DAYS, doc="scheduled burn: when, days after the long run's start"),
    "duration_s": Key("float", None, low=0.1, high=1e5, doc="scheduled burn: length (at most the vehicle's max_burn_s)"),
    "keep_above_km": Key("float", None, low=150.0, high=1000.0, doc="altitude keeping: burn when the mean altitude falls below this"),
    "raise_to_km": Key("float", None, low=150.0, high=1000.0, doc="altitude keeping: burn up to this mean altitude (default keep_above_km + 5)"),
}


# The whole [long_term] table for the one validator (scenario/validate.py): sub-tables declared as Keys.
LONG_TERM_TABLE = {**LONG_TERM,
                   "body": Key("named", {}, spec=LT_BODY, max_len=8),
                   "vehicle": Key("array", (), spec=LT_VEHICLE, max_len=64),
                   "reboost": Key("array", (), spec=LT_REBOOST, max_len=10_000)}


def parse(raw, source: str, start_names):
    """Validate the [long_term] table: a typed section with 'body' (every body of the long run,
    defaults filled in), 'vehicle' and 'reboost'."""
    lt = check_value(raw, Key("table", spec=LONG_TERM_TABLE), "long_term", source)
    names = ("ISS",) if lt["start"] == "docked" else tuple(start_names)
    bodies = _bodies(lt["body"], names, source)
    reboosts = tuple(_reboost(r, f"long_term.reboost[{i}]", source) for i, r in enumerate(lt["reboost"]))
    lt = lt.replace(body=bodies, reboost=reboosts)
    if lt["atmosphere"] == "reference-estimate" and lt["spread"]:
        raise ScenarioError(source, "long_term.spread", "not with atmosphere = \"reference-estimate\" "
                            "(it has no solar activity)")
    _check_vehicles(lt, names, source)
    _check_reference(lt, source)
    return lt


def _bodies(checked: dict, names: tuple, source: str) -> dict:
    for name in checked:
        if name not in names:
            raise ScenarioError(source, f"long_term.body.{name}", f"no such body in the long run "
                                f"(bodies: {', '.join(names)})" + suggest(name, names))
    return {n: checked.get(n) or check_table({}, LT_BODY, f"long_term.body.{n}", source, "long_term.body")
            for n in names}


def _reboost(r, key: str, source: str):
    """Fill raise_to_km (default keep_above_km + 5) and check it is above keep_above_km."""
    if r["keep_above_km"] is None:
        return r
    if r["raise_to_km"] is None:
        r = r.replace(raise_to_km=r["keep_above_km"] + 5.0)
    if r["raise_to_km"] <= r["keep_above_km"]:
        raise ScenarioError(source, f"{key}.raise_to_km", "must be above keep_above_km")
    return r


def _check_vehicles(lt: dict, names: tuple, source: str) -> None:
    seen = []
    for i, v in enumerate(lt["vehicle"]):
        if v["body"] not in names:
            raise ScenarioError(source, f"long_term.vehicle[{i}].body", f"no such body '{v['body']}' "
                                f"(bodies: {', '.join(names)})" + suggest(v["body"], names))
        if v["name"] in seen:
            raise ScenarioError(source, f"long_term.vehicle[{i}].name", f"two vehicles are named '{v['name']}'")
        seen.append(v["name"])
    for i, r in enumerate(lt["reboost"]):
        key = f"long_term.reboost[{i}]"
        if r["vehicle"] not in seen:
            raise ScenarioError(source, f"{key}.vehicle", f"no such vehicle '{r['vehicle']}'" + suggest(r["vehicle"], seen))
        scheduled = r["t_days"] is not None or r["duration_s"] is not None
        keeping = r["keep_above_km"] is not None or r["raise_to_km"] is not None
        if scheduled == keeping:
            raise ScenarioError(source, f"{key}.t_days", "give either t_days + duration_s (scheduled) "
                                "or keep_above_km (altitude keeping)")
        if scheduled and (r["t_days"] is None or r["duration_s"] is None):
            raise ScenarioError(source, f"{key}.{'duration_s' if r['t_days'] is not None else 't_days'}",
                                "missing value (t_days and duration_s go together)")
        if keeping and r["keep_above_km"] is None:
            raise ScenarioError(source, f"{key}.keep_above_km", "missing value (needed with raise_to_km)")


def _check_reference(lt: dict, source: str) -> None:
    l1, l2 = lt["reference_tle_line1"], lt["reference_tle_line2"]
    if (l1 is None) != (l2 is None):
        raise ScenarioError(source, "long_term.reference_tle_line2" if l2 is None else "long_term.reference_tle_line1",
                            "missing value (reference_tle_line1 and reference_tle_line2 go together)")
    if l1 is not None and lt["start"] != "docked":
        raise ScenarioError(source, "long_term.reference_tle_line1", "needs start = \"docked\"")
