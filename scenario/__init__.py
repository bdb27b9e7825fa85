"""Scenarios: a reproducible timeline (TOML) turned into physics inputs and run.

    sc = scenario.load("clip-2022")        # bundled name or a path; ScenarioError on bad input
    traj = scenario.run(sc, progress=None)   # physics.simulate -> Trajectory

The app, the video export, the command line and the tests all call these two functions.
File format: docs/scenarios.md (keys and defaults: scenario/schema.py).
"""
from __future__ import annotations

from scenario.errors import ScenarioError
from scenario.loader import Scenario, bundled_names, load

__all__ = ["Scenario", "ScenarioError", "bundled_names", "load", "long_term_trajectory", "playback_trajectory",
           "prepare", "run", "run_long", "run_prepared"]


def prepare(sc: "Scenario | str"):
    """Scenario (or name/path) -> scenario.build.PhysicsInputs, without running."""
    from scenario.build import build
    return build(load(sc) if not isinstance(sc, Scenario) else sc)


def run(sc: "Scenario | str", progress=None, engine: str = "auto"):
    """Run a scenario: returns physics.trajectory.Trajectory. progress(fraction) is called now and then.
    engine: physics.simulate's "auto" (compiled free flight for long spans), "python" or "jit"."""
    return run_prepared(prepare(sc), progress=progress, engine=engine)


def run_prepared(inputs, progress=None, engine: str = "auto", t_end_s: float | None = None, loads: bool = True):
    """`run` on inputs from `prepare` (the station built once), optionally to an earlier end t_end_s
    (the app's partial runs: fixed steps give the full run's samples up to the last step); loads=False
    leaves the port loads out of the trajectory's metadata (ensemble members: the states are the same)."""
    import dataclasses
    from physics.simulate import simulate
    options = inputs.options(engine, progress)
    return simulate(inputs.model(), inputs.state0, inputs.timeline(t_end_s),
                    options if loads else dataclasses.replace(options, loads=False))


def run_long(sc: "Scenario | str", progress=None, headline: bool | None = None):
    """Run a scenario's [long_term] part: returns scenario.longterm.run.LongRun (docs/decay.md)."""
    from scenario.longterm.run import run_long as _run_long
    return _run_long(load(sc) if not isinstance(sc, Scenario) else sc, progress=progress, headline=headline)


def long_term_trajectory(result, dt_s: float = 300.0, **kwargs):
    """physics.longterm.decay.LongTermResult -> physics.trajectory.Trajectory (see scenario/longterm/traj.py)."""
    from scenario.longterm.traj import long_term_trajectory as _ltt
    return _ltt(result, dt_s=dt_s, **kwargs)


def playback_trajectory(sc: "Scenario | str", progress=None, dt_s: float = 300.0):
    """What the app and the video play: the 6-DOF Trajectory (scenario.run), or for a scenario
    with a [long_term] table the main long run as a Trajectory (months, chapters, reentries)."""
    sc = load(sc) if not isinstance(sc, Scenario) else sc
    if sc.long_term is None:
        return run(sc, progress=progress)
    lr = run_long(sc, progress=progress, headline=False)     # the headline grid is for `simulate` (minutes)
    return long_term_trajectory(lr.main, dt_s=dt_s, metadata=lr.metadata)
