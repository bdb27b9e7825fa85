"""Months to years of orbital decay: bodies, reboosts and reentry, with orbit-averaged mean elements.

Entry point: `run_long_term(bodies, initial, epoch_utc, duration_s, activity, reboosts=()) ->
LongTermResult`. The method (mean elements, J2 secular rates, drag averaged over one revolution with
NRLMSIS at the geodetic altitude and a co-rotating atmosphere, RK4 with steps of up to 12 h) and its
validation are in docs/decay.md; the rates are in physics/longterm/rates.py.
Reboost burns are impulsive along-track velocity changes (a burn of minutes against a step of hours;
a tangential burn raises a by the same amount whether spread or not, to first order); they leave e
unchanged (real reboosts are phased to keep the orbit circular).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.longterm.attitude import SunInFrameE, inverse_ballistic
from physics.longterm.density import msis_model, _utc64
from physics.longterm.elements import MeanElements
from physics.longterm.rates import (MU_M3PS2, R_EQ_M, AveragingOptions, averaged_rates, default_step_cap,
                                 j2_secular, orbit_points, sample_geodetic, step_dalt_m)
from physics.errors import PhysicsInputError
from physics.trajectory import Event          # the same record as in 6-DOF trajectories (kinds here: burn, reentry)

from physics.constants import G0_MPS2 as G0  # noqa: E402
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402


@dataclass(frozen=True)
class DecayBody:
    """A body for long runs: mass and drag area in one attitude mode (physics/longterm/attitude.py).

    area_m2: the constant drag area, or (with `sun_tracking`) the orbit-mean at beta = 0, for display.
    sun_tracking: a SunTrackingArea: the area then follows the Sun-tracking arrays around each orbit.
    drag_scale: the calibrated effective drag factor on Cd A (1 = uncalibrated; `calibrate` fits it).
    """
    name: str
    mass_kg: float
    cd: float
    area_m2: float
    attitude: str = "flight"        # "flight" | "edge-on" | "tumbling" (physics.longterm.attitude.MODES)
    sun_tracking: object = None     # physics.longterm.attitude.SunTrackingArea or None
    drag_scale: float = 1.0

    def __post_init__(self):
        if not (self.mass_kg > 0 and self.cd >= 0 and self.area_m2 >= 0 and self.drag_scale > 0):
            raise PhysicsInputError(f"decay: body {self.name}: need mass_kg > 0, cd >= 0, area_m2 >= 0 "
                                    f"drag_scale > 0 (got {self.mass_kg}, {self.cd}, {self.area_m2}, {self.drag_scale})")

    @property
    def inv_ballistic_m2pkg(self) -> float:
        return self.cd * self.area_m2 / self.mass_kg


def area_from_table(directions: np.ndarray, area_m2: np.ndarray, attitude: str,
                    wind_dir_body=(-1.0, 0.0, 0.0)) -> float:
    """Drag area from a projected-area table (directions (N,3) unit, area (N,)), e.g. DragShape's.

    "flight" / "edge-on": the area for the table direction closest to the relative wind's travel in the body
    frame (+XVV flight: the body flies along +X, so the wind travels along -X).
    "tumbling": the mean over the table's directions (they must cover the sphere uniformly, as a
    Fibonacci lattice does): the orientation-averaged projected area.
    """
    d, A = np.asarray(directions, dtype=float), np.asarray(area_m2, dtype=float)
    if attitude == "tumbling":
        return float(A.mean())
    if attitude in ("flight", "edge-on"):
        return float(A[np.argmax(d @ np.asarray(wind_dir_body, dtype=float))])
    raise PhysicsInputError(f"decay: attitude: '{attitude}' is not 'flight', 'edge-on' or 'tumbling'")


@dataclass(frozen=True)
class ReboostVehicle:
    """A docked vehicle that can reboost `body`: thrust along the velocity, its own propellant."""
    name: str
    body: str
    thrust_n: float
    isp_s: float
    propellant_kg: float
    max_burn_s: float
    source: str = ""

    def __post_init__(self):
        if not (self.thrust_n > 0 and self.isp_s > 0 and self.propellant_kg >= 0 and self.max_burn_s > 0):
            raise PhysicsInputError(f"decay: vehicle {self.name}: need thrust_n > 0, isp_s > 0, "
                                    "propellant_kg >= 0, max_burn_s > 0")


# Derived from reference reboosts (iss_configuration.md §6.4, solar_activity_and_decay.md §8.1):
PROGRESS_MS = dict(thrust_n=768.0, isp_s=265.0, propellant_kg=850.0, max_burn_s=1000.0,
                   source="thrust DERIVED 14 May 2022: 1.1 m/s in 659 s on ~460 t (ref. range 0.7-0.85 kN); "
                          "Isp DERIVED from its 194.74 kg; propellant for reboost ESTIMATE (UNVERIFIED)")
CYGNUS_NG17 = dict(thrust_n=443.0, isp_s=300.0, propellant_kg=300.0, max_burn_s=301.0,
                   source="thrust DERIVED 25 Jun 2022: ~0.28 m/s in 301 s on ~476 t; Isp and propellant ESTIMATE")
CARGO_DRAGON = dict(thrust_n=210.0, isp_s=300.0, propellant_kg=300.0, max_burn_s=750.0,
                    source="thrust DERIVED 8 Nov 2024 CRS-31 reboost with Dragon's own Dracos (NASA: 12 min 30 s, "
                           "perigee +0.7 mi): da ~0.62 km -> ~0.35 m/s in 750 s on ~450 t; Isp and propellant "
                           "ESTIMATE. Not the trunk boost kit (first flown on CRS-33, Aug 2025)")


@dataclass(frozen=True)
class ScheduledBurn:
    t_s: float
    vehicle: str
    duration_s: float


@dataclass(frozen=True)
class KeepAbove:
    """Altitude keeping: when the mean altitude (a - R_eq) of the vehicle's body falls below
    floor_km, burn (up to max_burn_s per burn) towards raise_to_km, while propellant lasts."""
    vehicle: str
    floor_km: float = 400.0
    raise_to_km: float = 405.0


@dataclass(frozen=True)
class LongTermResult:
    """Arrays sampled at every step (K rows, n bodies); NaN after a body's reentry."""
    epoch_utc: str
    body_names: tuple[str, ...]
    activity_label: str
    t_s: np.ndarray                # (K,)
    alt_km: np.ndarray             # (K,n) mean altitude a - R_eq (the TLE-style figure)
    min_alt_km: np.ndarray         # (K,n) lowest geodetic altitude around the orbit
    a_m: np.ndarray                # (K,n)
    e: np.ndarray                  # (K,n)
    i_deg: np.ndarray              # (K,n)
    raan_deg: np.ndarray           # (K,n) in the Earth-fixed frame frozen at the epoch
    mass_kg: np.ndarray            # (K,n)
    decay_m_per_day: np.ndarray    # (K,n) -da/dt
    propellant_kg: dict            # vehicle name -> (K,)
    events: tuple[Event, ...]
    elements: np.ndarray           # (K,n,6) mean [a, ex, ey, i, raan, lam] in E (physics/longterm/rates.py)
    attitudes: tuple = ()          # each body's attitude mode ("flight" | "edge-on" | "tumbling")

    def reentry(self, body: str) -> Event | None:
        return next((e for e in self.events if e.kind == "reentry" and e.subject == body), None)

    def t_days(self) -> np.ndarray:
        return self.t_s / DAY_S

    def positions_gcrs_m(self, t_s: float) -> np.ndarray:
        """(n,3) GCRS positions at t_s (NaN once re-entered), for globe/ground-track views over months.

        The mean elements of the last step <= t_s carried at their J2 secular rates, blended towards
        the next step's (`blended_elements`: continuous across step boundaries), at the sample radius
        of the averaged model; the along-track J2 short-period terms (a few km) are left out.
        """
        from physics.frames import gcrs_from_itrs
        from physics.timebase import Epoch
        K = len(self.t_s)
        k = int(np.clip(np.searchsorted(self.t_s, t_s, side="right") - 1, 0, K - 1))
        X0 = self.elements[k].copy()
        ok = np.isfinite(X0[:, 0])
        X0[~ok] = self.elements[0][~ok]
        X1 = self.elements[k + 1] if k + 1 < K else np.full_like(X0, np.nan)
        h = np.full(len(X0), self.t_s[k + 1] - self.t_s[k] if k + 1 < K else np.inf)
        X = blended_elements(X0, X1, np.full(len(X0), float(t_s) - self.t_s[k]), h)
        r_E = orbit_points(X, np.zeros((X.shape[0], 1)))[0][:, 0]
        r = r_E @ gcrs_from_itrs(Epoch.from_utc(self.epoch_utc).tt_jd, 0.0).T
        r[~ok] = np.nan
        return r


