"""Fuzz: every documented scenario key, mutated with a value from each hostile class (issue 15).

Property, in-process (the validator is the same code `simulate` runs first): a scenario is either
rejected with exactly one line `FILE: key: problem` (ScenarioError: main.py prints it and exits
2, before any work, so nothing is written), or accepted with every value inside the range its Key
documents; an accepted custom-body scenario also builds its physics inputs or is rejected in one
line. A handful of cases go through `python main.py simulate` as a subprocess (exit 2, one line
on stderr, no traceback, no file written, done within a time limit).

CI: a few hundred hypothesis examples (seeded; `derandomize`). The whole grid, every key x every
class, runs under the `nightly` marker: `python -m pytest -m nightly tests/test_fuzz_scenario.py`.
"""
from __future__ import annotations

import copy
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scenario
from ensemble import schema as ensemble_schema
from scenario import environment, schema
from scenario.errors import ScenarioError
from scenario.longterm import schema as lts
from scenario.loader import from_dict

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "fuzz.toml"

CUSTOM = {
    "title": "fuzz", "description": "", "check": "none",
    "time": {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 60.0, "output_interval_s": 10.0, "max_step_s": 30.0},
    "orbit": {"circular_altitude_km": 400.0, "inclination_deg": 51.64},
    "body": [{"name": "A", "mass_kg": 20000.0, "box_m": [10.0, 4.0, 4.0]},
             {"name": "B", "mass_kg": 60000.0, "box_m": [20.0, 4.0, 4.0]}],
    "latch": [{"name": "ring", "body_a": "A", "body_b": "B", "port_a_body_m": [5.0, 0.0, 0.0],
               "port_b_body_m": [-10.0, 0.0, 0.0]}],
    "release": {"latch": "ring", "time_s": 10.0, "pushers": {"count": 4}},
    "burn": [{"body": "A", "start_s": 30.0, "duration_s": 5.0, "thrust_n": 100.0, "direction_body": [1.0, 0.0, 0.0]}],
    "impulse": [{"body": "B", "t_s": 20.0, "dv_body_mps": [0.0, 0.01, 0.0]}],
    "forces": {"drag": "none"},
    "environment": {"earth": "egm96", "atmosphere": {"altitude": "geodetic"}},
}
STATION = {
    "time": {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 60.0},
    "orbit": {"tle_file": "iss_2022"},
    "station": {}, "release": {},
    "long_term": {"start": "docked", "duration_days": 10.0,
                  "body": {"ISS": {"cd": 2.2}},
                  "vehicle": [{"name": "P", "type": "progress", "body": "ISS"}],
                  "reboost": [{"vehicle": "P", "t_days": 1.0, "duration_s": 100.0}]},
}
# (base document, where the section sits in it, its Key table)
ENSEMBLE = {**{k: v for k, v in STATION.items() if k != "long_term"}, "ensemble": {"members": 10}}
PLACES = [(CUSTOM, (), schema.TOP), (CUSTOM, ("time",), schema.TIME), (CUSTOM, ("orbit",), schema.ORBIT),
          (STATION, ("station",), schema.STATION), (CUSTOM, ("release",), schema.RELEASE),
          (CUSTOM, ("release", "pushers"), schema.PUSHERS), (CUSTOM, ("burn", 0), schema.BURN),
          (CUSTOM, ("forces",), schema.FORCES), (CUSTOM, ("body", 0), schema.BODY),
          (CUSTOM, ("latch", 0), schema.LATCH), (CUSTOM, ("impulse", 0), schema.IMPULSE),
          (STATION, ("long_term",), lts.LONG_TERM), (STATION, ("long_term", "body", "ISS"), lts.LT_BODY),
          (STATION, ("long_term", "vehicle", 0), lts.LT_VEHICLE),
          (STATION, ("long_term", "reboost", 0), lts.LT_REBOOST),
          (CUSTOM, ("environment",), environment.ENVIRONMENT),
          (CUSTOM, ("environment", "atmosphere"), environment.ATMOSPHERE),
          (ENSEMBLE, ("ensemble",), ensemble_schema.ENSEMBLE)]
KEYS = [(base, where, key, k) for base, where, spec in PLACES for key, k in spec.items()]
VALUES = {"wrong type": {"a": 1}, "nan": math.nan, "+inf": math.inf, "-inf": -math.inf, "zero": 0,
          "negative": -1.0, "tiny": 1e-300, "huge": 1e300, "long string": "x" * 200_000,
          "newline": "a\nb", "nul": "a\x00b", "escape": "\x1b[2J"}


