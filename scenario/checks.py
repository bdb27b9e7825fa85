"""What the validation scenarios check, computed from the run itself and printed by `simulate`.

A scenario with a top-level `check = "NAME"` (docs/scenarios.md) gets a "Check" section in its
summary: the measured figure, the independent reference (closed form, conservation law or a second
method) and whether it is within the stated tolerance. tests/test_scenario_checks.py runs each
bundled validation scenario and asserts `ok`, so what a user sees is what the tests check.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scenario import summary as S
from scenario.cw import cw_lvlh, mean_motion, relative_lvlh

from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
CHECKS = ("none", "kepler-period", "cw", "j2-node-rate", "torque-free", "gg-libration", "drag-decay",
          "separation-energy")


@dataclass(frozen=True)
class Check:
    what: str
    measured: float
    reference: float
    unit: str
    tolerance: float          # |measured - reference| allowed, in `unit`
    why: str                  # the reference and the tolerance in words

    @property
    def ok(self) -> bool:
        return abs(self.measured - self.reference) <= self.tolerance


def run_checks(sc, traj) -> list[Check]:
    """The scenario's checks ([] for check = "none")."""
    fn = {"kepler-period": _kepler, "cw": _cw, "j2-node-rate": _j2_node, "torque-free": _torque_free,
          "gg-libration": _gg_libration, "drag-decay": _drag_decay, "separation-energy": _separation}.get(sc.check)
    return [] if fn is None else fn(sc, traj)


def check_lines(sc, traj) -> list[str]:
    checks = run_checks(sc, traj)
    if not checks:
        return []
    lines = ["Check (the same figures tests/test_scenario_checks.py asserts):"]
    for c in checks:
        u = f" {c.unit}" if c.unit else ""
        lines.append(f"  {c.what}: {c.measured:.6g}{u} vs {c.reference:.6g}{u} "
                     f"(difference {c.measured - c.reference:+.3g}{u}, allowed {c.tolerance:.3g}): "
                     f"{'OK' if c.ok else 'OUTSIDE THE TOLERANCE'}")
        lines.append(f"    reference: {c.why}")
    return lines


def _kepler(sc, traj) -> list[Check]:
    r0, v0 = traj.r_gcrs_m[0, 0], traj.v_gcrs_mps[0, 0]
    period = 2 * math.pi / mean_motion(r0, v0, _mu(sc))
    if period > traj.t_s[-1]:
        return []
    r1, _, _, _ = traj.state_at(traj.t_s[0] + period)
    return [Check(f"distance from the start after one period ({period:.1f} s)", float(np.linalg.norm(r1[0] - r0)),
                  0.0, "m", 1.0, "Kepler: a closed orbit returns to its start after T = 2 pi sqrt(a^3/mu); 1 m "
                  "allows for the cubic Hermite between samples (< 1 mm) and RK8 (< 1 mm/day)")]


def _cw(sc, traj) -> list[Check]:
    from scenario.plots import cw_start
    a, b = S.pair(traj)
    k0, _ = cw_start(traj, (a, b))
    rho, rho_dot = relative_lvlh(traj.r_gcrs_m, traj.v_gcrs_mps, a, b)
    n = mean_motion(traj.r_gcrs_m[k0, b], traj.v_gcrs_mps[k0, b], _mu(sc))
    x_cw, _ = cw_lvlh(rho[k0], rho_dot[k0], n, traj.t_s[k0:] - traj.t_s[k0])
    dev = float(np.max(np.linalg.norm(rho[k0:] - x_cw, axis=1)))
    far = float(np.max(np.linalg.norm(rho[k0:], axis=1)))
    r = float(np.linalg.norm(traj.r_gcrs_m[k0, b]))
    return [Check("largest distance between the simulated and the Clohessy-Wiltshire relative position",
                  dev, 0.0, "m", 1.0 + far ** 2 / r, f"CW closed form from the state at {traj.t_s[k0]:.0f} s; "
                  f"allowed: the neglected second-order terms |rho|^2 / r ({far ** 2 / r:.2f} m) + 1 m")]


def _environment(sc):
    from scenario.environment import run_environment
    return run_environment(sc)


def _mu(sc) -> float:
    """The run's own GM ([environment]; EGM96's by default)."""
    return _environment(sc).gravity.mu_m3ps2


