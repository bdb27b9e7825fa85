"""Typed trajectory metadata (physics/trajmeta.py): what readers use instead of nested dicts."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from physics.errors import PhysicsInputError
from physics.trajectory import Trajectory
from physics.trajmeta import BodyInfo, TrajectoryMeta, trajectory_meta

ROOT = Path(__file__).resolve().parents[1]
META = {"scenario": {"name": "clip-2022", "title": "The clip", "source": "assets/scenarios/clip-2022.toml",
                     "orbit": "TLE", "toml": "[time]\n"},
        "bodies": {"ROS": {"mass_kg": 100952.0, "inertia_kgm2": np.eye(3).tolist(), "com_ssacs_m": [-23.2, 0, 6.8],
                           "segment": "ROS", "element_ids": ["zvezda"]}},
        "release": {"latch": "interface", "body_a": "ROS", "body_b": "USOS", "t_s": 60.0,
                    "pusher_energy_j": 36.0, "port_a_body_m": [13.5, 0, -2.7], "port_b_body_m": [-11.9, 1.2, 1.3]},
        "long_term": {"activity": "low", "dt_s": 300.0, "attitude": {"ROS": "tumbling"}},
        "partial": {"computed_to_s": 300.0, "t_end_s": 7000.0}}


def _traj(metadata: dict) -> Trajectory:
    k = 2
    q = np.zeros((k, 1, 4)); q[..., 0] = 1.0
    r = np.zeros((k, 1, 3)); r[..., 0] = 6.8e6
    return Trajectory("2022-03-05T00:00:00Z", 2459643.5, ("ROS",), np.array([0.0, 10.0]), r, np.zeros((k, 1, 3)),
                      q, np.zeros((k, 1, 3)), (), metadata)


def test_typed_fields():
    m = TrajectoryMeta.from_dict(META)
    assert m.scenario.name == "clip-2022" and m.scenario.source.endswith("clip-2022.toml")
    assert m.release.body_a == "ROS" and m.release.port_b_body_m == (-11.9, 1.2, 1.3) and m.release.t_s == 60.0
    assert m.body("ROS").mass_kg == 100952.0 and m.body("ROS").element_ids == ("zvezda",)
    assert m.body("USOS") == BodyInfo()                     # absent: empty, not a KeyError
    assert m.long_run.attitude["ROS"] == "tumbling" and m.partial.t_end_s == 7000.0
    with pytest.raises(TypeError):
        m.bodies["X"] = BodyInfo()                          # read-only


def test_old_files_still_load(tmp_path):
    """A file without any of the typed keys (older writers) loads; its typed metadata is empty."""
    path = _traj({"dt_out_s": 10.0}).save_npz(tmp_path / "old.npz")
    m = Trajectory.load_npz(path).meta
    assert m.release is None and m.long_run is None and m.partial is None and m.scenario.name == ""
    full = Trajectory.load_npz(_traj(META).save_npz(tmp_path / "new.npz"))
    assert full.meta == TrajectoryMeta.from_dict(META) and trajectory_meta(full) is full.meta


def test_a_wrong_type_is_one_line(tmp_path):
    bad = dict(META, release=dict(META["release"], port_a_body_m=[1.0, 2.0]))
    with pytest.raises(PhysicsInputError, match=r"^trajectory: metadata\.release\.port_a_body_m: expected 3 numbers$"):
        _ = _traj(bad).meta
    path = _traj(bad).save_npz(tmp_path / "bad.npz")          # a file: named, at load, before any use
    with pytest.raises(PhysicsInputError, match=r"bad\.npz: metadata\.release\.port_a_body_m: expected 3 numbers$"):
        Trajectory.load_npz(path)


def test_no_reader_reparses_the_scenario_toml():
    """The scenario's TOML text rides along as provenance; nothing outside scenario/ parses it again."""
    for pkg in ("render", "cli", "formats"):
        for path in (ROOT / pkg).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert '["toml"]' not in text and '.get("toml")' not in text, path
