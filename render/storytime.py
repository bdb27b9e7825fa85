"""The lesson's time map: the base ramp (render/timemap.py), slowed where a caption needs reading time
while its number is true, and fast-forwarded through the dark (scenario/daylight.py).

Built as a ProfileTimeMap (rate piecewise linear in simulated time) from three layers:
1. the base map sampled every 0.1 s of video (its smooth ramp, to < 0.1 % in rate);
2. a *floor* over each dark span when eclipse = "skip": the rate that crosses the span in
   DARK_VIDEO_S of video, entered and left by ramps outside the span (slope FF_SLOPE: the speed grows
   e-fold every 1/FF_SLOPE video seconds), with an on-screen note;
3. a *cap* over each caption's window [t_s, t_end_s]: the rate at which the window lasts the caption's
   reading time (FINAL_HOLD_S for the last one), approached by ramps outside the window (SLOW_SLOPE).
Caps win over floors (a number on screen must be readable); a caption that becomes true inside a skipped
span is dropped, one true before it has its window end where the span begins. The caption schedule (render/burnin.caption_schedule) is then checked; a caption it
had to leave out or cut short gets a tighter cap, and so does the stretch from the caption before it
(which may be what holds the screen) to the end of its window; a few rounds at most.
"""
from __future__ import annotations

import numpy as np

from render.timemap import ProfileTimeMap

DARK_VIDEO_S = 2.0     # video seconds spent inside a skipped dark span (the floor allows 3)
FF_SLOPE = 3.0         # 1/s: a fast-forward ramp multiplies the speed by e every 1/3 video second
SLOW_SLOPE = 1.2       # 1/s: slowing down for a caption: e-fold per 0.8 video second
MIN_RATE = 0.25        # never slower than quarter speed
FADES_S = 1.0          # a caption's fade-in and fade-out together
FF_NOTE = "fast-forward: night side"
ECLIPSE_MODES = ("skip", "brighten", "show")


