"""simulate(): the timeline driver. Between events the configuration (latches, burns, pushers, live
bodies) is constant and the units are integrated with fixed RK8 steps; every event time is a step
boundary: release / burn start / burn end are known in advance, push_end and reentry are located by
re-stepping from the last step start (deterministic root finding on the step length)."""
from __future__ import annotations

import math

import numpy as np

from physics import assembly
from physics.compiled import run as jit_run
from physics.dynamics import W, BurnArrays, System
from physics.push import Push, push_geom
from physics.errors import PhysicsInputError
from physics.forces import build_force_fn
from physics.integrator import dense_dop853, find_crossing, rk8_step
from physics.model import AttitudeMode, Burn, ForceModel, Model, Release, event_start
from physics.recorder import Recorder
from physics.rotation import dcm_from_quat
from physics.timeline import Options, Timeline
from physics.trajectory import Event

from physics.integrator import DEFAULT_MAX_STEP_S, MAX_TURN_PER_STEP_RAD  # noqa: E402,F401  (step rules)


def simulate(*args, **kwargs):
    """simulate(model: Model, state0: State, timeline: Timeline, options: Options = Options()) -> Trajectory
    (physics/model.py, physics/timeline.py). The keyword form simulate(bodies, latches, state0, epoch,
    t_end_s, dt_out_s, events=..., attitude=..., forces=..., ...) is kept for tests and scripts
    (simulate_keywords, the same run)."""
    if args and isinstance(args[0], Model):
        return _simulate(*args, **kwargs)
    return simulate_keywords(*args, **kwargs)


def simulate_keywords(bodies, latches, state0, epoch, t_end_s: float, dt_out_s: float, events=(), attitude=(),
                      forces: ForceModel = ForceModel(), progress=None, reentry_alt_m: float = 120e3,
                      metadata: dict | None = None, max_step_s: float = DEFAULT_MAX_STEP_S, loads: bool = True,
                      split_slow_forces: bool = False, loads_dt_s: float | None = None, engine: str = "auto"):
    """The keyword form of simulate() (see simulate and _simulate)."""
    return _simulate(Model(tuple(bodies), tuple(latches), forces, tuple(attitude)), state0,
                     Timeline(epoch, t_end_s, dt_out_s, tuple(events)),
                     Options(reentry_alt_m, max_step_s, loads, loads_dt_s, split_slow_forces, engine, metadata,
                             progress))


