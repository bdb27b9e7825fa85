"""Presenter mode logic: chapters (time span + camera + caption) and the keys a clicker sends.

Pure Python (no window, no Panda3D) so every key can be tested. The window (presenter_window.py)
asks ``Presenter.view()`` each frame and draws what it says.

Chapters come from the run: each one's span, playback speed and caption follow from the
trajectory's events and numbers (render/captions.py), never from typed-in figures.
Keys: one table with the app's, render/keys.py (Space plays and pauses, R reverses, PageDown/PageUp
and arrows change chapter: what clickers send; B or "." blacks the screen, as in PowerPoint).
The last chapter asks "Would the US segment fall?" and answers from the long run (render/fate.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from render.captions import Pair, captions_for, clip_vs_physics, first_event, fmt_distance, plain
from render.captions import latest as current  # a chapter states the latest number reached by its end

PREV_RESTARTS_AFTER_S = 1.0  # PageUp within the first second of a chapter goes back one; later, to its start


@dataclass(frozen=True)
class Chapter:
    title: str
    t_start_s: float
    t_end_s: float
    camera: str  # a live camera name (render.cameras.CAMERA_NAMES)
    caption: str
    warp: float = 1.0  # simulated seconds per second of presenting
    caption_t_s: float | None = None  # the caption's numbers hold from here on (None: from the start)
    caption_before: str = ""  # shown until then (the clip's side of a clip-vs-physics step)
    fate: bool = False  # the long-run answer's chapter: its caption and panel come from render/fate.py
    timemap: object = None  # render.storytime.chapter_timemap (night side fast-forwarded); None: plain warp

    def caption_at(self, t_s: float) -> str:
        """The caption never states a number before the run reaches it."""
        return self.caption if self.caption_t_s is None or t_s >= self.caption_t_s - 1e-9 else self.caption_before


@dataclass(frozen=True)
class PresenterView:
    """What the window shows now."""
    t_s: float
    camera: str
    title: str
    caption: str
    index: int
    count: int
    show_text: bool  # False in the clean view
    black: bool
    help: bool = False
    fate: bool = False
    playing: bool = True
    note: str = ""  # "fast-forward: night side" while the chapter's time map says so


def _tonnes(traj, name: str) -> str:
    from physics.trajmeta import trajectory_meta
    m = trajectory_meta(traj).body(name).mass_kg
    return f" ({m / 1000:.0f} t)" if m else ""


def chapters_for(traj, other: str = "ROS", anchor: str = "USOS", eclipse: str = "skip") -> tuple[Chapter, ...]:
    """Docked, hooks open, first minute, one orbit, the clip vs physics, re-entry (what the run has);
    eclipse: the night side as in `record --eclipse` (skip: fast-forwarded, `with_eclipse`)."""
    t0, t1 = float(traj.t_s[0]), float(traj.t_s[-1])
    release = first_event(traj, "release")
    if release is None and t1 - t0 > 2 * 86400.0:
        return long_run_chapters(traj)
    if release is None:
        return with_eclipse((Chapter("The run", t0, t1, "wide", "", warp=max(1.0, (t1 - t0) / 60.0)),), traj, eclipse)
    return with_eclipse(_short_run_chapters(traj, other, anchor, release), traj, eclipse)


def with_eclipse(chapters: tuple[Chapter, ...], traj, eclipse: str = "skip") -> tuple[Chapter, ...]:
    """Each chapter with its time map: the night side (scenario.daylight.dark_spans, as `record` finds it)
    fast-forwarded the way the lesson's video does it (render/storytime.chapter_timemap)."""
    import dataclasses

    from render.storytime import chapter_timemap
    from scenario.daylight import dark_spans
    dark = dark_spans(traj, float(traj.t_s[0]), float(traj.t_s[-1])) if eclipse == "skip" else []
    return tuple(dataclasses.replace(c, timemap=chapter_timemap(c.t_start_s, c.t_end_s, c.warp, dark, eclipse))
                 for c in chapters)