def base_knots(base, t_end_s: float, step_s: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    tau_end = base.video_time(t_end_s)
    taus = np.append(np.arange(0.0, tau_end, step_s), tau_end)
    t = np.array([base.sim_time(x) for x in taus])
    r = np.array([base.rate_at(x) for x in taus])
    keep = np.concatenate([[True], np.diff(t) > 1e-9])
    return t[keep], r[keep]


def _with_knots(t: np.ndarray, r: np.ndarray, extra) -> tuple[np.ndarray, np.ndarray]:
    extra = np.asarray([x for x in extra if t[0] < x < t[-1]], float)
    t2 = np.union1d(t, extra)
    return t2, np.interp(t2, t, r)


def floor_profile(t: np.ndarray, a: float, b: float, rate: float, slope: float) -> np.ndarray:
    """rate on [a, b], falling off linearly (in simulated time) outside it."""
    return rate - slope * np.maximum(0.0, np.maximum(a - t, t - b))


def cap_profile(t: np.ndarray, a: float, b: float, rate: float, slope: float) -> np.ndarray:
    """rate on [a, b], rising linearly (in simulated time) outside it."""
    return rate + slope * np.maximum(0.0, np.maximum(a - t, t - b))


def outside(c, spans) -> bool:
    """True when the caption becomes true outside every skipped span (it can be read there)."""
    return not any(a <= c.t_s < b for a, b in spans)


def before_dark(c, spans):
    """The caption with its window ended where a skipped span begins (it is shown only in daylight: a
    number true from the push into the night side is read before the fast-forward, not during it)."""
    from dataclasses import replace
    # ends early enough that the cap's ramp (SLOW_SLOPE per simulated second) climbs to the span's
    # fast-forward rate before the span: the dark is still crossed in DARK_VIDEO_S
    ends = [a - (b - a) / DARK_VIDEO_S / SLOW_SLOPE for a, b in spans
            if c.t_s < a and (c.t_end_s is None or a < c.t_end_s)]
    return replace(c, t_end_s=min(ends)) if ends else c


def story_timemap(base, t_end_s: float, captions=(), dark=(), eclipse: str = "skip", show_s: float = 6.0):
    """(ProfileTimeMap, captions kept). captions: render.captions.Caption with windows; dark: [(a, b)];
    show_s: how long the video's caption schedule holds a caption when nothing waits (burnin)."""
    from render.captions import FINAL_HOLD_S, reading_s
    skip = list(dark) if eclipse == "skip" else []
    caps = [c for c in (before_dark(c, skip) for c in captions if outside(c, skip))
            if c.t_end_s is None or c.t_end_s > c.t_s]
    t, r = base_knots(base, t_end_s)
    edges = [x for a, b in skip for x in (a, b)] + [x for c in caps for x in (c.t_s, c.t_end_s) if x is not None]
    t, r0 = _with_knots(t, r, edges)
    r0, notes = _floors(t, r0, skip)
    need = [(FINAL_HOLD_S if i == len(caps) - 1 else reading_s(c.text)) + FADES_S for i, c in enumerate(caps)]
    shrink, pairs = [1.0] * len(caps), set()
    for _ in range(8):
        tmap = ProfileTimeMap(t, _caps(t, r0, caps, need, shrink, pairs), notes)
        short = _squeezed(caps, tmap, need, t_end_s, show_s)
        if not short:
            break
        for i in short:
            shrink[i] *= 0.7
            pairs.update({i} if i > 0 else set())   # the one before may be what holds the screen
    return tmap, tuple(caps)


def chapter_timemap(t0_s: float, t1_s: float, warp: float, dark=(), eclipse: str = "skip") -> ProfileTimeMap:
    """A presenter chapter's map (render/presenter.py): its constant warp, and with eclipse = "skip" each
    dark span inside it fast-forwarded as in the lesson's video (`_floors`: DARK_VIDEO_S of video per
    span, FF_NOTE on screen); "show" (or "brighten") plays the chapter at its warp."""
    spans = [(max(a, t0_s), min(b, t1_s)) for a, b in dark if b > t0_s and a < t1_s] if eclipse == "skip" else []
    kinks = [x for a, b in spans for x in (a, b, a - (_ff_rate(a, b, warp) - warp) / FF_SLOPE,
                                           b + (_ff_rate(a, b, warp) - warp) / FF_SLOPE)]
    t = np.union1d([t0_s, t1_s], [x for x in kinks if t0_s < x < t1_s])
    r, notes = _floors(t, np.full(len(t), float(warp)), spans)
    return ProfileTimeMap(t, r, notes)


def _ff_rate(a: float, b: float, r_max: float) -> float:
    """The rate that crosses dark span (a, b) in DARK_VIDEO_S, never slower than the map's fastest."""
    return max((b - a) / DARK_VIDEO_S, float(r_max))


def _floors(t: np.ndarray, r: np.ndarray, spans) -> tuple[np.ndarray, list]:
    """Fast-forward each span in DARK_VIDEO_S (never slower than the map already is there), with a note."""
    notes = []
    for a, b in spans:
        rate = _ff_rate(a, b, float(np.max(r)))
        r = np.maximum(r, floor_profile(t, a, b, rate, FF_SLOPE))
        notes.append((a - rate / FF_SLOPE, b + rate / FF_SLOPE, FF_NOTE))
    return r, notes


def _caps(t: np.ndarray, r: np.ndarray, caps, need, shrink, pairs=()) -> np.ndarray:
    """Slow down over each caption's window so that it lasts need[i] video seconds (times shrink[i]);
    for i in pairs, also from caption i-1's moment to the end of i's window, so both fit in it."""
    spans = [(c.t_s, c.t_end_s, need[i], shrink[i]) for i, c in enumerate(caps)]
    spans += [(caps[i - 1].t_s, caps[i].t_end_s, need[i - 1] + need[i], shrink[i]) for i in sorted(pairs)]
    for a, b, n, k in spans:
        if b is not None and b > a:
            r = np.minimum(r, cap_profile(t, a, b, max(MIN_RATE, k * (b - a) / n), SLOW_SLOPE))
    return r


def _squeezed(caps, tmap, need, t_end_s: float, show_s: float) -> list[int]:
    """Indices of captions the schedule leaves out or shows for less than their need."""
    from render.burnin import caption_schedule
    sched = caption_schedule(caps, tmap.video_time, show_s=show_s, video_end_s=tmap.video_time(t_end_s))
    shown = {id(c): off - on for on, off, c in sched}
    return [i for i, c in enumerate(caps) if shown.get(id(c), 0.0) < need[i] - 1.0 - 1e-6 and not
            (c.t_end_s is not None and tmap.rate_sim(c.t_s) <= MIN_RATE * 1.0001)]


def dark_video_s(tmap, spans) -> list[float]:
    """Video seconds spent inside each dark span."""
    return [tmap.video_time(b) - tmap.video_time(a) for a, b in spans]
