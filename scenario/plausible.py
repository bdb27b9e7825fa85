"""Checks over several keys, before any work: is this run physically sensible and affordable?

Each key is range-checked on its own by the validator (scenario/schema.py ranges). Here: what
only several keys together tell, as the same one line `FILE: key: problem` naming the user's
keys, and the run's size against a budget (steps, samples, memory). A run over a budget is
refused with its estimate and the flag that allows it (`--allow-large`, which main.py turns into
the ISS_ALLOW_LARGE environment variable so the app's worker process sees it too).
"""
from __future__ import annotations

import math
import os

from scenario.errors import ScenarioError

MAX_STEPS = 1e8                 # integrator steps (the Python engine does ~1e4-1e5 per second)
MAX_SAMPLE_BYTES = 2 * 2**30    # output samples held in memory and written (2 GiB)
MAX_FRAMES = 100_000            # record: frames (55 min of video at 30 fps)
SPIN_STEP_RAD = 0.025           # the step limit per spin (scenario/build.py max_step): one home
MAX_ACCEL_MPS2 = 1000.0         # a burn: 100 g, far above any spacecraft engine on a body this size
MAX_DV_MPS = 1.0e4              # a burn or impulse: more than any orbit change near the Earth
MIN_PUSH_S = 1e-3               # a spring push shorter than this needs sub-millisecond steps
ALLOW_ENV = "ISS_ALLOW_LARGE"
FLAG = "--allow-large"


def allowed() -> bool:
    return os.environ.get(ALLOW_ENV, "") == "1"


def check_plausible(sc) -> None:
    """All the multi-key checks and the budgets (ScenarioError, one line)."""
    masses = {b["name"]: b["mass_kg"] for b in sc.bodies}
    for i, burn in enumerate(sc.burns):
        _check_burn(burn, f"burn[{i}]", masses.get(burn["body"]), sc.source)
    _check_push(sc, masses)
    check_budget(sc)


def _check_burn(burn, key: str, mass_kg: float | None, src: str) -> None:
    if mass_kg is None:          # a station segment: its mass comes from the station file (~1e5 kg)
        return
    accel = burn["thrust_n"] / mass_kg
    if accel > MAX_ACCEL_MPS2:
        raise ScenarioError(src, f"{key}.thrust_n", f"{burn['thrust_n']:g} N on '{burn['body']}' "
                            f"({mass_kg:g} kg) is {accel:.3g} m/s^2 (more than {MAX_ACCEL_MPS2:g})")
    dv = burn["thrust_n"] * burn["duration_s"] / mass_kg
    if dv > MAX_DV_MPS:
        raise ScenarioError(src, f"{key}.duration_s", f"thrust_n x duration_s / mass_kg of '{burn['body']}' "
                            f"is {dv:.3g} m/s (more than {MAX_DV_MPS:g})")
    if burn["isp_s"] is not None:
        from physics.model import mass_flow_kgps
        used = mass_flow_kgps(burn["thrust_n"], burn["isp_s"]) * burn["duration_s"]
        if used >= mass_kg:
            raise ScenarioError(src, f"{key}.isp_s", f"the burn would use {used:.3g} kg of propellant, "
                                f"more than '{burn['body']}' weighs ({mass_kg:g} kg)")


def _check_push(sc, masses: dict) -> None:
    """Pusher force against the stroke and the masses: a push over in microseconds would need
    that many steps (custom latches; the station's segments weigh ~1e5 kg each)."""
    p = sc.pushers
    if p is None or p["count"] == 0 or not sc.latches or sc.release is None:
        return
    la = next((la for la in sc.latches if la["name"] == sc.release["latch"]), None)
    if la is None:
        return
    ma, mb = masses[la["body_a"]], masses[la["body_b"]]
    mu = ma * mb / (ma + mb)
    force = p["count"] * p["preload_n"]
    if force <= 0:
        return
    t_push = math.sqrt(2.0 * mu * p["stroke_m"] / force)
    if t_push < MIN_PUSH_S:
        raise ScenarioError(sc.source, "release.pushers.preload_n", f"count x preload_n = {force:g} N over "
                            f"stroke_m = {p['stroke_m']:g} m between {ma:g} and {mb:g} kg is a push of "
                            f"{t_push:.2g} s (shorter than {MIN_PUSH_S:g} s)")


def spin_step_s(max_step_s: float, w_radps: float) -> float:
    """The integrator's largest step: max_step_s, and at most SPIN_STEP_RAD of the fastest spin."""
    return min(max_step_s, SPIN_STEP_RAD / w_radps) if w_radps > 0 else max_step_s


def step_spin(sc, spins: dict) -> float:
    """The spin (rad/s) that limits the step: the fastest of {body name: |omega|} over the bodies not
    holding LVLH (a held body's attitude follows LVLH kinematically; it is not integrated)."""
    return max((w for name, w in spins.items() if sc.attitude.get(name) != "lvlh_hold"), default=0.0)


def estimate(sc) -> dict:
    """The run's size before it runs: integrator steps (at least duration / largest step, the step
    also kept below SPIN_STEP_RAD of the fastest given spin of a body not holding LVLH) and output
    sample bytes."""
    t = sc.time
    spins = {b["name"]: math.sqrt(sum(x * x for x in b["omega_body_radps"])) for b in sc.bodies
             if b["omega_body_radps"] is not None}
    step = spin_step_s(t["max_step_s"], step_spin(sc, spins))
    samples = t["duration_s"] / t["output_interval_s"] + 1
    n = max(len(sc.body_names), 1)
    return {"steps": t["duration_s"] / step, "step_s": step, "samples": samples,
            "bytes": samples * (1 + 13 * n) * 8.0}


def check_budget(sc) -> None:
    if allowed():
        return
    e = estimate(sc)
    if e["bytes"] > MAX_SAMPLE_BYTES:
        raise ScenarioError(sc.source, "time.output_interval_s", f"{e['samples']:.3g} samples of "
                            f"{len(sc.body_names)} bodies need ~{e['bytes'] / 2**30:.3g} GiB (budget "
                            f"{MAX_SAMPLE_BYTES / 2**30:g} GiB): a larger output_interval_s or a shorter "
                            f"duration_s, or run with {FLAG}")
    if e["steps"] > MAX_STEPS:
        key = "time.max_step_s" if e["step_s"] == sc.time["max_step_s"] else "body.omega_body_radps"
        raise ScenarioError(sc.source, key, f"duration_s / step ({e['step_s']:.3g} s) is ~{e['steps']:.3g} "
                            f"integrator steps (budget {MAX_STEPS:.0e}): a larger max_step_s, a slower spin or "
                            f"a shorter duration_s, or run with {FLAG}")
