"""Compile the compiled engine into numba's on-disk cache in a background process.

`python -m physics.compiled.warmup` runs a tiny free flight with engine="jit" at the lowest CPU
priority: numba compiles every function of the step loop (one type signature serves every run) and
caches it (physics/compiled/__pycache__). "auto" starts it (cache.start_background) the first time a run
finds the cache cold, and runs that run in the Python engine meanwhile, so no run waits for the
~21 s compile; the next process finds the cache warm and uses the compiled engine for every free
flight. A lock file keeps it to one compile at a time. ISS_NO_BACKGROUND_COMPILE=1 switches it off
(the tests do: they compile in-process where they need it).
"""
from __future__ import annotations

import os
import sys

from physics.compiled.cache import lock_path


def compile_now() -> None:
    """A 20-minute two-body free flight with drag and an LVLH-held body, engine="jit"."""
    import numpy as np
    from physics import AttitudeMode, DragShape, Epoch, ForceModel, Model, Options, RigidBody, State, Timeline, simulate
    from physics.constants import MU_EARTH_M3PS2
    d = np.vstack((np.eye(3), -np.eye(3)))
    shape = DragShape(2.2, d, np.ones(6), np.zeros((6, 3)))
    bodies = [RigidBody(n, 1000.0, np.diag([100.0, 120.0, 140.0]), drag=shape) for n in ("a", "b")]
    a = 6778e3
    v = np.sqrt(MU_EARTH_M3PS2 / a)
    s0 = State(0.0, np.array([[a, 0, 0], [a, 50.0, 0]]), np.array([[0, v, 0], [0, v, 0.01]]),
               np.array([[1.0, 0, 0, 0]] * 2), np.array([[0.0, 1e-3, 0], [0, 0, 0]]), np.array([1000.0, 1000.0]))
    model = Model(bodies, forces=ForceModel(drag="exponential"), attitude=[AttitudeMode("b", "lvlh_hold")])
    simulate(model, s0, Timeline(Epoch.from_utc("2022-03-05T12:00:00Z"), 1200.0, 60.0), Options(engine="jit"))


def main() -> int:
    try:
        os.nice(19)
    except OSError:
        pass
    try:
        compile_now()
    finally:
        try:
            lock_path().unlink()
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
