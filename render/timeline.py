"""Playback logic: the playhead, its speed and the chapter marks (pure Python, no window needed).

The playhead moves in simulation seconds: ``t += direction * warp * dt_wall`` while playing, and never
past what the simulation has produced so far (``available_end_s``), so the app can play while the
worker is still computing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# Up to 2e6x (23 days per second) so a months-long decay run plays in a minute or two.
WARPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000,
         86400, 172800, 432000, 864000, 2000000)
from physics.constants import MU_EARTH_M3PS2 as MU_EARTH  # noqa: E402
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
LONG_RUN_S = 2 * DAY_S        # runs longer than this read in days (HUD, chapters)


def warp_text(warp: float) -> str:
    """A warp in real units: '1x' .. '50,000x', then '1 day/s', '2 days/s', '23.1 days/s'."""
    from render.timemap import warp_label
    w = float(warp)
    if w >= DAY_S * 0.9995:
        return warp_label(w)
    return f"{w:g}x" if w < 10 else f"{w:,.0f}x"


SEGMENT_NAMES = {"ROS": "Russian segment", "USOS": "US segment"}


def compute_note(tl, progress: float | None, playing_partial: bool) -> str:
    """The note under the slider while the worker computes: '' once the whole run is in; progress None:
    the worker failed (or was stopped) after handing over a partial run."""
    if playing_partial and not tl.computing():
        return ""
    if progress is None:            # nothing in at all: the centre line says why
        return "" if not playing_partial else f"simulation stopped: computed to {tl.limit_s() - tl.t_start_s:.0f} s"
    note = f"computing ... {100 * progress:.0f} %"
    if playing_partial and tl.playing and tl.direction > 0 and tl.t_s >= tl.limit_s():
        note += "   (waiting for the simulation)"
    return note


@dataclass(frozen=True)
class Chapter:
    label: str
    t_s: float


def chapters_from_trajectory(traj, t_end_s: float | None = None) -> list[Chapter]:
    """Docked, hooks open, end of push, one minute, one orbit, the run's own "chapter" events (one
    month, six months), each segment's reentry, end (those the run contains), in time order.
    t_end_s: the full run's end when `traj` is a partial run (the marks past its end are kept:
    `Timeline.available_chapters` shows them once computed)."""
    t0, t1 = float(traj.t_s[0]), float(traj.t_s[-1] if t_end_s is None else t_end_s)
    events = {}
    for ev in getattr(traj, "events", ()):
        events.setdefault(ev.kind, float(ev.t_s))
    t_rel = events.get("release")
    marks = [Chapter("docked" if t_rel is not None or "ROS" not in traj.body_names else "after the split", t0)]
    for ev in getattr(traj, "events", ()):
        if ev.kind == "chapter":
            marks.append(Chapter(str((ev.data or {}).get("label", "chapter")), float(ev.t_s)))
    reentries = [ev for ev in getattr(traj, "events", ()) if ev.kind == "reentry"]
    for ev in reentries:
        marks.append(Chapter(f"reentry {SEGMENT_NAMES.get(ev.subject, ev.subject)}", float(ev.t_s)))
    if t_rel is not None:
        marks.append(Chapter("hooks open", t_rel))
        if "push_end" in events:
            marks.append(Chapter("end of push", events["push_end"]))
        marks.append(Chapter("one minute", t_rel + 60.0))
        marks.append(Chapter("one orbit", t_rel + orbital_period_s(traj, t_rel)))
    marks.append(Chapter("end", t1))
    return sorted((c for c in marks if t0 <= c.t_s <= t1), key=lambda c: c.t_s)


def orbital_period_s(traj, t_s: float) -> float:
    """Keplerian period 2 pi sqrt(a^3/mu) from the first body's osculating state (vis-viva for a)."""
    r, v, _, _ = traj.state_at(t_s)
    rn = math.sqrt(sum(x * x for x in r[0])); vn2 = sum(x * x for x in v[0])
    a = 1.0 / (2.0 / rn - vn2 / MU_EARTH)
    return 2 * math.pi * math.sqrt(a ** 3 / MU_EARTH)


