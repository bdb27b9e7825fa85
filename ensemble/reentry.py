"""Reentry members: both segments from the nominal split to reentry with the orbit-averaged model,
many members as one vectorised batch per task (physics/longterm/batch.py reentry_batch: every body
its own step, all of them in one NRLMSIS call per RK4 stage).

The split's dispersions (cm/s of push) change a reentry date by far less than the drag does, so every
member starts from the nominal 6-DOF run's end state (computed once, on the client); a member
disperses what decides the date (docs/ensemble.md): its attitude mode per segment (the mesh's area
in that mode, scenario/longterm/attitude.py), the drag scale (the calibration's log-normal scatter),
the density model error (a factor on NRLMSIS, constant or Gauss-Markov in time) and the solar
activity (a position in the NOAA SWPC Dec-2021 forecast's published range).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ensemble.draws import MemberDraw, density_log_series, pick_mode

DAY_S = 86400.0
FAN_DT_DAYS = 10.0                  # the altitude fan's grid
DENSITY_NODE_DAYS = 1.0             # the density error's nodes (linear in between)


@dataclass(frozen=True)
class ReentryJob:
    bodies: dict                    # {(segment, mode): DecayBody with drag_scale 1}
    elements: dict                  # {segment: MeanElements} at the split's end (nominal run)
    epoch_utc: str
    durations: dict                 # {activity name: duration_s}
    modes: dict                     # {segment: {mode: probability}}
    scale: float                    # fitted drag scale
    scatter_log: float              # its 1-sigma log scatter (0 when drag_scale = "none")
    activity: str                   # [long_term] activity (solar = "scenario")
    spec: dict
    seed: int
    reentry_alt_m: float
    max_step_s: float | None
    fan_days: np.ndarray


def prepare_job(sc, spec: dict, seed: int) -> ReentryJob:
    """The nominal split (one 6-DOF run), areas per mode, the calibration: computed once."""
    from physics.longterm.calibration import load_calibration
    from scenario.longterm import run as lrun
    from scenario.longterm.headline import MODES_BY_SEGMENT
    lt = sc.long_term
    els, epoch_utc, _, model, masses, _ = lrun.initial_elements(sc, lt, lambda f: None)
    names = list(lt["body"])
    cal = load_calibration()
    modes = {n: spec["modes"].get(n) or {lt["body"][n]["attitude"]: 1.0} for n in names}
    bodies = {}
    for n in names:
        for mode in MODES_BY_SEGMENT.get(n, ("flight", "tumbling")):
            b = lrun.decay_bodies(sc, lt, model, masses, {n: mode}, 1.0)
            bodies[(n, mode)] = next(x for x in b if x.name == n)
    acts = ["forecast-2022", lt["activity"]]
    durations = {a: lrun._duration_s(lt, epoch_utc, a, sc.source) for a in acts}
    fan = np.arange(0.0, max(durations.values()) / DAY_S + FAN_DT_DAYS, FAN_DT_DAYS)
    scatter = {"calibration": cal.scatter_log, "fit-error": cal.scatter_log / np.sqrt(cal.n_windows),
               "none": 0.0}[spec["drag_scale"]]
    return ReentryJob(bodies, dict(zip(names, els)), epoch_utc, durations, modes, cal.scale, scatter,
                      lt["activity"], spec, seed,
                      lt["reentry_altitude_km"] * 1e3,
                      None if lt["max_step_days"] is None else lt["max_step_days"] * DAY_S, fan)


@lru_cache(maxsize=32)
def band_activity(u: float):
    """The forecast of Dec 2021 at position u of its published range: -1 low edge, 0 curve, +1 high edge
    (linear between the curve and an edge, per day)."""
    from physics import spaceweather as sw
    mid, edge = sw.forecast_2022("predicted"), sw.forecast_2022("high" if u > 0 else "low")
    w = abs(u)
    f107 = (1 - w) * mid.f107 + w * edge.f107
    return dataclasses.replace(mid, f107=f107, f107a=f107.copy(),
                               label=f"forecast of Dec 2021 at {u:+.1f} of its range")


def run_members(job: ReentryJob, draws: list[MemberDraw]) -> list[dict]:
    """One batch for all members of a task (two bodies each): reentry times and altitude fans."""
    from physics import spaceweather as sw
    from physics.longterm.batch import reentry_batch
    from scenario.longterm.headline import GRID_OPTIONS
    names = list(job.elements)
    bodies, els, acts, durs, picked = [], [], [], [], []
    for d in draws:
        act_name = "forecast-2022" if job.spec["solar"] == "forecast-band" else job.activity
        act = band_activity(d.solar_u) if act_name == "forecast-2022" else sw.activity(act_name)
        scale = job.scale * float(np.exp(d.drag_z * job.scatter_log))
        for n in names:
            mode = pick_mode(job.modes[n], d.mode_u[n])
            picked.append(mode)
            bodies.append(dataclasses.replace(job.bodies[(n, mode)], name=f"{d.index}|{n}", drag_scale=scale))
            els.append(job.elements[n])
            acts.append(act)
            durs.append(job.durations[act_name])
    factor = _density_factor(job, draws, len(names), max(durs)) if job.spec["density_sigma_pct"] > 0 else None
    rec = _AltitudeRecord(len(bodies), els)
    table = None
    if job.spec["density_model"] == "table":
        band = job.spec["solar"] == "forecast-band"
        table = tabulated_density(job.epoch_utc, None if band else sw.activity(job.activity),
                                  np.repeat([d.solar_u for d in draws], len(names)) if band else None,
                                  job.max_step_s, _table_grid(job))
    res = reentry_batch(bodies, els, job.epoch_utc, durs, acts, reentry_alt_m=job.reentry_alt_m,
                        max_step_s=job.max_step_s, options=GRID_OPTIONS, density_factor=factor, on_step=rec,
                        density_model=table)
    out = []
    for k, d in enumerate(draws):
        row = {"drag_scale": job.scale * float(np.exp(d.drag_z * job.scatter_log)), "solar_u": d.solar_u}
        for j, n in enumerate(names):
            b = k * len(names) + j
            ev = res.reentry(f"{d.index}|{n}")
            row[f"reentry_days_{n}"] = np.nan if ev is None else ev.t_s / DAY_S
            row[f"mode_{n}"] = picked[b]
            row[f"alt_km_{n}"] = rec.fan(b, job.fan_days, job.reentry_alt_m)
        out.append(row)
    return out


BAND_TABLES_U = (0.0, 0.5, 1.0)     # forecast band: tables at these |u| on each side, quadratic in between


def _table_grid(job: ReentryJob):
    """The default grid, its altitudes reaching 60 km above the highest start (bodies only come down:
    apogee a e above a is < 0.02 a, within the margin for the ISS-like orbits MeanElements accepts) and
    its latitudes 5 deg beyond the highest the orbits reach (the inclination, or 180 deg minus it),
    at most the poles: the table never holds a point at its edge that NRLMSIS would see elsewhere."""
    from physics.longterm.density_table import TableGrid
    from physics.longterm.rates import R_EQ_M
    top = max(e.a_m for e in job.elements.values()) - R_EQ_M + 60e3
    reach = max(min(np.degrees(e.i_rad), 180.0 - np.degrees(e.i_rad)) for e in job.elements.values()) + 5.0
    lat_max = min(90.0, max(TableGrid.lat_max_deg, float(np.ceil(reach / TableGrid.dlat_deg) * TableGrid.dlat_deg)))
    return TableGrid(alt_max_m=max(TableGrid.alt_max_m, float(np.ceil(top / 10e3) * 10e3)), lat_max_deg=lat_max)


def tabulated_density(epoch_utc: str, activity, solar_u=None, max_step_s=None, grid=None):
    """density_model(body index, t, lat, lon, alt) for reentry_batch from the worker's shared NRLMSIS
    tables (physics/longterm/density_table.py). activity: one model for all bodies; or solar_u (per
    body): the forecast band, ln(rho) quadratic in |u| through the tables at |u| = 0, 0.5, 1 on u's
    side (band_activity's F10.7 is linear in |u| there; linear interpolation between 0 and 1 alone
    would miss ln(rho)'s curvature in F10.7: 0.03-0.2 % of density, +0.1-0.3 % on the dates)."""
    from physics.longterm.density_table import shared_table
    if solar_u is None:
        table = shared_table(epoch_utc, activity, grid, max_step_s)
        return lambda rows, t, lat, lon, alt: table.density(t, lat, lon, alt)
    tables = {(s, a): shared_table(epoch_utc, band_activity(s * a if a else 0.0), grid, max_step_s)
              for s in (-1.0, 1.0) for a in BAND_TABLES_U}                # one table for the curve (a = 0)
    u = np.asarray(solar_u, dtype=float)
    x = np.abs(u)
    weights = np.stack([(x - 0.5) * (x - 1.0) / 0.5, -x * (x - 1.0) / 0.25, x * (x - 0.5) / 0.5])   # Lagrange

    def density(rows, t, lat, lon, alt):
        ln = np.zeros(len(rows))
        side = np.where(u[rows] < 0, -1.0, 1.0)
        for n, a in enumerate(BAND_TABLES_U):
            w = weights[n, rows]
            for s in (-1.0, 1.0):
                m = np.flatnonzero((w != 0.0) & (side == s))
                if m.size:
                    ln[m] += w[m] * tables[(s, a)].ln_density(t[m], lat[m], lon[m], alt[m])
        return np.exp(ln)
    return density


def _density_factor(job: ReentryJob, draws, per_member: int, span_s: float):
    """factor(body index, t_s): each member's density error (both its segments share it)."""
    n = int(span_s // (DENSITY_NODE_DAYS * DAY_S)) + 2
    logs = np.stack([density_log_series(job.spec, job.seed, d.index, d.density_z0, n, DENSITY_NODE_DAYS)
                     for d in draws])

    def factor(rows, t_s):
        x = np.clip(t_s / (DENSITY_NODE_DAYS * DAY_S), 0.0, n - 1.000001)
        k = x.astype(np.int64)
        f = x - k
        m = rows // per_member
        return np.exp((1 - f) * logs[m, k] + f * logs[m, k + 1])
    return factor


class _AltitudeRecord:
    """Mean altitude (a - R_eq) of each body after each of its steps, for the fan."""

    def __init__(self, n: int, els):
        from physics.longterm.rates import R_EQ_M
        self.R = R_EQ_M
        self.t = [[0.0] for _ in range(n)]
        self.a = [[float(e.a_m)] for e in els]

    def __call__(self, idx, t_s, X):
        for j, t, a in zip(idx, t_s, X[:, 0]):
            self.t[j].append(float(t))
            self.a[j].append(float(a))

    def fan(self, b: int, days: np.ndarray, alt_m: float) -> np.ndarray:
        """Mean altitude (km) on the fan's grid; NaN after the body's last step (reentry or the end)."""
        t, a = np.array(self.t[b]) / DAY_S, (np.array(self.a[b]) - self.R) / 1e3
        out = np.interp(days, t, a)
        out[days > t[-1]] = np.nan
        return out
