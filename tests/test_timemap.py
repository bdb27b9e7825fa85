"""Video-time -> simulated-time mapping: monotonic, continuous, invertible, right rates."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from render.timemap import TimeMap, TimeMapError, parse_timemap, warp_label

ORBIT_S = 5554.0  # ~ISS period at 420 km; only sets the cruise rate here


@pytest.fixture
def tmap():
    return parse_timemap("ramp", t_start_s=100.0, orbit_period_s=ORBIT_S)


def test_real_time_during_hold(tmap):
    # the first 10 video seconds show exactly 10 simulated seconds
    for tau in (0.0, 1.0, 5.5, 10.0):
        assert tmap.sim_time(tau) == pytest.approx(100.0 + tau, abs=1e-12)
        assert tmap.rate_at(tau) == 1.0


def test_cruise_rate_is_one_orbit_per_minute(tmap):
    assert tmap.rate1 == pytest.approx(ORBIT_S / 60.0)
    t_a, t_b = tmap.sim_time(30.0), tmap.sim_time(90.0)
    assert t_b - t_a == pytest.approx(ORBIT_S, rel=1e-12)  # one video minute after the ramp = one orbit


def test_integral_matches_independent_quadrature(tmap):
    # sim_time is the integral of rate_at; check against scipy's adaptive quad (a second method)
    for tau in (11.0, 13.7, 18.0, 25.0):
        ref, _ = quad(tmap.rate_at, 0.0, tau, points=[10.0, 18.0], epsabs=1e-10, epsrel=1e-12)
        assert tmap.sim_time(tau) - 100.0 == pytest.approx(ref, rel=1e-9)


def test_monotonic_and_continuous(tmap):
    tau = np.linspace(0.0, 40.0, 40001)  # 1 ms video steps
    t = np.array([tmap.sim_time(x) for x in tau])
    dt = np.diff(t)
    assert np.all(dt > 0)
    # continuity: no step bigger than the largest rate times the step (plus rounding)
    assert dt.max() <= tmap.rate1 * 1e-3 * (1 + 1e-9)
    rate = np.array([tmap.rate_at(x) for x in tau])
    assert np.all(np.diff(rate) >= 0)  # the warp only speeds up
    assert np.abs(np.diff(rate)).max() < 0.1  # no jump in the indicator between 1 ms steps


def test_inverse_round_trip(tmap):
    for tau in (0.0, 3.0, 10.0, 10.001, 14.2, 18.0, 60.0, 600.0):
        assert tmap.video_time(tmap.sim_time(tau)) == pytest.approx(tau, abs=1e-9)


def test_frame_times_are_exact_and_bounded(tmap):
    t_end = tmap.sim_time(20.0) + 1.0
    tau, t = tmap.frame_times(t_end, fps=30)
    assert np.array_equal(tau, np.arange(len(tau)) / 30)
    assert t[0] == 100.0 and t[-1] <= t_end and len(tau) == 20 * 30 + 1 + int(30 / tmap.rate1 + 1e-9)


def test_constant_and_custom_specs():
    assert parse_timemap("real", 0.0).sim_time(7.0) == 7.0
    assert parse_timemap("250x", 5.0).sim_time(2.0) == 505.0
    m = parse_timemap("ramp:5:10:200x", 0.0)
    assert (m.hold_s, m.ramp_s, m.rate1) == (5.0, 10.0, 200.0)
    assert parse_timemap("ramp:2", 0.0, ORBIT_S).ramp_s == 8.0


@pytest.mark.parametrize("bad", ["fast", "ramp:x", "ramp:1:2:3:4", "-5x", "ramp:1:1:0x", "orbit/min"])
def test_bad_specs_are_user_errors(bad):
    with pytest.raises(TimeMapError) as err:
        parse_timemap(bad, 0.0, None)
    assert err.value.is_user_error and "\n" not in str(err.value)


def test_warp_label():
    assert warp_label(1.0) == "real time"
    assert warp_label(2.345) == "2.3x"
    assert warp_label(92.57) == "93x"
    assert warp_label(12000) == "12,000x"
