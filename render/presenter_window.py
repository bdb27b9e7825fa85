"""The presenter window: StationScene + chapter logic (render/presenter.py) + large text.

Works on any ShowBase: a fullscreen window for the classroom, an offscreen buffer in tests.
Text is sized for the back of a classroom: the caption is 1/14 of the screen height (77 px at 1080p).
"""
from __future__ import annotations

import numpy as np

from render.presenter import Presenter, all_keys, describe_distance
from render.timemap import warp_label

TITLE_SCALE = 0.09  # aspect2d units; the screen is 2 units tall
CAPTION_SCALE = 0.075
NUMBER_SCALE = 0.08


class PresenterWindow:
    def __init__(self, base, traj, model, presenter: Presenter):
        from render.cameras import CameraRig
        from render.scene import StationScene

        self.base, self.traj, self.presenter = base, traj, presenter
        self.scene = StationScene(base, traj, model)
        port = np.asarray(model.interface.position_m, float)
        self.rig = CameraRig(port_usos_body_m=port - self.scene.com_ssacs.get("USOS", 0.0),
                             port_ros_body_m=port - self.scene.com_ssacs.get("ROS", 0.0))
        self.rig.name = presenter.view().camera
        self._build_text()
        self.show_labels, self.show_trail = True, True     # present --no-labels / --no-trail
        self._chapter_shown = -1
        for key in all_keys():
            base.accept(key, self.on_key, [key])

    def _build_text(self) -> None:
        from direct.gui.OnscreenText import OnscreenText
        from panda3d.core import CardMaker, TextNode

        from render.overlays import font

        b, f = self.base, font()

        def text(parent, pos, scale, align):
            return OnscreenText(text="", parent=parent, pos=pos, scale=scale, align=align, font=f, fg=(1, 1, 1, 1),
                                shadow=(0, 0, 0, 0.9), mayChange=True, wordwrap=28)
        self.title = text(b.a2dTopLeft, (0.06, -0.12), TITLE_SCALE, TextNode.A_left)
        self.numbers = text(b.a2dTopRight, (-0.06, -0.12), NUMBER_SCALE, TextNode.A_right)
        self.caption = text(b.a2dBottomCenter, (0.0, 0.30), CAPTION_SCALE, TextNode.A_center)
        self.counter = text(b.a2dBottomRight, (-0.06, 0.06), 0.045, TextNode.A_right)
        cm = CardMaker("black")
        cm.set_frame(-1, 1, -1, 1)
        self.black = b.render2d.attach_new_node(cm.generate())
        self.black.set_color(0, 0, 0, 1)
        self.black.set_bin("fixed", 1000)
        self.black.hide()

    def on_key(self, key: str) -> None:
        if self.presenter.handle_key(key) == "quit":
            self.base.user_exit()

    def step(self, dt_wall_s: float) -> None:
        """Advance the chapter playback and update the scene, camera and text."""
        from render.scenestate import snapshot

        p = self.presenter
        p.advance(dt_wall_s)
        view = p.view()
        if view.index != self._chapter_shown:
            self._chapter_shown = view.index
            self.rig.select(view.camera)
        snap = snapshot(self.traj, view.t_s)
        self.scene.apply(snap, self.rig.update(snap, dt_wall_s))
        (self.black.show if view.black else self.black.hide)()
        for node in (self.title, self.caption, self.numbers, self.counter):
            (node.show if view.show_text else node.hide)()
        ov = self.scene.overlays
        for name, wanted in (("labels_root", self.show_labels), ("trail_np", self.show_trail)):
            node = getattr(ov, name, None)
            if node is not None:
                (node.show if view.show_text and wanted else node.hide)()
        self.title.setText(view.title)
        self.caption.setText(view.caption)
        self.numbers.setText(f"{describe_distance(self.traj, view.t_s)}\nTime: {warp_label(p.chapter.warp)}")
        self.counter.setText(f"{view.index + 1} / {view.count}")

    def task(self, task):
        self.step(self.base.clock.get_dt())
        return task.cont

    def destroy(self) -> None:
        for key in all_keys():
            self.base.ignore(key)
        for node in (self.title, self.caption, self.numbers, self.counter):
            node.destroy()
        self.black.remove_node()
        self.scene.destroy()
