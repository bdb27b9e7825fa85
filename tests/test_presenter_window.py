"""The presenter window in an offscreen buffer: keys sent as Panda3D events change what is drawn."""
from __future__ import annotations

import numpy as np
import pytest

W, H = 192, 108


@pytest.fixture(scope="module")
def window():
    from fakes import DemoTrajectory, demo_model
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


def text_nodes_shown(base) -> list[str]:
    """Every TextNode under render2d and render that would be drawn (no hidden node on its path)."""
    shown = []
    for root in (base.render2d, base.render):
        for np_ in root.find_all_matches("**/+TextNode"):
            if not np_.is_hidden() and np_.node().get_text().strip():
                shown.append(np_.node().get_text())
    return shown


class FakeFate:
    """A finished render.fate.FateJob: a two-segment answer and its panel image."""

    def __init__(self):
        from render.fate import FateAnswer
        from render.fate_panel import panel_rgba
        days = np.linspace(0.0, 500.0, 60)
        alt = np.stack([418.0 - 0.03 * days, 418.0 - 0.6 * days], -1)
        alt[days > 456.0, 1] = np.nan
        self.answer = FateAnswer("decay-no-reboost", "2022-03-05T13:57:00Z", ("ROS", "USOS"), days, alt,
                                 {"ROS": None, "USOS": 456.0}, {"ROS": None, "USOS": "2023-06-04 10:24 UTC"},
                                 500.0, 120.0, ("Assumes: test", "Solar activity: test"))
        self.panel, self.error, self.progress = panel_rgba(self.answer, (300, 175)), None, 1.0

    def done(self):
        return True


def test_black_hides_every_text_node_and_the_last_chapter_shows_the_answer(window):
    from direct.showbase.MessengerGlobal import messenger

    base, win = window
    win.fate_job = FakeFate()
    messenger.send("end")                           # the last chapter: "Would the US segment fall?"
    img = frame(base, win)
    assert win.presenter.chapter.fate and "US segment falls on 4 June 2023" in win.caption.getText()
    assert win.panel is not None and not win.panel.is_hidden()
    messenger.send("h")
    frame(base, win, dt=0.0)
    assert not win.help_frame.is_hidden() and text_nodes_shown(base)
    messenger.send("b")
    black = frame(base, win, dt=0.0)
    assert text_nodes_shown(base) == [] and win.panel.is_hidden() and win.help_frame.is_hidden()
    assert black.max() == 0
    messenger.send("b")
    frame(base, win, dt=0.0)
    messenger.send("h")
    assert frame(base, win, dt=0.0).std() > 10 and img.std() > 10
    messenger.send("home")
