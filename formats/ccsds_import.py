"""An initial state from a CCSDS OPM, or from the first state of an OEM (KVN or XML), read with
ccsds-ndm-py. Returns the state in GCRS metres and m/s at the message's epoch.

Accepted: CENTER_NAME = EARTH; REF_FRAME ICRF or GCRF (taken as our GCRS as is), EME2000 (rotated by
the IAU 2006 frame bias), TEME, ITRF* (Earth-fixed); TIME_SYSTEM UTC, TT, TAI or GPS. Anything else is a
FormatError: one line 'FILE: KEYWORD: problem'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formats import FormatError

TIME_SYSTEMS = ("UTC", "TT", "TAI", "GPS")
GPS_MINUS_TAI_S = -19.0
_EPOCH = re.compile(r"^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2}(?:\.\d*)?)Z?$")


@dataclass(frozen=True)
class CcsdsState:
    epoch_utc: str          # ISO 8601 with Z
    tt_jd: float
    r_gcrs_m: np.ndarray
    v_gcrs_mps: np.ndarray
    object_name: str
    kind: str               # "OPM" or "OEM"


MAX_CCSDS_BYTES = 64 << 20       # an OEM of a year at 60-s steps is ~50 MiB


def read_initial_state(path, object_name: str | None = None) -> CcsdsState:
    """The OPM's state, or the first state of the OEM segment of `object_name` (default: the first)."""
    import ccsds_ndm as C
    path = Path(path)
    if not path.is_file():                        # also a FIFO or a device: never read
        raise FormatError(path, "", "no such file")
    if path.stat().st_size > MAX_CCSDS_BYTES:
        raise FormatError(path, "", f"{path.stat().st_size / 2**20:.0f} MiB is too large for an initial state "
                          f"(at most {MAX_CCSDS_BYTES / 2**20:.0f} MiB)")
    try:
        msg = C.from_file(str(path))
    except Exception as exc:                      # the parser's own error classes, one line each
        raise FormatError(path, "", f"not a readable CCSDS OPM or OEM ({_first_line(exc)})") from None
    if isinstance(msg, C.Opm):
        meta, sv, kind = msg.segment.metadata, msg.segment.data.state_vector, "OPM"
    elif isinstance(msg, C.Oem):
        meta, sv, kind = *_oem_first_state(msg, path, object_name), "OEM"
    else:
        raise FormatError(path, "", f"a CCSDS {type(msg).__name__.upper()}, not an OPM or an OEM")
    if object_name is not None and kind == "OPM" and meta.object_name != object_name:
        raise FormatError(path, "OBJECT_NAME", f"'{meta.object_name}', not '{object_name}'")
    if str(meta.center_name).upper() != "EARTH":
        raise FormatError(path, "CENTER_NAME", f"'{meta.center_name}': only EARTH-centred states are accepted")
    t = _epoch_time(path, sv.epoch, str(meta.time_system).upper())
    r = np.array([sv.x, sv.y, sv.z], float) * 1e3
    v = np.array([sv.x_dot, sv.y_dot, sv.z_dot], float) * 1e3
    r, v = _to_gcrs(path, str(meta.ref_frame).upper(), r, v, t)
    iso = t.utc_iso(places=6)
    return CcsdsState(iso, float(t.tt), r, v, str(meta.object_name), kind)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _oem_first_state(msg, path, object_name):
    segs = list(msg.segments)
    if object_name is not None:
        segs = [s for s in segs if s.metadata.object_name == object_name]
        if not segs:
            names = [s.metadata.object_name for s in msg.segments]
            raise FormatError(path, "OBJECT_NAME", f"no segment for '{object_name}' (segments: {', '.join(names)})")
    if not segs or not segs[0].data.state_vector:
        raise FormatError(path, "DATA", "no state vector")
    return segs[0].metadata, segs[0].data.state_vector[0]


def _epoch_time(path, text: str, system: str):
    """skyfield Time of a CCSDS epoch string in the given time system."""
    from physics.timebase import timescale
    if system not in TIME_SYSTEMS:
        raise FormatError(path, "TIME_SYSTEM", f"'{system}' is not one of {', '.join(TIME_SYSTEMS)}")
    m = _EPOCH.match(str(text).strip())
    if not m:
        raise FormatError(path, "EPOCH", f"'{text}' is not YYYY-MM-DDThh:mm:ss[.f] or YYYY-DDDThh:mm:ss[.f]")
    year, month, day, doy, hh, mi, ss = m.groups()
    month, day = (1, int(doy)) if doy else (int(month), int(day))
    sec = float(ss) + (-GPS_MINUS_TAI_S if system == "GPS" else 0.0)
    make = {"UTC": timescale().utc, "TT": timescale().tt}.get(system, timescale().tai)
    t = make(int(year), month, day, int(hh), int(mi), sec)
    if not 1900 <= t.utc_datetime().year <= 2050:
        raise FormatError(path, "EPOCH", f"'{text}' outside the bundled ephemeris (1900..2050)")
    return t


def _to_gcrs(path, frame: str, r, v, t):
    from physics import orbit as po
    if frame in ("ICRF", "GCRF"):
        return r, v
    if frame == "EME2000":
        from skyfield.framelib import ICRS_to_J2000
        B = np.asarray(ICRS_to_J2000)             # R_j2000_from_icrs (frame bias, constant)
        return B.T @ r, B.T @ v
    name = "teme" if frame == "TEME" else "itrs" if frame.startswith("ITRF") else None
    if name is None:
        raise FormatError(path, "REF_FRAME", f"'{frame}' is not one of ICRF, GCRF, EME2000, TEME, ITRF*")
    try:
        return po.state_from_vector(r, v, name, t, source=str(path))
    except ValueError as exc:
        raise FormatError(path, "REF_FRAME", str(exc)) from None
