"""What the HUD shows, computed from the trajectory at the playhead (pure numpy, no Panda3D)."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from render import sky
from scenario.apart import apart_at, spin_lvlh_degps
from scenario.attitude_text import attitude_lines, segment_order



@dataclass(frozen=True)
class Telemetry:
    utc: str                      # "2022-03-05 12:04:00 UTC"
    since_release_s: float | None  # None when the run has no release
    range_m: float                # 'apart': port-to-port gap (scenario.apart; 0 while docked)
    range_rate_mps: float
    altitude_km: dict             # {body: km above WGS84}
    spin_degps: dict              # {body: |rate relative to its local horizon (LVLH)| in deg/s}
    loads: tuple | None           # (|F| N, |M| N m) through the latched port, while docked
    long_run: bool = False        # the run spans days: the HUD reads in days and km
    decay_km_per_day: dict | None = None   # {body: d(semi-major axis)/dt, km/day} over the last day (long runs)
    reentered: tuple = ()         # bodies already down (their samples stop moving: v = 0)
    since_start_s: float = 0.0    # time since the run's first sample
    centre_m: float = 0.0         # centre-of-mass range (shown only labelled "centre-to-centre")
    centre_rate_mps: float = 0.0
    attitude: tuple = ()          # one line per segment: what holds its attitude (scenario.attitude_text)


from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
LONG_RUN_S = 2 * DAY_S
RATE_WINDOW_S = 5 * DAY_S
from physics.constants import MU_EARTH_M3PS2 as MU_EARTH  # noqa: E402


def decay_rates_km_per_day(traj, t_s: float) -> dict:
    """How fast each body's orbit sinks at t_s, km/day (negative = falling), from the 5 days before
    t_s (the first 5 days, early on). Least-squares fit of the sampled radius, t measured from the
    window's end: |r|(t) = c0 + c1 t + c2 t^2 + (A + C t) cos(n t) + (B + D t) sin(n t); c1 is the rate
    at the end, c2 follows the speeding-up decay of the last weeks. The radius swings by +-e a (several
    km) around each orbit, far more than a day's decay (tens of metres at 420 km); the cos/sin terms
    at the mean motion n take that swing out, and the t cos / t sin terms absorb the slow drift of
    its phase (the swing runs at the anomalistic rate, which J2 and the decay itself pull away from
    n by ~1e-3), leaving c1, the mean decay rate. One day of 300-s samples left ~0.05 km/day of
    scatter (sign flips at 420 km, measured on decay-no-reboost); five days agree with two-day mean
    radii to ~0.005 km/day."""
    t = np.asarray(traj.t_s, float)
    ta = max(float(t[0]), t_s - RATE_WINDOW_S)
    tb = min(float(t[-1]), ta + RATE_WINDOW_S)
    k = np.flatnonzero((t >= ta) & (t <= tb))
    if len(k) < 12:
        return {}
    out = {}
    for i, name in enumerate(traj.body_names):
        moving = np.linalg.norm(traj.v_gcrs_mps[k, i], axis=-1) > 1.0
        if not moving.all():
            continue                                   # re-entered within the window
        rn = np.linalg.norm(traj.r_gcrs_m[k, i], axis=-1)
        n = math.sqrt(MU_EARTH / float(rn.mean()) ** 3)
        dt = t[k] - tb
        c, sn = np.cos(n * dt), np.sin(n * dt)
        A = np.stack([np.ones_like(dt), dt, dt * dt, c, sn, dt * c, dt * sn], -1)
        coef = np.linalg.lstsq(A, rn, rcond=None)[0]
        out[name] = float(coef[1] * DAY_S / 1e3)
    return out


def utc_string(epoch_utc: str, t_s: float) -> str:
    t0 = dt.datetime.fromisoformat(epoch_utc.replace("Z", "+00:00"))
    return (t0 + dt.timedelta(seconds=float(t_s))).strftime("%Y-%m-%d %H:%M:%S UTC")


def clock(seconds: float) -> str:
    """'T+ 1:02:03' / 'T- 0:00:59'."""
    sign = "-" if seconds < 0 else "+"
    s = int(round(abs(seconds)))
    return f"T{sign} {s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def altitude_m(r_itrs_m: np.ndarray) -> float:
    """WGS84 geodetic altitude (physics.frames: the one geodetic formula)."""
    from physics.frames import geodetic_from_itrs
    return float(geodetic_from_itrs(np.asarray(r_itrs_m, float))[2])


def release_time(traj) -> float | None:
    return next((float(e.t_s) for e in getattr(traj, "events", ()) if e.kind == "release"), None)


def latch_loads(traj, t_s: float) -> tuple[float, float] | None:
    loads = (getattr(traj, "metadata", None) or {}).get("loads")
    t_rel = release_time(traj)
    if not loads or (t_rel is not None and t_s >= t_rel):
        return None
    if "latch_loads_n" not in loads:           # {latch name: {...}}: the first latch
        loads = next(iter(loads.values()))
    F = np.asarray(loads["latch_loads_n"], float).reshape(-1, 3)
    M = np.asarray(loads["latch_loads_nm"], float).reshape(-1, 3)
    if len(F) == 0:
        return None
    times = np.asarray(loads.get("t_s", traj.t_s[:len(F)]), float)
    k = int(np.clip(np.searchsorted(times, t_s), 0, len(F) - 1))
    return float(np.linalg.norm(F[k])), float(np.linalg.norm(M[k]))


def telemetry(traj, t_s: float, ports_body_m: dict | None = None) -> Telemetry:
    """Every HUD number at t_s. The distance is scenario.apart's (ports from the trajectory's metadata);
    ports_body_m is not used any more (kept so older callers keep working)."""
    from render.longstate import state_at
    state = state_at(traj, float(t_s))
    r, v = state[0], state[1]
    R_itrs = sky.itrs_from_gcrs(traj.epoch_tt_jd, float(t_s))
    names = list(traj.body_names)
    row = {n: i for i, n in enumerate(names)}
    alt = {n: altitude_m(R_itrs @ r[row[n]]) / 1e3 for n in segment_order(names)}   # US first, as the attitude lines
    ap = apart_at(traj, t_s, state)
    t_rel = release_time(traj)
    long_run = float(traj.t_s[-1] - traj.t_s[0]) > LONG_RUN_S
    down = ()
    if long_run:      # months: orbit-mean altitudes (render/longrun.py), re-entered bodies from their events
        from render.longrun import orbit_mean_altitude_km, reentered
        gone = reentered(traj, float(t_s))
        down = tuple(n for n in names if n in gone)
        alt.update(orbit_mean_altitude_km(traj, float(t_s)))
    return Telemetry(utc_string(traj.epoch_utc, t_s), None if t_rel is None else t_s - t_rel,
                     ap.gap_m if ap else 0.0, ap.gap_rate_mps if ap else 0.0, alt, spin_lvlh_degps(traj, t_s, state),
                     latch_loads(traj, t_s), long_run,
                     decay_rates_km_per_day(traj, float(t_s)) if long_run else None, down,
                     float(t_s - traj.t_s[0]), ap.centre_m if ap else 0.0, ap.centre_rate_mps if ap else 0.0,
                     attitude_lines(traj) if t_rel is not None and len(names) >= 2 and not long_run else ())


def days_text(seconds: float) -> str:
    """'day 45.3' style: days with one decimal (0.1 day = 2.4 h)."""
    return f"{seconds / DAY_S:.1f} days"


def long_run_lines(tm: Telemetry) -> list[str]:
    """HUD for a months-long run: days since the split, km apart, each segment's altitude and how fast
    its orbit is sinking (or 're-entered')."""
    names = {"ROS": "Russian", "USOS": "US"}
    since = tm.since_release_s if tm.since_release_s is not None else tm.since_start_s
    # one body (the docked station, iss-2022-check): nothing split; days count from the start
    since_what = "the split" if len(tm.altitude_km) >= 2 else "the start"
    lines = [tm.utc[:16] + " UTC", f"{days_text(since)} since {since_what}"]
    if len(tm.altitude_km) >= 2 and not tm.reentered:      # no distance to a segment that is gone
        lines.append(f"apart  {tm.range_m / 1e3:,.0f} km")
    for name, alt in tm.altitude_km.items():
        label = names.get(name, name)
        if name in tm.reentered:
            lines.append(f"{label:<8} re-entered (below 120 km)")
            continue
        rate = (tm.decay_km_per_day or {}).get(name)
        tail = f"   {rate:+.2f} km/day" if rate is not None else ""
        lines.append(f"{label:<8} mean alt {alt:6.1f} km{tail}")
    return lines


PLAIN_SEGMENT = {"ROS": "Russian segment", "USOS": "US segment"}


def fmt_turn(deg_per_min: float) -> str:
    from render.captions import fmt_turn as f
    return f(deg_per_min)


def plain_segment(name: str) -> str:
    return PLAIN_SEGMENT.get(name, name)


def apart_line(tm: Telemetry) -> str:
    """'Apart: 11 m, separating at 2.3 cm/s': the gap between the docking ports, in the captions' rounding."""
    from render.captions import fmt_distance, fmt_speed
    rate = tm.range_rate_mps
    words = f"separating at {fmt_speed(rate)}" if rate >= -1e-5 else f"closing at {fmt_speed(-rate)}"
    return f"Apart: {fmt_distance(tm.range_m)}, {words}"