def _short_run_chapters(traj, other: str, anchor: str, release) -> list[Chapter]:
    t0, t1 = float(traj.t_s[0]), float(traj.t_s[-1])
    t_rel = float(release.t_s)
    caps = captions_for(traj, other, anchor)
    push = first_event(traj, "push_end")
    t_push = float(push.t_s) if push is not None else t_rel
    period = Pair(traj, other, anchor).period_s(t_rel)
    # docked on the orbit camera: it starts on the sunlit side and shows the whole station; hooks open and
    # the first minute on the port camera, in the plane of the gap: the first centimetres are seen opening
    out = [Chapter("Docked", max(t0, t_rel - 20.0), t_rel, "orbit",
                   f"One station: {plain(other)}{_tonnes(traj, other)} and {plain(anchor)}"
                   f"{_tonnes(traj, anchor)}, latched at one docking port")]
    push_caption = next((c for c in caps if c.kind == "push"), None)
    out.append(Chapter("Hooks open", t_rel, min(t1, t_push + 10.0), "port",
                       push_caption.text if push_caption else "Hooks open",
                       caption_t_s=push_caption.t_s if push_caption else None, caption_before="Hooks open"))
    if t_rel + 60.0 <= t1:
        out.append(Chapter("The first minute", t_push, t_rel + 60.0, "port", current(caps, t_rel + 60.0).text,
                           warp=2.0, caption_t_s=current(caps, t_rel + 60.0).t_s))
    if t_rel + period <= t1:
        out.append(Chapter("One orbit", t_rel + 60.0, t_rel + period, "wide", current(caps, t_rel + period).text,
                           warp=period / 60.0, caption_t_s=current(caps, t_rel + period).t_s))  # an orbit a minute
    for step in clip_vs_physics(traj, other, anchor):
        end = min(t1, step.t_s + 5.0, step.t_end_s if step.t_end_s is not None else t1)   # holds while true
        out.append(Chapter("The clip vs physics", max(t0, step.t_s - 5.0), end, "wide",
                           f"Clip: {step.clip}\nPhysics: {step.physics}", caption_t_s=step.t_s,
                           caption_before=f"Clip: {step.clip}"))
    reentry = first_event(traj, "reentry")
    if reentry is not None:
        out.append(Chapter("Re-entry", max(t0, float(reentry.t_s) - 3 * period), float(reentry.t_s), "far",
                           current(caps, float(reentry.t_s)).text, warp=period / 20.0))
    out.append(fate_chapter(traj, period))
    return out


def fate_chapter(traj, period_s: float, answer=None) -> Chapter:
    """The last chapter: the far view over the run's last orbit, and the long-run answer (its caption
    from render/fate.caption once the answer is in; the window draws the altitude panel)."""
    from render.fate import FATE_TITLE, caption
    t0, t1 = float(traj.t_s[0]), float(traj.t_s[-1])
    text = caption(answer) if answer is not None else f"{FATE_TITLE}\n(working it out: months of orbit ...)"
    return Chapter(FATE_TITLE, max(t0, t1 - period_s), t1, "far", text, warp=period_s / 20.0, fate=True)


def with_answer(chapters: tuple[Chapter, ...], traj, answer) -> tuple[Chapter, ...]:
    """The chapters with the fate chapter's caption filled in from the long-run answer."""
    import dataclasses

    from render.fate import caption
    return tuple(dataclasses.replace(c, caption=caption(answer)) if c.fate else c for c in chapters)


def long_run_chapters(traj) -> tuple[Chapter, ...]:
    """Months after the split: one chapter between consecutive marks (start, one month, six months,
    each reentry, end), each played in ~20 s on the far camera; the caption states the numbers at
    the chapter's end (days, km apart, altitudes), all from the run."""
    from render.telemetry import hud_lines, telemetry
    from render.timeline import chapters_from_trajectory
    marks = chapters_from_trajectory(traj)
    out = []
    for a, b in zip(marks, marks[1:]):
        if b.t_s - a.t_s <= 0:
            continue
        lines = hud_lines(telemetry(traj, b.t_s, {}))
        out.append(Chapter(f"{a.label[:1].upper()}{a.label[1:]} to {b.label}", a.t_s, b.t_s, "far",
                           "   ".join(lines[1:]), warp=(b.t_s - a.t_s) / 20.0))
    out = out or [Chapter("The run", marks[0].t_s, marks[-1].t_s, "far", "", warp=1.0)]
    if "USOS" in traj.body_names:
        from scenario.apart import period_s
        i = traj.body_names.index("USOS")
        orbit = period_s(traj.r_gcrs_m[0, i], traj.v_gcrs_mps[0, i])      # the run's own orbit period
        out.append(fate_chapter(traj, min(orbit, marks[-1].t_s - marks[0].t_s)))
    return tuple(out)


