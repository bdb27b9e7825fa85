"""Release and spring push: momentum bookkeeping, push energy, off-axis spin; port reaction loads."""
from __future__ import annotations

import numpy as np
import pytest

from physics import (Burn, Epoch, ForceModel, Latch, PortFrame, Pushers, Release, RigidBody, docked_state,
                     simulate)
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.rotation import dcm_from_quat

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
NO_FORCES = ForceModel(central=False, j2=False, drag=None, gravity_gradient=False, aero_torque=False)
A = RigidBody("A", 140e3, np.array([[1.3e6, 2e4, 0.0], [2e4, 9.0e6, 1e4], [0.0, 1e4, 9.5e6]]))
B = RigidBody("B", 280e3, np.array([[1.1e8, 0.0, 3e5], [0.0, 2.3e7, 0.0], [3e5, 0.0, 1.2e8]]))
PUSH = Pushers(count=4, stiffness_n_per_m=5000.0, preload_n=1500.0, stroke_m=0.1, ring_radius_m=0.8)


def latch(lateral=(0.0, 0.0)):
    """A's port 20 m forward of its CoM, B's 15 m aft of its own; `lateral` shifts both ports sideways
    (y, z), which keeps both CoMs on the docking axis."""
    y, z = lateral
    return Latch("L", "A", PortFrame([20.0, y, z], np.eye(3)), "B", PortFrame([-15.0, y, z], np.eye(3)))


def momenta(tr, k):
    """Total linear momentum (3,) and angular momentum about the origin (3,) at sample k."""
    m = np.array([A.mass_kg, B.mass_kg])
    r, v = tr.r_gcrs_m[k], tr.v_gcrs_mps[k]
    R = dcm_from_quat(tr.q_gcrs_from_body[k])
    spin = sum(R[i] @ b.inertia_kgm2 @ tr.omega_body_radps[k, i] for i, b in enumerate((A, B)))
    return m @ v, np.sum(m[:, None] * np.cross(r, v), axis=0) + spin


def run(lt, pushers=PUSH, omega=(0.0, 0.0, 0.0), forces=NO_FORCES, t_end=40.0, events=None, **kw):
    s = docked_state([A, B], [lt], [0.0, 0, 0], [0.0, 0, 0], [1.0, 0, 0, 0], omega, "A")
    ev = events if events is not None else (Release(10.0, "L", pushers),)
    return simulate([A, B], [lt], s, EPOCH, t_end, 1.0, events=ev, forces=forces, reentry_alt_m=None, **kw)


ENGINES = ("python", "jit")       # the push runs in the compiled engine too (physics/compiled/loop.py)


def engine_ok(engine):
    if engine == "jit":
        pytest.importorskip("numba")
    return engine


@pytest.mark.parametrize("engine", ENGINES)
def test_central_push_gives_the_spring_energy_to_the_reduced_mass(engine):
    tr = run(latch(), engine=engine_ok(engine))
    kinds = [e.kind for e in tr.events]
    assert kinds == ["release", "push_end"]
    k = -1                                                  # long after push_end: free flight
    v_rel = tr.v_gcrs_mps[k, 1] - tr.v_gcrs_mps[k, 0]
    mu = A.mass_kg * B.mass_kg / (A.mass_kg + B.mass_kg)
    # energy E = count (F0 s - k s^2 / 2) goes into relative motion: v = sqrt(2 E / mu). Tolerance 1e-9
    # relative: the stroke end is located to 1e-12 m and RK8 at h ~ 0.1 s is exact to ~1e-12 here.
    print(f"FIGURE push ({engine}): v_rel {np.linalg.norm(v_rel):.12f} vs {np.sqrt(2 * PUSH.energy_j / mu):.12f} m/s")
    assert np.linalg.norm(v_rel) == pytest.approx(np.sqrt(2 * PUSH.energy_j / mu), rel=1e-9)
    assert np.abs(v_rel[1:]).max() < 1e-12                  # straight along the docking axis
    assert np.abs(tr.omega_body_radps[k]).max() < 1e-15     # a push through both CoMs spins nothing
    # momentum conserved (centre of mass stays at rest, to round-off)
    P, L = momenta(tr, k)
    assert np.abs(P).max() < 1e-9 * A.mass_kg * 0.1


