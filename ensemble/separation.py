"""Separation members: the scenario's release with one member's dispersed inputs, run on the public
seam (scenario.run_prepared) from PhysicsInputs modified per member (scenario.build output), then
reduced to a few numbers: the hull distance from the push's end to one orbit after release (its minimum:
recontact; its closest return, `closest_return`), the drift after one orbit, and a coarse relative track
for the app's cloud.

What a draw changes in the PhysicsInputs (docs/ensemble.md):
- pushers: preload and stiffness x the energy factor (energy is linear in both); each spring's own
  factor g_i (mean 1) moves the ring centre by R sum(g_i u_i) / n: the same net force and moment
  about the port as springs of unequal force (exact at the push's start; the springs still leave
  together at their common stroke end);
- spring line: both port frames turned by the same small rotation about the port y and z axes (the
  latch geometry, a relative pose, is unchanged; the push direction tilts);
- centres of mass: each segment's true CoM = modelled + error: ports, drag centres of pressure and
  hull pieces move by -error in its body frame; the docked state is rebuilt (physics.state.docked_state)
  around the same orbit state; inertia is kept (a 0.1 m shift changes it by ~1e-4);
- residual rate: added to the docked stack's body rate at the release. Inert whenever any segment
  holds LVLH: the docked stack is then held (its rate is LVLH's), and the springs split a held stack;
  it acts when both segments fly free.

Members start at the release: the docked part before it (the same for every member but for the
CoM errors, which do not move a stack's orbit or its held attitude) is run once, on the client, for
the nominal stack (`stack_at_release`); each member's docked state is rebuilt around that stack's
centre of mass and attitude at the release (physics.state.docked_state), with its own CoMs, ports
and rate; its samples fall every output_interval_s from the release. A scenario with a burn before the
release runs every member from its start instead.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ensemble.draws import MemberDraw
from ensemble.hulls import distances

CLOUD_DT_S = 60.0          # spacing of the relative track kept per member (the app's cloud)
SEGMENTS = ("ROS", "USOS")


@dataclass(frozen=True)
class StackAtRelease:
    """The nominal docked stack at the release: where every member starts."""
    t_s: float
    r_cm_gcrs_m: np.ndarray         # (3,) the stack's centre of mass
    v_cm_gcrs_mps: np.ndarray
    q_gcrs_from_ref: np.ndarray     # (4,) attitude of the latch's first body (the reference)
    omega_ref_radps: np.ndarray     # (3,) its body rate (LVLH's while held)


@dataclass(frozen=True)
class SeparationJob:
    """What every task needs (sent to the workers once)."""
    inputs: object            # scenario.build.PhysicsInputs of the scenario (nominal)
    pieces: dict              # {"ROS": Pieces, "USOS": Pieces}, nominal CoMs
    spec: dict                # the [ensemble] table
    seed: int
    engine: str = "jit"
    start: StackAtRelease | None = None     # None: members run the docked part themselves


def stack_at_release(inputs, engine: str = "jit") -> StackAtRelease | None:
    """The nominal stack's state at the release (its docked part run once), or None when another event
    (a burn) comes before the release: members then start where the scenario does."""
    import scenario
    from physics.model import event_start
    rel, s0 = inputs.events[0], inputs.state0
    if any(event_start(e) < rel.t_s for e in inputs.events[1:]):
        return None
    if rel.t_s <= s0.t_s:
        return stack_at_start(inputs)
    docked = dataclasses.replace(inputs, events=(), t_end_s=rel.t_s)
    traj = scenario.run_prepared(docked, engine=engine, loads=False)
    return _stack(inputs, rel.t_s, traj.r_gcrs_m[-1], traj.v_gcrs_mps[-1], traj.q_gcrs_from_body[-1],
                  traj.omega_body_radps[-1])


def stack_at_start(inputs) -> StackAtRelease:
    """The stack where the scenario starts (members that run their docked part themselves)."""
    s0 = inputs.state0
    return _stack(inputs, s0.t_s, s0.r_gcrs_m, s0.v_gcrs_mps, s0.q_gcrs_from_body, s0.omega_body_radps)


def _stack(inputs, t_s, r, v, q, w) -> StackAtRelease:
    m = inputs.state0.mass_kg
    i = [b.name for b in inputs.bodies].index(inputs.latches[0].body_a)
    return StackAtRelease(float(t_s), m @ r / m.sum(), m @ v / m.sum(), np.array(q[i]), np.array(w[i]))


def member_inputs(inputs, draw: MemberDraw, spec: dict, start: StackAtRelease | None = None):
    """PhysicsInputs of one member (nominal inputs with the draw applied), starting at the release
    from `start` (stack_at_release), or where the scenario starts (None)."""
    from physics.state import docked_state
    names = [b.name for b in inputs.bodies]
    err = {n: np.asarray(draw.com_error_m[n], float) for n in SEGMENTS}
    bodies = tuple(_shift_body(b, err[b.name]) if b.name in err else b for b in inputs.bodies)
    tilt = _tilt(draw.tilt_rad)
    latches = tuple(_latch(la, err, tilt) for la in inputs.latches)
    rel = inputs.events[0]
    pushers = None if rel.pushers is None else _pushers(rel.pushers, draw)
    events = (dataclasses.replace(rel, pushers=pushers),) + tuple(inputs.events[1:])
    ref = latches[0].body_a
    start = start or stack_at_start(inputs)
    state0 = docked_state(bodies, list(latches), start.r_cm_gcrs_m, start.v_cm_gcrs_mps, start.q_gcrs_from_ref,
                          start.omega_ref_radps + draw.rate_radps, ref, t_s=start.t_s)
    meta = _metadata(inputs.metadata, err, latches)
    return dataclasses.replace(inputs, bodies=bodies, latches=latches, events=events, state0=state0,
                               metadata=meta, dt_out_s=spec["output_interval_s"])


def _shift_body(body, err):
    if body.drag is None:
        return body
    return dataclasses.replace(body, drag=dataclasses.replace(body.drag, cop_m=body.drag.cop_m - err))


def _tilt(tilt_rad) -> np.ndarray:
    """R_port_from_tilted: about the port y axis by tilt[0], then z by tilt[1]."""
    a, b = tilt_rad
    Ry = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    Rz = np.array([[np.cos(b), -np.sin(b), 0], [np.sin(b), np.cos(b), 0], [0, 0, 1]])
    return Ry @ Rz


def _latch(la, err, tilt):
    from physics import model as pm
    def port(p, body):
        return pm.PortFrame(p.position_m - err.get(body, np.zeros(3)), p.R_body_from_port @ tilt)
    return dataclasses.replace(la, port_a=port(la.port_a, la.body_a), port_b=port(la.port_b, la.body_b))


def _pushers(p, draw: MemberDraw):
    n = p.count
    g = draw.spring_factors[:n] / draw.spring_factors[:n].mean()
    ang = 2 * np.pi * np.arange(n) / n
    shift = p.ring_radius_m * np.array([g @ np.cos(ang), g @ np.sin(ang)]) / n
    f = draw.energy_factor
    return dataclasses.replace(p, preload_n=p.preload_n * f, stiffness_n_per_m=p.stiffness_n_per_m * f,
                               offset_m=(float(p.offset_m[0] + shift[0]), float(p.offset_m[1] + shift[1])))


def _metadata(meta: dict, err: dict, latches) -> dict:
    bodies = {k: dict(v) for k, v in meta["bodies"].items()}
    for n, e in err.items():
        bodies[n]["com_ssacs_m"] = (np.asarray(bodies[n]["com_ssacs_m"]) + e).tolist()
    out = {**meta, "bodies": bodies}
    if meta.get("release"):
        la = next(x for x in latches if x.name == meta["release"]["latch"])
        out["release"] = {**meta["release"], "port_a_body_m": la.port_a.position_m.tolist(),
                          "port_b_body_m": la.port_b.position_m.tolist()}
    return out


def run_member(job: SeparationJob, draw: MemberDraw) -> dict:
    """One member: its run and what the ensemble keeps of it (fixed-size arrays)."""
    import scenario
    from scenario import apart
    inputs = member_inputs(job.inputs, draw, job.spec, job.start)
    traj = scenario.run_prepared(inputs, engine=job.engine, loads=False)     # no port loads: not kept
    t_rel = apart.release_time(traj)
    t_orbit = min(apart.one_orbit_after_release(traj), float(traj.t_s[-1]))    # a shorter run: its end
    t_push = max((e.t_s for e in traj.events if e.kind == "push_end"), default=t_rel)   # the last spring's
    t_d, d = hull_series(traj, job.pieces, draw, t_push, t_orbit)       # one pass: the minimum and the return
    k = int(np.argmin(d))                   # the first pose of the smallest distance, as hulls.min_distance gives it
    d_min, t_min = float(d[k]), float(t_d[k])
    d_ret, t_ret = closest_return(t_d, d)
    one = apart.apart_at(traj, t_orbit)
    rel = relative_lvlh(traj, cloud_times(job.inputs, t_rel))
    return {"min_distance_m": d_min, "t_min_distance_s": t_min - t_rel,
            "closest_return_m": d_ret, "t_closest_return_s": t_ret - t_rel,
            "gap_one_orbit_m": one.gap_m, "centre_one_orbit_m": one.centre_m,
            "rel_one_orbit_lvlh_m": relative_lvlh(traj, np.array([t_orbit]))[0],
            "separation_speed_mps": _separation_speed(traj), "pusher_energy_j": _energy(inputs),
            "tilt_deg": np.degrees(draw.tilt_rad), "rate_degps": np.degrees(draw.rate_radps),
            "com_error_ros_m": draw.com_error_m["ROS"], "com_error_usos_m": draw.com_error_m["USOS"],
            "cloud_rel_lvlh_m": rel}


def _separation_speed(traj) -> float:
    """|velocity of the ROS relative to the USOS| after the push, as `simulate` prints it (one definition:
    scenario.summary.velocity_after_push; the members' first sample at or after the push's end)."""
    from scenario.summary import velocity_after_push
    names = traj.body_names
    return float(np.linalg.norm(velocity_after_push(traj, names.index("ROS"), names.index("USOS"))[2]))


def _energy(inputs) -> float:
    p = inputs.events[0].pushers
    return 0.0 if p is None else float(p.energy_j)


def cloud_times(inputs, t_rel: float) -> np.ndarray:
    """Times of the kept relative track: every CLOUD_DT_S from release to the run's end (same for all)."""
    return t_rel + np.arange(0.0, inputs.t_end_s - t_rel + 1e-9, CLOUD_DT_S)


