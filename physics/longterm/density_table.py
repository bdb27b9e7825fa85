"""A shared NRLMSIS table for many long-run bodies at once (ensembles): ln(rho) on a grid in (time node,
geodetic latitude, local solar time, altitude), filled lazily and interpolated linearly in all four.

Why: an ensemble member costs ~25,000 NRLMSIS points (two bodies x ~400 RK4 steps x 4 stages x 8
points a revolution, ~13 us each), while at any one time all members fly through the same
atmosphere. A table costs per time node and per altitude level actually visited, not per body, and
is shared by every task a worker process runs (`shared_table`): at 1,000 members it is evaluated a
few hundred times less. The idea is physics/atmosphere.py's MsisTable (the 6-DOF engine's, fixed
indices, scalar per-step use); this one follows a time-varying activity (the indices of each node's
instant), is vectorised over points and keeps its nodes where the activity changes: every
`daily_node_days` while the activity changes day by day (a TableActivity before its `daily_until`),
every `smooth_node_days` after (monthly values interpolated: the long run steps 10 days there).
Node spacings are not whole days, so successive nodes fall at different universal times and the
longitude/UT terms that a fixed-UT table would freeze average out (docs/ensemble.md, "Speed").

Determinism: a block's values depend only on its key (table, time node, altitude block), never on
which bodies or tasks asked first, so results do not depend on the order of tasks or the number of
workers. Used only by ensembles (ensemble/reentry.py); the headline and single runs call NRLMSIS
directly. Measured error (docs/ensemble.md): reentry dates within ~0.1 % of the direct ones.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import numpy as np

from physics.constants import SECONDS_PER_DAY as DAY_S
from physics.kernels import trilinear
from physics.longterm.density import _utc64, msis_density


@dataclass(frozen=True)
class TableGrid:
    dlat_deg: float = 10.0
    dlst_h: float = 1.0
    dalt_m: float = 10e3
    lat_max_deg: float = 60.0           # grid in [-lat_max, lat_max]; points beyond are held at the edge
    alt_min_m: float = 80e3             # altitude levels alt_min .. alt_max; points beyond are held at
    alt_max_m: float = 500e3            # the edge (the ensemble sets alt_max above its bodies' start)
    hold_s: float = 3000.0              # a node holds for +-hold_s (an orbit's samples lie within +-T/2 < 47 min
                                        # of their stage time: all of them read that node, no neighbours)


class DensityTable:
    """ln(rho) of NRLMSIS under one activity model (physics.spaceweather) from epoch_utc on, with time
    nodes every half step cap of the long run (rates.default_step_cap, or max_step_s when given).
    Filled point by point: a grid point is evaluated the first time a query needs it as a corner."""

    def __init__(self, epoch_utc: str, activity, grid: TableGrid = TableGrid(), max_step_s: float | None = None):
        self.t0, self.activity, self.g = _utc64(epoch_utc), activity, grid
        self.lat_deg = np.arange(-grid.lat_max_deg, grid.lat_max_deg + 0.5 * grid.dlat_deg, grid.dlat_deg)
        self.lst_h = np.arange(0.0, 24.0 + 0.5 * grid.dlst_h, grid.dlst_h)
        self.alt_m = np.arange(grid.alt_min_m, grid.alt_max_m + 0.5 * grid.dalt_m, grid.dalt_m)
        self.shape = (len(self.lat_deg), len(self.lst_h), len(self.alt_m))
        self.data = np.zeros((0,) + self.shape, dtype=np.float32)    # ln rho per node slot (float32: 3e-6)
        self.filled = np.zeros((0,) + self.shape, dtype=bool)
        self.node_of_slot = np.zeros(0, dtype=np.int64)
        self.slot_of_node = np.full(0, -1, dtype=np.int64)
        self.points_evaluated = 0
        ut0 = self.t0 - self.t0.astype("datetime64[D]")
        self._ut0_s = float(ut0 / np.timedelta64(1, "ms")) / 1e3
        self._d1, self._d2, self._k1 = _node_rule(activity, epoch_utc, max_step_s)
        self._t1 = self._k1 * self._d1
        self._lock = threading.Lock()              # a Dask worker may run tasks in several threads
        ni, nj, nm = self.shape
        self._corners = np.array([di * nj * nm + dj * nm + dm for di in (0, 1) for dj in (0, 1) for dm in (0, 1)])

    def node_time(self, k):
        k = np.asarray(k, dtype=np.int64)
        return np.where(k <= self._k1, k * self._d1, self._t1 + (k - self._k1) * self._d2)

    def _node(self, t_s):
        """Time node k at or before t_s (>= 0) and the weight of node k + 1: 0 within hold_s after node
        k, 1 within hold_s before node k + 1, linear in between (continuous)."""
        t = np.maximum(np.asarray(t_s, dtype=float), 0.0)
        k = np.where(t < self._t1, np.floor(t / self._d1), self._k1 + np.floor((t - self._t1) / self._d2)).astype(np.int64)
        t_k = self.node_time(k)
        dt, hold = self.node_time(k + 1) - t_k, self.g.hold_s
        return k, np.clip((t - t_k - hold) / (dt - 2.0 * hold), 0.0, 1.0)

    def density(self, t_s, lat_rad, lon_rad, alt_m) -> np.ndarray:
        """rho (kg/m^3) at points (M,) each at its own time t_s (M,) since the epoch."""
        return np.exp(self.ln_density(t_s, lat_rad, lon_rad, alt_m))

    def ln_density(self, t_s, lat_rad, lon_rad, alt_m) -> np.ndarray:
        """ln rho (rho in kg/m^3) at points (M,): trilinear in (lat, local solar time, altitude) at the
        two time nodes around each point's time (kernels.trilinear), then linear in time."""
        with self._lock:
            return self._ln_density(t_s, lat_rad, lon_rad, alt_m)

    def _ln_density(self, t_s, lat_rad, lon_rad, alt_m) -> np.ndarray:
        g, (ni, nj, nm) = self.g, self.shape
        t = np.asarray(t_s, dtype=float)
        k, wt = self._node(t)
        ui = np.clip((np.degrees(lat_rad) + g.lat_max_deg) / g.dlat_deg, 0.0, ni - 1.000001)
        uj = np.minimum(np.mod((self._ut0_s + t) / 3600.0 + np.degrees(lon_rad) / 15.0, 24.0) / g.dlst_h, nj - 1.000001)
        ua = np.clip((np.asarray(alt_m, dtype=float) - g.alt_min_m) / g.dalt_m, 0.0, nm - 1.000001)
        i, j, m = ui.astype(np.int64), uj.astype(np.int64), ua.astype(np.int64)
        fi, fj, fl = ui - i, uj - j, ua - m
        cell = (i * nj + j) * nm + m
        size = ni * nj * nm
        ln = []
        day = np.floor((self._ut0_s + t) / DAY_S)
        for node, used in ((k, wt < 1.0), (k + 1, wt > 0.0)):   # a node of weight 0 is neither filled nor read
            v = np.zeros((len(cell), 8))
            if used.any():
                key = 3 * node[used] + 1 + self._day_shift(node[used], day[used])
                idx = (self._slots(key) * size + cell[used])[:, None] + self._corners
                self._fill(idx)
                v[used] = self.data.reshape(-1)[idx]
            ln.append(trilinear(*(v[:, c] for c in range(8)), fi, fj, fl))
        return (1.0 - wt) * ln[0] + wt * ln[1]

    @property
    def nbytes(self) -> int:
        return self.data.nbytes + self.filled.nbytes

    def _day_shift(self, k, day) -> np.ndarray:
        """-1, 0 or +1: a point's UTC day against its node's, where the indices change daily (nodes
        before the smooth phase): a node read across midnight (+-47 min) is kept once per UTC day,
        each with that day's indices, as NRLMSIS gets them point by point. 0 in the smooth phase."""
        node_day = np.floor((self._ut0_s + self.node_time(k)) / DAY_S)
        return np.where(k < self._k1, np.clip(day - node_day, -1, 1), 0).astype(np.int64)

    def _slots(self, k) -> np.ndarray:
        """Storage slot of each node key 3 k + 1 + day shift (new keys get the next slots)."""
        k = np.asarray(k, dtype=np.int64)
        if k.max() >= len(self.slot_of_node):
            grown = np.full(max(2 * len(self.slot_of_node), int(k.max()) + 1, 64), -1, dtype=np.int64)
            grown[:len(self.slot_of_node)] = self.slot_of_node
            self.slot_of_node = grown
        new = np.unique(k[self.slot_of_node[k] < 0])
        if new.size:
            n0 = len(self.node_of_slot)
            self.slot_of_node[new] = n0 + np.arange(new.size)
            self.node_of_slot = np.concatenate([self.node_of_slot, new])
            if len(self.node_of_slot) > len(self.data):                # ~70 KB a slot: grow in steps of 128
                cap = len(self.node_of_slot) + 128
                self.data = _grown(self.data, cap)
                self.filled = _grown(self.filled, cap)
        return self.slot_of_node[k]

    def _fill(self, idx: np.ndarray) -> None:
        """Evaluate the grid points idx (flat) not yet filled, in one NRLMSIS call: each at its node's
        instant and indices; a point's value does not depend on the others of the call."""
        filled = self.filled.reshape(-1)
        need = idx[~filled[idx]]
        if need.size == 0:
            return
        need = np.unique(need)
        slot, rest = np.divmod(need, int(np.prod(self.shape)))
        i, rest = np.divmod(rest, self.shape[1] * self.shape[2])
        j, m = np.divmod(rest, self.shape[2])
        node, shift = np.divmod(self.node_of_slot[slot], 3)
        t_k = self.node_time(node).astype(float)
        ut_h = ((self._ut0_s + t_k) % DAY_S) / 3600.0
        lon = (self.lst_h[j] - ut_h) * 15.0
        dates = self.t0 + np.round(t_k * 1e3).astype("timedelta64[ms]")
        days = dates + (shift - 1) * np.timedelta64(1, "D")                  # the UTC day of the indices
        rho = msis_density(dates, np.radians(self.lat_deg[i]), np.radians(lon), self.alt_m[m],
                           *self.activity.indices(self._within_activity(days)))
        self.data.reshape(-1)[need] = np.log(rho)
        filled[need] = True
        self.points_evaluated += need.size


    def _within_activity(self, dates):
        """Dates held inside the activity's table: a run that reaches the table's end (Dec 2032) has its
        last node up to half a step past it, which takes the last day's indices."""
        day0, f107 = getattr(self.activity, "day0", None), getattr(self.activity, "f107", None)
        if day0 is None or f107 is None:
            return dates
        last = (np.datetime64(day0, "ms") + np.timedelta64(int(np.size(f107)), "D") - np.timedelta64(1, "ms"))
        return np.minimum(dates, last)


