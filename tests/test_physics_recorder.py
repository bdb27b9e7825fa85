"""The recorder's short path (physics/recorder.py Recorder._bodies): when every body is its own unit with
the unit frame the body frame (physics.dynamics.System.identity), body states are the unit states copied.
The general path (unit attitude x body offset, composed rotations) must give the same numbers there: this
test runs the same flights both ways in one process (same machine, same code: the values are compared
exactly, which holds because the general path only adds zeros and multiplies by exact ones)."""
from __future__ import annotations

import numpy as np
import pytest

import scenario
from physics import dynamics

KEYS = ("t_s", "r_gcrs_m", "v_gcrs_mps", "q_gcrs_from_body", "omega_body_radps")


def _general_path(monkeypatch):
    init = dynamics.System.__init__

    def no_short_path(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.identity = False
    monkeypatch.setattr(dynamics.System, "__init__", no_short_path)


@pytest.mark.parametrize("engine", ["python", "jit"])
def test_short_path_equals_general_path(monkeypatch, engine):
    """Docked then released (the docked stack takes the general path, the two segments after the push the
    short one), tumbling free bodies, the compiled and the Python engine."""
    inputs = scenario.prepare(scenario.load("separation-conservation"))
    seen = []
    init = dynamics.System.__init__

    def record(self, *args, **kwargs):
        init(self, *args, **kwargs)
        seen.append(self.identity)
    with monkeypatch.context() as m:
        m.setattr(dynamics.System, "__init__", record)
        short = scenario.run_prepared(inputs, engine=engine, loads=False)
    assert True in seen and False in seen          # both paths taken: docked, then two free bodies
    _general_path(monkeypatch)
    general = scenario.run_prepared(inputs, engine=engine, loads=False)
    for k in KEYS:
        assert np.array_equal(getattr(short, k), getattr(general, k)), k
