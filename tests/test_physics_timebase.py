"""physics.timebase: the UTC -> TT conversion read from skyfield's shipped leap-second table agrees
with skyfield's own Timescale.from_datetime (round-off tolerance), across leap seconds."""
from datetime import datetime, timedelta, timezone

import pytest

from physics.timebase import Epoch, timescale, utc_to_tt_jd

TOL_S = 1e-6     # same arithmetic as skyfield: agreement far inside a float64 JD step
JD_RES_S = 1e-4  # a float64 JD near 2.46e6 resolves ~40 us (differences of two JDs)


@pytest.mark.parametrize("text", ["1972-06-30T23:59:59.5Z", "2016-12-31T23:59:59Z", "2017-01-01T00:00:00Z",
                                  "2022-03-05T12:00:00Z", "2049-12-31T18:30:00.25Z", "1905-01-01T00:00:00Z"])
def test_tt_matches_skyfield(text):
    dt = datetime.fromisoformat(text[:-1] + "+00:00")
    ref = float(timescale().from_datetime(dt).tt)
    assert abs(utc_to_tt_jd(dt) - ref) * 86400.0 < TOL_S
    assert abs(Epoch.from_utc(text).tt_jd - ref) * 86400.0 < TOL_S


def test_tt_minus_utc_is_leap_plus_32_184():
    dt = datetime(2022, 3, 5, 12, tzinfo=timezone.utc)          # TAI - UTC = 37 s since 2017
    jd_utc = 2459644.0
    assert abs((utc_to_tt_jd(dt) - jd_utc) * 86400.0 - (37.0 + 32.184)) < JD_RES_S
    step = utc_to_tt_jd(datetime(2017, 1, 1, tzinfo=timezone.utc)) - utc_to_tt_jd(
        datetime(2016, 12, 31, 23, 59, 59, tzinfo=timezone.utc))
    assert abs(step * 86400.0 - 2.0) < JD_RES_S                      # the leap second 2016-12-31T23:59:60


def test_many_dates_match_skyfield():
    base = datetime(1960, 1, 1, tzinfo=timezone.utc)
    for k in range(500):
        dt = base + timedelta(seconds=k * 5_678_901.123)
        assert abs(utc_to_tt_jd(dt) - float(timescale().from_datetime(dt).tt)) * 86400.0 < TOL_S
