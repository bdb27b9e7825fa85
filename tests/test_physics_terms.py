"""Every force term declares its compiled form; a term without one keeps the run in the Python engine
(and the run says so): the compiled engine never drops physics (issue 13: a 1 N term added the
documented way was ignored by engine="jit", 9,767 m off after one orbit)."""
from __future__ import annotations

import numpy as np

from physics import Epoch, ForceModel, RigidBody, State, simulate
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.forces import compiled_form, force_term, force_terms

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
BODY = RigidBody("sat", 1000.0, np.diag([100.0, 120.0, 140.0]))
PERIOD_S = 5560.0


@force_term(compiled=None)
def one_newton_along_track(ctx, t_s, r, v, R, omega, mass):
    """1 N along each body's velocity (a low-thrust engine), no torque."""
    return v / np.linalg.norm(v, axis=1, keepdims=True), np.zeros_like(r)


def _state():
    a = 6778e3
    return State(0.0, np.array([[a, 0.0, 0.0]]), np.array([[0.0, np.sqrt(MU / a), 0.0]]),
                 np.array([[1.0, 0.0, 0.0, 0.0]]), np.zeros((1, 3)), np.array([1000.0]))


def _run(engine, extra=()):
    fm = ForceModel(j2=True, drag=None, gravity_gradient=False, aero_torque=False, extra_terms=extra)
    return simulate([BODY], [], _state(), EPOCH, 7 * PERIOD_S, 60.0, forces=fm, engine=engine,
                    reentry_alt_m=None)


def test_every_builtin_term_declares_its_compiled_form():
    fm = ForceModel(j2=True, drag="exponential", sun_moon=True, srp=True)
    for term in force_terms(fm):
        assert hasattr(term, "compiled"), term


def test_a_python_only_term_is_seen_by_every_engine_and_the_run_says_so():
    assert compiled_form(one_newton_along_track) is None
    plain = _run("python")
    runs = {e: _run(e, (one_newton_along_track,)) for e in ("python", "jit", "auto")}
    # 1 N on 1 t for 7 orbits: ~1e-3 m/s^2 along track moves the body by ~hundreds of km; the runs
    # with the term agree with each other to round-off and differ from the run without it
    moved = np.linalg.norm(runs["python"].r_gcrs_m[-1] - plain.r_gcrs_m[-1])
    assert moved > 1e5
    for e in ("jit", "auto"):
        assert np.abs(runs[e].r_gcrs_m - runs["python"].r_gcrs_m).max() < 1e-6
        meta = runs[e].metadata["integrator"]
        assert meta["engine"] == "python"
        assert "one_newton_along_track" in meta["engine_note"]
    assert runs["python"].metadata["forces"]["extra_terms"] == ["one_newton_along_track"]
