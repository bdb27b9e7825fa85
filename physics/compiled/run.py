"""Hand-over of the free-flight phase from simulate()'s RunState to the compiled propagator
(physics/compiled/loop.py) and the tables it reads (Earth-rotation nodes, MSIS blocks), filled lazily.

What the compiled engine handles: every body its own unit (no closed latch), spring pushes in
progress (physics/push.py: the springs' forces by kernels.spring_push, Push.step_limit, each stroke
end located on the step's dense output as RunState does), no burn, forces = central / J2 / J2-J4 /
gravity gradient / drag ("msis" table or "exponential") with aero torque; free or LVLH-held
attitude; reentry. Anything else (latches, burns, Sun/Moon, SRP, split_slow_forces, the
direct-pymsis density) stays in the Python engine.

Tables, and how they relate to the Python engine's:
- MSIS: the very same blocks (atmosphere.MsisTable of the run, ctx.scratch["msis_table"], filled by
  its own _block on demand), interpolated with the same formulas: no extra interpolation error.
- Earth rotation: frames.EarthRotation nodes (hourly exact skyfield rotations). Nodes |k| < 48 (the
  first two days) come from the run's EarthRotation itself (bit-identical to the Python engine);
  later ones from one vectorised skyfield call per aligned batch of 64 nodes (a node's value then
  depends on k only: deterministic), 0.09 ms a node instead of 0.24 ms. The vectorised rotation
  differs from the scalar one by <= 1e-18 (measured over 200 nodes): 7e-12 m at orbital radius.
- Both are computed ahead by a thread (next MSIS time node at the altitude blocks in use, next node
  batch) while the compiled loop runs without the GIL: on 2 cores the table filling (~25 % of a
  year's run) overlaps the integration. pymsis serialises its Fortran calls with its own lock.
"""
from __future__ import annotations

import math

import numpy as np

from physics.compiled.cache import cache_warm, fresh_cache, start_background  # noqa: F401  (re-exported)
from physics.errors import PhysicsInputError

JIT_COLD_MIN_SPAN_S = 200 * 5560.0   # "auto" when nothing is compiled yet (fresh checkout): the first
# compile costs ~21 s (measured, 2-core box), the Python engine ~0.11 s an orbit, so compiling in the
# run pays only beyond ~190 orbits (~12 days); shorter runs stay in Python while a background process
# (physics/compiled/warmup.py) compiles for the next ones. Once compiled, "auto" hands every free
# flight to the compiled engine.
JIT_BREAK_EVEN_BODY_STEPS = 2800     # "auto" with a warm cache: the compiled engine's start in a process
# (~0.95 s CPU: importing numba, whose BLAS check imports scipy.linalg (~0.25 s), and loading the cache)
# against the Python engine's 0.33 ms per body and step of gravity (1.3-1.4 ms with drag, exponential or
# MSIS with aero torque: DRAG_WEIGHT 4), measured on the 2-core box (load 5-6, 2026-12-03): the one-day
# two-body + J2 case (1440 steps, 1 body) 0.80 s CPU as a whole process in Python, 1.30 s compiled; so a
# run shorter than ~2 days of one body's gravity-only steps, or ~12 h of a body with drag, stays in
# Python because it ends sooner there (docs/physics.md "Engine").
DRAG_WEIGHT = 4.0
BUDGET_STEPS = 5000              # steps per compiled call between progress reports (~3.5 days at 60 s, ~60 ms)
_SCALAR_NODES, _BATCH = 48, 64


_AVAILABLE: list = []


def available() -> bool:
    """numba is installed (found, not imported: importing it costs ~0.5 s). Looked up once per process:
    "auto" asks every step, and find_spec scans sys.path (~0.2 ms a call, 0.3 s over a one-day run)."""
    if not _AVAILABLE:
        from importlib.util import find_spec
        _AVAILABLE.append(find_spec("numba") is not None)
    return _AVAILABLE[0]


COMPILED_TERMS = ("gravity", "drag")     # the kernels the compiled right-hand side runs


def uncompiled_terms(terms) -> list[str]:
    """Names of the force terms without a compiled form (physics.forces.compiled_form)."""
    from physics.forces import compiled_form
    return [getattr(t, "__qualname__", repr(t)) for t in terms if compiled_form(t) not in COMPILED_TERMS]


