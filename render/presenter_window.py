"""The presenter window: StationScene + chapter logic (render/presenter.py) + large text.

Works on any ShowBase: a fullscreen window for the classroom, an offscreen buffer in tests.
Text is sized for the back of a classroom: the caption is 1/14 of the screen height (77 px at 1080p).
B (black screen) hides every text node, the labels, the trail and the panel, and covers the scene.
The last chapter ("Would the US segment fall?") lays the long run's altitude panel over the scene
(render/fate_panel.py) once the worker (render/fate.FateJob) has it.
"""
from __future__ import annotations

import numpy as np

from render.presenter import Presenter, all_keys, describe_distance, with_answer
from render.timemap import warp_label

TITLE_SCALE = 0.09  # aspect2d units; the screen is 2 units tall
CAPTION_SCALE = 0.075
NUMBER_SCALE = 0.08
ATTITUDE_SCALE = 0.045  # the attitude lines under the numbers (21 px at 720p, like the chapter counter)
HELP_SCALE = 0.055
PANEL_HEIGHT = 1.15  # aspect2d units: the fate panel covers the upper 58 % of the screen's height


class PresenterWindow:
    def __init__(self, base, traj, model, presenter: Presenter, fate_job=None):
        from render.cameras import CameraRig
        from render.scene import StationScene

        self.base, self.traj, self.presenter, self.fate_job = base, traj, presenter, fate_job
        self.scene = StationScene(base, traj, model)
        port = np.asarray(model.interface.position_m, float)
        self.rig = CameraRig(port_usos_body_m=port - self.scene.com_ssacs.get("USOS", 0.0),
                             port_ros_body_m=port - self.scene.com_ssacs.get("ROS", 0.0))
        self.rig.name = presenter.view().camera
        self._build_text()
        self._build_help()
        self.panel = None
        self.show_labels, self.show_trail = True, True     # present --no-labels / --no-trail
        self._chapter_shown = -1
        for key in all_keys():
            base.accept(key, self.on_key, [key])

    def _text(self, parent, pos, scale, align, wordwrap=28):
        from direct.gui.OnscreenText import OnscreenText

        from render.overlays import font
        return OnscreenText(text="", parent=parent, pos=pos, scale=scale, align=align, font=font(), fg=(1, 1, 1, 1),
                            shadow=(0, 0, 0, 0.9), mayChange=True, wordwrap=wordwrap)

    def _build_text(self) -> None:
        from panda3d.core import CardMaker, TextNode

        b = self.base
        self.title = self._text(b.a2dTopLeft, (0.06, -0.12), TITLE_SCALE, TextNode.A_left)
        self.numbers = self._text(b.a2dTopRight, (-0.06, -0.12), NUMBER_SCALE, TextNode.A_right)
        self.caption = self._text(b.a2dBottomCenter, (0.0, 0.30), CAPTION_SCALE, TextNode.A_center, wordwrap=34)
        self.counter = self._text(b.a2dBottomRight, (-0.06, 0.06), 0.045, TextNode.A_right)
        self.attitude = self._text(b.a2dTopRight, (-0.06, -0.31), ATTITUDE_SCALE, TextNode.A_right, wordwrap=0)
        for t in (self.title, self.numbers, self.caption, self.attitude):   # readable over a white hull (the
            t.textNode.set_card_color(0, 0, 0, 0.55)                        # port camera fills the frame with one)
            t.textNode.set_card_as_margin(0.3, 0.3, 0.15, 0.1)
        cm = CardMaker("black")
        cm.set_frame(-1, 1, -1, 1)
        self.black = b.render2d.attach_new_node(cm.generate())
        self.black.set_color(0, 0, 0, 1)
        self.black.set_bin("fixed", 1000)
        self.black.hide()

    def _build_help(self) -> None:
        """The presenter's key table (render/keys.py, the same table as the app's help)."""
        from direct.gui.DirectGui import DirectFrame
        from panda3d.core import TextNode

        from render.keys import help_columns
        self.help_frame = DirectFrame(parent=self.base.aspect2d, frameColor=(0, 0, 0, 0.8),
                                      frameSize=(-1.7, 1.7, -0.06, 0.8))
        keys, texts = help_columns("presenter")
        for lines, align, x, fg in ((keys, TextNode.A_right, -0.45, (1, 0.85, 0.4, 1)),
                                    (texts, TextNode.A_left, -0.38, (1, 1, 1, 1))):
            t = self._text(self.help_frame, (x, 0.68), HELP_SCALE, align, wordwrap=0)
            t.setFg(fg)
            t.setText("\n".join(lines))
        self.help_frame.hide()

    def text_nodes(self) -> list:
        """Every piece of text this window draws (for B and C)."""
        return [self.title, self.caption, self.numbers, self.counter, self.attitude, self.help_frame] + \
            ([self.panel] if self.panel is not None else [])

    def on_key(self, key: str) -> None:
        if self.presenter.handle_key(key) == "quit":
            self.base.user_exit()

    def step(self, dt_wall_s: float) -> None:
        """Advance the chapter playback and update the scene, camera and text."""
        from render.scenestate import snapshot

        p = self.presenter
        self._poll_fate()
        p.advance(dt_wall_s)
        view = p.view()
        if view.index != self._chapter_shown:
            self._chapter_shown = view.index
            self.rig.select(view.camera)
        snap = snapshot(self.traj, view.t_s)
        self.scene.apply(snap, self.rig.update(snap, dt_wall_s))
        (self.black.show if view.black else self.black.hide)()
        for node in (self.title, self.caption, self.numbers, self.counter, self.attitude):
            # the last chapter is about months and years: no "Apart" of the clip's end beside its plot
            (node.show if view.show_text and not (view.fate and node in (self.numbers, self.attitude)) else node.hide)()
        (self.help_frame.show if view.help else self.help_frame.hide)()
        if self.panel is not None:
            (self.panel.show if view.fate and not view.black and not view.help else self.panel.hide)()
        ov = self.scene.overlays
        for name, wanted in (("labels_root", self.show_labels), ("trail_np", self.show_trail)):
            node = getattr(ov, name, None)
            if node is not None:
                (node.show if view.show_text and wanted else node.hide)()
        self.title.setText(view.title)
        self.caption.setText(self._fate_caption(view))
        self.numbers.setText(f"{describe_distance(self.traj, view.t_s)}\n"
                             f"{view.note or 'Time: ' + warp_label(p.chapter.warp)}")   # fast-forward: night side
        self.counter.setText(f"{view.index + 1} / {view.count}")
        self.attitude.setText(self._attitude_text(view.t_s))

    def _attitude_text(self, t_s: float) -> str:
        """After the hooks open: which attitude each segment flies, a line each (scenario.attitude_text, the
        HUD's words), right-aligned under the numbers, inside the top-right zone the labels keep out of."""
        from render.captions import first_event
        from scenario.attitude_text import attitude_lines
        release = first_event(self.traj, "release")
        if release is None or t_s < float(release.t_s) or len(self.traj.body_names) < 2:
            return ""
        return "\n".join(attitude_lines(self.traj))

    def _fate_caption(self, view) -> str:
        job = self.fate_job
        if view.fate and job is not None and job.error:
            return job.error
        if view.fate and job is not None and not job.done():
            return f"{view.caption}  {100 * job.progress:.0f} %"
        return view.caption

    def _poll_fate(self) -> None:
        """Once the worker has the long-run answer: the chapter's caption and the panel's texture."""
        job = self.fate_job
        if job is None or job.answer is None or self.panel is not None:
            return
        p = self.presenter
        p.chapters = with_answer(p.chapters, self.traj, job.answer)
        if job.panel is not None:
            self.panel = self._panel_card(job.panel)

    def _panel_card(self, rgba: np.ndarray):
        from panda3d.core import CardMaker, Texture, TransparencyAttrib

        h, w = rgba.shape[:2]
        tex = Texture("fate_panel")
        tex.setup_2d_texture(w, h, Texture.T_unsigned_byte, Texture.F_rgba8)
        tex.set_ram_image_as(np.ascontiguousarray(rgba[::-1]).tobytes(), "RGBA")   # Panda's rows: bottom first
        half_h = PANEL_HEIGHT / 2
        half_w = half_h * w / h
        cm = CardMaker("fate_panel")
        cm.set_frame(-half_w, half_w, -half_h, half_h)
        card = self.base.aspect2d.attach_new_node(cm.generate())
        card.set_texture(tex)
        card.set_transparency(TransparencyAttrib.M_alpha)
        card.set_pos(0, 0, 0.98 - half_h - 0.2)          # under the title, above the caption
        card.hide()
        return card

    def task(self, task):
        self.step(self.base.clock.get_dt())
        return task.cont

    def destroy(self) -> None:
        for key in all_keys():
            self.base.ignore(key)
        for node in (self.title, self.caption, self.numbers, self.counter, self.attitude):
            node.destroy()
        self.help_frame.destroy()
        if self.panel is not None:
            self.panel.remove_node()
        self.black.remove_node()
        self.scene.destroy()
