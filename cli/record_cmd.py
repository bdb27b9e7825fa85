"""`python main.py record [SCENARIO] --out clip.mp4`: a frame-exact video of a run.

Every frame k is rendered offscreen at simulated time t(k / fps) given by the time map, so the video
does not depend on the machine's speed. Options are checked before the simulation runs, so a typo
costs no waiting. Segment labels, the flight arrow, the scale bar and the trail are on unless
--no-labels / --no-trail; --hud, --captions, --overlays (module labels) and --tint ask for more.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from render.cameras import CAMERA_NAMES  # pure logic (no Panda3D import)
from render.storytime import ECLIPSE_MODES  # pure (no Panda3D import)

DEFAULT_CAMERA = "path"
STILL_SIZE_NOTE = "stills use the video's size"


class RecordError(Exception):
    """A bad record option; one line."""

    is_user_error = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")
    parser.add_argument("--out", required=True, help="output: clip.mp4, clip.gif, or a folder for PNG frames")
    parser.add_argument("--size", default="1280x720", help="WxH in pixels, up to 3840x2160 (even for MP4)")
    parser.add_argument("--fps", type=float, default=30.0, help="frames per second of the video")
    parser.add_argument("--start", type=float, default=None,
                        help="first simulated second (s since the epoch); default 5 s before the hooks open")
    parser.add_argument("--end", type=float, default=None,
                        help="last simulated second; default one orbit after the release (or the run's end)")
    parser.add_argument("--camera", default=DEFAULT_CAMERA,
                        help=f"{', '.join(CAMERA_NAMES)}; 'path' (the scenario's [camera_path], else the "
                             "bundled Roscosmos-clip path); a bundled path name; or a .toml with [camera_path]")
    parser.add_argument("--timemap", default=None,
                        help="'real', 'NNx', 'N days/s', 'ramp' (real time 10 s, then up to one orbit per minute; "
                             "the default) or 'ramp:HOLD_S:RAMP_S:RATE' with RATE like 200x, orbit/min or 10days/s; "
                             f"runs of months default to '{LONG_RUN_TIMEMAP}' and their whole span")
    parser.add_argument("--hud", action="store_true", help="burn in time, distance, speed and time warp")
    parser.add_argument("--captions", action="store_true", help="burn in captions computed from the run")
    parser.add_argument("--compare", action="store_true",
                        help="burn in the 'what the clip showed / what physics says' sequence (numbers from the run)")
    parser.add_argument("--technical", action="store_true",
                        help="technical HUD (implies --hud): port gap and centre-to-centre range to the cm, "
                             "spins relative to LVLH, interface loads, ROS/USOS names")
    parser.add_argument("--eclipse", choices=ECLIPSE_MODES, default=None,
                        help="when the station is over the night side or in the Earth's shadow: 'skip' "
                             "fast-forwards through it (said on screen; the default), 'brighten' lifts the "
                             "dark frames (labelled 'eclipse: brightened'), 'show' plays it as it is "
                             "(the default with --timemap, which keeps its time map as given)")
    parser.add_argument("--overlays", action="store_true", help="label the modules too (Zvezda, Unity, ...)")
    parser.add_argument("--no-labels", action="store_true",
                        help="no segment labels, flight arrow or scale bar (shown by default)")
    parser.add_argument("--no-trail", action="store_true",
                        help="no relative trail of the Russian segment and no ground tracks (shown by default)")
    parser.add_argument("--tint", action="store_true", help="mark the Russian segment in orange")
    parser.add_argument("--ensemble", default=None, metavar="ENS.npz",
                        help="draw a separation ensemble's relative tracks as a faint cloud around the trail")
    parser.add_argument("--stills", default=None, metavar="DIR", help="also write a PNG at each chapter mark")
    parser.add_argument("--crf", type=int, default=18, help="H.264 quality, 0-51 (lower = better)")
    parser.add_argument("--no-shadows", action="store_true", help="faster, without module shadows")


@dataclass(frozen=True)
class RecordOptions:
    out: Path
    fmt: str
    size: tuple[int, int]
    fps: float
    start_s: float | None
    end_s: float | None
    camera: str
    timemap: str
    hud: bool = False
    captions: bool = False
    overlays: bool = False
    stills: Path | None = None
    crf: int = 18
    shadows: bool = True
    compare: bool = False
    labels: bool = True
    trail: bool = True
    tint: bool = False
    technical: bool = False
    eclipse: str = "skip"
    ensemble: Path | None = None     # a separation ensemble's tracks as a cloud (render/ensemble_cloud.py)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text or "")
    if not m:
        raise RecordError(f"--size: '{text}' is not like 1280x720")
    return int(m.group(1)), int(m.group(2))


def check_options(args: argparse.Namespace) -> RecordOptions:
    """Everything that can be checked before the simulation runs; RecordError/VideoError on bad input."""
    from render.video import VideoSpec, check_spec, format_for

    out = Path(args.out)
    fmt = format_for(out)
    size = parse_size(args.size)
    if not (0 < args.fps <= 240):
        raise RecordError(f"--fps: {args.fps:g} is outside 0..240")
    if not 0 <= args.crf <= 51:
        raise RecordError(f"--crf: {args.crf} is outside 0..51")
    check_spec(VideoSpec(out, size, args.fps, fmt, args.crf))
    if args.start is not None and args.end is not None and args.end <= args.start:
        raise RecordError(f"--end: {args.end:g} s is not after --start {args.start:g} s")
    check_camera_name(args.camera)
    from render.timemap import parse_timemap

    parse_timemap(args.timemap or "ramp", 0.0, orbit_period_s=5500.0)  # syntax only; the real period comes from the run
    stills = Path(args.stills) if args.stills else None
    if stills is not None and stills.exists() and not stills.is_dir():
        raise RecordError(f"--stills: {stills} exists and is not a folder")
    if stills is not None and not stills.resolve().parent.is_dir():
        raise RecordError(f"--stills: folder {stills.resolve().parent} does not exist")
    return RecordOptions(out, fmt, size, float(args.fps), args.start, args.end, args.camera, args.timemap,
                         args.hud or getattr(args, "technical", False), args.captions, args.overlays, stills,
                         args.crf, not args.no_shadows, bool(getattr(args, "compare", False)),
                         not getattr(args, "no_labels", False), not getattr(args, "no_trail", False),
                         bool(getattr(args, "tint", False)), bool(getattr(args, "technical", False)),
                         eclipse_mode(args), _ensemble_file(args))


def _ensemble_file(args: argparse.Namespace) -> Path | None:
    path = getattr(args, "ensemble", None)
    if path is not None and not Path(path).is_file():
        raise RecordError(f"--ensemble: {path}: no such file")
    return None if path is None else Path(path)


def eclipse_mode(args: argparse.Namespace) -> str:
    """--eclipse, or its default: 'skip' with the lesson's time map, 'show' with an explicit --timemap
    (which is taken literally, so it cannot fast-forward)."""
    mode = getattr(args, "eclipse", None)
    if mode == "skip" and args.timemap:
        raise RecordError("--eclipse: 'skip' fast-forwards within the lesson's time map; with --timemap use "
                          "'brighten' or 'show'")
    return mode or ("show" if args.timemap else "skip")


def check_camera_name(camera: str) -> None:
    from render.camera_path import BUNDLED_PATHS

    if camera in CAMERA_NAMES or camera == "path" or camera in BUNDLED_PATHS:
        return
    if camera.endswith(".toml"):
        if not Path(camera).is_file():
            raise RecordError(f"--camera: {camera}: no such file")
        return
    names = ", ".join(CAMERA_NAMES + ("path",) + tuple(BUNDLED_PATHS))
    raise RecordError(f"--camera: unknown camera '{camera}' (choose {names}, or a .toml with [camera_path])")


def camera_source(camera: str, traj) -> tuple[dict | None, str]:
    """The [camera_path] dict to use (None for a named live camera) and where it came from."""
    from render.camera_path import BUNDLED_PATHS

    if camera in CAMERA_NAMES:
        return None, camera
    if camera in BUNDLED_PATHS:
        return BUNDLED_PATHS[camera], f"bundled path '{camera}'"
    if camera.endswith(".toml"):
        try:
            raw = tomllib.loads(Path(camera).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RecordError(f"{camera}: cannot read: {exc}".splitlines()[0]) from None
        if "camera_path" not in raw:
            raise RecordError(f"{camera}: camera_path: no [camera_path] table in this file")
        return raw["camera_path"], camera
    meta = (traj.metadata or {}).get("scenario")
    meta = meta if isinstance(meta, dict) else {}
    raw = tomllib.loads(meta["toml"]).get("camera_path") if meta.get("toml") else None
    if raw is not None:
        return raw, meta.get("source") or "scenario"
    if float(traj.t_s[-1] - traj.t_s[0]) > LONG_RUN_S:
        return None, "far"     # months: segments thousands of km apart, on the Earth's ground tracks
    if release_time(traj) is None or not {"ROS", "USOS"} <= set(traj.body_names):
        return None, "orbit"   # the clip's path needs the split (iss-2022-check flies one docked body)
    return BUNDLED_PATHS["roscosmos"], "bundled path 'roscosmos'"


# ---------------------------------------------------------------- planning the frames
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


def plan_frames(traj, opts: RecordOptions) -> FramePlan:
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
            raise RecordError(f"{name}: {value:g} s is outside the run ({t0_run:g}..{t1_run:g} s)")
    if end <= start:
        raise RecordError(f"--end: {end:g} s is not after --start {start:g} s")
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


def caption_show_s(opts: RecordOptions) -> float:
    """Video seconds a caption stays when the next one is not waiting (two-line comparisons: longer)."""
    return 9.0 if opts.compare else 6.0


def lesson_captions(traj, opts: RecordOptions) -> tuple:
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


# ---------------------------------------------------------------- progress
class ProgressBar:
    """`[#####.....]  45%  123/270 frames  9.8 fps  ETA 0:15` on stderr, redrawn in place."""

    def __init__(self, total: int, label: str, stream=None, width: int = 30):
        self.total, self.label, self.stream, self.width = max(total, 1), label, stream or sys.stderr, width
        self.t0 = time.perf_counter()
        self._last = -1.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last < 0.25 and done < self.total:
            return
        self._last = now
        frac = done / self.total
        elapsed = now - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else float("nan")
        bar = "#" * int(frac * self.width) + "." * (self.width - int(frac * self.width))
        eta_txt = f"{int(eta // 60)}:{int(eta % 60):02d}" if math.isfinite(eta) else "?"
        self.stream.write(f"\r{self.label} [{bar}] {frac:4.0%} {done}/{self.total}  {rate:5.1f}/s  ETA {eta_txt} ")
        self.stream.flush()

    def finish(self) -> None:
        self.update(self.total, force=True)
        self.stream.write("\n")


# ---------------------------------------------------------------- the export loop
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


def com_ssacs(traj, model, name: str) -> np.ndarray:
    body = ((traj.metadata or {}).get("bodies") or {}).get(name) or {}
    if "com_ssacs_m" in body:
        return np.asarray(body["com_ssacs_m"], float)
    return np.asarray(model.segments[name].mass.com_m, float)


class FrameComposer:
    """Renders one frame and burns in what was asked for (HUD, captions, warp indicator)."""

    def __init__(self, renderer, traj, model, opts: RecordOptions, plan: FramePlan):
        from render import burnin
        from render.burnin import Hud

        self.renderer, self.opts, self.plan = renderer, opts, plan
        self.camera = make_camera(traj, model, opts.camera)
        self.captions = plan.captions if opts.captions or opts.compare else ()
        self.hud = Hud(traj, technical=opts.technical) if opts.hud else None
        # one caption at a time, in order, each only while it is true (never earlier, never late)
        self.schedule = burnin.caption_schedule(self.captions, plan.timemap.video_time,
                                                show_s=caption_show_s(opts),
                                                video_end_s=float(plan.tau_s[-1]) if len(plan.tau_s) else math.inf)

    def frame(self, t_s: float, tau_s: float, rate: float) -> np.ndarray:
        return self.finish(self.renderer.render(t_s, self.camera(t_s)), t_s, tau_s, rate)

    def finish(self, img: np.ndarray, t_s: float, tau_s: float, rate: float) -> np.ndarray:
        """Burn HUD, warp indicator and caption into a rendered frame (pure numpy/Pillow: thread-safe)."""
        from render import burnin, timemap

        notes = self.plan.timemap.notes_at(tau_s) if hasattr(self.plan.timemap, "notes_at") else []
        if self.opts.eclipse == "brighten" and any(a <= t_s <= b for a, b in self.plan.dark):
            img, notes = burnin.brighten(img), notes + [burnin.BRIGHTENED_NOTE]
        if self.hud is not None:
            img = burnin.draw_text_block(img, self.hud.lines(t_s, rate) + notes, "top_left")
        elif self.opts.captions or self.opts.compare or notes:
            img = burnin.draw_text_block(img, [f"Time: {timemap.warp_label(rate)}"] + notes, "top_right")
        cap, alpha = burnin.scheduled_caption(self.schedule, tau_s)
        if cap is not None and alpha > 0.0:
            scale = burnin.CAPTION_SCALE * (0.8 if cap.kind == "compare" else 1.0)
            img = burnin.draw_text_block(img, cap.text.split("\n"), "bottom_center", scale, True, alpha)
        return img


def compare_captions(traj, steps=None) -> tuple:
    """The 'what the clip showed / what physics says' steps (render.captions.clip_vs_physics) as
    two-line captions, each at the simulated moment its physics number refers to, while it holds."""
    from render.captions import Caption, clip_vs_physics

    steps = clip_vs_physics(traj) if steps is None else steps
    return tuple(Caption(s.t_s, f"The clip: {s.clip}\nPhysics: {s.physics}", "compare", s.t_end_s) for s in steps)


def set_overlays(renderer, opts: RecordOptions) -> None:
    """Segment labels (with the flight arrow and scale bar) and the trail are on unless --no-labels /
    --no-trail; --overlays adds the module labels; --tint marks the Russian segment."""
    overlays = getattr(getattr(renderer, "scene", None), "overlays", None)
    if overlays is None:
        return
    overlays.set_label_mode(2 if opts.overlays else 1 if opts.labels else 0)
    overlays.set_tint(opts.tint)
    overlays.tracks_on = opts.trail
    if opts.ensemble is not None and not overlays.extras:
        from render.ensemble_cloud import attach
        attach(renderer, opts.ensemble)
    for name in ("trail_np", "tracks_np"):
        node = getattr(overlays, name, None)
        if node is not None:
            (node.show if opts.trail else node.hide)()


def export(traj, model, opts: RecordOptions, renderer=None, progress: bool = True, plan=None) -> Path:
    """Render every planned frame into opts.out (and stills); returns the final path."""
    from render.video import VideoSpec, VideoWriter

    plan = plan_frames(traj, opts) if plan is None else plan
    own = renderer is None
    if own:
        from render.offscreen import OffscreenRenderer

        renderer = OffscreenRenderer(traj, model, size=opts.size, shadows=opts.shadows)
    try:
        set_overlays(renderer, opts)
        comp = FrameComposer(renderer, traj, model, opts, plan)
        bar = ProgressBar(len(plan.t_s), "export") if progress else None
        with VideoWriter(VideoSpec(opts.out, opts.size, opts.fps, opts.fmt, opts.crf)) as vw:
            write_frames(comp, plan, vw, bar)
        if bar:
            bar.finish()
        if opts.stills is not None:
            write_stills(comp, traj, plan, opts.stills)
    finally:
        if own:
            renderer.close()
    return opts.out


def write_frames(comp: FrameComposer, plan: FramePlan, vw, bar=None) -> None:
    """Render frame k on this thread while one helper thread burns in and pipes frame k-1: on llvmpipe
    the GL work and the Pillow/pipe work overlap (numpy, Pillow and the pipe write release the GIL).
    At most one frame waits, frames go out in order, and an error in the helper surfaces here."""
    from concurrent.futures import ThreadPoolExecutor

    from render.offscreen import to_rgb

    pending = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for k in range(len(plan.t_s)):
            t, tau, rate = float(plan.t_s[k]), float(plan.tau_s[k]), float(plan.rate[k])
            raw = getattr(comp.renderer, "render_raw", comp.renderer.render)(t, comp.camera(t))
            if pending is not None:
                pending.result()
            pending = pool.submit(lambda a=raw, b=t, c=tau, d=rate: vw.write(comp.finish(to_rgb(a), b, c, d)))
            if bar:
                bar.update(k + 1)
        if pending is not None:
            pending.result()


def write_stills(comp: FrameComposer, traj, plan: FramePlan, folder: Path) -> list[Path]:
    """One PNG per chapter mark inside the clip: still_01_hooks-open.png, ... (each via .partial)."""
    import os

    from PIL import Image

    from render.timeline import chapters_from_trajectory

    folder.mkdir(exist_ok=True)
    written = []
    t_lo, t_hi = float(plan.t_s[0]), float(plan.t_s[-1])
    marks = [c for c in chapters_from_trajectory(traj) if t_lo <= c.t_s <= t_hi]
    for i, ch in enumerate(marks, 1):
        tau = plan.timemap.video_time(ch.t_s)
        img = comp.frame(ch.t_s, tau, plan.timemap.rate_at(tau))
        path = folder / f"still_{i:02d}_{re.sub(r'[^a-z0-9]+', '-', ch.label.lower()).strip('-')}.png"
        partial = path.with_name(path.name + ".partial")
        try:
            Image.fromarray(img).save(partial, format="PNG")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        written.append(path)
    return written


def model_for(sc):
    """The station model the scenario's run used (render/loading.py: same file and vehicles)."""
    from render.loading import model_for as loading_model_for

    return loading_model_for(sc)


def run(args: argparse.Namespace) -> int:
    opts = check_options(args)
    import scenario

    sc = scenario.load(args.scenario)
    bar = ProgressBar(1000, "simulate")
    traj = getattr(scenario, "playback_trajectory", scenario.run)(sc, progress=lambda f: bar.update(int(1000 * min(max(f, 0.0), 1.0))))
    bar.finish()
    from scenario.daylight import eclipse_warning
    note = eclipse_warning(traj, sc.source)
    if note:
        print(note, file=sys.stderr)
    plan = plan_frames(traj, opts)
    path = export(traj, model_for(sc), opts, plan=plan)
    print(f"wrote {path}: {len(plan.t_s)} frames, {len(plan.t_s) / opts.fps:.1f} s at {opts.fps:g} fps, "
          f"{opts.size[0]}x{opts.size[1]}, simulated {plan.t_s[0]:g}..{plan.t_s[-1]:g} s")
    return 0
