"""TLE parsing/validation and SGP4 initial states against the reference's TEME states."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from skyfield.sgp4lib import TEME

from physics import frames as F
from physics.errors import PhysicsInputError
from physics.orbit import load_tle_file, parse_tle, state_from_tle, state_from_vector


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Everything here must work offline: any connection attempt fails the test."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


ROOT = Path(__file__).resolve().parents[1]
TLE_FILE = ROOT / "assets" / "tles" / "iss_2022.tle"
L1 = "1 25544U 98067A   22057.61893286  .00025540  00000+0  46219-3 0  9999"
L2 = "2 25544  51.6422 164.1505 0005487 193.8783 302.2559 15.49481576328039"

# iss_configuration.md section 8: TEME state at epoch (km, km/s), printed to 1 m and 1 mm/s
REFERENCE_TEME = {
    "2022-02-26": ([3912.782, -4146.831, 3687.763], [6.047393, 1.846103, -4.334117]),
    "2022-02-22": ([5936.647, -1872.388, 2708.76], [3.715485, 4.268705, -5.174262]),
    "2022-03-07": ([-2516.673, 6246.013, -940.797], [-4.7567, -1.028661, 5.912901]),
    "2022-03-12": ([528.999, 6660.221, -1258.372], [-4.732624, 1.476609, 5.838148]),
}


def test_bundled_file_parses():
    tles = load_tle_file(TLE_FILE)
    assert len(tles) == 7 and all(t.satnum == "25544" for t in tles)
    assert tles[4].epoch_utc == "2022-02-26T14:51:15.799Z"


@pytest.mark.parametrize("day", sorted(REFERENCE_TEME))
def test_sgp4_state_matches_reference_teme(day):
    tle = next(t for t in load_tle_file(TLE_FILE) if t.epoch_utc.startswith(day))
    r, v = state_from_tle(tle)
    R = TEME.rotation_at(tle.satellite().epoch)          # R_teme_from_gcrs
    r_ref, v_ref = (np.array(x) * 1e3 for x in REFERENCE_TEME[day])
    # reference rounded to 0.5 m / 0.5 mm/s; 2 m / 2 mm/s also covers sgp4 version differences
    assert np.abs(R @ r - r_ref).max() < 2.0
    assert np.abs(R @ v - v_ref).max() < 2e-3


def test_ground_point_of_the_tle_state():
    """ISS at the 2022-02-26 epoch: our ITRS + WGS84 chain vs skyfield's wgs84 subpoint."""
    from skyfield.api import wgs84
    tle = parse_tle(L1, L2)
    sat = tle.satellite()
    r, _ = state_from_tle(tle)
    lat, lon, alt = F.geodetic_from_itrs(F.itrs_from_gcrs(tle.epoch_tt_jd, 0.0) @ r)
    g = wgs84.geographic_position_of(sat.at(sat.epoch))
    assert np.degrees(lat) == pytest.approx(g.latitude.degrees, abs=1e-6)   # 1e-6 deg = 0.1 m
    assert np.degrees(lon) == pytest.approx(g.longitude.degrees, abs=1e-6)
    assert alt == pytest.approx(g.elevation.m, abs=0.1)
    assert 410e3 < alt < 425e3                   # ISS perigee/apogee band, reference section 6.1


def test_state_vector_round_trips():
    tle = parse_tle(L1, L2)
    r, v = state_from_tle(tle)
    R = TEME.rotation_at(tle.satellite().epoch)
    r2, v2 = state_from_vector(R @ r, R @ v, "teme", tle.epoch_tt_jd)
    assert np.abs(r2 - r).max() < 1e-6 and np.abs(v2 - v).max() < 1e-9
    Ri = F.itrs_from_gcrs(tle.epoch_tt_jd, 0.0)
    r_i = Ri @ r
    v_i = Ri @ v - np.cross([0, 0, F.OMEGA_EARTH_RADPS], r_i)     # velocity relative to the Earth
    r3, v3 = state_from_vector(r_i, v_i, "itrs", tle.epoch_tt_jd)
    assert np.abs(r3 - r).max() < 1e-6 and np.abs(v3 - v).max() < 1e-6


def _swap(line, col, char):
    return line[:col - 1] + char + line[col:]


@pytest.mark.parametrize("l1,l2,expected", [
    (L1, _swap(L2, 69, "8"), "x.tle: line 2: checksum is 8, computed 9"),
    (_swap(L1, 69, "0"), L2, "x.tle: line 1: checksum is 0, computed 9"),
    (L1[:-1], L2, "x.tle: line 1: 68 characters, a TLE line has 69"),
    (L1, L2 + "0", "x.tle: line 2: 70 characters, a TLE line has 69"),
    (_swap(L1, 33, "1"), L2, "x.tle: line 1: column 33 is '1', expected a blank"),
    (L1, _swap(L2, 30, "x"), "x.tle: line 2: columns 27-33 (eccentricity) '000x487' is malformed"),
    (L2, L1, "x.tle: line 1: column 1 is '2', expected '1'"),
])
def test_bad_tles_give_one_line_errors(l1, l2, expected):
    with pytest.raises(PhysicsInputError) as err:
        parse_tle(l1, l2, source="x.tle")
    assert str(err.value) == expected and "\n" not in str(err.value)
    assert err.value.is_user_error


def test_bad_file_names_the_file_line(tmp_path):
    p = tmp_path / "bad.tle"
    p.write_text("ISS\n" + L1 + "\n" + _swap(L2, 69, "4") + "\n")
    with pytest.raises(PhysicsInputError, match=r"bad.tle: line 3: checksum is 4, computed 9"):
        load_tle_file(p)
    p.write_text("ISS\n" + L1 + "\n")
    with pytest.raises(PhysicsInputError, match="without its partner"):
        load_tle_file(p)


def test_bad_state_vectors():
    with pytest.raises(PhysicsInputError, match="inside the Earth"):
        state_from_vector([1e6, 0, 0], [0, 7e3, 0], "gcrs", 2459637.0)
    with pytest.raises(PhysicsInputError, match="frame"):
        state_from_vector([7e6, 0, 0], [0, 7e3, 0], "eci", 2459637.0)
