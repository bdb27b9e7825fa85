"""What a run shows, in numbers: separation speed, spins, range after one orbit, altitudes, loads
on the interface before release, and the momentum ledger across the push."""
from __future__ import annotations

import math

import numpy as np

from scenario.apart import fmt_distance, fmt_speed, spin_lvlh_radps
from scenario.cw import mean_motion, relative_lvlh

DEG = 180.0 / math.pi


def event_time(traj, kind: str):
    for e in traj.events:
        if e.kind == kind:
            return float(e.t_s)
    return None


def pair(traj) -> tuple[int, int] | None:
    """Indices (a, b) of the two released bodies (ROS, USOS for the station), from the metadata."""
    rel = traj.metadata.get("release") or {}
    names = list(traj.body_names)
    if rel.get("body_a") in names and rel.get("body_b") in names:
        return names.index(rel["body_a"]), names.index(rel["body_b"])
    return (1, 0) if len(names) >= 2 else None      # no release: the second body seen from the first


def sample_after(traj, t: float) -> int:
    """Index of the first output sample at or after t (the last one if none)."""
    return int(min(np.searchsorted(traj.t_s, t - 1e-9), len(traj.t_s) - 1))


def sample_before(traj, t: float) -> int:
    """Index of the last output sample strictly before t (0 if none)."""
    return int(max(np.searchsorted(traj.t_s, t - 1e-9) - 1, 0))


def altitude_m(traj, k: int) -> np.ndarray:
    """(n,) geodetic altitude of every body at sample k."""
    from physics.frames import geodetic_from_itrs, itrs_from_gcrs
    R = itrs_from_gcrs(traj.epoch_tt_jd, float(traj.t_s[k]))
    _, _, alt = geodetic_from_itrs(traj.r_gcrs_m[k] @ R.T)
    return np.atleast_1d(alt)


def spin_relative_to_lvlh(traj, k: int) -> np.ndarray:
    """(n,3) body rate minus the rate of the body's LVLH frame, body axes, rad/s (scenario.apart)."""
    return spin_lvlh_radps(traj.r_gcrs_m[k], traj.v_gcrs_mps[k], traj.q_gcrs_from_body[k],
                           traj.omega_body_radps[k])


def apart_text(traj, t_s: float) -> str:
    """'583 m, closing at 3.3 cm/s': the HUD's 'apart' line at t_s (same function, same rounding)."""
    from scenario.apart import apart_at
    ap = apart_at(traj, t_s)
    if ap is None:
        return "n/a (one body)"
    words = (f"separating at {fmt_speed(ap.gap_rate_mps)}" if ap.gap_rate_mps >= -1e-5
             else f"closing at {fmt_speed(-ap.gap_rate_mps)}")
    return f"{fmt_distance(ap.gap_m)}, {words}  ({ap.gap_m:.2f} m)"


def velocity_after_push(traj, a: int, b: int) -> tuple[float, int, np.ndarray]:
    """(push end time, index of the first sample at or after it, velocity of body a relative to body b
    in b's LVLH frame there (3,) m/s): the "separation speed" `simulate` prints and the ensemble's
    members keep (its norm), one definition."""
    t_rel = event_time(traj, "release")
    t_push = event_time(traj, "push_end") or t_rel or float(traj.t_s[0])
    k1 = sample_after(traj, t_push)
    _, rho_dot = relative_lvlh(traj.r_gcrs_m[k1:k1 + 1], traj.v_gcrs_mps[k1:k1 + 1], a, b)
    return t_push, k1, rho_dot[0]


def separation(traj) -> dict | None:
    """Relative motion of body a seen from body b (LVLH of b) just after the push and one orbit later."""
    ab = pair(traj)
    if ab is None:
        return None
    a, b = ab
    t_rel = event_time(traj, "release")
    t_push, k1, v_rel = velocity_after_push(traj, a, b)
    out = {"a": traj.body_names[a], "b": traj.body_names[b], "t_release_s": t_rel, "t_push_end_s": t_push,
           "t_after_s": float(traj.t_s[k1]), "v_rel_lvlh_mps": v_rel,
           "speed_mps": float(np.linalg.norm(v_rel)), "k_after": k1}
    n = mean_motion(traj.r_gcrs_m[k1, b], traj.v_gcrs_mps[k1, b])
    out["period_s"] = 2 * math.pi / n
    # "one orbit later" means the same moment everywhere (HUD, captions, presenter): scenario.apart's
    from scenario.apart import one_orbit_after_release
    t_orbit = one_orbit_after_release(traj) or (t_push + 2 * math.pi / n)
    out["t_orbit_s"] = t_orbit
    if t_orbit <= traj.t_s[-1]:
        r, v, _, _ = traj.state_at(t_orbit)
        d, dv = r[a] - r[b], v[a] - v[b]
        out["range_orbit_m"] = float(np.linalg.norm(d))
        out["range_rate_orbit_mps"] = float(d @ dv / np.linalg.norm(d))
        rho1, _ = relative_lvlh(r[None], v[None], a, b)
        out["rho_orbit_lvlh_m"] = rho1[0]
    d, dv = traj.r_gcrs_m[-1, a] - traj.r_gcrs_m[-1, b], traj.v_gcrs_mps[-1, a] - traj.v_gcrs_mps[-1, b]
    out["range_end_m"] = float(np.linalg.norm(d))
    out["range_rate_end_mps"] = float(d @ dv / max(np.linalg.norm(d), 1e-300))
    return out


def loads_before_release(traj) -> dict | None:
    """Peak and last force/torque through the latched port before release, port frame."""
    loads = traj.metadata.get("loads")
    if not loads:
        return None
    if "latch_loads_n" not in loads:           # {latch name: {...}}: take the first latch
        loads = next(iter(loads.values()))
    F = np.asarray(loads["latch_loads_n"], float).reshape(-1, 3)
    M = np.asarray(loads["latch_loads_nm"], float).reshape(-1, 3)
    if len(F) == 0:
        return None
    return {"on": loads.get("on", "?"), "by": loads.get("by", "?"), "F_last_n": F[-1], "M_last_nm": M[-1], "F_peak_n": float(np.max(np.linalg.norm(F, axis=1))),
            "M_peak_nm": float(np.max(np.linalg.norm(M, axis=1)))}


def controlled_bodies(traj) -> list[str]:
    """Bodies whose own control holds them in LVLH (their control torques are external to the ledger)."""
    modes = traj.metadata.get("attitude") or {}
    return [n for n, m in modes.items() if isinstance(m, dict) and m.get("mode") == "lvlh_hold"]


def momentum_ledger(traj) -> dict | None:
    from physics.frames import itrs_from_gcrs
    from scenario.ledger import ledger
    t_rel = event_time(traj, "release")
    if t_rel is None:
        return None
    t_push = event_time(traj, "push_end") or t_rel
    t0 = float(traj.t_s[sample_before(traj, t_rel)])
    t1 = float(traj.t_s[sample_after(traj, t_push)])
    if t1 <= t0:
        return None
    bodies = traj.metadata["bodies"]
    mass = [bodies[n]["mass_kg"] for n in traj.body_names]
    inertia = [bodies[n]["inertia_kgm2"] for n in traj.body_names]
    pole = itrs_from_gcrs(traj.epoch_tt_jd, 0.5 * (t0 + t1))[2]     # Earth's axis in GCRS
    return ledger(traj, t0, t1, mass, inertia, traj.metadata.get("forces", {}), pole)
