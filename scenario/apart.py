"""How far apart the two segments are, and how they turn: the one definition every output uses.

*Apart* is the gap between the two docking ports that were latched together (Zarya's forward APAS
and PMA-1 for the station): what a viewer sees open between the segments. It is 0 while docked,
grows at the spring speed after the push, and includes the turning of each segment (a port swings
as its segment rotates). The HUD, the captions, the presenter, the video burn-in and `simulate`
all call `apart_at`; nothing else computes a distance for the screen.

The centre-of-mass range (`centre_m`) is the other distance analysts use; it differs from the gap
by the two port offsets (tens of metres for the station: the centres of mass are ~30 m apart when
docked). It is only ever shown labelled "centre-to-centre".

Spins are shown relative to the local horizon (LVLH): what a viewer of the Earth-fixed-looking
scene sees turn. A docked stack holding LVLH reads 0 although it turns once per orbit inertially.

Port positions come from the trajectory's metadata (``release.port_a_body_m`` / ``port_b_body_m``,
body frame, origin at the body's centre of mass, written by scenario.build). A trajectory saved
before those keys existed falls back to the growth of the centre-to-centre range since release.
Pure numpy: no Panda3D.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics.rotation import dcm_from_quat
from physics.trajmeta import trajectory_meta


@dataclass(frozen=True)
class Apart:
    gap_m: float            # port-to-port distance (what a viewer sees open)
    gap_rate_mps: float     # d gap / dt: + separating, - closing
    centre_m: float         # centre-of-mass to centre-of-mass ("centre-to-centre")
    centre_rate_mps: float


def pair_indices(traj) -> tuple[int, int] | None:
    """(a, b): the released bodies (ROS, USOS for the station); else ROS/USOS, else the first two."""
    names = list(traj.body_names)
    rel = trajectory_meta(traj).release
    for a, b in (((rel.body_a, rel.body_b) if rel else (None, None)), ("ROS", "USOS")):
        if a in names and b in names:
            return names.index(a), names.index(b)
    return (1, 0) if len(names) >= 2 else None


def ports_body_m(traj) -> tuple[np.ndarray, np.ndarray] | None:
    """Body-frame positions of the released ports (a's, b's), or None for files without them."""
    rel = trajectory_meta(traj).release
    if rel is None or rel.port_a_body_m is None or rel.port_b_body_m is None:
        return None
    return np.asarray(rel.port_a_body_m, float), np.asarray(rel.port_b_body_m, float)


def release_time(traj) -> float | None:
    return next((float(e.t_s) for e in getattr(traj, "events", ()) if e.kind == "release"), None)


def _range(d: np.ndarray, dv: np.ndarray) -> tuple[float, float]:
    n = float(np.linalg.norm(d))
    return n, (float(d @ dv) / n if n > 1e-6 else 0.0)


def apart_at(traj, t_s: float, state=None) -> Apart | None:
    """Gap and centre range at t_s (None for a one-body run). state: (r, v, q, omega) at t_s when the
    caller already has it (render.longstate for coarse long runs); else traj.state_at(t_s)."""
    ab = pair_indices(traj)
    if ab is None:
        return None
    a, b = ab
    r, v, q, w = state if state is not None else traj.state_at(float(t_s))
    centre, centre_rate = _range(r[a] - r[b], v[a] - v[b])
    ports = ports_body_m(traj)
    if ports is None:                      # old file: growth of the centre range since release
        t_rel = release_time(traj)
        d0 = 0.0 if t_rel is None else float(np.linalg.norm(np.subtract(*traj.state_at(t_rel)[0][[a, b]])))
        return Apart(max(centre - d0, 0.0), centre_rate, centre, centre_rate)
    pa, pb = ports
    Ra, Rb = dcm_from_quat(q[a]), dcm_from_quat(q[b])          # R_gcrs_from_body
    p = r[a] + Ra @ pa - r[b] - Rb @ pb                          # port a - port b, GCRS
    vp = v[a] + Ra @ np.cross(w[a], pa) - v[b] - Rb @ np.cross(w[b], pb)
    gap, gap_rate = _range(p, vp)
    return Apart(gap, gap_rate, centre, centre_rate)


def gap_m(traj, t_s: float) -> float:
    """The number on screen as 'apart' (0 for a one-body run)."""
    ap = apart_at(traj, t_s)
    return 0.0 if ap is None else ap.gap_m


def period_s(r: np.ndarray, v: np.ndarray) -> float:
    """Keplerian period from one state (a from vis-viva): 2 pi sqrt(a^3 / mu); 5,550 s at 420 km.
    The one home of 'one orbit' for the screen (captions, presenter, long-run playback)."""
    from physics.constants import MU_EARTH_M3PS2 as mu
    a = 1.0 / (2.0 / float(np.linalg.norm(r)) - float(np.dot(v, v)) / mu)
    return float(2 * np.pi * np.sqrt(max(a, 1.0) ** 3 / mu))


def one_orbit_after_release(traj) -> float | None:
    """The lesson's 'one orbit later': release + the anchor's (US segment's) period at release."""
    t_rel, ab = release_time(traj), pair_indices(traj)
    if t_rel is None or ab is None:
        return None
    r, v, _, _ = traj.state_at(t_rel)
    return t_rel + period_s(r[ab[1]], v[ab[1]])


# the screen's rounding of 'apart' and its speed: the HUD, the captions and `simulate` print with these
def fmt_distance(d_m: float) -> str:
    """'4.2 cm', '35 cm', '2.3 m', '48 m', '652 m', '1.6 km', '240 km' (two significant figures, three
    from 100 m to 1 km); the unit is chosen by the value as rounded, so 0.9951 m reads '1 m', never
    '1e+02 cm'. Below 0.01 mm (interpolation round-off at the release instant, as fmt_speed's floor) '0 cm'."""
    if abs(d_m) < 1e-5:
        return "0 cm"
    for text, unit, below in ((f"{d_m * 100:.2g}", "cm", 100.0), (f"{d_m:.2g}", "m", 100.0),
                              (f"{d_m:.0f}", "m", 1000.0), (f"{d_m / 1000:.2g}", "km", 100.0)):
        if abs(float(text)) < below:
            return f"{text} {unit}"
    return f"{d_m / 1000:,.0f} km"


def fmt_speed(v_mps: float) -> str:
    """'2.9 cm/s', '1.6 m/s' (two significant figures, the unit chosen by the value as rounded: 0.996 m/s
    reads '1 m/s'); below 0.01 mm/s (interpolation noise at the release instant) '0 cm/s'."""
    if abs(v_mps) < 1e-5:
        return "0 cm/s"
    for text, unit in ((f"{v_mps * 100:.2g}", "cm/s"), (f"{v_mps:.2g}", "m/s")):
        if abs(float(text)) < 100.0:
            return f"{text} {unit}"
    return f"{v_mps:,.0f} m/s"


def spin_lvlh_radps(r: np.ndarray, v: np.ndarray, q: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """(n,3) body rate relative to each body's own LVLH frame, body axes, rad/s.

    The LVLH frame turns at omega_lvlh = (r x v) / |r|^2 (GCRS, about the orbit normal), so the rate
    relative to it is omega_body - R_body_from_gcrs @ omega_lvlh; a stack holding LVLH gives 0."""
    r, v = np.atleast_2d(r), np.atleast_2d(v)
    w_orbit = np.cross(r, v) / np.sum(r * r, axis=1)[:, None]
    R = dcm_from_quat(np.atleast_2d(q))                          # R_gcrs_from_body (n,3,3)
    return np.atleast_2d(omega) - np.einsum("nji,nj->ni", R, w_orbit)


def spin_lvlh_degps(traj, t_s: float, state=None) -> dict:
    """{body: |rate relative to its LVLH| in deg/s} at t_s: what a viewer sees each segment turn."""
    r, v, q, w = state if state is not None else traj.state_at(float(t_s))
    rel = np.degrees(np.linalg.norm(spin_lvlh_radps(r, v, q, w), axis=1))
    return {n: float(x) for n, x in zip(traj.body_names, rel)}