@dataclass
class Presenter:
    """Chapter navigation and playback inside a chapter. `handle_key` returns the action taken
    (render/keys.py's action names, or "none")."""
    chapters: tuple[Chapter, ...]
    index: int = 0
    t_s: float = field(default=0.0)
    clean: bool = False
    black: bool = False
    quit: bool = False
    help: bool = False
    playing: bool = True
    direction: int = 1
    _played_s: float = 0.0        # wall seconds of presenting in this chapter

    def __post_init__(self):
        if not self.chapters:
            raise ValueError("presenter needs at least one chapter")
        self.goto(self.index)

    @property
    def chapter(self) -> Chapter:
        return self.chapters[self.index]

    def goto(self, index: int) -> None:
        """Start chapter `index` (clamped) from its beginning, playing forwards."""
        self.index = min(max(int(index), 0), len(self.chapters) - 1)
        self.t_s = self.chapter.t_start_s
        self.playing, self.direction, self._played_s = True, 1, 0.0

    def advance(self, dt_wall_s: float) -> float:
        """Play the current chapter at its warp (backwards after R); hold at either end."""
        ch = self.chapter
        if dt_wall_s > 0 and self.playing and not self.black:
            self._played_s += dt_wall_s
            if ch.timemap is not None:        # the night side fast-forwarded (render/storytime.py)
                t = ch.timemap.sim_time(ch.timemap.video_time(self.t_s) + self.direction * dt_wall_s)
            else:
                t = self.t_s + self.direction * ch.warp * dt_wall_s
            self.t_s = min(ch.t_end_s, max(ch.t_start_s, t))
        return self.t_s

    def handle_key(self, key: str) -> str:
        """Apply one key (Panda3D event names, bound in render/keys.py); returns its action or "none"."""
        from render.keys import presenter_actions
        action = presenter_actions().get(key)
        if action is None:
            return "none"
        if action in ("next_chapter", "prev_chapter", "to_start", "to_end"):
            self.black = False
        getattr(self, f"_{action}")()
        return action

    def _next_chapter(self): self.goto(self.index + 1)
    def _to_start(self): self.goto(0)
    def _to_end(self): self.goto(len(self.chapters) - 1)
    def _clean(self): self.clean = not self.clean
    def _black(self): self.black = not self.black
    def _help(self): self.help = not self.help
    def _quit(self): self.quit = True

    def _prev_chapter(self):
        """As the app's: the start of this chapter once it has played a second, else the previous one."""
        self.goto(self.index if self._played_s >= PREV_RESTARTS_AFTER_S else self.index - 1)

    def _play(self):
        ch = self.chapter
        at_end = self.t_s >= ch.t_end_s if self.direction > 0 else self.t_s <= ch.t_start_s
        if not self.playing and at_end:      # played out: again from the start
            self.goto(self.index)
            return
        self.playing = not self.playing

    def _reverse(self):
        self.direction, self.playing = -self.direction, True

    def view(self) -> PresenterView:
        ch = self.chapter
        note = "; ".join(ch.timemap.notes_at(ch.timemap.video_time(self.t_s))) if ch.timemap is not None else ""
        return PresenterView(self.t_s, ch.camera, ch.title, ch.caption_at(self.t_s), self.index, len(self.chapters),
                             not self.clean and not self.black, self.black, self.help and not self.black, ch.fate,
                             self.playing, note)


def all_keys() -> tuple[str, ...]:
    """Every key the presenter listens to (the window binds each): render/keys.py's presenter column."""
    from render.keys import presenter_actions
    return tuple(presenter_actions())


def describe_distance(traj, t_s: float, other: str = "ROS", anchor: str = "USOS") -> str:
    """Big-number line for the presenter: 'Apart: 1.8 m' from the run at t_s."""
    release = first_event(traj, "release")
    if release is None or t_s < release.t_s:
        return ""
    return f"Apart: {fmt_distance(Pair(traj, other, anchor).distance_m(t_s))}"   # scenario.apart's gap
