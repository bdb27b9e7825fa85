"""The scenario layer's own physics: initial docked state, LVLH placement, shapes, CW, pushers."""
from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh
from scipy.integrate import solve_ivp

import scenario
from physics.frames import lvlh_from_gcrs, relative_state_in
from physics.orbit import load_tle_file, state_from_tle
from physics.rotation import dcm_from_quat
from scenario import schema, shapes
from scenario.initial import circular_state
from scenario.cw import cw_lvlh, cw_propagate
from scenario.initial import pick_tle

MU = 3.986004418e14


@pytest.fixture(scope="module")
def clip():
    return scenario.prepare("clip-2022")


def test_docked_station_flies_xvv_on_the_tle_state(clip):
    s, bodies = clip.state0, clip.bodies
    m = np.array([b.mass_kg for b in bodies])
    r_cm, v_cm = m @ s.r_gcrs_m / m.sum(), m @ s.v_gcrs_mps / m.sum()
    tles = load_tle_file(scenario.loader.TLE_DIR / "iss_2022.tle")
    tle = pick_tle(tles, clip.epoch.tt_jd)
    r_tle, v_tle = state_from_tle(tle, clip.epoch)
    assert np.linalg.norm(r_cm - r_tle) < 1e-6 and np.linalg.norm(v_cm - v_tle) < 1e-9
    R_lvlh = lvlh_from_gcrs(r_cm, v_cm)
    for i in range(2):        # +XVV: body axes = LVLH axes (to round-off)
        assert np.allclose(dcm_from_quat(s.q_gcrs_from_body[i]), R_lvlh.T, atol=1e-12)
    # held in LVLH: ROS does not move relative to USOS in the rotating frame (< 1 um/s)
    _, v_rel = relative_state_in(lvlh_from_gcrs, s.r_gcrs_m[1], s.v_gcrs_mps[1], s.r_gcrs_m[0], s.v_gcrs_mps[0])
    assert np.linalg.norm(v_rel) < 1e-6


def test_interface_ports_coincide(clip):
    s, latch = clip.state0, clip.latches[0]
    R = [dcm_from_quat(q) for q in s.q_gcrs_from_body]
    p_a = s.r_gcrs_m[0] + R[0] @ latch.port_a.position_m
    p_b = s.r_gcrs_m[1] + R[1] @ latch.port_b.position_m
    assert np.linalg.norm(p_a - p_b) < 1e-6
    com = {n: np.array(clip.metadata["bodies"][n]["com_ssacs_m"]) for n in ("ROS", "USOS")}
    # the same SSACS point seen from both segment frames: p_body = p_ssacs - com_ssacs
    assert np.allclose(latch.port_a.position_m + com["ROS"], latch.port_b.position_m + com["USOS"], atol=1e-9)


def test_relative_placement_round_trips(tmp_path):
    text = """
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 10.0
[orbit]
circular_altitude_km = 420.0
[[body]]
name = "a"
mass_kg = 1.0
box_m = [1.0, 1.0, 1.0]
[[body]]
name = "b"
mass_kg = 1.0
box_m = [1.0, 1.0, 1.0]
relative_to = "a"
r_lvlh_m = [-50.0, 3.0, 20.0]
v_lvlh_mps = [0.01, 0.0, -0.02]
"""
    path = tmp_path / "rel.toml"
    path.write_text(text)
    s = scenario.prepare(str(path)).state0
    rho, rho_dot = relative_state_in(lvlh_from_gcrs, s.r_gcrs_m[0], s.v_gcrs_mps[0], s.r_gcrs_m[1], s.v_gcrs_mps[1])
    assert np.allclose(rho, [-50.0, 3.0, 20.0], atol=1e-8)
    assert np.allclose(rho_dot, [0.01, 0.0, -0.02], atol=1e-11)


def test_circular_state_is_circular():
    r, v = circular_state(400.0, 51.64)
    assert np.linalg.norm(v) == pytest.approx(math.sqrt(MU / np.linalg.norm(r)), rel=1e-15)
    h = np.cross(r, v)
    assert math.degrees(math.acos(h[2] / np.linalg.norm(h))) == pytest.approx(51.64, abs=1e-12)


@pytest.mark.parametrize("edges", [(1.0, 2.0, 3.0), (10.0, 4.0, 4.0)])
def test_box_inertia_matches_trimesh(edges):
    mesh = trimesh.creation.box(extents=edges)
    expected = mesh.moment_inertia * (5.0 / mesh.volume)      # trimesh: unit density
    assert np.allclose(shapes.box_inertia(5.0, edges), expected, rtol=1e-12, atol=1e-12)


