"""Video export speed: frames per second at 1280x720 and 1920x1080.

Prints (1) encoder-only figures (synthetic frames -> ffmpeg libx264 ultrafast MP4; no rendering)
and (2) end-to-end export figures for the real clip-2022 run: offscreen render (software GL on
this machine unless a GPU is present) + burn-in + pipe + encode, as `record` does it.
Timings are wall-clock and noisy on a shared 2-core machine; run it alone for numbers to quote.

    python benchmarks/bench_video.py [--frames 60] [--quick]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = ((1280, 720), (1920, 1080))


def encoder_only(size, n: int, folder: Path) -> float:
    from render.video import VideoSpec, VideoWriter

    w, h = size
    rng = np.random.default_rng(0)
    base = (rng.random((h, w, 3)) * 60).astype(np.uint8)  # noisy frames: a worst case for x264
    t0 = time.perf_counter()
    with VideoWriter(VideoSpec(folder / f"enc_{w}.mp4", size, 30, "mp4")) as vw:
        for k in range(n):
            frame = base.copy()
            frame[:, (k * 7) % w] = 255
            vw.write(frame)
    return n / (time.perf_counter() - t0)


def end_to_end(traj, model, size, n: int, folder: Path, burn: bool, shadows: bool) -> float:
    import argparse as ap

    from cli import record_cmd as rc
    from render.offscreen import OffscreenRenderer

    p = ap.ArgumentParser()
    rc.add_arguments(p)
    argv = ["--out", str(folder / f"e2e_{size[0]}.mp4"), "--size", f"{size[0]}x{size[1]}", "--fps", "30",
            "--start", "55", "--end", str(55 + (n - 1) / 30), "--timemap", "real", "--camera", "path"]
    opts = rc.check_options(p.parse_args(argv + (["--hud", "--captions"] if burn else [])))
    renderer = OffscreenRenderer(traj, model, size=size, shadows=shadows)
    renderer.render(55.0, "wide")  # warm-up: shader compilation is not export speed
    try:
        t0 = time.perf_counter()
        rc.export(traj, model, opts, renderer=renderer, progress=False)
        return n / (time.perf_counter() - t0)
    finally:
        renderer.close()


def before_after(traj, model, size, n: int, rounds: int = 3) -> dict[str, list[float]]:
    """Same renderer, interleaved rounds (so the machine's load hits both alike): the render path as it
    was before the speed-ups (back faces drawn, get_screenshot readback) against the current one, both
    encoding to MP4 with the path camera. Returns {label: [fps per round]}."""
    import tempfile as tf

    from panda3d.core import RenderState

    from render.exportplan import make_camera
    from render.offscreen import OffscreenRenderer, read_rgb
    from render.video import VideoSpec, VideoWriter

    r = OffscreenRenderer(traj, model, size=size, shadows=True)
    cam, new_read, new_state = make_camera(traj, model, "path"), r._read, r.scene.sun.get_initial_state()

    def use(before: bool) -> None:
        r.scene.station_root.set_two_sided(before)
        r.scene.sun.set_initial_state(RenderState.make_empty() if before else new_state)
        r._read = (lambda: read_rgb(r.base)) if before else new_read

    out = {"before": [], "after": []}
    try:
        with VideoWriter(VideoSpec(Path(tf.mkdtemp()) / "ab.mp4", size, 30, "mp4")) as vw:
            for k in range(rounds):
                for label in out:
                    use(label == "before")
                    vw.write(r.render(55.0, cam(55.0)))      # settle state changes outside the timing
                    t0 = time.perf_counter()
                    for i in range(n):
                        t = 55.0 + (k * n + i) / 30 * 20
                        vw.write(r.render(t, cam(t)))
                    out[label].append(n / (time.perf_counter() - t0))
    finally:
        r.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="encoder-only figures, no rendering")
    parser.add_argument("--ab", action="store_true", help="only the before/after comparison of the render path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in SIZES:
            print(f"encoder only (synthetic frames, libx264 ultrafast) {size[0]}x{size[1]}: "
                  f"{encoder_only(size, args.frames, folder):6.1f} fps")
        if args.quick:
            return
        import scenario
        from render.loading import model_for

        t0 = time.perf_counter()
        sc = scenario.load("clip-2022")
        traj, model = scenario.run(sc), model_for(sc)
        print(f"clip-2022 simulated in {time.perf_counter() - t0:.1f} s (not part of the figures below)")
        if args.ab:
            import os
            for size in SIZES:
                res = before_after(traj, model, size, max(4, args.frames // 5))
                print(f"{size[0]}x{size[1]} path camera + MP4, load {os.getloadavg()[0]:.1f}: " + "; ".join(
                    f"{k} {np.median(v):.1f} fps ({', '.join(f'{x:.1f}' for x in v)})" for k, v in res.items()))
            return
        for size in SIZES:
            for burn, shadows in ((False, True), (True, True), (False, False)):
                fps = end_to_end(traj, model, size, args.frames, folder, burn, shadows)
                print(f"export end to end {size[0]}x{size[1]}, shadows {'on ' if shadows else 'off'}, "
                      f"{'HUD + captions' if burn else 'clean frames  '}: {fps:6.1f} fps")


if __name__ == "__main__":
    main()
