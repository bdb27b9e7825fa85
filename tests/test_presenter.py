"""Presenter chapters and keys, without a window."""
from __future__ import annotations

import pytest

from render.presenter import Chapter, Presenter, all_keys, chapters_for, describe_distance
from test_captions import PERIOD_S, PUSH_S, T_REL_S, SyntheticTrajectory


@pytest.fixture(scope="module")
def chapters():
    return chapters_for(SyntheticTrajectory())


def test_chapters_follow_the_run(chapters):
    titles = [c.title for c in chapters]
    assert titles[:4] == ["Docked", "Hooks open", "The first minute", "One orbit"]
    assert titles[4:] == ["The clip vs physics"] * 4 + ["Would the US segment fall?"]
    assert chapters[-1].fate and chapters[-1].camera == "far" and chapters[-1].t_end_s == SyntheticTrajectory().t_s[-1]
    docked, hooks, minute, orbit = chapters[:4]
    assert docked.t_end_s == hooks.t_start_s == T_REL_S
    assert hooks.caption == "Springs push the segments apart at 3 cm/s"
    assert minute.t_start_s == T_REL_S + PUSH_S and minute.t_end_s == T_REL_S + 60.0
    assert minute.caption == "One minute later: 1.8 m apart"
    assert orbit.t_end_s == pytest.approx(T_REL_S + PERIOD_S)
    assert orbit.warp == pytest.approx(PERIOD_S / 60.0)  # one orbit per minute of presenting
    assert orbit.caption.startswith("One orbit later: 167 m apart")
    assert chapters[4].caption.startswith("Clip: ") and "\nPhysics: The springs give only 3 cm/s" in chapters[4].caption
    for c in chapters:
        assert c.t_start_s < c.t_end_s


def test_chapter_captions_never_state_a_number_before_the_run_reaches_it(chapters):
    """'One minute later: 1.8 m apart' appears when the playhead reaches release + 60 s, not when the chapter
    opens; a clip-vs-physics step shows the clip's side first, the physics once it is true."""
    p = Presenter(chapters)
    minute = chapters.index(next(c for c in chapters if c.title == "The first minute"))
    p.goto(minute)
    assert p.view().caption == ""
    p.advance(1e6)                                     # hold at the chapter's end: release + 60 s
    assert p.view().caption == "One minute later: 1.8 m apart"
    step = next(i for i, c in enumerate(chapters) if c.title == "The clip vs physics")
    p.goto(step)
    assert p.view().caption.startswith("Clip: ") and "Physics" not in p.view().caption
    p.advance(1e6)
    assert "\nPhysics: " in p.view().caption
    p.goto(0)
    assert p.view().caption.startswith("One station")   # true from the start


def test_short_run_has_fewer_chapters():
    titles = [c.title for c in chapters_for(SyntheticTrajectory(t_end_s=40.0))]
    assert titles == ["Docked", "Hooks open", "The clip vs physics", "The clip vs physics", "Would the US segment fall?"]


def test_no_release_gives_one_chapter():
    t = SyntheticTrajectory()
    t.events = ()
    (only,) = chapters_for(t)
    assert only.t_start_s == 0.0 and only.t_end_s == t.t_s[-1]


CH = (Chapter("a", 0.0, 10.0, "wide", "A"), Chapter("b", 10.0, 100.0, "chase", "B", warp=10.0),
      Chapter("c", 100.0, 200.0, "far", "C"))


@pytest.mark.parametrize("key", ["page_down", "arrow_right", "n", "arrow_down", "enter"])
def test_next_keys(key):
    p = Presenter(CH)
    assert p.handle_key(key) == "next_chapter" and p.index == 1 and p.t_s == 10.0


@pytest.mark.parametrize("key", ["page_up", "arrow_left", "backspace", "p"])
def test_prev_keys(key):
    p = Presenter(CH, index=2)
    assert p.handle_key(key) == "prev_chapter" and p.index == 1 and p.t_s == 10.0


def test_prev_restarts_a_chapter_that_has_played_as_in_the_app():
    """The app's previous-chapter key goes to the start of the chapter the playhead is in; so does the
    presenter's once the chapter has played a second (a second press then goes back one)."""
    p = Presenter(CH, index=1)
    p.advance(3.0)
    assert p.handle_key("page_up") == "prev_chapter" and p.index == 1 and p.t_s == 10.0
    assert p.handle_key("page_up") == "prev_chapter" and p.index == 0


def test_space_pauses_and_plays_as_in_the_app():
    p = Presenter(CH, index=1)
    assert p.handle_key("space") == "play" and not p.view().playing
    p.advance(2.0)
    assert p.t_s == 10.0                  # paused: time stands still
    p.handle_key("space")
    assert p.advance(1.0) == 20.0


