"""Getting a scenario's station model and trajectory for the renderer (no Panda3D here).

The app runs the simulation in a separate *process* (spawned, not forked: the parent holds a GL
context) so the window never waits for the integrator, not even for the GIL. The worker reports
progress fractions through a queue and hands trajectories over as .npz files (physics' own loss-free
format, `Trajectory.save_npz` / `load_npz`): first partial runs over a leading span (the app starts
playing them), then the full run.
"""
from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import shutil
import tempfile
from dataclasses import dataclass, field

import numpy as np

from physics.trajmeta import trajectory_meta


def model_for(sc):
    """The station model the scenario simulates (same file and vehicles as scenario/build.py)."""
    from station import build_model, load_station
    st = sc.station
    if st is None:
        return generic_model(sc.body_names)
    return build_model(load_station(st["file"] or None), vehicles=st["vehicles"])


@dataclass
class _Mass:
    com_m: np.ndarray


@dataclass
class _Segment:
    element_ids: tuple
    meshes: dict
    kinds: dict
    mass: _Mass
    source: dict = field(default_factory=dict)   # element id -> the model's segment it came from
    visual: dict = field(default_factory=dict)   # element id -> drawing mesh (station/visual.py)
    far: dict = field(default_factory=dict)      # element id -> far drawing (station/visual_far.py)

    def visual_meshes(self) -> dict:
        return self.visual or self.meshes

    def far_meshes(self) -> dict:
        return self.far or self.visual_meshes()


@dataclass
class _Port:
    id: str
    position_m: np.ndarray


@dataclass
class GenericModel:
    segments: dict
    interface: _Port


def generic_model(names) -> GenericModel:
    """Scenarios without the station (custom bodies): a 4 m grey box per body."""
    import trimesh
    segs = {n: _Segment((n,), {n: trimesh.creation.box(extents=(4, 4, 4))}, {n: "module"}, _Mass(np.zeros(3)))
            for n in names}
    return GenericModel(segs, _Port("none", np.zeros(3)))


def fit_model(model, body_names):
    """The model with one segment per trajectory body. A body the model has no segment for (the docked
    station flown as one body "ISS" in iss-2022-check) gets every segment merged, about the whole
    station's centre of mass, so the renderer shows the real station, not nothing. Same object if
    nothing is missing."""
    missing = [n for n in body_names if n not in model.segments]
    if not missing:
        return model
    whole = _whole_segment(model)
    segs = dict(model.segments)
    segs.update({n: whole for n in missing})
    return _FittedModel(segs, model.interface, getattr(model, "whole", whole.mass), getattr(model, "spec", None))


@dataclass
class _FittedModel:
    segments: dict
    interface: object
    whole: object
    spec: object = None        # the station file (module labels' display names)


def _whole_segment(model) -> _Segment:
    ids, meshes, kinds, source, visual, far = [], {}, {}, {}, {}, {}
    for name, seg in model.segments.items():
        ids.extend(seg.element_ids)
        source.update({eid: name for eid in seg.element_ids})
        meshes.update(seg.meshes)
        visual.update(seg.visual_meshes() if hasattr(seg, "visual_meshes") else seg.meshes)
        far.update(seg.far_meshes() if hasattr(seg, "far_meshes") else seg.meshes)
        kinds.update(seg.kinds)
    whole = getattr(model, "whole", None)
    com = np.asarray(whole.com_m, float) if whole is not None else np.zeros(3)
    return _Segment(tuple(ids), meshes, kinds, whole if whole is not None else _Mass(com), source, visual, far)


