"""Progressive loading (render/loading.py): partial runs handed over before the full one, and equal to it
over their span. No window: the worker function runs in this process with a list for a queue."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import scenario
from physics.trajectory import Trajectory
from render import loading
from scenario.loader import SCENARIO_DIR

# separation-conservation (two boxes, a latch, a spring push at 10 s) stretched to 2400 s with 2 s
# samples: one partial run (release + 300 s = 310 s, trimmed to 310 - 30 = 280 s) then the full run.
LONG_SEP = (SCENARIO_DIR / "separation-conservation.toml").read_text(encoding="utf-8") \
    .replace("duration_s = 300.0", "duration_s = 2400.0").replace("output_interval_s = 0.5", "output_interval_s = 2.0")


class ListQueue(list):
    def put(self, item):
        self.append(item)


@pytest.fixture(scope="module")
def handed_over(tmp_path_factory):
    """Runs the worker once: (messages, {kind: [Trajectory]}, scenario path)."""
    d = tmp_path_factory.mktemp("run")
    path = d / "long-sep.toml"
    path.write_text(LONG_SEP, encoding="utf-8")
    q = ListQueue()
    loading._worker(str(path), q, str(d))
    trajs = {}
    for kind, value in q:
        if kind in ("partial", "done"):
            trajs.setdefault(kind, []).append(Trajectory.load_npz(value))
    return q, trajs, path


def test_worker_hands_over_partial_then_full(handed_over):
    q, trajs, path = handed_over
    kinds = [k for k, _ in q if k != "progress"]
    assert kinds == ["partial", "done"], q[-3:]
    part, full = trajs["partial"][0], trajs["done"][0]
    assert loading.is_partial(part) and not loading.is_partial(full)
    # release + LEAD_S = 310 s, less one largest step (the spin limit makes it < 30 s here), on the 2 s grid
    h_max = scenario.prepare(scenario.load(path)).max_step_s
    assert loading.computed_to_s(part) == 2.0 * np.floor((310.0 - h_max) / 2.0) > 250.0
    assert loading.full_end_s(part) == 2400.0 == loading.full_end_s(full) == full.t_s[-1]
    assert [e.kind for e in part.events] == ["release", "push_end"]     # both before 280 s
    progress = [v for k, v in q if k == "progress"]
    assert progress and progress[-1] == 1.0 and all(0 <= f <= 1 for f in progress)


def test_partial_equals_full_over_the_common_span(handed_over):
    """Same fixed steps up to the partial run's last one, each sample interpolated within its own step:
    the Python engine gives the same bits. The stated tolerance, 1e-6 m and 1e-9 m/s, is what the
    compiled engine may change by round-off where it takes over the long free flight (docs/physics.md:
    micrometres); here both runs use the Python engine (< 6 orbits), and equality is checked too."""
    _, trajs, _ = handed_over
    part, full = trajs["partial"][0], trajs["done"][0]
    k = len(part.t_s)
    assert np.array_equal(part.t_s, full.t_s[:k])
    assert np.max(np.abs(part.r_gcrs_m - full.r_gcrs_m[:k])) < 1e-6
    assert np.max(np.abs(part.v_gcrs_mps - full.v_gcrs_mps[:k])) < 1e-9
    assert np.array_equal(part.r_gcrs_m, full.r_gcrs_m[:k])
    assert np.array_equal(part.q_gcrs_from_body, full.q_gcrs_from_body[:k])
    assert np.array_equal(part.omega_body_radps, full.omega_body_radps[:k])
    assert [(e.kind, e.t_s) for e in part.events] == [(e.kind, e.t_s) for e in full.events[:2]]


def test_untrimmed_partial_differs_in_its_last_step(handed_over):
    """Why the trim is needed: the partial run's last step is cut short to land on its end, so samples
    inside it differ from the full run (the check above would fail without the trim)."""
    _, trajs, path = handed_over
    sc = scenario.load(path)
    inputs = scenario.prepare(sc)
    raw = loading.run_inputs(inputs, 311.0)             # ends off a step boundary (the steps are 30 s)
    full = trajs["done"][0]
    k = len(raw.t_s) - 1                                # raw.t_s[k] = 311 s, off the 2 s grid
    assert raw.t_s[k] == 311.0 and np.array_equal(raw.t_s[:k], full.t_s[:k])
    diff = np.max(np.abs(raw.r_gcrs_m[:k] - full.r_gcrs_m[:k]), axis=(1, 2))
    kept = raw.t_s[:k] <= 311.0 - inputs.max_step_s
    assert diff[~kept].max() > 0 and np.all(diff[kept] == 0)


def test_docked_loads_are_trimmed_with_the_samples(handed_over):
    _, trajs, _ = handed_over
    part = trajs["partial"][0]
    for d in part.metadata["loads"].values():
        assert max(d["t_s"]) <= loading.computed_to_s(part)
        assert len(d["t_s"]) == len(d["latch_loads_n"]) == len(d["latch_loads_nm"]) > 0


def test_run_inputs_is_scenario_run():
    """The worker's own call of physics.simulate (the station built once for every span) gives exactly
    what scenario.run gives."""
    sc = scenario.load("separation-conservation")
    a = scenario.run(sc)
    b = loading.run_inputs(scenario.prepare(sc), sc.time["duration_s"])
    assert np.array_equal(a.t_s, b.t_s) and np.array_equal(a.r_gcrs_m, b.r_gcrs_m)
    assert np.array_equal(a.q_gcrs_from_body, b.q_gcrs_from_body) and a.events == b.events


def test_partial_ends_for_the_bundled_scenarios():
    ends = {n: loading.partial_ends_s(scenario.load(n), 30.0) for n in scenario.bundled_names()}
    assert ends["clip-2022"] == [360.0]                 # release at 60 s + 5 min; 11,280 s in all
    assert ends["drift-1-day"] == [360.0, 2880.0]       # then 8x longer, while under 1/8 of the run
    assert ends["separation-conservation"] == []        # 300 s: all at once
    assert ends["decay-no-reboost"] == []               # [long_term]: the long run comes all at once
    for n, e in ends.items():
        dur = scenario.load(n).time["duration_s"]
        assert all(t <= dur / 2 for t in e) and e == sorted(e)


def test_trimmed_keeps_the_frozen_trajectory_consistent():
    sc = dataclasses.replace(scenario.load("kepler-circular"))
    traj = scenario.run(sc)
    part = loading.trimmed(traj, 1000.0, float(traj.t_s[-1]))
    assert part.t_s[-1] == 1000.0 and part.r_gcrs_m.shape == (len(part.t_s), 1, 3)
    r, _, _, _ = part.state_at(995.0)
    assert np.array_equal(r, traj.state_at(995.0)[0])
