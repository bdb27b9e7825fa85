"""What `simulate` prints for a [long_term] scenario: decay rates, reentry dates and places, the
solar-activity spread, reboosts, and the TLE comparison (numbers from the run itself)."""
from __future__ import annotations

import numpy as np

DAY_S = 86400.0


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


def summary_lines(lr) -> list[str]:
    res = lr.main
    lines = [f"Long run from {lr.start}",
             f"  epoch {res.epoch_utc}, solar activity: {res.activity_label}"]
    for name in res.body_names:
        b = lr.bodies[name]
        lines.append(f"  {name}: {b['mass_kg']:,.0f} kg, Cd {b['cd']:g} x {b['area_m2']:.0f} m^2 ({b['attitude']})")
    for j, name in enumerate(res.body_names):
        lines.append(f"{name}: mean altitude {res.alt_km[0, j]:.1f} km at the start, decaying "
                     f"{res.decay_m_per_day[0, j]:.1f} m/day")
        lines.append(f"  reentry (120 km): {reentry_text(res, name)}")
        if lr.spread:
            lines += [f"  {label:>8} activity: {reentry_text(r, name)}  (start {r.decay_m_per_day[0, j]:.1f} m/day)"
                      for label, r in lr.spread.items()]
        if lr.without_reboosts is not None and any(e.subject == name for e in res.events if e.kind == "burn"):
            lines.append(f"  without the reboosts: {reentry_text(lr.without_reboosts, name)}")
    lines += _burn_lines(res)
    if lr.check:
        c = lr.check
        lines += [f"Check against the TLEs ({c['days']:.2f} days to the TLE of {c['reference_epoch_utc']}):",
                  f"  simulated decay {c['sim_m_per_day']:.1f} m/day, TLE-derived {c['tle_m_per_day']:.1f} m/day: "
                  f"{c['difference_pct']:+.1f} %"]
    if lr.wall_s:
        lines.append("  computed in " + ", ".join(f"{k} {v:.1f} s" for k, v in lr.wall_s.items()))
    return lines


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
