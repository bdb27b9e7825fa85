"""Ensembles on a real Dask LocalCluster (two worker processes): the same file as a serial run, byte
for byte; a worker killed mid-run and the ensemble still complete and identical; an interrupted run
resumed to the same file. Members are short (the clip's release and 15 min of drift)."""
from __future__ import annotations

import os
import signal

import pytest

import scenario
from ensemble import runner
from tests.ensemble_helpers import short_clip

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ens")
    sc = scenario.load(str(short_clip(tmp)))
    plan = runner.make_plan(sc)
    job = runner.build_job(sc, plan)
    ref = tmp / "serial.npz"
    runner.run_ensemble(sc, plan, ref, workers=0, job=job)
    return sc, plan, job, ref.read_bytes()


@pytest.fixture(scope="module")
def cluster():
    import logging
    from dask.distributed import LocalCluster
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                     silence_logs=logging.ERROR)
    yield c
    c.close()


def test_two_workers_give_the_serial_file(setup, tmp_path):
    """The command's default path: a LocalCluster of two worker processes started for the run."""
    sc, plan, job, ref = setup
    out = tmp_path / "dask.npz"
    runner.run_ensemble(sc, plan, out, workers=2, job=job)
    assert out.read_bytes() == ref
    assert not (tmp_path / "dask.npz.parts").exists()


def test_a_killed_worker_changes_nothing(setup, tmp_path, cluster):
    """Through a scheduler address (the --scheduler path): one of its workers SIGKILLed after the first
    result; Dask reruns its task elsewhere (the nanny restarts the worker)."""
    sc, plan, job, ref = setup
    killed = []

    def kill_one(client, done):
        if not killed:
            pids = client.run(os.getpid)                   # {worker address: pid}
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    out = tmp_path / "killed.npz"
    runner.run_ensemble(sc, plan, out, scheduler=cluster.scheduler_address, job=job, on_result=kill_one)
    assert killed and out.read_bytes() == ref


def test_an_interrupted_run_resumes_to_the_same_file(setup, tmp_path):
    sc, plan, job, ref = setup
    out = tmp_path / "resumed.npz"

    def stop(client, done):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run_ensemble(sc, plan, out, workers=0, job=job, on_result=stop)
    parts = tmp_path / "resumed.npz.parts"
    assert not out.exists() and len(list(parts.glob("task-*.npz"))) == 2
    seen = []
    runner.run_ensemble(sc, plan, out, workers=0, job=job, progress=lambda d, n: seen.append(d))
    assert seen[0] == 2                    # the two finished members were read back, not rerun
    assert out.read_bytes() == ref and not parts.exists()


def test_the_file_plots_and_feeds_the_cloud(setup, tmp_path):
    import main
    from render.ensemble_cloud import load_cloud
    sc, plan, job, ref = setup
    path = tmp_path / "ens.npz"
    path.write_bytes(ref)
    assert main.main(["plot", str(path), "--out", str(tmp_path / "plots")]) == 0
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == ["closest_return_hist.png", "recontact_scatter.png"]
    t, tracks = load_cloud(path)
    assert t[0] == 0.0 and tracks.shape == (plan.members, len(t), 3)
