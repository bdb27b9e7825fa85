"""`record`: options checked before the run, a short real export decoded, determinism, clean failure.

Rendering uses the offscreen renderer on tests/fakes.py's stand-in trajectory and model (not
physics: a fixed-speed drift), so the test needs a second, not a simulation run.
"""
from __future__ import annotations

import argparse
import os

import imageio_ffmpeg
import numpy as np
import pytest

import main
from cli import record_cmd as rc
from render import exportplan as ep

W, H = 96, 54


def options(tmp_path, *extra, out="clip.mp4"):
    p = argparse.ArgumentParser()
    rc.add_arguments(p)
    return rc.check_options(p.parse_args(["--out", str(tmp_path / out), "--size", f"{W}x{H}", *extra]))


@pytest.mark.parametrize("argv, message", [
    (["--size", "4000x2000"], "size: 4000x2000 is outside"),
    (["--size", "641x360"], "must be even"),
    (["--size", "big"], "--size: 'big' is not like 1280x720"),
    (["--camera", "drone"], "--camera: unknown camera 'drone'"),
    (["--camera", "nowhere.toml"], "--camera: nowhere.toml: no such file"),
    (["--timemap", "warp9"], "--timemap: rate 'warp9'"),
    (["--fps", "0"], "--fps: 0 is outside"),
    (["--start", "50", "--end", "20"], "--end: 20 s is not after --start 50 s"),
])
def test_bad_options_are_one_line_errors_before_any_run(tmp_path, capsys, argv, message):
    code = main.main(["record", "no-such-scenario-is-loaded-first", "--out", str(tmp_path / "c.mp4"), *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error: ") and message in err and "\n" not in err


def test_unwritable_output_folder(tmp_path, capsys):
    code = main.main(["record", "--out", str(tmp_path / "missing" / "c.mp4")])
    assert code == 2 and "does not exist" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    code = main.main(["record", "--out", str(tmp_path / "file" / "c.mp4")])
    assert code == 2 and "does not exist" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo():
    from fakes import DemoTrajectory, demo_model
    from render.offscreen import OffscreenRenderer

    traj, model = DemoTrajectory(t_end_s=600.0), demo_model()
    renderer = OffscreenRenderer(traj, model, size=(W, H), shadows=False)
    yield traj, model, renderer
    renderer.close()


def decode(path):
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    return meta, [np.frombuffer(b, np.uint8).reshape(H, W, 3) for b in gen]


def test_short_export_decodes_with_the_planned_frames(tmp_path, demo):
    traj, model, renderer = demo
    opts = options(tmp_path, "--fps", "5", "--start", "58", "--end", "60", "--timemap", "real", "--camera", "wide")
    rc.export(traj, model, opts, renderer=renderer, progress=False)
    meta, frames = decode(opts.out)
    assert len(frames) == 11 and meta["size"] == (W, H) and meta["fps"] == 5  # 2 s at 5 fps, both ends
    assert meta["duration"] == pytest.approx(11 / 5, abs=0.1)
    direct = renderer.render(59.0, "wide").astype(int)  # frame 5 is t = 58 + 5/5 s
    assert np.abs(frames[5].astype(int) - direct).mean() < 6  # same picture, up to H.264 loss
    assert frames[5].std() > 10  # not a blank frame: Earth, stars and station are in it


def test_two_exports_are_byte_identical(tmp_path, demo):
    traj, model, renderer = demo
    a = options(tmp_path, "--fps", "4", "--start", "60", "--end", "62", "--hud", "--captions", out="a.mp4")
    b = options(tmp_path, "--fps", "4", "--start", "60", "--end", "62", "--hud", "--captions", out="b.mp4")
    rc.export(traj, model, a, renderer=renderer, progress=False)
    rc.export(traj, model, b, renderer=renderer, progress=False)
    assert a.out.read_bytes() == b.out.read_bytes()


def test_hud_and_captions_are_burned_in_only_when_asked(tmp_path, demo):
    traj, model, renderer = demo
    plain = options(tmp_path, "--fps", "1", "--start", "61", "--end", "61.5", out="plain")
    burned = options(tmp_path, "--fps", "1", "--start", "61", "--end", "61.5", "--hud", "--captions", out="hud")
    for o in (plain, burned):
        rc.export(traj, model, o, renderer=renderer, progress=False)
    from PIL import Image

    a = np.asarray(Image.open(plain.out / "frame_00000.png")).astype(int)
    b = np.asarray(Image.open(burned.out / "frame_00000.png")).astype(int)
    diff = np.abs(a - b).sum(-1) > 30
    assert diff[: H // 2, : W // 2].mean() > 0.05   # HUD panel, top left
    assert diff[H // 2 :, W // 4 : 3 * W // 4].mean() > 0.02  # "Hooks open" caption, bottom centre


def test_compare_burns_in_the_clip_vs_physics_steps_from_the_run(tmp_path, demo):
    from render.captions import clip_vs_physics
    traj, model, renderer = demo
    opts = options(tmp_path, "--fps", "2", "--start", "60", "--end", "70", "--timemap", "real", "--compare",
                   out="cmp")
    plan = ep.plan_frames(traj, opts)
    comp = rc.FrameComposer(renderer, traj, model, opts, plan)
    steps = clip_vs_physics(traj)
    # the video's captions: the steps true inside its 60..70 s
    assert [c.t_s for c in comp.captions] == [s.t_s for s in steps if s.t_s <= 70.0] and len(steps) >= 2
    assert comp.captions[0].text == f"The clip: {steps[0].clip}\nPhysics: {steps[0].physics}"
    t_on = steps[0].t_s                                        # push end: the first step becomes true
    tau = plan.timemap.video_time(t_on) + 1.0
    assert rc.FrameComposer(renderer, traj, model, options(tmp_path, "--fps", "2", "--start", "60", "--end", "70",
                            "--timemap", "real", out="plain2"), plan).schedule == []
    img = comp.finish(np.zeros((H, W, 3), np.uint8), t_on + 1.0, tau, 1.0)
    assert (img[H // 2:, W // 4: 3 * W // 4].sum(-1) > 300).mean() > 0.02    # white caption text, bottom
    before = comp.finish(np.zeros((H, W, 3), np.uint8), t_on - 1.0, tau - 2.0, 1.0)
    assert (before[H // 2:].sum(-1) > 300).mean() == 0.0                    # nothing before it is true


class Crashing:
    """Wraps the renderer and fails on its third frame (like a lost GPU context)."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def render(self, t_s, camera):
        self.calls += 1
        if self.calls == 3:
            raise RuntimeError("render failed")
        return self.inner.render(t_s, camera)


@pytest.mark.parametrize("out", ["clip.mp4", "clip.gif", "frames"])
def test_interrupted_export_leaves_nothing_under_the_final_name(tmp_path, demo, out):
    traj, model, renderer = demo
    opts = options(tmp_path, "--fps", "5", "--start", "58", "--end", "60", out=out)
    with pytest.raises(RuntimeError, match="render failed"):
        rc.export(traj, model, opts, renderer=Crashing(renderer), progress=False)
    assert os.listdir(tmp_path) == []


def test_stills_at_chapter_marks(tmp_path, demo):
    traj, model, renderer = demo
    opts = options(tmp_path, "--fps", "2", "--start", "55", "--end", "125", "--timemap", "20x",
                   "--stills", str(tmp_path / "stills"))
    rc.export(traj, model, opts, renderer=renderer, progress=False)
    names = sorted(os.listdir(tmp_path / "stills"))
    # demo: release 60 s, push end 63 s, one minute at 120 s (docked at 0 s is before the clip)
    assert names == ["still_01_hooks-open.png", "still_02_end-of-push.png", "still_03_one-minute.png"]


def test_time_range_outside_the_run(tmp_path, demo):
    traj, model, renderer = demo
    with pytest.raises(ep.PlanError, match=r"--end: 9000 s is outside the run \(0\.\.600 s\)"):
        rc.export(traj, model, options(tmp_path, "--end", "9000"), renderer=renderer, progress=False)
    assert os.listdir(tmp_path) == []


def test_unknown_scenario_is_a_one_line_error(tmp_path, capsys):
    code = main.main(["record", "no-such-lesson", "--out", str(tmp_path / "c.mp4"), "--size", "64x36"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "no-such-lesson" in err and "\n" not in err
    assert os.listdir(tmp_path) == []


def test_largest_size_is_accepted_and_progress_bar_shows_eta(tmp_path):
    import io

    p = argparse.ArgumentParser()
    rc.add_arguments(p)
    opts = rc.check_options(p.parse_args(["--out", str(tmp_path / "uhd.mp4"), "--size", "3840x2160"]))
    assert opts.size == (3840, 2160) and opts.fmt == "mp4" and not opts.hud and not opts.captions
    stream = io.StringIO()
    bar = rc.ProgressBar(200, "export", stream=stream)
    bar.update(50, force=True)
    text = stream.getvalue()
    assert "export [" in text and "25%" in text and "50/200" in text and "ETA " in text
    bar.finish()
    assert stream.getvalue().endswith("\n") and "100% 200/200" in stream.getvalue()


def test_default_path_camera_falls_back_to_orbit_without_a_split():
    """A run with one docked body and no release (iss-2022-check) has no interface to film: the default
    'path' camera becomes the orbit camera instead of an error after the simulation."""
    from test_render_whole_station import OneBody
    from fakes import DemoTrajectory, demo_model
    one = OneBody(DemoTrajectory(t_end_s=120.0))
    assert ep.camera_source("path", one) == (None, "orbit")
    assert ep.make_camera(one, demo_model(), "path")(10.0) == "orbit"
    two = DemoTrajectory(t_end_s=120.0)
    raw, where = ep.camera_source("path", two)
    assert raw is not None and "roscosmos" in where
