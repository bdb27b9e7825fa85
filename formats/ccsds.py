"""CCSDS Orbit and Attitude Ephemeris Messages (OEM 3.0, AEM 2.0, KVN text) written from a Trajectory,
and an initial state read from an OPM or the first state of an OEM.

Written and read with ccsds-ndm-py (import name `ccsds_ndm`, MPL-2.0; the choice is in docs/design.md).
Conventions (docs/formats.md):
* OEM: one segment per body, CENTER_NAME = EARTH, REF_FRAME = ICRF (our GCRS: ICRS axes, origin at the
  geocentre; CCSDS' ICRF names the axes, CENTER_NAME the origin), TIME_SYSTEM = UTC, km and km/s, the
  trajectory's own samples (output grid + event samples), the events as COMMENT lines.
* AEM: ATTITUDE_TYPE = QUATERNION, REF_FRAME_A = ICRF, REF_FRAME_B = SC_BODY_1 (the segment's body axes);
  ADM 2 quaternions are the rotation from frame A to frame B with the scalar QC last, i.e. the data
  line `EPOCH Q1 Q2 Q3 QC` = (x, y, z, w) of the project's q_gcrs_from_body (w, x, y, z).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from formats import FormatError, body_stop_index, write_text_atomically
from physics.trajmeta import trajectory_meta

ORIGINATOR = "ISS-SEPARATION"
REF_FRAME = "ICRF"                    # with CENTER_NAME = EARTH: GCRS (see the module docstring)
BODY_FRAME = "SC_BODY_1"
INERTIAL_ALIASES = ("ICRF", "GCRF")   # accepted on import as our GCRS as is
EPOCH_PLACES = 9                      # ns: 8 um of flight at 7.7 km/s (event times are not on the grid)


def times_after(epoch_utc: str, t_s):
    """skyfield Time of t_s (SI seconds) after the UTC epoch string. From the string, not from the
    trajectory's epoch_tt_jd: one float64 Julian date resolves only ~40 us (it reads 21 us late here)."""
    from physics.timebase import timescale
    s = epoch_utc.strip()
    t0 = timescale().from_datetime(datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s))
    return timescale().tt_jd(t0.whole, t0.tt_fraction + np.asarray(t_s, float) / 86400.0)


def utc_labels(epoch_utc: str, t_s) -> list[str]:
    """CCSDS epochs 'YYYY-MM-DDThh:mm:ss.fffffffff' (UTC, leap seconds from skyfield) of t_s after the epoch."""
    return [s.rstrip("Z") for s in np.atleast_1d(times_after(epoch_utc, t_s).utc_iso(places=EPOCH_PLACES))]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _event_comments(traj) -> list[str]:
    """One COMMENT per event: 'EVENT <UTC> <kind> <subject> t = +S s [data]'."""
    lines = []
    for e, label in zip(traj.events, utc_labels(traj.epoch_utc, [e.t_s for e in traj.events])):
        data = " ".join(f"{k}={v}" for k, v in e.data.items() if not isinstance(v, (list, dict)))
        lines.append(f"EVENT {label} {e.kind} {e.subject} t = {e.t_s:+.6f} s {data}".rstrip())
    return lines


def _header_comments(traj, what: str) -> list[str]:
    long_run = trajectory_meta(traj).long_run is not None
    src = trajectory_meta(traj).scenario.name
    lines = [f"{what} of the run{' ' + src if src else ''} (epoch {traj.epoch_utc}), written by the "
             "ISS-separation project",
             "Frame: GCRS (skyfield, IAU 2006/2000A) = ICRF axes, origin at the Earth's centre; "
             "not EME2000 (which differs by the 23 mas frame bias, ~0.7 m at 6800 km)"]
    if long_run:
        lines.append("Long run: positions of the orbit-averaged (mean-element) propagator, velocities "
                     "their time derivative; not osculating states (docs/decay.md)")
    return lines


