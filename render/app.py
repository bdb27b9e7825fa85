"""The desktop app: a window that plays a scenario's trajectory (StationScene + cameras + timeline + HUD)."""
from __future__ import annotations

import datetime as dt
import os
import sys
import time

import numpy as np
from panda3d.core import TextNode, WindowProperties, loadPrcFileData

from render import keys as keymap
from render.cameras import CAMERAS, CameraRig
from render.playback import Playback
from render.scenestate import placeholder_snapshot, snapshot
from render.telemetry import hud_lines, telemetry
from render.timeline import compute_note

PRC_WINDOW = """
window-title ISS separation: what if the Russian segment undocked?
win-size 1280 720
sync-video true
audio-library-name null
notify-level-device fatal
print-pipe-types false
framebuffer-multisample 0
"""
_IMPORTED = time.perf_counter()
TEXT_SCALE = 0.05         # aspect2d units (screen height = 2): ~27 px at 1080p, readable across a classroom


def set_text(widget, text: str) -> None:
    """OnscreenText.setText rebuilds the text's glyph geometry even for the same string: only on a change."""
    if widget.getText() != text:
        widget.setText(text)


def has_display() -> bool:
    """A window needs an X11/Wayland display on Linux; macOS and Windows always have one."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def default_render_scale(base) -> float:
    """Full resolution by default. On llvmpipe 0.6 did not give a reproducible gain at 1280x720 in a window
    (the machine's load dominated; see docs/render.md), so lower scales are opt-in (--render-scale)."""
    return 1.0


def seconds_since_launch() -> float:
    """Wall time since this process started (Linux /proc; time since importing this module elsewhere)."""
    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime_s = float(fh.read().split()[0])
        return uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


NO_DISPLAY_MESSAGE = ("no display: the app needs a window; render offscreen instead with "
                      "`python main.py screenshot [SCENARIO] --time T --camera NAME --out F.png` "
                      "(or `python main.py record ...` for a video)")


def launch(scenario_name: str, render_scale: float | None = None) -> int:
    """Open the window and run until it is closed. Returns the exit code."""
    import scenario
    from render.loading import ModelLoader, SimulationJob
    sc = scenario.load(scenario_name)          # a bad name/file fails here, in one line, before any window
    job = SimulationJob(scenario_name)         # start computing before the window opens
    loader = ModelLoader(sc, start=False)      # the station meshes: built once the first frame is up
    loadPrcFileData("render.app", PRC_WINDOW)
    if os.environ.get("ISS_APP_PRC"):          # extra Panda3D settings (benchmarks: window size, no vsync)
        loadPrcFileData("env", os.environ["ISS_APP_PRC"].replace(";", "\n"))
    try:
        app = App(sc, loader, job, render_scale)
    except Exception as exc:  # the window could not open (no GL, no display)
        job.stop()
        print(f"{NO_DISPLAY_MESSAGE} [{exc}]", file=sys.stderr)
        return 2
    try:
        app.run()
    except SystemExit:
        pass
    finally:
        job.stop()
    return 0


BAND_HALF_W, BAND_Z = 1.2, (0.042, 0.054)     # the computed-span strip, just under the slider (a2d units)


class App:
    def __init__(self, sc, loader, job, render_scale: float | None = None):
        from direct.showbase.ShowBase import ShowBase
        self.base = base = ShowBase()
        if base.win is None:
            raise RuntimeError("no window")
        base.disable_mouse()
        self.sc, self.loader, self.job, self.traj = sc, loader, job, None
        self.model, self.scene = None, None     # built when the loader thread is done
        self._exit_after_first = os.environ.get("ISS_APP_EXIT_AFTER_FIRST_FRAME") == "1"
        self._bench_fps = os.environ.get("ISS_APP_BENCH_FPS") == "1"   # benchmark hook: fps once playing
        # benchmark hook: print when the first frame with the station playing is drawn, then quit
        self._exit_after_playing = os.environ.get("ISS_APP_EXIT_AFTER_PLAYING") == "1"
        self._playing_frames = 0
        self._bench = None
        # docs hook: ISS_APP_SCREENSHOT=out.png saves the window 3 s (ISS_APP_SHOT_DELAY_S) after the first
        # run (partial or full) is in, then quits
        self._shot, self._shot_t = os.environ.get("ISS_APP_SCREENSHOT"), None
        self.rig = CameraRig()
        self.render_scale = render_scale if render_scale is not None else default_render_scale(base)
        self.target = self._make_scaled_target() if self.render_scale < 0.999 else None
        base.win.set_clear_color((0, 0, 0, 1))
        self.playback = Playback(float(sc.time.get("duration_s", 1.0)))   # time, speed, scrub, chapters
        self.status = "simulating ..."
        self.show_help, self.clean, self.trail_on, self.tint_on = False, False, True, False
        self.label_mode = 1        # L: segments (1) / segments and modules (2) / none (0)
        self.technical = False     # I: the technical HUD (port gap, centre-to-centre, LVLH spins, loads)
        self._drag = None
        self._build_gui()
        for events, action, _ in keymap.KEYS:
            for ev in events:
                base.accept(ev, getattr(self, f"key_{action}"))
        base.accept("mouse1", self._drag_start); base.accept("mouse1-up", self._drag_stop)
        base.accept("wheel_up", self.rig.orbit.zoom, [0.85]); base.accept("wheel_down", self.rig.orbit.zoom, [1.18])
        base.accept("window-event", self._on_window_event)
        base.task_mgr.add(self._frame_task, "iss-frame", sort=5)

    def run(self) -> None:
        self.base.run()

    @property
    def timeline(self):
        return self.playback.timeline

    def _set_ports(self) -> None:
        """The docking port in each segment's body frame: from_us and port cameras aim at it."""
        p = np.asarray(self.model.interface.position_m, float)
        self.rig.port_usos_body_m = p - self.scene.com_ssacs.get("USOS", 0.0)
        self.rig.port_ros_body_m = p - self.scene.com_ssacs.get("ROS", 0.0)

    # ----------------------------------------------------------------- GUI
    def _build_gui(self) -> None:
        from direct.gui.DirectGui import DirectSlider
        from direct.gui.OnscreenText import OnscreenText
        from render.overlays import font
        b, f = self.base, font()

        def text(parent, pos, align, scale=TEXT_SCALE, fg=(1, 1, 1, 1)):
            return OnscreenText(text="", parent=parent, pos=pos, scale=scale, align=align, fg=fg,
                                shadow=(0, 0, 0, 0.9), font=f, mayChange=True)
        self.hud = text(b.a2dTopLeft, (0.05, -0.08), TextNode.A_left)
        self.status_text = text(b.a2dTopRight, (-0.05, -0.08), TextNode.A_right, fg=(1, 0.85, 0.4, 1))
        self.center_text = text(b.aspect2d, (0, 0.1), TextNode.A_center, scale=0.07, fg=(1, 0.85, 0.4, 1))
        from direct.gui.DirectGui import DirectFrame
        self.help_frame = DirectFrame(parent=b.aspect2d, frameColor=(0, 0, 0, 0.78), frameSize=(-1.45, 1.45, -0.78, 0.86))
        keys, texts = keymap.help_columns()
        for col, lines, align, x in ((0, keys, TextNode.A_right, -0.5), (1, texts, TextNode.A_left, -0.42)):
            t = OnscreenText(text="\n".join(lines), parent=self.help_frame, pos=(x, 0.76), scale=0.056,
                             align=align, fg=(1, 0.85, 0.4, 1) if col == 0 else (1, 1, 1, 1), font=f)
        self.help_frame.hide()
        self.chapter_text = text(b.a2dBottomCenter, (0, 0.2), TextNode.A_center, scale=0.04, fg=(0.8, 0.9, 1, 1))
        self.slider = DirectSlider(parent=b.a2dBottomCenter, range=(0, 1), value=0, pageSize=0.05,
                                   pos=(0, 0, 0.1), scale=(1.2, 1, 0.5), command=self._on_slider)
        # while the worker computes: a strip under the slider, light over the computed part, and a note
        self.band_todo = DirectFrame(parent=b.a2dBottomCenter, frameColor=(0.35, 0.35, 0.4, 0.8),
                                     frameSize=(-BAND_HALF_W, BAND_HALF_W, BAND_Z[0], BAND_Z[1]))
        self.band_done = DirectFrame(parent=b.a2dBottomCenter, frameColor=(0.6, 0.85, 1.0, 0.95),
                                     frameSize=(-BAND_HALF_W, -BAND_HALF_W, BAND_Z[0], BAND_Z[1]))
        self.compute_text = text(b.a2dBottomCenter, (BAND_HALF_W, 0.012), TextNode.A_right, scale=0.035,
                                 fg=(0.6, 0.85, 1.0, 1))
        self._band_f = 0.0

    def _update_gui(self, snap) -> None:
        tl = self.timeline
        if self.traj is not None and self.scene is not None:
            set_text(self.hud, "\n".join(hud_lines(telemetry(self.traj, tl.t_s), technical=self.technical)))
        set_text(self.status_text, f"{self.sc.title}\n{self.playback.state_text()}   camera {self.rig.name}\n"
                                 f"{self.status}\nH: help")
        set_text(self.chapter_text, self.playback.chapter_strip())
        self._update_band(tl)
        (self.help_frame.show if self.show_help else self.help_frame.hide)()
        for w in (self.hud, self.status_text):      # the help panel covers their corners: one or the other
            (w.hide if self.show_help else w.show)()
        value = self.playback.slider_value(float(self.slider["value"]))
        if value is not None:
            self.slider["value"] = value

    def _update_band(self, tl) -> None:
        """The computed part of the run as a light strip under the slider, and 'computing ... 35 %'."""
        note = compute_note(tl, self.job.progress if self.job is not None else None, self.traj is not None)
        for w in (self.band_todo, self.band_done, self.compute_text):
            (w.show if note else w.hide)()
        set_text(self.compute_text, note)
        f = tl.computed_fraction() if self.traj is not None else 0.0
        if note and abs(f - self._band_f) > 1e-4:      # a new frameSize rebuilds the card: only on change
            self._band_f = f
            self.band_done["frameSize"] = (-BAND_HALF_W, -BAND_HALF_W + 2 * BAND_HALF_W * f, BAND_Z[0], BAND_Z[1])

    # ----------------------------------------------------------------- per frame
    def _frame_task(self, task):
        if self.target is not None:
            self._fit_scaled_card()
        if self._exit_after_first and task.frame >= 1:   # benchmark hook: frame 0 has been drawn
            print(f"first frame {seconds_since_launch():.2f} s after launch", flush=True)
            self.key_quit()
        if self.scene is None:
            self._poll_loader()
            if self.scene is None:
                self._update_gui(None)
                return task.cont
        self._poll_job()
        if self._exit_after_playing:
            self._playing_tick()
        if self._bench_fps and self.traj is not None:
            self._bench_tick()
        if self._shot and self.traj is not None:
            self._shot_tick()
        dt_s = self.base.clock.get_dt()
        self.playback.advance(dt_s)
        snap = snapshot(self.traj, self.timeline.t_s) if self.traj is not None else placeholder_snapshot(
            self.scene.body_names)
        self._apply_drag()
        pose = self.rig.update(snap, dt_s)
        self.scene.apply(snap, pose)
        if not self.clean:
            self._update_gui(snap)
        return task.cont

    def _playing_tick(self) -> None:
        """Frame n (n >= 1) with a trajectory and the playhead moving: frame n-1 has been drawn playing."""
        if self.traj is None or not self.timeline.playing:
            return
        self._playing_frames += 1
        if self._playing_frames >= 2:
            print(f"first playing frame {seconds_since_launch():.2f} s after launch "
                  f"(t = {self.timeline.t_s:.1f} s, computed to {self.timeline.limit_s():.0f} s)", flush=True)
            self.key_quit()

    def _shot_tick(self) -> None:
        from panda3d.core import Filename
        now = time.perf_counter()
        if self._shot_t is None:
            self._shot_t = now
            if os.environ.get("ISS_APP_CAMERA"):
                self.rig.select(os.environ["ISS_APP_CAMERA"])
        elif now - self._shot_t > float(os.environ.get("ISS_APP_SHOT_DELAY_S", "3")):
            self.base.win.save_screenshot(Filename.from_os_specific(self._shot))
            print(f"saved {self._shot}", flush=True)
            self.key_quit()

    def _make_scaled_target(self):
        """3D into a smaller texture buffer, stretched over the window under the (full-resolution) GUI."""
        from panda3d.core import CardMaker, SamplerState, Texture
        tex = Texture("scene3d")
        tex.set_minfilter(SamplerState.FT_linear); tex.set_magfilter(SamplerState.FT_linear)
        w, h = self._scaled_size()
        buf = self.base.win.make_texture_buffer("scene3d", w, h, tex, False)
        buf.set_sort(-100)
        cm = CardMaker("scene3d_card"); cm.set_frame_fullscreen_quad()
        card = self.base.render2d.attach_new_node(cm.generate())
        card.set_texture(tex); card.set_bin("background", 0)
        card.set_depth_test(False); card.set_depth_write(False)
        self._scaled_card, self._scaled_tex = card, tex
        return buf

    def _fit_scaled_card(self) -> None:
        """Render textures may be padded to a power of two: show only the part the buffer drew."""
        from panda3d.core import TextureStage
        tex, buf = self._scaled_tex, self.target
        if tex.get_x_size() > 0 and tex.get_y_size() > 0:
            self._scaled_card.set_tex_scale(TextureStage.get_default(), buf.get_x_size() / tex.get_x_size(),
                                            buf.get_y_size() / tex.get_y_size())

    def _scaled_size(self) -> tuple[int, int]:
        w, h = self.base.win.get_x_size(), self.base.win.get_y_size()
        return max(16, int(w * self.render_scale)), max(16, int(h * self.render_scale))

    def _bench_tick(self) -> None:
        """Count 6 s of frames per camera (orbit, wide, far, orbit) while playing at 100x, print fps, quit."""
        now, cpu = time.perf_counter(), time.process_time()    # process time: all its threads (llvmpipe's too)
        if self._bench is None:
            self._bench = [now, 0, 0, cpu]
            self.timeline.warp = 100
            self.rig.blend_s = 0.0
        start, frames, cam, cpu0 = self._bench
        if now - start >= 6.0:
            w, h = self.base.win.get_x_size(), self.base.win.get_y_size()
            print(f"window fps {frames / (now - start):.1f} at {w}x{h} (3D at {self.render_scale:g}x), "
                  f"camera {self.rig.name}, {1e3 * (cpu - cpu0) / max(frames, 1):.1f} ms CPU a frame", flush=True)
            if cam == 3:
                self.key_quit()
                return
            self.rig.select(("wide", "far", "orbit")[cam])    # orbit again: the worker has finished by then
            self._bench = [now, 0, cam + 1, cpu]
            return
        self._bench[1] += 1

    def _poll_loader(self) -> None:
        from render.scene import StationScene
        if self.base.clock.get_frame_count() >= 1:
            self.loader.start()
        if not self.loader.done():
            self.center_text.setText("Loading the station ...")
            return
        if self.loader.error:
            self.center_text.setText(self.loader.error)
            return
        self.model = self.loader.model
        self.scene = StationScene(self.base, None, self.model, target=self.target)
        self._set_ports()
        self.center_text.setText("")

    def _poll_job(self) -> None:
        if self.job is None:
            return
        msg = self.job.poll()
        if msg is None:
            return
        kind, value = msg
        if kind == "progress":
            self.status = f"computing ... {100 * value:.0f} %"
            if self.traj is None:
                self.center_text.setText(f"Simulating {self.sc.name} ... {100 * value:.0f} %")
        elif kind == "error":          # the window and stderr show the line `simulate` would print
            self.status = "simulation failed"
            self.center_text.setText(f"error: {value}")
            print(f"error: {value}", file=sys.stderr, flush=True)
            self.job = None
        else:
            self._set_trajectory(value, final=kind == "done")

    def _set_trajectory(self, traj, final: bool = True) -> None:
        """A run handed over by the worker: the first one (partial or full) builds the scene and starts
        playing; a later one (longer) replaces it in place, at the same playhead time."""
        if self.traj is None:
            self._first_trajectory(traj)
        else:
            self.scene.set_trajectory(traj)
            self.traj = traj
            self.playback.more_run(traj)
        if final:
            self.job = None
            self.status = "ready"
            from scenario.daylight import eclipse_warning
            note = eclipse_warning(traj, getattr(getattr(self, "sc", None), "source", "scenario"))
            if note:                                    # a release in the dark: one line, with the sunrise
                print(note, flush=True)
            self.playback.finished()

    def _first_trajectory(self, traj) -> None:
        from render.scene import StationScene
        self.scene.destroy()
        self.traj = traj
        self.scene = StationScene(self.base, traj, self.model, target=self.target)
        self._apply_overlay_choices()
        self.scene.overlays.set_tint(self.tint_on)
        self._set_ports()
        self.playback.first_run(traj)
        self.center_text.setText("")

    # ----------------------------------------------------------------- input
    def _on_slider(self) -> None:
        """The slider's command also fires (a frame later) for values we set: only user moves scrub."""
        self.playback.slider_moved(float(self.slider["value"]))

    def _drag_start(self) -> None:
        mw = self.base.mouseWatcherNode
        if mw is not None and mw.has_mouse() and mw.get_mouse_y() > -0.75:   # not on the slider
            self._drag = (mw.get_mouse_x(), mw.get_mouse_y())
            if self.rig.name != "orbit":
                self.rig.select("orbit")

    def _drag_stop(self) -> None:
        self._drag = None

    def _apply_drag(self) -> None:
        mw = self.base.mouseWatcherNode
        if self._drag is None or mw is None or not mw.has_mouse():
            return
        x, y = mw.get_mouse_x(), mw.get_mouse_y()
        w, h = self.base.win.get_x_size(), self.base.win.get_y_size()
        self.rig.orbit.drag((x - self._drag[0]) * w / 2, (y - self._drag[1]) * h / 2)
        self._drag = (x, y)

    def _on_window_event(self, win) -> None:
        if win == self.base.win:
            if self.target is not None and (self.target.get_x_size(), self.target.get_y_size()) != self._scaled_size():
                self.target.set_size(*self._scaled_size())
            if self.scene is not None:
                self.scene.fit_aspect()
            if not win.is_valid() or win.get_properties().get_open() is False:
                self.key_quit()

    # ----------------------------------------------------------------- key actions
    def key_play(self): self.playback.act("play")
    def key_reverse(self): self.playback.act("reverse")
    def key_faster(self): self.playback.act("faster")
    def key_slower(self): self.playback.act("slower")
    def key_step_fwd(self): self.playback.act("step_fwd")
    def key_step_back(self): self.playback.act("step_back")
    def key_next_chapter(self): self.playback.act("next_chapter")
    def key_prev_chapter(self): self.playback.act("prev_chapter")
    def key_to_start(self): self.playback.act("to_start")
    def key_to_end(self): self.playback.act("to_end")
    def key_camera(self, name: str): self.rig.select(name)

    def key_tint(self):
        self.tint_on = not self.tint_on
        if self.scene is not None:
            self.scene.overlays.set_tint(self.tint_on)

    def key_help(self): self.show_help = not self.show_help and not self.clean
    def key_technical(self): self.technical = not self.technical

    def _apply_overlay_choices(self) -> None:
        """Labels and trail as chosen (L, T), both hidden in the clean view (C), as in the presenter."""
        if self.scene is None:
            return
        ov = self.scene.overlays
        ov.set_label_mode(0 if self.clean else self.label_mode)
        (ov.trail_np.show if self.trail_on and not self.clean else ov.trail_np.hide)()

    def key_labels(self):
        self.label_mode = (self.label_mode + 1) % 3
        self._apply_overlay_choices()

    def key_trail(self):
        self.trail_on = not self.trail_on
        self._apply_overlay_choices()

    def key_clean(self):
        self.clean = not self.clean
        for w in (self.hud, self.status_text, self.center_text, self.chapter_text, self.slider,
                  self.band_todo, self.band_done, self.compute_text):
            (w.hide if self.clean else w.show)()
        self._apply_overlay_choices()

    def key_screenshot(self):
        from render.offscreen import read_rgb, save_png_atomic
        name = dt.datetime.now().strftime("iss-%Y%m%d-%H%M%S.png")
        save_png_atomic(read_rgb(self.base), name)
        self.status = f"saved {name}"

    def key_fullscreen(self):
        p, wp = self.base.win.get_properties(), WindowProperties()
        if not p.get_fullscreen():
            self._windowed_size = (p.get_x_size(), p.get_y_size())
            wp.set_fullscreen(True)
            wp.set_size(self.base.pipe.get_display_width(), self.base.pipe.get_display_height())
        else:
            wp.set_fullscreen(False)
            wp.set_size(*getattr(self, "_windowed_size", (1280, 720)))
        self.base.win.request_properties(wp)

    def key_quit(self):
        if self.job is not None:
            self.job.stop()
        self.base.user_exit()


for _cam in CAMERAS:          # key_cam_<name> for each camera of the registry (render/keys.py binds them)
    setattr(App, f"key_cam_{_cam.name}", lambda self, name=_cam.name: self.key_camera(name))
