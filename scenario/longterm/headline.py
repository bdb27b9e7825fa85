"""The long run's headline: each segment's reentry date per attitude mode, with the drag-calibration
range, under the activity that happened (hindsight) and under the forecast as issued in Dec 2021.

    hl = scenario.longterm.headline.reentry_headline(sc, lr=None)   # Headline (the one public entry point)
    hl.lines()                                                # what `simulate` prints
    hl.row("USOS", "flight", "observed").central              # "2024-02-23" (ISO date) or None

Runs: one batch (physics/longterm/batch.py) with every (activity, segment, mode, drag scale) as its own
body, each with its own step (they do not interact): observed and the forecast curve with the
calibrated scale and the edges of its prediction range (every window's own scale), the forecast band's two edges with the calibrated scale.
The cell of the scenario's own configuration (its attitude modes, observed activity, calibrated scale)
is the main run itself, the one the playback shows, so the headline and the trajectory's reentry
events are one number.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from physics.longterm.rates import AveragingOptions
from scenario.loader import SEGMENTS

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
HINDSIGHT, FORECAST = "observed", "forecast-2022"
BAND = ("forecast-2022-high", "forecast-2022-low")
MODES_BY_SEGMENT = {"USOS": ("flight", "edge-on", "tumbling"), "ROS": ("flight", "tumbling")}
# 8 points per revolution for the grid (the main run keeps 16): every date of decay-no-reboost's grid
# within 1 day of 16 points, at ~half the NRLMSIS cost (docs/decay.md, "Speed of the headline")
GRID_OPTIONS = AveragingOptions(n_samples=8)


@dataclass(frozen=True)
class HeadlineRow:
    segment: str
    mode: str
    activity: str                  # HINDSIGHT or FORECAST
    central: str                   # ISO date of reentry, or "after YYYY-MM-DD" (still up when the run ended)
    early: str                     # calibration range: the higher drag scale (earlier reentry)
    late: str                      # the lower drag scale
    band_early: str | None = None  # forecast only: with the high edge of the published range
    band_late: str | None = None   # forecast only: with the low edge
    default: bool = False          # the scenario's own mode for this segment (the main run)


@dataclass(frozen=True)
class Headline:
    split_utc: str
    scale: float
    scale_low: float
    scale_high: float
    n_windows: int
    rows: tuple = field(default_factory=tuple)

    def row(self, segment: str, mode: str, activity: str) -> HeadlineRow:
        return next(r for r in self.rows if (r.segment, r.mode, r.activity) == (segment, mode, activity))

    def lines(self) -> list[str]:
        return headline_lines(self)


def reentry_headline(sc, lr=None, progress=None) -> Headline:
    """Scenario (object, name or path) with a [long_term] table -> Headline.

    lr: the scenario's LongRun if already run (scenario.run_long(sc)): its headline is returned
    (computed with [long_term] headline = true) or computed from its inputs, without rerunning the
    6-DOF part. Cost: ~15-20 s (four batches of bodies to 2032 at most, physics/longterm/batch.py)."""
    import scenario as S
    sc = S.load(sc) if not isinstance(sc, S.Scenario) else sc
    lr = S.run_long(sc, progress=progress) if lr is None else lr
    return lr.headline if lr.headline is not None else compute(sc, lr.context, lr.main)


def compute(sc, ctx: dict, main, progress=None) -> Headline:
    """ctx: what scenario.longterm.run._run knew (elements, epoch_utc, model, masses, lt)."""
    from physics.longterm.calibration import load_calibration
    lt, cal = ctx["lt"], load_calibration()
    names = [n for n in lt["body"] if n in SEGMENTS] or list(lt["body"])
    low, high = cal.prediction_range
    scales = {"central": cal.scale, "early": high, "late": low}
    base = _mode_bodies(sc, ctx, names)
    plans = [(HINDSIGHT, tuple(scales)), (FORECAST, tuple(scales))] + [(b, ("central",)) for b in BAND]
    bodies, els, acts = [], [], []
    for activity, which in plans:
        for (name, mode), b in base.items():
            for w in which:
                if activity == HINDSIGHT and w == "central" and mode == lt["body"][name]["attitude"] \
                        and _is_main_config(lt):
                    continue                       # the main run itself (_assemble takes its event)
                k_w = 1.0 if lt["body"][name]["area_m2"] is not None else scales[w]
                bodies.append(replace(b, name=f"{activity}|{name}|{mode}|{w}", drag_scale=k_w))
                els.append(ctx["elements"][list(lt["body"]).index(name)])
                acts.append(activity)
    res = _reentries(bodies, els, ctx["epoch_utc"], [ctx["duration_fn"](a) for a in acts], acts, lt)
    if progress:
        progress(1.0)
    results = {activity: _View(res, f"{activity}|", ctx["duration_fn"](activity)) for activity, _ in plans}
    return _assemble(ctx, names, main, results, cal)


@dataclass(frozen=True)
class _View:
    """One activity's cells of the batch, as _date reads a run: reentry(key), epoch_utc, t_s."""
    res: object
    prefix: str
    duration_s: float

    @property
    def epoch_utc(self) -> str:
        return self.res.epoch_utc

    @property
    def t_s(self) -> np.ndarray:
        return np.array([0.0, self.duration_s])

    def reentry(self, body: str):
        return self.res.reentry(self.prefix + body)