def hull_series(traj, pieces: dict, draw: MemberDraw, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
    """(times, hull distance at each sample in [t0, t1]) (~550 poses an orbit at 10 s: ~13 ms, each pose
    started from the previous pose's closest pair: hulls.distances)."""
    t, a, b, R, tr = _poses(traj, pieces, draw, t0, t1)
    return t, distances(a, b, R, tr)


def _poses(traj, pieces: dict, draw: MemberDraw, t0: float, t1: float):
    """(sample times in [t0, t1], USOS pieces, ROS pieces, R_usos_from_ros (K,3,3), ROS CoM in the USOS frame (K,3))."""
    sel = (traj.t_s >= t0) & (traj.t_s <= t1)
    iu, ir = traj.body_names.index("USOS"), traj.body_names.index("ROS")
    Ru, Rr = _dcm(traj.q_gcrs_from_body[sel, iu]), _dcm(traj.q_gcrs_from_body[sel, ir])
    R = np.einsum("kji,kjl->kil", Ru, Rr)                               # R_usos_from_ros
    t = np.einsum("kji,kj->ki", Ru, traj.r_gcrs_m[sel, ir] - traj.r_gcrs_m[sel, iu])
    a = pieces["USOS"].shifted(draw.com_error_m["USOS"])
    b = pieces["ROS"].shifted(draw.com_error_m["ROS"])
    return traj.t_s[sel], a, b, R, t


def closest_return(t_s: np.ndarray, d_m: np.ndarray) -> tuple[float, float]:
    """(closest return (m), its time): the smallest LOCAL MINIMUM of the distance series d(t) that comes
    after its first local maximum; (nan, nan) when there is none (the distance only grows, or grows and
    then falls until the series' end: a return, if any, comes later).

    Precisely: a run of equal samples counts once (its first sample); a local maximum is a sample higher
    than both neighbours, or the first sample when the second is lower (the distance falls right after
    the push); a local minimum is an interior sample lower than both neighbours. The series' last sample
    is never a minimum (the distance may still be falling). With both segments held, the clip's distance
    rises from the push's 2.5 cm to 23.5 m at ~960 s and dips by ~4 cm (the relative orbit's along-track
    return): that dip is the closest return."""
    t, d = np.asarray(t_s, float), np.asarray(d_m, float)
    keep = np.concatenate([[True], np.diff(d) != 0.0])
    t, d = t[keep], d[keep]
    if d.size < 3:
        return math.nan, math.nan
    up = d[1:] > d[:-1]                                     # up[i]: d rises from sample i to i + 1
    peak = np.concatenate([[not up[0]], up[:-1] & ~up[1:]])      # samples 0 .. n-2
    dip = np.concatenate([[False], ~up[:-1] & up[1:]])
    first = np.flatnonzero(peak)
    dips = np.flatnonzero(dip)
    dips = dips[dips > first[0]] if first.size else dips[:0]
    if not dips.size:
        return math.nan, math.nan
    k = dips[np.argmin(d[dips])]
    return float(d[k]), float(t[k])


def _dcm(q: np.ndarray) -> np.ndarray:
    from physics.rotation import dcm_from_quat
    return dcm_from_quat(np.ascontiguousarray(q))


def relative_lvlh(traj, times: np.ndarray) -> np.ndarray:
    """(K, 3) ROS CoM relative to the USOS CoM in the USOS LVLH frame at `times` (the samples
    themselves where a time is one, else traj.state_at)."""
    from scenario.cw import relative_lvlh as rel_lvlh
    iu, ir = traj.body_names.index("USOS"), traj.body_names.index("ROS")
    times = np.minimum(times, traj.t_s[-1])
    k = np.clip(np.searchsorted(traj.t_s, times), 0, len(traj.t_s) - 1)
    r, v = traj.r_gcrs_m[k], traj.v_gcrs_mps[k]
    for j in np.flatnonzero(traj.t_s[k] != times):
        r[j], v[j] = traj.state_at(float(times[j]))[:2]
    return rel_lvlh(r, v, ir, iu)[0]
