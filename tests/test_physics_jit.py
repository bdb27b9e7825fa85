"""The compiled free-flight engine (physics/compiled/*.py, simulate(engine="jit")) against the Python
engine on the same problems, against closed forms and conservation laws, and for determinism.

The first use in a fresh checkout compiles the kernels (~21 s on the 2-core box, once: numba's
on-disk cache, physics/__pycache__); later sessions load them in ~0.6 s.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from physics import AttitudeMode, DragShape, Epoch, ForceModel, RigidBody, State, simulate
from physics.errors import PhysicsInputError
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.rotation import dcm_from_quat

pytest.importorskip("numba")

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
FULL = ForceModel(j2=True, drag="msis", gravity_gradient=True, aero_torque=True)
R0 = 6778e3


def box(lx, ly, lz, cop):
    d = np.vstack((np.eye(3), -np.eye(3)))
    return DragShape(2.2, d, np.array([ly * lz, lx * lz, lx * ly] * 2), np.tile(np.asarray(cop, float), (6, 1)))


def sphere_table(n=60):
    """A 60-direction table (the > 16-direction path of drag._nearest3) with a smooth, asymmetric
    area and centre of pressure: a long body seen from different directions."""
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5 ** 0.5) * k
    d = np.column_stack((np.sqrt(1 - z * z) * np.cos(phi), np.sqrt(1 - z * z) * np.sin(phi), z))
    area = 300.0 + 900.0 * np.abs(d[:, 1]) + 200.0 * np.abs(d[:, 2])
    return DragShape(2.2, d, area, 4.0 * d[:, [1, 2, 0]] + np.array([-2.0, 0.5, 0.3]))


ROS = RigidBody("ROS", 140e3, np.array([[1.4e6, 5e4, 0], [5e4, 1.05e7, 2e4], [0, 2e4, 1.08e7]]),
                drag=box(50, 30, 12, (-5.0, 0.0, 0.5)))
USOS = RigidBody("USOS", 280e3, np.array([[1.0e8, 1e5, 3e5], [1e5, 2.4e7, 0], [3e5, 0, 1.15e8]]), drag=sphere_table())


def two_tumbling(alt_m=(420e3, 420.3e3), w=((3e-3, -2e-3, 1.5e-3), (-1e-3, 2.5e-3, 2e-3))):
    """Two free bodies on ISS-like orbits (51.6 deg), a few hundred metres apart, tumbling."""
    inc = np.radians(51.6)
    r, v = [], []
    for k, h in enumerate(alt_m):
        a = 6378137.0 + h
        r.append([a, 50.0 * k, 0.0])
        vc = np.sqrt(MU / a)
        v.append([0.0, vc * np.cos(inc), vc * np.sin(inc) + 0.05 * k])
    q = np.array([[0.9, 0.1, -0.3, 0.2], [0.5, -0.5, 0.5, 0.5]])
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return State(0.0, np.array(r), np.array(v), q, np.array(w, float), np.array([140e3, 280e3]))


def both(bodies, s0, t_end, dt_out, **kw):
    return [simulate(bodies, [], s0, EPOCH, t_end, dt_out, engine=e, **kw) for e in ("python", "jit")]


def diff(a, b):
    """Largest differences in r, v, q, omega over the samples both trajectories have (the regular grid;
    event samples sit at each engine's own root)."""
    _, ia, ib = np.intersect1d(a.t_s, b.t_s, return_indices=True)
    assert ia.size >= a.t_s.size - len(a.events)
    return tuple(np.abs(x[ia] - y[ib]).max() for x, y in ((a.r_gcrs_m, b.r_gcrs_m), (a.v_gcrs_mps, b.v_gcrs_mps),
                 (a.q_gcrs_from_body, b.q_gcrs_from_body), (a.omega_body_radps, b.omega_body_radps)))


def test_jit_matches_python_engine_two_tumbling_bodies_two_orbits():
    py, jit = both([ROS, USOS], two_tumbling(), 2 * 5560.0, 30.0, forces=FULL)
    assert jit.metadata["integrator"]["engine"].startswith("jit") and py.metadata["integrator"]["engine"] == "python"
    dr, dv, dq, dw = diff(py, jit)
    print(f"FIGURE jit vs python, 2 tumbling bodies, 2 orbits, J2+MSIS+GG+aero: dr {dr:.2e} m, dv {dv:.2e} m/s, "
          f"dq {dq:.2e}, dw {dw:.2e} rad/s")
    # Same equations, same steps: only round-off differs (summation order, libm vs numpy sin/cos,
    # algebraic geodetic). Round-off of positions at 6.8e6 m is ~1e-9 m per operation; over ~190
    # steps x 12 stages, with drag and attitude feeding back, measured 1.7e-7 m. 1e-5 m leaves 60x
    # margin and is still 100x below what any equation change (a cop offset, a missing torque,
    # another density) does in two orbits (mm to m).
    assert dr < 1e-5 and dv < 1e-8
    assert dq < 1e-9 and dw < 1e-11       # attitude: measured 1e-13, 1e-15


def test_jit_matches_python_lvlh_hold_j3j4_exponential():
    """The other branches: LVLH-held body next to a free one, J2-J4, exponential atmosphere."""
    fm = ForceModel(j2=True, j3_j4=True, drag="exponential", gravity_gradient=True, aero_torque=True)
    att = (AttitudeMode("USOS", "lvlh_hold", (0.9238795325112867, 0.0, 0.0, 0.3826834323650898)),)
    py, jit = both([ROS, USOS], two_tumbling(), 5560.0, 20.0, forces=fm, attitude=att)
    dr, dv, dq, dw = diff(py, jit)
    print(f"FIGURE jit vs python, hold + J2-J4 + exponential, 1 orbit: dr {dr:.2e} m, dq {dq:.2e}")
    assert dr < 1e-5 and dv < 1e-8 and dq < 1e-9 and dw < 1e-11     # round-off, as above


def test_jit_point_mass_circular_orbit_matches_kepler_after_one_day():
    b = RigidBody("A", 1000.0, np.diag([100.0, 200.0, 300.0]))
    v0 = np.sqrt(MU / R0)
    s0 = State(0.0, np.array([[R0, 0, 0]]), np.array([[0, v0 * np.cos(0.9), v0 * np.sin(0.9)]]),
               np.array([[1.0, 0, 0, 0]]), np.zeros((1, 3)), np.array([1000.0]))
    tr = simulate([b], [], s0, EPOCH, 86400.0, 600.0, engine="jit", reentry_alt_m=None,
                  forces=ForceModel(central=True, j2=False, drag=None, gravity_gradient=False))
    n = np.sqrt(MU / R0 ** 3)
    t = tr.t_s
    ref = R0 * (np.outer(np.cos(n * t), [1, 0, 0]) + np.outer(np.sin(n * t), [0, np.cos(0.9), np.sin(0.9)]))
    err = np.linalg.norm(tr.r_gcrs_m[:, 0] - ref, axis=1).max()
    print(f"FIGURE jit kepler circular 1 day: max position error {err:.3e} m")
    assert err < 1e-3      # the "under 1 mm after one day" (RK8 at 60 s: ~6 um)


def test_jit_torque_free_spin_conserves_energy_and_angular_momentum():
    """0.5 rad/s about a tilted axis, full inertia tensor, no force: the turn limit cuts the steps to
    0.3 rad and the samples come from DOP853's dense output."""
    I = np.array([[1.2e6, 3e4, -2e4], [3e4, 2.5e6, 1e4], [-2e4, 1e4, 3.1e6]])
    b = RigidBody("B", 5e4, I)
    s0 = State(0.0, np.array([[R0, 0, 0]]), np.array([[0, 7.5e3, 0]]), np.array([[1.0, 0, 0, 0]]),
               np.array([[0.3, 0.02, 0.4]]), np.array([5e4]))
    off = ForceModel(central=False, j2=False, drag=None, gravity_gradient=False, aero_torque=False)
    py, tr = both([b], s0, 1000.0, 7.0, forces=off, reentry_alt_m=None)
    w = tr.omega_body_radps[:, 0]
    E = 0.5 * np.einsum("ki,ij,kj->k", w, I, w)
    L = np.einsum("kij,jl,kl->ki", dcm_from_quat(tr.q_gcrs_from_body[:, 0]), I, w)
    dE = np.abs(E / E[0] - 1).max()
    dL = (np.linalg.norm(L - L[0], axis=1) / np.linalg.norm(L[0])).max()
    print(f"FIGURE jit torque-free 0.5 rad/s, 1000 s: energy {dE:.1e}, angular momentum {dL:.1e} (relative)")
    # 1e-10: the Python engine's own bound (docs/validation.md: 2.6e-13, 1.1e-12 measured)
    assert dE < 1e-10 and dL < 1e-10
    assert diff(py, tr)[2] < 1e-9         # same steps and dense output as the Python engine: round-off


def test_jit_reentry_event_matches_python_engine():
    """A small body on a 140 km orbit (re-enters after ~70 min) next to one at 300 km that
    carries on: the event (root found on re-stepped RK8 in both engines), the frozen samples after
    it and the survivor's motion must agree."""
    low = RigidBody("LOW", 1000.0, np.diag([500.0, 600.0, 700.0]), drag=box(4, 3, 2, (0.1, 0, 0)))
    high = RigidBody("HIGH", 1000.0, np.diag([500.0, 600.0, 700.0]), drag=box(4, 3, 2, (0.1, 0, 0)))
    s = two_tumbling(alt_m=(140e3, 300e3), w=((1e-3, 0, 0), (0, 1e-3, 0)))
    s0 = State(0.0, s.r_gcrs_m, s.v_gcrs_mps, s.q_gcrs_from_body, s.omega_body_radps, np.array([1000.0, 1000.0]))
    py, jit = both([low, high], s0, 5400.0, 60.0, forces=ForceModel(drag="msis"))
    ep, ej = [e for e in py.events if e.kind == "reentry"], [e for e in jit.events if e.kind == "reentry"]
    assert len(ep) == len(ej) == 1 and ej[0].subject == "LOW"
    print(f"FIGURE jit reentry: t {ej[0].t_s:.9f} s vs {ep[0].t_s:.9f} s; "
          f"lat/lon diff {abs(ej[0].data['lat_deg'] - ep[0].data['lat_deg']):.1e}, "
          f"{abs(ej[0].data['lon_deg'] - ep[0].data['lon_deg']):.1e} deg")
    # the root stops at |g| < 1e-6 m of altitude (or a 1e-9 s bracket): with a descent of ~50 m/s
    # that is ~2e-8 s, and the engines' states differ by ~1e-6 m (round-off grown through the decay):
    # measured 8e-8 s. 1e-6 s bounds it; along-track that is 7.8 km/s x 1e-6 s = 8 mm = 7e-8 deg.
    assert abs(ej[0].t_s - ep[0].t_s) < 1e-6
    assert abs(ej[0].data["lat_deg"] - ep[0].data["lat_deg"]) < 1e-7
    assert abs(ej[0].data["lon_deg"] - ep[0].data["lon_deg"]) < 1e-7
    assert abs(ej[0].data["alt_m"] - 120e3) < 1e-3           # the event altitude itself (1 mm)
    _, ia, ib = np.intersect1d(py.t_s, jit.t_s, return_indices=True)
    before = py.t_s[ia] < ep[0].t_s      # after it each holds its own root's place (checked below)
    d_low = np.abs(py.r_gcrs_m[ia[before], 0] - jit.r_gcrs_m[ib[before], 0]).max()
    d_high = np.abs(py.r_gcrs_m[ia, 1] - jit.r_gcrs_m[ib, 1]).max()
    print(f"FIGURE jit reentry: position diff re-entered body {d_low:.1e} m, survivor {d_high:.1e} m")
    # before the event: round-off grown through a decay from 140 km (measured 1.1e-6 m); the survivor:
    # round-off as in the two-orbit comparison
    assert d_low < 1e-5 and d_high < 1e-5
    # the re-entered body stays where it crossed, to round-off in either engine: blending two equal end
    # points in the quintic Hermite costs a few ulp of 6.5e6 m (1 ulp = 9e-10 m; measured 0 on one
    # machine and 4.7e-10 m on another for the compiled engine, 4.7e-10 m for Python), so the bound is
    # 1 um, three orders above round-off and far below the ~50 km wobble this test was written against
    # (before the recorder took dr/dt from the stored crossing velocity instead of the right-hand side).
    ROUND_OFF_M = 1e-6
    for tr, ev in ((jit, ej[0]), (py, ep[0])):
        at = tr.t_s >= ev.t_s
        assert np.abs(tr.r_gcrs_m[at, 0] - tr.r_gcrs_m[np.searchsorted(tr.t_s, ev.t_s), 0]).max() < ROUND_OFF_M
        assert np.all(tr.v_gcrs_mps[tr.t_s > ev.t_s, 0] == 0.0)


def test_jit_is_deterministic():
    """Three days: the lazily filled tables (MSIS blocks, Earth-rotation node batches after day 2)
    and the prefetch thread are involved; entries depend on their key only, never on timing."""
    def digest():
        tr = simulate([ROS, USOS], [], two_tumbling(), EPOCH, 3 * 86400.0, 60.0, engine="jit", forces=FULL)
        h = hashlib.sha256()
        for a in (tr.t_s, tr.r_gcrs_m, tr.v_gcrs_mps, tr.q_gcrs_from_body, tr.omega_body_radps):
            h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()
    assert digest() == digest()


def test_engine_option(monkeypatch):
    from physics.compiled import run as jit_run
    s0 = two_tumbling()
    monkeypatch.setattr(jit_run, "cache_warm", lambda: False)         # a fresh checkout: nothing compiled
    cold = simulate([ROS, USOS], [], s0, EPOCH, 86400.0, 600.0, forces=FULL)
    assert cold.metadata["integrator"]["engine"] == "python"          # one day: cheaper than a ~21 s compile
    monkeypatch.setattr(jit_run, "cache_warm", lambda: True)
    short = simulate([ROS, USOS], [], s0, EPOCH, 2 * 5560.0, 60.0, forces=FULL)        # default "auto"
    assert short.metadata["integrator"]["engine"] == "python"   # ends sooner than the compiled engine's start
    seen = []
    long = simulate([ROS, USOS], [], s0, EPOCH, 86400.0, 600.0, forces=FULL, progress=seen.append)
    assert long.metadata["integrator"]["engine"] == "jit from t_s=0"
    assert seen[-1] == 1.0 and all(a <= b for a, b in zip(seen, seen[1:]))
    split = simulate([ROS, USOS], [], s0, EPOCH, 86400.0, 600.0, forces=FULL, split_slow_forces=True)
    assert split.metadata["integrator"]["engine"] == "python"         # splitting is the Python engine's
    with pytest.raises(PhysicsInputError, match="engine"):
        simulate([ROS, USOS], [], s0, EPOCH, 600.0, 60.0, engine="fast")


def test_area_lookup_grid_equals_full_scan():
    """The cube-map candidate lists (physics/compiled/grid.py) must give exactly the full scan's area and
    centre of pressure: random wind directions, every table direction itself (exact hits) and the
    midpoints between neighbours (near-ties), on a 300-direction table."""
    from physics.compiled.forces import shape_lookup
    from physics.compiled.grid import cube_grid
    t = sphere_table(300)
    d, a, c = t.directions, t.area_m2, t.cop_m
    G, starts, cand = cube_grid(d)
    assert G > 0 and np.diff(starts).mean() < 0.1 * len(d)      # the point of it: ~10 candidates, not 300
    full = (0, 0, np.array([0, len(d)], np.int64), np.arange(len(d), dtype=np.int64))
    rng = np.random.default_rng(7)
    u = rng.normal(size=(3000, 3))
    mids = d + d[np.argsort(d @ d.T, axis=1)[:, -2]]
    for v in np.vstack((u, d, mids)):
        v = v / np.linalg.norm(v)
        assert shape_lookup(d, a, c, 0, len(d), G, 0, starts, cand, *v) == shape_lookup(d, a, c, 0, len(d), *full, *v)


def test_area_lookup_grid_is_kept_per_process_and_keyed_on_the_directions():
    """cube_grid is computed once per direction table (ensemble members shift only the centres of
    pressure): a copy of the same directions gets the cached grid, equal to a fresh computation;
    other directions get their own."""
    from physics.compiled import grid
    d = sphere_table(300).directions
    first = grid.cube_grid(d)
    again = grid.cube_grid(d.copy())
    assert again is first
    fresh = grid._cube_grid(d)
    assert first[0] == fresh[0] and all(np.array_equal(x, y) for x, y in zip(first[1:], fresh[1:]))
    other = grid.cube_grid(sphere_table(200).directions)
    assert other is not first and other[2].size != first[2].size


def test_cache_stamp_covers_every_module_the_compiled_code_takes_constants_from():
    """numba bakes imported globals (density table, WGS84, J2-J4, RK8 tableau) into the cached machine
    code; fresh_cache() must hash every physics module the physics/compiled/ files import from, or a changed
    constant would leave the compiled engine silently disagreeing with the Python one."""
    import ast
    from pathlib import Path

    from physics.compiled import run as jit_run
    here = Path(jit_run.__file__).parent
    sources = set()
    for f in here.glob("*.py"):
        if "njit" not in f.read_text():          # the Python glue (compiled/run.py) compiles nothing
            continue
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "physics":      # from physics import kernels
                sources.update(a.name + ".py" for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("physics."):
                name = node.module.split(".", 1)[1]
                if name.split(".")[0] != "compiled":
                    sources.add(name + ".py")
    from physics.compiled import cache
    assert sources and sources <= set(cache._BAKED_SOURCES), sources - set(cache._BAKED_SOURCES)


def test_cache_warm_needs_the_compiled_loop(tmp_path, monkeypatch):
    """An empty cache, or one holding only a helper function, is cold ("auto" then keeps runs under
    ~12 days in Python instead of paying a ~21 s compile); the loop's index file makes it warm."""
    from physics.compiled import cache as jit_run
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(jit_run, "_CACHE_CHECKED", [])
    monkeypatch.setattr(jit_run, "_WARM", {})
    assert not jit_run.cache_warm()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "forces.shape_lookup-224.py311.nbi").write_bytes(b"")
    jit_run._WARM.clear()                   # checked once per process: ask again
    assert not jit_run.cache_warm()
    (tmp_path / "x" / "loop.propagate-46.py311.nbi").write_bytes(b"")
    jit_run._WARM.clear()
    assert jit_run.cache_warm()
