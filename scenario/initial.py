"""The initial state: the orbit (TLE / state vector / circular), the docked assembly in its flight
attitude (identity q_lvlh_from_body = +XVV: body axes = LVLH), free bodies placed absolutely or
relative to another body in its LVLH frame, and t = 0 impulses."""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from scenario.errors import ScenarioError
from scenario.loader import Scenario, check_altitude
from physics.frames import lvlh_from_gcrs
from physics.constants import MU_EARTH_M3PS2   # the default of the circular-orbit shortcut
from physics.constants import WGS84_A_M as R_EQUATOR_M
from physics.rotation import dcm_from_quat, quat_from_dcm



def orbit_state(sc: Scenario, epoch) -> tuple[np.ndarray, np.ndarray, str]:
    """(r_gcrs_m, v_gcrs_mps, description) of the [orbit] table at the epoch."""
    from physics import orbit as po
    o = sc.orbit
    if o["tle_file"] is not None:
        try:
            tles = po.load_tle_file(o["tle_file"])
            tle = pick_tle(tles, epoch.tt_jd, o["tle_name"])
            r, v = po.state_from_tle(tle, epoch)
        except ValueError as exc:
            raise ScenarioError(sc.source, "orbit.tle_file", str(exc)) from None
        desc = f"TLE {tle.name} (epoch {tle.epoch_utc}) from {_short(o['tle_file'])}"
    elif o["tle_line1"] is not None:
        try:
            tle = po.parse_tle(o["tle_line1"], o["tle_line2"], source="TLE")
            r, v = po.state_from_tle(tle, epoch)
        except ValueError as exc:
            raise ScenarioError(sc.source, *_tle_key(str(exc))) from None
        desc = f"TLE (epoch {tle.epoch_utc}) from the scenario"
    elif o["r_gcrs_m"] is not None:
        r, v, desc = np.array(o["r_gcrs_m"]), np.array(o["v_gcrs_mps"]), "state vector (GCRS)"
    elif o["circular_altitude_km"] is not None:
        from scenario.environment import run_environment
        r, v = circular_state(o["circular_altitude_km"], o["inclination_deg"], run_environment(sc).gravity.mu_m3ps2)
        desc = f"circular orbit, {o['circular_altitude_km']:g} km, i = {o['inclination_deg']:g} deg"
    elif o.get("ccsds_file") is not None:
        r, v, desc = ccsds_state(sc, epoch)
    else:
        return None, None, ""
    check_altitude(r, sc.source, "orbit")
    return np.asarray(r, float), np.asarray(v, float), desc


def ccsds_state(sc: Scenario, epoch) -> tuple[np.ndarray, np.ndarray, str]:
    """(r, v, description) from orbit.ccsds_file (an OPM, or an OEM's first state); its epoch must be the
    scenario's (a state vector is not propagated: 1 ms = ~8 m along the orbit)."""
    from formats.ccsds_import import read_initial_state
    st = read_initial_state(sc.orbit["ccsds_file"], sc.orbit.get("ccsds_object"))   # FormatError: FILE: KEY: problem
    if abs(st.tt_jd - epoch.tt_jd) * 86400.0 > 1e-3:
        raise ScenarioError(sc.source, "time.epoch_utc", f"{sc.time['epoch_utc']} is not the EPOCH of "
                            f"orbit.ccsds_file ({st.epoch_utc}); set it to that (states are not propagated)")
    return st.r_gcrs_m, st.v_gcrs_mps, (f"{st.kind} state of {st.object_name} (epoch {st.epoch_utc}) "
                                        f"from {_short(sc.orbit['ccsds_file'])}")


def _short(path: str) -> str:
    """A path relative to the project folder when it is inside it."""
    from scenario.loader import ROOT
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _tle_key(message: str) -> tuple[str, str]:
    """'TLE: line 2: problem' -> ('orbit.tle_line2', 'problem')."""
    m = re.match(r"TLE: line (\d): (.*)", message)
    return (f"orbit.tle_line{m.group(1)}", m.group(2)) if m else ("orbit.tle_line1", message)


def pick_tle(tles: list, epoch_tt_jd: float, name: str | None = None):
    """The element set named `name`, else the one whose epoch is nearest the scenario epoch
    (SGP4 errors grow by ~1-3 km/day away from the element epoch, in both directions)."""
    if name is not None:
        named = [t for t in tles if t.name == name]
        if not named:
            from scenario.errors import suggest
            raise ValueError(f"no TLE named '{name}'" + suggest(name, [t.name for t in tles]))
        return named[0]
    return min(tles, key=lambda t: abs(t.epoch_tt_jd - epoch_tt_jd))


def lvlh_attitude(r: np.ndarray, v: np.ndarray, q_lvlh_from_body) -> tuple[np.ndarray, np.ndarray]:
    """(q_gcrs_from_body (4,), omega_body (3,)) of a body fixed in its LVLH frame (no tumble)."""
    R_lvlh_from_body = dcm_from_quat(unit_q(q_lvlh_from_body))
    R_gcrs_from_body = R_gcrs_from_lvlh(r, v) @ R_lvlh_from_body
    omega_body = R_gcrs_from_body.T @ orbit_rate_gcrs(r, v)
    return quat_from_dcm(R_gcrs_from_body), omega_body