def _mode_bodies(sc, ctx: dict, names) -> dict:
    """{(segment, mode): DecayBody} of every cell of the grid (areas from the mesh once per mode)."""
    from scenario.longterm.run import decay_bodies
    out = {}
    for name in names:
        for mode in MODES_BY_SEGMENT.get(name, ("flight", "tumbling")):
            bodies = decay_bodies(sc, ctx["lt"], ctx["model"], ctx["masses"], {name: mode}, 1.0)
            out[(name, mode)] = next(x for x in bodies if x.name == name)
    return out


def _reentries(bodies, els, epoch_utc: str, durations, activities, lt):
    """All cells in one batch, each body with its own activity and step (physics/longterm/batch.py: the
    same model and step rules as the main run, without a shared time axis; one NRLMSIS call per stage)."""
    from physics import spaceweather as sw
    from physics.longterm.batch import reentry_batch
    step = None if lt["max_step_days"] is None else lt["max_step_days"] * DAY_S
    models = {a: sw.activity(a) for a in dict.fromkeys(activities)}
    return reentry_batch(bodies, els, epoch_utc, durations, [models[a] for a in activities],
                         reentry_alt_m=lt["reentry_altitude_km"] * 1e3, max_step_s=step, options=GRID_OPTIONS)


def _date(res, body: str) -> str | None:
    """ISO date of the body's reentry, or 'after DATE' (the end of that run) if still up."""
    ev = res.reentry(body)
    t_s = ev.t_s if ev is not None else float(res.t_s[-1])
    t = str(np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(round(t_s)), "s"))[:10]
    return t if ev is not None else f"after {t}"


def _assemble(ctx, names, main, results, cal) -> Headline:
    lt, rows = ctx["lt"], []
    for name in names:
        default_mode = lt["body"][name]["attitude"]
        for mode in MODES_BY_SEGMENT.get(name, ("flight", "tumbling")):
            key = f"{name}|{mode}|"
            for activity in (HINDSIGHT, FORECAST):
                r = results[activity]
                if activity == HINDSIGHT and mode == default_mode and _is_main_config(lt):
                    central = _date(main, name)            # the main run: the playback's own event
                else:
                    central = _date(r, key + "central")
                band = (_date(results[BAND[0]], key + "central"), _date(results[BAND[1]], key + "central")) \
                    if activity == FORECAST else (None, None)
                rows.append(HeadlineRow(name, mode, activity, central, _date(r, key + "early"),
                                        _date(r, key + "late"), *band, default=mode == default_mode))
    return Headline(ctx["epoch_utc"][:10], cal.scale, *cal.prediction_range, cal.n_windows, tuple(rows))


def _is_main_config(lt) -> bool:
    """The main run is the headline's cell when it runs on observed activity with the calibrated
    scale and without reboosts of its own."""
    return lt["activity"] == HINDSIGHT and lt.get("drag_calibration", True) and not lt["reboost"]


def headline_lines(hl: Headline) -> list[str]:
    up, down = (hl.scale_high / hl.scale - 1.0) * 100.0, (1.0 - hl.scale_low / hl.scale) * 100.0
    lines = [f"Reentry dates (120 km) after the split of {hl.split_utc}, per attitude mode. Drag: the model x "
             f"{hl.scale:.3f}, fitted on {hl.n_windows} reboost-free TLE windows of 2022 (`python main.py calibrate`); "
             f"in brackets the calibration range (scale {hl.scale_low:.3f} .. {hl.scale_high:.3f}: -{down:.0f} / +{up:.0f} %, "
             "every calibration window's own scale: the residuals lean with solar activity, so not +-1 sigma).",
             "  (a) hindsight: the solar activity that happened (CelesTrak; cycle 25 peaked Oct 2024)",
             "  (b) as forecast in Dec 2021: NOAA SWPC 2019-panel curve; 'band' = the edges of its published range"]
    for seg in dict.fromkeys(r.segment for r in hl.rows):
        lines.append(f"{seg}:")
        for mode in dict.fromkeys(r.mode for r in hl.rows if r.segment == seg):
            a, b = hl.row(seg, mode, HINDSIGHT), hl.row(seg, mode, FORECAST)
            tag = f"{mode}{' (scenario)' if a.default else ''}"
            lines.append(f"  {tag:<19} (a) {a.central} [{a.early} .. {a.late}]"
                         f"   (b) {b.central} [{b.early} .. {b.late}], band {b.band_early} .. {b.band_late}")
    return lines