class ModelLoader:
    """Builds the station model in a thread so the window can show its first frame at once."""

    def __init__(self, sc, start: bool = True):
        import threading
        self.model, self.error = None, None
        self._thread = threading.Thread(target=self._run, args=(sc,), daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Idempotent: the app starts it after its first frame so the two do not compete for the GIL."""
        if self._thread.ident is None:
            self._thread.start()

    def _run(self, sc) -> None:
        try:
            model = model_for(sc)
            for seg in model.segments.values():      # the drawing meshes (~0.5 s) off the window's thread
                getattr(seg, "visual_meshes", dict)()
                getattr(seg, "far_meshes", dict)()
            self.model = model
        except Exception as exc:  # shown in the window as one line
            self.error = f"{type(exc).__name__}: {exc}".splitlines()[0]

    def done(self) -> bool:
        return self._thread.ident is not None and not self._thread.is_alive()


# Progressive hand-over (docs/render.md, "Progressive loading"). physics steps are fixed (the same step
# sequence whatever the run's end, each sample interpolated within its own step), so a run to an earlier
# end gives the full run's samples except inside its last step, which is cut short to land on that end:
# a partial run is trimmed by one largest step (max_step_s) before it is handed over.
LEAD_S = 300.0          # first partial: release + 5 min (the push and the first minutes at 1x)
SPAN_GROWTH = 8.0       # later partials: each 8x longer, while under 1/8 of the whole run
# (the full run redoes the partial spans: at most 1/8 + 1/64 + ... = 14 % more integration)


def partial_ends_s(sc, max_step_s: float) -> list[float]:
    """End times (s since the epoch) of the partial runs handed over before the full one; [] for a
    [long_term] scenario (months of decay from a separate long run: handed over all at once) or a run
    too short to be worth splitting."""
    t_end = float(sc.time["duration_s"])
    if sc.long_term is not None:
        return []
    t_rel = float(sc.release["time_s"]) if sc.release else 0.0
    ends, t = [], t_rel + LEAD_S
    while t <= t_end / SPAN_GROWTH or (not ends and t <= t_end / 2):
        if t > max_step_s:
            ends.append(t)
        t *= SPAN_GROWTH
    return ends


def run_inputs(inputs, t_end_s: float, progress=None, engine: str = "auto"):
    """The prepared scenario run up to t_end_s (the station is built once for all the partial runs)."""
    import scenario
    return scenario.run_prepared(inputs, progress=progress, engine=engine, t_end_s=t_end_s)


PARTIAL_JIT_SPAN_S = 3 * 5560.0   # jit_run's measured break-even with a warm cache (~3 orbits)


def partial_engine(t_end_s: float) -> str:
    """The compiled engine for a partial span beyond its break-even when numba's cache is warm (a
    6-DOF run of 30 days: the 6.4 h partial took 1.3 s in Python, ~0.5 s compiled). Such spans only come
    before runs 8x longer, which "auto" runs compiled too; where a burn keeps the full run in Python a
    little longer, the two differ by round-off (micrometres, docs/physics.md)."""
    from physics.compiled import run as jit_run
    if t_end_s >= PARTIAL_JIT_SPAN_S and jit_run.available() and jit_run.cache_warm():
        return "jit"
    return "auto"


def trimmed(traj, t_keep_s: float, t_end_s: float):
    """The trajectory up to t_keep_s (samples, events, docked loads), marked partial: metadata
    "partial" = {"computed_to_s": last sample kept, "t_end_s": the full run's end}."""
    k = max(1, int(np.searchsorted(traj.t_s, t_keep_s, side="right")))
    t_last = float(traj.t_s[k - 1])
    meta = dict(traj.metadata)
    meta["loads"] = {name: _loads_until(d, t_last) for name, d in (meta.get("loads") or {}).items()}
    meta["partial"] = {"computed_to_s": t_last, "t_end_s": float(t_end_s)}
    return dataclasses.replace(
        traj, t_s=traj.t_s[:k], r_gcrs_m=traj.r_gcrs_m[:k], v_gcrs_mps=traj.v_gcrs_mps[:k],
        q_gcrs_from_body=traj.q_gcrs_from_body[:k], omega_body_radps=traj.omega_body_radps[:k],
        events=tuple(e for e in traj.events if e.t_s <= t_last), metadata=meta)


def _loads_until(d: dict, t_last: float) -> dict:
    n = int(np.searchsorted(np.asarray(d.get("t_s", []), float), t_last, side="right"))
    return {key: (val[:n] if isinstance(val, list) else val) for key, val in d.items()}


def computed_to_s(traj) -> float:
    """How far a handed-over trajectory reaches (its last sample)."""
    return float(traj.t_s[-1])


def full_end_s(traj) -> float:
    """The end of the full run a (possibly partial) trajectory belongs to."""
    partial = trajectory_meta(traj).partial
    return float(traj.t_s[-1] if partial is None or partial.t_end_s is None else partial.t_end_s)


def is_partial(traj) -> bool:
    return trajectory_meta(traj).partial is not None


def _worker(name_or_path: str, queue, out_dir: str) -> None:
    """Child process: run the scenario, hand over partial runs ("partial", path), then the full run
    ("done", path); progress fractions of the full run as ("progress", f)."""
    import warnings
    warnings.simplefilter("ignore")
    try:
        import scenario
        sc = scenario.load(name_or_path)
        progress = lambda f: queue.put(("progress", float(f)))   # noqa: E731
        if sc.long_term is not None:                              # months for [long_term] scenarios
            traj = scenario.playback_trajectory(sc, progress=progress)
        else:
            inputs = scenario.prepare(sc)
            for i, t_end in enumerate(partial_ends_s(sc, inputs.max_step_s)):
                traj = run_inputs(inputs, t_end, engine=partial_engine(t_end))
                part = trimmed(traj, t_end - inputs.max_step_s, inputs.t_end_s)
                queue.put(("partial", str(part.save_npz(os.path.join(out_dir, f"partial-{i}.npz")))))
            traj = run_inputs(inputs, inputs.t_end_s, progress)
        queue.put(("done", str(traj.save_npz(os.path.join(out_dir, "full.npz")))))
    except Exception as exc:  # any failure becomes one line in the window and on stderr (render/app.py)
        queue.put(("error", worker_error_line(exc)))


def worker_error_line(exc: BaseException) -> str:
    """The line the app shows for a failed run: a user's error exactly as `simulate` prints it
    ('FILE: key: problem'), anything else with its type; always one line."""
    from fileio.text import one_line
    text = str(exc) if getattr(exc, "is_user_error", False) else f"{type(exc).__name__}: {exc}"
    return one_line(text.strip().splitlines()[0] if text.strip() else type(exc).__name__, 500)


class SimulationJob:
    """Starts the worker; `poll()` returns ("progress", f) / ("partial", Trajectory) / ("done", Trajectory)
    / ("error", msg) / None. Of several trajectories waiting, only the latest is read."""

    def __init__(self, name_or_path: str):
        self.dir = tempfile.mkdtemp(prefix="iss-run-")
        ctx = mp.get_context("spawn")
        self.queue = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(str(name_or_path), self.queue, self.dir), daemon=True)
        self.proc.start()
        self.progress = 0.0
        self._pending = None         # an error read behind a trajectory: reported at the next poll

    def poll(self):
        import queue as _q
        if self._pending is not None:
            pending, self._pending = self._pending, None
            return pending
        last, traj_msg = None, None
        while traj_msg is None or traj_msg[0] != "done":
            try:
                kind, value = self.queue.get_nowait()
            except _q.Empty:
                break
            if kind == "progress":
                self.progress = value
                last = ("progress", value)
            elif kind in ("partial", "done"):
                traj_msg = (kind, value)
            elif traj_msg is not None:      # the partial run read first is shown; the error comes next
                self._pending = ("error", value)
                break
            else:
                return ("error", value)
        if traj_msg is not None:
            from physics.trajectory import Trajectory
            kind, path = traj_msg
            traj = Trajectory.load_npz(path)
            if kind == "done":
                self.cleanup()
            return (kind, traj)
        if last is None and not self.proc.is_alive() and self.proc.exitcode not in (0, None):
            return ("error", f"simulation process ended with code {self.proc.exitcode}")
        return last

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5.0)     # so it cannot write into the folder after it is removed
        self.cleanup()
