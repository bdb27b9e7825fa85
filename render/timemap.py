"""Time mapping for recorded videos: video time (s) -> simulated time (s since epoch).

A clip starts at real time (one simulated second per video second) so the viewer sees how slow the
spring push really is, then the time warp ramps smoothly up to a cruise rate (by default one orbit
per video minute) and holds it. The rate r(tau) = d t_sim / d tau is

    r = r0                                            for tau <= hold
    r = r0 * exp(L * smoothstep((tau - hold) / ramp))  during the ramp, L = ln(r1 / r0)
    r = r1                                            after it

Interpolating the *logarithm* of the rate with smoothstep makes each doubling of speed take about
the same video time (a linear rate ramp would sit near 1x and then leap), and dr/dtau is
continuous, so the motion never jerks. t_sim is the integral of r: closed form outside the ramp,
Gauss-Legendre quadrature inside it (a smooth, positive integrand; 24 nodes are exact to ~1e-13
relative). t_sim(tau) is strictly increasing because r > 0, hence invertible (bisection).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

VIDEO_SECONDS_PER_MINUTE = 60.0
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
DEFAULT_HOLD_S = 10.0  # real-time video seconds at the start: hooks open and the push begins
DEFAULT_RAMP_S = 8.0


class TimeMapError(Exception):
    """A bad --timemap option; one line."""

    is_user_error = True


@lru_cache(maxsize=1)
def _gauss_legendre(n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)


def _smoothstep(u):
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3.0 - 2.0 * u)


@dataclass(frozen=True)
class TimeMap:
    """Video time -> simulated time. All times in seconds; rates in simulated s per video s."""

    t_start_s: float  # simulated time at video time 0
    rate0: float = 1.0  # rate during the hold (1 = real time)
    hold_s: float = 0.0  # video seconds at rate0
    ramp_s: float = 0.0  # video seconds of the ramp from rate0 to rate1
    rate1: float = 1.0  # cruise rate after the ramp

    def __post_init__(self):
        if not (self.rate0 > 0 and self.rate1 > 0 and self.hold_s >= 0 and self.ramp_s >= 0):
            raise TimeMapError(f"timemap: rates must be > 0 and durations >= 0, got {self}")

    @classmethod
    def constant(cls, t_start_s: float, rate: float = 1.0) -> "TimeMap":
        return cls(t_start_s, rate0=rate, rate1=rate)

    def rate_at(self, tau_s: float) -> float:
        """Time-warp factor at video time tau (the on-screen indicator value)."""
        if tau_s <= self.hold_s:
            return self.rate0
        if self.ramp_s == 0 or tau_s >= self.hold_s + self.ramp_s:
            return self.rate1
        log_ratio = math.log(self.rate1 / self.rate0)
        return float(self.rate0 * np.exp(log_ratio * _smoothstep((tau_s - self.hold_s) / self.ramp_s)))

    def _ramp_integral(self, s: float) -> float:
        """Simulated seconds elapsed over the first s video seconds of the ramp."""
        if s <= 0:
            return 0.0
        x, w = _gauss_legendre()
        u = 0.5 * s * (x + 1.0) / self.ramp_s
        r = self.rate0 * np.exp(math.log(self.rate1 / self.rate0) * _smoothstep(u))
        return float(0.5 * s * np.dot(w, r))

    def sim_time(self, tau_s: float) -> float:
        """Simulated time (s since epoch) shown at video time tau (s), tau >= 0."""
        t = self.t_start_s + self.rate0 * min(tau_s, self.hold_s)
        if tau_s > self.hold_s:
            t += self._ramp_integral(min(tau_s - self.hold_s, self.ramp_s))
        if tau_s > self.hold_s + self.ramp_s:
            t += self.rate1 * (tau_s - self.hold_s - self.ramp_s)
        return t

    def video_time(self, t_sim_s: float) -> float:
        """Inverse of sim_time: the video time at which simulated time t is shown."""
        if t_sim_s <= self.t_start_s:
            return (t_sim_s - self.t_start_s) / self.rate0
        t_ramp_end = self.sim_time(self.hold_s + self.ramp_s)
        if t_sim_s >= t_ramp_end:
            return self.hold_s + self.ramp_s + (t_sim_s - t_ramp_end) / self.rate1
        if t_sim_s <= self.sim_time(self.hold_s):
            return (t_sim_s - self.t_start_s) / self.rate0
        lo, hi = self.hold_s, self.hold_s + self.ramp_s
        for _ in range(80):  # bisection: 80 halvings of <= 1e3 s is far below float64 resolution
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if self.sim_time(mid) < t_sim_s else (lo, mid)
        return 0.5 * (lo + hi)

    def notes_at(self, tau_s: float) -> list[str]:
        """On-screen notes about the time map at tau (none for a plain ramp)."""
        return []

    def frame_times(self, t_end_s: float, fps: float) -> tuple[np.ndarray, np.ndarray]:
        """Video and simulated times of every frame from t_start to t_end (inclusive if it falls on one).

        Returns (tau_s (N,), t_sim_s (N,)); frame k is at tau = k / fps exactly.
        """
        duration = self.video_time(t_end_s)
        n = int(math.floor(duration * fps + 1e-9)) + 1 if duration >= 0 else 0
        tau = np.arange(n, dtype=np.float64) / fps
        return tau, np.array([self.sim_time(x) for x in tau], dtype=np.float64)


def warp_label(rate: float) -> str:
    """Text for the on-screen time-warp indicator: 'real time', '12x', '93x', '1 day/s', '4.5 days/s'
    (from 1 day per second up: months-long runs)."""
    if abs(rate - 1.0) < 0.005:
        return "real time"
    if rate >= DAY_S * 0.9995:
        days = rate / DAY_S
        return "1 day/s" if round(days, 2) == 1 else f"{days:.3g} days/s"
    return f"{rate:.1f}x" if rate < 10 else f"{rate:,.0f}x"


_RATE = re.compile(r"^(?:(\d+(?:\.\d*)?)x|(\d*(?:\.\d+)?)\s*orbits?/min|(\d*(?:\.\d+)?)\s*days?/s)$")


def _parse_rate(text: str, orbit_period_s: float | None) -> float:
    m = _RATE.match(text.strip().lower())
    if not m:
        raise TimeMapError(f"--timemap: rate '{text}' is not like '100x', 'orbit/min' or '2days/s'")
    if m.group(1) is not None:
        rate = float(m.group(1))
    elif m.group(3) is not None:
        rate = float(m.group(3) or 1.0) * DAY_S
    else:
        if not orbit_period_s:
            raise TimeMapError("--timemap: 'orbit/min' needs an orbit period, which this run does not have")
        rate = float(m.group(2) or 1.0) * orbit_period_s / VIDEO_SECONDS_PER_MINUTE
    if rate <= 0:
        raise TimeMapError(f"--timemap: rate '{text}' must be > 0")
    return rate


def parse_timemap(text: str, t_start_s: float, orbit_period_s: float | None = None) -> TimeMap:
    """Parse a --timemap option.

    'real' or '1x': real time throughout; 'NNx': constant warp; 'ramp': real time for 10 s, then
    8 s of ramp up to one orbit per minute; 'ramp:HOLD:RAMP:RATE' (e.g. 'ramp:5:10:200x'),
    trailing fields optional.
    """
    text = text.strip().lower()
    if text == "real":
        return TimeMap.constant(t_start_s, 1.0)
    if not text.startswith("ramp"):
        return TimeMap.constant(t_start_s, _parse_rate(text, orbit_period_s))
    fields = text.split(":")[1:] if text != "ramp" else []
    if text != "ramp" and not text.startswith("ramp:") or len(fields) > 3:
        raise TimeMapError(f"--timemap: '{text}' is not like 'ramp:HOLD_S:RAMP_S:RATE'")
    try:
        hold = float(fields[0]) if len(fields) > 0 and fields[0] else DEFAULT_HOLD_S
        ramp = float(fields[1]) if len(fields) > 1 and fields[1] else DEFAULT_RAMP_S
    except ValueError:
        raise TimeMapError(f"--timemap: '{text}': HOLD_S and RAMP_S must be numbers of seconds") from None
    rate = _parse_rate(fields[2], orbit_period_s) if len(fields) > 2 else _parse_rate("orbit/min", orbit_period_s)
    if hold < 0 or ramp < 0:
        raise TimeMapError(f"--timemap: '{text}': durations must be >= 0")
    return TimeMap(t_start_s, rate0=1.0, hold_s=hold, ramp_s=ramp, rate1=rate)


class ProfileTimeMap:
    """A time map given by its rate as a function of *simulated* time: r(t) piecewise linear between
    knots (t_k, r_k). A rate linear in t grows exponentially in video time (dr/dt = b means
    d ln r / d tau = b), so each ramp doubles the speed in equal video steps, like TimeMap's ramp.
    Video time has a closed form on each piece: tau = (t1 - t0) ln(r1 / r0) / (r1 - r0) (the limit
    (t1 - t0) / r0 for equal rates), and its inverse t = t0 + r0 expm1(b dtau) / b. Before the first
    knot and after the last the rate is constant. Same methods as TimeMap (sim_time, video_time,
    rate_at, frame_times), plus notes_at: on-screen words for stretches such as a fast-forward."""

    def __init__(self, t_knots_s, rate_knots, notes=()):
        t, r = np.asarray(t_knots_s, float), np.asarray(rate_knots, float)
        if len(t) < 1 or len(t) != len(r) or np.any(np.diff(t) <= 0) or np.any(r <= 0):
            raise TimeMapError("timemap: knots must increase and rates be > 0")
        self.t_knots_s, self.rate_knots = t, r
        self.notes = tuple(notes)          # ((t_from_s, t_to_s, text), ...) in simulated time
        dt, r0, r1 = np.diff(t), r[:-1], r[1:]
        same = np.abs(r1 - r0) <= 1e-12 * r0
        dtau = np.where(same, dt / r0, dt * np.log(r1 / r0) / np.where(same, 1.0, r1 - r0))
        self.tau_knots_s = np.concatenate([[0.0], np.cumsum(dtau)])

    @property
    def t_start_s(self) -> float:
        return float(self.t_knots_s[0])

    def _piece(self, k: int) -> tuple[float, float, float, float]:
        t0, r0 = self.t_knots_s[k], self.rate_knots[k]
        b = (self.rate_knots[k + 1] - r0) / (self.t_knots_s[k + 1] - t0)
        return float(t0), float(r0), float(b), float(self.tau_knots_s[k])

    def sim_time(self, tau_s: float) -> float:
        t, tau = self.t_knots_s, self.tau_knots_s
        if tau_s <= 0 or len(t) == 1:
            return float(t[0] + self.rate_knots[0] * tau_s)
        if tau_s >= tau[-1]:
            return float(t[-1] + self.rate_knots[-1] * (tau_s - tau[-1]))
        k = int(np.searchsorted(tau, tau_s, side="right") - 1)
        t0, r0, b, tau0 = self._piece(k)
        x = tau_s - tau0
        return t0 + (r0 * x if abs(b * x) < 1e-12 else r0 * math.expm1(b * x) / b)

    def rate_at(self, tau_s: float) -> float:
        return self.rate_sim(self.sim_time(tau_s))

    def rate_sim(self, t_s: float) -> float:
        """Rate at simulated time t (linear between knots)."""
        return float(np.interp(t_s, self.t_knots_s, self.rate_knots))

    def video_time(self, t_sim_s: float) -> float:
        t, tau = self.t_knots_s, self.tau_knots_s
        if t_sim_s <= t[0] or len(t) == 1:
            return float((t_sim_s - t[0]) / self.rate_knots[0])
        if t_sim_s >= t[-1]:
            return float(tau[-1] + (t_sim_s - t[-1]) / self.rate_knots[-1])
        k = int(np.searchsorted(t, t_sim_s, side="right") - 1)
        t0, r0, b, tau0 = self._piece(k)
        r = r0 + b * (t_sim_s - t0)
        return tau0 + ((t_sim_s - t0) / r0 if abs(b) * (t_sim_s - t0) < 1e-12 * r0 else math.log(r / r0) / b)

    def frame_times(self, t_end_s: float, fps: float) -> tuple[np.ndarray, np.ndarray]:
        duration = self.video_time(t_end_s)
        n = int(math.floor(duration * fps + 1e-9)) + 1 if duration >= 0 else 0
        tau = np.arange(n, dtype=np.float64) / fps
        return tau, np.array([self.sim_time(x) for x in tau], dtype=np.float64)

    def notes_at(self, tau_s: float) -> list[str]:
        t = self.sim_time(tau_s)
        return [text for a, b, text in self.notes if a <= t <= b]