def carried_elements(X0: np.ndarray, dt_s: np.ndarray) -> np.ndarray:
    """Elements (N,6) carried dt_s (N,) at their J2 secular rates (no drag)."""
    X = X0.copy()
    raan_dot, argp_dot, lam_dot = j2_secular(X0)
    c, s = np.cos(argp_dot * dt_s), np.sin(argp_dot * dt_s)
    X[:, 1], X[:, 2] = c * X0[:, 1] - s * X0[:, 2], s * X0[:, 1] + c * X0[:, 2]
    X[:, 4] += raan_dot * dt_s
    X[:, 5] += lam_dot * dt_s
    return X


def blended_elements(X0: np.ndarray, X1: np.ndarray, dt_s: np.ndarray, h_s: np.ndarray) -> np.ndarray:
    """Elements (N,6) at dt_s (N,) into a step of length h_s (N,) from X0 to X1 (N,6) each.

    X0 carried at the J2 rates, plus the mismatch with X1 at the step's end added with weight
    s = dt/h for a, e-vector, i and node and s^2 for the phase (drag lowers a about linearly within
    a step, so the extra phase it gains grows as 1/2 (dn/dt) t^2). Without the blend the position
    jumps at each step boundary by 1/2 dn h in phase: ~3e-4 rad with 1-day steps, up to ~0.4 rad with
    10-day steps at high activity. Where X1 is not finite or h is infinite (last step, reentry within
    the step) X0 is only carried. Equal to X0 at dt = 0 and to X1 at dt = h (to round-off in the phase).
    """
    X = carried_elements(X0, dt_s)
    nxt = np.isfinite(h_s) & np.isfinite(X1[:, 0])
    if not nxt.any():
        return X
    miss = np.where(nxt[:, None], X1, 0.0) - carried_elements(X0, np.where(nxt, h_s, 0.0))
    miss[:, 4:6] = np.angle(np.exp(1j * miss[:, 4:6]))            # node and phase: the nearest turn
    s = np.where(nxt, dt_s / np.where(nxt, h_s, 1.0), 0.0)
    X[:, :5] += s[:, None] * np.where(nxt[:, None], miss[:, :5], 0.0)
    X[:, 5] += s ** 2 * np.where(nxt, miss[:, 5], 0.0)
    return X