def since_line(tm: Telemetry) -> str:
    if tm.since_release_s is None:
        return "no release in this run"
    s = tm.since_release_s
    if s < 0:
        return f"hooks open in {clock(-s)[3:]}"
    return f"{clock(s)[3:]} since the hooks opened"


def hud_lines(tm: Telemetry, technical: bool = False) -> list[str]:
    """The HUD text, one line each. Plain words by default (segments by name, 'apart', turning
    relative to the horizon); technical=True adds the port gap and centre-to-centre range to the
    centimetre, each body's LVLH spin and the interface loads, with their jargon."""
    if tm.long_run:
        return long_run_lines(tm)
    if technical:
        return technical_lines(tm)
    lines = [tm.utc, since_line(tm)]
    if len(tm.altitude_km) >= 2 and tm.since_release_s is not None and tm.since_release_s >= 0:
        lines.append(apart_line(tm))
    for name in tm.altitude_km:
        lines.append(f"{plain_segment(name)}: {tm.altitude_km[name]:.1f} km up, "
                     f"turning {fmt_turn(60.0 * tm.spin_degps[name])} against the horizon")
    if tm.since_release_s is not None and tm.since_release_s >= 0:
        lines += list(tm.attitude)
    return lines


def technical_lines(tm: Telemetry) -> list[str]:
    lines = [tm.utc, "release  " + (clock(tm.since_release_s) if tm.since_release_s is not None else "none")]
    if len(tm.altitude_km) >= 2:
        lines.append(f"port gap  {_m(tm.range_m)}   rate {tm.range_rate_mps:+.4f} m/s")
        lines.append(f"centre-to-centre  {_m(tm.centre_m)}   rate {tm.centre_rate_mps:+.4f} m/s")
    for name in tm.altitude_km:
        lines.append(f"{name:<5} alt {tm.altitude_km[name]:7.2f} km   spin rel. LVLH {tm.spin_degps[name]:.4f} deg/s")
    if tm.loads is not None:
        lines.append(f"interface load  {tm.loads[0]:.1f} N   {tm.loads[1]:.1f} N m")
    return lines


def _m(d_m: float) -> str:
    return f"{d_m:.2f} m" if d_m < 1000 else f"{d_m / 1e3:.3f} km"