def oem_text(traj) -> str:
    """The OEM (KVN): one segment per body, the trajectory's samples up to the body's reentry."""
    import ccsds_ndm as C
    header = C.OdmHeader(creation_date=_now(), originator=ORIGINATOR,
                         comment=_header_comments(traj, "Orbit ephemeris"))
    events = _event_comments(traj)
    segments = []
    for i, name in enumerate(traj.body_names):
        k = body_stop_index(traj, i) + 1
        epochs = utc_labels(traj.epoch_utc, traj.t_s[:k])
        rows = np.hstack([traj.r_gcrs_m[:k, i] / 1e3, traj.v_gcrs_mps[:k, i] / 1e3])
        meta = C.OemMetadata(object_name=name, object_id=name, start_time=epochs[0], stop_time=epochs[-1],
                             center_name="EARTH", ref_frame=REF_FRAME, time_system="UTC",
                             interpolation="HERMITE", interpolation_degree=3)
        data = C.OemData.from_numpy(epochs, rows, comments=events or None)
        segments.append(C.OemSegment(metadata=meta, data=data))
    return C.Oem(header=header, segments=segments).to_str("kvn")


def aem_text(traj) -> str:
    """The AEM (KVN): one segment per body, QUATERNION rows 'EPOCH Q1 Q2 Q3 QC' = q_gcrs_from_body x y z w."""
    import ccsds_ndm as C
    comments = _header_comments(traj, "Attitude ephemeris") + [
        "Project convention: q_gcrs_from_body = (w, x, y, z), scalar first, maps body-axis components "
        "to GCRS components (v_gcrs = R(q) v_body)",
        f"Written as ADM 2 QUATERNION from REF_FRAME_A = {REF_FRAME} to REF_FRAME_B = {BODY_FRAME}, "
        "scalar last: Q1 Q2 Q3 QC = x y z w of q_gcrs_from_body",
        f"{BODY_FRAME} = the segment's body frame: SSACS axes (+X forward, +Y starboard, +Z nadir in "
        "flight attitude), origin at its centre of mass"]
    header = C.AdmHeader(creation_date=_now(), originator=ORIGINATOR, comment=comments)
    events = _event_comments(traj)
    segments = []
    for i, name in enumerate(traj.body_names):
        k = body_stop_index(traj, i) + 1
        epochs = utc_labels(traj.epoch_utc, traj.t_s[:k])
        q = traj.q_gcrs_from_body[:k, i]
        q = q / np.linalg.norm(q, axis=1, keepdims=True)
        meta = C.AemMetadata(object_name=name, object_id=name, ref_frame_a=REF_FRAME, ref_frame_b=BODY_FRAME,
                             start_time=epochs[0], stop_time=epochs[-1], time_system="UTC",
                             attitude_type="QUATERNION", center_name="EARTH")
        data = C.AemData.from_numpy(epochs, q[:, [1, 2, 3, 0]], attitude_type="QUATERNION",
                                    comment=events or None)
        segments.append(C.AemSegment(metadata=meta, data=data))
    return C.Aem(header=header, segments=segments).to_str("kvn")


def write_oem(traj, path, option: str = "--oem") -> Path:
    return write_text_atomically(path, oem_text(traj), option)


def write_aem(traj, path, option: str = "--aem") -> Path:
    return write_text_atomically(path, aem_text(traj), option)


def opm_text(epoch_utc: str, r_gcrs_m, v_gcrs_mps, object_name: str = "ISS") -> str:
    """An OPM (KVN) of one state: EPOCH (UTC), position km, velocity km/s, ICRF axes at the Earth's centre."""
    import ccsds_ndm as C
    label = utc_labels(epoch_utc, [0.0])[0]
    r, v = np.asarray(r_gcrs_m, float) / 1e3, np.asarray(v_gcrs_mps, float) / 1e3
    sv = C.StateVector(epoch=label, x=r[0], y=r[1], z=r[2], x_dot=v[0], y_dot=v[1], z_dot=v[2])
    meta = C.OpmMetadata(object_name=object_name, object_id=object_name, center_name="EARTH",
                         ref_frame=REF_FRAME, time_system="UTC")
    header = C.OdmHeader(creation_date=_now(), originator=ORIGINATOR)
    return C.Opm(header=header, segment=C.OpmSegment(metadata=meta, data=C.OpmData(state_vector=sv))).to_str("kvn")