def run_long_term(bodies, initial, epoch_utc: str, duration_s: float, activity=None, reboosts=(),
                  vehicles=(), *, density=None, options: AveragingOptions = AveragingOptions(),
                  max_step_s: float | None = None, max_dalt_m: float | None = None,
                  reentry_alt_m: float = 120e3, progress=None) -> LongTermResult:
    """Propagate `bodies` (sequence of DecayBody) from `initial` (MeanElements, or one per body).

    activity: a physics.spaceweather model (used for NRLMSIS unless `density` is given).
    vehicles: ReboostVehicle sequence; reboosts: ScheduledBurn / KeepAbove plans naming them.
    progress: optional callable(fraction of duration_s done), called after every step.
    Step: at most max_step_s (default, `default_step_cap`: 10 days for NRLMSIS with a constant
    level or with a table's smooth monthly part, 1 day with its day-by-day part and with any given
    `density`, which may change from day to day; pass max_step_s to choose; halving it moves the
    1-year altitude or the reentry date by < 0.2 %),
    and at most max_dalt_m of decay (default 1/12 of a density scale height: 3.5 km at 400 km,
    0.8 km at 120 km, so the density changes by <= 9 % per step).
    """
    bodies = tuple(bodies)
    names = tuple(b.name for b in bodies)
    X = _initial_matrix(initial, len(bodies))
    cap = default_step_cap(activity, epoch_utc, density is None) if max_step_s is None else (lambda t: max_step_s)
    if density is None:
        if activity is None:
            raise PhysicsInputError("decay: activity: needed when no density model is given")
        density = msis_model(epoch_utc, activity)
    _utc64(epoch_utc)
    run = _Run(bodies, names, X, density, options, tuple(vehicles), tuple(reboosts), reentry_alt_m, epoch_utc)
    run.progress = progress
    run.loop(float(duration_s), cap, max_dalt_m)
    label = getattr(activity, "label", "custom density")
    return run.result(epoch_utc, label)


def _initial_matrix(initial, n: int) -> np.ndarray:
    items = [initial] * n if isinstance(initial, MeanElements) else list(initial)
    if len(items) != n:
        raise PhysicsInputError(f"decay: initial: {len(items)} element sets for {n} bodies")
    return np.array([m.as_row() for m in items], dtype=float)


