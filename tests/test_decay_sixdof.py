"""The orbit-averaged propagator against the 6-DOF engine (physics.simulate, the dynamics helper's
RK8 integration of the full rigid-body state) over half a day with J2 and drag."""
from __future__ import annotations

import numpy as np
import pytest

from physics import atmosphere
from physics.longterm.decay import DecayBody, run_long_term
from physics.longterm.cowell import osculating
from physics.longterm.elements import from_state_gcrs
from physics.longterm.rates import orbit_points
from physics.frames import gcrs_from_itrs, itrs_from_gcrs
from physics.model import DragShape, ForceModel, RigidBody
from physics.state import State
from physics.timebase import Epoch
from test_decay_cowell import NOMINAL, secular_fit

DAY = 86400.0


def test_drag_decay_matches_6dof_simulate():
    """Same exponential density (physics.atmosphere's Vallado table), an isotropic drag table
    (Cd 2.0 x 1,400 m^2 whatever the attitude, so the attitude cannot matter), J2, no torques:
    the fall of the mean a over 0.5 day (~31 m) agrees within 1 % (measured 0.06 % over 1 day;
    the averaged theory's neglected terms are ~0.3 %, see test_decay_cowell.py)."""
    # Imported here, not at collection: importing the submodule rebinds the package attribute
    # physics.simulate (a lazy function in physics/__init__.py) to the module, which would break
    # `from physics import simulate` in test files collected after this one.
    from physics.simulate import simulate
    epoch = Epoch.from_utc("2022-02-26T12:00:00Z")
    r, v, *_ = orbit_points(NOMINAL.as_row()[None, :], np.zeros((1, 1)))
    R = gcrs_from_itrs(epoch.tt_jd, 0.0)
    r0, v0 = R @ r[0, 0], R @ v[0, 0]
    dirs = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1.0]])
    body = RigidBody("ISS", 476e3, np.diag([1.08e8, 8.6e7, 1.78e8]),
                     drag=DragShape(2.0, dirs, np.full(6, 1400.0), np.zeros((6, 3))))
    state = State(0.0, r0[None], v0[None], np.array([[1.0, 0, 0, 0]]), np.zeros((1, 3)), np.array([476e3]))
    days = 0.5
    traj = simulate([body], [], state, epoch, days * DAY, 30.0,
                    forces=ForceModel(drag="exponential", gravity_gradient=False, aero_torque=False))
    RE = itrs_from_gcrs(epoch.tt_jd, 0.0)
    o = osculating(traj.r_gcrs_m[:, 0] @ RE.T, traj.v_gcrs_mps[:, 0] @ RE.T)
    c, rms = secular_fit(traj.t_s, o["a"], np.unwrap(o["u"]))
    six_dof = c[1] * days + c[2] * days ** 2
    res = run_long_term([DecayBody("ISS", 476e3, 2.0, 1400.0)], from_state_gcrs(r0, v0, epoch.tt_jd),
                        epoch.utc_iso, days * DAY,
                        density=lambda t, lat, lon, alt: atmosphere.exponential_density(alt))
    averaged = res.a_m[-1, 0] - res.a_m[0, 0]
    print(f"6-DOF {six_dof:.2f} m, averaged {averaged:.2f} m")
    assert rms < 1.0
    assert averaged == pytest.approx(six_dof, rel=0.01)
