"""What the lesson says, and when: one 'apart' everywhere, captions only while true, no long dark.

Runs the bundled clip-2022 scenario once (~10 s) and checks the default video's plan analytically
(time map, eclipse predicate, caption windows), plus a few small rendered and decoded frames.
"""
from __future__ import annotations

import argparse
import re
from dataclasses import replace

import imageio_ffmpeg
import numpy as np
import pytest

from cli import record_cmd as rc
from render import exportplan as ep
from render.timemap import ProfileTimeMap

W, H = 320, 180
BRIGHTNESS_FLOOR = 20.0


def options(tmp_path, *extra, out="x.mp4"):
    p = argparse.ArgumentParser()
    rc.add_arguments(p)
    return rc.check_options(p.parse_args(["--out", str(tmp_path / out), "--size", f"{W}x{H}", *extra]))


@pytest.fixture(scope="module")
def clip():
    import scenario
    sc = scenario.load("clip-2022")
    return sc, scenario.run(sc, engine="python")


def test_profile_timemap_matches_quadrature_and_inverts():
    tm = ProfileTimeMap([0.0, 10.0, 200.0, 300.0], [1.0, 1.0, 90.0, 2.0])
    t = np.linspace(0.0, 300.0, 300001)
    r = np.interp(t, tm.t_knots_s, tm.rate_knots)
    tau_num = np.concatenate([[0.0], np.cumsum(0.5 * (1 / r[1:] + 1 / r[:-1]) * np.diff(t))])
    for k in (1000, 50000, 150000, 250000, 300000):
        assert tm.video_time(t[k]) == pytest.approx(tau_num[k], abs=1e-6)
        assert tm.sim_time(tm.video_time(t[k])) == pytest.approx(t[k], abs=1e-7)
    assert tm.rate_at(tm.video_time(250.0)) == pytest.approx(46.0, rel=1e-9)
    taus = np.linspace(0, tm.video_time(300.0), 500)
    assert np.all(np.diff([tm.sim_time(x) for x in taus]) > 0)


def test_default_video_spends_under_3_s_in_the_dark(clip, tmp_path):
    """The bundled default (no flags) and the captioned lesson: the frames the eclipse predicate calls
    dark take < 3 s of video; the first frames past each edge of the span are lit (rendered, decoded)."""
    from render.storytime import dark_video_s
    sc, traj = clip
    plan = ep.plan_frames(traj, options(tmp_path))
    assert plan.dark and max(dark_video_s(plan.timemap, plan.dark)) < 3.0
    for extra in (("--captions",), ("--captions", "--compare")):
        p = ep.plan_frames(traj, options(tmp_path, *extra))
        assert max(dark_video_s(p.timemap, p.dark)) < 3.0
    (a, b), tm = plan.dark[0], plan.timemap
    assert "fast-forward" in " ".join(tm.notes_at(tm.video_time(0.5 * (a + b))))
    from render.offscreen import OffscreenRenderer, to_rgb
    model = rc.model_for(sc)
    renderer = OffscreenRenderer(traj, model, size=(W, H), shadows=False)
    try:
        camera = ep.make_camera(traj, model, "path")
        for t in (a - 5.0, b + 5.0, a - 200.0, b + 200.0):
            img = to_rgb(renderer.render_raw(t, camera(t))) if hasattr(renderer, "render_raw") else renderer.render(t, camera(t))
            assert img.mean() >= BRIGHTNESS_FLOOR, t
    finally:
        renderer.close()


NUMBER = re.compile(r"(\d[\d.,]*\s(?:cm|m|km))\sapart")


def test_caption_numbers_match_the_hud_at_every_frame(clip, tmp_path):
    """At every frame of the captioned lesson, a caption's distance is the HUD's 'Apart' and a
    caption's push speed is the HUD's speed, in the same rounding."""
    from render.burnin import Hud, caption_schedule, scheduled_caption
    _, traj = clip
    plan = ep.plan_frames(traj, options(tmp_path, "--captions", "--fps", "10"))
    sched = caption_schedule(plan.captions, plan.timemap.video_time, video_end_s=float(plan.tau_s[-1]))
    assert {c.kind for _, _, c in sched} >= {"release", "push", "minute", "range", "orbit"}
    hud, checked = Hud(traj), 0
    for tau, t in zip(plan.tau_s, plan.t_s):
        cap, alpha = scheduled_caption(sched, float(tau))
        if cap is None:
            continue
        hud_text = " ".join(hud.lines(float(t)))
        m = NUMBER.search(cap.text)
        if m:
            assert f"Apart: {m.group(1)}," in hud_text, (cap.text, hud_text)
            checked += 1
        if cap.kind == "push":
            speed = re.search(r"at (\S+ cm/s)", cap.text).group(1)
            assert f"separating at {speed}" in hud_text
    assert checked > 50