def _grown(a: np.ndarray, cap: int) -> np.ndarray:
    out = np.zeros((cap,) + a.shape[1:], dtype=a.dtype)
    out[:len(a)] = a
    return out


def _node_rule(activity, epoch_utc: str, max_step_s):
    """(node spacing while the indices change daily, spacing after, index of the first smooth node):
    half the step cap, from the first step taken with the smooth cap on. Bodies step at their cap (all
    of them but in their last days), in lockstep from t = 0, so their RK4 stages (t, t + h/2, t + h)
    fall on nodes: the table then only interpolates in space. (Nodes every 10 days in the smooth phase,
    the midpoint stages read halfway between two nodes, cost 11 % fewer points and moved the ROS dates
    by 0.8 day more on average: the semi-annual density wave is not linear over 10 days.)"""
    from physics.longterm.rates import DAILY_CAP_S, SMOOTH_CAP_S, smooth_from_s
    if max_step_s is not None:
        return max_step_s / 2, max_step_s / 2, 0
    t_smooth = smooth_from_s(activity, epoch_utc)
    if not np.isfinite(t_smooth):
        return DAILY_CAP_S / 2, DAILY_CAP_S / 2, 0
    steps = int(np.ceil(max(t_smooth, 0.0) / DAILY_CAP_S))              # daily steps before the first smooth one
    return DAILY_CAP_S / 2, SMOOTH_CAP_S / 2, 2 * steps


_TABLES: dict = {}
_TABLES_LOCK = threading.Lock()
MAX_TABLES = 8


def shared_table(epoch_utc: str, activity, grid: TableGrid | None = None, max_step_s: float | None = None) -> DensityTable:
    """The process's table for (epoch, activity, grid, step cap), created on first use (at most
    MAX_TABLES kept: the oldest goes first). Its values depend only on that key."""
    grid = grid or TableGrid()
    key = (epoch_utc, _activity_key(activity), grid, max_step_s)
    with _TABLES_LOCK:
        if key not in _TABLES:
            if len(_TABLES) >= MAX_TABLES:
                _TABLES.pop(next(iter(_TABLES)))
            _TABLES[key] = DensityTable(epoch_utc, activity, grid, max_step_s)
        return _TABLES[key]


def _activity_key(activity):
    """A value key of an activity model (its indices, not its identity)."""
    parts = [type(activity).__name__, getattr(activity, "label", "")]
    for name in ("day0", "f107", "f107a", "ap", "daily_until"):
        v = getattr(activity, name, None)
        parts.append(hashlib.sha1(np.asarray(v).tobytes()).hexdigest() if isinstance(v, np.ndarray) else repr(v))
    return tuple(parts)
