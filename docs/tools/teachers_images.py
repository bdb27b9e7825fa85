"""Regenerate the teacher's guide pictures (docs/img/teachers_*.png) from the current code and data.

    python docs/tools/teachers_images.py            # all of them (~3 min on 2 cores)

Each picture is what a class sees: the presenter offscreen at 1280x720 at the end of a chapter (its
caption true), the recorded lesson's frame, and a long recorded run after the US segment's reentry.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "img"
SIZE = (1280, 720)


def presenter_images() -> None:
    """teachers_presenter_{first_minute,orbit,clip_vs_physics,fate}.png and render_port_camera_hooks_open.png."""
    from PIL import Image

    from cli.present_cmd import load_run
    from render.fate import FateJob, fate_scenario
    from render.offscreen import offscreen_base, read_rgb
    from render.presenter import Presenter, chapters_for
    from render.presenter_window import PresenterWindow

    traj, model = load_run("clip-2022")
    fate = FateJob(fate_scenario("clip-2022"), panel_px=(1200, 700)).start()
    base, _ = offscreen_base(SIZE)
    win = PresenterWindow(base, traj, model, Presenter(chapters_for(traj)), fate_job=fate)
    fate.wait()
    wanted = {"The first minute": "first_minute", "One orbit": "orbit", "The clip vs physics": "clip_vs_physics",
              "Would the US segment fall?": "fate", "Hooks open": "hooks_open"}
    done = set()
    for i in range(len(win.presenter.chapters)):
        win.step(0.0)                                   # takes the long-run answer once it is there
        ch = win.presenter.chapters[i]
        name = wanted.get(ch.title)
        if name is None or name in done:
            continue
        win.presenter.goto(i)
        win.presenter.t_s = ch.t_end_s                  # the chapter's last frame: its caption is true
        if name == "hooks_open":                        # docs/render.md's port-camera picture: 4 s after release
            win.presenter.t_s = ch.t_start_s + 4.0
        win.presenter.playing = False
        for _ in range(12):                             # held there while the camera settles
            win.step(0.5)
            base.graphicsEngine.render_frame()
        out = "render_port_camera_hooks_open.png" if name == "hooks_open" else f"teachers_presenter_{name}.png"
        Image.fromarray(read_rgb(base)).save(IMG / out)
        done.add(name)
        print("wrote", out, "chapter", i + 1)
    win.destroy()


def record_image(args: list[str], frame_index: int, out_name: str) -> None:
    """One frame of `python main.py record ARGS` (PNG frames in a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "main.py"), "record", *args, "--out", f"{tmp}/f/",
                        "--size", f"{SIZE[0]}x{SIZE[1]}"], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
        frames = sorted(Path(tmp, "f").glob("*.png"))
        Path(frames[min(frame_index, len(frames) - 1)]).replace(IMG / out_name)
        print("wrote", out_name, "from", frames[min(frame_index, len(frames) - 1)].name, "of", len(frames))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    presenter_images()
    # the lesson with HUD and captions, 2 frames a second: frame 63 shows "One minute later: ..." in full
    record_image(["clip-2022", "--hud", "--captions", "--fps", "2"], 63, "teachers_record_hud.png")
    # the long run after the US segment's reentry (flight attitude, observed Sun: 1 Dec 2023)
    record_image(["decay-no-reboost", "--hud", "--fps", "2", "--start", "63072000", "--end", "63500000"], 12,
                 "teachers_record_decay.png")
