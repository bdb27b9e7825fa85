"""Figures of an ensemble file (`python main.py plot ens.npz`): separation: the recontact scatter and
the closest-return histogram (ensemble.separation.closest_return); reentry: each segment's reentry-date histogram and the altitude fan
(5-95 % and 25-75 % bands of the members' mean altitude, the median line). Matplotlib Agg, lettered
for a projector like scenario/longterm/plots.py (its RC and segment colours)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ensemble import report


def write_ensemble(ens: dict, folder: Path) -> list[Path]:
    """The ensemble's figures as PNGs in `folder`; the set appears as a whole (fileio.atomic_folder)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from fileio import atomic_folder
    from scenario.longterm.plots import RC
    folder = Path(folder)
    with plt.rc_context(RC), atomic_folder(folder) as tmp:
        figs = _separation(ens) if str(ens["kind"]) == "separation" else _reentry(ens)
        names = [_save(fig, tmp / name).name for name, fig in figs]
    return [folder / n for n in names]


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def _fig():
    import matplotlib.pyplot as plt
    return plt.subplots(figsize=(13.33, 7.5), dpi=100)


def _title(ens: dict, what: str) -> str:
    text = f"{what}: {int(ens['members'])} members of {ens['scenario']}"
    return text if len(text) <= 64 else f"{what}\n{int(ens['members'])} members of {ens['scenario']}"   # fits the figure


def _separation(ens: dict):
    k, n, lo, hi = report.recontact(ens)
    d, ret = ens["min_distance_m"], ens["closest_return_m"]
    tilt = np.linalg.norm(ens["tilt_deg"], axis=1)
    energy = ens["pusher_energy_j"]
    fig1, ax = _fig()
    touch = d <= 0
    back = ~touch & np.isfinite(ret)
    none = ~touch & ~back
    if back.any():
        sc = ax.scatter(tilt[back], energy[back], s=18, c=ret[back], cmap="viridis", label="clear")
        fig1.colorbar(sc, ax=ax, label="closest return (m)")
    if none.any():
        ax.scatter(tilt[none], energy[none], s=18, color="#999999",
                   label=f"clear, no return within one orbit ({int(none.sum())})")
    ax.scatter(tilt[touch], energy[touch], s=60, marker="x", color="#c0392b",
               label=f"recontact: {k}/{n} ({k / n:.1%}, 95 % interval {lo:.1%} .. {hi:.1%})")
    ax.set(xlabel="spring line tilt from the docking axis (deg)", ylabel="spring energy (J)",
           title=_title(ens, "Recontact and closest return"))
    ax.legend(loc="best")
    fig1.tight_layout()
    fig2, ax = _fig()
    has = np.isfinite(ret)
    ax.hist(ret[has], bins=40, color="#1f5fbf", label=f"{int(has.sum())}/{n} members return within one orbit")
    ax.axvline(0.0, color="#c0392b", lw=2, label=f"contact (hull distance <= 0): {k}/{n}")
    ax.set(xlabel="closest return (m): the smallest hull distance after it first stops growing",
           ylabel="members", title=_title(ens, "Closest return within one orbit after release"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    fig2.tight_layout()
    return [("recontact_scatter.png", fig1), ("closest_return_hist.png", fig2)]


def _down_cut(p: np.ndarray, alt_km: float) -> np.ndarray:
    """Each percentile curve ends where it reaches the reentry altitude (not drawn along it afterwards)."""
    p = p.copy()
    for row in p:
        down = np.flatnonzero(row <= alt_km)
        if down.size:
            row[down[0] + 1:] = np.nan
    return p


def _reentry(ens: dict):
    from scenario.longterm.plots import BODY_COLOURS
    fig1, ax = _fig()
    for seg in report.segments(ens):
        dates = report.reentry_dates(ens, seg)
        if dates.size:
            q = report.date_percentiles(ens, seg)
            up = int(ens["members"]) - dates.size
            ax.hist(dates.astype("datetime64[D]").astype("datetime64[s]").astype("O"), bins=40, alpha=0.75,
                    color=BODY_COLOURS.get(seg), label=f"{seg}: 5/50/95 % " + " / ".join(
                        report.fmt_date(*x) for x in zip(*q)) + (f" ({up} still up)" if up else ""))
    ax.set(xlabel="reentry date (120 km)", ylabel="members", title=_title(ens, "Reentry dates"))
    ax.legend()
    fig1.autofmt_xdate()
    fig1.tight_layout()
    fig2, ax = _fig()
    t0 = np.datetime64(str(ens["epoch_utc"]).rstrip("Z"), "s")
    x = (t0 + (ens["fan_days"] * 86400).astype("timedelta64[s]")).astype("O")
    for seg in report.segments(ens):
        alt = np.where(np.isnan(ens[f"alt_km_{seg}"]), float(ens["reentry_alt_km"]), ens[f"alt_km_{seg}"])
        p = np.percentile(alt, (5, 25, 50, 75, 95), axis=0)
        p[2:] = _down_cut(p[2:], float(ens["reentry_alt_km"]))    # a band ends when its upper edge is down
        c = BODY_COLOURS.get(seg)
        ax.fill_between(x, p[0], p[4], color=c, alpha=0.18, lw=0)
        ax.fill_between(x, p[1], p[3], color=c, alpha=0.35, lw=0)
        ax.plot(x, p[2], color=c, label=f"{seg}: median, 25-75 % and 5-95 % of members")
    ax.set(xlabel="date (UTC)", ylabel="mean altitude (km)", title=_title(ens, "Altitude fan"),
           ylim=(float(ens["reentry_alt_km"]) - 10, None))
    ax.legend()
    fig2.autofmt_xdate()
    fig2.tight_layout()
    return [("reentry_dates_hist.png", fig1), ("altitude_fan.png", fig2)]
