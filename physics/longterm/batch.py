"""Reentry dates of many independent bodies at once, each with its own step (the headline's grid).

`reentry_batch(bodies, initial, epoch_utc, duration_s, activity) -> BatchResult` propagates bodies
that do not interact (no reboosts) with the same model and the same step rules as
`physics.longterm.decay.run_long_term` (orbit-averaged rates of physics/longterm/rates.py, RK4, the J2 turning
of the e-vector as an exact rotation, reentry at the lowest sampled geodetic altitude), but each body
advances with its own step: `run_long_term` shares one time axis, so the body nearest its reentry
(steps of hours at the end) sets the step for all of them. Here all live bodies are still evaluated
in one NRLMSIS call per RK4 stage (NRLMSIS costs ~20 us per point, the Python around it ~1 ms per
call), each at its own time. Only the reentry events are kept (no time series).
Same step rules => the same dates as run_long_term to within its step-size error (docs/decay.md,
"Speed of the headline").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.longterm.density import msis_model
from physics.longterm.rates import AveragingOptions, averaged_rates, default_step_cap, j2_secular, step_dalt_m

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402


@dataclass(frozen=True)
class BatchResult:
    """What the headline reads of a run: reentry events, the epoch and the end of the run."""
    epoch_utc: str
    body_names: tuple
    events: tuple
    t_s: np.ndarray                   # [0, duration_s]: the run's span (a body still up is up at its end)

    def reentry(self, body: str):
        return next((e for e in self.events if e.subject == body), None)


class _SunTable:
    """Unit Sun vector in frame E at daily nodes over the whole run (one ephemeris call), linear
    interpolation for any number of bodies at different times (physics.longterm.attitude.SunInFrameE
    does the same for one time)."""

    def __init__(self, epoch_utc: str, duration_s: float):
        from physics.ephemeris import sun_gcrs_m
        from physics.frames import itrs_from_gcrs
        from physics.timebase import Epoch
        tt = Epoch.from_utc(epoch_utc).tt_jd
        self.t = (np.arange(int(duration_s // DAY_S) + 3) - 1) * DAY_S
        self.s = np.atleast_2d(sun_gcrs_m(tt, self.t)) @ itrs_from_gcrs(tt, 0.0).T

    def at(self, t_s: np.ndarray) -> np.ndarray:
        t = np.ravel(t_s)
        s = np.stack([np.interp(t, self.t, self.s[:, i]) for i in range(3)], axis=-1)
        return s / np.linalg.norm(s, axis=-1, keepdims=True)


def reentry_batch(bodies, initial, epoch_utc: str, duration_s, activity, *,
                  reentry_alt_m: float = 120e3, max_step_s: float | None = None,
                  options: AveragingOptions = AveragingOptions(), density_factor=None,
                  on_step=None, density_model=None) -> BatchResult:
    """bodies: DecayBody sequence; initial: MeanElements or one per body; activity: a
    physics.spaceweather model (NRLMSIS), or one per body (bodies under different activities share
    the NRLMSIS calls); duration_s: one, or one per body. Steps per body as run_long_term's defaults
    for its activity. BatchResult.t_s ends at the longest duration. density_factor(body_index (M,), t_s (M,))
    -> (M,): a density model error multiplying NRLMSIS per point (ensembles); on_step(idx, t_s, X): called
    after each step with the bodies that took it, their times and mean elements (an altitude record);
    density_model(body_index (M,), t_s, lat, lon, alt) -> rho (M,): replaces the direct NRLMSIS calls
    (ensembles: a shared table, physics/longterm/density_table.py); the step caps still follow `activity`."""
    from physics.longterm.decay import _initial_matrix
    bodies = tuple(bodies)
    n = len(bodies)
    acts = list(activity) if isinstance(activity, (list, tuple)) else [activity] * n
    durs = np.broadcast_to(np.asarray(duration_s, dtype=float), (n,)).copy()
    run = _Batch(bodies, _initial_matrix(initial, n), options, epoch_utc, durs, reentry_alt_m)
    run.density = _grouped_density(epoch_utc, acts, run) if density_model is None else \
        _per_body_density(density_model, run)
    if density_factor is not None:
        run.density = _scaled_density(run.density, density_factor, run)
    run.on_step = on_step
    caps = [default_step_cap(a, epoch_utc, True) for a in acts] if max_step_s is None else \
        [lambda t: max_step_s] * n
    run.loop(caps)
    return BatchResult(epoch_utc, tuple(b.name for b in bodies), tuple(run.events),
                       np.array([0.0, float(durs.max())]))


def _grouped_density(epoch_utc: str, acts: list, run):
    """DensityFn for the rows run.rows (each with the same number of points, row-major): each point
    takes the activity indices of its body, all points in one NRLMSIS call."""
    from physics.longterm.density import _utc64, msis_density
    if all(a is acts[0] for a in acts):
        return msis_model(epoch_utc, acts[0])
    t0 = _utc64(epoch_utc)
    unique = list({id(a): a for a in acts}.values())
    group = np.array([next(k for k, u in enumerate(unique) if u is a) for a in acts])

    def density(t_s, lat_rad, lon_rad, alt_m):
        dates = t0 + np.round(np.asarray(t_s) * 1e3).astype("timedelta64[ms]")
        g = np.repeat(group[run.rows], dates.size // len(run.rows))
        f107, f107a, ap = (np.empty(dates.size) for _ in range(3))
        for k, act in enumerate(unique):
            m = g == k
            if m.any():
                f107[m], f107a[m], ap[m] = act.indices(dates[m])
        return msis_density(dates, lat_rad, lon_rad, alt_m, f107, f107a, ap)
    return density


def _per_body_density(model, run):
    """DensityFn over the points of run.rows (row-major) from model(body index, t, lat, lon, alt)."""
    def density(t_s, lat_rad, lon_rad, alt_m):
        return model(np.repeat(run.rows, np.size(t_s) // len(run.rows)), t_s, lat_rad, lon_rad, alt_m)
    return density


def _scaled_density(density, factor, run):
    """density x factor(body index, t) at each point (points row-major over run.rows)."""
    def scaled(t_s, lat_rad, lon_rad, alt_m):
        rows = np.repeat(run.rows, np.size(t_s) // len(run.rows))
        return density(t_s, lat_rad, lon_rad, alt_m) * factor(rows, np.asarray(t_s))
    return scaled


class _Batch:
    def __init__(self, bodies, X, opts, epoch_utc, duration_s, reentry_alt_m):
        self.names, self.X, self.opts = [b.name for b in bodies], X, opts
        self.density, self.rows, self.on_step = None, np.arange(len(bodies)), None
        self.mass = np.array([b.mass_kg for b in bodies], dtype=float)
        self.cd_eff = np.array([b.cd * b.drag_scale for b in bodies], dtype=float)
        self.const = self.cd_eff * np.array([b.area_m2 for b in bodies]) / self.mass
        self.tracking = [b.sun_tracking for b in bodies]
        self.sun = _SunTable(epoch_utc, duration_s.max()) if any(p is not None for p in self.tracking) else None
        self.duration, self.alt = duration_s, reentry_alt_m
        self.t = np.zeros(len(bodies))
        self.alive = np.ones(len(bodies), dtype=bool)
        self.events = []

    def rates(self, t, X, idx):
        """Rates of bodies idx at their own times t (m,), elements X (m,6)."""
        self.rows = idx
        return averaged_rates(t[:, None], X, self._inv_ballistic(idx), self.density, self.opts, apsidal=False)

    def _inv_ballistic(self, idx):
        from physics.longterm.attitude import inverse_ballistic
        return inverse_ballistic(self.const[idx], idx, self.sun, self.tracking, self.cd_eff, self.mass)

    def loop(self, caps):
        idx = np.arange(len(self.names))
        dX, amin = np.zeros_like(self.X), np.full(len(self.names), np.nan)
        dX[idx], amin[idx] = self.rates(self.t[idx], self.X[idx], idx)
        while True:
            idx = np.flatnonzero(self.alive & (self.t < self.duration - 1e-6))          # per-body durations
            if idx.size == 0:
                return
            t0, X0, k1 = self.t[idx], self.X[idx], dX[idx]
            rate = np.abs(k1[:, 0]) + 1e-30
            h = np.array([min(caps[j](t), self.duration[j] - t) for j, t in zip(idx, t0)])
            h = np.minimum(h, np.maximum(60.0, step_dalt_m(X0[:, 0]) / rate))
            X1 = self._rk4(t0, X0, k1, h, idx)
            dX1, amin1 = self.rates(t0 + h, X1, idx)
            self._reentries(idx, t0, X0, k1, amin[idx], X1, amin1, h)
            self.X[idx], self.t[idx], dX[idx], amin[idx] = X1, t0 + h, dX1, amin1
            if self.on_step is not None:
                self.on_step(idx, t0 + h, X1)

    def _rk4(self, t, X, k1, h, idx):
        """As physics.longterm.decay._Run._rk4, with a step per body."""
        hh = h[:, None]
        k2, _ = self.rates(t + h / 2, X + hh / 2 * k1, idx)
        k3, _ = self.rates(t + h / 2, X + hh / 2 * k2, idx)
        k4, _ = self.rates(t + h, X + hh * k3, idx)
        X1 = X + hh / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        angle = 0.5 * h * (j2_secular(X)[1] + j2_secular(X1)[1])
        c, s = np.cos(angle), np.sin(angle)
        X1[:, 1], X1[:, 2] = c * X1[:, 1] - s * X1[:, 2], s * X1[:, 1] + c * X1[:, 2]
        return X1

    def _reentries(self, idx, t0, X0, dX0, amin0, X1, amin1, h):
        """As physics.longterm.decay._Run._reentries (linear in time within the step; the phase from its rate)."""
        from physics.longterm.decay import _reentry_event
        for row in np.flatnonzero(amin1 <= self.alt):
            f = np.clip((amin0[row] - self.alt) / max(amin0[row] - amin1[row], 1e-9), 0.0, 1.0)
            Xs = X0[row] + f * (X1[row] - X0[row])
            Xs[5] = X0[row, 5] + dX0[row, 5] * f * h[row]
            j = idx[row]
            self.events.append(_reentry_event(self.names[j], float(t0[row] + f * h[row]), Xs, self.alt))
            self.alive[j] = False
