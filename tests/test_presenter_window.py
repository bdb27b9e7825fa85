"""The presenter window in an offscreen buffer: keys sent as Panda3D events change what is drawn."""
from __future__ import annotations

import numpy as np
import pytest

W, H = 192, 108


@pytest.fixture(scope="module")
def window():
    from render.demo import DemoTrajectory, demo_model
    from render.offscreen import offscreen_base
    from render.presenter import Presenter, chapters_for
    from render.presenter_window import PresenterWindow

    traj = DemoTrajectory(t_end_s=600.0)
    base, owned = offscreen_base((W, H))
    win = PresenterWindow(base, traj, demo_model(), Presenter(chapters_for(traj)))
    yield base, win
    win.destroy()
    if owned:
        base.destroy()


def frame(base, win, dt=0.1):
    from render.offscreen import read_rgb

    win.step(dt)
    base.graphicsEngine.render_frame()
    base.graphicsEngine.render_frame()
    return read_rgb(base).astype(int)


def test_keys_drive_chapters_clean_view_and_black_screen(window):
    from direct.showbase.MessengerGlobal import messenger

    base, win = window
    normal = frame(base, win)
    assert normal.std() > 10 and win.presenter.index == 0
    messenger.send("page_down")
    frame(base, win)
    assert win.presenter.index == 1 and win.rig.name == win.presenter.chapter.camera
    with_text = frame(base, win, dt=0.0)
    messenger.send("c")
    clean = frame(base, win, dt=0.0)
    title_area = np.abs(with_text[: H // 5, : W // 2] - clean[: H // 5, : W // 2]).sum(-1) > 60
    assert title_area.mean() > 0.02  # the chapter title was drawn and is gone in the clean view
    messenger.send("b")
    assert frame(base, win).max() == 0  # black screen: every pixel black
    messenger.send(".")
    assert frame(base, win).std() > 10
    messenger.send("page_up")
    frame(base, win)
    assert win.presenter.index == 0
