"""The [ensemble] table of a scenario: members, seed and one dispersion per uncertain input.

Every key has its unit in its name, a default and a one-line error (scenario.schema vocabulary);
docs/scenarios.md lists them, docs/ensemble.md gives each dispersion's source. scenario/loader.py
calls `parse` only when the file has an [ensemble] table (lazy import: scenario/ does not need us).
"""
from __future__ import annotations

from scenario.errors import ScenarioError
from scenario.schema import NONNEG, POS, Key
from scenario.validate import check_table

USOS_MODES = ("flight", "edge-on", "tumbling")
ROS_MODES = ("flight", "tumbling")

ENSEMBLE = {
    "members": Key("int", 100, low=1, high=100000, doc="number of members (the command's --members overrides it)"),
    "seed": Key("int", 0, low=0, high=2**63 - 1, doc="root seed: member i's inputs come from (seed, i) alone (numpy SeedSequence, spawn key i)"),
    "members_per_task": Key("int", 0, **NONNEG, high=10000, doc="members per Dask task (0 = automatic: 25 for separation runs, 250 for reentry runs)"),
    "kind": Key("choice", "auto", choices=("auto", "separation", "reentry"),
                doc="what each member runs: 'separation' (release + the scenario's 6-DOF span: hull distance, recontact, drift), 'reentry' (the [long_term] decay of both segments to reentry), 'auto' (reentry when the file has [long_term])"),
    "output_interval_s": Key("float", 10.0, **POS, high=3600.0, doc="separation members: output sampling of each member's run (the hull distance is evaluated at every sample)"),
    "pusher_energy_sigma_pct": Key("float", 25.0, **NONNEG, high=100.0, doc="1-sigma scatter of the total spring energy (log-normal, percent); the 36 J is an ESTIMATE"),
    "spring_sigma_pct": Key("float", 5.0, **NONNEG, high=50.0, doc="1-sigma scatter of each spring's force about the others (percent): an off-centre net push"),
    "misalignment_sigma_deg": Key("float", 1.0, **NONNEG, high=90.0, doc="1-sigma tilt of the spring line from the docking axis, per port axis (deg)"),
    "misalignment_bias_deg": Key("vec2", (0.0, 0.0), norm_high=180.0, doc="fixed tilt of the spring line about the port y and z axes (deg), added to the scatter (a pusher aimed sideways: [90, 0])"),
    "com_sigma_m": Key("vec3", (0.3, 0.15, 0.2), norm_high=10.0, doc="1-sigma error of each segment's centre of mass, SSACS x, y, z (m): the station model and the reference model differ by up to 0.40 / 0.14 / 0.24 m (docs/station.md)"),
    "rate_sigma_degps": Key("float", 0.002, **NONNEG, high=1.0, doc="1-sigma residual rate of the stack at release, per body axis (deg/s), about its held attitude"),
    "drag_scale": Key("choice", "calibration", choices=("calibration", "fit-error", "none"),
                      doc="reentry members: one drag scale per member, log-normal about the fitted scale (assets/tles/drag_calibration.toml) with 'calibration': the windows' scatter (20.8 %), 'fit-error': the fitted mean's standard error (scatter / sqrt(windows), 6.6 %); 'none': the fitted scale"),
    "density_sigma_pct": Key("float", 0.0, **NONNEG, high=100.0, doc="reentry members: 1-sigma density model error (log-normal factor on NRLMSIS, percent); 0 by default: the calibration's scatter already holds it (docs/ensemble.md)"),
    "density_correlation_days": Key("float", 0.0, **NONNEG, high=3650.0, doc="reentry members: correlation time of the density error (first-order Gauss-Markov in ln); 0 = one factor held for the whole run"),
    "solar": Key("choice", "forecast-band", choices=("forecast-band", "scenario"),
                 doc="reentry members: 'forecast-band' flies each member on the NOAA SWPC Dec-2021 forecast at a position drawn uniformly across its published range; 'scenario' keeps [long_term] activity"),
    "density_model": Key("choice", "table", choices=("table", "direct"),
                         doc="reentry members: 'table' reads NRLMSIS from a grid shared by all members a worker runs (physics/longterm/density_table.py; dates within ~0.15 % of 'direct', docs/ensemble.md); 'direct' calls NRLMSIS at every point (~5x slower at 1,000 members)"),
    "usos_p_flight": Key("float", None, low=0.0, high=1.0, doc="reentry members: probability of the US segment's 'flight' attitude (with usos_p_edge_on, usos_p_tumbling; they sum to 1; absent: the [long_term] mode)"),
    "usos_p_edge_on": Key("float", None, low=0.0, high=1.0, doc="probability of the US segment's 'edge-on' attitude"),
    "usos_p_tumbling": Key("float", None, low=0.0, high=1.0, doc="probability of the US segment tumbling"),
    "ros_p_flight": Key("float", None, low=0.0, high=1.0, doc="probability of the Russian segment's 'flight' attitude (with ros_p_tumbling; they sum to 1)"),
    "ros_p_tumbling": Key("float", None, low=0.0, high=1.0, doc="probability of the Russian segment tumbling"),
}
MODE_KEYS = {"USOS": {m: f"usos_p_{m.replace('-', '_')}" for m in USOS_MODES},
             "ROS": {m: f"ros_p_{m}" for m in ROS_MODES}}


def parse(raw, source: str, has_release: bool, long_term: dict | None) -> dict:
    """Validate [ensemble]; returns the keys with defaults and 'modes': {segment: {mode: p}} or None."""
    ens = dict(check_table(raw, ENSEMBLE, "ensemble", source))
    kind = ens["kind"]
    if kind == "auto":
        kind = "reentry" if long_term is not None else "separation"
    if kind == "reentry" and long_term is None:
        raise ScenarioError(source, "ensemble.kind", "'reentry' needs a [long_term] table")
    if kind == "separation" and not has_release:
        raise ScenarioError(source, "ensemble.kind", "'separation' needs a [release] of the station")
    ens["kind"] = kind
    ens["modes"] = {seg: _modes(ens, seg, source) for seg in MODE_KEYS}
    if kind == "reentry" and long_term["start"] != "split":
        raise ScenarioError(source, "ensemble.kind", "reentry members need [long_term] start = \"split\"")
    return ens


def _modes(ens: dict, segment: str, source: str) -> dict | None:
    keys = MODE_KEYS[segment]
    given = {m: ens[k] for m, k in keys.items() if ens[k] is not None}
    if not given:
        return None
    total = sum(given.values())
    if abs(total - 1.0) > 1e-9:
        last = next(k for m, k in reversed(keys.items()) if ens[k] is not None)
        raise ScenarioError(source, f"ensemble.{last}",
                            f"{' + '.join(keys[m] for m in given)} = {total:g}; they must sum to 1")
    return {m: given.get(m, 0.0) for m in keys}