def _j2_node(sc, traj) -> list[Check]:
    g = _environment(sc).gravity            # the run's own mu, R, J2 (they go together)
    J2, R_EARTH_EQ_M, MU = g.j2, g.r_eq_m, g.mu_m3ps2
    h = np.cross(traj.r_gcrs_m[:, 0], traj.v_gcrs_mps[:, 0])
    node = np.unwrap(np.arctan2(h[:, 0], -h[:, 1]))
    rate = np.polyfit(traj.t_s, node, 1)[0]
    a = float(np.linalg.norm(traj.r_gcrs_m[0, 0]))
    inc = math.acos(h[0, 2] / np.linalg.norm(h[0]))
    expected = -1.5 * math.sqrt(MU / a ** 3) * J2 * (R_EARTH_EQ_M / a) ** 2 * math.cos(inc)
    deg_day = math.degrees(1.0) * DAY_S
    return [Check("node rate (fit over the run)", rate * deg_day, expected * deg_day, "deg/day",
                  abs(0.02 * expected * deg_day), "secular -3/2 n J2 (R/a)^2 cos i; 2 %: the osculating a "
                  "(mean a differs by ~J2 R^2/a, 0.4 % in the rate) and the short-period wobble in the fit")]


def _torque_free(sc, traj) -> list[Check]:
    name = traj.body_names[0]
    inertia = np.asarray(traj.metadata["bodies"][name]["inertia_kgm2"], float)
    w = traj.omega_body_radps[:, 0]
    energy = 0.5 * np.einsum("ki,ij,kj->k", w, inertia, w)
    h = np.linalg.norm(w @ inertia, axis=1)
    flips = int(np.count_nonzero(np.diff(np.sign(w[:, 1])) != 0))
    why = f"Euler's equations without torque keep both; 1e-9 is far above RK8 round-off ({flips} sign changes of the spin axis)"
    return [Check("rotational energy, relative change (max - min)", float(np.ptp(energy) / energy[0]), 0.0, "", 1e-9, why),
            Check("angular momentum |I w|, relative change (max - min)", float(np.ptp(h) / h[0]), 0.0, "", 1e-9, why)]


def _gg_libration(sc, traj) -> list[Check]:
    from physics.frames import lvlh_from_gcrs
    from physics.rotation import dcm_from_quat
    R_lvlh = lvlh_from_gcrs(traj.r_gcrs_m[:, 0], traj.v_gcrs_mps[:, 0])
    R = np.einsum("kij,kjl->kil", R_lvlh, dcm_from_quat(traj.q_gcrs_from_body[:, 0]))      # lvlh_from_body
    pitch = np.arctan2(R[:, 0, 2], R[:, 0, 0])
    k = np.where((pitch[:-1] < 0) & (pitch[1:] >= 0))[0]
    if len(k) < 2:
        return []
    t_cross = traj.t_s[k] - pitch[k] * (traj.t_s[k + 1] - traj.t_s[k]) / (pitch[k + 1] - pitch[k])
    I = np.diag(np.asarray(traj.metadata["bodies"][traj.body_names[0]]["inertia_kgm2"], float))
    n = math.sqrt(_mu(sc) / float(np.linalg.norm(traj.r_gcrs_m[0, 0])) ** 3)
    expected = 2 * math.pi / (n * math.sqrt(3 * (I[0] - I[2]) / I[1]))
    return [Check("pitch libration period", float(np.mean(np.diff(t_cross))), expected, "s", 5e-3 * expected,
                  "linear theory 2 pi / (n sqrt(3 (Ix - Iz) / Iy)); 0.5 %: a finite amplitude lengthens it by "
                  "~theta0^2/16")]


