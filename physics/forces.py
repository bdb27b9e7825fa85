"""Force context and the sum of the switched-on force/torque terms.

Every term has the signature
    f(ctx, t_s, r_gcrs (n,3), v_gcrs (n,3), R_gcrs_from_body (n,3,3), omega_body (n,3), mass_kg (n,))
        -> (force_gcrs_n (n,3), torque_body_nm (n,3))          # torque about each body's CoM
reads its constants from `ctx` (ForceContext below: the frozen model of the run, plus `scratch`, a
per-run dict for tables the terms fill lazily) and the state from its arguments (the current masses
included: a burn's mass loss reaches every term without anything being rewritten).

Every term declares its compiled form (`term.compiled`: the name of the kernel the compiled engine
runs for it, physics/compiled/run.py COMPILED_TERMS, or None). A run whose terms are not all compiled
stays in the Python engine and says so in its metadata: no term is ever dropped. A new term:

    @force_term(compiled=None)
    def my_term(ctx, t_s, r, v, R, omega, mass): ...
    forces = ForceModel(..., extra_terms=(my_term,))
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from physics import gravity
from physics.model import ForceModel


@dataclass(frozen=True)
class ForceContext:
    """The run's force model, frozen (per-call state comes as arguments; scratch in `scratch`)."""
    bodies: tuple                   # RigidBody per row
    forces: ForceModel
    epoch_tt_jd: float
    epoch: object                   # physics.timebase.Epoch (or None in low-level tests)
    mass0_kg: np.ndarray            # (n,) nominal masses (RigidBody.mass_kg)
    inertia_kgm2: np.ndarray        # (n,3,3) at the nominal mass (scale by mass / mass0_kg)
    drag_shapes: tuple              # DragShape | None per body
    srp_area_m2: np.ndarray         # (n,)
    cr: np.ndarray                  # (n,)
    earth: object                   # physics.frames.EarthRotation (fast ITRS_from_GCRS; memoises its nodes)
    pole_gcrs: np.ndarray           # (3,) the environment's J2 axis in GCRS
    pole_list: tuple                # pole_gcrs as floats (the kernels' arguments)
    scratch: dict = field(default_factory=dict, compare=False)   # per-run tables (density, ephemeris..)

    def inertia_at(self, mass_kg: np.ndarray) -> list:
        """Inertia tensors (n nested 3x3 lists) scaled to the current masses (a burn's mass loss
        shrinks the tensor in proportion; nominal masses: the stored tensors)."""
        if np.array_equal(mass_kg, self.mass0_kg):
            hit = self.scratch.get("inertia0")
            if hit is None:
                hit = self.scratch["inertia0"] = self.inertia_kgm2.tolist()
            return hit
        return (self.inertia_kgm2 * (mass_kg / self.mass0_kg)[:, None, None]).tolist()


def make_context(bodies, epoch, forces: ForceModel) -> ForceContext:
    """ctx for `bodies`; epoch is a physics.timebase.Epoch (anything with .tt_jd) or a TT Julian date."""
    from physics.frames import EarthRotation
    tt_jd = float(getattr(epoch, "tt_jd", epoch))
    earth = EarthRotation(tt_jd)
    if forces.environment.pole == "gcrs-z":
        pole = np.array([0.0, 0.0, 1.0])
    else:                               # the true pole of date (ITRS z in GCRS at the epoch)
        pole = np.array(earth.itrs_from_gcrs(0.0)[2], dtype=np.float64)
    return ForceContext(bodies=tuple(bodies), forces=forces, epoch_tt_jd=tt_jd,
                        epoch=epoch if hasattr(epoch, "tt_jd") else None,
                        mass0_kg=np.array([b.mass_kg for b in bodies], dtype=np.float64),
                        inertia_kgm2=np.array([b.inertia_kgm2 for b in bodies], dtype=np.float64),
                        drag_shapes=tuple(b.drag for b in bodies),
                        srp_area_m2=np.array([b.srp_area_m2 for b in bodies], dtype=np.float64),
                        cr=np.array([b.cr for b in bodies], dtype=np.float64),
                        earth=earth, pole_gcrs=pole, pole_list=tuple(pole.tolist()))


def force_term(compiled: str | None = None):
    """Decorator: declare a term's compiled form (None: Python only)."""
    def mark(fn):
        fn.compiled = compiled
        return fn
    return mark


def compiled_form(term) -> str | None:
    """The compiled kernel declared by `term` (None when it has none or declares nothing)."""
    return getattr(term, "compiled", None)


def _optional_terms(forces: ForceModel) -> list:
    """Terms provided by the environment modules (drag, third bodies, SRP), when switched on."""
    terms = []
    if forces.drag is not None:
        from physics import drag
        terms.append(drag.drag_term)
    if forces.sun_moon:
        from physics import ephemeris
        terms.append(ephemeris.third_body_term)
    if forces.srp:
        from physics import srp
        terms.append(srp.srp_term)
    return terms


def force_terms(forces: ForceModel) -> list:
    """The switched-on terms, in a fixed order (the sum is then bit-reproducible)."""
    terms = []
    if forces.central or forces.j2 or forces.j3_j4 or forces.gravity_gradient:
        terms.append(gravity.make_gravity_term(forces))   # central, zonal, gravity gradient
    return terms + _optional_terms(forces) + list(forces.extra_terms)


def build_force_fn(bodies, epoch, forces: ForceModel, ctx: ForceContext | None = None, part: str = "all"):
    """callable(t_s, r (n,3), v (n,3), R (n,3,3), omega (n,3), mass (n,)) -> (F_gcrs (n,3), tau_body (n,3))
    summing the switched-on terms of `forces`. part: "all", "gravity" (central, zonal, gravity
    gradient) or "slow" (the rest: drag, third bodies, SRP: accelerations < 1e-5 m/s^2 in LEO)."""
    ctx = ctx or make_context(bodies, epoch, forces)
    terms = force_terms(forces)
    has_gravity = forces.central or forces.j2 or forces.j3_j4 or forces.gravity_gradient
    if part == "gravity":
        terms = terms[:1] if has_gravity else []
    elif part == "slow":
        terms = terms[1:] if has_gravity else terms

    def total(t_s, r, v, R, omega, mass):
        if not terms:
            return np.zeros_like(r), np.zeros_like(r)
        F, tau = terms[0](ctx, t_s, r, v, R, omega, mass)
        for term in terms[1:]:
            f, m = term(ctx, t_s, r, v, R, omega, mass)
            F = F + f
            tau = tau + m
        return F, tau

    total.ctx = ctx
    total.terms = terms
    return total
