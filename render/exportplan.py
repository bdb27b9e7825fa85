"""Planning a recorded video (pure: no Panda3D, no window): which simulated time each frame shows, the
time map and its captions, the camera (a live camera's name or a camera path), and the stills.

`plan_frames(traj, opts)` is what `python main.py record` renders (cli/record_cmd.py parses the options
and writes the files). opts: anything with start_s, end_s, fps, timemap, captions, compare, eclipse
(cli.record_cmd.RecordOptions). Every frame k is at simulated time t(k / fps) given by the time map, so
the video does not depend on the machine's speed.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from render.cameras import CAMERA_NAMES  # pure logic (no Panda3D import)
from render.scenestate import com_ssacs


class PlanError(Exception):
    """A bad record option found while planning (a time outside the run, an unreadable camera file)."""

    is_user_error = True


class PlanOptions(Protocol):
    start_s: float | None
    end_s: float | None
    fps: float
    timemap: str | None
    captions: bool
    compare: bool
    eclipse: str


@dataclass(frozen=True)
class FramePlan:
    tau_s: np.ndarray  # (N,) video time of each frame
    t_s: np.ndarray  # (N,) simulated time of each frame
    rate: np.ndarray  # (N,) time warp at each frame
    timemap: object
    captions: tuple = ()  # the captions this video shows (each with its window), in time order
    dark: tuple = ()      # [(a, b)] simulated spans that read near-black (scenario.daylight)


LONG_RUN_S = 2 * 86400.0
# months-long runs: 2 s at real time, then an 8-s ramp up to 20 days per video second (3 years ~ 1 min)
LONG_RUN_TIMEMAP = "ramp:2:8:20days/s"


def release_time(traj) -> float | None:
    from render.captions import first_event

    ev = first_event(traj, "release")
    return float(ev.t_s) if ev is not None else None


def plan_frames(traj, opts: PlanOptions) -> FramePlan:
    """Frame times. Without --timemap the lesson's map (render/storytime.py): the ramp, slowed where a
    caption needs reading time while it is true, fast-forwarded through the dark (--eclipse skip);
    with the captions on and no --end, the video ends when the last caption stops being true."""
    from render.captions import Pair
    from render.timemap import parse_timemap

    t0_run, t1_run = float(traj.t_s[0]), float(traj.t_s[-1])
    t_rel = release_time(traj)
    anchor = "USOS" if "USOS" in traj.body_names else traj.body_names[0]
    period = Pair(traj, anchor, anchor).period_s(t_rel if t_rel is not None else t0_run)
    long_run = t1_run - t0_run > LONG_RUN_S
    start = opts.start_s if opts.start_s is not None else max(t0_run, (t_rel or t0_run) - 5.0)
    end = opts.end_s if opts.end_s is not None else (
        t1_run if long_run else min(t1_run, (t_rel or t0_run) + period + 30.0))
    for name, value in (("--start", start), ("--end", end)):
        if not t0_run <= value <= t1_run:
            raise PlanError(f"{name}: {value:g} s is outside the run ({t0_run:g}..{t1_run:g} s)")
    if end <= start:
        raise PlanError(f"--end: {end:g} s is not after --start {start:g} s")
    caps = tuple(c for c in lesson_captions(traj, opts)        # true at some time inside the video
                 if c.t_s <= end and (c.t_end_s if c.t_end_s is not None else c.t_s) >= start)
    if caps and opts.end_s is None and not long_run and caps[-1].t_end_s is not None:
        end = min(t1_run, max(caps[-1].t_end_s, caps[-1].t_s + 1.0))
    tmap = parse_timemap(opts.timemap or (LONG_RUN_TIMEMAP if long_run else "ramp"), start, orbit_period_s=period)
    dark: tuple = ()
    if opts.timemap is None and not long_run:
        from render.storytime import story_timemap
        from scenario.daylight import dark_spans
        dark = tuple(dark_spans(traj, start, end)) if opts.eclipse != "show" else ()
        tmap, caps = story_timemap(tmap, end, caps, dark, opts.eclipse, show_s=caption_show_s(opts))
    elif opts.eclipse == "brighten" and not long_run:     # an explicit --timemap: brighten its dark frames
        from scenario.daylight import dark_spans
        dark = tuple(dark_spans(traj, start, end))
    tau, t = tmap.frame_times(end, opts.fps)
    if long_run:     # one frame per orbit or more: at the same orbit phase, so the video does not strobe
        from render.longrun_timemap import phase_locked_times
        t = phase_locked_times(traj, t, period)
    return FramePlan(tau, t, np.array([tmap.rate_at(x) for x in tau]), tmap, caps, dark)


def caption_show_s(opts: PlanOptions) -> float:
    """Video seconds a caption stays when the next one is not waiting (two-line comparisons: longer)."""
    return 9.0 if opts.compare else 6.0


def lesson_captions(traj, opts: PlanOptions) -> tuple:
    """--captions and --compare together: the clip-vs-physics steps replace the captions stating the
    same numbers, the other captions stay (one list, in time order)."""
    from render.captions import captions_for, clip_vs_physics

    if not (opts.captions or opts.compare) or not {"ROS", "USOS"} <= set(traj.body_names):
        return ()
    caps = captions_for(traj) if opts.captions else ()
    if opts.compare:
        steps = clip_vs_physics(traj)
        said = {s.kind for s in steps}
        caps = tuple(c for c in caps if c.kind not in said) + compare_captions(traj, steps)
    return tuple(sorted(caps, key=lambda c: c.t_s))


def compare_captions(traj, steps=None) -> tuple:
    """The 'what the clip showed / what physics says' steps (render.captions.clip_vs_physics) as
    two-line captions, each at the simulated moment its physics number refers to, while it holds."""
    from render.captions import Caption, clip_vs_physics

    steps = clip_vs_physics(traj) if steps is None else steps
    return tuple(Caption(s.t_s, f"The clip: {s.clip}\nPhysics: {s.physics}", "compare", s.t_end_s) for s in steps)


def read_camera_file(camera: str) -> dict:
    """The [camera_path] table of a --camera FILE.toml, read with the bounded reader (regular file,
    size and nesting caps); PlanError (one line) when it cannot be read or holds no such table."""
    from fileio.bounded import read_toml_text

    try:
        raw = tomllib.loads(read_toml_text(Path(camera), what="camera file"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PlanError(f"{camera}: cannot read: {exc}".splitlines()[0]) from None
    except ValueError as exc:              # fileio.bounded.InputFileError: already FILE: problem
        raise PlanError(str(exc)) from None
    if "camera_path" not in raw:
        raise PlanError(f"{camera}: camera_path: no [camera_path] table in this file")
    if not isinstance(raw["camera_path"], dict):
        raise PlanError(f"{camera}: camera_path: expected a table ([camera_path])")
    return raw["camera_path"]


def check_camera_file(camera: str, body_names, t_release_s: float | None) -> None:
    """Validate a --camera FILE.toml against the scenario before anything is simulated."""
    from render.camera_path import CameraPathError, parse_camera_path

    if not camera.endswith(".toml"):
        return
    try:
        parse_camera_path(read_camera_file(camera), tuple(body_names), t_release_s, source=camera)
    except CameraPathError as exc:
        raise PlanError(str(exc)) from None


def camera_source(camera: str, traj) -> tuple[dict | None, str]:
    """The [camera_path] dict to use (None for a named live camera) and where it came from. 'path' (the
    default) picks by the run: 'far' for months, 'orbit' without a split, else the Roscosmos clip's path
    (scenario files carry no camera path: the loader rejects [camera_path])."""
    from render.camera_path import BUNDLED_PATHS

    if camera in CAMERA_NAMES:
        return None, camera
    if camera in BUNDLED_PATHS:
        return BUNDLED_PATHS[camera], f"bundled path '{camera}'"
    if camera.endswith(".toml"):
        return read_camera_file(camera), camera
    if float(traj.t_s[-1] - traj.t_s[0]) > LONG_RUN_S:
        return None, "far"     # months: segments thousands of km apart, on the Earth's ground tracks
    if release_time(traj) is None or not {"ROS", "USOS"} <= set(traj.body_names):
        return None, "orbit"   # the clip's path needs the split (iss-2022-check flies one docked body)
    return BUNDLED_PATHS["roscosmos"], "bundled path 'roscosmos'"


def make_camera(traj, model, camera: str):
    """t_s -> camera for OffscreenRenderer.render: a live camera's name, or a CameraPose from a path."""
    from render.camera_path import parse_camera_path
    from render.scenestate import snapshot

    raw, where = camera_source(camera, traj)
    if raw is None:
        return lambda t_s: where     # a live camera's name
    iface = getattr(getattr(model, "interface", None), "position_m", None)
    path = parse_camera_path(raw, tuple(traj.body_names), release_time(traj), source=where,
                             **({"interface_ssacs_m": iface} if iface is not None else {}))
    coms = {n: com_ssacs(traj, model, n) for n in traj.body_names}
    return lambda t_s: path.pose(snapshot(traj, t_s), coms)


@dataclass(frozen=True)
class Still:
    name: str          # still_01_hooks-open.png
    t_s: float         # simulated time
    tau_s: float       # video time (for the burn-in)
    rate: float        # time warp there


def plan_stills(traj, plan: FramePlan) -> list[Still]:
    """One still per chapter mark (render.timeline) inside the clip, named by its order and label."""
    from render.timeline import chapters_from_trajectory

    t_lo, t_hi = float(plan.t_s[0]), float(plan.t_s[-1])
    marks = [c for c in chapters_from_trajectory(traj) if t_lo <= c.t_s <= t_hi]
    stills = []
    for i, ch in enumerate(marks, 1):
        tau = plan.timemap.video_time(ch.t_s)
        name = f"still_{i:02d}_{re.sub(r'[^a-z0-9]+', '-', ch.label.lower()).strip('-')}.png"
        stills.append(Still(name, ch.t_s, tau, plan.timemap.rate_at(tau)))
    return stills
