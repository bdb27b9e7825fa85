"""Plots of long-run decay results (physics.longterm.decay.LongTermResult): altitude against date for each
segment, several runs overlaid (e.g. the low / moderate / high solar-activity spread, with and
without reboosts), reentries and burns marked. Matplotlib Agg, sized and lettered for a projector.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from fileio import atomic_file

BODY_COLOURS = {"ROS": "#c0392b", "USOS": "#1f5fbf", "ISS": "#2d2d2d"}
FALLBACK_COLOURS = ("#8e44ad", "#16a085", "#d35400", "#7f8c8d")
RUN_STYLES = ("-", "--", ":", "-.")


def _dates(res) -> np.ndarray:
    t0 = np.datetime64(res.epoch_utc.rstrip("Z"), "s")
    return t0 + np.round(res.t_s).astype("timedelta64[s]")


def plot_long_term(runs: dict, path, title: str = "Altitude after the split",
                   reentry_alt_km: float = 120.0, band: dict | None = None, reference: dict | None = None) -> Path:
    """runs: {label: LongTermResult}; writes a PNG to `path` (atomically: fileio.atomic_file).

    One colour per body, one line style per run; x = date (UTC), y = mean altitude a - R_eq (km).
    Reentries are marked with a cross (their dates are in the legend), burns with small triangles.
    band: {label: LongTermResult} (e.g. low/moderate/high activity): each body's range over them
    is shaded (a body that has re-entered counts as at the reentry altitude).
    reference: {"label": str, "dates": datetime64 (m,), "alt_km": (m,)}: measured points (e.g. TLEs).
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    with plt.rc_context(RC):
        fig = figure_long_term(runs, title, reentry_alt_km, band, reference)
        try:
            with atomic_file(path) as fh:
                fig.savefig(fh, format="png")
        finally:
            plt.close(fig)
    return path


RC = {"font.size": 17, "axes.titlesize": 22, "axes.labelsize": 19, "legend.fontsize": 14, "lines.linewidth": 2.6}


def figure_long_term(runs: dict, title: str, reentry_alt_km: float = 120.0, band: dict | None = None,
                     reference: dict | None = None):
    """The matplotlib Figure of plot_long_term (same arguments), not yet saved."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(13.33, 7.5), dpi=120)
    if band:
        _draw_band(ax, band, reentry_alt_km)
    for k, (label, res) in enumerate(runs.items()):
        _draw_run(ax, res, label, RUN_STYLES[k % len(RUN_STYLES)], label_burns=(k == 0))
    if reference:
        ax.plot(reference["dates"], reference["alt_km"], "o:", color="black", ms=11, lw=2.0,
                label=reference["label"])
    if band:                                  # the band may run for decades (ECSS low): keep the runs readable
        t_max = max(float(r.t_s[-1]) for r in runs.values()) * 1.3
        start = np.datetime64(next(iter(runs.values())).epoch_utc.rstrip("Z"), "s")
        ax.set_xlim(start - np.timedelta64(int(0.02 * t_max), "s"), start + np.timedelta64(int(t_max), "s"))
    lowest = min(float(np.nanmin(r.alt_km)) for r in list(runs.values()) + list((band or {}).values()))
    if lowest < reentry_alt_km + 100.0:       # only when the runs come near it (not for a 9-day window)
        ax.axhline(reentry_alt_km, color="#555555", lw=1.5, ls="--")
        ax.text(ax.get_xlim()[1], reentry_alt_km - 3, f"reentry {reentry_alt_km:.0f} km ", color="#555555",
                va="top", ha="right", fontsize=14)
        ax.set_ylim(reentry_alt_km - 25.0, None)
    ax.set_ylabel("mean altitude (km)")
    ax.set_xlabel("date (UTC)")
    ax.set_title(textwrap.fill(title, 64))          # two lines rather than cut off at the edge
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right" if band else "lower center", bbox_to_anchor=None if band else (0.55, 0.1),
              framealpha=0.9)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _draw_run(ax, res, label: str, style: str, label_burns: bool = True) -> None:
    dates = _dates(res)
    for j, name in enumerate(res.body_names):
        colour = BODY_COLOURS.get(name, FALLBACK_COLOURS[j % len(FALLBACK_COLOURS)])
        ev = res.reentry(name)
        when = None if ev is None else np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(ev.t_s), "s")
        end = np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(res.t_s[-1]), "s")
        tail = f" (reentry {str(when)[:10]})" if when is not None else f" (no reentry by {str(end)[:10]})"
        ax.plot(dates, res.alt_km[:, j], ls=style, color=colour, label=f"{name} - {label}{tail}")
        if when is not None:
            ax.plot([when], [ev.data["alt_m"] / 1e3], marker="X", ms=14, color=colour, mec="black")
        burns = [e for e in res.events if e.kind == "burn" and e.subject == name]
        if burns:
            bt = np.array([e.t_s for e in burns])
            ax.plot(dates[0] + np.round(bt).astype("timedelta64[s]"),
                    np.interp(bt, res.t_s, res.alt_km[:, j]), "^", ms=9, color=colour, mec="black", mew=0.6,
                    alpha=0.9, label=f"{name} - reboost burns ({len(burns)})" if label_burns else None)


def _draw_band(ax, band: dict, reentry_alt_km: float) -> None:
    """Shade, for each body, the range of altitude over the band's runs on a common date grid."""
    runs = list(band.values())
    names = runs[0].body_names
    t_end = max(float(r.t_s[-1]) for r in runs)
    t = np.linspace(0.0, t_end, 800)
    dates = np.datetime64(runs[0].epoch_utc.rstrip("Z"), "s") + np.round(t).astype("timedelta64[s]")
    for j, name in enumerate(names):
        alts = []
        for r in runs:
            h = np.where(np.isfinite(r.alt_km[:, j]), r.alt_km[:, j], reentry_alt_km)
            alts.append(np.interp(t, r.t_s, h, right=h[-1]))
        alts = np.array(alts)
        colour = BODY_COLOURS.get(name, FALLBACK_COLOURS[j % len(FALLBACK_COLOURS)])
        ax.fill_between(dates, alts.min(axis=0), alts.max(axis=0), color=colour, alpha=0.15, lw=0,
                        label=f"{name} - ECSS design bounds, constant {list(band)[0]} to {list(band)[-1]} (not a forecast)")
        for edge in (alts.min(axis=0), alts.max(axis=0)):   # edges: overlapping bands stay readable
            ax.plot(dates, edge, color=colour, lw=1.0, alpha=0.6)


