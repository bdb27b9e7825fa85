"""Run the [long_term] part of a scenario: months to years of decay for each segment after the split
(or for the docked station from a TLE), with reboosts, reentry and the solar-activity spread.

    lr = scenario.run_long(sc)            # LongRun: main result, spread, run without reboosts, check
    traj = scenario.long_term_trajectory(lr.main)   # a physics.trajectory.Trajectory to play months

The physics is physics/longterm/decay.py (method and validation in docs/decay.md); this module turns the
scenario keys (scenario/longterm/schema.py, docs/scenarios.md) into its inputs.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from scenario.errors import ScenarioError
from scenario.loader import SEGMENTS, Scenario

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
PRESETS = {"progress": "PROGRESS_MS", "cygnus": "CYGNUS_NG17", "dragon": "CARGO_DRAGON"}


@dataclass(frozen=True)
class LongRun:
    """What a long run produced (how it is now: results are physics.longterm.decay.LongTermResult)."""
    scenario: str
    title: str
    start: str                         # description of the initial state
    main: object                       # LongTermResult: the chosen activity, with the reboosts
    spread: dict = field(default_factory=dict)     # "low" | "moderate" | "high" -> LongTermResult
    without_reboosts: object = None    # LongTermResult of the chosen activity, no reboosts (or None)
    check: dict | None = None          # TLE comparison (start = "docked" with a reference TLE)
    bodies: dict = field(default_factory=dict)     # name -> {mass_kg, cd, area_m2, attitude}
    wall_s: dict = field(default_factory=dict)     # what took how long (s)
    metadata: dict = field(default_factory=dict)   # the short run's trajectory metadata "bodies" (for render)
    reentry_alt_km: float = 120.0      # the altitude that counts as reentry ([long_term] reentry_altitude_km)
    headline: object = None            # scenario.longterm.headline.Headline ([long_term] headline = true)
    context: dict = field(default_factory=dict, compare=False, repr=False)   # inputs, for a later headline

    def results(self) -> dict:
        """{label: LongTermResult} of every run, the main one first."""
        out = {"main": self.main}
        if self.without_reboosts is not None:
            out["without reboosts"] = self.without_reboosts
        out.update({f"spread {k}": v for k, v in self.spread.items()})
        return out


def run_long(sc: Scenario, progress=None, headline: bool | None = None) -> LongRun:
    """Run the scenario's [long_term] part (ScenarioError if it has none). progress(fraction).
    headline: compute the per-mode headline (None: the scenario's [long_term] headline key)."""
    from physics.errors import PhysicsInputError
    lt = sc.long_term
    if lt is None:
        raise ScenarioError(sc.source, "long_term", "this scenario has no [long_term] table")
    try:
        return _run(sc, lt, progress or (lambda f: None), lt["headline"] if headline is None else headline)
    except PhysicsInputError as exc:
        raise ScenarioError(sc.source, "long_term", str(exc)) from None


def _run(sc: Scenario, lt: dict, progress, want_headline: bool = False) -> LongRun:
    wall = {}
    t0 = time.perf_counter()
    elements, epoch_utc, start, model, masses, meta = initial_elements(sc, lt, lambda f: progress(0.2 * f))
    wall["start"] = time.perf_counter() - t0
    bodies = decay_bodies(sc, lt, model, masses)
    vehicles, plans = reboosts(lt)
    estimate = lt["atmosphere"] == "reference-estimate"
    main_label = "reference-estimate" if estimate else lt["activity"]
    labels = [main_label] + ([a for a in ("low", "moderate", "high")] if lt["spread"] else [])
    runs = {}
    total = 1 + (1 if plans and lt["compare_without_reboosts"] else 0) + (3 if lt["spread"] else 0)
    done = [0]

    def one(activity: str, with_reboosts: bool):
        t = time.perf_counter()
        res = _propagate(bodies, elements, epoch_utc, _duration_s(lt, epoch_utc, activity, sc.source),
                         activity, lt,
                         vehicles, plans if with_reboosts else (),
                         lambda f: progress(0.2 + 0.8 * (done[0] + f) / total))
        done[0] += 1
        wall[f"{activity}{'' if with_reboosts else ' without reboosts'}"] = time.perf_counter() - t
        return res

    main = one(main_label, True)
    without = one(main_label, False) if plans and lt["compare_without_reboosts"] else None
    spread = {a: (main if a == main_label else one(a, True)) for a in labels[1:]} if lt["spread"] else {}
    check = tle_check(lt, main) if lt["reference_tle_line1"] else None
    ctx = dict(lt=lt, elements=elements, epoch_utc=epoch_utc, model=model, masses=masses,
               duration_fn=lambda a: _duration_s(lt, epoch_utc, a, sc.source))
    headline = None
    if want_headline:
        from scenario.longterm.headline import compute
        t = time.perf_counter()
        headline = compute(sc, ctx, main)
        wall["headline"] = time.perf_counter() - t
    info = {b.name: {"mass_kg": b.mass_kg, "cd": b.cd, "area_m2": b.area_m2, "attitude": b.attitude,
                     "drag_scale": b.drag_scale, "sun_tracking": b.sun_tracking is not None} for b in bodies}
    return LongRun(sc.name, sc.title or sc.name, start, main, spread, without, check, info, wall, meta,
                   lt["reentry_altitude_km"], headline, ctx)


@dataclass(frozen=True)
class _Label:
    """What run_long_term reads of an activity model when a density function is given: the label."""
    label: str


def _propagate(bodies, elements, epoch_utc, duration_s, activity: str, lt, vehicles, plans, progress):
    from physics.longterm import density as dd
    from physics import spaceweather as sw
    from physics.longterm.decay import run_long_term
    step = None if lt["max_step_days"] is None else lt["max_step_days"] * DAY_S
    extra = {}
    if activity == "reference-estimate":          # the published ESTIMATE's own model and assumptions
        scale = dd.reference_estimate_scale()
        model = _Label(f"reference ESTIMATE atmosphere (no solar activity: Vallado table x {scale:.3f}, "
                       "45 m/day at 418 km for B = 170 kg/m^2; spherical Earth, no atmosphere rotation)")
        extra = dict(density=dd.exponential_model(scale), options=dd.reference_estimate_options())
    else:
        model = sw.activity(activity)
    return run_long_term(bodies, elements, epoch_utc, duration_s, model, plans, vehicles,
                         max_step_s=step, reentry_alt_m=lt["reentry_altitude_km"] * 1e3, progress=progress, **extra)


def initial_elements(sc: Scenario, lt: dict, progress):
    """(mean elements list, epoch_utc of the long run, description, station model, {name: mass_kg},
    trajectory metadata to pass on)."""
    from physics.longterm.elements import from_state_gcrs
    from physics.timebase import Epoch
    from scenario.build import station_bodies
    station = station_bodies(sc)
    model = station["model"]
    if lt["start"] == "docked":
        el, epoch_utc, desc = _docked_elements(sc)
        return [el], epoch_utc, desc, model, {"ISS": float(model.whole.mass_kg)}, {}
    import scenario as S
    traj = S.run(sc, progress=progress)
    t_end = float(traj.t_s[-1])
    epoch_utc = _utc_plus(traj.epoch_utc, t_end)
    tt = Epoch.from_utc(epoch_utc).tt_jd
    r, v = traj.r_gcrs_m[-1], traj.v_gcrs_mps[-1]
    els = [from_state_gcrs(r[traj.body_names.index(n)], v[traj.body_names.index(n)], tt) for n in SEGMENTS]
    masses = {n: float(traj.metadata["bodies"][n]["mass_kg"]) for n in SEGMENTS}
    desc = (f"each segment's state at the end of the 6-DOF run ({t_end:.0f} s after {traj.epoch_utc}, "
            f"release at {sc.release['time_s']:g} s)")
    return els, epoch_utc, desc, model, masses, {"bodies": traj.metadata.get("bodies", {})}


def _utc_plus(epoch_utc: str, t_s: float) -> str:
    """ISO UTC string of epoch + t_s, to the millisecond (the long run's epoch)."""
    t = np.datetime64(epoch_utc.rstrip("Z"), "ms") + np.timedelta64(int(round(t_s * 1e3)), "ms")
    return str(t) + "Z"


def _docked_elements(sc: Scenario):
    """The docked station from [orbit]: a TLE gives its SGP4 mean elements at the TLE's epoch;
    a state vector or circular orbit is averaged into mean elements at the scenario epoch."""
    from physics.longterm.elements import from_state_gcrs, from_tle
    from scenario.build import make_epoch
    from scenario.initial import orbit_state, pick_tle
    o = sc.orbit
    epoch = make_epoch(sc)
    if o["tle_line1"] is not None or o["tle_file"] is not None:
        if o["tle_line1"] is not None:
            l1, l2, where = o["tle_line1"], o["tle_line2"], "orbit.tle_line1"
        else:
            from physics import orbit as po
            tle = pick_tle(po.load_tle_file(o["tle_file"]), epoch.tt_jd, o["tle_name"])
            l1, l2, where = tle.line1, tle.line2, "orbit.tle_file"
        orbit_state(sc, epoch)                       # the same checks (one-line errors) as a short run
        el, ep = from_tle(l1, l2, source=sc.source)
        return el, ep, f"SGP4 mean elements of the TLE with epoch {ep} ({where})"
    r, v, desc = orbit_state(sc, epoch)
    el = from_state_gcrs(r, v, epoch.tt_jd)
    if o["circular_altitude_km"] is not None:
        # "circular at h" means a mean circular orbit at h here (the TLE-style mean altitude the
        # summary quotes): the Keplerian-speed state of the short run sits ~6 km above its J2 mean a
        import dataclasses
        from physics.longterm.rates import R_EQ_M
        el = dataclasses.replace(el, a_m=R_EQ_M + o["circular_altitude_km"] * 1e3, e=0.0)
        desc += " (taken as the mean orbit)"
    return el, sc.time["epoch_utc"], f"mean elements of the {desc}"


def decay_bodies(sc: Scenario, lt: dict, model, masses: dict, modes: dict | None = None,
                 drag_scale: float | None = None) -> list:
    """DecayBody per long-run body: mass from the run (or the override), area from the station mesh
    in its attitude mode (scenario/longterm/attitude.py), the calibrated drag scale (assets/tles/
    drag_calibration.toml, `python main.py calibrate`) unless the body gives area_m2 or the table
    says drag_calibration = false. modes / drag_scale: override the scenario's (the headline's grid)."""
    from physics.longterm.decay import DecayBody
    from scenario.longterm.attitude import mode_area
    scale = drag_scale if drag_scale is not None else calibrated_scale(lt)
    out = []
    for name, b in lt["body"].items():
        mode = (modes or {}).get(name, b["attitude"])
        area, track = mode_area(model, name, mode)
        if b["area_m2"] is not None:
            area, track = b["area_m2"], None
        mass = b["mass_kg"] if b["mass_kg"] is not None else masses[name]
        k = 1.0 if b["area_m2"] is not None else scale
        out.append(DecayBody(name, float(mass), b["cd"], float(area), mode, track, k))
    return out


def calibrated_scale(lt: dict) -> float:
    """The fitted effective drag scale (1.0 with drag_calibration = false)."""
    if not lt.get("drag_calibration", True):
        return 1.0
    from physics.longterm.calibration import load_calibration
    return load_calibration().scale


def reboosts(lt: dict):
    """(ReboostVehicle list, ScheduledBurn / KeepAbove plans) from [[long_term.vehicle]] / [[long_term.reboost]]."""
    from physics.longterm import decay as D
    vehicles = []
    for v in lt["vehicle"]:
        preset = dict(getattr(D, PRESETS[v["type"]]))
        for key in ("thrust_n", "isp_s", "propellant_kg", "max_burn_s"):
            if v[key] is not None:
                preset[key] = v[key]
                preset["source"] = preset["source"] + f"; {key} from the scenario"
        vehicles.append(D.ReboostVehicle(v["name"], v["body"], **preset))
    plans = []
    for r in lt["reboost"]:
        if r["t_days"] is not None:
            plans.append(D.ScheduledBurn(r["t_days"] * DAY_S, r["vehicle"], r["duration_s"]))
        else:
            plans.append(D.KeepAbove(r["vehicle"], r["keep_above_km"], r["raise_to_km"]))
    return vehicles, tuple(plans)


def _duration_s(lt: dict, epoch_utc: str, activity: str, source: str = "scenario") -> float:
    if lt["reference_tle_line1"] is not None:
        from physics.longterm.elements import from_tle
        _, ep1 = from_tle(lt["reference_tle_line1"], lt["reference_tle_line2"], source="long_term.reference_tle")
        dt = (np.datetime64(ep1.rstrip("Z"), "ms") - np.datetime64(epoch_utc.rstrip("Z"), "ms")) / np.timedelta64(1, "ms") / 1e3
        if dt <= 0:
            raise ScenarioError(source, "long_term.reference_tle_line1", f"its epoch {ep1} is not after the start {epoch_utc}")
        return float(dt)
    if not lt["until_reentry"]:
        return lt["duration_days"] * DAY_S
    days = 7305.0
    if activity not in ("low", "moderate", "high"):
        last = np.datetime64("2032-12-31T00:00:00")         # end of the bundled activity tables
        days = min(days, float((last - np.datetime64(epoch_utc.rstrip("Z"), "s")) / np.timedelta64(1, "s")) / DAY_S)
    return days * DAY_S


def tle_check(lt: dict, res) -> dict:
    """Simulated mean decay against the decay of the SGP4 mean semi-major axis between the TLEs."""
    from physics.longterm.elements import from_tle
    el1, ep1 = from_tle(lt["reference_tle_line1"], lt["reference_tle_line2"], source="long_term.reference_tle")
    days = float(res.t_s[-1] - res.t_s[0]) / DAY_S
    a0 = float(res.a_m[0, 0])
    tle_rate = (a0 - el1.a_m) / days          # start a is the first TLE's own SGP4 mean a
    sim_rate = (a0 - float(res.a_m[-1, 0])) / days
    return {"reference_epoch_utc": ep1, "days": days, "tle_m_per_day": tle_rate, "sim_m_per_day": sim_rate,
            "difference_pct": 100.0 * (sim_rate / tle_rate - 1.0)}
