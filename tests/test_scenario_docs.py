"""docs/scenarios.md matches what the code accepts: every key is documented, every example loads,
every bundled scenario loads (and the custom-body ones build their physics inputs)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import scenario
from scenario import environment, schema
from scenario.longterm import schema as longterm_schema
from ensemble import schema as ensemble_schema

DOC = (Path(__file__).resolve().parent.parent / "docs" / "scenarios.md").read_text()
EXAMPLES = re.findall(r"```toml\n(.*?)```", DOC, flags=re.S)
SECTIONS = {"top level": schema.TOP, "time": schema.TIME, "orbit": schema.ORBIT, "station": schema.STATION, "release": schema.RELEASE,
            "release.pushers": schema.PUSHERS, "[burn]": schema.BURN, "forces": schema.FORCES,
            "environment": environment.ENVIRONMENT, "environment.atmosphere": environment.ATMOSPHERE,
            "[body]": schema.BODY, "[latch]": schema.LATCH, "[impulse]": schema.IMPULSE,
            "long_term": longterm_schema.LONG_TERM, "long_term.body.NAME": longterm_schema.LT_BODY,
            "[long_term.vehicle]": longterm_schema.LT_VEHICLE, "[long_term.reboost]": longterm_schema.LT_REBOOST,
            "ensemble": ensemble_schema.ENSEMBLE}


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_key_is_documented_in_its_table(section):
    start = DOC.index(f"### {section}" if section == "top level" else f"### [{section}]")
    end = DOC.find("###", start + 4)
    table = DOC[start:end if end > 0 else None]
    for key, k in SECTIONS[section].items():
        row = next((line for line in table.splitlines() if line.startswith(f"| `{key}` |")), None)
        assert row is not None, f"{section}.{key} missing from docs/scenarios.md"
        assert ("**required**" in row) == (k.default is schema.REQUIRED), row
        allowed = row.split("|")[4].strip()
        assert allowed == schema.allowed_text(key, k), f"{section}.{key}: docs say {allowed!r}, the code checks " \
                                                       f"{schema.allowed_text(key, k)!r}"


def test_every_number_has_a_physical_range():
    """Issue 15: every numeric key is bounded on both sides (or by its vector length), so a 1e300 or
    1e-300 typo stops at load time with one line."""
    for section, spec in {**SECTIONS, "top level": schema.TOP}.items():
        for key, k in spec.items():
            if k.kind in ("float", "int"):
                assert k.low is not None and k.high is not None, f"{section}.{key}: no range"
            if k.kind.startswith("vec") or k.kind == "inertia":
                assert k.norm_high is not None, f"{section}.{key}: no length bound"


def test_documented_keys_exist():
    documented = set(re.findall(r"^\| `(\w+)` \|", DOC, flags=re.M))
    known = set().union(*[set(spec) for spec in SECTIONS.values()], schema.TOP)
    assert documented <= known, documented - known


def test_there_are_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_documented_example_loads(tmp_path, index):
    text = EXAMPLES[index]
    path = tmp_path / f"example{index}.toml"
    path.write_text(text)
    sc = scenario.load(str(path))
    if sc.station is None:            # custom bodies: build the physics inputs too (fast)
        inputs = scenario.prepare(sc)
        assert len(inputs.bodies) == len(sc.body_names)


@pytest.mark.parametrize("name", scenario.bundled_names())
def test_bundled_scenario_loads(name):
    sc = scenario.load(name)
    assert sc.name == name and sc.title
    if sc.station is None:
        inputs = scenario.prepare(sc)
        assert inputs.state0.r_gcrs_m.shape == (len(sc.body_names), 3)


def test_bundled_scenarios_are_documented():
    for name in scenario.bundled_names():
        assert f"`{name}`" in DOC, name