def test_navigation_stops_at_both_ends():
    p = Presenter(CH)
    p.handle_key("page_up")
    assert p.index == 0
    for _ in range(5):
        p.handle_key("page_down")
    assert p.index == 2
    p.handle_key("home")
    assert p.index == 0
    p.handle_key("end")
    assert p.index == 2


def test_playback_inside_a_chapter_holds_at_its_end():
    p = Presenter(CH, index=1)
    assert p.advance(2.0) == 30.0  # warp 10
    p.advance(100.0)
    assert p.t_s == 100.0  # held at the end, not spilling into the next chapter
    assert p.handle_key("r") == "reverse"   # R reverses, as in the app: the chapter plays backwards
    assert p.advance(2.0) == 80.0
    p.advance(100.0)
    assert p.t_s == 10.0   # held at its start
    p.handle_key("r")
    assert p.advance(1.0) == 20.0


def test_clean_and_black_views():
    p = Presenter(CH)
    assert p.view().show_text and not p.view().black
    p.handle_key("c")
    assert not p.view().show_text
    p.handle_key("c")
    p.handle_key("h")
    p.handle_key("b")
    v = p.view()
    assert v.black and not v.show_text and not v.help   # black hides all text, even outside the clean view
    p.advance(5.0)
    assert p.t_s == 0.0  # time stands still behind a black screen
    p.handle_key(".")
    assert not p.view().black
    p.handle_key("b")
    p.handle_key("page_down")  # moving on lifts the black screen
    assert not p.view().black and p.view().title == "b" and p.view().camera == "chase"


def test_unknown_and_quit_keys():
    p = Presenter(CH)
    assert p.handle_key("f7") == "none" and p.index == 0
    assert p.handle_key("escape") == "quit" and p.quit
    assert len(set(all_keys())) == len(all_keys())  # no key does two things


def test_big_distance_line():
    t = SyntheticTrajectory()
    assert describe_distance(t, T_REL_S - 1) == ""
    assert describe_distance(t, T_REL_S + 60.0) == "Apart: 1.8 m"


def test_present_without_a_display_says_so_in_one_line(monkeypatch, capsys):
    import main

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main.main(["present"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no display") and "record" in err and "\n" not in err


def test_chapters_fast_forward_the_night_side_as_record_does():
    """One eclipse rule for the video and the lesson (render/storytime.py): a chapter crossing the night
    side spends DARK_VIDEO_S of presenting in it, with the fast-forward note on screen; eclipse="show"
    plays it at the chapter's warp."""
    from render.storytime import DARK_VIDEO_S, FF_NOTE, chapter_timemap, story_timemap
    from render.timemap import parse_timemap
    from scenario.daylight import dark_spans
    traj = SyntheticTrajectory()
    (a, b), = dark_spans(traj, float(traj.t_s[0]), float(traj.t_s[-1]))
    skip = chapters_for(traj)
    orbit = next(c for c in skip if c.title == "One orbit")
    assert orbit.t_start_s < a < b < orbit.t_end_s

    def wall_in_dark(chapter, dt=0.02):
        p = Presenter((chapter,))
        wall, notes = 0.0, set()
        while p.t_s < chapter.t_end_s:
            before = p.t_s
            p.advance(dt)
            if a <= before < b:
                wall += dt
                notes.add(p.view().note)
        return wall, notes

    wall, notes = wall_in_dark(orbit)
    assert wall == pytest.approx(DARK_VIDEO_S, abs=0.05) and notes == {FF_NOTE}
    shown = next(c for c in chapters_for(traj, eclipse="show") if c.title == "One orbit")
    wall, notes = wall_in_dark(shown)
    assert wall == pytest.approx((b - a) / orbit.warp, abs=0.05) and notes == {""}
    # the same crossing as the lesson's video: its map spends DARK_VIDEO_S in the same span
    video, _ = story_timemap(parse_timemap("ramp", orbit.t_start_s, orbit_period_s=PERIOD_S), orbit.t_end_s,
                             (), [(a, b)], "skip")
    chapter = chapter_timemap(orbit.t_start_s, orbit.t_end_s, orbit.warp, [(a, b)])
    for m in (video, chapter):
        assert m.video_time(b) - m.video_time(a) == pytest.approx(DARK_VIDEO_S, rel=1e-6)


def test_a_chapter_in_daylight_plays_at_its_warp():
    docked = chapters_for(SyntheticTrajectory())[0]
    p = Presenter((docked,))
    assert p.advance(2.0) == pytest.approx(docked.t_start_s + 2.0 * docked.warp, abs=1e-9)
    assert p.view().note == ""
