"""HUD numbers against the demo trajectory's closed form (ROS pushed straight aft at 0.12 m/s at t = 60 s)."""
from __future__ import annotations

import numpy as np
import pytest

from fakes import DemoTrajectory, demo_model
from render.telemetry import clock, hud_lines, telemetry, utc_string


@pytest.fixture(scope="module")
def setup():
    traj, model = DemoTrajectory(t_end_s=1000.0), demo_model()
    port = np.asarray(model.interface.position_m)
    ports = {n: port - np.asarray(traj.metadata["bodies"][n]["com_ssacs_m"]) for n in traj.body_names}
    return traj, ports


def test_docked_ports_coincide(setup):
    traj, ports = setup
    tm = telemetry(traj, 30.0, ports)
    assert tm.range_m < 1e-6 and tm.since_release_s == -30.0       # float64 round-off only


def test_range_and_rate_after_release(setup):
    traj, ports = setup
    tm = telemetry(traj, 560.0, ports)
    # 0.12 m/s for 500 s = 60 m along -x; the slow spin (0.004 rad/s about x) swings the Russian port,
    # which sits 0.5 m off the spin axis, by at most 0.5 m: tolerance 0.6 m and 0.01 m/s.
    assert tm.range_m == pytest.approx(60.0, abs=0.6)
    assert tm.range_rate_mps == pytest.approx(0.12, abs=0.01)
    # spins read relative to the local horizon (LVLH): the demo's 0.004 rad/s tumble, not the
    # inertial hypot(0.004, n) that includes the once-per-orbit turn of a stack holding LVLH
    # (the demo's omega leaves the orbit rate in unspun axes: off by up to 2 n sin(angle/2))
    assert tm.spin_degps["ROS"] == pytest.approx(np.degrees(0.004), abs=np.degrees(2 * traj.n_radps))
    assert tm.spin_degps["USOS"] == pytest.approx(0.0, abs=1e-9)
    assert tm.centre_m > tm.range_m        # the centres of mass sit 32 m apart when docked


def test_altitude_of_the_circular_orbit(setup):
    traj, ports = setup
    tm = telemetry(traj, 100.0, ports)
    # circular radius = equatorial radius + 418 km; the WGS84 altitude is higher away from the equator
    # (the polar radius is 21 km shorter): between 418 and 418 + 21.4 km at any latitude.
    assert 417.9 < tm.altitude_km["USOS"] < 439.5


def test_text_forms():
    assert utc_string("2022-03-05T12:00:00Z", 3661.0) == "2022-03-05 13:01:01 UTC"
    assert clock(-59.4) == "T- 0:00:59" and clock(3725) == "T+ 1:02:05"


def test_hud_lines_show_every_quantity(setup):
    traj, ports = setup
    text = "\n".join(hud_lines(telemetry(traj, 300.0, ports), technical=True))
    for needed in ("UTC", "release", "port gap", "centre-to-centre", "rate", "ROS", "USOS", "alt", "LVLH"):
        assert needed in text


def test_plain_hud_has_no_jargon(setup):
    """By default: segments by name, 'Apart' in the captions' rounding, no ROS/USOS/LVLH."""
    from render.captions import fmt_distance
    traj, _ = setup
    tm = telemetry(traj, 300.0)
    text = "\n".join(hud_lines(tm))
    assert "Russian segment" in text and "US segment" in text
    assert f"Apart: {fmt_distance(tm.range_m)}" in text
    for jargon in ("ROS", "USOS", "LVLH", "range"):
        assert jargon not in text
