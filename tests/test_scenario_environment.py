"""[environment] (scenario/environment.py): Earth constants by name or by value, pole, atmosphere
options, read by both engines as run inputs (never baked into compiled code)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import scenario
from physics.constants import EGM96, WGS84
from scenario.errors import ScenarioError
from scenario.loader import from_dict

BASE = {"time": {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 600.0, "output_interval_s": 60.0},
        "orbit": {"circular_altitude_km": 400.0},
        "body": [{"name": "b", "mass_kg": 1000.0, "box_m": [1.0, 1.0, 1.0], "drag_area_m2": 10.0}],
        "forces": {"drag": "none", "gravity_gradient": False, "aero_torque": False}}


def _env(env: dict):
    return scenario.prepare(from_dict({**BASE, "environment": env}, "t.toml")).forces.environment


def test_named_sets_keep_their_own_radius():
    assert _env({}).gravity == EGM96 and EGM96.r_eq_m == 6378136.3
    assert _env({"earth": "wgs84"}).gravity == WGS84 and WGS84.r_eq_m == 6378137.0
    g = _env({"earth": "custom", "mu_m3ps2": 3.986e14, "r_eq_m": 6378.0e3, "j2": 1e-3, "j3": 0.0, "j4": 0.0}).gravity
    assert (g.mu_m3ps2, g.r_eq_m, g.j2, g.j3) == (3.986e14, 6378.0e3, 1e-3, 0.0)


@pytest.mark.parametrize("env,key", [
    ({"earth": "egm96", "j2": 1e-3}, "environment.j2"),               # a value for a named set
    ({"earth": "custom", "mu_m3ps2": 3.9e14}, "environment.r_eq_m"),  # custom needs all five
    ({"pole": "north"}, "environment.pole"),
    ({"atmosphere": {"rho0_kgpm3": 1e-12}}, "environment.atmosphere.h0_km"),
    ({"atmosphere": {"altitude": "flat"}}, "environment.atmosphere.altitude"),
    ({"bogus": 1}, "environment.bogus"),
])
def test_bad_environment_is_one_line_with_its_key(env, key):
    with pytest.raises(ScenarioError) as e:
        from_dict({**BASE, "environment": env}, "t.toml")
    assert f"t.toml: {key}:" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("env", [
    {"earth": "wgs84", "pole": "gcrs-z"},
    {"atmosphere": {"altitude": "spherical", "rotates": False, "rho0_kgpm3": 3.725e-12, "h0_km": 400.0,
                    "scale_height_km": 58.515}},
])
def test_both_engines_read_the_environment(env):
    """The same environment through the Python and the compiled engine: round-off apart; and each
    differs from the default environment's run by far more (the values are run inputs)."""
    pytest.importorskip("numba")
    raw = {**BASE, "environment": env, "time": {**BASE["time"], "duration_s": 3 * 5560.0},
           "forces": {**BASE["forces"], "drag": "exponential", "j3_j4": True}}
    sc = from_dict(raw, "t.toml")
    py, jit = (scenario.run(sc, engine=e) for e in ("python", "jit"))
    default = scenario.run(dataclasses.replace(sc, environment=None), engine="jit")
    assert jit.metadata["integrator"]["engine"].startswith("jit")
    gap = np.abs(py.r_gcrs_m - jit.r_gcrs_m).max()
    moved = np.abs(default.r_gcrs_m - jit.r_gcrs_m).max()
    assert gap < 1e-4 and moved > 1.0, (gap, moved)
    assert py.metadata["forces"]["environment"]["gravity"]["name"] == sc.environment["earth"]


def test_a_custom_gm_gives_a_circular_orbit_and_the_long_run_refuses_an_environment(tmp_path):
    """Review findings: the circular-orbit shortcut used EGM96's GM whatever [environment] said, and a
    [long_term] scenario silently ignored [environment] (the long run has its own Earth and air)."""
    import math

    import numpy as np

    import scenario
    from scenario.errors import ScenarioError
    from scenario.initial import circular_state
    from scenario.loader import ROOT, from_dict
    import tomllib
    raw = tomllib.loads((ROOT / "assets" / "scenarios" / "kepler-circular.toml").read_text())
    raw["environment"] = {"earth": "custom", "mu_m3ps2": 3.95e14, "r_eq_m": 6378136.3, "j2": 0.0, "j3": 0.0, "j4": 0.0}
    inputs = scenario.prepare(from_dict(raw, source="k.toml"))
    r, v = inputs.state0.r_gcrs_m[0], inputs.state0.v_gcrs_mps[0]
    assert abs(float(np.linalg.norm(v)) - math.sqrt(3.95e14 / float(np.linalg.norm(r)))) < 1e-9
    r_default, v_default = circular_state(400.0, 51.64)
    assert float(np.linalg.norm(v_default)) > float(np.linalg.norm(v)) + 10.0     # EGM96's GM: ~17 m/s faster
    lt = tomllib.loads((ROOT / "assets" / "scenarios" / "iss-2022-check.toml").read_text())
    lt["environment"] = {"pole": "gcrs-z"}
    with pytest.raises(ScenarioError, match=r"^i.toml: environment: not used by the long run"):
        from_dict(lt, source="i.toml")
    dt = tomllib.loads((ROOT / "assets" / "scenarios" / "drag-exponential-textbook.toml").read_text())
    dt["environment"]["atmosphere"]["rotates"] = True
    with pytest.raises(ScenarioError, match=r"^d.toml: check: 'drag-decay' is checked against"):
        from_dict(dt, source="d.toml")