@pytest.mark.parametrize("engine", ENGINES)
def test_release_and_off_axis_push_conserve_momentum_and_spin_both_bodies(engine):
    tr = run(latch(lateral=(0.0, 0.0)), pushers=Pushers(offset_m=(0.0, 0.5)), omega=(1e-3, -2e-3, 5e-4),
             engine=engine_ok(engine))
    P0, L0 = momenta(tr, 0)
    P1, L1 = momenta(tr, len(tr.t_s) - 1)
    scale_p = A.mass_kg * 0.1                              # momentum scale: 0.1 m/s pushes
    scale_l = np.linalg.norm(L0)
    # round-off: the split and the equal, opposite and collinear spring forces conserve both exactly
    print(f"FIGURE release+push: |dP| {np.abs(P1 - P0).max():.2e} kg m/s, |dL|/L {np.linalg.norm(L1 - L0) / scale_l:.2e}")
    assert np.abs(P1 - P0).max() < 1e-10 * scale_p
    assert np.linalg.norm(L1 - L0) < 1e-10 * scale_l


@pytest.mark.parametrize("engine", ENGINES)
def test_off_axis_push_spins_both_with_equal_and_opposite_angular_momentum(engine):
    off = 0.5
    tr = run(latch(), pushers=Pushers(offset_m=(off, 0.0)), engine=engine_ok(engine))
    k = -1
    m = np.array([A.mass_kg, B.mass_kg])
    r, v = tr.r_gcrs_m[k], tr.v_gcrs_mps[k]
    c = m @ r / m.sum()
    vc = m @ v / m.sum()
    R = dcm_from_quat(tr.q_gcrs_from_body[k])
    L = [m[i] * np.cross(r[i] - c, v[i] - vc) + R[i] @ b.inertia_kgm2 @ tr.omega_body_radps[k, i]
         for i, b in enumerate((A, B))]
    # about the system CoM (initially at rest, not turning) the two angular momenta cancel
    assert np.linalg.norm(L[0] + L[1]) < 1e-9 * np.linalg.norm(L[0])
    # each body spins; hand estimate of B's yaw rate: angular impulse = lever (0.5 m) x linear impulse
    mu = m.prod() / m.sum()
    J = mu * np.sqrt(2 * PUSH.energy_j / mu)
    w_B = tr.omega_body_radps[k, 1]
    w_A = tr.omega_body_radps[k, 0]
    # pushers at +0.5 m starboard (y) push B along +x: torque about B's z = -0.5 F. Est. w = L / I (the
    # coupling through products of inertia and the small rotation during the 2 s push: a few %).
    est_B = -off * J / B.inertia_kgm2[2, 2]
    print(f"FIGURE off-axis: |L_A+L_B|/|L_A| {np.linalg.norm(L[0] + L[1]) / np.linalg.norm(L[0]):.2e}; wz_B {w_B[2]:.4e} vs est {est_B:.4e}; wz_A {w_A[2]:.4e}")
    assert w_B[2] == pytest.approx(est_B, rel=0.05)
    # A feels -F at the same +0.5 m lever: torque +0.5 F about its z, the opposite sense
    assert w_A[2] == pytest.approx(off * J / A.inertia_kgm2[2, 2], rel=0.05)


