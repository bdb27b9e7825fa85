"""Plots of long-run decay results (physics.decay.LongTermResult): altitude against date for each
segment, several runs overlaid (e.g. the low / moderate / high solar-activity spread, with and
without reboosts), reentries and burns marked. Matplotlib Agg, sized and lettered for a projector.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

BODY_COLOURS = {"ROS": "#c0392b", "USOS": "#1f5fbf", "ISS": "#2d2d2d"}
FALLBACK_COLOURS = ("#8e44ad", "#16a085", "#d35400", "#7f8c8d")
RUN_STYLES = ("-", "--", ":", "-.")


def _dates(res) -> np.ndarray:
    t0 = np.datetime64(res.epoch_utc.rstrip("Z"), "s")
    return t0 + np.round(res.t_s).astype("timedelta64[s]")


def plot_long_term(runs: dict, path, title: str = "Altitude after the split",
                   reentry_alt_km: float = 120.0) -> Path:
    """runs: {label: LongTermResult}; writes a PNG to `path` (via path.partial, then renamed).

    One colour per body, one line style per run; x = date (UTC), y = mean altitude a - R_eq (km).
    Reentries are marked with a cross (their dates are in the legend), burns with small triangles.
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    with plt.rc_context({"font.size": 17, "axes.titlesize": 22, "axes.labelsize": 19,
                         "legend.fontsize": 14, "lines.linewidth": 2.6}):
        fig, ax = plt.subplots(figsize=(13.33, 7.5), dpi=120)
        for k, (label, res) in enumerate(runs.items()):
            _draw_run(ax, res, label, RUN_STYLES[k % len(RUN_STYLES)])
        ax.axhline(reentry_alt_km, color="#555555", lw=1.5, ls="--")
        ax.text(ax.get_xlim()[1], reentry_alt_km - 3, f"reentry {reentry_alt_km:.0f} km ", color="#555555",
                va="top", ha="right", fontsize=14)
        ax.set_ylim(reentry_alt_km - 25.0, None)
        ax.set_ylabel("mean altitude (km)")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower center", bbox_to_anchor=(0.55, 0.1), framealpha=0.9)
        fig.autofmt_xdate()
        fig.tight_layout()
        partial = path.with_name(path.name + ".partial")
        fig.savefig(partial, format="png")
        plt.close(fig)
    os.replace(partial, path)
    return path


def _draw_run(ax, res, label: str, style: str) -> None:
    dates = _dates(res)
    for j, name in enumerate(res.body_names):
        colour = BODY_COLOURS.get(name, FALLBACK_COLOURS[j % len(FALLBACK_COLOURS)])
        ev = res.reentry(name)
        when = None if ev is None else np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(ev.t_s), "s")
        tail = f" (reentry {str(when)[:10]})" if when is not None else ""
        ax.plot(dates, res.alt_km[:, j], ls=style, color=colour, label=f"{name} - {label}{tail}")
        if when is not None:
            ax.plot([when], [ev.data["alt_m"] / 1e3], marker="X", ms=14, color=colour, mec="black")
        burns = [e for e in res.events if e.kind == "burn" and e.subject == name]
        if burns:
            bt = np.array([e.t_s for e in burns])
            ax.plot(dates[0] + np.round(bt).astype("timedelta64[s]"),
                    np.interp(bt, res.t_s, res.alt_km[:, j]), "^", ms=7, color=colour, alpha=0.8)
