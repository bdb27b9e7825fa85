"""What `simulate` prints for a [long_term] scenario: decay rates, reentry dates and places, the
solar-activity spread, reboosts, and the TLE comparison (numbers from the run itself)."""
from __future__ import annotations

import numpy as np

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402


def when(res, t_s: float) -> str:
    """UTC date and time (minutes) of t_s after the result's epoch."""
    t = np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(round(t_s)), "s")
    return str(t)[:16].replace("T", " ") + " UTC"


def place(ev) -> str:
    lat, lon = ev.data["lat_deg"], ev.data["lon_deg"]
    return f"{abs(lat):.1f} deg {'N' if lat >= 0 else 'S'}, {abs(lon):.1f} deg {'E' if lon >= 0 else 'W'}"


def reentry_text(res, name: str) -> str:
    ev = res.reentry(name)
    if ev is None:
        return f"not within {res.t_s[-1] / DAY_S:.0f} days (altitude then {np.nanmin(res.alt_km[-1:, res.body_names.index(name)]):.0f} km)"
    return f"{when(res, ev.t_s)} (day {ev.t_s / DAY_S:.0f}) near {place(ev)}"


def mean_decay_m_per_day(res, j: int, days: float = 30.0):
    """(rate m/day, window days): the mean decay of a over the first `days` (or the whole run if
    shorter), the figure a TLE comparison quotes (the start rate follows one day's activity); a is
    interpolated linearly within the step at the window's end (steps of 1-10 days, a nearly linear).
    None if the body burns or re-enters within that window."""
    t_end = min(days * DAY_S, float(res.t_s[-1]))
    ev = res.reentry(res.body_names[j])
    burned = any(e.kind == "burn" and e.subject == res.body_names[j] and e.t_s <= t_end for e in res.events)
    a = res.a_m[:, j]
    ok = np.isfinite(a)
    if t_end <= 0 or burned or (ev is not None and ev.t_s <= t_end) or res.t_s[ok][-1] < t_end:
        return None
    return (a[0] - np.interp(t_end, res.t_s[ok], a[ok])) / t_end * DAY_S, t_end / DAY_S


ACTIVITY_RANK = {"high": 0, "moderate": 1, "low": 2}     # for bodies still up: the calmest sun lasts longest


def spread_text(spread: dict, name: str) -> str:
    """The earliest and latest reentry over the spread's runs ('beyond DATE' for a body still up)."""
    down, up = [], []
    for label, r in spread.items():
        ev = r.reentry(name)
        if ev is not None:
            down.append((ev.t_s, f"{when(r, ev.t_s)[:10]} ({label})"))
        else:
            up.append((ACTIVITY_RANK.get(label, -1), f"beyond {when(r, float(r.t_s[-1]))[:10]} ({label}, still up "
                                                      "at the end of the run)", label))
    if not down:
        return f"no reentry within the runs ({', '.join(u[2] for u in sorted(up))} still up at their end)"
    down.sort()
    last = sorted(up)[-1][1] if up else down[-1][1]
    return f"reentry from {down[0][1]} to {last}"


def summary_lines(lr) -> list[str]:
    res = lr.main
    lines = [f"Long run from {lr.start}",
             f"  epoch {res.epoch_utc}, solar activity: {res.activity_label}"]
    for name in res.body_names:
        b = lr.bodies[name]
        k = b.get("drag_scale", 1.0)
        lines.append(f"  {name}: {b['mass_kg']:,.0f} kg, Cd {b['cd']:g} x {b['area_m2']:.0f} m^2"
                     + (" (orbit mean at beta 0; arrays tracking the Sun)" if b.get("sun_tracking") else "")
                     + (f" x drag scale {k:.3f} (calibrated)" if k != 1.0 else "") + f", attitude {b['attitude']}")
    for j, name in enumerate(res.body_names):
        mean = mean_decay_m_per_day(res, j)
        lines.append(f"{name}: mean altitude {res.alt_km[0, j]:.1f} km at the start, decaying "
                     f"{res.decay_m_per_day[0, j]:.1f} m/day"
                     + (f" (mean over the first {mean[1]:.0f} days: {mean[0]:.1f} m/day)" if mean else ""))
        lines.append(f"  reentry ({lr.reentry_alt_km:g} km): {reentry_text(res, name)}")
        if lr.spread:
            lines += [f"  ECSS {label:>8} (constant design bound): {reentry_text(r, name)}"
                      for label, r in lr.spread.items()]
            lines.append(f"  ECSS design bounds low..high (constant levels held for years; not a forecast): "
                         f"{spread_text(lr.spread, name)}")
        if lr.without_reboosts is not None and any(e.subject == name for e in res.events if e.kind == "burn"):
            lines.append(f"  without the reboosts: {reentry_text(lr.without_reboosts, name)}")
    if getattr(lr, "headline", None) is not None:
        lines += lr.headline.lines()
    lines += _burn_lines(res)
    if lr.check:
        c = lr.check
        lines += [f"Check against the TLEs ({c['days']:.2f} days to the TLE of {c['reference_epoch_utc']}):",
                  f"  simulated decay {c['sim_m_per_day']:.1f} m/day, TLE-derived {c['tle_m_per_day']:.1f} m/day: "
                  f"{c['difference_pct']:+.1f} %", _check_note(c)]
    if lr.wall_s:
        lines.append("  computed in " + ", ".join(f"{k} {v:.1f} s" for k, v in lr.wall_s.items()))
    return lines


def _check_note(c: dict) -> str:
    """How to read the check: the TLEs' own noise, and the goal of 10 % (met or not)."""
    from physics.longterm.calibration import GOAL_PCT, TLE_SIGMA_A_M
    noise = 100.0 * 2 ** 0.5 * TLE_SIGMA_A_M / (c["days"] * c["tle_m_per_day"])
    goal = "within" if abs(c["difference_pct"]) <= GOAL_PCT else "NOT within"
    return (f"  TLE noise of this check: +-{noise:.0f} % (two TLEs x {TLE_SIGMA_A_M:g} m); {goal} the {GOAL_PCT:g} % goal "
            "(the calibration's residual, docs/decay.md 'Drag calibration')")


def _burn_lines(res) -> list[str]:
    burns = [e for e in res.events if e.kind == "burn"]
    if not burns and not res.propellant_kg:
        return []
    lines = [f"Reboosts: {len(burns)} burns"]
    for v, prop in res.propellant_kg.items():
        mine = [e for e in burns if e.data["vehicle"] == v]
        used = sum(e.data["propellant_used_kg"] for e in mine)
        dv = sum(e.data["dv_mps"] for e in mine)
        last = f", last on {when(res, mine[-1].t_s)}" if mine else ""
        lines.append(f"  {v}: {len(mine)} burns, dv {dv:.2f} m/s, propellant used {used:.0f} kg, "
                     f"left {prop[-1]:.0f} kg{last}")
    return lines