def _simulate(model: Model, state0, timeline: Timeline, options: Options = Options()):
    """Propagate `bodies` from state0 (physics.state.State) to t_end_s; returns a Trajectory sampled
    every dt_out_s from state0.t_s, at each event and at t_end_s. See docs/physics.md. reentry_alt_m=None switches the reentry
    event off (e.g. for tests in free space). max_step_s: the RK8 step outside the push phase.
    split_slow_forces: integrate drag, SRP and third-body forces as half-step kicks around each RK8
    step of the rest (Strang splitting, one evaluation of them at each step end instead of twelve per
    step: ~1.3x faster; error measured in tests/test_physics_split.py: 8 cm in the relative position of
    two tumbling bodies after two orbits at 60 s steps, second order in the step). Default False:
    every force at every RK stage. loads_dt_s: port loads only every loads_dt_s seconds (a multiple
    of dt_out_s; each costs a force evaluation), None = at every sample. engine: "python", "jit" (the
    compiled free-flight propagator, physics/compiled/*.py, wherever the configuration allows: no latch,
    push or burn left, every force term compiled; same equations and steps, round-off differences) or
    "auto" (jit for every free flight longer than the compiled engine's start costs,
    jit_run.JIT_BREAK_EVEN_BODY_STEPS, once numba's cache holds the compiled engine, or for spans beyond
    jit_run.JIT_COLD_MIN_SPAN_S; else python, while physics/compiled/warmup.py compiles in the
    background for the next runs). Names below: the fields of model, timeline and options."""
    bodies, latches, forces, attitude = model.bodies, model.latches, model.forces, model.attitude
    epoch, t_end_s, dt_out_s, events = timeline.epoch, timeline.t_end_s, timeline.dt_out_s, timeline.events
    o = options
    progress, reentry_alt_m, metadata, max_step_s = o.progress, o.reentry_alt_m, o.metadata, o.max_step_s
    loads, split_slow_forces, loads_dt_s, engine = o.loads, o.split_slow_forces, o.loads_dt_s, o.engine
    _check(bodies, latches, state0, t_end_s, dt_out_s, events, attitude, max_step_s)
    jit_run.check_engine(engine)
    names = [b.name for b in bodies]
    force_fn = build_force_fn(bodies, epoch, forces)
    run = RunState(bodies, latches, force_fn, attitude, reentry_alt_m, max_step_s)
    run.engine = engine
    slow_fn = build_force_fn(bodies, epoch, forces, ctx=force_fn.ctx, part="slow")
    if split_slow_forces and slow_fn.terms:
        run.fast_fn = build_force_fn(bodies, epoch, forces, ctx=force_fn.ctx, part="gravity")
        run.slow_fn = slow_fn
    rec = Recorder(bodies, epoch, state0.t_s, t_end_s, dt_out_s, loads)
    if loads_dt_s is not None:
        if not (math.isfinite(loads_dt_s) and loads_dt_s > 0):
            raise PhysicsInputError(f"physics: loads_dt_s: must be > 0, got {loads_dt_s}")
        rec.loads_every = max(1, int(round(loads_dt_s / dt_out_s)))
    run.rec = rec
    run.start(state0)
    releases = sorted((e for e in events if isinstance(e, Release)), key=lambda e: e.t_s)
    burns = [e for e in events if isinstance(e, Burn)]
    cuts = sorted({state0.t_s, t_end_s} | {e.t_s for e in releases}
                  | {b.t_start_s for b in burns} | {min(b.t_start_s + b.duration_s, t_end_s) for b in burns})
    cuts = [c for c in cuts if state0.t_s <= c <= t_end_s]
    for ta, tb in zip(cuts[:-1], cuts[1:]):
        run.apply_events_at(ta, releases, burns, names)
        run.integrate(ta, tb, rec, progress, state0.t_s, t_end_s)
    run.apply_events_at(t_end_s, [r for r in releases if r.t_s == t_end_s],      # a burn ending exactly at
                        [b for b in burns if b.t_start_s + b.duration_s == t_end_s], names, final=True)   # t_end ends
    if progress is not None:
        progress(1.0)
    meta = _metadata(bodies, forces, attitude, reentry_alt_m, max_step_s, dt_out_s, metadata)
    meta["integrator"]["split_slow_forces"] = run.slow_fn is not None
    meta["integrator"]["engine"] = "python" if run.jit_from_s is None else f"jit from t_s={run.jit_from_s:.17g}"
    if run.python_because is not None:
        meta["integrator"]["engine_note"] = f"Python engine: {run.python_because}"
    return rec.trajectory(names, run.events, meta, latches)


def _check(bodies, latches, state0, t_end_s, dt_out_s, events, attitude, max_step_s):
    names = [b.name for b in bodies]
    if not names or len(set(names)) != len(names):
        raise PhysicsInputError(f"physics: bodies: need unique names, got {names}")
    state0.validate(len(names))
    if not (math.isfinite(t_end_s) and t_end_s > state0.t_s):
        raise PhysicsInputError(f"physics: t_end_s: must be after the start {state0.t_s}, got {t_end_s}")
    if not (math.isfinite(dt_out_s) and dt_out_s > 0):
        raise PhysicsInputError(f"physics: dt_out_s: must be > 0, got {dt_out_s}")
    if not (math.isfinite(max_step_s) and max_step_s > 0):
        raise PhysicsInputError(f"physics: max_step_s: must be > 0, got {max_step_s}")
    lnames = [lt.name for lt in latches]
    if len(set(lnames)) != len(lnames):
        raise PhysicsInputError(f"physics: latches: need unique names, got {lnames}")
    for lt in latches:
        for b in (lt.body_a, lt.body_b):
            if b not in names:
                raise PhysicsInputError(f"physics: Latch[{lt.name}]: unknown body {b!r}")
    for e in events:
        if isinstance(e, Release) and e.latch not in lnames:
            raise PhysicsInputError(f"physics: Release: unknown latch {e.latch!r} (have {lnames})")
        if isinstance(e, Burn) and e.body not in names:
            raise PhysicsInputError(f"physics: Burn[{e.label}]: unknown body {e.body!r}")
        if not isinstance(e, (Release, Burn)):
            raise PhysicsInputError(f"physics: events: unsupported event {type(e).__name__}")
        t_e = event_start(e)
        if not (math.isfinite(t_e) and t_e >= state0.t_s):
            raise PhysicsInputError(f"physics: {type(e).__name__}: time {t_e} before the start {state0.t_s}")
    for a in attitude:
        if not isinstance(a, AttitudeMode) or a.body not in names:
            raise PhysicsInputError(f"physics: attitude: unknown body {getattr(a, 'body', a)!r}")