def kinetic_energy(tr, k):
    """Translational + rotational kinetic energy (J) of both bodies at sample k, in the frame of the
    system CoM (the runs start at the origin with the CoM at rest: no large velocities to round off)."""
    m = np.array([A.mass_kg, B.mass_kg])
    v = tr.v_gcrs_mps[k] - m @ tr.v_gcrs_mps[k] / m.sum()
    w = tr.omega_body_radps[k]
    return 0.5 * float(m @ np.sum(v * v, axis=1)) + sum(0.5 * w[i] @ b.inertia_kgm2 @ w[i] for i, b in enumerate((A, B)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("offset, omega", [((0.3, 0.0), (0.0, 0.0, 0.0)), ((0.2, -0.25), (1e-3, -2e-3, 5e-4))])
def test_off_axis_push_delivers_exactly_the_stored_spring_energy(offset, omega, engine):
    # scenario-like pushers: 4 x (375 N preload, 5 kN/m, 3 cm stroke) = 36 J stored
    pushers = Pushers(count=4, stiffness_n_per_m=5000.0, preload_n=375.0, stroke_m=0.03, ring_radius_m=0.8,
                      offset_m=offset)
    tr = run(latch(), pushers=pushers, omega=omega, engine=engine_ok(engine))
    assert tr.metadata["integrator"]["engine"] == ("python" if engine == "python" else "jit from t_s=10")
    gained = kinetic_energy(tr, len(tr.t_s) - 1) - kinetic_energy(tr, 0)
    # no external force: the springs are the only forces doing work, each from extension 0 to its own
    # stroke end, so the kinetic energy gained (relative to the pre-release spin) is the stored energy.
    # Tolerance 1e-8 relative (3.6e-7 J): each stroke end is located to 1e-12 m in extension or to a
    # 1e-9 s bracket (0.03 m/s x 1e-9 s = 3e-11 m), a work error < 4 x 375 N x 3e-11 m = 5e-8 J; RK8
    # at h ~ 0.1 s is exact to ~1e-13 here. The old rule (all springs stop when the port centres are
    # a stroke apart) was off by +0.07 / +0.10 % in these two cases.
    print(f"FIGURE off-axis push energy {offset} ({engine}): {gained:.12f} J vs {pushers.energy_j} J ({gained / pushers.energy_j - 1:+.1e})")
    assert gained == pytest.approx(pushers.energy_j, rel=1e-8)
    # the springs leave their strokes at different times; push_end is the last of them
    ends = [e for e in tr.events if e.kind == "push_end"]
    assert len(ends) == 1
    t_springs = ends[0].data["springs_end_s"]
    assert len(t_springs) == 4 and ends[0].t_s == max(t_springs)
    assert max(t_springs) - min(t_springs) > 1e-3          # off-axis: a few ms apart, not together


def test_port_load_during_a_burn_matches_hand_computation():
    lateral = (2.0, 0.0)
    thrust = 1000.0
    burn = Burn("A", 0.0, 100.0, thrust, point_m=[0.0, 0.0, 0.0], direction_body=[1.0, 0, 0])
    tr = run(latch(lateral), events=(burn,), t_end=20.0)
    loads = tr.metadata["loads"]["L"]
    F = np.array(loads["latch_loads_n"])
    M = np.array(loads["latch_loads_nm"])
    # the stack accelerates at T / (mA + mB) along x (the force passes through both CoMs: no rotation);
    # B needs m_B a, all through the port: F = (m_B T / M, 0, 0). The moment about the port origin,
    # which sits 2 m to starboard of B's CoM line: (c_B - P) x F = (15, -2, 0) x (F, 0, 0) = (0, 0, 2 F).
    f = B.mass_kg * thrust / (A.mass_kg + B.mass_kg)
    print(f"FIGURE burn port load: F {F[0]} vs ({f:.6f},0,0); M {M[0]} vs (0,0,{2*f:.6f})")
    assert np.abs(F - [f, 0, 0]).max() < 1e-9 * f
    assert np.abs(M - [0, 0, 2.0 * f]).max() < 1e-9 * f
    sparse = run(latch(lateral), events=(burn,), t_end=20.0, loads_dt_s=5.0).metadata["loads"]["L"]
    assert sparse["t_s"] == [0.0, 5.0, 10.0, 15.0, 20.0]


def test_port_load_from_gravity_gradient_matches_tidal_hand_computation():
    # stack along the radial line, turning with the orbit (LVLH-fixed): B outward of the CoM by rho.
    r0 = 6778e3
    n = np.sqrt(MU / r0 ** 3)
    lt = latch()
    R_g_A = np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])    # body x = radial out, body z = -orbit normal...
    from physics.rotation import quat_from_dcm
    s = docked_state([A, B], [lt], [r0, 0, 0], [0, np.sqrt(MU / r0), 0], quat_from_dcm(R_g_A),
                     R_g_A.T @ [0, 0, n], "A")
    fm = ForceModel(central=True, j2=False, drag=None, gravity_gradient=True, aero_torque=False)
    tr = simulate([A, B], [lt], s, EPOCH, 10.0, 1.0, forces=fm)
    F = np.array(tr.metadata["loads"]["L"]["latch_loads_n"])
    rho = 20.0 + 15.0 - (A.mass_kg * 0 + B.mass_kg * 35.0) / (A.mass_kg + B.mass_kg)   # B CoM from stack CoM
    # in the rotating frame B needs -n^2 rho (centripetal) and gravity gives it +2 n^2 rho (tidal), so the
    # port pulls it inward with 3 m_B n^2 rho (the classic tether tension). Tolerance 1e-4: terms of
    # order rho/r ~ 1e-6 and the tiny libration the products of inertia excite over 10 s.
    ref = -3.0 * B.mass_kg * n ** 2 * rho
    print(f"FIGURE GG port load: Fx {F[0, 0]:.6f} N vs tidal {ref:.6f} N ({F[0, 0]/ref-1:+.2e}); lateral {np.abs(F[:, 1:]).max():.3e} N")
    assert F[:, 0] == pytest.approx(np.full(len(F), ref), rel=1e-4)
    # Lateral: the products of inertia (I_xz of B = 3e5 kg m^2) give a gravity-gradient torque
    # ~3 n^2 I_xz ~ 1 N m, an angular acceleration ~1e-8 rad/s^2 of the stack, and B needs
    # m_B alpha rho ~ 0.03 N sideways: bound the lateral load by 0.05 N (0.4% of the axial one).
    assert np.abs(F[:, 1:]).max() < 0.05
