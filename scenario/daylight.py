"""When the picture goes dark: the station in the Earth's shadow, or over the night side.

Two things darken a frame of the default lesson (measured on the clip-2022 video, 320x180, mean
brightness of the rendered frame against time, docs/render.md): the station's own eclipse
(physics.ephemeris.shadow_fraction < 1) and, for several minutes on either side of it, the Earth
below in darkness, which fills most of the frame. The frame's mean fell below 20/255 when the Sun
stood less than ~5 deg above the horizon at the point below the station (evening and morning alike);
DARK_SUN_ELEVATION_DEG = 12 keeps a margin (26/255 measured there). `dark_spans` is the predicate the
video's time map fast-forwards through (render/storytime.py); `eclipse_warning` is the one line
printed when a scenario's release happens in the shadow. Pure numpy (no Panda3D).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from physics.ephemeris import shadow_fraction, sun_gcrs_m

DARK_SUN_ELEVATION_DEG = 12.0   # below this at the point under the station, the frame reads near-black
SCAN_STEP_S = 10.0


def _positions(traj, ts: np.ndarray, body: int) -> np.ndarray:
    return np.array([traj.state_at(float(t))[0][body] for t in ts])


def _anchor(traj) -> int:
    from scenario.apart import pair_indices
    ab = pair_indices(traj)
    return ab[1] if ab is not None else 0


def _geometry(traj, ts, body: int | None):
    ts = np.atleast_1d(np.asarray(ts, float))
    r = _positions(traj, ts, _anchor(traj) if body is None else body)
    return r, np.atleast_2d(sun_gcrs_m(traj.epoch_tt_jd, ts))


def _sunlit(r: np.ndarray, sun: np.ndarray) -> np.ndarray:
    return np.array([shadow_fraction(r[k:k + 1], sun[k])[0] for k in range(len(r))])


def _elevation_deg(r: np.ndarray, sun: np.ndarray) -> np.ndarray:
    cos = np.einsum("ki,ki->k", r, sun) / (np.linalg.norm(r, axis=1) * np.linalg.norm(sun, axis=1))
    return 90.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def sunlit_fraction(traj, ts, body: int | None = None) -> np.ndarray:
    """(K,) visible fraction of the Sun's disc from the body (1 sunlit, 0 umbra)."""
    return _sunlit(*_geometry(traj, ts, body))


def sun_elevation_below_deg(traj, ts, body: int | None = None) -> np.ndarray:
    """(K,) the Sun's elevation above the horizon at the point below the body (geocentric), deg."""
    return _elevation_deg(*_geometry(traj, ts, body))


def is_dark(traj, ts) -> np.ndarray:
    """(K,) bool: the frame would read near-black (station in shadow, or the ground below at night)."""
    r, sun = _geometry(traj, ts, None)
    return (_sunlit(r, sun) < 1.0) | (_elevation_deg(r, sun) < DARK_SUN_ELEVATION_DEG)


def dark_spans(traj, t0_s: float, t1_s: float, step_s: float = SCAN_STEP_S) -> list[tuple[float, float]]:
    """[(a, b)] simulated times in [t0, t1] when `is_dark`, each edge widened by one scan step."""
    if t1_s <= t0_s:
        return []
    ts = np.append(np.arange(t0_s, t1_s, step_s), t1_s)
    dark = is_dark(traj, ts)
    spans, k = [], 0
    while k < len(ts):
        if not dark[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(ts) and dark[j + 1]:
            j += 1
        spans.append((max(t0_s, ts[k] - step_s), min(t1_s, ts[j] + step_s)))
        k = j + 1
    return spans


def next_sunrise(traj, t_s: float, step_s: float = SCAN_STEP_S) -> float | None:
    """First time after t_s when the station sees the whole Sun again (None if not within the run)."""
    ts = np.arange(t_s, float(traj.t_s[-1]), step_s)
    if len(ts) == 0:
        return None
    lit = np.nonzero(sunlit_fraction(traj, ts) >= 1.0)[0]
    return float(ts[lit[0]]) if len(lit) else None


def _utc(traj, t_s: float) -> str:
    t0 = dt.datetime.fromisoformat(traj.epoch_utc.replace("Z", "+00:00"))
    return (t0 + dt.timedelta(seconds=float(t_s))).strftime("%H:%M:%S UTC")


def eclipse_warning(traj, source: str = "scenario") -> str | None:
    """One line when the hooks open in the Earth's shadow (the lesson's first minutes would be dark)."""
    from scenario.apart import release_time
    t_rel = release_time(traj)
    if t_rel is None or sunlit_fraction(traj, [t_rel])[0] >= 1.0:
        return None
    rise = next_sunrise(traj, t_rel)
    when = (f"the next sunrise is at {_utc(traj, rise)} (release + {(rise - t_rel) / 60:.0f} min)"
            if rise is not None else "no sunrise before the run ends")
    return (f"{source}: note: the hooks open in the Earth's shadow at {_utc(traj, t_rel)}, so the "
            f"separation happens in the dark; {when}")