def test_cylinder_inertia_matches_trimesh():
    mesh = trimesh.creation.cylinder(radius=0.5, height=3.0, sections=512)
    mesh.apply_transform(trimesh.transformations.rotation_matrix(math.pi / 2, [0, 1, 0]))   # axis z -> x
    expected = mesh.moment_inertia * (7.0 / mesh.volume)
    # a 512-gon, not a circle: relative error ~ (2 pi / 512)^2 / 6 ~ 3e-5
    assert np.allclose(shapes.cylinder_inertia(7.0, 0.5, 3.0), expected, rtol=1e-4, atol=1e-9)


def test_projected_areas_obey_cauchy():
    """Cauchy: the mean projected area of a convex body over all directions is its surface / 4."""
    d = shapes.sphere_directions(4096)
    assert np.mean(shapes.box_areas((1.0, 2.0, 3.0), d)) == pytest.approx(2 * (2 + 3 + 6) / 4, rel=2e-3)
    surface = 2 * math.pi * 0.5 ** 2 + 2 * math.pi * 0.5 * 3.0
    assert np.mean(shapes.cylinder_areas(0.5, 3.0, d)) == pytest.approx(surface / 4, rel=2e-3)
    assert shapes.box_areas((1.0, 2.0, 3.0), np.array([[1.0, 0, 0]]))[0] == pytest.approx(6.0)


def test_cw_closed_form_matches_the_linear_odes():
    n = 1.13e-3
    x0, v0 = np.array([10.0, -20.0, 5.0]), np.array([0.01, 0.03, -0.02])

    def rhs(t, y):
        x, yy, z, u, w, q = y
        return [u, w, q, 3 * n * n * x + 2 * n * w, -2 * n * u, -n * n * z]
    t = np.linspace(0, 12000, 50)
    sol = solve_ivp(rhs, (0, 12000), np.r_[x0, v0], t_eval=t, rtol=1e-12, atol=1e-12, method="DOP853")
    x, v = cw_propagate(x0, v0, n, t)
    assert np.max(np.abs(x - sol.y[:3].T)) < 1e-6 and np.max(np.abs(v - sol.y[3:].T)) < 1e-9


def test_cw_lvlh_axes():
    """Posigrade impulse (LVLH +x): after one orbit the chaser is 6 pi dv/n behind, back at zero height."""
    n, dv = 1.13e-3, 0.1
    x, _ = cw_lvlh(np.zeros(3), np.array([dv, 0, 0]), n, np.array([math.pi / n, 2 * math.pi / n]))
    assert x[1] == pytest.approx([-6 * math.pi * dv / n, 0, 0], abs=1e-9)
    assert x[0][2] == pytest.approx(-4 * dv / n)       # half an orbit later it is 4 dv/n higher (-z)


def test_default_pushers_store_about_35_joules():
    from physics.model import Pushers
    p = {k: v.default for k, v in schema.PUSHERS.items()}
    energy = Pushers(**p).energy_j
    assert 30.0 < energy < 40.0     # the ESTIMATE scaled from Soyuz (reference section 5): ~35 J
    mu = 100952.0 * 374928.0 / (100952.0 + 374928.0)
    assert math.sqrt(2 * energy / mu) == pytest.approx(0.030, abs=0.002)


def test_a_body_holding_lvlh_does_not_shorten_the_step(tmp_path):
    """The largest step is kept below 0.025 rad of the fastest initial spin, but a body holding LVLH is
    not integrated in attitude: its orbital-rate spin does not count (scenario.plausible.step_spin, used
    by build.max_step and by the run-size estimate alike)."""
    from scenario.plausible import SPIN_STEP_RAD, estimate
    clip = scenario.load("clip-2022")
    assert set(clip.attitude.values()) == {"lvlh_hold"}
    assert scenario.prepare(clip).max_step_s == clip.time["max_step_s"]
    text = (scenario.loader.SCENARIO_DIR / "clip-2022.toml").read_text()
    free = tmp_path / "free.toml"
    free.write_text(text.replace('USOS = "lvlh_hold"', 'USOS = "free"'))
    sc = scenario.load(str(free))
    w = float(np.max(np.linalg.norm(scenario.prepare(sc).state0.omega_body_radps, axis=1)))   # ~orbital rate
    assert scenario.prepare(sc).max_step_s == pytest.approx(SPIN_STEP_RAD / w, rel=1e-12)
    spin = (scenario.loader.SCENARIO_DIR / "torque-free-dzhanibekov.toml").read_text()
    held = tmp_path / "held.toml"
    held.write_text(spin + '\n[attitude]\nwingnut = "lvlh_hold"\n')
    fast, slow = scenario.load("torque-free-dzhanibekov"), scenario.load(str(held))
    assert estimate(fast)["step_s"] == pytest.approx(SPIN_STEP_RAD / math.hypot(0.001, 0.5), rel=1e-12)
    assert estimate(slow)["step_s"] == slow.time["max_step_s"] == scenario.prepare(slow).max_step_s