def initial_state(sc: Scenario, orbit: tuple, bodies: list, latches: list):
    """(physics State at t = 0 for all bodies (rows in the order of `bodies`), orbit description)."""
    from physics.state import State
    r0, v0, desc = orbit
    names = [b.name for b in bodies]
    rows: dict[str, tuple] = {}
    if latches:
        rows.update(_docked_rows(sc, bodies, latches, r0, v0))
    custom = {b["name"]: b for b in sc.bodies}
    pending = [n for n in names if n not in rows]
    while pending:
        placed = [n for n in pending if _place(custom[n], rows, r0, v0, sc)]
        if not placed:
            raise ScenarioError(sc.source, f"body[{pending[0]}].relative_to", "circular chain of relative_to")
        rows.update({n: _place(custom[n], rows, r0, v0, sc) for n in placed})
        pending = [n for n in pending if n not in rows]
    _apply_impulses(sc, rows)
    state = State(t_s=0.0,
                  r_gcrs_m=np.array([rows[n][0] for n in names]),
                  v_gcrs_mps=np.array([rows[n][1] for n in names]),
                  q_gcrs_from_body=np.array([rows[n][2] for n in names]),
                  omega_body_radps=np.array([rows[n][3] for n in names]),
                  mass_kg=np.array([b.mass_kg for b in bodies], float))
    for i, n in enumerate(names):
        check_altitude(state.r_gcrs_m[i], sc.source, f"initial position of {n}")
    return state, desc


def _docked_rows(sc: Scenario, bodies: list, latches: list, r0, v0) -> dict:
    """All latched bodies as one rigid assembly, CoM on the orbit state, ref body in its LVLH attitude."""
    from physics.state import docked_state
    latched = {n for la in latches for n in (la.body_a, la.body_b)}
    subset = [b for b in bodies if b.name in latched]
    ref = latches[0].body_a
    if r0 is None:
        raise ScenarioError(sc.source, "orbit", "missing value: a latched assembly is placed on the [orbit] state")
    custom = {b["name"]: b for b in sc.bodies}
    q_lvlh = sc.station["q_lvlh_from_body"] if ref not in custom else custom[ref]["q_lvlh_from_body"]
    q, omega = lvlh_attitude(r0, v0, q_lvlh)
    st = docked_state(subset, list(latches), r0, v0, q, omega, ref)
    return {b.name: (st.r_gcrs_m[i], st.v_gcrs_mps[i], st.q_gcrs_from_body[i], st.omega_body_radps[i])
            for i, b in enumerate(subset)}


def _place(b: dict, rows: dict, r0, v0, sc: Scenario):
    """(r, v, q, omega) for one free custom body, or None if its reference is not placed yet."""
    if b["r_gcrs_m"] is not None:
        r, v = np.array(b["r_gcrs_m"]), np.array(b["v_gcrs_mps"])
    elif b["relative_to"] is not None:
        if b["relative_to"] not in rows:
            return None
        r_ref, v_ref = rows[b["relative_to"]][:2]
        R = R_gcrs_from_lvlh(r_ref, v_ref)
        dr = R @ np.array(b["r_lvlh_m"])
        # velocity seen in the rotating LVLH frame -> inertial: add the frame's rotation omega x dr
        r = r_ref + dr
        v = v_ref + R @ np.array(b["v_lvlh_mps"]) + np.cross(orbit_rate_gcrs(r_ref, v_ref), dr)
    else:
        r, v = r0, v0
    q, omega = lvlh_attitude(r, v, b["q_lvlh_from_body"])
    if b["omega_body_radps"] is not None:
        omega = np.array(b["omega_body_radps"], float)
    return (np.asarray(r, float), np.asarray(v, float), q, omega)


def _apply_impulses(sc: Scenario, rows: dict) -> None:
    for imp in sc.impulses:
        if imp["dv_lvlh_mps"] is None:
            continue
        r, v, q, omega = rows[imp["body"]]
        rows[imp["body"]] = (r, v + R_gcrs_from_lvlh(r, v) @ np.array(imp["dv_lvlh_mps"]), q, omega)


def unit_q(q) -> np.ndarray:
    q = np.asarray(q, float)
    return q / np.linalg.norm(q)


def circular_state(alt_km: float, incl_deg: float, mu_m3ps2: float = MU_EARTH_M3PS2) -> tuple[np.ndarray, np.ndarray]:
    """Circular orbit over the equator at +x GCRS: r = (R_eq + h) x, v = sqrt(mu/r) (cos i y + sin i z)."""
    r = R_EQUATOR_M + alt_km * 1e3
    v = math.sqrt(mu_m3ps2 / r)
    i = math.radians(incl_deg)
    return np.array([r, 0.0, 0.0]), np.array([0.0, v * math.cos(i), v * math.sin(i)])


def R_gcrs_from_lvlh(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    return lvlh_from_gcrs(r, v).T


def orbit_rate_gcrs(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angular velocity of the LVLH frame, h / |r|^2 (exact for a Keplerian orbit)."""
    return np.cross(r, v) / np.dot(r, r)

