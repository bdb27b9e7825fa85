"""Run an ensemble: members grouped into tasks, on Dask distributed (a LocalCluster of worker
processes, or an existing cluster's scheduler) or serially in this process (workers = 0).

Each task is a pure function of (job, lo, hi): members lo..hi-1, each from (seed, index) alone, so
the order tasks finish in, the number of workers and the re-runs Dask makes after a worker dies
change nothing. Finished tasks go to the store as they arrive (ensemble/store.py): an interrupted
run is resumed by running the same command again.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ensemble.draws import member_draw
from ensemble.store import Store, stack_rows

PER_TASK = {"separation": 25, "reentry": 250}


@dataclass(frozen=True)
class Plan:
    kind: str
    members: int
    seed: int
    per_task: int
    spec: dict

    def chunks(self) -> list[tuple[int, int]]:
        return [(lo, min(lo + self.per_task, self.members)) for lo in range(0, self.members, self.per_task)]


def make_plan(sc, members: int | None = None, seed: int | None = None, per_task: int | None = None) -> Plan:
    from ensemble.schema import parse
    spec = sc.ensemble or parse({}, sc.source, sc.release is not None and sc.station is not None, sc.long_term)
    n = members if members is not None else spec["members"]
    per = per_task or spec["members_per_task"] or PER_TASK[spec["kind"]]
    return Plan(spec["kind"], int(n), int(spec["seed"] if seed is None else seed), int(min(per, n)), spec)


def build_job(sc, plan: Plan):
    """What every task needs, computed once here (the station, the nominal split, the calibration)."""
    import scenario
    if plan.kind == "separation":
        from ensemble.hulls import station_pieces
        from ensemble.separation import SeparationJob, stack_at_release
        inputs = scenario.prepare(sc)
        engine = _engine()
        return SeparationJob(inputs, station_pieces(inputs), plan.spec, plan.seed, engine=engine,
                             start=stack_at_release(inputs, engine))
    from ensemble.reentry import prepare_job
    return prepare_job(sc, plan.spec, plan.seed)


def _engine() -> str:
    from physics.compiled import run as jit_run
    return "jit" if jit_run.available() else "python"


def run_task(job, kind: str, lo: int, hi: int) -> dict:
    """Members lo..hi-1 -> {name: array (hi - lo, ...)}: the unit of work a worker runs."""
    draws = [member_draw(job.spec, job.seed, i) for i in range(lo, hi)]
    if kind == "separation":
        from ensemble.separation import run_member
        rows = [run_member(job, d) for d in draws]
    else:
        from ensemble.reentry import run_members
        rows = run_members(job, draws)
    return stack_rows(range(lo, hi), rows)


def description(sc, plan: Plan) -> dict:
    return {"scenario": sc.name, "toml": sc.text, "kind": plan.kind, "members": plan.members, "seed": plan.seed,
            "per_task": plan.per_task, "spec": {k: v for k, v in plan.spec.items()}}


def run_ensemble(sc, plan: Plan, out, workers: int | None = None, scheduler: str | None = None,
                 progress=None, on_result=None, job=None) -> dict:
    """Compute (or finish) the ensemble into `out` (.npz); returns its arrays. workers: LocalCluster
    worker processes (None: one per core; 0: serial, in this process); scheduler: an existing Dask
    scheduler's address instead. progress(done, total); on_result(client_or_None, done): tests' hook;
    job: build_job(sc, plan) if already built (here before any cluster starts: its input errors come first).
    The file holds no wall time: the same members, the same bytes. On a cluster the nominal run is one more
    task."""
    store = Store(out, description(sc, plan))
    chunks = plan.chunks()
    todo = [c for c in chunks if not store.done(*c)]
    done = [sum(hi - lo for lo, hi in chunks) - sum(hi - lo for lo, hi in todo)]
    serial = (workers == 0 and scheduler is None) or not todo
    job = build_job(sc, plan) if job is None else job

    def arrived(lo, hi, arrays, client=None):
        store.put(lo, hi, arrays)
        done[0] += hi - lo
        if progress:
            progress(done[0], plan.members)
        if on_result:
            on_result(client, done[0])

    with _dask(None if serial else workers, None if serial else scheduler, serial) as client:
        store.open()                     # after connecting: a wrong --scheduler leaves nothing behind
        if progress:
            progress(done[0], plan.members)
        if client is None:
            for lo, hi in todo:
                arrived(lo, hi, run_task(job, plan.kind, lo, hi))
            extra = nominal_run(job, plan)
        else:
            extra = _run_dask(client, job, plan, todo, arrived)
    return store.finish(chunks, {**run_arrays(sc, plan, job), **extra})


def _run_dask(client, job, plan: Plan, todo, arrived) -> dict:
    """The member tasks on the cluster, each stored as it arrives; returns the nominal run's arrays."""
    from dask.distributed import as_completed
    job_f = client.scatter(job, broadcast=True)
    nominal_f = client.submit(nominal_run, job_f, plan, pure=False)
    futures = {client.submit(run_task, job_f, plan.kind, lo, hi, pure=False): (lo, hi) for lo, hi in todo}
    for fut in as_completed(futures):
        arrived(*futures[fut], fut.result(), client)
    return nominal_f.result()


@contextmanager
def _dask(workers, scheduler, serial: bool):
    """None (serial), or a Client of a new LocalCluster (worker processes) or of `scheduler`."""
    if serial:
        yield None
        return
    cluster = None
    if scheduler is None:
        import logging
        import os
        from dask.distributed import LocalCluster
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    try:
        client = _client(scheduler, cluster)
    except BaseException:
        if cluster is not None:
            cluster.close()
        raise
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _client(scheduler, cluster):
    from dask.distributed import Client
    if scheduler is None:
        return Client(cluster)
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        from scenario.errors import ScenarioError
        raise ScenarioError("--scheduler", scheduler, f"cannot reach a Dask scheduler there ({exc})".splitlines()[0]) from None


def run_arrays(sc, plan: Plan, job) -> dict:
    """Run-level arrays: what was run (and, for long runs, the fan grid and the runs' ends)."""
    out = {"kind": np.array(plan.kind), "scenario": np.array(sc.name), "seed": np.array(plan.seed),
           "members": np.array(plan.members)}
    if plan.kind != "separation":
        act = "forecast-2022" if plan.spec["solar"] == "forecast-band" else job.activity
        out.update(fan_days=job.fan_days, epoch_utc=np.array(job.epoch_utc),
                   run_end_days=np.array(job.durations[act] / 86400.0),
                   reentry_alt_km=np.array(job.reentry_alt_m / 1e3))
    return out


def nominal_run(job, plan: Plan) -> dict:
    """The nominal member of a separation ensemble (no dispersion, from the members' start): its
    relative track at the cloud's times; {} for other kinds."""
    if plan.kind != "separation":
        return {}
    import scenario
    from scenario import apart
    from ensemble.draws import nominal_draw
    from ensemble.separation import cloud_times, member_inputs, relative_lvlh
    inputs = member_inputs(job.inputs, nominal_draw(), plan.spec, job.start)
    traj = scenario.run_prepared(inputs, engine=job.engine, loads=False)
    t_rel = apart.release_time(traj)
    times = cloud_times(inputs, t_rel)
    return {"cloud_t_s": times - t_rel, "nominal_rel_lvlh_m": relative_lvlh(traj, times),
            "epoch_utc": np.array(traj.epoch_utc)}
