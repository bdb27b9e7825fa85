"""The ensembles' shared NRLMSIS table (physics/longterm/density_table.py) against direct NRLMSIS.

Tolerances: on a grid point at a node instant the table holds NRLMSIS itself, stored as float32 ln(rho)
(|ln rho| < 40: 4e-6 absolute, i.e. 4e-6 relative in rho). Between grid points it interpolates ln(rho)
linearly over 10 deg of latitude, 1 h of local time, 10 km of altitude: orbit means of 8 points (what
the long run averages) measured within 0.2-0.3 % rms and 0.05 % mean (docs/ensemble.md); the bounds
here are twice those.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from physics import spaceweather as sw
from physics.longterm.density import msis_model
from physics.longterm.density_table import DensityTable, TableGrid, shared_table
from physics.longterm.rates import R_EQ_M, sample_geodetic

EPOCH = "2022-03-05T12:22:00Z"
DAY = 86400.0


def _orbits(n, days, seed=1, table=None):
    """n ISS-like orbits (i 51.64 deg, 200-420 km) at times on half-day steps (or on the table's time
    nodes: where the ensemble's RK4 stages fall); 8 points each."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 6))
    X[:, 0] = R_EQ_M + rng.uniform(200e3, 420e3, n)
    X[:, 1], X[:, 3] = 3e-4, np.radians(51.64)
    X[:, 4], X[:, 5] = rng.uniform(0, 2 * np.pi, n), rng.uniform(0, 2 * np.pi, n)
    t = np.round(rng.uniform(0, days * DAY, n) / (DAY / 2))[:, None] * (DAY / 2)
    if table is not None:
        k = np.arange(4000)
        nodes = table.node_time(k[table.node_time(k) <= days * DAY]).astype(float)
        t = rng.choice(nodes, n)[:, None]
    du = np.broadcast_to(2 * np.pi * (np.arange(8) + 0.5) / 8 - np.pi, (n, 8))
    lat, lon, alt, tk, _ = sample_geodetic(X, t, du)
    return tk.ravel(), lat.ravel(), lon.ravel(), alt.ravel()


def test_grid_points_hold_nrlmsis_itself():
    act = sw.activity("observed")
    table = DensityTable(EPOCH, act)
    ut_h = (12 + 22 / 60 + 3.0) % 24                              # node 6 = 3 days: the epoch's UT
    lat = np.radians(np.array([-50.0, 0.0, 30.0, 60.0]))
    lst = np.array([0.0, 7.0, 14.0, 23.0])
    lon = np.radians((lst - ut_h) * 15.0)
    alt = np.array([150e3, 250e3, 400e3, 490e3])
    t = np.full(4, 3 * DAY)
    direct = msis_model(EPOCH, act)(t, lat, lon, alt)
    np.testing.assert_allclose(table.density(t, lat, lon, alt), direct, rtol=1e-5)


def test_orbit_means_against_direct_nrlmsis():
    act = sw.activity("observed")
    table = DensityTable(EPOCH, act)
    t, lat, lon, alt = _orbits(600, 900, table=table)                 # daily (to day 302) and 5-day nodes
    direct = msis_model(EPOCH, act)(t, lat, lon, alt).reshape(-1, 8).mean(axis=1)
    r = table.density(t, lat, lon, alt).reshape(-1, 8).mean(axis=1) / direct - 1.0
    assert abs(r.mean()) < 1e-3 and r.std() < 6e-3, (r.mean(), r.std())


def test_values_do_not_depend_on_the_order_of_queries():
    act = sw.activity("forecast-2022")
    a, b = _orbits(30, 300, seed=2), _orbits(30, 300, seed=3)
    first, second = DensityTable(EPOCH, act), DensityTable(EPOCH, act)
    first.density(*a)
    second.density(*b)
    assert np.array_equal(first.density(*b), second.density(*b))
    assert np.array_equal(second.density(*a), DensityTable(EPOCH, act).density(*a))


def test_nodes_past_the_activity_table_take_its_last_day():
    act = sw.activity("observed")
    end_s = float((np.datetime64("2032-12-31T23:00") - np.datetime64("2022-03-05T12:22")) / np.timedelta64(1, "s"))
    rho = DensityTable(EPOCH, act).density(np.array([end_s]), np.zeros(1), np.zeros(1), np.array([300e3]))
    assert np.isfinite(rho).all() and rho[0] > 0


def test_shared_table_is_one_per_activity_values():
    act = sw.forecast_2022("predicted")
    same = dataclasses.replace(act, label=act.label)                   # another object, the same indices
    assert shared_table(EPOCH, act) is shared_table(EPOCH, same)
    assert shared_table(EPOCH, act) is not shared_table(EPOCH, sw.forecast_2022("high"))
    assert shared_table(EPOCH, act) is not shared_table(EPOCH, act, TableGrid(dlst_h=2.0))


@pytest.mark.parametrize("activity", ["observed", "moderate"])
def test_reentry_dates_with_the_table_match_direct_nrlmsis(activity):
    """Two low bodies (about 2 and 5 months to reentry) through reentry_batch both ways: within 0.3 %
    of the time to reentry (measured 0.0-0.15 % on the ensemble's members, docs/ensemble.md)."""
    from physics.longterm.batch import reentry_batch
    from physics.longterm.decay import DecayBody
    from physics.longterm.elements import MeanElements
    act = sw.activity(activity)
    bodies = [DecayBody("A", 20000.0, 2.2, 100.0), DecayBody("B", 20000.0, 2.2, 40.0)]
    el = MeanElements(a_m=R_EQ_M + 300e3, e=3e-4, i_rad=np.radians(51.64), raan_rad=1.0, argp_rad=0.0,
                       mean_anomaly_rad=0.0)
    table = shared_table(EPOCH, act)
    runs = [reentry_batch(bodies, el, EPOCH, 400 * DAY, act, density_model=dm) for dm in
            (None, lambda rows, t, lat, lon, alt: table.density(t, lat, lon, alt))]
    for name in ("A", "B"):
        direct, tab = (r.reentry(name).t_s for r in runs)
        assert abs(tab - direct) < 3e-3 * direct, (name, direct / DAY, tab / DAY)


def test_table_latitudes_cover_the_orbits():
    """The grid reaches 5 deg beyond the orbits' highest latitude (a polar or retrograde orbit: the poles),
    so no point is held at the table's edge; the ISS keeps the default 60 deg (its results unchanged)."""
    from types import SimpleNamespace
    from ensemble.reentry import _table_grid
    from physics.longterm.elements import MeanElements

    def lat_max(inc_deg):
        e = MeanElements(6.79e6, 0.0005, np.radians(inc_deg), 0.0, 0.0, 0.0)
        return _table_grid(SimpleNamespace(elements={"A": e})).lat_max_deg

    assert lat_max(51.64) == 60.0
    assert lat_max(57.0) == 70.0
    assert lat_max(97.8) == 90.0 and lat_max(89.0) == 90.0
