"""Getting a scenario's station model and trajectory for the renderer (no Panda3D here).

The app runs the simulation in a separate *process* (spawned, not forked: the parent holds a GL
context) so the window never waits for the integrator, not even for the GIL. The worker reports
progress fractions through a queue and hands the finished trajectory over as an .npz file
(physics' own loss-free format, `Trajectory.save_npz` / `load_npz`).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
from dataclasses import dataclass, field

import numpy as np


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
    return _FittedModel(segs, model.interface, getattr(model, "whole", whole.mass))


@dataclass
class _FittedModel:
    segments: dict
    interface: object
    whole: object


def _whole_segment(model) -> _Segment:
    ids, meshes, kinds, source = [], {}, {}, {}
    for name, seg in model.segments.items():
        ids.extend(seg.element_ids)
        source.update({eid: name for eid in seg.element_ids})
        meshes.update(seg.meshes)
        kinds.update(seg.kinds)
    whole = getattr(model, "whole", None)
    com = np.asarray(whole.com_m, float) if whole is not None else np.zeros(3)
    return _Segment(tuple(ids), meshes, kinds, whole if whole is not None else _Mass(com), source)


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
            self.model = model_for(sc)
        except Exception as exc:  # shown in the window as one line
            self.error = f"{type(exc).__name__}: {exc}".splitlines()[0]

    def done(self) -> bool:
        return self._thread.ident is not None and not self._thread.is_alive()


def _worker(name_or_path: str, queue, out_path: str) -> None:
    """Child process: run the scenario, report progress, save the trajectory."""
    import warnings
    warnings.simplefilter("ignore")
    try:
        import scenario
        sc = scenario.load(name_or_path)
        play = getattr(scenario, "playback_trajectory", scenario.run)   # months for [long_term] scenarios
        traj = play(sc, progress=lambda f: queue.put(("progress", float(f))))
        traj.save_npz(out_path)
        queue.put(("done", out_path))
    except Exception as exc:  # any failure becomes one line in the window
        queue.put(("error", f"{type(exc).__name__}: {exc}".splitlines()[0]))


class SimulationJob:
    """Starts the worker; `poll()` returns ("progress", f) / ("done", Trajectory) / ("error", msg) / None."""

    def __init__(self, name_or_path: str):
        fd, self.path = tempfile.mkstemp(prefix="iss-run-", suffix=".npz")
        os.close(fd)
        ctx = mp.get_context("spawn")
        self.queue = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(str(name_or_path), self.queue, self.path), daemon=True)
        self.proc.start()
        self.progress = 0.0

    def poll(self):
        import queue as _q
        last = None
        while True:
            try:
                kind, value = self.queue.get_nowait()
            except _q.Empty:
                break
            if kind == "progress":
                self.progress = value
                last = ("progress", value)
            elif kind == "done":
                from physics.trajectory import Trajectory
                traj = Trajectory.load_npz(value)
                self.cleanup()
                return ("done", traj)
            else:
                return ("error", value)
        if last is None and not self.proc.is_alive() and self.proc.exitcode not in (0, None):
            return ("error", f"simulation process ended with code {self.proc.exitcode}")
        return last

    def cleanup(self) -> None:
        try:
            os.remove(self.path)
        except OSError:
            pass

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.cleanup()
