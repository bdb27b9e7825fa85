"""Space-weather inputs for NRLMSIS: the pymsis conventions and the sourced tables."""
from __future__ import annotations

import numpy as np
import pytest

from physics import spaceweather as sw


def t(*iso):
    return np.array(iso, dtype="datetime64[s]")


def test_daily_values_follow_pymsis_convention():
    """f107 = previous day's observed flux, f107a = 81-day centred, ap = daily Ap: the reference's §3
    table lists exactly these as the pymsis inputs for 2022-02-26 (96.2, 114.9, 1) and 2022-03-05
    (113.1, 114.8, 27); 2022-01-01 takes 2021-12-31's 101.5 (reference §1.2)."""
    f107, f107a, ap = sw.observed_history().indices(t("2022-02-26T00:00", "2022-03-05T23:59", "2022-01-01T12:00"))
    assert f107.tolist() == [96.2, 113.1, 101.5]
    assert f107a.tolist() == [114.9, 114.8, 104.5]
    assert ap.tolist() == [1.0, 27.0, 12.0]


def test_monthly_values_interpolate_between_mid_months():
    """Outside the daily table: monthly observed means (2024-10: 222.1, Ap 19.0) at mid-month, linear
    in between; after 2026-04 the CelesTrak outlook (2032-12: 109.7)."""
    hist = sw.observed_history()
    f107, f107a, ap = hist.indices(t("2024-10-15T12:00"))
    assert f107[0] == pytest.approx(222.1, abs=0.5) and f107a[0] == f107[0] and ap[0] == pytest.approx(19.0, abs=0.3)
    lo, _, _ = hist.indices(t("2024-10-01T12:00"))
    assert 197.0 < lo[0] < 222.1                      # between Sep (196.2) and Oct (222.1)
    assert hist.indices(t("2032-12-31T00:00"))[0][0] == pytest.approx(109.7)


def test_ecss_levels_and_predicted_curve():
    assert [sw.activity(k).f107 for k in ("low", "moderate", "high")] == [65.0, 140.0, 250.0]
    assert [sw.activity(k).ap for k in ("low", "moderate", "high")] == [0.0, 15.0, 45.0]
    pred = sw.activity("predicted-2019")
    f107, _, ap = pred.indices(t("2025-07-15T00:00", "2022-02-15T00:00"))
    assert f107 == pytest.approx([135.4, 85.1], abs=0.3) and ap.tolist() == [10.3, 10.3]
