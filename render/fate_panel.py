"""The altitude-against-date panel of the lesson's last chapter, drawn with matplotlib into an RGBA image
that the presenter lays over the scene (render/presenter_window.py).

Matplotlib's object API (Figure + FigureCanvasAgg, no pyplot) so it can run on the worker thread that
computes the long run. Both segments in their ground-track colours (render/overlays.TRACK_RGBA: orange
Russian, cyan US), their orbit-mean altitude (the long run's a - R_eq) against the date, each reentry
marked with a cross and its date, the reentry altitude as a dashed line, and what the dates assume.
Lettering for a projector: 22 px ticks, 26 px labels at 1200 px wide.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from render.timeline import SEGMENT_NAMES as PLAIN

if TYPE_CHECKING:
    from render.fate import FateAnswer

COLOURS = {"ROS": (1.0, 0.45, 0.15), "USOS": (0.25, 0.85, 1.0)}   # = render.overlays.TRACK_RGBA (no Panda3D here)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
INK = (0.92, 0.94, 0.97)
BACK = (0.03, 0.05, 0.09, 0.86)


def pretty_date(stamp: str) -> str:
    """'2023-06-04 10:24 UTC' -> '4 June 2023'."""
    y, m, d = stamp[:10].split("-")
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


def _dates(ans: FateAnswer, days: np.ndarray) -> np.ndarray:
    t0 = np.datetime64(ans.epoch_utc.rstrip("Z"), "s")
    return t0 + np.round(np.asarray(days) * 86400.0).astype("timedelta64[s]")


def panel_figure(ans: FateAnswer, size_px: tuple[int, int] = (1200, 700)):
    from matplotlib.figure import Figure
    w, h = size_px
    fig = Figure(figsize=(w / 100, h / 100), dpi=100, facecolor=BACK)
    lines = len(ans.assumptions) + 1 + bool(ans.ensemble)   # the notes under the plot, one line each
    bottom = 0.04 + lines * 0.047 + 0.09                    # + the date tick labels
    ax = fig.add_axes((0.1, bottom, 0.86, 0.89 - bottom), facecolor=(0, 0, 0, 0))
    for j, n in enumerate(ans.names):
        c = COLOURS.get(n, INK)
        ok = np.isfinite(ans.alt_km[:, j])
        ax.plot(_dates(ans, ans.t_days[ok]), ans.alt_km[ok, j], color=c, lw=4, label=PLAIN.get(n, n))
        if ans.reentry_day[n] is not None:
            d = _dates(ans, [ans.reentry_day[n]])[0]
            ax.plot([d], [ans.reentry_alt_km], marker="X", ms=22, color=c, mec="black", mew=1.5, zorder=5)
            ax.annotate(f"re-enters\n{pretty_date(ans.reentry_when[n])}", (d, ans.reentry_alt_km),
                        xytext=(0, 28), textcoords="offset points", ha="center", va="bottom", color=c,
                        fontsize=20, fontweight="bold")
    ax.axhline(ans.reentry_alt_km, color=INK, lw=1.5, ls="--", alpha=0.6)
    ax.set_ylim(ans.reentry_alt_km - 20.0, np.nanmax(ans.alt_km) + 30.0)
    ax.set_title("Mean altitude (km), averaged over each orbit", color=INK, fontsize=26, loc="left")
    ax.tick_params(colors=INK, labelsize=20)
    for s in ax.spines.values():
        s.set_color(INK)
    ax.grid(True, alpha=0.25, color=INK)
    ax.legend(loc="upper right", fontsize=20, facecolor=(0, 0, 0, 0.6), labelcolor=INK, edgecolor=INK)
    import matplotlib.dates as mdates
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    start, end = _dates(ans, [0.0, max(ans.end_day, 1.0)])
    ax.set_xlim(start, end + (end - start) * 0.12)        # room for the last reentry's date
    _ensemble_bars(ax, ans)
    notes = ans.assumptions + ((f"Bars: 5-95 % of the dates of {ans.ensemble['members']:,} runs varying "
                                f"{ans.ensemble['varied']}",) if ans.ensemble else ())
    fig.text(0.03, 0.04, "\n".join(notes) + f"\n(same run as `simulate {ans.scenario}`)",
             color=INK, fontsize=15, va="bottom", ha="left", linespacing=1.3)
    return fig


def _ensemble_bars(ax, ans: FateAnswer) -> None:
    """Each segment's 5-95 % reentry dates of the bundled ensemble as a bar under the reentry line, its
    median a tick; a bar going past the axis (or the run's end) ends in an arrow."""
    if not ans.ensemble:
        return
    import matplotlib.dates as mdates
    left, right = ax.get_xlim()
    for j, n in enumerate(ans.names):
        q = ans.ensemble.get(n)
        if q is None:
            continue
        lo, mid, hi = (mdates.date2num(np.datetime64(x)) for x in q[0])
        y = ans.reentry_alt_km - 6.0 - 5.0 * j
        c = COLOURS.get(n, INK)
        end = min(hi, right)
        ax.plot([lo, end], [y, y], color=c, lw=9, alpha=0.55, solid_capstyle="butt")
        if mid <= right:
            ax.plot([mid], [y], marker="|", ms=18, mew=3, color=c)
        if q[1][2] or hi > right:
            ax.plot([end], [y], marker=">", ms=14, color=c)
    ax.set_xlim(left, right)


def panel_rgba(ans: FateAnswer, size_px: tuple[int, int] = (1200, 700)) -> np.ndarray:
    """(h, w, 4) uint8 image of the panel, top row first."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = panel_figure(ans, size_px)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()
