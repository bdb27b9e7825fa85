"""The ISS model: the split at the interface, composite figures against published references."""
from __future__ import annotations

import numpy as np
import pytest

from station import build_model, load_station
from station.references import JEOD, RECOMMENDED_MASS_KG

ROS_FIXED = {"zarya", "zvezda", "poisk", "rassvet", "nauka", "era", "prichal"}
ROS_VEHICLES = {"soyuz_ms19", "progress_ms18", "progress_ms19"}
USOS_VEHICLES = {"crew_dragon_endurance", "cygnus_ng17"}


@pytest.fixture(scope="module")
def spec():
    return load_station()


@pytest.fixture(scope="module")
def docked(spec):
    return build_model(spec, vehicles=True)


@pytest.fixture(scope="module")
def bare(spec):
    return build_model(spec, vehicles=False)


def test_split_at_interface_gives_ros_and_usos(spec, docked, bare):
    fixed = {e for e, el in spec.elements.items() if not el.optional}
    assert set(bare.segments) == {"ROS", "USOS"}
    assert set(bare.segments["ROS"].element_ids) == ROS_FIXED
    assert set(bare.segments["USOS"].element_ids) == fixed - ROS_FIXED
    assert set(docked.segments["ROS"].element_ids) == ROS_FIXED | ROS_VEHICLES
    assert set(docked.segments["USOS"].element_ids) == fixed - ROS_FIXED | USOS_VEHICLES
    assert "pma1" in docked.segments["USOS"].element_ids   # PMA-1 stays with Unity


def test_interface_port_frame(docked):
    port = docked.interface
    assert port.id == "zarya_fwd_apas"
    np.testing.assert_allclose(port.position_m, [-9.66, 0.0, 4.142])
    # docking axis from the ROS side towards the USOS side = +X SSACS
    np.testing.assert_allclose(port.R_ssacs_from_port[:, 0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(port.R_ssacs_from_port @ port.R_ssacs_from_port.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(port.R_ssacs_from_port) == pytest.approx(1.0)
    ros, usos = docked.segments["ROS"].mass.com_m, docked.segments["USOS"].mass.com_m
    assert ros[0] < port.position_m[0] < usos[0]


def test_mass_without_vehicles_within_5_percent_of_435_t(bare):
    """Reference ESTIMATE 435 t (iss_configuration.md 4.1, range 420-450 t, i.e. about +-3.5 %): 5 % is
    that range plus the model's own bookkeeping (estimated iROSA/radiator masses)."""
    assert abs(bare.whole.mass_kg / RECOMMENDED_MASS_KG[False] - 1) < 0.05


def test_vehicles_add_their_published_masses(spec, docked, bare):
    added = sum(spec.elements[v].mass_kg for v in ROS_VEHICLES | USOS_VEHICLES)
    assert docked.whole.mass_kg - bare.whole.mass_kg == pytest.approx(added)
    assert docked.segments["ROS"].mass.mass_kg - bare.segments["ROS"].mass.mass_kg == pytest.approx(
        sum(spec.elements[v].mass_kg for v in ROS_VEHICLES))


def test_moved_and_residual_masses_conserve_the_catalogue(spec, bare):
    """Moving wing/radiator/ERA masses out of their parents keeps the total; residuals add exactly."""
    catalogue = sum(e.mass_kg for e in spec.elements.values() if not e.optional and not e.included_in_parent_mass)
    residuals = sum(r.mass_kg for r in spec.residuals.values())
    assert bare.whole.mass_kg == pytest.approx(catalogue + residuals)


def test_diagonal_inertia_within_15_percent_of_jeod(docked):
    """JEOD's "ISS" set (400 t, pre-Nauka, configuration not stated) is the only published ISS tensor in
    the reference. We compare the 5 March 2022 station *with* its five visiting vehicles: like any
    operational mass-property set it includes docked vehicles, and the Progress/Dragon/Soyuz at the
    ends of the X stack are what make Iyy ~90e6 (the bare station has Iyy ~68e6, -26 %). The reference
    expects +-20-30 % on the moments between configurations; 15 % is the issue's bar: it catches a wrong
    truss/array layout or a misplaced mass (dropping the 8 wings lowers Ixx by 14 % and Izz by 11 %,
    dropping the P6/S6 trusses lowers Ixx by 38 %) while allowing the ~19 % mass growth since JEOD's set (Nauka, Prichal, ...)."""
    model, ref = np.diag(docked.whole.inertia_kgm2), np.diag(JEOD["inertia_kgm2"])
    rel = model / ref - 1
    assert np.all(np.abs(rel) < 0.15), f"Ixx, Iyy, Izz vs JEOD: {np.round(rel * 100, 1)} %"


def test_inertia_is_a_valid_tensor(docked):
    for mp in [*(s.mass for s in docked.segments.values()), docked.whole]:
        I = mp.inertia_kgm2
        np.testing.assert_allclose(I, I.T)
        w, _ = mp.principal()
        assert np.all(w > 0)
        assert w[0] + w[1] >= w[2] * (1 - 1e-12)   # triangle inequality of principal moments


def test_segment_masses_match_reference_split(docked):
    """Reference split ESTIMATE (iss_configuration.md 4.1): ROS 101.0 t and USOS 374.9 t with vehicles."""
    assert docked.segments["ROS"].mass.mass_kg == pytest.approx(100_952, rel=0.01)
    assert docked.segments["USOS"].mass.mass_kg == pytest.approx(374_928, rel=0.01)


def test_sarj_rotation_moves_wings_not_mass(spec, bare):
    """SARJ 90 deg turns the outboard wings from +-19.6 m in X to +-19.6 m in Z: mass unchanged, Izz down
    and Ixx up by the same order (the reference quotes up to ~3.4e6 kg m^2 for both SARJs)."""
    turned = build_model(spec, vehicles=False, articulation={"sarj_stbd": 90.0, "sarj_port": 90.0})
    assert turned.whole.mass_kg == pytest.approx(bare.whole.mass_kg)
    dI = np.diag(turned.whole.inertia_kgm2 - bare.whole.inertia_kgm2)
    assert dI[0] > 1e6 and dI[2] < -1e6
    wing = turned.segments["USOS"].element_mass["saw_1a"].com_m
    assert abs(wing[2]) > 15.0 and abs(wing[0]) < 2.0


def test_unknown_vehicle_and_joint_are_user_errors(spec):
    from station import StationFileError
    with pytest.raises(StationFileError, match="unknown optional"):
        build_model(spec, vehicles=["soyuz_ms99"])
    with pytest.raises(StationFileError, match="articulation.sarj_middle"):
        build_model(spec, articulation={"sarj_middle": 10.0})


def test_build_is_deterministic(spec):
    a, b = build_model(spec), build_model(spec)
    assert np.array_equal(a.whole.inertia_kgm2, b.whole.inertia_kgm2)
    assert np.array_equal(a.whole.com_m, b.whole.com_m)
