"""Drag calibration on the ISS orbit record: one effective drag scale for the long-run model.

For each reboost-free window between two TLEs (assets/tles/reboost_free_windows.csv, TLEs in
assets/tles/iss_2022_record.tle) the docked station is propagated from the first TLE's SGP4 mean
elements to the second's epoch with exactly the model the predictions use (NRLMSIS 2.1 with the
observed daily / monthly activity, the station mesh's along-wind area in flight attitude with the
arrays tracking the Sun, Cd 2.2) and its mean decay compared with the decay of the TLEs' mean
semi-major axis. The drag force is linear in Cd A / m, and over days the density does not depend on
it, so the simulated rate scales with it. Each window's TLE-derived rate carries the noise of its two
TLEs (TLE_SIGMA_A_M each: sqrt(2) sigma / days, 3-9 % of the rate here); the fit is the weighted
geometric mean of the ratios observed / simulated, each window weighted by 1 / (s_model^2 + s_i^2),
s_model the scatter the windows show beyond their TLE noise (Paule-Mandel estimate). `scatter_log` is
the plain standard deviation of the log ratios (the figure quoted per window); the prediction range
(`range_low`, `range_high`) covers every window's own scale, because the residuals are not shown to be
random (docs/decay.md, "Drag calibration"). `python main.py calibrate` prints it and writes
assets/tles/drag_calibration.toml, which the long-run scenarios read.
"""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from physics.errors import PhysicsInputError

TLE_DIR = Path(__file__).resolve().parents[2] / "assets" / "tles"
RECORD = TLE_DIR / "iss_2022_record.tle"
WINDOWS = TLE_DIR / "reboost_free_windows.csv"
CALIBRATION = TLE_DIR / "drag_calibration.toml"
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
# MEASURED: the noise of one ISS TLE's SGP4 mean semi-major axis, pooled over 6 degrees of freedom:
# residuals of a straight line (constant decay) through the shipped TLEs of two reboost-free spans,
# 10-22 Feb 2022 (5 sets, iss_2022.tle + the record: rms 17.8 m) and 14 Jan - 7 Feb 2022 (4 sets: 6.1 m),
# and one pair 13.8 h apart (22202.89296957, the record's 2022-07-21 21:25, and 22203.46960946, public
# code id 33240447436, an ootk test fixture: +35.4 m where drag takes -18 m, 53.6 m between two sets).
# sqrt((950 + 74 + 53.6^2 / 2) / 6) = 20 m (tests/test_decay_calibration.py recomputes it). Real
# changes of the decay rate inside a span count as noise here: an upper side.
TLE_SIGMA_A_M = 20.0
# Accuracy of MSIS-class density models against drag and mass-spectrometer data: "around 15 percent"
# ("High Altitude Atmospheric Modeling", 1988: MSIS-86, NRLMSIS's ancestor, against 13 data sets;
# abstract at preview.concepedia.online/publication/W1623301981).
# Used only to say what median |error| two-TLE windows can reach (`error_floor`), never in the fit.
DENSITY_MODEL_ACCURACY = 0.15
GOAL_PCT = 10.0     # issue 12's goal: median |error| over the windows and the docked check within 10 %


@dataclass(frozen=True)
class Window:
    id: int
    start: str            # TLE name suffix "YYYY-MM-DD HH:MM"
    end: str
    before: str           # nearest published orbit change before / after, with its source
    after: str


@dataclass(frozen=True)
class WindowResult:
    window: Window
    epoch_utc: str
    days: float
    alt_km: float         # mean altitude at the start
    observed_m_per_day: float
    simulated_m_per_day: float     # with drag scale 1
    f107_mean: float = float("nan")    # mean NRLMSIS F10.7 input (previous day's) over the window

    @property
    def ratio(self) -> float:
        return self.observed_m_per_day / self.simulated_m_per_day

    @property
    def sigma_log(self) -> float:
        """Relative 1-sigma of the TLE-derived rate from the noise of its two TLEs."""
        return float(np.sqrt(2.0) * TLE_SIGMA_A_M / (self.days * self.observed_m_per_day))