def unsupported(run) -> str | None:
    """Why the current configuration of `run` cannot go to the compiled engine (None: it can)."""
    ctx, sys = run.force_fn.ctx, run.sys
    fm = ctx.forces
    missing = uncompiled_terms(run.force_fn.terms)
    if missing:
        return "force terms without a compiled form: " + ", ".join(missing)
    if run.closed or run.active_burns:
        return "latched or burning"
    if run.slow_fn is not None:
        return "split_slow_forces"
    if fm.drag not in (None, "msis", "exponential") or ctx.scratch.get("msis_direct"):
        return f"drag model {fm.drag!r}"
    if ctx.earth is None or not sys.trivial or not np.array_equal(sys.order, np.arange(sys.n)):
        return "layout"
    return None


def check_engine(engine: str) -> None:
    if engine not in ("python", "jit", "auto"):
        raise PhysicsInputError(f"physics: engine: must be 'python', 'jit' or 'auto', got {engine!r}")
    if engine == "jit" and not available():
        raise PhysicsInputError("physics: engine: 'jit' needs numba (pip install -r requirements.txt)")


def wants(run, engine: str, t: float, tb: float) -> bool:
    """Hand [t, tb] to the compiled engine now?"""
    if engine == "python":
        return False
    why = unsupported(run)
    if why is not None:
        if why.startswith("force terms") and run.python_because is None:
            run.python_because = why        # said in the run's metadata (never a silent drop)
            if engine == "jit":
                import logging
                logging.getLogger("physics").warning("engine 'jit': the Python engine runs instead (%s)", why)
        return False
    if engine == "jit":
        return True
    if not available() or _python_cheaper(run, t, tb):
        return False
    if cache_warm() or tb - t >= JIT_COLD_MIN_SPAN_S:
        return True
    start_background()                  # compile for the next runs; this one stays in Python
    return False


def _python_cheaper(run, t: float, tb: float) -> bool:
    """The rest of the run costs the Python engine less than the compiled engine's start."""
    weight = DRAG_WEIGHT if run.force_fn.ctx.forces.drag is not None else 1.0
    return (tb - t) / run.max_step_s * len(run.bodies) * weight < JIT_BREAK_EVEN_BODY_STEPS


