"""The app without a window: the no-display message, the screenshot command's input checks, the help."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_main(*args, env_extra=None, unset=("DISPLAY", "WAYLAND_DISPLAY"), timeout=120):
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is for X11/Wayland")
def test_no_display_prints_one_line_and_exits_2():
    proc = run_main()
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "no display" in lines[0] and "main.py screenshot" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_screenshot_rejects_bad_values_in_one_line():
    from cli import screenshot_cmd
    with pytest.raises(screenshot_cmd.ScreenshotError) as err:
        screenshot_cmd.parse_size("big")
    assert err.value.is_user_error and "--size" in str(err.value)
    proc = run_main("screenshot", "--camera", "nowhere", unset=())
    assert proc.returncode == 2 and proc.stderr.startswith("error: screenshot: --camera:")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_screenshot_time_words():
    from cli.screenshot_cmd import ScreenshotError, resolve_time
    from fakes import DemoTrajectory
    traj = DemoTrajectory(t_end_s=600.0)
    assert resolve_time("release+30", traj) == 90.0 and resolve_time("end", traj) == 600.0
    with pytest.raises(ScreenshotError):
        resolve_time("9999", traj)


def test_help_lists_every_bound_key_and_every_action_exists():
    from render import keys
    from render.app import App
    keys_col, text_col = keys.help_columns()
    assert len(keys_col) == len(text_col) == len(keys.KEYS) + 1
    for events, action, _ in keys.KEYS:
        assert callable(getattr(App, f"key_{action}"))
        assert all(keys._pretty(e) in " ".join(keys_col) for e in events)
    bound = [e for events, _, _ in keys.KEYS for e in events]
    assert len(bound) == len(set(bound))                   # no key does two things
    for needed in ("space", "r", "f11", "h", "c", "s", "1", "5"):
        assert needed in bound


def test_save_png_is_atomic(tmp_path):
    from render.offscreen import save_png_atomic
    out = tmp_path / "x.png"
    save_png_atomic(np.zeros((4, 6, 3), np.uint8), out)
    assert out.read_bytes()[:4] == b"\x89PNG" and not list(tmp_path.glob(".x.png.*.tmp*"))


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb for a real window")
def test_window_opens_under_xvfb():
    env = {"ISS_APP_EXIT_AFTER_FIRST_FRAME": "1"}
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", sys.executable, "main.py"],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "first frame" in proc.stdout


def test_screenshot_command_end_to_end(tmp_path):
    """A quick bundled scenario through the whole path: load, simulate, render offscreen, atomic PNG."""
    out = tmp_path / "shot.png"
    proc = run_main("screenshot", "separation-conservation", "--time", "end", "--camera", "wide",
                    "--size", "160x90", "--out", str(out), unset=())
    assert proc.returncode == 0, proc.stderr[-500:]
    from PIL import Image
    img = np.asarray(Image.open(out))
    assert img.shape == (90, 160, 3) and img.max() > 100        # something lit was drawn
    assert [p.name for p in tmp_path.iterdir()] == ["shot.png"]  # no temporary left behind


def test_slider_read_back_is_not_taken_for_a_user_move():
    """PGSliderBar keeps float32: what it gives back is not what was set. The app must not take that
    difference for a drag, or the playhead jumps back to the slider's last value (N stuck at 'one orbit')."""
    from panda3d.core import PGSliderBar

    from render.playback import SLIDER_TOL, Playback
    from render.timeline import Timeline

    bar = PGSliderBar("s")
    bar.set_range(0.0, 1.0)
    errors = []
    for f in np.linspace(0.0, 1.0, 2001)[1:-1] + 1.234567e-5:
        bar.set_value(float(f))
        errors.append(abs(bar.get_value() - f))
    assert max(errors) > 1e-9 and max(errors) < SLIDER_TOL / 10       # float32 round trip, far below a pixel
    tl = Timeline(0.0, 11280.0)
    tl.scrub(5631.6)
    bar.set_value(tl.fraction())
    pb = Playback(11280.0)
    pb.timeline = tl
    bar.set_value(pb.slider_value(0.0))                # the frame loop puts the playhead on the slider
    pb.slider_moved(bar.get_value())                   # the slider's echo of the value set: no scrub
    assert tl.t_s == 5631.6
    tl.scrub(11280.0)                                  # the N key moved the playhead on ...
    bar.set_value(pb.slider_value(bar.get_value()))    # ... the frame loop moves the slider ...
    pb.slider_moved(bar.get_value())                   # ... and the slider's own late callback fires
    assert tl.t_s == 11280.0
    pb.slider_moved(0.25)                              # a real drag still scrubs
    assert tl.t_s == pytest.approx(0.25 * 11280.0)
