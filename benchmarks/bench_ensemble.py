"""Benchmark of ensembles (prints figures; no assertions): members per second serially (in this
process, no Dask), on a Dask LocalCluster of 1 and of 2 worker processes, and Dask's overhead.

  separation: clip-2022-ensemble members (release + two orbits, 6-DOF, hull distance)
  reentry:    decay-ensemble members (both segments to reentry, one vectorised batch per task)

The clusters are started before the clock runs (their start-up is printed on its own row) and each
worker runs one warm-up member first (numba cache load, NRLMSIS, the station's tables), so the rows
measure the steady state a long ensemble sees. Overhead = 1 - (serial member time x members) /
(workers x wall), the share of the workers' time not spent computing members (scheduling,
serialisation, the store, idle workers at the end). The machine load (1-min load average) is printed
before each row: on a shared machine a row measures the share of the cores this process got.
The targets (issue 14, 2-core machine): 1,000 separation members < 30 s with 2 workers; 1,000 reentry
members < 60 s; 2 workers >= 1.7x one; overhead < 5 %. The per-1000 figures are extrapolated from N.
The serial row also prints CPU seconds per member: what a member costs on a quiet core (the compiled
loop's table-filling thread makes it slightly larger than the wall time there), and for separation
members where that CPU time goes: the compiled engine (from the release: push and free flight; members
start at the release, the docked part is run once on the client), the engine's set-up and recorder (the
Python side of a run), the hull distance, and the rest (member inputs, relative tracks, apart figures).
Reentry members read NRLMSIS from a table each worker process fills once for all its tasks
(physics/longterm/density_table.py): a run costs one table per worker plus a little per member, so
the per-1000 figures extrapolated from a few members overstate it (the table is then most of the
cost); `--members 1000` measures the target itself. Reentry tasks: the runner's size (250), or N/4
for small N so that two workers each get two tasks.
Usage: python benchmarks/bench_ensemble.py [separation|reentry ...] [--members N] [--serial]
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scenario  # noqa: E402
from ensemble import runner  # noqa: E402

SCENARIOS = {"separation": ("clip-2022-ensemble", 20, None), "reentry": ("decay-ensemble", 20, None)}


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def warm(job, kind: str) -> None:
    runner.run_task(job, kind, 0, 1)


def bench(kind: str, members: int | None) -> None:
    from dask.distributed import LocalCluster
    name, n_default, per_task = SCENARIOS[kind]
    n = members or n_default
    sc = scenario.load(name)
    if per_task is None:
        per_task = min(runner.PER_TASK[kind], max(1, -(-n // 4)))
    plan = runner.make_plan(sc, members=n, per_task=per_task)
    t = time.perf_counter()
    job = runner.build_job(sc, plan)
    print(f"{kind}: {n} members of {name}, {plan.per_task} a task; job built in {time.perf_counter() - t:.1f} s "
          "(once, on the client)")
    warm(job, kind)
    print(f"  [{load()}]")
    t, c = time.perf_counter(), time.process_time()
    with phases(kind) as split:
        for lo, hi in plan.chunks():
            runner.run_task(job, kind, lo, hi)
    serial, cpu = (time.perf_counter() - t) / n, (time.process_time() - c) / n
    print(f"  serial (this process):  {1 / serial:6.2f} members/s  {serial:.3f} s a member "
          f"({cpu:.3f} CPU-s: the quiet-machine cost)  -> 1,000 members in {1000 * serial:.0f} s; "
          f"quiet machine, 2 workers at 1 CPU-s each: ~{1000 * cpu / 2:.0f} s")
    if kind == "reentry":
        from physics.longterm import density_table
        pts = sum(t.points_evaluated for t in density_table._TABLES.values())
        mb = sum(t.nbytes for t in density_table._TABLES.values()) / 2 ** 20
        print(f"  NRLMSIS table of this process: {pts:,} points (~{pts * 11e-6:.0f} s of the serial run; "
              f"{mb:.0f} MB; each worker fills its own, once for all its tasks)")
    if split:
        rest = cpu - sum(split.values()) / n
        print("  CPU a member: " + ", ".join(f"{k} {1e3 * v / n:.1f} ms" for k, v in split.items())
              + f", rest {1e3 * rest:.1f} ms")
    rates = {}
    if SERIAL_ONLY:
        return
    for workers in (1, 2):
        t = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        start = time.perf_counter() - t
        from dask.distributed import Client
        with Client(cluster) as client:
            client.run(_warm_worker, job, kind)
        print(f"  [{load()}]  LocalCluster of {workers}: started in {start:.1f} s (+ warm-up)")
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            runner.run_ensemble(sc, plan, Path(tmp) / "e.npz", scheduler=cluster.scheduler_address, job=job)
            wall = time.perf_counter() - t
        cluster.close()
        rates[workers] = n / wall
        overhead = 1 - serial * n / (workers * wall)
        print(f"  {workers} worker{'s' if workers > 1 else ' '}:              {n / wall:6.2f} members/s  "
              f"-> 1,000 members in {1000 / rates[workers]:.0f} s; overhead {overhead:.0%} "
              "(incl. the nominal run and the file)")
    print(f"  2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


@contextmanager
def phases(kind: str):
    """{phase: CPU seconds} of separation members while the block runs (the functions timed are
    wrapped for its duration only); empty for other kinds."""
    split: dict[str, float] = {}
    if kind != "separation":
        yield split
        return
    import scenario as sc_module
    from ensemble import separation
    from physics.compiled import run as jit_run
    targets = [(sc_module, "run_prepared", "run"), (jit_run, "integrate", "compiled engine"),
               (separation, "hull_series", "hull distance")]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in targets]
    for obj, name, label in targets:
        setattr(obj, name, _timed(getattr(obj, name), label, split))
    try:
        yield split
    finally:
        for obj, name, f in saved:
            setattr(obj, name, f)
        split["compiled engine (push, free flight)"] = split.pop("compiled engine", 0.0)
        split["engine set-up and recorder"] = split.pop("run", 0.0) - split["compiled engine (push, free flight)"]
        split["hull distance"] = split.pop("hull distance", 0.0)


def _timed(f, label: str, split: dict):
    def g(*args, **kwargs):
        c = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            split[label] = split.get(label, 0.0) + time.process_time() - c
    return g


def _warm_worker(job, kind):
    warm(job, kind)


SERIAL_ONLY = False


def main(argv: list[str]) -> None:
    global SERIAL_ONLY
    SERIAL_ONLY = "--serial" in argv
    members = None
    if "--members" in argv:
        members = int(argv[argv.index("--members") + 1])
    kinds = [a for a in argv if a in SCENARIOS] or list(SCENARIOS)
    for kind in kinds:
        bench(kind, members)


if __name__ == "__main__":
    main(sys.argv[1:])
