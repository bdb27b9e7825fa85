"""Drag areas of each long-run body per attitude mode, from the station mesh (physics/longterm/attitude.py).

* ``flight``: +XVV; the area along the wind (the silhouette seen along +X) with the SARJs turned to
  track the Sun: a table over SARJ angles (`sun_tracking_table`), so the area varies around each
  orbit. The Russian segment has no SARJ in the model (its arrays are fixed to Zvezda/Nauka): its
  flight area is constant.
* ``edge-on``: +XVV with the SARJs at 0 deg (the wings edge-on to the wind).
* ``tumbling``: the mean of the segment's 200-direction area table (orientation average).
The docked station ("ISS") sums both segments (mutual shadowing left out, as before).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from scenario.loader import SEGMENTS

SARJ_STEP_DEG = 10.0      # table spacing; linear interpolation between 10-deg nodes: < 1 % on a |sin| shape
WIND_AXIS = np.array([1.0, 0.0, 0.0])    # +XVV: the silhouette along the body x axis meets the wind
SARJ_JOINTS = ("sarj_stbd", "sarj_port")


def segment_names(body: str) -> tuple[str, ...]:
    return SEGMENTS if body == "ISS" else (body,)


def has_sarj(model, segment: str) -> bool:
    """Whether the segment carries wings turned by a SARJ (the US segment in the station model)."""
    joints = {j for e in model.segments[segment].element_ids for j in model.spec.elements[e].joints}
    return bool(joints & set(SARJ_JOINTS))


@lru_cache(maxsize=8)
def _sun_tracking_cached(model, segment: str):
    from physics.longterm.attitude import SunTrackingArea
    from station import build_model
    angles = np.arange(0.0, 360.0, SARJ_STEP_DEG)
    areas = []
    for th in angles:
        # both wings turn the same way about +Y: the port joint's axis is -Y, hence -th there
        m = build_model(model.spec, vehicles=list(model.vehicles),
                        articulation={**model.articulation_deg, "sarj_stbd": th, "sarj_port": -th})
        areas.append(m.segments[segment].projected_area(WIND_AXIS)[0])
    return SunTrackingArea(angles, np.array(areas))


def sun_tracking_table(model, segment: str):
    """SunTrackingArea of a segment with a SARJ (None without one)."""
    return _sun_tracking_cached(model, segment) if has_sarj(model, segment) else None


def mode_area(model, body: str, mode: str):
    """(constant area m^2 for display, SunTrackingArea or None) of a body in an attitude mode.

    With several segments (the docked ISS) the tracking table carries the fixed segments' area too.
    """
    from physics.longterm.attitude import SunTrackingArea
    const, table = 0.0, None
    for seg in segment_names(body):
        if mode == "tumbling":
            _, area, _ = model.segments[seg].area_table()
            const += float(area.mean())
            continue
        track = sun_tracking_table(model, seg)
        if track is None:
            const += float(model.segments[seg].projected_area(WIND_AXIS)[0])
        elif mode == "edge-on":
            const += track.edge_on_m2()
        else:
            table = track
    if table is None:
        return const, None
    combined = SunTrackingArea(table.sarj_deg, table.area_m2 + const)
    return combined.orbit_mean_m2(), combined


CALIBRATION_CD = 2.2      # the Cd the long-run scenarios use (assets/scenarios/*.toml [long_term.body.*])


def calibration_model():
    """The station model of the 2022 configuration with its visiting vehicles (as the scenarios use)."""
    from station import build_model, load_station
    return build_model(load_station(None), vehicles=True)


def docked_flight_body(model=None, cd: float = CALIBRATION_CD):
    """The docked ISS as the predictions model it: mesh mass, flight attitude with Sun-tracking arrays,
    Cd 2.2, drag scale 1 (what the calibration scales). The mass is the model's (visiting vehicles of
    5 Mar 2022) for every window: the fitted scale absorbs the changes of mass and configuration."""
    from physics.longterm.decay import DecayBody
    model = model or calibration_model()
    area, track = mode_area(model, "ISS", "flight")
    return DecayBody("ISS", float(model.whole.mass_kg), cd, area, "flight", track, 1.0)


def calibration_model_text(model=None) -> str:
    model = model or calibration_model()
    area, _ = mode_area(model, "ISS", "flight")
    return (f"docked ISS {model.whole.mass_kg / 1e3:,.1f} t (station model with visiting vehicles), Cd {CALIBRATION_CD:g}, "
            f"mesh area in flight attitude with Sun-tracking arrays (orbit mean {area:,.0f} m^2 at beta 0), "
            "NRLMSIS 2.1, observed activity (CelesTrak daily Jan-Dec 2022, monthly means otherwise)")
