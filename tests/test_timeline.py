"""Timeline logic without a window: play, reverse, warp, step, scrub, chapters from trajectory events."""
from __future__ import annotations

import math

import pytest

from fakes import MU_EARTH, DemoTrajectory
from render.timeline import WARPS, Timeline, chapters_from_trajectory


def test_play_advances_by_warp_times_wall_time():
    tl = Timeline(0.0, 1000.0, warp=100.0)
    tl.toggle_play()
    assert tl.advance(0.5) == pytest.approx(50.0)
    tl.reverse()
    assert tl.advance(0.25) == pytest.approx(25.0)


def test_paused_does_not_move_and_ends_stop_playback():
    tl = Timeline(10.0, 20.0)
    assert tl.advance(5.0) == 10.0
    tl.toggle_play(); tl.warp = 1000
    assert tl.advance(1.0) == 20.0 and not tl.playing
    tl.reverse(); tl.toggle_play()
    assert tl.advance(1.0) == 10.0 and not tl.playing


def test_warp_reaches_at_least_10000x_and_stays_in_range():
    tl = Timeline(0, 1)
    for _ in range(len(WARPS) + 3):
        tl.faster()
    assert tl.warp >= 10000 and tl.warp == WARPS[-1]
    for _ in range(len(WARPS) + 3):
        tl.slower()
    assert tl.warp == 1


def test_step_pauses_and_scales_with_warp():
    tl = Timeline(0, 100, warp=10)
    tl.toggle_play(); tl.step(+1)
    assert not tl.playing and tl.t_s == 10
    tl.step(-3)
    assert tl.t_s == 0  # clamped at the start


def test_playhead_waits_for_the_simulation():
    tl = Timeline(0, 1000, warp=100)
    tl.available_end_s = 300
    tl.toggle_play()
    assert tl.advance(10) == 300 and tl.playing     # still playing: more data is coming
    tl.available_end_s = 1000
    assert tl.advance(1) == 400
    tl.scrub(5000)
    assert tl.t_s == 1000


def test_chapters_from_events_and_closed_form_orbit():
    traj = DemoTrajectory(t_end_s=7000.0)
    ch = {c.label: c.t_s for c in chapters_from_trajectory(traj)}
    period = 2 * math.pi * math.sqrt(traj.a_m ** 3 / MU_EARTH)   # circular orbit: a = r
    assert ch["docked"] == 0 and ch["hooks open"] == 60 and ch["end of push"] == 63
    assert ch["one minute"] == 120 and ch["end"] == 7000
    assert ch["one orbit"] == pytest.approx(60 + period, abs=1.0)   # 1 s: vis-viva on a sampled circle


def test_chapter_navigation():
    traj = DemoTrajectory(t_end_s=7000.0)
    tl = Timeline(0, 7000, chapters_from_trajectory(traj))
    tl.next_chapter(); assert tl.t_s == 60 and tl.current_chapter().label == "hooks open"
    tl.next_chapter(); tl.next_chapter(); assert tl.t_s == 120
    tl.prev_chapter(); assert tl.t_s == 63
    tl.goto_chapter(len(tl.chapters) - 1); assert tl.t_s == 7000
