"""PNG figures of a run (matplotlib, Agg): large type for a projector, SI units on every axis.

Each function takes a Trajectory and returns a matplotlib Figure; `write_all` saves them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from physics.trajmeta import trajectory_meta
from scenario import summary as S
from scenario.cw import cw_lvlh, mean_motion, relative_lvlh

STYLE = {"font.size": 17, "axes.titlesize": 20, "axes.labelsize": 18, "legend.fontsize": 15,
         "xtick.labelsize": 15, "ytick.labelsize": 15, "lines.linewidth": 2.6, "axes.grid": True,
         "grid.alpha": 0.35, "figure.dpi": 100, "savefig.dpi": 100}
COLORS = ["#c0392b", "#1f5fa8", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8"]   # ROS red, USOS blue
SIZE = (13, 7.5)


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update(STYLE)
    return plt


def time_axis(t_s: np.ndarray) -> tuple[np.ndarray, str]:
    """Seconds -> a readable unit for the run's length: (values, axis label)."""
    span = float(t_s[-1] - t_s[0]) if len(t_s) else 0.0
    if span <= 1200:
        return t_s, "time since epoch (s)"
    if span <= 9 * 3600:
        return t_s / 60.0, "time since epoch (min)"
    if span <= 3 * 86400:
        return t_s / 3600.0, "time since epoch (h)"
    return t_s / 86400.0, "time since epoch (days)"


EVENT_LABELS = {"release": "hooks open", "burn_start": "burn"}


def _mark_events(ax, traj, scale_t, text: bool = True) -> None:
    """Dotted vertical lines at release and burn starts, labelled at the top of the axes."""
    import matplotlib.transforms as mtransforms
    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for e in traj.events:
        if e.kind in EVENT_LABELS:
            x = float(scale_t(e.t_s))
            ax.axvline(x, color="0.4", linestyle=":", linewidth=1.8)
            if text:
                ax.text(x, 0.97, " " + EVENT_LABELS[e.kind], transform=trans, va="top", ha="left",
                        fontsize=14, color="0.3")


def _scaler(traj):
    _, label = time_axis(traj.t_s)
    div = {"(s)": 1.0, "(min)": 60.0, "(h)": 3600.0, "(days)": 86400.0}[label.split()[-1]]
    return (lambda t: np.asarray(t) / div), label


def _title(traj, what: str) -> str:
    title = trajectory_meta(traj).scenario.title
    return f"{what}\n{title}" if title else what


def fig_range(traj):
    """Range and range-rate of the released pair against time."""
    plt = _plt()
    a, b = S.pair(traj)
    d = traj.r_gcrs_m[:, a] - traj.r_gcrs_m[:, b]
    dv = traj.v_gcrs_mps[:, a] - traj.v_gcrs_mps[:, b]
    rng = np.linalg.norm(d, axis=1)
    rate = np.divide(np.einsum("ki,ki->k", d, dv), rng, out=np.zeros_like(rng), where=rng > 0)
    sc, label = _scaler(traj)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=SIZE, sharex=True)
    t = sc(traj.t_s)
    ax1.plot(t, rng, color=COLORS[0])
    ax1.set_ylabel("range (m)")
    ax1.set_title(_title(traj, f"Distance between {traj.body_names[a]} and {traj.body_names[b]} (centres of mass)"))
    ax2.plot(t, rate * 100.0, color=COLORS[1])
    ax2.set_ylabel("range-rate (cm/s)")
    ax2.set_xlabel(label)
    _mark_events(ax1, traj, sc)
    _mark_events(ax2, traj, sc, text=False)
    fig.tight_layout()
    return fig


FORCE_NAMES = (("central", "central gravity"), ("j2", "J2"), ("j3_j4", "J3, J4"), ("drag", "drag"),
               ("sun_moon", "Sun and Moon"), ("srp", "radiation pressure"))


def forces_text(forces: dict | None) -> str:
    """The run's translational force model in words, e.g. 'central gravity, J2, drag (msis)'."""
    if not forces:
        return "forces not recorded"
    on = []
    for key, words in FORCE_NAMES:
        value = forces.get(key)
        if value and value != "none":
            on.append(f"{words} ({value})" if isinstance(value, str) else words)
    return ", ".join(on) if on else "no forces"


