"""`python main.py screenshot [SCENARIO] --time T --camera NAME --size WxH --out F.png`: one offscreen frame."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from render.cameras import CAMERA_NAMES


class ScreenshotError(ValueError):
    """Bad command-line value: one line 'screenshot: --option: problem'."""

    is_user_error = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")
    parser.add_argument("--time", default="release+60",
                        help="seconds since the epoch, or release+S / end (default: release+60)")
    parser.add_argument("--camera", default="orbit", help=f"one of {', '.join(CAMERA_NAMES)} (default: orbit)")
    parser.add_argument("--size", default="1280x720", help="WxH in pixels (default: 1280x720)")
    parser.add_argument("--out", default="screenshot.png", help="PNG file to write")
    parser.add_argument("--npz", default=None, help="use a saved run (.npz) instead of simulating")
    parser.add_argument("--ensemble", default=None, metavar="ENS.npz",
                        help="draw a separation ensemble's relative tracks as a faint cloud around the trail")


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ScreenshotError(f"screenshot: --size: expected WxH such as 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise ScreenshotError(f"screenshot: --size: {w}x{h} outside 16..8192 pixels")
    return w, h


def parse_time(text: str) -> tuple[str, float]:
    """--time's syntax, checked before simulating: ('end', 0) / ('release', S) / ('abs', S)."""
    import math
    text = str(text).strip().lower()
    try:
        kind, value = ("end", 0.0) if text == "end" else ("release", float(text[len("release"):] or 0)) \
            if text.startswith("release") else ("abs", float(text))
    except ValueError:
        kind, value = "", math.nan
    if not kind or not math.isfinite(value):
        raise ScreenshotError(f"screenshot: --time: expected seconds, release+S or end, got {text!r}")
    return kind, value


def resolve_time(text: str, traj) -> float:
    """'123.4', 'release+60', 'release', 'end' -> seconds since epoch, clamped to the run."""
    t0, t1 = float(traj.t_s[0]), float(traj.t_s[-1])
    kind, value = parse_time(text)
    if kind == "end":
        t = t1
    elif kind == "release":
        t = next((e.t_s for e in traj.events if e.kind == "release"), t0) + value
    else:
        t = value
    if not t0 <= t <= t1:
        raise ScreenshotError(f"screenshot: --time: {t:g} s outside the run [{t0:g}, {t1:g}] s")
    return t


def run(args: argparse.Namespace) -> int:
    import scenario
    from render.loading import model_for
    from render.offscreen import OffscreenRenderer, save_png_atomic

    if args.camera not in CAMERA_NAMES:
        raise ScreenshotError(f"screenshot: --camera: unknown {args.camera!r}; choose one of {', '.join(CAMERA_NAMES)}")
    size = parse_size(args.size)
    if not str(args.out).lower().endswith(".png"):
        raise ScreenshotError(f"screenshot: --out: {args.out}: the file name must end in .png")
    parse_time(args.time)                              # all checks before simulating or rendering:
    from fileio import probe_output
    probe_output(args.out, "screenshot: --out")        # a real write where the PNG goes
    sc = scenario.load(args.scenario)
    model = model_for(sc)
    if args.npz:
        from physics.trajectory import Trajectory
        from scenario.trajcheck import check_trajectory
        traj = Trajectory.load_npz(args.npz)
        check_trajectory(traj, args.npz)               # NaN, zero quaternions, epochs outside DE421
    else:
        print(f"simulating {sc.name} ...", file=sys.stderr)
        traj = getattr(scenario, "playback_trajectory", scenario.run)(sc)
    t = resolve_time(args.time, traj)
    renderer = OffscreenRenderer(traj, model, size=size)
    if getattr(args, "ensemble", None):
        from render.ensemble_cloud import attach
        attach(renderer, args.ensemble)
    try:
        img = renderer.render(t, args.camera)
    finally:
        renderer.close()
    save_png_atomic(img, args.out)
    print(f"wrote {args.out} ({size[0]}x{size[1]}, t = {t:g} s, camera {args.camera})")
    return 0
