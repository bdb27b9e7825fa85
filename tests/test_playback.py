"""The app's playback controller (render/playback.py) without a window."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fakes import DemoTrajectory
from render.playback import ACTIONS, Playback
from render.timeline import DAY_S

ROOT = Path(__file__).resolve().parents[1]


def test_no_panda3d():
    code = "import sys, render.playback; print(sorted(m for m in sys.modules if m.split('.')[0] in ('panda3d', 'direct')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_first_run_plays_and_keys_move_the_playhead():
    pb = Playback(600.0)
    assert pb.timeline.limit_s() == 0.0                      # nothing computed yet
    traj = DemoTrajectory(t_end_s=600.0)
    pb.first_run(traj)
    pb.finished()
    assert pb.timeline.playing and pb.timeline.limit_s() == 600.0
    pb.advance(2.0)
    assert pb.timeline.t_s == 2.0 and pb.state_text() == "playing >> 1x"
    pb.act("faster"); pb.act("reverse"); pb.act("play")
    assert pb.state_text() == "paused << 2x"
    pb.act("to_end"); pb.act("prev_chapter")
    assert "[" in pb.chapter_strip() and pb.timeline.t_s < 600.0
    pb.act("to_start")
    assert pb.timeline.t_s == 0.0
    assert set(ACTIONS) <= {b.action for b in __import__("render.keys", fromlist=["BINDINGS"]).BINDINGS}


def test_a_months_run_starts_at_one_day_per_second():
    pb = Playback(3 * DAY_S)
    pb.first_run(DemoTrajectory(t_end_s=3 * DAY_S, dt_s=600.0))
    assert pb.timeline.warp == DAY_S


def test_slider_echo_does_not_scrub_a_drag_does():
    pb = Playback(1000.0)
    pb.first_run(DemoTrajectory(t_end_s=1000.0)); pb.finished()
    pb.timeline.scrub(500.0)
    shown = pb.slider_value(0.0)
    assert shown == 0.5 and pb.slider_value(shown + 5e-8) is None   # float32 read-back: no change
    pb.timeline.scrub(900.0)
    pb.slider_moved(shown + 5e-8)                             # the slider's late echo: no jump back
    assert pb.timeline.t_s == 900.0
    pb.slider_moved(0.25)
    assert pb.timeline.t_s == 250.0