def fig_lvlh(traj):
    """Body a in body b's LVLH frame: along-track (x) against radial-up (-z), with CW overlaid."""
    plt = _plt()
    a, b = S.pair(traj)
    rho, _ = relative_lvlh(traj.r_gcrs_m, traj.v_gcrs_mps, a, b)
    sep = S.separation(traj)
    k0, why = cw_start(traj, (a, b))
    rho0 = rho[k0].copy()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(rho[k0:, 0], -rho[k0:, 2], color=COLORS[0], label=f"simulated ({forces_text(traj.metadata.get('forces'))})")
    ax.plot(rho[:k0 + 1, 0], -rho[:k0 + 1, 2], color="0.5", linewidth=1.5)
    t_cw, x_cw = cw_prediction(traj, a, b, k0)
    ax.plot(x_cw[:, 0], -x_cw[:, 2], "--", color="black", linewidth=2.0,
            label=f"Clohessy-Wiltshire, from the state {why}")
    ax.plot([0], [0], marker="o", markersize=14, color=COLORS[1], linestyle="none",
            label=f"{traj.body_names[b]} (origin)")
    ax.plot([rho0[0]], [-rho0[2]], marker="s", markersize=10, color=COLORS[0], linestyle="none",
            label=f"{traj.body_names[a]} at {traj.t_s[k0]:.0f} s")
    _orbit_ticks(ax, traj, rho, k0, sep)
    ax.set_xlabel(f"along-track, + = ahead of {traj.body_names[b]} (m)")
    ax.set_ylabel("radial, + = up (m)")
    ax.set_title(_title(traj, f"{traj.body_names[a]} seen from {traj.body_names[b]} (LVLH: velocity to the right)"))
    # below the axes: the relative path fills the whole frame (a day of drift leaves no free corner)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, framealpha=0.9)
    fig.tight_layout()
    return fig


def cw_start(traj, pair: tuple[int, int]) -> tuple[int, str]:
    """Sample index where the CW prediction starts: after the push and after the last burn of the
    pair (CW is free motion: it cannot know about thrust), and words for the legend."""
    names = {traj.body_names[i] for i in pair}
    t, why = float(traj.t_s[0]), "at the start"
    for e in traj.events:
        if e.kind == "push_end" and e.t_s >= t:
            t, why = e.t_s, "after the push"
        if e.kind == "burn_end" and e.t_s >= t and e.data.get("body") in names:
            t, why = e.t_s, "after the burn"
    return S.sample_after(traj, t), why


def cw_prediction(traj, a: int, b: int, k0: int):
    """CW propagation of the relative state at sample k0 over the rest of the run: (t (K,), x_lvlh (K,3))."""
    rho, rho_dot = relative_lvlh(traj.r_gcrs_m[k0:k0 + 1], traj.v_gcrs_mps[k0:k0 + 1], a, b)
    n = mean_motion(traj.r_gcrs_m[k0, b], traj.v_gcrs_mps[k0, b])
    t = traj.t_s[k0:] - traj.t_s[k0]
    x, _ = cw_lvlh(rho[0], rho_dot[0], n, t)
    return t, x


