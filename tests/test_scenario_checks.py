"""The validation scenarios' own checks (scenario/checks.py), as `simulate` prints them: each bundled
validation scenario runs (shortened where the full run is slow) and its figures are within their
stated tolerances; a deliberately wrong reference is reported as outside."""
from __future__ import annotations

import dataclasses

import pytest

import main
import scenario
from scenario.checks import CHECKS, Check, run_checks

CASES = {                        # scenario -> (check, shortened duration_s or None)
    "kepler-circular": ("kepler-period", None),
    "cw-impulse": ("cw", None),
    "j2-nodal-regression": ("j2-node-rate", 6 * 5554.0),
    "torque-free-dzhanibekov": ("torque-free", None),
    "gravity-gradient-libration": ("gg-libration", None),
    "drag-exponential-decay": ("drag-decay", 4 * 5554.0),
    "drag-exponential-textbook": ("drag-decay", 4 * 5554.0),
    "separation-conservation": ("separation-energy", 60.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_validation_scenario_passes_its_check(name):
    check, duration = CASES[name]
    sc = scenario.load(name)
    assert sc.check == check
    if duration:
        sc = dataclasses.replace(sc, time={**sc.time, "duration_s": duration})
    checks = run_checks(sc, scenario.run(sc))
    assert checks and all(c.ok for c in checks), checks


def test_drag_check_can_fail():
    """The same run checked against a body with 5 % more drag (Cd x 1.05): outside the 1 %."""
    sc = scenario.load("drag-exponential-decay")
    sc = dataclasses.replace(sc, time={**sc.time, "duration_s": 2 * 5554.0})
    traj = scenario.run(sc)
    assert run_checks(sc, traj)[0].ok
    wrong = dataclasses.replace(sc, bodies=(dict(sc.bodies[0], cd=sc.bodies[0]["cd"] * 1.05),))
    assert not run_checks(wrong, traj)[0].ok


def test_every_check_has_a_bundled_scenario():
    used = {scenario.load(n).check for n in scenario.bundled_names()}
    assert set(CHECKS) - {"none"} <= used


def test_check_outside_tolerance_is_reported():
    assert not Check("x", 1.2, 1.0, "m", 0.1, "").ok and Check("x", 1.05, 1.0, "m", 0.1, "").ok


def test_simulate_prints_the_check(capsys):
    assert main.main(["simulate", "cw-impulse", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Check (" in out and "Clohessy-Wiltshire relative position" in out and ": OK" in out
