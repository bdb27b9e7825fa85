"""Benchmark of the long-run decay propagator (prints figures; not a test).

(1) One year (or to reentry) of both segments after a split on 2022-03-05, NRLMSIS 2.1 with the
    observed solar activity; (2) the ECSS low / moderate / high spread, each run to reentry;
(3) `simulate decay-no-reboost` as the command runs it (scenario.run_long with the headline grid:
    3 + 2 attitude modes x hindsight / forecast x calibration range, and the forecast band), with
    the parts' wall times; `--headline-only` skips (1) and (2).
Run: python benchmarks/bench_decay.py   (timings on a shared 2-core machine are noisy: +-30 %).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from physics.constants import WGS84_A_M                     # noqa: E402
from physics import spaceweather as sw                       # noqa: E402
from physics.longterm.decay import DecayBody, run_long_term           # noqa: E402
from physics.longterm.elements import from_tle                  # noqa: E402

TLE_2022_03_07 = ("1 25544U 98067A   22066.87965278  .00007224  00000+0  13623-3 0  9990",
                  "2 25544  51.6433 118.2979 0004901 229.8721 120.0122 15.49615511329466")
# Segment masses with their visiting vehicles (iss_configuration.md §4.1); ROS: mesh projected area
# along the wind in +XVV (station model, 224 m^2) with Cd 2.2; USOS: JEOD's 1,400 m^2 less the ROS
# share, Cd 2.0 -> ballistic coefficients 205 and 156 kg/m^2 (reference ESTIMATE: ~196 and 155-164).
BODIES = (DecayBody("ROS", 100952.0, 2.2, 224.0), DecayBody("USOS", 374928.0, 2.0, 1200.0))
YEAR = 365.25 * 86400.0


def timed(label, fn):
    t0 = time.perf_counter()
    res = fn()
    dt = time.perf_counter() - t0
    parts = []
    for name in res.body_names:
        ev = res.reentry(name)
        parts.append(f"{name}: " + (f"reentry day {ev.t_s / 86400:.0f} at ({ev.data['lat_deg']:.1f}, "
                                    f"{ev.data['lon_deg']:.1f}) deg" if ev else
                                    f"{res.alt_km[-1, res.body_names.index(name)]:.1f} km at the end"))
    print(f"{label:<34s} {dt:6.2f} s  {len(res.t_s):5d} steps  " + "; ".join(parts))
    return dt, res


def main():
    el, epoch = from_tle(*TLE_2022_03_07)
    print(f"start {epoch}, mean altitude {(el.a_m - WGS84_A_M) / 1e3:.1f} km")
    t1, _ = timed("1 year, observed activity", lambda: run_long_term(BODIES, el, epoch, YEAR, sw.observed_history()))
    total = 0.0
    for level in ("high", "moderate", "low"):
        dt, _ = timed(f"to reentry, ECSS {level}",
                      lambda: run_long_term(BODIES, el, epoch, 30 * YEAR, sw.ECSS_LEVELS[level]))
        total += dt
    print(f"targets: one year < 5 s (got {t1:.2f} s); spread < 15 s (got {total:.2f} s)")


def headline():
    """The whole long run of decay-no-reboost with its headline grid (what `simulate` does)."""
    import os
    import scenario as S
    t0 = time.perf_counter()
    lr = S.run_long(S.load("decay-no-reboost"))
    dt = time.perf_counter() - t0
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in lr.wall_s.items())
    print(f"decay-no-reboost long run + headline {dt:6.1f} s wall (headline {lr.wall_s['headline']:.1f} s); "
          f"parts: {parts}; load {os.getloadavg()[0]:.1f} (target: whole simulate < 30 s)")
    for line in lr.headline.lines()[3:]:
        print("  " + line)


if __name__ == "__main__":
    if "--headline-only" not in sys.argv:
        main()
    headline()
