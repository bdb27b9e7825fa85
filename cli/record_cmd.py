"""`python main.py record [SCENARIO] --out clip.mp4`: a frame-exact video of a run.

Every frame k is rendered offscreen at simulated time t(k / fps) given by the time map, so the video
does not depend on the machine's speed. Options are checked before the simulation runs, so a typo
costs no waiting. Segment labels, the flight arrow, the scale bar and the trail are on unless
--no-labels / --no-trail; --hud, --captions, --overlays (module labels) and --tint ask for more.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cli.progress import ProgressBar  # the one bar (also simulate's)
from render.cameras import CAMERA_NAMES  # pure logic (no Panda3D import)
from render.composer import FrameComposer, set_overlays  # pure (no Panda3D import)
from render.exportplan import LONG_RUN_S, LONG_RUN_TIMEMAP, FramePlan, PlanError, plan_frames, plan_stills  # pure
from render.storytime import ECLIPSE_MODES  # pure (no Panda3D import)

DEFAULT_CAMERA = "path"


class RecordError(PlanError):
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
                        help=f"{', '.join(CAMERA_NAMES)}; 'path' (the bundled Roscosmos-clip path; 'far' for runs of "
                             "months, 'orbit' without a split); a bundled path name; or a .toml with [camera_path]")
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
    if stills is not None:
        from fileio import probe_output
        probe_output(stills, "--stills", folder=True)     # a real write, before simulating
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


# ---------------------------------------------------------------- the export loop
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
    """One PNG per chapter mark inside the clip (render.exportplan.plan_stills); the set appears as a
    whole (fileio.atomic_folder)."""
    from PIL import Image

    from fileio import atomic_folder

    names = []
    with atomic_folder(folder, "--stills") as tmp:
        for still in plan_stills(traj, plan):
            img = comp.frame(still.t_s, still.tau_s, still.rate)
            names.append(still.name)
            Image.fromarray(img).save(tmp / still.name, format="PNG")
    return [folder / n for n in names]


def check_frame_budget(opts: RecordOptions, sc, frames: int | None = None) -> None:
    """Refuse a video over scenario.plausible.MAX_FRAMES before simulating (estimated from the
    scenario's span and the time map) and again once planned, unless --allow-large."""
    from render.timemap import parse_timemap
    from scenario import plausible

    if plausible.allowed():
        return
    if frames is None:
        span = sc.long_term["duration_days"] * 86400.0 if sc.long_term is not None else sc.time["duration_s"]
        if opts.end_s is None and span <= LONG_RUN_S:      # plan_frames: one orbit after the release
            span = min(span, (sc.release["time_s"] if sc.release is not None else 0.0) + 1.1 * 5550.0 + 30.0)
        if opts.start_s is not None or opts.end_s is not None:
            span = min(span, (opts.end_s if opts.end_s is not None else span) - (opts.start_s or 0.0))
        tmap = parse_timemap(opts.timemap or (LONG_RUN_TIMEMAP if span > LONG_RUN_S else "ramp"), 0.0, orbit_period_s=5550.0)
        frames = tmap.video_time(span) * opts.fps
    if frames > plausible.MAX_FRAMES:
        hours = frames / opts.fps / 3600.0
        raise RecordError(f"--timemap: {opts.timemap or 'default'} makes ~{frames:,.0f} frames ({hours:.1f} h of video; "
                          f"budget {plausible.MAX_FRAMES:,}): a faster time map, --start/--end, or {plausible.FLAG}")


def model_for(sc):
    """The station model the scenario's run used (render/loading.py: same file and vehicles)."""
    from render.loading import model_for as loading_model_for

    return loading_model_for(sc)


def run(args: argparse.Namespace) -> int:
    opts = check_options(args)
    import scenario

    sc = scenario.load(args.scenario)
    check_frame_budget(opts, sc)
    from render.exportplan import check_camera_file
    check_camera_file(opts.camera, sc.body_names, sc.release["time_s"] if sc.release is not None else None)
    bar = ProgressBar(label="simulate")
    traj = getattr(scenario, "playback_trajectory", scenario.run)(sc, progress=bar)
    bar.finish()
    from scenario.daylight import eclipse_warning
    note = eclipse_warning(traj, sc.source)
    if note:
        print(note, file=sys.stderr)
    plan = plan_frames(traj, opts)
    check_frame_budget(opts, sc, len(plan.t_s))
    path = export(traj, model_for(sc), opts, plan=plan)
    print(f"wrote {path}: {len(plan.t_s)} frames, {len(plan.t_s) / opts.fps:.1f} s at {opts.fps:g} fps, "
          f"{opts.size[0]}x{opts.size[1]}, simulated {plan.t_s[0]:g}..{plan.t_s[-1]:g} s")
    return 0
