"""Trajectory files from outside: damaged or foreign .npz files are one-line user errors, never a
traceback; CSV event rows survive commas and quotes in labels. A small hand-made trajectory (no
simulate run) keeps these tests fast."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from physics import PhysicsInputError, Trajectory
from physics.trajectory import Event


def small_traj(names=("A", "B"), K=5) -> Trajectory:
    n = len(names)
    t = np.array([0.0, 10.0, 12.5, 20.0, 30.0])[:K]
    r = np.arange(K * n * 3, dtype=np.float64).reshape(K, n, 3) + 7e6
    v = np.full((K, n, 3), 7.5e3)
    q = np.zeros((K, n, 4))
    q[..., 0] = 1.0
    w = np.zeros((K, n, 3))
    ev = (Event(12.5, "burn_start", 'burn, "one"', {"body": "A", "thrust_n": 400.0}),)
    return Trajectory("2022-03-05T12:00:00Z", 2459644.0008, tuple(names), t, r, v, q, w, ev, {"k": [1, 2]})


def saved_members(tmp_path) -> dict:
    p = small_traj().save_npz(tmp_path / "ok.npz")
    with np.load(p, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def write_members(tmp_path, members: dict, name="bad.npz"):
    p = tmp_path / name
    np.savez(p, **members)
    return p


def assert_user_error(path, *words):
    with pytest.raises(PhysicsInputError) as exc:
        Trajectory.load_npz(path)
    msg = str(exc.value)
    assert exc.value.is_user_error and "\n" not in msg and str(path) in msg, msg
    for w in words:
        assert w in msg, msg


def header_without(tmp_path, key):
    m = saved_members(tmp_path)
    h = json.loads(str(m["header_json"]))
    h.pop(key)
    m["header_json"] = np.array(json.dumps(h))
    return write_members(tmp_path, m)


@pytest.mark.parametrize("key", ["body_names", "epoch_tt_jd", "epoch_utc"])
def test_header_missing_a_key(tmp_path, key):
    assert_user_error(header_without(tmp_path, key), "header_json", key)


@pytest.mark.parametrize("member,text,word", [
    ("header_json", "[1]", "header_json"), ("events_json", "[1]", "events_json"),
    ("events_json", "{}", "events_json"), ("events_json", '[{"kind": "release"}]', "events_json"),
    ("metadata_json", "[]", "metadata_json"), ("header_json", "not json", "header_json")])
def test_json_members_of_the_wrong_shape(tmp_path, member, text, word):
    m = saved_members(tmp_path)
    m[member] = np.array(text)
    assert_user_error(write_members(tmp_path, m), word)


def test_body_names_must_be_distinct_strings(tmp_path):
    m = saved_members(tmp_path)
    h = json.loads(str(m["header_json"]))
    h["body_names"] = ["A", "A"]
    m["header_json"] = np.array(json.dumps(h))
    assert_user_error(write_members(tmp_path, m), "body_names")


@pytest.mark.parametrize("bad", ["nan", "decreasing", "repeated", "empty"])
def test_sample_times_must_be_finite_and_strictly_increasing(tmp_path, bad):
    m = saved_members(tmp_path)
    t = m["t_s"].copy()
    if bad == "nan":
        t[2] = np.nan
    elif bad == "decreasing":
        t = t[::-1].copy()
    elif bad == "repeated":
        t[2] = t[1]
    else:
        for k in ("t_s", "r_gcrs_m", "v_gcrs_mps", "q_gcrs_from_body", "omega_body_radps"):
            m[k] = m[k][:0]
        t = m["t_s"]
    m["t_s"] = t
    assert_user_error(write_members(tmp_path, m), "t_s")


def test_truncated_text_and_empty_files(tmp_path):
    good = small_traj().save_npz(tmp_path / "good.npz").read_bytes()
    (tmp_path / "trunc.npz").write_bytes(good[: len(good) // 2])
    (tmp_path / "text.npz").write_text("t_s,x\n0,1\n")
    (tmp_path / "empty.npz").write_bytes(b"")
    for name in ("trunc.npz", "text.npz", "empty.npz"):
        assert_user_error(tmp_path / name, "npz")
    assert_user_error(tmp_path / "missing.npz")
    assert_user_error(tmp_path)                      # a folder


def test_round_trip_of_the_small_trajectory(tmp_path):
    tr = small_traj()
    back = Trajectory.load_npz(tr.save_npz(tmp_path / "x.npz"))
    assert np.array_equal(back.t_s, tr.t_s) and np.array_equal(back.r_gcrs_m, tr.r_gcrs_m)
    assert back.events == tr.events and back.metadata == tr.metadata and back.body_names == tr.body_names
    assert not list(tmp_path.glob(".*.tmp*"))


def test_events_csv_quotes_labels_and_round_trips(tmp_path):
    """A burn label with a comma and quotes must not shift the columns (csv module quoting)."""
    tr = small_traj()
    folder = tr.save_csv(tmp_path / "csv")
    with open(folder / "events.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["t_s", "kind", "subject", "data_json"]
    e = tr.events[0]
    assert rows[1][:3] == [repr(e.t_s), e.kind, e.subject]
    assert json.loads(rows[1][3]) == e.data
    table = np.loadtxt(folder / "A.csv", delimiter=",", skiprows=1)
    assert np.array_equal(table[:, 0], tr.t_s) and np.array_equal(table[:, 1:4], tr.r_gcrs_m[:, 0])


def test_event_time_as_numpy_scalar_is_written_as_a_plain_number(tmp_path):
    tr = small_traj()
    ev = (Event(np.float64(12.5), "release", "L", {}),)
    folder = Trajectory(tr.epoch_utc, tr.epoch_tt_jd, tr.body_names, tr.t_s, tr.r_gcrs_m, tr.v_gcrs_mps,
                        tr.q_gcrs_from_body, tr.omega_body_radps, ev, {}).save_csv(tmp_path / "c")
    assert (folder / "events.csv").read_text().splitlines()[1].startswith("12.5,release,L,")


def test_failed_write_leaves_no_partial_file(tmp_path):
    tr = small_traj()
    bad = Trajectory(tr.epoch_utc, tr.epoch_tt_jd, tr.body_names, tr.t_s, tr.r_gcrs_m, tr.v_gcrs_mps,
                     tr.q_gcrs_from_body, tr.omega_body_radps, tr.events, {"x": object()})   # not JSON
    with pytest.raises(TypeError):
        bad.save_npz(tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("names", [("A/B", "A_B"), ("events", "B")])
def test_csv_refuses_body_names_whose_files_would_clash(tmp_path, names):
    with pytest.raises(PhysicsInputError) as exc:
        small_traj(names).save_csv(tmp_path / "c")
    assert "body_names" in str(exc.value) and not (tmp_path / "c").exists()


def test_state_at_a_sample_hands_out_copies():
    tr = small_traj()
    r, v, q, w = tr.state_at(10.0)
    before = tr.r_gcrs_m.copy()
    r += 1.0
    v[:] = 0.0
    assert np.array_equal(tr.r_gcrs_m, before) and np.all(tr.v_gcrs_mps == 7.5e3)
    assert np.array_equal(tr.state_at(30.0)[0], tr.r_gcrs_m[-1])      # the last sample too