def must_reject(k: schema.Key, value) -> bool:
    """An independent, simple oracle: values no documented range of this Key admits."""
    if isinstance(value, dict):
        return True
    if k.kind in ("float", "int"):
        if isinstance(value, str) or not math.isfinite(value):
            return True
        if k.kind == "int" and isinstance(value, float):
            return True
        return ((k.low is not None and (value < k.low or (k.low_open and value == k.low)))
                or (k.high is not None and value > k.high))
    if k.kind in ("str", "choice"):
        if not isinstance(value, str):
            return True
        if k.choices:
            return value not in k.choices
        return len(value) > k.max_len or (not k.multiline and any(c in value for c in "\n\x00\x1b"))
    if k.kind == "vehicles":
        return not isinstance(value, bool)
    return True          # bool, vectors, inertia: no scalar or string is one


def mutate(base: dict, where: tuple, key: str, value) -> dict:
    doc = copy.deepcopy(base)
    node = doc
    for step in where:
        node = node[step]
    node[key] = value
    return doc


def check_case(base, where, key, k, value) -> str:
    """Validate one mutated document; returns 'rejected' or 'accepted' (asserting the property)."""
    try:
        sc = from_dict(mutate(base, where, key, value), source=SOURCE, name="fuzz")
    except ScenarioError as exc:
        line = str(exc)
        assert line.startswith(f"{SOURCE}: ") and len(line) < 3000, line[:300]
        assert line.isprintable(), f"not one printable line: {line[:300]!r}"
        return "rejected"
    assert not must_reject(k, value), f"accepted {'.'.join(map(str, where + (key,)))} = {str(value)[:60]!r}"
    if base is CUSTOM:                 # the physics inputs build, or the problem is one line
        try:
            scenario.prepare(sc)
        except ScenarioError as exc:
            assert str(exc).isprintable(), repr(str(exc))[:300]
    return "accepted"


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(KEYS), cls=st.sampled_from(sorted(VALUES)))
def test_every_key_with_hostile_values_is_one_line_or_in_range(case, cls):
    base, where, key, k = case
    check_case(base, where, key, k, VALUES[cls])


@pytest.mark.nightly
@pytest.mark.parametrize("cls", sorted(VALUES))
def test_the_whole_grid(cls):
    """Every key x this class (the longer profile)."""
    outcomes = [check_case(base, where, key, k, VALUES[cls]) for base, where, key, k in KEYS]
    assert "rejected" in outcomes


def test_the_grid_covers_every_documented_key():
    documented = {id(spec) for _, _, spec in PLACES}
    import test_scenario_docs
    assert {id(spec) for spec in test_scenario_docs.SECTIONS.values()} <= documented


TOML = '''title = "fuzz"
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 60.0
output_interval_s = 10.0
[orbit]
circular_altitude_km = 400.0
[[body]]
name = "A"
mass_kg = 20000.0
box_m = [10.0, 4.0, 4.0]
[[burn]]
body = "A"
start_s = 30.0
duration_s = 5.0
thrust_n = 100.0
direction_body = [1.0, 0.0, 0.0]
[forces]
drag = "none"
'''
SUBPROCESS_CASES = {
    "nan duration": ("duration_s = 60.0", "duration_s = nan"),
    "huge thrust": ("thrust_n = 100.0", "thrust_n = 1e300"),
    "tiny interval": ("output_interval_s = 10.0", "output_interval_s = 1e-300"),
    "negative mass": ("mass_kg = 20000.0", "mass_kg = -inf"),
    "newline name": ('name = "A"', 'name = "A\\nerror: fake second line"'),
    "NUL epoch": ('epoch_utc = "2022-03-05T12:00:00Z"', 'epoch_utc = "2022-03-05T12:00:00Z\\u0000"'),
    "long title": ('title = "fuzz"', 'title = "' + "x" * 100_000 + '"'),
    "deep nesting": ('title = "fuzz"', 'title = "fuzz"\nx = ' + "[" * 1000 + "]" * 1000),
}


@pytest.mark.parametrize("name", list(SUBPROCESS_CASES))
def test_through_main_exit_2_one_line_nothing_written(tmp_path, name):
    old, new = SUBPROCESS_CASES[name]
    text = TOML.replace(old, new, 1)
    (tmp_path / "s.toml").write_text(text)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "simulate", "s.toml", "--quiet", "--out",
                           "o.npz", "--csv", "csv"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert lines[0].startswith("error: s.toml: "), lines[0][:300]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]