def _metadata(bodies, forces, attitude, reentry_alt_m, max_step_s, dt_out_s, extra):
    meta = {"bodies": {b.name: {"mass_kg": b.mass_kg, "inertia_kgm2": b.inertia_kgm2.tolist()} for b in bodies},
            "forces": forces.to_dict(),
            "attitude": {a.body: {"mode": a.mode, "q_lvlh_from_body": list(map(float, a.q_lvlh_from_body))}
                         for a in attitude},
            "integrator": {"method": "RK8 (DOP853 tableau), fixed steps, events on step boundaries",
                           "max_step_s": max_step_s},
            "reentry_alt_m": reentry_alt_m, "dt_out_s": dt_out_s}
    for key, value in (extra or {}).items():
        if key == "bodies" and isinstance(value, dict):
            for name, info in value.items():
                meta["bodies"].setdefault(name, {}).update(info)
        else:
            meta[key] = value
    return meta


class RunState:
    """The per-run data (MuJoCo's "data" beside the frozen Model): closed latches, layout, unit state
    vector y, pushes, burns, events, the current System `sys` and the force function `force_fn`.
    The compiled hand-over (physics/compiled/run.py) reads these public fields (force_fn, sys, y,
    closed, pushes, active_burns, slow_fn, reentry_alt_m, max_step_s), writes y and records
    events through handle_event; nothing of it lives beyond the run."""

    def __init__(self, bodies, latches, force_fn, attitude, reentry_alt_m, max_step_s):
        self.bodies, self.closed = bodies, list(latches)
        self.force_fn = force_fn
        self.modes = {a.body: a for a in attitude if a.mode == "lvlh_hold"}
        self.reentry_alt_m, self.max_step_s = reentry_alt_m, max_step_s
        self.pushes, self.active_burns, self.events = [], [], []
        self.dead = np.zeros(len(bodies), dtype=bool)
        self.fast_fn = self.slow_fn = None
        self.engine, self.jit_from_s, self.python_because = "python", None, None

    # --- configuration
    def start(self, s0):
        m = np.asarray(s0.mass_kg, dtype=np.float64).copy()
        self.lay = assembly.make_layout(self.bodies, self.closed, m)
        r_u, v_u, q_u, w_u = assembly.units_from_bodies(self.lay, self.bodies, s0.r_gcrs_m, s0.v_gcrs_mps,
                                                        s0.q_gcrs_from_body, s0.omega_body_radps, m)
        self.y = np.concatenate((np.hstack((r_u, v_u, q_u, w_u)).ravel(), m))
        self.rebuild()
        self.y = self.sys.finish_step(self.y)

    def body_states(self):
        r_u, v_u, q_u, w_u, m = self.sys.split(self.y)
        R_u, w_u = self.sys.attitude(r_u, v_u, q_u, w_u)
        from physics.rotation import quat_from_dcm
        r, v, R, w = self.sys.bodies(r_u, v_u, R_u, w_u)
        return r, v, quat_from_dcm(R), w, m.copy()

    def relayout(self):
        """Re-partition after a latch opened: split units, each part keeps the rigid velocity field."""
        r, v, q, w, m = self.body_states()
        self.lay = assembly.make_layout(self.bodies, self.closed, m)
        r_u, v_u, q_u, w_u = assembly.units_from_bodies(self.lay, self.bodies, r, v, q, w, m)
        self.y = np.concatenate((np.hstack((r_u, v_u, q_u, w_u)).ravel(), m))

    def rebuild(self):
        lay = self.lay
        held = {}
        for u, members in enumerate(lay.members):
            for i in members:
                mode = self.modes.get(self.bodies[i].name)
                if mode is not None:
                    held[u] = dcm_from_quat(np.asarray(mode.q_lvlh_from_body, float)) @ lay.R_unit_from_body[i].T
                    break
        self.held_member = {u: next(i for i in lay.members[u] if self.bodies[i].name in self.modes) for u in held}
        burns = None
        if self.active_burns:
            idx = [[b.name for b in self.bodies].index(x.body) for x in self.active_burns]
            f = np.array([x.thrust_n * x.direction_body for x in self.active_burns])
            burns = BurnArrays(np.array(idx), f, np.cross([x.point_m for x in self.active_burns], f),
                               np.array([x.mdot_kgps for x in self.active_burns]))
        alive = np.array([not self.dead[list(mem)].any() for mem in lay.members])
        self.sys = System(lay, self.force_fn, held, [p.geom for p in self.pushes], burns, alive,
                          fast_fn=self.fast_fn, slow_fn=self.slow_fn)
        self.sys.held_member = self.held_member

    def apply_events_at(self, t, releases, burns, names, final=False):
        changed = False
        for b in burns:
            if b.t_start_s + b.duration_s == t or (b in self.active_burns and b.t_start_s + b.duration_s <= t):
                if b in self.active_burns:
                    self.active_burns.remove(b)
                    self._event(Event(t, "burn_end", b.label or b.body, {"body": b.body}))
                    changed = True
        for rel in releases:
            if rel.t_s == t:
                self._release(t, rel, names)
                changed = True
        for b in burns:
            if b.t_start_s == t and b not in self.active_burns and not final:
                self.active_burns.append(b)
                self._event(Event(t, "burn_start", b.label or b.body, {"body": b.body, "thrust_n": b.thrust_n}))
                changed = True
        if changed:
            self.relayout()      # re-form units: masses changed by a burn, or a latch opened
            self.rebuild()
            self.y = self.sys.finish_step(self.y)

    def _event(self, ev: Event) -> None:
        """Record an event and a trajectory sample at its time (the state there, before the event
        changes the configuration: state continuous through release and burns; at a reentry the
        velocities at the crossing, zero in later samples)."""
        self.events.append(ev)
        self.rec.event_sample(self.sys, ev.t_s, self.y)

    def _release(self, t, rel, names):
        latch = next((lt for lt in self.closed if lt.name == rel.latch), None)
        if latch is None:
            return
        self.closed.remove(latch)
        self._event(Event(t, "release", latch.name, {"body_a": latch.body_a, "body_b": latch.body_b}))
        if rel.pushers is not None:
            self.pushes.append(Push(push_geom(latch, rel.pushers, names), latch.name))

    # --- integration
    def step_size(self, f0=None):
        """The RK8 step from the current state: max_step_s, limited by the fastest rotation and, while
        springs push, by the push's own time scales. A function of the state (and of its derivative
        f0, when known) only: deterministic. The turn limit counts the rate reached at the step's
        end, (|omega| + |alpha| h) h <= c, so a spin-up from rest does not take one huge step."""
        h = self.max_step_s
        w, a = self._fastest_rate(self.y), self._fastest_rate(f0) if f0 is not None else 0.0
        c = MAX_TURN_PER_STEP_RAD
        self._turn_limited = (w + a * h) * h > c
        if self._turn_limited:
            h = 2 * c / (w + math.sqrt(w * w + 4 * a * c))      # root of a h^2 + w h = c
        if not self.pushes:
            return h
        m = self.y[W * self.sys.u:]
        for push in self.pushes:
            h_push = push.step_limit(m)
            if h_push < h:
                h, self._turn_limited = h_push, False
        return h

    def _fastest_rate(self, y) -> float:
        """Largest norm of the rate columns of y (a state: |omega| rad/s; a derivative: |alpha|
        rad/s^2) over the live units whose attitude is integrated (held units follow LVLH
        kinematically and do not limit the step)."""
        sys = self.sys
        if sys.simple and not sys.held_idx.size:       # every unit free and alive: plain floats (0.02 ms)
            rows = y[: W * sys.u].reshape(sys.u, W)[:, 10:13].tolist()
            return math.sqrt(max(a * a + b * b + c * c for a, b, c in rows))
        w = y[: W * sys.u].reshape(sys.u, W)[:, 10:13]
        free = sys.alive.copy()
        free[sys.held_idx] = False
        if not free.any():
            return 0.0
        return float(np.sqrt(np.max(np.einsum("ij,ij->i", w[free], w[free]))))

    def detectors(self):
        """Event functions g(y): negative before the event, >= 0 at/after it."""
        out = []
        for k, push in enumerate(self.pushes):     # the first active spring to reach its stroke end
            out.append((("push_end", k), lambda y, p=push.geom: float(np.max(self._push_ext(y, p))) - p.stroke_m,
                        1e-12))
        if self.sys.alive.any() and self.reentry_alt_m is not None:
            out.append((("reentry", None), lambda y: self.reentry_alt_m - self._min_alt(y)[0], 1e-6))
        return out

    def _push_ext(self, y, p):
        """Extension (J,) m of each active spring of p, and a bound of its round-off (m), 4 eps |r|
        (1e-9 m at orbital radius, 1e-14 m near the origin; kernels.spring_push takes the CoM
        difference first, so its own rounding is well below it)."""
        r_u, v_u, q_u, w_u, _ = self.sys.split(y)
        R_u, w_u = self.sys.attitude(r_u, v_u, q_u, w_u)
        r, _, R, _ = self.sys.bodies(r_u, v_u, R_u, w_u)
        self._ext_roundoff = 4 * np.finfo(float).eps * float(np.max(np.abs(r[[p.ia, p.ib]])))
        return System.push_extension(p, r, R)

    def _min_alt(self, y, t=None):
        """(min geodetic altitude over live bodies, per-body (lat, lon, alt) or None)."""
        from physics.frames import WGS84_A_M, geodetic_from_itrs
        r_u, v_u, q_u, w_u, _ = self.sys.split(y)
        R_u, w_u = self.sys.attitude(r_u, v_u, q_u, w_u)
        r = self.sys.bodies(r_u, v_u, R_u, w_u)[0]
        live = ~self.dead
        rn = np.linalg.norm(r, axis=1)
        if t is None and np.min(rn[live] - WGS84_A_M) > self.reentry_alt_m + 1.0:
            return np.min(rn[live] - WGS84_A_M), None    # a lower bound: the ellipsoid lies within a
        earth = self.force_fn.ctx.earth
        r_itrs = r @ earth.itrs_from_gcrs(self._t_now if t is None else t).T
        lat, lon, alt = geodetic_from_itrs(r_itrs)
        return float(np.min(np.where(live, alt, np.inf))), (lat, lon, alt)

    def integrate(self, ta, tb, rec, progress, t0, t1):
        t = ta
        last_progress = t
        while t < tb:
            if not self.sys.alive.any():
                rec.fill_frozen(self.sys, self.y, t, tb)
                return
            if jit_run.wants(self, self.engine, t, tb):       # free flight from here: compiled engine
                self.jit_from_s = t if self.jit_from_s is None else self.jit_from_s
                jit_run.integrate(self, t, tb, rec, progress, t0, t1)
                return
            f0 = self._f0(t, rec)
            h, t_new, short = self._step_to(t, tb, f0)
            y1 = self.advance(t, self.y, h, f0)
            while self._fastest_rate(y1) * h > 2 * MAX_TURN_PER_STEP_RAD:
                # the rate grew within the step faster than the start said (split mode: no f0; a
                # torque that builds up): redo it with the rate reached (deterministic: same inputs,
                # same redo)
                h = MAX_TURN_PER_STEP_RAD / self._fastest_rate(y1)
                t_new, short = t + h, True
                y1 = self.advance(t, self.y, h, f0)
            self._t_now = t + h
            hit = self._first_event(t, h, f0, y1)
            if hit is not None:
                kind, key, h, y1 = hit
                t_new = t + h
            # samples inside a step limited by a fast rotation: DOP853's 7th-order dense output (3 more
            # evaluations, only in steps that hold samples; the cubic Hermite would carry
            # (omega h)^4/384 = 2e-5 there); elsewhere Hermite. Either way a sample depends on its
            # step only, never on the output grid (a coarser grid gives the same values at its times).
            dense = None
            if short and hit is None and self.slow_fn is None:
                dense = (lambda f1, t=t, y=self.y, y1=y1, K=self._K, h=h:
                         dense_dop853(self.sys.rhs, t, y, y1, f1, K, h))
            rec.step(self.sys, t, self.y, f0, t_new, y1, dense)
            self.y, t = y1, t_new
            if hit is not None:
                self.handle_event(kind, key, t)
            if progress is not None and t - last_progress > 0.01 * (t1 - t0):
                progress((t - t0) / (t1 - t0))
                last_progress = t

    def _step_to(self, t, tb, f0):
        """(length, end time, turn_limited) of the next step from t (segment end tb)."""
        h_lim = self.step_size(f0)
        h = min(h_lim, tb - t)
        if tb - (t + h) < 1e-9 * max(1.0, abs(tb)):
            return tb - t, tb, self._turn_limited
        return h, t + h, self._turn_limited

    def advance(self, t, y, h, f0):
        """One step of length h from (t, y). Without splitting: RK8 on all forces (k1 = f0). With it:
        half kick by the slow forces, RK8 on the rest, half kick (Strang: second order in the slow
        part, whose accelerations are ~1e-6 of gravity; the kick changes v by ~1e-9 relative)."""
        if self.slow_fn is None:
            y1, self._K = rk8_step(self.sys.rhs, t, y, h, k1=f0, stages=True)
            return self.sys.finish_step(y1)
        y = self.sys.kick(t, y, 0.5 * h)
        y = self.sys.finish_step(rk8_step(self.sys.rhs_fast, t, y, h))
        return self.sys.finish_step(self.sys.kick(t + h, y, 0.5 * h))

    def _f0(self, t, rec):
        """Full derivative at the current state: reuse the recorder's from the previous step's end."""
        last = rec.last_f
        if last is not None and last[0] == t and last[1] is self.y and last[2] is self.sys:
            return last[3]
        return self.sys.rhs(t, self.y) if self.slow_fn is None else None

    def _first_event(self, t, h, f0, y1):
        """Earliest detector crossing within the step: (kind, key, step length, state) or None."""
        best = dense = None
        for (kind, key), g, tol in self.detectors():
            self._t_now = t + h
            g1 = g(y1)
            if g1 < 0:
                continue
            self._t_now = t
            g0 = g(self.y)
            if g0 >= 0:          # already past (should not happen): stop right here
                return kind, key, h, y1

            if kind == "push_end" and self.slow_fn is None:
                # root of the extension on the step's 7th-order dense output (4 evaluations for the
                # step, then polynomial values only), then one exact step to it: the stroke end is
                # then found to the dense output's accuracy (~1e-15 m over a 0.1 s push step)
                # instead of re-stepping RK8 at every iteration (~11 evaluations each)
                if dense is None:
                    dense = dense_dop853(self.sys.rhs, t, self.y, y1, self.sys.rhs(t + h, y1), self._K, h)

                def g_of(s, g=g, dense=dense):
                    return g(self.sys.finish_step(dense([s / h])[0]))
            else:
                def g_of(s, g=g):
                    self._t_now = t + s
                    return g(self.advance(t, self.y, s, f0))
            s = find_crossing(g_of, h, g0, g1, tol)
            if best is None or s < best[2]:
                best = (kind, key, s)
        if best is None:
            return None
        kind, key, s = best
        return kind, key, s, self.advance(t, self.y, s, f0)

    def handle_event(self, kind, key, t):
        if kind == "push_end":
            # end every spring at its stroke end (within 1e-12 m plus the round-off of d: springs that
            # symmetry makes cross together end together, and none is left already past its end)
            push = self.pushes[key]
            d = self._push_ext(self.y, push.geom)
            done = d >= push.geom.stroke_m - 1e-12 - self._ext_roundoff
            done[np.argmax(d)] = True           # the one the root finder stopped on, whatever round-off says
            push.end(done, float(t))
            if not push.active.size:
                self.pushes.pop(key)
                self._event(Event(float(t), "push_end", push.name,
                                  {"springs_end_s": [float(x) for x in push.end_s]}))
        elif kind == "reentry":
            _, (lat, lon, alt) = self._min_alt(self.y, t)
            for u, members in enumerate(self.lay.members):
                mem = list(members)
                if self.dead[mem].any() or np.min(alt[mem]) > self.reentry_alt_m + 1e-3:
                    continue
                self.dead[mem] = True
                for i in mem:
                    self._event(Event(float(t), "reentry", self.bodies[i].name,
                                      {"lat_deg": float(np.degrees(lat[i])), "lon_deg": float(np.degrees(lon[i])),
                                       "alt_m": float(alt[i])}))
        self.rebuild()
