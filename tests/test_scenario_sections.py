"""Typed scenario sections from one validator (issue 13 item 4): frozen values generated from the
Key tables, readable as attributes and as mappings; a new section plugs in with register_section."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import scenario
from scenario import schema
from scenario.errors import ScenarioError
from scenario.loader import from_dict
from scenario.validate import Section

DOC = {"time": {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 60.0},
       "orbit": {"circular_altitude_km": 400.0},
       "body": [{"name": "A", "mass_kg": 10.0, "box_m": [1.0, 1.0, 1.0]}]}


def test_sections_are_typed_frozen_and_read_like_the_old_dicts():
    sc = scenario.load("clip-2022")
    assert isinstance(sc.time, Section) and sc.time.duration_s == sc.time["duration_s"] == 11280.0
    assert dict(sc.forces)["drag"] == sc.forces.drag and {**sc.orbit}["tle_file"].endswith(".tle")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.time.duration_s = 1.0
    with pytest.raises(TypeError):
        sc.time["duration_s"] = 1.0
    assert sc.pushers is sc.release.pushers and sc.pushers.count == 4
    lt = scenario.load("lifetime-estimate").long_term
    assert lt.body["ISS"].cd == lt["body"]["ISS"]["cd"] and type(lt.body["ISS"]).__name__ == "LongTermBodySection"


def test_a_scenario_pickles_across_processes(tmp_path):
    """multiprocessing and Dask send scenarios to workers: the generated section types rebuild there."""
    import pickle
    import subprocess
    import sys
    sc = scenario.load("lifetime-estimate")
    assert pickle.loads(pickle.dumps(sc)) == sc
    (tmp_path / "sc.pkl").write_bytes(pickle.dumps(sc))
    code = f"import pickle; sc = pickle.load(open({str(tmp_path / 'sc.pkl')!r}, 'rb')); print(sc.long_term.body['ISS'].cd)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == str(sc.long_term.body["ISS"].cd), out.stderr[-1000:]


def test_a_new_section_plugs_into_the_one_validator(monkeypatch):
    spec = {"model": schema.Key("choice", "egm96", choices=("egm96", "wgs84"), doc="Earth constants"),
            "mu_m3ps2": schema.Key("float", None, low=3.9e14, high=4.0e14, doc="GM")}
    monkeypatch.setitem(schema.DOCUMENT, "example", schema.Key("table", None, spec=spec))
    sc = from_dict({**DOC, "example": {"model": "wgs84"}}, source="e.toml")
    assert sc.section("example").model == "wgs84" and sc.section("example").mu_m3ps2 is None
    assert from_dict(DOC, source="e.toml").section("example") is None
    with pytest.raises(ScenarioError, match=r"^e.toml: example.mu_m3ps2: 1e\+20 is too large"):
        from_dict({**DOC, "example": {"mu_m3ps2": 1e20}}, source="e.toml")
    with pytest.raises(ScenarioError, match=r"^e.toml: example.modle: unknown key \(did you mean 'model'\?\)"):
        from_dict({**DOC, "example": {"modle": "x"}}, source="e.toml")


def test_register_section_refuses_a_second_declaration(monkeypatch):
    monkeypatch.setattr(schema, "DOCUMENT", dict(schema.DOCUMENT))
    spec = {"runs": schema.Key("int", 10, low=1, high=10_000, doc="members")}
    schema.register_section("example_runs", spec)
    schema.register_section("example_runs", spec)            # the same table again: fine (module reloads)
    with pytest.raises(ValueError, match="declared twice"):
        schema.register_section("example_runs", dict(spec))
