"""`python main.py present [SCENARIO]`: fullscreen presenter mode with chapters.

Keys: render/keys.py, the same table as the app's (H shows it): PageDown / N / Right / Down / Enter:
next chapter (clickers send these); PageUp / P / Left / Up / Backspace: the chapter's start, then the
previous one; Space: play / pause; R: play backwards / forwards; Home / End: first / last chapter;
C: clean view (no text, labels or trail); B or '.': black screen, all text hidden; Esc or Q: quit.
The last chapter answers "Would the US segment fall?" from the long run, computed on a worker
thread while the first chapters play (render/fate.py).
"""
from __future__ import annotations

import argparse
import sys


class PresentError(Exception):
    is_user_error = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")
    parser.add_argument("--windowed", action="store_true", help="a 1280x720 window instead of fullscreen")
    parser.add_argument("--chapter", type=int, default=1, help="start at this chapter (1 = first)")
    parser.add_argument("--list", action="store_true", help="print the chapters and exit (no window)")
    parser.add_argument("--no-labels", action="store_true", help="no segment labels, flight arrow or scale bar")
    parser.add_argument("--no-trail", action="store_true", help="no relative trail of the Russian segment")
    parser.add_argument("--tint", action="store_true", help="mark the Russian segment in orange")
    parser.add_argument("--eclipse", choices=("skip", "show"), default="skip",
                        help="the night side: 'skip' (default) fast-forwards it in 2 s as record does, with "
                             "'fast-forward: night side' on screen; 'show' plays it at the chapter's speed")


def prc(windowed: bool) -> str:
    size = "win-size 1280 720\nfullscreen false\n" if windowed else "fullscreen true\n"
    return ("window-title ISS separation: presenter\naudio-library-name null\nsync-video true\n"
            "notify-level-device fatal\nprint-pipe-types false\n" + size)


def load_run(name: str):
    import scenario
    from cli.record_cmd import ProgressBar
    from render.loading import model_for

    sc = scenario.load(name)
    bar = ProgressBar(1000, "simulate")
    traj = getattr(scenario, "playback_trajectory", scenario.run)(sc, progress=lambda f: bar.update(int(1000 * min(max(f, 0.0), 1.0))))
    bar.finish()
    return traj, model_for(sc)


def run(args: argparse.Namespace) -> int:
    from render.presenter import Presenter, chapters_for

    if not args.list:
        from render.app import NO_DISPLAY_MESSAGE, has_display

        if not has_display():
            raise PresentError(NO_DISPLAY_MESSAGE)
    if args.chapter < 1:                    # the upper bound needs the chapters (after the run)
        raise PresentError(f"--chapter: {args.chapter} is outside 1..(number of chapters)")
    traj, model = load_run(args.scenario)
    from scenario.daylight import eclipse_warning
    note = eclipse_warning(traj, args.scenario)
    if note:
        print(note, file=sys.stderr)
    chapters = chapters_for(traj, eclipse=args.eclipse)
    if not 1 <= args.chapter <= len(chapters):
        raise PresentError(f"--chapter: {args.chapter} is outside 1..{len(chapters)}")
    from render.fate import FateJob, fate_scenario
    fate = FateJob(fate_scenario(args.scenario), panel_px=None if args.list else (1200, 700)).start()
    if args.list:
        from render.presenter import with_answer
        fate.wait()
        chapters = with_answer(chapters, traj, fate.answer) if fate.answer is not None else chapters
        for i, c in enumerate(chapters, 1):
            print(f"{i:2d}. {c.title:<22} t = {c.t_start_s:9.1f} .. {c.t_end_s:9.1f} s  "
                  f"x{c.warp:<6.3g} {c.camera:<8} {c.caption.replace(chr(10), ' / ')}")
        return 0
    from panda3d.core import loadPrcFileData

    loadPrcFileData("present", prc(args.windowed))
    from direct.showbase.ShowBase import ShowBase

    from render.presenter_window import PresenterWindow

    base = ShowBase()
    if base.win is None:
        print("error: could not open a window", file=sys.stderr)
        return 2
    base.disable_mouse()
    window = PresenterWindow(base, traj, model, Presenter(chapters, index=args.chapter - 1), fate_job=fate)
    window.show_labels, window.show_trail = not args.no_labels, not args.no_trail
    window.scene.overlays.set_tint(args.tint)
    base.task_mgr.add(window.task, "presenter", sort=5)
    try:
        base.run()
    except SystemExit:
        pass
    return 0