class Tables:
    """Earth nodes and MSIS blocks of one run, as arrays for the compiled code."""

    def __init__(self, ctx, t0: float, t1: float):
        self.ctx = ctx
        self.drag_arrays = _drag_arrays(ctx.drag_shapes)     # fixed for the run (grids: ~5 ms a table)
        self.earth = ctx.earth
        self.node_s = float(self.earth.node_s)
        self.k0 = int(math.floor(t0 / self.node_s + 0.5))
        kn = int(math.floor(t1 / self.node_s + 0.5)) - self.k0 + 1
        self.nodes, self.node_ok = np.zeros((kn, 3, 3)), np.zeros(kn, dtype=np.bool_)
        self.mp, self.slot, self.store, self.used = np.zeros(9), np.full((1, 1), -1, np.int64), \
            np.zeros((1, 1, 1, 1)), 0
        if ctx.forces.drag == "msis":
            from physics.drag import _msis_table
            tab = self.table = _msis_table(ctx)
            koff = int(math.floor(t0 / tab.node_s))
            self.mp = np.array([tab.node_s, tab.dlat, tab.dlst, tab.dalt, tab.levels, tab._ut0_s,
                                tab.lat_deg.size, tab.lst_h.size, koff], dtype=np.float64)
            self.slot = np.full((int(math.floor(t1 / tab.node_s)) - koff + 2, 8), -1, np.int64)
            self.store = np.zeros((8, tab.lat_deg.size, tab.lst_h.size, tab.levels))

    def fill(self, need: np.ndarray) -> None:
        kind, a, b = int(need[0]), int(need[1]), int(need[2])
        if kind == 1:
            self._fill_node(a)
        elif kind == 2:
            self._fill_block(a, b)
        need[:] = 0

    def _node_batch(self, q: int) -> np.ndarray:
        """Nodes 64 q ... 64 q + 63 (3,3 each) from one vectorised skyfield call. Always the whole
        aligned batch, so a node's value depends on k only (numpy's SIMD paths can round elements
        differently by their place in an array)."""
        from physics.frames import itrs_from_gcrs
        return itrs_from_gcrs(self.earth.epoch_tt_jd, (_BATCH * q + np.arange(_BATCH)) * self.node_s)

    def _fill_node(self, k: int) -> None:
        j = k - self.k0
        if not 0 <= j < self.node_ok.size:
            raise RuntimeError(f"jit: Earth node {k} outside the run's span")     # a bug, not input
        if abs(k) < _SCALAR_NODES:
            self.nodes[j] = self.earth.itrs_from_gcrs(k * self.node_s)    # rot_z(0) @ node: the node
            self.node_ok[j] = True
            return
        q = k // _BATCH
        R = self.ahead.pop(q, None)
        R = self._node_batch(q) if R is None else R
        ks = _BATCH * q + np.arange(_BATCH)
        use = (np.abs(ks) >= _SCALAR_NODES) & (ks - self.k0 >= 0) & (ks - self.k0 < self.node_ok.size)
        self.nodes[ks[use] - self.k0] = R[use]
        self.node_ok[ks[use] - self.k0] = True
        self.frontier = (self.frontier[0], self.frontier[1], q)

    def _fill_block(self, k: int, b: int) -> None:
        j = k - int(self.mp[8])
        if not 0 <= j < self.slot.shape[0]:
            raise RuntimeError(f"jit: MSIS time node {k} outside the run's span")
        if b >= self.slot.shape[1]:
            wider = np.full((self.slot.shape[0], b + 8), -1, np.int64)
            wider[:, : self.slot.shape[1]] = self.slot
            self.slot = wider
        if self.used == self.store.shape[0]:
            self.store = np.concatenate((self.store, np.zeros_like(self.store)))
        self.store[self.used] = self.table._block(k, b)
        self.slot[j, b] = self.used
        self.used += 1
        k_last, bs, q = self.frontier
        self.frontier = (k, (b,), q) if k > k_last else (k_last, tuple(sorted(set(bs) | {b})) if k == k_last
                                                           else bs, q)

    # --- prefetch on the second core while the compiled loop runs (it releases the GIL)
    def start_prefetch(self) -> None:
        """Compute ahead, in a thread, the MSIS blocks of the next time node at the altitude blocks
        in use and the next batch of Earth nodes: the loop then finds them ready. Entries depend only
        on their key, so results do not depend on this thread's timing (determinism)."""
        import threading
        self.ahead, self.frontier = {}, (-(2 ** 62), (), -(2 ** 62))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._prefetch, name="jit-prefetch", daemon=True)
        self._thread.start()

    def stop_prefetch(self) -> None:
        self._stop.set()
        self._thread.join()

    def _prefetch(self) -> None:
        while not self._stop.is_set():
            k, bs, q = self.frontier
            busy = False
            for b in bs if self.mp[0] else ():
                if (k + 1, b) not in self.table._blocks and not self._stop.is_set():
                    self.table._block(k + 1, b)
                    busy = True
            if q > -(2 ** 62) and q + 1 not in self.ahead and not self._stop.is_set():
                self.ahead[q + 1] = self._node_batch(q + 1)
                busy = True
            if not busy:
                self._stop.wait(0.002)


def _stack(arrays, shape_tail) -> np.ndarray:
    """Rows of all `arrays` in one C-contiguous float64 array ((0,) + shape_tail when none)."""
    if not arrays:
        return np.zeros((0,) + shape_tail)
    return np.ascontiguousarray(np.concatenate(arrays), dtype=np.float64)


def _drag_arrays(shapes) -> tuple:
    """(has_drag (n,), cd (n,), row offsets (n+1,), directions (N,3), area (N,), cop (N,3), and the
    lookup grids of compiled.grid.grids): every body's DragShape table in one set of arrays, body i owning
    rows off[i]:off[i+1]."""
    from physics.compiled.grid import grids
    sh = [s for s in shapes if s is not None]
    off = np.concatenate(([0], np.cumsum([0 if s is None else len(s.area_m2) for s in shapes]))).astype(np.int64)
    return (np.array([s is not None for s in shapes], dtype=np.bool_),
            np.array([0.0 if s is None else s.cd for s in shapes]), off,
            _stack([s.directions for s in sh], (3,)), _stack([s.area_m2 for s in sh], ()),
            _stack([s.cop_m for s in sh], (3,))) + grids(shapes, off)