def write_long_term(lr, folder) -> list[Path]:
    """The figures of a scenario.longterm.run.LongRun: altitude.png (the run, without reboosts if
    there were any, the low-high spread shaded) and altitude_spread.png (each spread run); the set
    appears as a whole (fileio.atomic_folder)."""
    from fileio import atomic_folder
    folder = Path(folder)
    with atomic_folder(folder) as tmp:
        names = [p.name for p in _write_long_term(lr, tmp)]
    return [folder / n for n in names]


def _write_long_term(lr, folder: Path) -> list[Path]:
    activity = lr.main.activity_label.split(" (")[0]
    runs = {activity + (", with reboosts" if lr.without_reboosts is not None else ""): lr.main}
    if lr.without_reboosts is not None:
        runs[activity + ", without reboosts"] = lr.without_reboosts
    alt = getattr(lr, "reentry_alt_km", 120.0)
    out = [plot_long_term(runs, folder / "altitude.png", lr.title, alt, band=lr.spread or None,
                          reference=_tle_points(lr))]
    if lr.spread:
        out.append(plot_long_term({f"ECSS {k}": v for k, v in lr.spread.items()}, folder / "altitude_spread.png",
                                  "After the split: ECSS constant activity low / moderate / high (design bounds, not forecasts)", alt))
    return out


def _tle_points(lr) -> dict | None:
    """The TLE check as two points: the start TLE's mean altitude and the reference TLE's."""
    c = lr.check
    if not c:
        return None
    start = np.datetime64(lr.main.epoch_utc.rstrip("Z"), "ms")
    end = np.datetime64(c["reference_epoch_utc"].rstrip("Z"), "ms")
    h0 = float(lr.main.alt_km[0, 0])
    return {"label": f"TLEs ({c['tle_m_per_day']:.1f} m/day; simulated {c['sim_m_per_day']:.1f}, "
                     f"{c['difference_pct']:+.0f} %)",
            "dates": np.array([start, end]), "alt_km": np.array([h0, h0 - c["tle_m_per_day"] * c["days"] / 1e3])}
