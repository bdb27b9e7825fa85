"""Orbit initialisation: two-line element sets (validated, SGP4 via skyfield) and state vectors.

SGP4 (skyfield's EarthSatellite, python-sgp4, WGS-72) gives TEME; skyfield rotates it to GCRS with its
TEME frame (GMST-based, as in Vallado et al. 2006). Offline: built-in timescale, no downloads.
A TLE state is a *mean-element* fit: its error against the real ISS is ~1 km at epoch growing by a few
km/day, so it initialises an orbit; it is not a truth reference to metres.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from physics.errors import PhysicsInputError
from physics.frames import OMEGA_EARTH_RADPS, SECONDS_PER_DAY, skyfield_time, timescale

R_EARTH_MIN_M = 6.3e6       # any state below this radius is inside the Earth: a user error

# (first column, last column) 1-based inclusive, of the fields that must parse as numbers, and the
# columns that must be blank, in the standard 69-column layout (CelesTrak "TLE format" page).
_BLANKS = {1: (2, 9, 18, 33, 44, 53, 62, 64), 2: (2, 8, 17, 26, 34, 43, 52)}
_FIELDS = {
    1: (("satellite number", 3, 7, r"\d{5}|[A-Z]\d{4}"), ("epoch", 19, 32, r"\d{5}\.\d{8}"),
        ("mean motion derivative", 34, 43, r"[ +-]\.\d{8}"),
        ("second derivative", 45, 52, r"[ +-]\d{5}[+-]\d"), ("BSTAR", 54, 61, r"[ +-]\d{5}[+-]\d"),
        ("element set number", 65, 68, r" *\d+")),
    2: (("satellite number", 3, 7, r"\d{5}|[A-Z]\d{4}"), ("inclination", 9, 16, r" *\d+\.\d+"),
        ("RAAN", 18, 25, r" *\d+\.\d+"), ("eccentricity", 27, 33, r"\d{7}"),
        ("argument of perigee", 35, 42, r" *\d+\.\d+"), ("mean anomaly", 44, 51, r" *\d+\.\d+"),
        ("mean motion", 53, 63, r" *\d+\.\d+"), ("revolution number", 64, 68, r" *\d+")),
}


@dataclass(frozen=True)
class Tle:
    """One validated element set (what it is). `epoch_utc` is ISO 8601 from the TLE's epoch field."""
    name: str
    line1: str
    line2: str
    source: str
    satnum: str
    epoch_utc: str
    epoch_tt_jd: float

    def satellite(self):
        """skyfield EarthSatellite (built lazily; SGP4 initialisation is cheap)."""
        from skyfield.api import EarthSatellite
        return EarthSatellite(self.line1, self.line2, self.name, timescale())


def tle_checksum(line: str) -> int:
    """Sum of the digits of columns 1-68, '-' counting 1, modulo 10."""
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _check_line(line: str, which: int, where: str) -> None:
    if not line.isascii():
        raise PhysicsInputError(f"{where}: non-ASCII character in a TLE line")
    if len(line) != 69:
        raise PhysicsInputError(f"{where}: {len(line)} characters, a TLE line has 69")
    if line[0] != str(which):
        raise PhysicsInputError(f"{where}: column 1 is {line[0]!r}, expected '{which}'")
    for col in _BLANKS[which]:
        if line[col - 1] != " ":
            raise PhysicsInputError(f"{where}: column {col} is {line[col - 1]!r}, expected a blank")
    for name, c0, c1, pattern in _FIELDS[which]:
        if not re.fullmatch(pattern, line[c0 - 1:c1]):
            raise PhysicsInputError(f"{where}: columns {c0}-{c1} ({name}) {line[c0 - 1:c1]!r} is malformed")
    if not line[68].isdigit():
        raise PhysicsInputError(f"{where}: column 69 (checksum) is {line[68]!r}, not a digit")
    computed = tle_checksum(line)
    if computed != int(line[68]):
        raise PhysicsInputError(f"{where}: checksum is {line[68]}, computed {computed}")


def parse_tle(line1: str, line2: str, source: str = "<TLE>", name: str = "",
              line_numbers: tuple[int, int] = (1, 2)) -> Tle:
    """Validate columns, checksums and values of a TLE and return a Tle.

    Raises PhysicsInputError with one line 'SOURCE: line N: problem'; `line_numbers` are the lines'
    numbers in `source` (a file) for the message."""
    l1, l2 = line1.rstrip("\r\n "), line2.rstrip("\r\n ")
    _check_line(l1, 1, f"{source}: line {line_numbers[0]}")
    _check_line(l2, 2, f"{source}: line {line_numbers[1]}")
    where2 = f"{source}: line {line_numbers[1]}"
    if l1[2:7] != l2[2:7]:
        raise PhysicsInputError(f"{where2}: satellite number {l2[2:7]} differs from line 1's {l1[2:7]}")
    if not 1.0 <= float(l1[20:32]) < 367.0:
        raise PhysicsInputError(f"{source}: line {line_numbers[0]}: epoch day of year {l1[20:32].strip()} is "
                                "outside 1-366")
    if not 0.0 <= float(l2[8:16]) <= 180.0:
        raise PhysicsInputError(f"{where2}: inclination {l2[8:16].strip()} deg is outside 0-180")
    if not 0.0 < float(l2[52:63]) < 20.0:
        raise PhysicsInputError(f"{where2}: mean motion {l2[52:63].strip()} rev/day is not a near-Earth orbit")
    sat = Tle(name, l1, l2, source, l1[2:7], "", 0.0).satellite()
    if sat.model.error:
        raise PhysicsInputError(f"{where2}: SGP4 rejects the elements (error {sat.model.error})")
    t = sat.epoch
    return Tle(name or f"NORAD {l1[2:7]}", l1, l2, source, l1[2:7],
               t.utc_iso(places=3), float(t.tt))