class Timeline:
    """Play/pause, reverse, warp, step, scrub and chapters over [t_start_s, t_end_s]."""

    def __init__(self, t_start_s: float, t_end_s: float, chapters=(), warp: float = 1.0, step_s: float = 1.0):
        self.t_start_s, self.t_end_s = float(t_start_s), float(t_end_s)
        self.available_end_s = self.t_end_s
        self.t_s = self.t_start_s
        self.playing, self.direction = False, +1
        self.warp = float(warp)
        self.step_s = float(step_s)
        self.chapters = list(chapters)

    # --- what the frame loop calls
    def advance(self, dt_wall_s: float) -> float:
        """Move the playhead by the wall-clock interval; stop at either end."""
        if self.playing and dt_wall_s > 0:
            self.scrub(self.t_s + self.direction * self.warp * dt_wall_s)
            if self.t_s in (self.t_start_s, self.limit_s()):
                self.playing = self.t_s == self.limit_s() and self.limit_s() < self.t_end_s  # wait for the worker
        return self.t_s

    def limit_s(self) -> float:
        """How far the playhead may go: the run's end, or what the worker has computed so far."""
        return min(self.t_end_s, self.available_end_s)

    def computing(self) -> bool:
        return self.available_end_s < self.t_end_s

    def computed_fraction(self) -> float:
        """The computed part of the slider (0..1)."""
        span = self.t_end_s - self.t_start_s
        return 1.0 if span <= 0 else min(1.0, max(0.0, (self.limit_s() - self.t_start_s) / span))

    def extend(self, available_end_s: float, chapters=None) -> None:
        """More of the run is computed: the playhead keeps its time, direction, warp and play state
        (one that waited at the edge moves on at the next `advance`)."""
        self.available_end_s = float(available_end_s)
        if chapters is not None:
            self.chapters = list(chapters)

    def available_chapters(self) -> list[Chapter]:
        """The chapter marks the playhead can reach now."""
        return [c for c in self.chapters if c.t_s <= self.limit_s() + 1e-6]

    # --- keys
    def toggle_play(self) -> None:
        if not self.playing and self.direction > 0 and self.t_s >= self.t_end_s:
            self.t_s = self.t_start_s  # play again from the start
        self.playing = not self.playing

    def reverse(self) -> None:
        self.direction = -self.direction

    def faster(self) -> None:
        self.warp = next((w for w in WARPS if w > self.warp), WARPS[-1])

    def slower(self) -> None:
        self.warp = next((w for w in reversed(WARPS) if w < self.warp), WARPS[0])

    def step(self, n: int = 1) -> None:
        """Pause and move by n steps of step_s simulated seconds (scaled by the warp)."""
        self.playing = False
        self.scrub(self.t_s + n * self.step_s * self.warp)

    def scrub(self, t_s: float) -> None:
        self.t_s = min(max(float(t_s), self.t_start_s), self.limit_s())

    def scrub_fraction(self, fraction: float) -> None:
        self.scrub(self.t_start_s + fraction * (self.t_end_s - self.t_start_s))

    def fraction(self) -> float:
        span = self.t_end_s - self.t_start_s
        return 0.0 if span <= 0 else (self.t_s - self.t_start_s) / span

    def goto_chapter(self, index: int) -> None:
        marks = self.available_chapters()
        if 0 <= index < len(marks):
            self.scrub(marks[index].t_s)

    def next_chapter(self) -> None:
        later = [c for c in self.available_chapters() if c.t_s > self.t_s + 1e-6]
        if later:
            self.scrub(later[0].t_s)

    def prev_chapter(self) -> None:
        earlier = [c for c in self.available_chapters() if c.t_s < self.t_s - 1e-6]
        if earlier:
            self.scrub(earlier[-1].t_s)

    def current_chapter(self) -> Chapter | None:
        passed = [c for c in self.available_chapters() if c.t_s <= self.t_s + 1e-6]
        return passed[-1] if passed else None