class _Run:
    """The integration loop's working state (how it is now); one instance per call."""

    def __init__(self, bodies, names, X, density, options, vehicles, plans, reentry_alt_m, epoch_utc):
        self.names, self.X, self.density, self.opts = names, X, density, options
        self.attitudes = tuple(b.attitude for b in bodies)
        self.mass = np.array([b.mass_kg for b in bodies], dtype=float)
        self.cda = np.array([b.cd * b.drag_scale * b.area_m2 for b in bodies], dtype=float)
        self.cd_eff = np.array([b.cd * b.drag_scale for b in bodies], dtype=float)
        self.tracking = [b.sun_tracking for b in bodies]
        self.sun = SunInFrameE(epoch_utc) if any(p is not None for p in self.tracking) else None
        self.alive = np.ones(len(bodies), dtype=bool)
        self.vehicles = {v.name: v for v in vehicles}
        self.prop = {v.name: float(v.propellant_kg) for v in vehicles}
        for v in vehicles:
            if v.body not in names:
                raise PhysicsInputError(f"decay: vehicle {v.name}: body '{v.body}' is not one of {names}")
        for p in plans:
            if p.vehicle not in self.vehicles:
                raise PhysicsInputError(f"decay: reboost plan: vehicle '{p.vehicle}' is not defined")
        self.scheduled = sorted((p for p in plans if isinstance(p, ScheduledBurn)), key=lambda p: p.t_s)
        self.keep = [p for p in plans if isinstance(p, KeepAbove)]
        self.reentry_alt_m = reentry_alt_m
        self.t, self.rows, self.events = 0.0, [], []
        self.progress = None

    def rates(self, t, X):
        """Rates of the live bodies only; a re-entered body is frozen (zero rate, NaN lowest point).
        Its last RK4 step may have overshot below the ground (a < R, non-finite samples), so it must
        not be handed to NRLMSIS again, and evaluating it would only waste time."""
        dX, amin = np.zeros_like(X), np.full(X.shape[0], np.nan)
        live = self.alive
        if live.any():
            dX[live], amin[live] = averaged_rates(t, X[live], self._inv_ballistic(live),
                                                  self.density, self.opts, apsidal=False)
        return dX, amin

    def _inv_ballistic(self, live):
        """Cd A / m of the live bodies: (n,) constants, or a function of the sample points when a body
        tracks the Sun with its arrays (its area then varies around the orbit)."""
        return inverse_ballistic(self.cda[live] / self.mass[live], np.flatnonzero(live), self.sun, self.tracking,
                                 self.cd_eff, self.mass)

    def record(self, dX, amin):
        nan = np.where(self.alive, 1.0, np.nan)
        self.rows.append((self.t, self.X.copy(), amin * nan, self.mass * nan, -dX[:, 0] * DAY_S * nan,
                          dict(self.prop), nan))

    def loop(self, duration_s, step_cap, max_dalt_m):
        self._burns()                      # burns scheduled at t <= 0, or a start below a floor
        dX, amin = self.rates(self.t, self.X)
        self.record(dX, amin)
        while self.t < duration_s - 1e-6 and self.alive.any():
            dalt = step_dalt_m(self.X[self.alive, 0]) if max_dalt_m is None else max_dalt_m
            rate = np.abs(dX[self.alive, 0]) + 1e-30
            cap = step_cap(self.t)
            h = min(cap, duration_s - self.t, max(60.0, float(np.min(dalt / rate))))
            if self.scheduled and self.scheduled[0].t_s > self.t:
                h = min(h, self.scheduled[0].t_s - self.t)
            X0, dX0, amin0, t0 = self.X, dX, amin, self.t
            self.X = self._rk4(t0, X0, dX0, h)
            self.t = t0 + h
            dX, amin = self.rates(self.t, self.X)
            self._reentries(t0, X0, dX0, amin0, amin, h)
            if self._burns():
                dX, amin = self.rates(self.t, self.X)
            self.record(dX, amin)
            if self.progress is not None:
                self.progress(min(self.t / duration_s, 1.0))

    def _rk4(self, t, X, k1, h):
        """RK4 on everything but the J2 turning of (ex, ey), which is then applied as an exact
        rotation (RK4 would shrink e by ~5e-4 per 10-day step, where it turns by 37 deg)."""
        k2, _ = self.rates(t + h / 2, X + h / 2 * k1)
        k3, _ = self.rates(t + h / 2, X + h / 2 * k2)
        k4, _ = self.rates(t + h, X + h * k3)
        X1 = X + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        live = self.alive
        angle = np.zeros(X.shape[0])
        angle[live] = 0.5 * h * (j2_secular(X[live])[1] + j2_secular(X1[live])[1])
        c, s = np.cos(angle), np.sin(angle)
        X1[:, 1], X1[:, 2] = c * X1[:, 1] - s * X1[:, 2], s * X1[:, 1] + c * X1[:, 2]
        return X1

    def _reentries(self, t0, X0, dX0, amin0, amin1, h):
        for j in np.flatnonzero(self.alive & (amin1 <= self.reentry_alt_m)):
            f = np.clip((amin0[j] - self.reentry_alt_m) / max(amin0[j] - amin1[j], 1e-9), 0.0, 1.0)
            t_star = t0 + f * h
            Xs = X0[j] + f * (self.X[j] - X0[j])
            Xs[5] = X0[j, 5] + dX0[j, 5] * f * h      # the phase from its rate, not interpolated across revs
            self.events.append(_reentry_event(self.names[j], t_star, Xs, self.reentry_alt_m))
            self.alive[j] = False

    def _burns(self) -> bool:
        fired = False
        while self.scheduled and self.scheduled[0].t_s <= self.t + 1e-6:
            p = self.scheduled.pop(0)
            fired |= self._burn(self.vehicles[p.vehicle], p.duration_s, "scheduled")
        for p in self.keep:
            v = self.vehicles[p.vehicle]
            j = self.names.index(v.body)
            if self.alive[j] and (self.X[j, 0] - R_EQ_M) < p.floor_km * 1e3:
                fired |= self._burn(v, _burn_time(self.X[j, 0], p.raise_to_km * 1e3 + R_EQ_M,
                                                  self.mass[j], v), "keep-above")
        return fired

    def _burn(self, v: ReboostVehicle, duration_s: float, why: str) -> bool:
        j = self.names.index(v.body)
        mdot = v.thrust_n / (v.isp_s * G0)
        dm = min(mdot * min(duration_s, v.max_burn_s), self.prop[v.name])
        if dm <= 0.0 or not self.alive[j]:
            return False
        dv = v.isp_s * G0 * np.log(self.mass[j] / (self.mass[j] - dm))
        a0 = self.X[j, 0]
        vc = np.sqrt(MU_M3PS2 / a0)
        self.X[j, 0] = 1.0 / (2.0 / a0 - (vc + dv) ** 2 / MU_M3PS2)       # vis-viva at r = a
        self.mass[j] -= dm
        self.prop[v.name] -= dm
        self.events.append(Event(self.t, "burn", v.body, dict(
            vehicle=v.name, why=why, duration_s=float(dm / mdot), dv_mps=float(dv),
            da_m=float(self.X[j, 0] - a0), propellant_used_kg=float(dm),
            propellant_left_kg=float(self.prop[v.name]))))
        return True

    def result(self, epoch_utc, label) -> LongTermResult:
        t = np.array([r[0] for r in self.rows])
        X = np.array([r[1] for r in self.rows])
        nan = np.array([r[6] for r in self.rows])
        col = lambda k: np.array([r[k] for r in self.rows])
        prop = {v: np.array([r[5][v] for r in self.rows]) for v in self.prop}
        return LongTermResult(
            epoch_utc, self.names, label, t, (X[..., 0] - R_EQ_M) / 1e3 * nan, col(2) / 1e3, X[..., 0] * nan,
            np.hypot(X[..., 1], X[..., 2]) * nan, np.degrees(X[..., 3]) * nan,
            np.degrees(np.mod(X[..., 4], 2 * np.pi)) * nan, col(3), col(4), prop,
            tuple(sorted(self.events, key=lambda e: e.t_s)), X * nan[..., None], self.attitudes)


def _burn_time(a_m: float, a_target_m: float, mass_kg: float, v: ReboostVehicle) -> float:
    """Burn duration that raises a to a_target (small-burn approximation da = 2 a dv / v_c)."""
    dv = max(a_target_m - a_m, 0.0) * np.sqrt(MU_M3PS2 / a_m) / (2.0 * a_m)
    return dv * mass_kg / v.thrust_n


def _reentry_event(name: str, t_star: float, Xs: np.ndarray, alt_m: float) -> Event:
    """Place: the first point of the orbit from t_star on whose geodetic altitude is <= alt_m (or the
    lowest point of that revolution), from the mean elements and the argument of latitude."""
    du = np.linspace(0.0, 2.0 * np.pi, 721)[None, :]
    lat, lon, alt, t_k, _ = sample_geodetic(Xs[None, :], t_star, du)
    k = int(np.argmax(alt[0] <= alt_m)) if (alt[0] <= alt_m).any() else int(np.argmin(alt[0]))
    return Event(float(t_k[0, k]), "reentry", name, dict(
        lat_deg=float(np.degrees(lat[0, k])), lon_deg=float(np.degrees(lon[0, k])),
        alt_m=float(alt[0, k]), t_crossing_s=float(t_star)))