def _orbit_ticks(ax, traj, rho, k0, sep) -> None:
    """Mark where body a is after each full orbit; number at most ~6 of them (a day has 15 orbits,
    whose labels would run into each other), always the last."""
    if not sep:
        return
    n = int((traj.t_s[-1] - sep["t_push_end_s"]) // sep["period_s"])
    every = max(1, int(np.ceil(n / 6)))
    for i in range(1, min(n, 200) + 1):
        k = S.sample_after(traj, sep["t_push_end_s"] + i * sep["period_s"])
        ax.plot(rho[k, 0], -rho[k, 2], marker="o", markersize=9, color=COLORS[0])
        if i % every == 0 or i == n:
            ax.annotate(f" orbit {i}", (rho[k, 0], -rho[k, 2]), fontsize=15)


def fig_altitude(traj):
    """Altitude of each body; for a pair, a second panel with the difference (the lines overlap)."""
    plt = _plt()
    sc, label = _scaler(traj)
    ks = np.unique(np.linspace(0, len(traj.t_s) - 1, min(len(traj.t_s), 2000)).astype(int))
    alt = np.array([S.altitude_m(traj, k) for k in ks]) / 1e3
    pair = S.pair(traj) if len(traj.body_names) >= 2 else None
    if pair:
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=SIZE, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    else:
        fig, ax = plt.subplots(figsize=SIZE)
    for i, name in enumerate(traj.body_names):
        ax.plot(sc(traj.t_s[ks]), alt[:, i], color=COLORS[i % len(COLORS)], label=name)
    ax.set_ylabel("altitude above\nWGS84 (km)")
    ax.set_title(_title(traj, "Altitude of each body"))
    ax.legend(loc="lower right")
    _mark_events(ax, traj, sc)
    if pair:
        a, b = pair
        diff_km = alt[:, a] - alt[:, b]
        in_km = np.nanmax(np.abs(diff_km)) > 10.0          # metres for the push, km for months apart
        ax2.plot(sc(traj.t_s[ks]), diff_km if in_km else diff_km * 1e3, color="0.2")
        ax2.set_ylabel(f"{traj.body_names[a]} - {traj.body_names[b]}\n({'km' if in_km else 'm'})")
        _mark_events(ax2, traj, sc, text=False)
        ax = ax2
    ax.set_xlabel(label)
    fig.tight_layout()
    return fig


def fig_rates(traj):
    """Angular rate of each body relative to its LVLH frame (body axes), deg/s."""
    plt = _plt()
    sc, label = _scaler(traj)
    ks = np.unique(np.linspace(0, len(traj.t_s) - 1, min(len(traj.t_s), 3000)).astype(int))
    n = len(traj.body_names)
    fig, axes = plt.subplots(n, 1, figsize=(SIZE[0], max(SIZE[1], 3.6 * n)), sharex=True, squeeze=False)
    rates = np.array([S.spin_relative_to_lvlh(traj, k) for k in ks]) * S.DEG
    for i, name in enumerate(traj.body_names):
        ax = axes[i, 0]
        for j, (axis, color) in enumerate(zip("xyz", ("#c0392b", "#2e8b57", "#1f5fa8"))):
            label_j = {"x": "roll (x)", "y": "pitch (y)", "z": "yaw (z)"}[axis]
            ax.plot(sc(traj.t_s[ks]), rates[:, i, j], color=color, label=label_j)
        ax.set_ylabel(f"{name}\n(deg/s)")
        _mark_events(ax, traj, sc, text=(i == 0))
    axes[0, 0].set_title(_title(traj, "Rotation rate relative to LVLH, body axes"))
    axes[-1, 0].set_xlabel(label)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


CW_MAX_RANGE_M = 200e3     # beyond this the linear CW relative motion is off by ~ (range / r)^1: > 3 %


def max_range_m(traj) -> float:
    """Largest distance between the released pair over the run (0 for one body)."""
    pair = S.pair(traj) if len(traj.body_names) >= 2 else None
    if pair is None:
        return 0.0
    d = traj.r_gcrs_m[:, pair[0]] - traj.r_gcrs_m[:, pair[1]]
    return float(np.nanmax(np.linalg.norm(d, axis=-1)))


def figures(traj) -> dict:
    """{file stem: figure function} for what this run contains. The LVLH view with its CW overlay
    only while the pair stays within CW_MAX_RANGE_M (a months-long playback file: hundreds to
    thousands of km; its altitude against date is `plot` of the long run's own --out file)."""
    out = {}
    if len(traj.body_names) >= 2:
        out["range"] = fig_range
        if max_range_m(traj) <= CW_MAX_RANGE_M:
            out["lvlh"] = fig_lvlh
    out["altitude"] = fig_altitude
    out["attitude_rates"] = fig_rates
    return out


def write_all(traj, folder: Path) -> list[Path]:
    """Save every figure as FOLDER/NAME.png; the set appears as a whole (fileio.atomic_folder)."""
    from fileio import atomic_file, atomic_folder
    plt = _plt()
    names = []
    with atomic_folder(folder) as tmp:
        for stem, make in figures(traj).items():
            fig = make(traj)
            try:
                with atomic_file(tmp / f"{stem}.png") as fh:
                    fig.savefig(fh, format="png")
            finally:
                plt.close(fig)
            names.append(f"{stem}.png")
    return [Path(folder) / n for n in names]
