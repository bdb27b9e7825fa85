"""Typed run inputs besides the model (physics.model.Model): what happens when (Timeline) and how to
integrate it (Options). simulate(model, state0, timeline, options) takes these four values (the
MuJoCo-like split: frozen model, a state value, per-run scratch inside the run only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from physics.integrator import DEFAULT_MAX_STEP_S


@dataclass(frozen=True)
class Timeline:
    epoch: object                   # physics.timebase.Epoch (or a TT Julian date in low-level tests)
    t_end_s: float                  # end, seconds after the epoch
    dt_out_s: float                 # output sample spacing from state0.t_s
    events: tuple = ()              # Release and Burn events

    def __post_init__(self):
        object.__setattr__(self, "events", tuple(self.events))


@dataclass(frozen=True)
class Options:
    reentry_alt_m: float | None = 120e3        # None: no reentry event (free-space tests)
    max_step_s: float = DEFAULT_MAX_STEP_S      # the RK8 step outside the push phase
    loads: bool = True                          # port loads in the trajectory
    loads_dt_s: float | None = None             # port loads only every loads_dt_s (None: every sample)
    split_slow_forces: bool = False             # Strang splitting of drag & co (docs/physics.md)
    engine: str = "auto"                        # "auto" | "python" | "jit"
    metadata: dict | None = field(default=None, compare=False)   # merged into the trajectory's metadata
    progress: Callable[[float], None] | None = field(default=None, compare=False)
