"""`python main.py simulate clip-2022`: the summary a user sees, and the files it writes."""
from __future__ import annotations

import math
import re

import numpy as np

import main
from physics.trajectory import Trajectory


def test_clip_2022_summary_and_files(tmp_path, capsys):
    out, csv = tmp_path / "run.npz", tmp_path / "csv"
    assert main.main(["simulate", "clip-2022", "--out", str(out), "--csv", str(csv), "--quiet"]) == 0
    text = capsys.readouterr().out
    for heading in ("Loads on the interface before release", "Separation (hooks open at 60.0 s",
                    "Momentum ledger", "Altitude (geodetic, WGS84)", "spin of ROS after the push",
                    "spin of USOS after the push", "one orbit"):
        assert heading in text, heading
    speed = float(re.search(r"speed of ROS relative to USOS: ([0-9.]+) m/s", text).group(1))
    # ESTIMATE springs: 36 J between ~101 t and ~375 t -> sqrt(2 E / mu) = 0.030 m/s; part of the
    # energy goes into the rotations the off-centre push starts, so a bit less, never more
    traj = Trajectory.load_npz(out)
    m = [traj.metadata["bodies"][n]["mass_kg"] for n in ("ROS", "USOS")]
    mu = m[0] * m[1] / sum(m)
    assert 0.9 * math.sqrt(2 * 36.0 / mu) < speed <= math.sqrt(2 * 36.0 / mu) * 1.001
    # the ledger line: change - external is tiny against the push momentum (~2300 kg m/s)
    residual = float(re.search(r"linear P.*\|change - external\| ([0-9.e+-]+) kg m/s", text).group(1))
    assert residual < 0.01 * mu * speed
    assert not list(tmp_path.glob(".*.tmp*"))
    assert sorted(p.name for p in csv.iterdir()) == ["ROS.csv", "USOS.csv", "events.csv", "metadata.json"]
    meta = traj.metadata["bodies"]["ROS"]
    assert meta["segment"] == "ROS" and "zarya" in meta["element_ids"]
    assert len(meta["com_ssacs_m"]) == 3 and np.asarray(meta["inertia_kgm2"]).shape == (3, 3)
    assert traj.metadata["scenario"]["name"] == "clip-2022"
