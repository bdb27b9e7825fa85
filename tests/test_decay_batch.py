"""physics/longterm/batch.py: bodies in one batch, each with its own step, re-enter when each would alone.

The batch uses run_long_term's model and step rules per body, so each body's reentry equals a
run_long_term of that body alone: to round-off in the arithmetic (the same operations on rows of
different arrays); tolerance 1 s on ~400 days and 1e-6 deg in place. A Sun-tracking body is included
(its Sun vector per body time)."""
import numpy as np

from physics import spaceweather as sw
from physics.longterm.decay import DecayBody, run_long_term
from physics.longterm.attitude import SunTrackingArea
from physics.longterm.batch import reentry_batch
from physics.longterm.elements import from_tle

TLE = ("1 25544U 98067A   22066.87965278  .00007224  00000+0  13623-3 0  9990",
       "2 25544  51.6433 118.2979 0004901 229.8721 120.0122 15.49615511329466")


def test_batch_equals_single_runs():
    el, ep = from_tle(*TLE)
    sarj = np.arange(0.0, 360.0, 30.0)
    track = SunTrackingArea(sarj, 900.0 + 2000.0 * np.abs(np.sin(np.radians(sarj))))
    bodies = [DecayBody("light", 100000.0, 2.2, 3000.0), DecayBody("track", 150000.0, 2.2, 2000.0, "flight", track),
              DecayBody("heavy", 300000.0, 2.2, 900.0)]
    act, dur = sw.activity("high"), 3000 * 86400.0
    batch = reentry_batch(bodies, el, ep, dur, act)
    for b in bodies:
        one = run_long_term([b], el, ep, dur, act).reentry(b.name)
        got = batch.reentry(b.name)
        assert got is not None and one is not None
        assert abs(got.t_s - one.t_s) < 1.0
        assert abs(got.data["lat_deg"] - one.data["lat_deg"]) < 1e-6
    assert list(batch.t_s) == [0.0, dur]


def test_batch_with_one_activity_per_body_equals_single_runs():
    """Bodies under different activities share the NRLMSIS calls; each keeps its own indices and
    step rule (1 day on the daily table, 10 days on a constant level)."""
    el, ep = from_tle(*TLE)
    bodies = [DecayBody("obs", 100000.0, 2.2, 3000.0), DecayBody("hi", 100000.0, 2.2, 3000.0)]
    acts, dur = [sw.activity("observed"), sw.activity("high")], 400 * 86400.0
    batch = reentry_batch(bodies, el, ep, [dur, dur], acts)
    for b, act in zip(bodies, acts):
        one = run_long_term([b], el, ep, dur, act).reentry(b.name)
        assert abs(batch.reentry(b.name).t_s - one.t_s) < 1.0
