"""The app's playback controller, pure (no Panda3D, no window): time, speed, pause, scrub and chapters.

In the style of a stateless pipeline over a model/data split: `Timeline` (render/timeline.py) is the
playhead's state; `Playback` turns the app's inputs into changes of it (a wall-clock interval per frame,
a key action, a slider value, a run handed over by the worker) and gives back what the window shows of
it (the status line, the chapter strip, the slider's value). render/app.py only wires widgets to it;
tests drive it without a window.
"""
from __future__ import annotations

from render.timeline import DAY_S, LONG_RUN_S, Timeline, chapters_from_trajectory, warp_text

# The slider stores its value as float32 (PGSliderBar): a value read back differs from the one set by up
# to ~6e-8. With a 1e-9 test every read-back looked like a user move and scrubbed the playhead back to
# the slider's last value (N could not get past "one orbit"). One pixel of the slider is ~1e-3.
SLIDER_TOL = 1e-6

# key action (render/keys.py) -> what it does to the timeline
ACTIONS = {
    "play": lambda tl: tl.toggle_play(),
    "reverse": lambda tl: tl.reverse(),
    "faster": lambda tl: tl.faster(),
    "slower": lambda tl: tl.slower(),
    "step_fwd": lambda tl: tl.step(+1),
    "step_back": lambda tl: tl.step(-1),
    "next_chapter": lambda tl: tl.next_chapter(),
    "prev_chapter": lambda tl: tl.prev_chapter(),
    "to_start": lambda tl: tl.scrub(tl.t_start_s),
    "to_end": lambda tl: tl.scrub(tl.t_end_s),
}


class Playback:
    """The playhead of a run that may still be computing: before the first run is in, a timeline of the
    scenario's duration with nothing available; then the run's own (months: starting at 1 day/s)."""

    def __init__(self, duration_s: float):
        self.timeline = Timeline(0.0, float(duration_s))
        self.timeline.available_end_s = 0.0
        self._slider_set = 0.0          # the slider value last set here or moved to by the user

    # --- the frame loop
    def advance(self, dt_wall_s: float) -> float:
        return self.timeline.advance(dt_wall_s)

    # --- runs handed over by the worker (render/loading.py)
    def first_run(self, traj) -> None:
        """The first run (partial or full): its own timeline, playing from the start."""
        from render.loading import computed_to_s, full_end_s
        t_end = full_end_s(traj)
        long_run = t_end - float(traj.t_s[0]) > LONG_RUN_S
        self.timeline = Timeline(float(traj.t_s[0]), t_end, chapters_from_trajectory(traj, t_end),
                                 warp=DAY_S if long_run else self.timeline.warp)   # months: start at 1 day/s
        self.timeline.extend(computed_to_s(traj))
        self.timeline.playing = True

    def more_run(self, traj) -> None:
        """A longer run of the same scenario: the playhead keeps its time, direction, warp and state."""
        from render.loading import computed_to_s, full_end_s
        self.timeline.extend(computed_to_s(traj), chapters_from_trajectory(traj, full_end_s(traj)))

    def finished(self) -> None:
        """The whole run is in: the playhead may go to its end."""
        self.timeline.extend(self.timeline.t_end_s)

    # --- input
    def act(self, action: str) -> None:
        """A key action of render/keys.py that moves the playhead (ACTIONS)."""
        ACTIONS[action](self.timeline)

    def slider_moved(self, value: float) -> None:
        """The slider's command also fires (a frame later) for values set by `slider_value`: only a
        value that differs from the last one by more than SLIDER_TOL is a user's move, and scrubs."""
        if abs(float(value) - self._slider_set) > SLIDER_TOL:
            self._slider_set = float(value)
            self.timeline.scrub_fraction(self._slider_set)

    def slider_value(self, shown: float) -> float | None:
        """The value to put on the slider now, or None if the one it shows is close enough."""
        if abs(float(shown) - self.timeline.fraction()) <= SLIDER_TOL:
            return None
        self._slider_set = self.timeline.fraction()
        return self._slider_set

    # --- what the window shows
    def state_text(self) -> str:
        """'playing >> 50x' / 'paused << 1 day/s'."""
        tl = self.timeline
        return f"{'playing' if tl.playing else 'paused'} {'>>' if tl.direction > 0 else '<<'} {warp_text(tl.warp)}"

    def chapter_strip(self) -> str:
        """The reachable chapter marks, the current one in brackets."""
        ch = self.timeline.current_chapter()
        return "   ".join(("[" + c.label + "]") if c is ch else c.label for c in self.timeline.available_chapters())
