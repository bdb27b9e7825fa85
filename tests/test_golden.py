"""Stored-golden regression: a few headline results of bundled scenarios, stored with tolerances.

Not a validation (the physics tests compare with closed forms and second methods): this catches a change of
results between commits, which every other test could let through while staying inside its own bound. The
values are stored as numbers with a tolerance in physical units, never as hashes, so the test passes on any
x86-64 machine: round-off between CPUs and engines is ~1e-6 m over these spans, the tolerances are three
orders above it and far below any physics change worth noticing.

A deliberate change of results (new constants, a new drag input) regenerates the file and says why in its
commit:  python tests/test_golden.py --update
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

GOLDEN = Path(__file__).with_name("data") / "golden.json"

# (case, quantity) -> tolerance, in the quantity's own unit (named in the key)
TOLERANCES = {
    "kepler-circular": {"r_end_m": 1e-3, "v_end_mps": 1e-6},
    "j2-nodal-regression": {"r_end_m": 1e-3, "v_end_mps": 1e-6},
    "drag-exponential-decay": {"r_end_m": 1e-3, "v_end_mps": 1e-6},
    "clip-2022": {"speed_mps": 1e-7, "range_orbit_m": 1e-3, "rho_orbit_lvlh_m": 1e-3,
                  "spin_ros_lvlh_radps": 1e-9, "r_end_m": 1e-3},
}


def _single_body(name: str) -> dict:
    import scenario
    traj = scenario.run(name)
    return {"r_end_m": traj.r_gcrs_m[-1, 0].tolist(), "v_end_mps": traj.v_gcrs_mps[-1, 0].tolist()}


def _clip() -> dict:
    import scenario
    from scenario import summary as S
    traj = scenario.run("clip-2022")
    sep = S.separation(traj)
    a = traj.body_names.index(sep["a"])
    spin = S.spin_relative_to_lvlh(traj, len(traj.t_s) - 1)[a]
    return {"speed_mps": sep["speed_mps"], "range_orbit_m": sep["range_orbit_m"],
            "rho_orbit_lvlh_m": np.asarray(sep["rho_orbit_lvlh_m"]).tolist(),
            "spin_ros_lvlh_radps": spin.tolist(), "r_end_m": traj.r_gcrs_m[-1].tolist()}


def compute(case: str) -> dict:
    return _clip() if case == "clip-2022" else _single_body(case)


@pytest.mark.parametrize("case", sorted(TOLERANCES))
def test_results_unchanged(case):
    stored = json.loads(GOLDEN.read_text())[case]
    now = compute(case)
    for key, tol in TOLERANCES[case].items():
        diff = np.max(np.abs(np.asarray(now[key], float) - np.asarray(stored[key], float)))
        assert diff <= tol, f"{case}: {key} changed by {diff:.3g} (tolerance {tol:g}); " \
                            "if intended, regenerate: python tests/test_golden.py --update"


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    GOLDEN.parent.mkdir(exist_ok=True)
    values = {case: compute(case) for case in sorted(TOLERANCES)}
    GOLDEN.write_text(json.dumps(values, indent=1) + "\n")
    print(f"wrote {GOLDEN}")
