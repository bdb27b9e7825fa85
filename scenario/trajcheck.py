"""Is a saved trajectory fit to draw? Checked before `plot` or `screenshot --npz` use it.

Trajectory.load_npz checks the file's structure (members, shapes, dtypes, times); a file edited or
produced elsewhere can still hold NaN or infinite states, attitudes that are not unit quaternions
(a zero quaternion trips Panda3D's assertions), or an epoch outside the bundled ephemeris (the Sun
and Moon are drawn from DE421). Each problem is one line, `FILE: member: problem`.
"""
from __future__ import annotations

import numpy as np

from scenario.errors import ScenarioError

UNIT_Q_TOL = 1e-6        # |q| - 1: float64 round-off after many steps is ~1e-15; files store the integrator's q


def check_trajectory(traj, where: str) -> None:
    for name in ("r_gcrs_m", "v_gcrs_mps", "q_gcrs_from_body", "omega_body_radps"):
        arr = getattr(traj, name)
        bad = ~np.isfinite(arr)
        if bad.any():
            k = int(np.argwhere(bad)[0][0])
            raise ScenarioError(where, name, f"non-finite value at sample {k} (t = {traj.t_s[k]:g} s)")
    norm = np.linalg.norm(traj.q_gcrs_from_body, axis=-1)
    off = np.abs(norm - 1.0)
    if off.max() > UNIT_Q_TOL:
        k = int(np.argwhere(off > UNIT_Q_TOL)[0][0])
        raise ScenarioError(where, "q_gcrs_from_body", f"not a unit quaternion at sample {k} "
                            f"(|q| = {norm.flat[int(np.argmax(off))]:.6g})")
    check_epoch_span(traj.epoch_tt_jd, float(traj.t_s[0]), float(traj.t_s[-1]), where)


def check_epoch_span(epoch_tt_jd: float, t0_s: float, t1_s: float, where: str) -> None:
    """The run's span inside the years the bundled ephemeris and time scales cover (physics.timebase)."""
    from physics.timebase import _FIRST_YEAR, _LAST_YEAR
    first, last = _jd_of_year(_FIRST_YEAR), _jd_of_year(_LAST_YEAR + 1)
    a, b = epoch_tt_jd + t0_s / 86400.0, epoch_tt_jd + t1_s / 86400.0
    if not (first <= a and b <= last):
        raise ScenarioError(where, "header_json: epoch_tt_jd", f"the run spans JD {a:.1f}..{b:.1f}, outside "
                            f"the bundled ephemeris ({_FIRST_YEAR}..{_LAST_YEAR})")


def _jd_of_year(year: int) -> float:
    """Julian date of 1 January of `year`, 0 h (Gregorian; Fliegel & Van Flandern)."""
    a = (14 - 1) // 12
    y, m = year + 4800 - a, 1 + 12 * a - 3
    return 1 + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045 - 0.5
