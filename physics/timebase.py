"""Time: an epoch (UTC ISO-8601 string and TT Julian date) plus float64 seconds since it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from physics.errors import PhysicsInputError

# The bundled JPL ephemeris (skyfield-data de421.bsp) covers 1899-07-29 .. 2053-10-09; we accept
# epochs well inside it so that a run of a few years stays covered.
_FIRST_YEAR, _LAST_YEAR = 1900, 2050


_DAY_S = 86400.0
_TT_MINUS_TAI_S = 32.184


@lru_cache(maxsize=1)
def _leap_table():
    """(UTC seconds since JD 0 at each step, TAI - UTC after it) from the leap-second table that
    skyfield ships (skyfield/data/iers.npz, what `timescale()` reads), read without importing
    skyfield.api (~0.1 s of a short run): the same table, the same steps."""
    import importlib.util
    import numpy as np
    data = np.load(Path(importlib.util.find_spec("skyfield").submodule_search_locations[0]) / "data" / "iers.npz")
    dates, offsets = data["leap_dates"], data["leap_offsets"]
    return (dates[:, None] * _DAY_S + [[-1, 0]]).flatten(), (offsets[:, None] + [[-1, 0]]).flatten()


def utc_to_tt_jd(dt: datetime) -> float:
    """TT Julian date of an aware UTC datetime: UTC + (TAI - UTC) + 32.184 s, with the arithmetic of
    skyfield's Timescale.from_datetime (whole seconds kept apart from the fraction)."""
    import numpy as np
    leap_utc, leap_off = _leap_table()
    jdn = dt.toordinal() + 1721425                 # Julian day number of the date (proleptic Gregorian)
    seconds, sfr = divmod((jdn - 0.5) * _DAY_S, 1.0)
    seconds += float(np.interp(seconds, leap_utc, leap_off))
    seconds2, sfr = divmod(sfr + dt.hour * 3600.0 + dt.minute * 60.0 + dt.second + dt.microsecond / 1e6, 1.0)
    whole, fraction = divmod(seconds + seconds2, _DAY_S)
    return whole + ((fraction + sfr) / _DAY_S + _TT_MINUS_TAI_S / _DAY_S)


@lru_cache(maxsize=1)
def timescale():
    """skyfield's built-in timescale (offline: leap seconds and Delta T shipped with skyfield)."""
    from skyfield.api import load
    return load.timescale(builtin=True)


@dataclass(frozen=True)
class Epoch:
    utc_iso: str        # normalised 'YYYY-MM-DDTHH:MM:SS(.ffffff)Z'
    tt_jd: float        # TT Julian date of the epoch

    @classmethod
    def from_utc(cls, text: str, source: str = "physics") -> "Epoch":
        """Parse an ISO-8601 UTC instant ('2022-03-05T12:00:00Z'); PhysicsInputError if bad."""
        if not isinstance(text, str):
            raise PhysicsInputError(f"{source}: epoch: expected an ISO-8601 string, got {text!r}")
        s = text.strip()
        try:
            dt = datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s)
        except ValueError:
            raise PhysicsInputError(f"{source}: epoch: not an ISO-8601 date-time: {text!r}") from None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        dt = dt.astimezone(timezone.utc)
        if not _FIRST_YEAR <= dt.year <= _LAST_YEAR:
            raise PhysicsInputError(f"{source}: epoch: {text!r} outside the bundled ephemeris "
                                    f"({_FIRST_YEAR}..{_LAST_YEAR})")
        iso = dt.strftime("%Y-%m-%dT%H:%M:%S") + (f".{dt.microsecond:06d}" if dt.microsecond else "") + "Z"
        return cls(utc_iso=iso, tt_jd=utc_to_tt_jd(dt))

    def skyfield_time(self, t_s=0.0):
        """skyfield Time at t_s seconds (scalar or array) after the epoch, on the TT scale."""
        return timescale().tt_jd(self.tt_jd, t_s / 86400.0)
