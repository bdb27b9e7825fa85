"""Attitude modes after the split (physics/longterm/attitude.py, scenario/longterm/attitude.py): each
mode's area along an orbit against the station mesh's own silhouettes and area table, and the long-run
playback drawing the attitude that was modelled."""
from __future__ import annotations

import numpy as np
import pytest

from physics.longterm.attitude import SunTrackingArea, sun_angles
from scenario.longterm.attitude import WIND_AXIS, calibration_model, mode_area, sun_tracking_table


@pytest.fixture(scope="module")
def model():
    return calibration_model()


def test_tumbling_is_the_area_table_mean(model):
    for seg in ("ROS", "USOS"):
        area, track = mode_area(model, seg, "tumbling")
        assert track is None and area == pytest.approx(model.segments[seg].area_table()[1].mean(), rel=1e-12)


def test_edge_on_and_flight_against_the_area_table(model):
    for seg in ("ROS", "USOS"):
        d, A, _ = model.segments[seg].area_table()
        nearest = A[np.argmax(d @ -WIND_AXIS)]                   # the table direction nearest the wind
        edge, track = mode_area(model, seg, "edge-on")
        assert track is None and edge == pytest.approx(nearest, rel=0.05)   # 200 directions: ~8 deg apart
    ros, track = mode_area(model, "ROS", "flight")
    assert track is None and ros == pytest.approx(mode_area(model, "ROS", "edge-on")[0])   # no SARJ on the ROS


def test_flight_area_along_an_orbit_against_the_mesh(model):
    """Sun in the orbit plane (beta 0): at each point the SARJ angle is -phi; the tabulated area
    equals the mesh's silhouette at that angle (a fresh build) to the interpolation error."""
    from station import build_model
    track = sun_tracking_table(model, "USOS")
    for phi_deg in (0.0, 35.0, 90.0, 145.0, 250.0):
        th = -phi_deg
        m = build_model(model.spec, vehicles=list(model.vehicles),
                        articulation={"sarj_stbd": th, "sarj_port": -th})
        mesh = m.segments["USOS"].projected_area(WIND_AXIS)[0]
        assert track.along_orbit(np.radians(phi_deg), 1.0) == pytest.approx(mesh, rel=0.02)
    # around one orbit the area swings between edge-on and face-on (arrays ~ 8 x 375 m^2 face-on)
    phi = np.radians(np.arange(0, 360, 5.0))
    a = track.along_orbit(phi, 1.0)
    assert a.min() == pytest.approx(track.edge_on_m2(), rel=0.02) and a.max() > a.min() + 2000.0
    # at beta 90 deg the wings face the Sun out of the orbit plane: edge-on to the wind all orbit
    assert np.allclose(track.along_orbit(phi, 0.0), track.edge_on_m2())


def test_sun_angles_of_a_sun_in_the_orbit_plane():
    X = np.array([[6.8e6, 0, 0, np.radians(51.6), np.radians(30.0), 0.0]])
    u_sun = np.radians(70.0)
    P = np.array([np.cos(np.radians(30)), np.sin(np.radians(30)), 0.0])
    ci, si = np.cos(X[0, 3]), np.sin(X[0, 3])
    Q = np.array([-np.sin(np.radians(30)) * ci, np.cos(np.radians(30)) * ci, si])
    s = np.cos(u_sun) * P + np.sin(u_sun) * Q
    phi, cb = sun_angles(X, np.array([[0.0, 1.0]]), s)
    assert phi[0] == pytest.approx([u_sun, u_sun - 1.0], abs=1e-12) and cb[0, 0] == pytest.approx(1.0)


def test_bad_table_is_a_one_line_error():
    from physics.errors import PhysicsInputError
    with pytest.raises(PhysicsInputError):
        SunTrackingArea(np.array([0.0, 10.0]), np.array([1.0, 2.0]))


def test_playback_draws_the_modelled_attitude():
    """flight: body axes = LVLH all along; tumbling: turning against LVLH at the stated rate."""
    from physics.longterm.decay import DecayBody, run_long_term
    from physics.longterm.elements import from_tle
    from physics.frames import lvlh_from_gcrs
    from physics.rotation import dcm_from_quat
    from physics import spaceweather as sw
    from scenario.longterm.traj import TUMBLE_RATE_DEG_S, long_term_trajectory
    el, ep = from_tle("1 25544U 98067A   22066.87965278  .00007224  00000+0  13623-3 0  9990",
                      "2 25544  51.6433 118.2979 0004901 229.8721 120.0122 15.49615511329466")
    bodies = [DecayBody("ROS", 1e5, 2.2, 200.0, "flight"), DecayBody("USOS", 3.7e5, 2.2, 2200.0, "tumbling")]
    res = run_long_term(bodies, el, ep, 2 * 86400.0, sw.activity("observed"))
    assert res.attitudes == ("flight", "tumbling")
    tr = long_term_trajectory(res, dt_s=600.0)
    assert tr.metadata["long_term"]["attitude"] == {"ROS": "flight", "USOS": "tumbling"}
    for j, mode in enumerate(("flight", "tumbling")):
        R_lvlh = lvlh_from_gcrs(tr.r_gcrs_m[:, j], tr.v_gcrs_mps[:, j])       # (K,3,3) lvlh <- gcrs
        R_body = dcm_from_quat(tr.q_gcrs_from_body[:, j])                      # gcrs <- body
        off = np.degrees(np.arccos(np.clip((np.trace(R_lvlh @ R_body, axis1=1, axis2=2) - 1) / 2, -1, 1)))
        if mode == "flight":
            assert off.max() < 1e-4      # held +XVV (arccos near 1: round-off ~ sqrt(eps) rad = 1e-6 deg)
        else:
            rate = np.linalg.norm(tr.omega_body_radps[:, j], axis=1)
            assert np.allclose(np.degrees(rate), TUMBLE_RATE_DEG_S) and off.max() > 90.0