def test_final_caption_fully_visible_for_8_s_in_the_decoded_video(clip, tmp_path):
    """A short export around the one-orbit caption (the lesson's last), decoded: its text is on
    screen, unchanged, for >= 8 s up to the last frame."""
    from render.captions import one_orbit_after_release
    sc, traj = clip
    t_orbit = one_orbit_after_release(traj)
    model = rc.model_for(sc)
    frames = {}
    for name, extra in (("plain", ()), ("cap", ("--captions",))):
        o = options(tmp_path, "--fps", "4", "--start", f"{t_orbit - 8:.3f}", *extra, out=f"{name}.mp4")
        plan = ep.plan_frames(traj, replace(o, captions=True))       # same frame times for both
        rc.export(traj, model, o, progress=False, plan=plan)
        gen = imageio_ffmpeg.read_frames(str(o.out))
        next(gen)
        frames[name] = [np.frombuffer(b, np.uint8).reshape(H, W, 3).astype(int) for b in gen]
    assert len(frames["plain"]) == len(frames["cap"]) == len(plan.t_s)
    band = slice(int(H * 0.62), int(H * 0.95))
    on = [np.abs(a[band] - b[band]).sum(-1).__gt__(60).mean() > 0.03 for a, b in zip(frames["plain"], frames["cap"])]
    run = 0
    for flag in reversed(on):                     # the caption holds to the last frame
        if not flag:
            break
        run += 1
    full = [np.abs(frames["cap"][-1][band] - f[band]).mean() < 4 for f in frames["cap"][-run:]]
    assert run / 4.0 >= 8.5 and sum(full) / 4.0 >= 8.0


def test_simulate_prints_the_hud_apart(clip):
    """`simulate`'s 'apart' one orbit after the hooks opened is the HUD's line at that moment."""
    from cli.simulate_cmd import summary_lines
    from render.burnin import Hud
    from render.captions import one_orbit_after_release
    sc, traj = clip
    t_orbit = one_orbit_after_release(traj)
    text = "\n".join(summary_lines(sc, traj, 1.0))
    hud = next(line for line in Hud(traj).lines(t_orbit) if line.startswith("Apart:"))
    assert f"apart {hud[len('Apart: '):]}" in text
    assert "centre-to-centre range" in text and "later: range" not in text


class Shifted:
    """The clip's trajectory with the release event moved to time t (for the eclipse warning)."""

    def __init__(self, traj, t_s):
        self._traj = traj
        self.events = tuple(replace(e, t_s=t_s) if e.kind == "release" else e for e in traj.events)

    def __getattr__(self, name):
        return getattr(self._traj, name)


def test_warning_for_a_release_in_the_dark(clip):
    from scenario.daylight import eclipse_warning, next_sunrise
    _, traj = clip
    assert eclipse_warning(traj) is None                    # the bundled lesson opens in sunlight
    note = eclipse_warning(Shifted(traj, 3000.0), "my.toml")
    rise = next_sunrise(traj, 3000.0)
    assert 4200.0 < rise < 4350.0                           # scenario comment: full sun again 13:51:20
    assert note.startswith("my.toml: ") and "shadow" in note and "sunrise" in note and "\n" not in note


def test_presenter_caption_matches_its_big_number_where_each_chapter_holds(clip):
    """A chapter holds on its last frame: the distance in its caption is the big 'Apart' number there."""
    from render.presenter import chapters_for, describe_distance
    _, traj = clip
    checked = 0
    for ch in chapters_for(traj):
        m = NUMBER.search(ch.caption_at(ch.t_end_s))
        if m and "One station" not in ch.caption:
            assert describe_distance(traj, ch.t_end_s) == f"Apart: {m.group(1)}", ch
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("extra", [("--captions",), ("--compare",), ("--captions", "--compare")])
def test_every_caption_of_the_lesson_is_shown_while_true(clip, tmp_path, extra):
    """--captions and --compare combine: the lesson's time map leaves time to read every caption inside
    its window (none left out), and the compare steps take the place of captions with the same number."""
    from render.burnin import caption_schedule
    _, traj = clip
    opts = options(tmp_path, *extra)
    plan = ep.plan_frames(traj, opts)
    sched = caption_schedule(plan.captions, plan.timemap.video_time, show_s=ep.caption_show_s(opts),
                             video_end_s=float(plan.tau_s[-1]))
    assert [c for _, _, c in sched] == list(plan.captions)
    for on, off, c in sched:
        assert plan.timemap.sim_time(on) >= c.t_s - 1e-6 and plan.timemap.sim_time(off) <= c.t_end_s + 1e-6
    kinds = [c.kind for c in plan.captions]
    if "--compare" in extra:
        assert kinds.count("compare") == 4 and not {"push", "turn", "minute", "orbit"} & set(kinds)
    if extra == ("--captions", "--compare"):
        assert {"release", "range"} <= set(kinds)


def test_eclipse_mode_with_an_explicit_timemap(clip, tmp_path):
    """--timemap is taken literally: 'skip' cannot apply (one line), 'brighten' still brightens the dark
    frames, and the default there is 'show'."""
    _, traj = clip
    with pytest.raises(rc.RecordError, match="--eclipse"):
        options(tmp_path, "--timemap", "200x", "--eclipse", "skip")
    assert options(tmp_path, "--timemap", "200x").eclipse == "show"
    assert options(tmp_path).eclipse == "skip"
    plan = ep.plan_frames(traj, options(tmp_path, "--timemap", "200x", "--eclipse", "brighten"))
    assert plan.dark and plan.dark[0][0] > 0                  # the dark spans are known: brighten applies
