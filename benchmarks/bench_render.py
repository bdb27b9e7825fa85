"""Render speed of the full scene on this machine (prints figures; no assertions).

    python benchmarks/bench_render.py            # offscreen fps at 1280x720 and 1920x1080 + launch time
    python benchmarks/bench_render.py --quick    # fewer frames

fps include a readback of every frame (llvmpipe skips work nobody reads: panda3d_notes.md section 3).
Launch-to-first-frame runs `python main.py` under Xvfb when `xvfb-run` exists (ISS_APP_EXIT_AFTER_FIRST_FRAME=1
makes the app print the time of its first frame and quit).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.simplefilter("ignore")


def load_run():
    """The real clip-2022 run and station if they can be built; the demo stand-ins otherwise."""
    try:
        import scenario
        from render.loading import model_for
        sc = scenario.load("clip-2022")
        t = time.perf_counter()
        traj = scenario.run(sc)
        print(f"simulated clip-2022 in {time.perf_counter() - t:.1f} s ({len(traj.t_s)} samples)")
        return traj, model_for(sc), "clip-2022"
    except Exception as exc:  # noqa: BLE001 - a benchmark should still print something
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))   # the test fakes
        from fakes import DemoTrajectory, demo_model
        print(f"(real scenario unavailable: {exc}; using the demo stand-ins)")
        return DemoTrajectory(), demo_model(), "demo"


def fps(renderer, t0, cameras, n):
    out = {}
    for cam in cameras:
        renderer.render(t0, cam)                      # warm-up (shader compile, shadow buffer)
        start = time.perf_counter()
        for i in range(n):
            renderer.render(t0 + i * 0.5, cam)
        out[cam] = n / (time.perf_counter() - start)
    return out


def launch_time() -> str:
    if not shutil.which("xvfb-run"):
        return "skipped (no xvfb-run; install xvfb to measure)"
    env = dict(os.environ, ISS_APP_EXIT_AFTER_FIRST_FRAME="1")
    start = time.perf_counter()
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "main.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - start
    line = next((l for l in proc.stdout.splitlines() if l.startswith("first frame")), None)
    return f"{line} (process wall time incl. Xvfb start: {wall:.2f} s)" if line else f"failed: {proc.stderr[-300:]}"


def window_fps() -> str:
    """The real app in a window under Xvfb (GLX on llvmpipe, no readback, sync-video off)."""
    if not shutil.which("xvfb-run"):
        return "skipped (no xvfb-run)"
    out = []
    for size, scale in (("1280 720", []), ("1920 1080", []), ("1920 1080", ["--render-scale", "0.6"])):
        env = dict(os.environ, ISS_APP_BENCH_FPS="1", ISS_APP_PRC=f"win-size {size};sync-video false")
        proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "main.py",
                               "clip-2022", *scale], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        out += [l for l in proc.stdout.splitlines() if l.startswith("window fps")] or [proc.stderr[-300:]]
    return "\n  ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 10 if args.quick else 30
    traj, model, name = load_run()
    from render.offscreen import OffscreenRenderer
    t0 = next((e.t_s for e in traj.events if e.kind == "release"), traj.t_s[0]) + 600.0
    cams = ("orbit", "wide", "far", "chase", "from_us")
    renderer = None
    for size in ((1280, 720), (1920, 1080)):
        if renderer is None:
            renderer = OffscreenRenderer(traj, model, size=size)
        renderer.size = size
        res = fps(renderer, t0, cams, n)
        print(f"{name} {size[0]}x{size[1]} full scene (shadows, Earth, atmosphere, stars), fps incl. readback: "
              + ", ".join(f"{c} {v:.1f}" for c, v in res.items()))
    renderer.close()
    print("launch to first frame:", launch_time())
    print("window (Xvfb):\n  " + window_fps())


if __name__ == "__main__":
    main()