@dataclass(frozen=True)
class Calibration:
    scale: float               # effective drag factor on the model's Cd A
    scatter_log: float         # std of ln(observed / simulated) over the windows
    n_windows: int
    model: str = ""
    range_low: float = float("nan")    # prediction range: every window's own scale (NaN: +-scatter)
    range_high: float = float("nan")
    model_scatter_log: float = float("nan")   # scatter beyond the TLE noise (Paule-Mandel)

    @property
    def low(self) -> float:
        return self.scale * float(np.exp(-self.scatter_log))

    @property
    def high(self) -> float:
        return self.scale * float(np.exp(self.scatter_log))

    @property
    def prediction_range(self) -> tuple[float, float]:
        """(low, high) drag scale for the predictions' range: the widened range when stored, else +-scatter."""
        if np.isfinite(self.range_low) and np.isfinite(self.range_high):
            return self.range_low, self.range_high
        return self.low, self.high


def load_windows(path: Path = WINDOWS) -> list[Window]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return [Window(int(r["id"]), r["start_tle"], r["end_tle"], f"{r['burn_before']} ({r['source_before']})",
                   f"{r['burn_after']} ({r['source_after']})") for r in rows]


def load_record(path: Path = RECORD) -> dict:
    """{'YYYY-MM-DD HH:MM': Tle} from the record file (checksums checked by physics.orbit)."""
    from physics.orbit import load_tle_file
    return {t.name.replace("ISS (ZARYA)", "").strip(): t for t in load_tle_file(path)}


def run_window(w: Window, tles: dict, make_body, activity) -> WindowResult:
    """Simulated (drag scale 1) and TLE-derived mean decay over one window."""
    from physics.longterm.decay import run_long_term
    from physics.longterm.elements import from_tle
    from physics.longterm.rates import R_EQ_M
    if w.start not in tles or w.end not in tles:
        raise PhysicsInputError(f"{WINDOWS}: window {w.id}: no TLE named '{w.start}' or '{w.end}' in {RECORD.name}")
    el0, ep0 = from_tle(tles[w.start].line1, tles[w.start].line2, source=str(RECORD))
    el1, ep1 = from_tle(tles[w.end].line1, tles[w.end].line2, source=str(RECORD))
    dt = float((np.datetime64(ep1.rstrip("Z"), "ms") - np.datetime64(ep0.rstrip("Z"), "ms")) / np.timedelta64(1, "ms")) / 1e3
    res = run_long_term([make_body()], el0, ep0, dt, activity, max_step_s=DAY_S)     # windows of days: 1-day steps
    days = dt / DAY_S
    t = np.datetime64(ep0.rstrip("Z"), "ms") + (np.linspace(0.0, dt, 97) * 1e3).astype("timedelta64[ms]")
    return WindowResult(w, ep0, days, (el0.a_m - R_EQ_M) / 1e3, (el0.a_m - el1.a_m) / days,
                        (float(res.a_m[0, 0]) - float(res.a_m[-1, 0])) / days,
                        float(np.mean(activity.indices(t)[0])))


def fit(results: list[WindowResult], model: str = "") -> Calibration:
    """Weighted geometric mean (weights 1 / (s_model^2 + s_i^2)), the plain scatter, and the
    prediction range spanning every window's own scale (and at least +-scatter)."""
    logs = np.log([r.ratio for r in results])
    if len(logs) < 2:
        raise PhysicsInputError("calibration: need at least two windows")
    s_i = np.array([r.sigma_log for r in results])
    s_m = model_scatter(logs, s_i)
    w = 1.0 / (s_m ** 2 + s_i ** 2)
    mu, sd = float((w * logs).sum() / w.sum()), float(logs.std(ddof=1))
    lo, hi = min(logs.min(), mu - sd), max(logs.max(), mu + sd)
    return Calibration(float(np.exp(mu)), sd, len(logs), model, float(np.exp(lo)), float(np.exp(hi)), s_m)


