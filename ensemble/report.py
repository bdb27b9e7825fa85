"""What an ensemble file says: recontact probability with its confidence interval, hull-distance
percentiles, the drift after one orbit, each segment's reentry-date percentiles.

    ens = load("ens.npz"); print("\\n".join(summary_lines(ens)))
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

PERCENTILES = (5, 50, 95)
Z95 = 1.959963984540054          # two-sided 95 %


def load(path) -> dict:
    from ensemble.store import read_npz
    return read_npz(Path(path))



def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion k/n (95 % by default); (0, 1) for n = 0."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def recontact(ens: dict) -> tuple[int, int, float, float]:
    """(members with hull distance <= 0, members, 95 % interval low, high)."""
    d = ens["min_distance_m"]
    k, n = int(np.sum(d <= 0.0)), int(d.size)
    return (k, n) + wilson(k, n)


def fmt_m(x: float) -> str:
    return f"{x * 100:.2f} cm" if abs(x) < 1 else f"{x:.1f} m"


def summary_lines(ens: dict) -> list[str]:
    kind = str(ens["kind"])
    head = f"Ensemble of {int(ens['members'])} members of '{ens['scenario']}' (seed {int(ens['seed'])}, {kind})"
    return [head] + (_separation(ens) if kind == "separation" else _reentry(ens))


def _separation(ens: dict) -> list[str]:
    k, n, lo, hi = recontact(ens)
    d = np.percentile(ens["min_distance_m"], PERCENTILES)
    g = np.percentile(ens["gap_one_orbit_m"], PERCENTILES)
    rel = ens["rel_one_orbit_lvlh_m"]
    return [
        f"  recontact (hull distance <= 0 between the push's end and one orbit after release): "
        f"{k}/{n} = {k / n:.1%}, 95 % interval (Wilson) {lo:.1%} .. {hi:.1%}",
        "  minimum hull distance (over the same window), percentiles 5/50/95: " + " / ".join(fmt_m(x) for x in d),
        closest_return_line(ens),
        "  apart one orbit after release, 5/50/95: " + " / ".join(fmt_m(x) for x in g)
        + f"; along-track spread (1 sigma) {np.std(rel[:, 0]):.1f} m, cross-track {np.std(rel[:, 1]):.1f} m, "
          f"radial {np.std(rel[:, 2]):.1f} m (US segment's LVLH)",
        "  separation speed (ROS relative to USOS after the push, as `simulate` prints it), 5/50/95: " + " / ".join(f"{x * 100:.2f} cm/s" for x in
                                                    np.percentile(ens["separation_speed_mps"], PERCENTILES)),
    ]


def closest_return_line(ens: dict) -> str:
    """The closest return (ensemble.separation.closest_return): its 5/50/95 percentiles and times over the
    members that have one, and how many do."""
    d, t = ens["closest_return_m"], ens["t_closest_return_s"]
    has = np.isfinite(d)
    head = f"  closest return (the smallest hull distance after it first stops growing): {int(has.sum())}/{d.size} members"
    if not has.any():
        return head + " have one within one orbit after release (the distance grows, then falls until the window's end)"
    q = np.percentile(d[has], PERCENTILES)
    tq = np.percentile(t[has], PERCENTILES)
    return (head + " have one; percentiles 5/50/95: " + " / ".join(fmt_m(x) for x in q)
            + ", at " + " / ".join(f"{x / 60:.0f}" for x in tq) + " min after release")


def reentry_dates(ens: dict, segment: str) -> np.ndarray:
    """Reentry instants (datetime64[s]) of the members that re-entered within the run."""
    days = ens[f"reentry_days_{segment}"]
    days = days[np.isfinite(days)]
    t0 = np.datetime64(str(ens["epoch_utc"]).rstrip("Z"), "s")
    return t0 + (days * 86400.0).astype("timedelta64[s]")


def run_end_days(ens: dict) -> float:
    """Days from the split to the end of the reentry run (a member still up is up at least until then)."""
    return float(ens["run_end_days"]) if "run_end_days" in ens else float(ens["fan_days"][-1])


def date_percentiles(ens: dict, segment: str) -> tuple[list[str], list[bool]] | None:
    """The 5/50/95 % reentry dates (ISO) over ALL members, a member still up counting as later than the
    run's end: (dates, after_end flags; a flagged date is the run's end: 'after' it). None: nobody came down."""
    days = np.where(np.isfinite(ens[f"reentry_days_{segment}"]), ens[f"reentry_days_{segment}"], np.inf)
    if not np.isfinite(days).any():
        return None
    q = np.quantile(days, np.array(PERCENTILES) / 100.0, method="inverted_cdf")
    after = [not np.isfinite(x) for x in q]
    t0 = np.datetime64(str(ens["epoch_utc"]).rstrip("Z"), "s")
    end = run_end_days(ens)
    dates = [str(t0 + np.timedelta64(int(round((end if a else x) * 86400.0)), "s"))[:10] for x, a in zip(q, after)]
    return dates, after


def fmt_date(date: str, after: bool) -> str:
    return f"after {date}" if after else date


def varied(spec: dict) -> str:
    """What a reentry ensemble varies, in words (the last chapter's note): from its [ensemble] table."""
    parts = []
    if spec["drag_scale"] != "none":
        parts.append("the drag across its calibration's scatter" if spec["drag_scale"] == "calibration"
                     else "the drag within its fit's error")
    if spec["density_sigma_pct"] > 0:
        parts.append(f"the air density by {spec['density_sigma_pct']:g} %")
    if spec["solar"] == "forecast-band":
        parts.append("the Sun across the Dec-2021 forecast's range")
    if any(spec["modes"].values()):
        parts.append("the attitude")
    return ", ".join(parts) or "nothing"


def summary_dict(ens: dict, spec: dict | None = None) -> dict:
    """Reentry ensembles: the JSON `ensemble --summary` writes (what the lesson's last chapter reads);
    spec: the [ensemble] table, for 'varied'."""
    out = {"format": "iss-ensemble-summary-1", "scenario": str(ens["scenario"]), "members": int(ens["members"]),
           "seed": int(ens["seed"]), "epoch_utc": str(ens["epoch_utc"]), "percentiles": list(PERCENTILES),
           "varied": None if spec is None else varied(spec), "segments": {}}
    for seg in segments(ens):
        q = date_percentiles(ens, seg)
        out["segments"][seg] = {"dates": None if q is None else q[0], "after_end": None if q is None else q[1],
                                "still_up": int(np.sum(~np.isfinite(ens[f"reentry_days_{seg}"])))}
    return out


def _reentry(ens: dict) -> list[str]:
    lines = []
    for seg in segments(ens):
        up = int(np.sum(~np.isfinite(ens[f"reentry_days_{seg}"])))
        q = date_percentiles(ens, seg)
        if q is None:
            lines.append(f"  {seg}: no member re-entered within the run")
            continue
        modes = ", ".join(f"{m} {np.mean(ens[f'mode_{seg}'] == m):.0%}" for m in np.unique(ens[f"mode_{seg}"]))
        lines.append(f"  {seg}: reentry date percentiles 5/50/95: " + " / ".join(fmt_date(*x) for x in zip(*q))
                     + (f" ({up} of {int(ens['members'])} still up at the run's end)" if up else "")
                     + f"; attitude {modes}")
    return lines


def segments(ens: dict) -> list[str]:
    return [k[len("reentry_days_"):] for k in sorted(ens) if k.startswith("reentry_days_")]
