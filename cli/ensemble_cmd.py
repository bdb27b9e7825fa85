"""`python main.py ensemble SCENARIO --members N [--workers K | --scheduler ADDRESS] --out ens.npz`:
Monte Carlo members of a scenario on Dask (docs/ensemble.md); prints the recontact probability and
distance percentiles (separation) or each segment's reentry-date percentiles (reentry)."""
from __future__ import annotations

import time

import scenario
from scenario.errors import ScenarioError


def add_arguments(parser) -> None:
    parser.add_argument("scenario", help="bundled scenario name or path (with an [ensemble] table, or defaults)")
    parser.add_argument("--members", type=int, default=None, help="number of members (default: [ensemble] members)")
    parser.add_argument("--seed", type=int, default=None, help="root seed (default: [ensemble] seed)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help="LocalCluster worker processes (default: one per core; 0 = serial, no Dask)")
    where.add_argument("--scheduler", default=None, help="address of a running Dask scheduler, e.g. tcp://host:8786")
    parser.add_argument("--out", default="ensemble.npz", help="output file (.npz); rerun to resume an interrupted run")
    parser.add_argument("--summary", default=None, metavar="FILE.json",
                        help="reentry ensembles: also write the date percentiles as JSON (assets/ensembles/ holds "
                             "the one the lesson's last chapter shows)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from cli.simulate_cmd import _check_out
    from ensemble import report, runner
    out = _check_out(args.out, ".npz", "--out")
    if args.members is not None and not 1 <= args.members <= 100000:
        raise ScenarioError("--members", str(args.members), "must be 1 .. 100000")
    if args.workers is not None and args.workers < 0:
        raise ScenarioError("--workers", str(args.workers), "must be >= 0")
    if args.seed is not None and args.seed < 0:
        raise ScenarioError("--seed", str(args.seed), "must be >= 0")
    summary = _check_out(args.summary, ".json", "--summary") if args.summary else None
    sc = scenario.load(args.scenario)
    plan = runner.make_plan(sc, args.members, args.seed)
    if summary is not None and plan.kind != "reentry":
        raise ScenarioError("--summary", args.summary, "only for reentry ensembles")
    bar = None
    if not args.quiet:
        from cli.record_cmd import ProgressBar
        bar = ProgressBar(plan.members, "members")
    t0 = time.perf_counter()
    ens = runner.run_ensemble(sc, plan, out, workers=args.workers, scheduler=args.scheduler,
                              progress=(lambda done, total: bar.update(done)) if bar else None)
    if bar:
        bar.finish()
    print("\n".join(report.summary_lines(ens)))
    print(f"wrote {out} ({time.perf_counter() - t0:.1f} s)")
    if summary is not None:
        import json
        from ensemble.store import write_text
        write_text(summary, json.dumps(report.summary_dict(ens, plan.spec), indent=1) + "\n")
        print(f"wrote {summary}")
    return 0