def load_tle_file(path) -> list[Tle]:
    """All element sets in a 2- or 3-line TLE file ('#' lines and blank lines are skipped)."""
    path = Path(path)
    from fileio import InputFileError, read_text_capped
    try:            # a regular file of at most 16 MiB (a FIFO or /dev/zero would hang or fill the memory)
        text = read_text_capped(path, what="TLE file")   # names and comments may be UTF-8; TLE lines are checked
    except InputFileError as exc:
        raise PhysicsInputError(str(exc)) from None
    rows = [(i + 1, s.rstrip("\r\n ")) for i, s in enumerate(text.splitlines())]
    rows = [(i, s) for i, s in rows if s and not s.startswith("#")]
    tles, name, k = [], "", 0
    while k < len(rows):
        i, s = rows[k]
        if s.startswith("1 ") and k + 1 < len(rows) and rows[k + 1][1].startswith("2 "):
            tles.append(parse_tle(s, rows[k + 1][1], str(path), name, (i, rows[k + 1][0])))
            name, k = "", k + 2
        elif s.startswith(("1 ", "2 ")):
            raise PhysicsInputError(f"{path}: line {i}: TLE line {s[0]} without its partner line")
        else:                                       # a name line; CelesTrak's 3LE format prefixes "0 "
            name, k = (s[2:] if s.startswith("0 ") else s).strip(), k + 1
    if not tles:
        raise PhysicsInputError(f"{path}: no TLE found")
    return tles


def _time_of(epoch, t_s: float):
    """skyfield Time from an Epoch (duck-typed: .skyfield_time), a skyfield Time, a TT JD or None."""
    if hasattr(epoch, "skyfield_time"):
        return epoch.skyfield_time(t_s)
    if hasattr(epoch, "tt") and hasattr(epoch, "whole"):
        return timescale().tt_jd(epoch.whole, epoch.tt_fraction + t_s / SECONDS_PER_DAY)
    return skyfield_time(float(epoch), t_s)


def state_from_tle(tle: Tle, epoch=None, t_s: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 state at epoch + t_s in GCRS: (r_gcrs_m (3,), v_gcrs_mps (3,)).

    epoch: physics.timebase.Epoch, skyfield Time, TT Julian date (float), or None (the TLE's epoch)."""
    sat = tle.satellite()
    t = _time_of(sat.epoch if epoch is None else epoch, t_s)
    p = sat.at(t)
    if p.message:
        raise PhysicsInputError(f"{tle.source}: {tle.name}: SGP4 fails at {t.utc_iso()}: {p.message}")
    return p.position.m.copy(), p.velocity.m_per_s.copy()


def state_from_vector(r_m, v_mps, frame: str, epoch, t_s: float = 0.0,
                      source: str = "<state>") -> tuple[np.ndarray, np.ndarray]:
    """A state vector given in 'gcrs', 'teme' or 'itrs' (Earth-fixed, velocity relative to the Earth)
    -> (r_gcrs_m, v_gcrs_mps). TEME -> GCRS uses skyfield's TEME frame (rotation only: the frame's own
    rotation rate, precession-nutation, is ~1e-11 rad/s and negligible)."""
    r, v = np.asarray(r_m, dtype=float), np.asarray(v_mps, dtype=float)
    if r.shape != (3,) or v.shape != (3,) or not (np.all(np.isfinite(r)) and np.all(np.isfinite(v))):
        raise PhysicsInputError(f"{source}: state: position and velocity must be 3 finite numbers each")
    if np.linalg.norm(r) < R_EARTH_MIN_M:
        raise PhysicsInputError(f"{source}: state: |r| = {np.linalg.norm(r):.0f} m is inside the Earth")
    t = _time_of(epoch, t_s)
    if frame == "gcrs":
        return r.copy(), v.copy()
    if frame == "teme":
        from skyfield.sgp4lib import TEME
        R = TEME.rotation_at(t).T                     # R_gcrs_from_teme
        return R @ r, R @ v
    if frame == "itrs":
        from skyfield.framelib import itrs
        R = itrs.rotation_at(t).T                     # R_gcrs_from_itrs
        omega_itrs = np.array([0.0, 0.0, OMEGA_EARTH_RADPS])
        return R @ r, R @ (v + np.cross(omega_itrs, r))
    raise PhysicsInputError(f"{source}: frame: {frame!r} is not one of gcrs, teme, itrs")
