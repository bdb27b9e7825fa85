"""Progressive loading (render/loading.py): partial runs handed over before the full one, and equal to it
over their span. No window: the worker function runs in this process with a list for a queue."""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace

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


# ---------------------------------------------------------------- timeline and app logic (no window)
from fakes import DemoTrajectory                                    # noqa: E402
from render.timeline import Timeline, chapters_from_trajectory            # noqa: E402


def demo_partial(t_computed_s: float = 300.0, t_end_s: float = 7000.0) -> DemoTrajectory:
    """A demo run (release at 60 s, 10 s samples) cut at t_computed_s, marked as part of a t_end_s run."""
    traj = DemoTrajectory(t_end_s=t_computed_s)
    traj.metadata = dict(traj.metadata, partial={"computed_to_s": t_computed_s, "t_end_s": t_end_s})
    return traj


def test_chapters_appear_as_they_are_computed():
    part = demo_partial(300.0)
    marks = chapters_from_trajectory(part, loading.full_end_s(part))
    labels = [c.label for c in marks]
    assert labels[-2:] == ["one orbit", "end"] and marks[-1].t_s == 7000.0   # known before they are computed
    tl = Timeline(0.0, 7000.0, marks)
    tl.extend(300.0)
    assert [c.label for c in tl.available_chapters()] == ["docked", "hooks open", "end of push", "one minute"]
    tl.goto_chapter(len(tl.available_chapters()) - 1)
    assert tl.t_s == 120.0
    tl.next_chapter()
    assert tl.t_s == 120.0                       # nothing later is computed yet: N stays
    tl.scrub(tl.t_end_s)                         # End key: as far as computed
    assert tl.t_s == 300.0 and tl.computing() and tl.computed_fraction() == pytest.approx(300 / 7000)
    tl.extend(7000.0)
    tl.next_chapter()
    assert tl.current_chapter().label == "one orbit" and not tl.computing()


def test_playhead_waits_at_the_computed_end_then_moves_on():
    tl = Timeline(0.0, 7000.0, warp=1000)
    tl.extend(300.0)
    tl.toggle_play()
    assert tl.advance(1.0) == 300.0 and tl.playing          # at the edge, still playing, no error
    assert tl.advance(1.0) == 300.0
    tl.reverse(); tl.advance(0.1); tl.reverse()             # reverse works on the partial data
    assert tl.t_s == pytest.approx(200.0)
    tl.extend(7000.0)
    assert tl.advance(1.0) == pytest.approx(1200.0) and tl.playing


def test_waiting_note():
    from render.timeline import compute_note
    tl = Timeline(0.0, 7000.0)
    tl.extend(300.0); tl.scrub(100.0); tl.toggle_play()
    assert compute_note(tl, 0.35, True) == "computing ... 35 %"
    tl.scrub(300.0)
    assert compute_note(tl, 0.35, True).endswith("(waiting for the simulation)")
    assert compute_note(tl, 0.0, False) == "computing ... 0 %"     # nothing in yet
    assert compute_note(tl, None, True) == "simulation stopped: computed to 300 s"   # worker failed
    tl.extend(7000.0)
    assert compute_note(tl, 1.0, True) == ""                       # the whole run is in: no note


class _Node:
    def __init__(self):
        self.detached = 0

    def get_children(self):
        return self

    def detach(self):
        self.detached += 1


def fake_app(traj, t_end_s):
    """An App's state without a window: the scene and overlays are stand-ins carrying the real
    StationScene.set_trajectory / Overlays.set_trajectory."""
    from render.overlays import Overlays, relative_trail_lvlh
    from render.playback import Playback
    from render.scene import StationScene
    overlays = SimpleNamespace(traj=traj, trail=relative_trail_lvlh(traj), trail_np=_Node(), _trail_k=5, _track_t=1.0)
    overlays.set_trajectory = lambda t: Overlays.set_trajectory(overlays, t)
    scene = SimpleNamespace(traj=traj, overlays=overlays)
    scene.set_trajectory = lambda t: StationScene.set_trajectory(scene, t)
    pb = Playback(t_end_s)
    pb.timeline = tl = Timeline(0.0, t_end_s, chapters_from_trajectory(traj, t_end_s), warp=50)
    tl.extend(loading.computed_to_s(traj))
    return SimpleNamespace(traj=traj, scene=scene, playback=pb, timeline=tl, job=object(), status="computing ... 40 %")


def test_full_run_replaces_the_partial_in_place():
    from render.app import App
    part, full = demo_partial(300.0), DemoTrajectory(t_end_s=7000.0)
    app = fake_app(part, 7000.0)
    app.timeline.toggle_play(); app.timeline.advance(0.5)     # 25 s in at 50x
    t_before, scene = app.timeline.t_s, app.scene
    App._set_trajectory(app, full, final=True)
    assert app.timeline.t_s == t_before and app.timeline.playing and app.timeline.warp == 50
    assert app.scene is scene and app.scene.traj is full and app.scene.overlays.traj is full
    assert len(app.scene.overlays.trail) == len(full.t_s)        # the trail now covers the whole run
    assert app.scene.overlays._trail_k == -1 and app.scene.overlays._track_t is None   # redrawn next frame
    assert app.timeline.limit_s() == 7000.0 and app.job is None and app.status == "ready"
    assert app.timeline.available_chapters()[-1].label == "end"


def test_a_longer_partial_extends_without_finishing():
    from render.app import App
    app = fake_app(demo_partial(300.0), 7000.0)
    App._set_trajectory(app, demo_partial(2400.0), final=False)
    assert app.timeline.limit_s() == 2400.0 and app.job is not None and app.timeline.computing()
    assert "end" not in [c.label for c in app.timeline.available_chapters()]


def test_worker_reports_a_bad_scenario_in_one_line(tmp_path):
    q = ListQueue()
    loading._worker(str(tmp_path / "missing.toml"), q, str(tmp_path))
    assert len(q) == 1 and q[0][0] == "error" and "missing.toml" in q[0][1] and "\n" not in q[0][1]


def test_poll_shows_a_partial_run_read_before_an_error(handed_over, tmp_path):
    """A partial run and then an error in the queue at the same poll: the partial is shown first,
    the error at the next poll (it was returned at once and the partial run was lost)."""
    import queue
    q, _, _ = handed_over
    part_path = next(v for k, v in q if k == "partial")
    job = object.__new__(loading.SimulationJob)
    job.queue, job.progress, job._pending, job.dir = queue.Queue(), 0.0, None, str(tmp_path / "gone")
    job.proc = SimpleNamespace(is_alive=lambda: True, exitcode=None)
    job.queue.put(("partial", part_path))
    job.queue.put(("error", "worker failed"))
    kind, traj = job.poll()
    assert kind == "partial" and loading.is_partial(traj)
    assert job.poll() == ("error", "worker failed")
    assert job.poll() is None