def params(run, tables: Tables, need: np.ndarray):
    """JitParams for the current configuration of `run` (masses fixed: no burns)."""
    from physics.compiled.propagate import JitParams
    from physics.integrator import MAX_TURN_PER_STEP_RAD
    sys, ctx = run.sys, run.force_fn.ctx
    fm, n = ctx.forces, sys.n
    m = run.y[13 * n:]
    held, M = np.zeros(n, dtype=np.bool_), np.zeros((n, 3, 3))
    held[sys.held_idx], M[sys.held_idx] = True, sys.R_lvlh_from_unit
    flags = np.array([fm.central, fm.j2, fm.j3_j4, fm.gravity_gradient, {None: 0, "exponential": 1, "msis": 2}[fm.drag],
                      fm.aero_torque, run.reentry_alt_m is not None], dtype=np.int64)
    ctl = np.array([run.reentry_alt_m or 0.0, run.max_step_s, MAX_TURN_PER_STEP_RAD,
                    min((p.step_limit(m) for p in run.pushes), default=math.inf)])
    env = fm.environment
    gp = np.array(env.gravity_params(fm.j2, fm.j3_j4) + (1.0 if fm.central else 0.0,))
    atm = np.array([env.altitude == "spherical", env.rotates, env.gravity.r_eq_m], dtype=np.float64)
    eh0, erho0, eH = (np.ascontiguousarray(a, dtype=np.float64) for a in env.exponential_table())
    return JitParams(n, flags, np.ascontiguousarray(ctx.pole_gcrs, dtype=np.float64),
                     np.ascontiguousarray(sys.lay.inertia_kgm2), np.ascontiguousarray(sys.lay.inertia_inv),
                     ctx.inertia_kgm2 * (m / ctx.mass0_kg)[:, None, None], held, M, sys.alive.astype(np.bool_),
                     *tables.drag_arrays, tables.nodes, tables.node_ok, tables.k0, tables.node_s,
                     tables.mp, tables.slot, tables.store, need, ctl, gp, atm, eh0, erho0, eH,
                     *_push_arrays([p.geom for p in run.pushes]))


def _push_arrays(geoms) -> tuple:
    """JitParams' push fields of the active springs of each push (dynamics.PushGeom, body = unit)."""
    off = np.concatenate(([0], np.cumsum([len(g.base_a) for g in geoms]))).astype(np.int64)
    return (np.array([[g.ia, g.ib] for g in geoms], dtype=np.int64).reshape(-1, 2),
            _stack([g.x_port_a[None] for g in geoms], (3,)),
            np.array([[g.k_n_per_m, g.preload_n, g.stroke_m] for g in geoms], dtype=np.float64).reshape(-1, 3),
            off, _stack([g.base_a for g in geoms], (3,)), _stack([g.tip_b for g in geoms], (3,)))


def integrate(run, t: float, tb: float, rec, progress, t0: float, t1: float) -> None:
    """RunState.integrate over [t, tb] with the compiled loop: samples into rec, events via run.handle_event."""
    fresh_cache()
    tables = getattr(run, "jit_tables", None)
    if tables is None:
        tables = run.jit_tables = Tables(run.force_fn.ctx, t, t1)
    need = np.zeros(3, dtype=np.int64)
    k_base = rec.next
    stop = int(np.searchsorted(rec.t_out, tb, side="right"))
    Yout = np.empty((max(stop - k_base, 0), run.y.size))
    P = params(run, tables, need)
    tables.start_prefetch()
    try:
        _loop(run, t, tb, rec, progress, t0, t1, tables, need, k_base, Yout, P)
    finally:
        tables.stop_prefetch()


def _loop(run, t, tb, rec, progress, t0, t1, tables, need, k_base, Yout, P) -> None:
    from physics.compiled import loop as jl
    while True:
        y = run.y.copy()
        status, t, nxt, _, key = jl.propagate(y, t, tb, P, rec.t_out, rec.next, Yout, k_base, BUDGET_STEPS)
        if nxt > rec.next:
            rec.chunks.append((run.sys, np.arange(rec.next, nxt), Yout[rec.next - k_base: nxt - k_base]))
            rec.next = nxt
        run.y = y
        if status == jl.NEED:
            tables.fill(need)
            P = P._replace(slot=tables.slot, store=tables.store)     # the arrays a fill may replace
            continue
        if status in (jl.REENTRY, jl.PUSH_END):
            run.handle_event("reentry" if status == jl.REENTRY else "push_end", None if key < 0 else key, t)
            P = params(run, tables, need)
        elif status == jl.ALL_DEAD:
            rec.fill_frozen(run.sys, run.y, t, tb)
            return
        if progress is not None:
            progress((t - t0) / (t1 - t0))
        if status == jl.DONE:
            return