def _drag_decay(sc, traj) -> list[Check]:
    """Decay of the osculating a (central gravity + drag only: it changes only by drag) against the
    orbit-averaged method of physics/longterm/decay.py with the same table, geodetic altitude and rotating air."""
    from physics.longterm.decay import DecayBody, run_long_term
    from physics.longterm.density import exponential_density, exponential_model
    from physics.longterm.rates import AveragingOptions, R_EQ_M
    env = _environment(sc)
    MU = env.gravity.mu_m3ps2                  # the run's own GM
    r, v = traj.r_gcrs_m[:, 0], traj.v_gcrs_mps[:, 0]
    a = 1.0 / (2.0 / np.linalg.norm(r, axis=1) - np.sum(v * v, axis=1) / MU)
    period = 2 * math.pi * math.sqrt(a[0] ** 3 / MU)
    whole = traj.t_s <= traj.t_s[0] + period * math.floor((traj.t_s[-1] - traj.t_s[0]) / period)
    measured = np.polyfit(traj.t_s[whole], a[whole], 1)[0] * DAY_S
    body = sc.bodies[0]
    m, cda = traj.metadata["bodies"][body["name"]]["mass_kg"], body["cd"] * body["drag_area_m2"]
    if env.exponential is not None and env.altitude == "spherical" and not env.rotates:
        return [_drag_textbook(env, a, cda / m, measured)]
    mean = _kepler_elements(traj)          # no J2 in this run: the osculating elements are the mean ones
    span = float(traj.t_s[whole][-1] - traj.t_s[0])
    res = run_long_term([DecayBody("b", m, body["cd"], body["drag_area_m2"])], mean, traj.epoch_utc, span,
                        density=exponential_model(), options=AveragingOptions(j2_radius=False))
    expected = (res.a_m[-1, 0] - res.a_m[0, 0]) / span * DAY_S
    simple = -exponential_density(a[0] - R_EQ_M) * cda / m * math.sqrt(MU * a[0]) * DAY_S
    return [Check("decay of the semi-major axis", measured, expected, "m/day", abs(0.01 * expected),
                  "orbit-averaged Gauss equations (physics/longterm/decay.py) with the same table, WGS84 altitude and "
                  f"air turning with the Earth; 1 % (tests/test_decay_sixdof.py). The textbook -rho Cd A/m "
                  f"sqrt(mu a) at a - R_eq gives {simple:.1f} m/day: away from the equator the oblate Earth's "
                  "surface is up to 21 km lower, so the orbit is higher above it, and the air moves with the ground")]


def _drag_textbook(env, a, cda_per_m: float, measured: float) -> Check:
    """The textbook case (one-band exponential air at |r| - R, not rotating, circular orbit): the
    drag deceleration is constant around the orbit and da/dt = -rho(a - R) (Cd A / m) sqrt(mu a)
    (King-Hele, Satellite Orbits in an Atmosphere, 1987, ch. 4; Vallado 4th ed. sec. 9.6)."""
    from physics.kernels import exponential_density
    e, g = env.exponential, env.gravity
    rho = exponential_density(float(a[0]) - g.r_eq_m, [e.h0_km], [e.rho0_kgpm3], [e.scale_height_km])
    expected = -rho * cda_per_m * math.sqrt(g.mu_m3ps2 * float(a[0])) * DAY_S
    return Check("decay of the semi-major axis", measured, expected, "m/day", abs(0.01 * expected),
                 "closed form -rho Cd A/m sqrt(mu a) at a - R (still air, spherical altitude, one band); 1 %: "
                 "rho grows by ~0.6 % over the day's 0.37 km of decay (H = 58.5 km)")


def _kepler_elements(traj):
    """MeanElements (frame E: ITRS frozen at the epoch) of body 0's first sample, osculating Kepler."""
    from physics.longterm.cowell import osculating
    from physics.longterm.elements import MeanElements
    from physics.frames import itrs_from_gcrs
    R = itrs_from_gcrs(traj.epoch_tt_jd, float(traj.t_s[0]))
    o = {k: float(v[0]) for k, v in osculating(traj.r_gcrs_m[:1, 0] @ R.T, traj.v_gcrs_mps[:1, 0] @ R.T).items()}
    w = math.atan2(o["ey"], o["ex"])
    return MeanElements(o["a"], math.hypot(o["ex"], o["ey"]), o["i"], o["raan"] % (2 * math.pi), w,
                        (o["lam"] - w) % (2 * math.pi))


def _separation(sc, traj) -> list[Check]:
    t_rel, t_push = S.event_time(traj, "release"), S.event_time(traj, "push_end")
    stored = (traj.metadata.get("release") or {}).get("pusher_energy_j")
    if t_rel is None or t_push is None or not stored:
        return []
    gained = _energy(traj, t_push + 0.5, _mu(sc)) - _energy(traj, t_rel - 0.5, _mu(sc))
    return [Check("energy gained across the push (kinetic + rotational + potential)", gained, float(stored), "J", 0.1,
                  "the springs' stored energy count (F0 s - k s^2/2); 0.1 J: float64 resolves ~1e-3 J of the "
                  "2.4e12 J orbital energy, and the push end is located to ~1e-9 m")]


def _energy(traj, t: float, mu: float) -> float:
    """Kinetic (translation + rotation) plus point-mass potential energy of all bodies, J."""
    r, v, _, w = traj.state_at(t)
    bodies = traj.metadata["bodies"]
    m = np.array([bodies[n]["mass_kg"] for n in traj.body_names])
    inertia = np.array([bodies[n]["inertia_kgm2"] for n in traj.body_names], float)
    kinetic = 0.5 * m @ np.sum(v * v, axis=1) + 0.5 * np.einsum("ni,nij,nj->", w, inertia, w)
    return float(kinetic - np.sum(mu * m / np.linalg.norm(r, axis=1)))
