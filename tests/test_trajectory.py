"""Trajectory: npz round trip, refusing pickles, CSV, interpolation; determinism of simulate()."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from physics import (Burn, DragShape, Epoch, ForceModel, Latch, PhysicsInputError, PortFrame, Pushers, Release,
                     RigidBody, Trajectory, docked_state, simulate)
from physics.constants import MU_EARTH_M3PS2 as MU
from physics.rotation import dcm_from_quat

EPOCH = Epoch.from_utc("2022-03-05T12:00:00Z")
R0 = 6778e3


def cube_drag(size_m):
    d = np.vstack((np.eye(3), -np.eye(3)))
    return DragShape(2.2, d, np.full(6, size_m ** 2), 0.3 * d)   # CoP a bit off: aero torque too


A = RigidBody("A", 140e3, np.diag([1.3e6, 9.0e6, 9.5e6]), drag=cube_drag(30.0))
B = RigidBody("B", 280e3, np.diag([1.1e8, 2.3e7, 1.2e8]), drag=cube_drag(60.0))
LATCH = Latch("L", "A", PortFrame([20.0, 0.3, 0], np.eye(3)), "B", PortFrame([-15.0, 0.3, 0], np.eye(3)))


def scenario(t_end=1200.0, dt_out=10.0, **kw):
    s = docked_state([A, B], [LATCH], [R0, 0, 0], [0, np.sqrt(MU / R0) * 0.8, np.sqrt(MU / R0) * 0.6],
                     [1.0, 0, 0, 0], [0.0, 0.0, 1.1e-3], "A")
    events = (Release(100.0, "L", Pushers(offset_m=(0.2, 0.1))),
              Burn("A", 300.0, 60.0, 400.0, [0.0, 1.0, 0.0], [1.0, 0, 0], isp_s=300.0, label="sep burn"))
    fm = ForceModel(j2=True, j3_j4=True, drag="exponential", gravity_gradient=True)
    return simulate([A, B], [LATCH], s, EPOCH, t_end, dt_out, events=events, forces=fm, **kw)


@pytest.fixture(scope="module")
def traj():
    return scenario()


def digest(tr):
    h = hashlib.sha256()
    for a in (tr.t_s, tr.r_gcrs_m, tr.v_gcrs_mps, tr.q_gcrs_from_body, tr.omega_body_radps):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def test_determinism_two_runs_identical_hash(traj):
    assert digest(scenario()) == digest(traj)
    assert [e.kind for e in traj.events] == ["release", "push_end", "burn_start", "burn_end"]


def test_npz_round_trip_is_bit_exact(traj, tmp_path):
    p = traj.save_npz(tmp_path / "run.npz")
    assert not list(tmp_path.glob(".run.npz.*.tmp*"))
    back = Trajectory.load_npz(p)
    assert digest(back) == digest(traj)
    assert back.events == traj.events and back.metadata == traj.metadata
    assert back.body_names == ("A", "B") and back.epoch_utc == "2022-03-05T12:00:00Z"


def test_npz_with_object_array_is_refused_cleanly(traj, tmp_path):
    p = tmp_path / "evil.npz"
    arrays = {k: getattr(traj, k) for k in ("t_s", "r_gcrs_m", "v_gcrs_mps", "q_gcrs_from_body", "omega_body_radps")}
    np.savez(p, **arrays, header_json=np.array({"format": "x"}, dtype=object),
             events_json=np.array("[]"), metadata_json=np.array("{}"))
    with pytest.raises(PhysicsInputError) as exc:
        Trajectory.load_npz(p)
    assert "evil.npz" in str(exc.value) and "\n" not in str(exc.value)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(PhysicsInputError):
        Trajectory.load_npz(tmp_path / "junk.npz")


def test_csv_round_trips_values(traj, tmp_path):
    traj.save_csv(tmp_path / "csv")
    table = np.loadtxt(tmp_path / "csv" / "B.csv", delimiter=",", skiprows=1)
    assert np.array_equal(table[:, 0], traj.t_s) and np.array_equal(table[:, 1:4], traj.r_gcrs_m[:, 1])
    assert np.array_equal(table[:, 7:11], traj.q_gcrs_from_body[:, 1])
    assert (tmp_path / "csv" / "events.csv").read_text().count("\n") == 1 + len(traj.events)
    assert not list((tmp_path / "csv").glob(".*.tmp*"))


def test_state_at_is_exact_at_samples_and_close_between(traj):
    k = 57
    r, v, q, w = traj.state_at(traj.t_s[k])
    assert np.array_equal(r, traj.r_gcrs_m[k]) and np.array_equal(q, traj.q_gcrs_from_body[k])
    fine = scenario(dt_out=1.0)
    # the coarse samples ARE the fine ones (regular grid and event samples alike)
    assert np.array_equal(fine.r_gcrs_m[np.isin(fine.t_s, traj.t_s)], traj.r_gcrs_m)
    errs_r, errs_q = [], []
    for t in np.arange(700.0, 1190.0, 7.0):                        # free flight after the burn
        r, v, q, w = traj.state_at(t)
        k = int(np.searchsorted(fine.t_s, round(t)))
        errs_r.append(np.abs(r - fine.r_gcrs_m[k]).max())
        dR = dcm_from_quat(q) @ np.swapaxes(dcm_from_quat(fine.q_gcrs_from_body[k]), -1, -2)
        errs_q.append(np.arccos(np.clip((np.trace(dR, axis1=-2, axis2=-1) - 1) / 2, -1, 1)).max())
    # cubic Hermite over h = 10 s: error <= h^4/384 max|r''''| = 1e4/384 * n^4 r ~ 0.3 mm
    print(f"FIGURE state_at between 10 s samples: position {max(errs_r):.2e} m, attitude {max(errs_q):.2e} rad")
    assert max(errs_r) < 1e-3
    # slerp turns at a constant rate about a fixed axis; the true rotation vector grows as
    # omega t + omega_dot t^2 / 2, so mid-interval the error is up to h^2 |omega_dot| / 8 (inertial
    # omega_dot, here mostly from the gravity-gradient torque): bound by 1.5x that, measured on the fine run
    R = dcm_from_quat(fine.q_gcrs_from_body)
    w_g = np.einsum("knij,knj->kni", R, fine.omega_body_radps)[fine.t_s >= 700.0]
    w_dot = np.linalg.norm(np.diff(w_g, axis=0), axis=-1).max()        # 1 s samples
    assert 0.0 < max(errs_q) < 1.5 * 10.0 ** 2 * w_dot / 8


def test_samples_at_event_times(traj):
    t = traj.t_s
    assert np.all(np.diff(t) > 0)                                   # strictly increasing
    grid = 10.0 * np.arange(121)
    assert np.all(np.isin(grid, t))                                 # the regular grid is all there
    extra = sorted(set(t) - set(grid))
    ev_t = sorted({e.t_s for e in traj.events} - set(grid))         # release 100 s and burn 300/360 s are on it
    assert extra == ev_t and len(extra) == 1                        # push_end, off the grid
    # the push_end sample is the state at that instant: the last spring is exactly at its stroke end.
    # Tolerance 1e-8 m: GCRS positions at 6.8e6 m carry ~1e-9 m of round-off per coordinate.
    k = int(np.searchsorted(t, extra[0]))
    push = Pushers(offset_m=(0.2, 0.1))
    j = int(np.argmax(next(e for e in traj.events if e.kind == "push_end").data["springs_end_s"]))
    ang = 2 * np.pi * j / push.count
    c = np.array([0.0, push.ring_radius_m * np.cos(ang) + 0.2, push.ring_radius_m * np.sin(ang) + 0.1])
    R = dcm_from_quat(traj.q_gcrs_from_body[k])
    tip_b = traj.r_gcrs_m[k, 1] + R[1] @ (LATCH.port_b.position_m + c)
    base_a = traj.r_gcrs_m[k, 0] + R[0] @ (LATCH.port_a.position_m + c)
    d = (tip_b - base_a) @ (R[0] @ [1.0, 0, 0])
    print(f"FIGURE push_end sample: last spring extension {d:.12f} m (stroke {push.stroke_m})")
    assert abs(d - push.stroke_m) < 1e-8


def test_bad_inputs_are_one_line_user_errors():
    s = docked_state([A, B], [LATCH], [R0, 0, 0], [0, np.sqrt(MU / R0), 0], [1.0, 0, 0, 0], [0, 0, 0], "A")
    for kwargs in ({"events": (Release(10.0, "nope"),)}, {"dt_out_s": 0.0}, {"t_end_s": -5.0},
                   {"events": (Release(-1.0, "L"),)}, {"loads_dt_s": -1.0}):
        args = dict(t_end_s=100.0, dt_out_s=1.0)
        args.update(kwargs)
        with pytest.raises(PhysicsInputError) as exc:
            simulate([A, B], [LATCH], s, EPOCH, **args)
        assert exc.value.is_user_error and "\n" not in str(exc.value)
    with pytest.raises(PhysicsInputError):
        Epoch.from_utc("2022-13-05T12:00:00Z")
    with pytest.raises(PhysicsInputError):
        RigidBody("X", -1.0, np.eye(3))
    for bad_mass in ("420 t", None, True):          # not a number: a user error too, not a TypeError
        with pytest.raises(PhysicsInputError):
            RigidBody("X", bad_mass, np.eye(3))


def test_an_end_time_off_the_grid_is_the_last_sample():
    """t_end = 1205 s with 10 s output: the grid ends at 1200 s and the final state (1205 s) is a sample
    too, the same state a run whose grid reaches 1205 s gives (samples depend only on their step)."""
    off = scenario(t_end=1205.0, dt_out=10.0)
    on = scenario(t_end=1205.0, dt_out=5.0)
    assert off.t_s[-1] == 1205.0 and off.t_s[-2] == 1200.0
    assert np.all(np.diff(off.t_s) > 0)
    assert np.array_equal(off.r_gcrs_m[-1], on.r_gcrs_m[-1])
    assert np.array_equal(off.q_gcrs_from_body[-1], on.q_gcrs_from_body[-1])
    grid = off.t_s[np.isclose(off.t_s % 10.0, 0.0)]
    assert np.array_equal(grid, np.arange(0.0, 1201.0, 10.0))   # the regular grid is intact
