"""Drag calibration on the ISS orbit record: one effective drag scale for the long-run model.

For each reboost-free window between two TLEs (assets/tles/reboost_free_windows.csv, TLEs in
assets/tles/iss_2022_record.tle) the docked station is propagated from the first TLE's SGP4 mean
elements to the second's epoch with exactly the model the predictions use (NRLMSIS 2.1 with the
observed daily / monthly activity, the station mesh's along-wind area in flight attitude with the
arrays tracking the Sun, Cd 2.2) and its mean decay compared with the decay of the TLEs' mean
semi-major axis. The drag force is linear in Cd A / m, and over days the density does not depend on
it, so the simulated rate scales with it: the fit is the geometric mean of the ratios
observed / simulated, the scatter the standard deviation of their logarithms (one window = one
measurement; single-TLE noise ~0.1-0.2 km makes short windows noisy). `python main.py calibrate`
prints it and writes assets/tles/drag_calibration.toml, which the long-run scenarios read.
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
DAY_S = 86400.0


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

    @property
    def ratio(self) -> float:
        return self.observed_m_per_day / self.simulated_m_per_day


@dataclass(frozen=True)
class Calibration:
    scale: float               # effective drag factor on the model's Cd A
    scatter_log: float         # std of ln(observed / simulated) over the windows
    n_windows: int
    model: str = ""

    @property
    def low(self) -> float:
        return self.scale * float(np.exp(-self.scatter_log))

    @property
    def high(self) -> float:
        return self.scale * float(np.exp(self.scatter_log))


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
    return WindowResult(w, ep0, days, (el0.a_m - R_EQ_M) / 1e3, (el0.a_m - el1.a_m) / days,
                        (float(res.a_m[0, 0]) - float(res.a_m[-1, 0])) / days)


def fit(results: list[WindowResult], model: str = "") -> Calibration:
    logs = np.log([r.ratio for r in results])
    if len(logs) < 2:
        raise PhysicsInputError("calibration: need at least two windows")
    return Calibration(float(np.exp(logs.mean())), float(logs.std(ddof=1)), len(logs), model)


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
             f"model = {_q(cal.model)}", ""]
    for r in results:
        lines += ["[[window]]", f"id = {r.window.id}", f"start = {_q(r.window.start)}", f"end = {_q(r.window.end)}",
                  f"days = {r.days:.4f}", f"observed_m_per_day = {r.observed_m_per_day:.4f}",
                  f"simulated_m_per_day = {r.simulated_m_per_day:.4f}", ""]
    from fileio import write_text
    write_text(path, "\n".join(lines))          # atomic: a unique temporary, fsync, rename


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_calibration(path: Path = CALIBRATION) -> Calibration:
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
        return Calibration(float(d["scale"]), float(d["scatter_log"]), int(d["n_windows"]), str(d.get("model", "")))
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise PhysicsInputError(f"{path}: drag calibration unreadable ({exc.__class__.__name__}: {exc}); "
                                "run `python main.py calibrate`") from None


def stored_windows(path: Path = CALIBRATION) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("window", [])
