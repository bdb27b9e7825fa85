"""Time: an epoch (UTC ISO-8601 string and TT Julian date) plus float64 seconds since it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from physics.errors import PhysicsInputError

# The bundled JPL ephemeris (skyfield-data de421.bsp) covers 1899-07-29 .. 2053-10-09; we accept
# epochs well inside it so that a run of a few years stays covered.
_FIRST_YEAR, _LAST_YEAR = 1900, 2050


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
        t = timescale().from_datetime(dt)
        iso = dt.strftime("%Y-%m-%dT%H:%M:%S") + (f".{dt.microsecond:06d}" if dt.microsecond else "") + "Z"
        return cls(utc_iso=iso, tt_jd=float(t.tt))

    def skyfield_time(self, t_s=0.0):
        """skyfield Time at t_s seconds (scalar or array) after the epoch, on the TT scale."""
        return timescale().tt_jd(self.tt_jd, t_s / 86400.0)
