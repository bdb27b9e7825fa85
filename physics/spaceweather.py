"""Solar and geomagnetic activity for NRLMSIS: constant levels, the observed history, a cycle profile.

Every model answers one question: for UTC instants t (datetime64 array), which NRLMSIS inputs
`(f107, f107a, ap)` apply? `f107` is pymsis' `f107s` = the observed F10.7 of the *previous* day,
`f107a` its 81-day centred mean, `ap` the daily Ap (pymsis uses only that with default options).
Nothing is ever downloaded: pymsis is always called with all three arrays given.

Sources (tables in assets/spaceweather/, see SOURCES.md there):
* Constant levels: ECSS-E-ST-10-04C (2008) long-term low / moderate / high,
  F10.7 = F10.7a = 65 / 140 / 250 sfu with Ap = 0 / 15 / 45 (as quoted in public code; the
  standard's Table 6-3 itself was not retrieved, reference §7). ECSS §7.2.1.2 says analyses longer
  than a week use long-term values for both the daily and the 81-day input: that is what they are.
* Observed history ("as it happened"): CelesTrak SW-All daily values 2022-01-01 … 2022-12-31; outside
  that, monthly means of observed F10.7 and Ap 2019-01 … 2026-04 (DERIVED from the same file), then
  CelesTrak's monthly outlook 2026-07 … 2032-12 (50th percentile; Ap not given there: the 1998-2026
  mean daily Ap 10.2, reference §6). For runs longer than a week ECSS allows monthly values for
  both F10.7 inputs (reference §6 quoting ECSS §7.2.2 NOTE 2); months are interpolated linearly
  between mid-month points so the density has no steps at month boundaries.
* Solar-cycle profile "as forecast in early 2022": NOAA SWPC 2019-panel curve with its published
  expected range (json of Dec 2021, assets/spaceweather/swpc_predicted_cycle25_2021-12.csv):
  `forecast-2022` (= `predicted-2019`, the curve), `forecast-2022-high` and `forecast-2022-low` (the
  band); Ap 10.3 (mean daily Ap of cycle 25 so far, 2019-12 … 2026-04, reference §6: DERIVED, with
  hindsight: the forecast gave no Ap).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from physics.errors import PhysicsInputError

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "spaceweather"
DAY = np.timedelta64(1, "D")
F107_PREV_2021_12_31 = 101.5      # CelesTrak F10.7 obs of 2021-12-31 (reference §1.2), = f107s for 2022-01-01
AP_CLIMATOLOGY = 10.2             # mean daily Ap 1998-07 … 2026-04 (reference §6, DERIVED)
AP_CYCLE25 = 10.3                 # mean daily Ap 2019-12 … 2026-04 (reference §6, DERIVED)


@dataclass(frozen=True)
class ConstantActivity:
    """One level held for the whole run."""
    f107: float
    f107a: float
    ap: float
    label: str = "constant"

    def indices(self, t_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """t_utc (K,) datetime64 -> f107 (K,), f107a (K,), ap (K,)."""
        k = np.shape(t_utc)
        return np.full(k, self.f107), np.full(k, self.f107a), np.full(k, self.ap)


ECSS_LOW = ConstantActivity(65.0, 65.0, 0.0, "ECSS low (F10.7 65, Ap 0)")
ECSS_MODERATE = ConstantActivity(140.0, 140.0, 15.0, "ECSS moderate (F10.7 140, Ap 15)")
ECSS_HIGH = ConstantActivity(250.0, 250.0, 45.0, "ECSS high (F10.7 250, Ap 45)")
ECSS_LEVELS = {"low": ECSS_LOW, "moderate": ECSS_MODERATE, "high": ECSS_HIGH}


@dataclass(frozen=True)
class TableActivity:
    """Per-day table from day0 on: f107 (previous day's obs), f107a, ap; (D,) each."""
    day0: np.datetime64
    f107: np.ndarray
    f107a: np.ndarray
    ap: np.ndarray
    label: str
    daily_until: np.datetime64 | None = None   # day-by-day values before this date; after it only smooth
                                               # monthly interpolation (the long run may step 10 days there)

    def indices(self, t_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """t_utc (K,) datetime64 -> f107 (K,), f107a (K,), ap (K,) of the UTC day of each instant."""
        d = ((np.asarray(t_utc, dtype="datetime64[s]") - self.day0) // DAY).astype(np.int64)
        if d.size and (d.min() < 0 or d.max() >= self.f107.size):
            last = self.day0 + (self.f107.size - 1) * DAY
            raise PhysicsInputError(f"solar activity: {self.label}: dates outside {self.day0} … {last}")
        return self.f107[d], self.f107a[d], self.ap[d]


FORECAST_BANDS = {"forecast-2022": "predicted", "predicted-2019": "predicted",
                  "forecast-2022-high": "high", "forecast-2022-low": "low"}
NAMES = ("low", "moderate", "high", "observed") + tuple(FORECAST_BANDS)


def activity(name: str) -> ConstantActivity | TableActivity:
    """'low' | 'moderate' | 'high' (ECSS design bounds) | 'observed' | 'forecast-2022[-high|-low]'
    (alias 'predicted-2019') -> a model (one-line error otherwise)."""
    if name in ECSS_LEVELS:
        return ECSS_LEVELS[name]
    if name == "observed":
        return observed_history()
    if name in FORECAST_BANDS:
        return forecast_2022(FORECAST_BANDS[name])
    raise PhysicsInputError(f"solar activity: name: '{name}' is not one of {', '.join(NAMES)}")


def _read_csv(name: str) -> list[dict]:
    with open(ASSETS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _monthly_to_daily(months: list[str], values: list[float], day0, n_days: int) -> np.ndarray:
    """Linear interpolation between mid-month points (held flat beyond the ends); (n_days,)."""
    mid = np.array([np.datetime64(m + "-01") + np.timedelta64(14, "D") for m in months])
    x = (mid - day0).astype("timedelta64[D]").astype(float)
    return np.interp(np.arange(n_days) + 0.5, x, np.asarray(values, dtype=float))


DAY0 = np.datetime64("2019-01-01")
N_DAYS = int((np.datetime64("2033-01-01") - DAY0) // DAY)


@lru_cache(maxsize=1)
def observed_history() -> TableActivity:
    """Daily 2022-01 … 2022-12, monthly observed means elsewhere 2019-01 … 2026-04, outlook to 2032-12."""
    monthly = [r for r in _read_csv("solar_cycle_monthly.csv") if r["f107_monthly_observed"]]
    outlook = _read_csv("celestrak_monthly_outlook_2026-2032.csv")
    months = [r["month"] for r in monthly] + [r["month"] for r in outlook]
    f107_m = [float(r["f107_monthly_observed"]) for r in monthly] + [float(r["f107_obs_predicted"]) for r in outlook]
    ap_m = [float(r["ap_monthly"]) for r in monthly] + [AP_CLIMATOLOGY] * len(outlook)
    f107 = _monthly_to_daily(months, f107_m, DAY0, N_DAYS)
    f107a, ap = f107.copy(), _monthly_to_daily(months, ap_m, DAY0, N_DAYS)
    daily = _read_csv("solar_activity.csv")
    d = np.array([(np.datetime64(r["date"]) - DAY0) // DAY for r in daily], dtype=np.int64)
    obs = np.array([float(r["f107_obs"]) for r in daily])
    f107[d] = np.concatenate([[F107_PREV_2021_12_31], obs[:-1]])      # pymsis wants the previous day's
    f107a[d] = [float(r["f107_81day_centered"]) for r in daily]
    ap[d] = [float(r["ap_daily"]) for r in daily]
    return TableActivity(DAY0, f107, f107a, ap, "observed (CelesTrak daily/monthly, outlook after 2026-04)",
                         np.datetime64(daily[-1]["date"]) + DAY)


FORECAST_FILE = "swpc_predicted_cycle25_2021-12.csv"


def forecast_table() -> list[dict]:
    """Rows of the SWPC forecast file (month, ssn_/f107_ predicted, high, low), comments skipped."""
    with open(ASSETS / FORECAST_FILE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@lru_cache(maxsize=3)
def forecast_2022(band: str = "predicted") -> TableActivity:
    """NOAA SWPC 2019-panel monthly F10.7 (2021-06 … 2032-12) as issued in Dec 2021: the curve
    ('predicted') or an edge of its published range ('high' / 'low'); both F10.7 inputs = the month's
    value (ECSS: long-term values for runs over a week), interpolated between mid-months."""
    rows = forecast_table()
    f107 = _monthly_to_daily([r["month"] for r in rows], [float(r[f"f107_{band}"]) for r in rows], DAY0, N_DAYS)
    what = "curve" if band == "predicted" else f"{band} edge of its range"
    return TableActivity(DAY0, f107, f107.copy(), np.full(N_DAYS, AP_CYCLE25),
                         f"forecast of Dec 2021 (NOAA SWPC 2019 panel, {what}), Ap 10.3", DAY0)


def predicted_2019_panel() -> TableActivity:
    """The forecast curve (kept name): forecast_2022("predicted")."""
    return forecast_2022("predicted")