def model_scatter(logs: np.ndarray, s_i: np.ndarray) -> float:
    """Paule-Mandel: the s >= 0 with sum w (y - mean_w)^2 = n - 1, w = 1 / (s^2 + s_i^2) (0 if the
    TLE noise alone explains the spread). Bisection: the left side falls monotonically with s."""
    def excess(s):
        w = 1.0 / (s ** 2 + s_i ** 2)
        mu = (w * logs).sum() / w.sum()
        return float((w * (logs - mu) ** 2).sum()) - (len(logs) - 1)
    if excess(0.0) <= 0.0:
        return 0.0
    lo, hi = 0.0, 10.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if excess(mid) > 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def activity_trend(results: list[WindowResult]) -> tuple[float, float]:
    """Least-squares slope of ln(observed / simulated) against the windows' mean F10.7 input, per
    100 sfu, and its standard error: a diagnostic (printed), never applied to the model."""
    x = np.array([r.f107_mean for r in results]) / 100.0
    y = np.log([r.ratio for r in results])
    A = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    res = y - A @ coef
    cov = (res @ res / max(len(y) - 2, 1)) * np.linalg.inv(A.T @ A)
    return float(coef[1]), float(np.sqrt(cov[1, 1]))


def error_floor(results: list[WindowResult], density_accuracy: float = DENSITY_MODEL_ACCURACY) -> float:
    """Median |error| (fraction) expected even from a perfect fit: each window's TLE noise and the
    density model's accuracy combined, median of |N(0, s)| = 0.674 s, the median over the windows."""
    s = np.sqrt(density_accuracy ** 2 + np.array([r.sigma_log for r in results]) ** 2)
    return float(np.median(0.6745 * s))


def calibrate(make_body, activity, windows=None, tles=None) -> tuple[list[WindowResult], Calibration]:
    windows = load_windows() if windows is None else windows
    tles = load_record() if tles is None else tles
    results = [run_window(w, tles, make_body, activity) for w in windows]
    return results, fit(results)


def write_calibration(results: list[WindowResult], cal: Calibration, path: Path = CALIBRATION) -> None:
    """TOML with the fit and every window's figures (the test reruns them); written whole or not at all."""
    lines = ["# Written by `python main.py calibrate` (physics/longterm/calibration.py): do not edit by hand.",
             "# Effective drag scale on the long-run model's Cd x A (mesh area), fitted to the 2022 TLE record.",
             f"scale = {cal.scale:.6f}", f"scatter_log = {cal.scatter_log:.6f}", f"n_windows = {cal.n_windows}",
             "# prediction range: every window's own scale (the residuals are not shown to be random)",
             f"range_low = {cal.range_low:.6f}", f"range_high = {cal.range_high:.6f}",
             f"model_scatter_log = {cal.model_scatter_log:.6f}", f"tle_sigma_a_m = {TLE_SIGMA_A_M:g}",
             f"model = {_q(cal.model)}", ""]
    for r in results:
        lines += ["[[window]]", f"id = {r.window.id}", f"start = {_q(r.window.start)}", f"end = {_q(r.window.end)}",
                  f"days = {r.days:.4f}", f"observed_m_per_day = {r.observed_m_per_day:.4f}",
                  f"simulated_m_per_day = {r.simulated_m_per_day:.4f}", f"f107_mean = {r.f107_mean:.2f}",
                  f"sigma_log = {r.sigma_log:.4f}", ""]
    from fileio import write_text
    write_text(path, "\n".join(lines))          # atomic: a unique temporary, fsync, rename


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_calibration(path: Path = CALIBRATION) -> Calibration:
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
        nan = float("nan")
        return Calibration(float(d["scale"]), float(d["scatter_log"]), int(d["n_windows"]), str(d.get("model", "")),
                           float(d.get("range_low", nan)), float(d.get("range_high", nan)),
                           float(d.get("model_scatter_log", nan)))
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise PhysicsInputError(f"{path}: drag calibration unreadable ({exc.__class__.__name__}: {exc}); "
                                "run `python main.py calibrate`") from None


def stored_windows(path: Path = CALIBRATION) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("window", [])
