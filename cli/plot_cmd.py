"""`python main.py plot run.npz --out DIR`: PNG figures of a saved run (see scenario/plots.py)."""
from __future__ import annotations

from pathlib import Path

from scenario.errors import ScenarioError


def add_arguments(parser) -> None:
    parser.add_argument("run", metavar="RUN.npz", help="a trajectory or long run saved by `simulate --out`, or an ensemble (`ensemble --out`)")
    parser.add_argument("--out", metavar="DIR", default="plots",
                        help="folder for the PNG files (created if its parent exists; default ./plots)")


def run(args) -> int:
    from physics.trajectory import Trajectory
    from scenario.plots import write_all
    src = Path(args.run)
    if not src.is_file():
        raise ScenarioError(args.run, "", "no such file")
    folder = _check_folder(args.out)
    from cli.simulate_cmd import write_or_fail
    from scenario.longterm.io import is_long_run_file, load_long_run
    from ensemble.store import is_ensemble_file
    if is_ensemble_file(src):                # `ensemble --out`: recontact / reentry-date figures
        from ensemble.plots import write_ensemble
        from ensemble.report import load
        ens = load(src)
        draw = lambda: write_ensemble(ens, folder)
    elif is_long_run_file(src):              # a [long_term] run: altitude against date, spread band
        from scenario.longterm.plots import write_long_term
        lr = load_long_run(src)
        draw = lambda: write_long_term(lr, folder)
    else:
        traj = Trajectory.load_npz(src)      # PhysicsInputError (one line) if it is not a trajectory
        from scenario.trajcheck import check_trajectory
        check_trajectory(traj, str(src))     # NaN/Inf, unit quaternions, epoch in the ephemeris
        draw = lambda: write_all(traj, folder)
        from scenario.plots import CW_MAX_RANGE_M, max_range_m
        far = max_range_m(traj)
        if far > CW_MAX_RANGE_M:
            print(f"note: no lvlh.png: the bodies get {far / 1e3:,.0f} km apart, beyond the "
                  f"Clohessy-Wiltshire view ({CW_MAX_RANGE_M / 1e3:.0f} km); for months of decay plot the "
                  "long run's own file (simulate NAME --out RUN.npz)")
    written = []

    def write():                             # the PNG set appears as a whole (fileio.atomic_folder)
        written.extend(draw())
    write_or_fail("--out", args.out, write)
    for path in written:
        print(f"wrote {path}")
    return 0


def _check_folder(text: str) -> Path:
    """Fail before reading or drawing if the folder cannot be written (a real write: fileio.probe_output)."""
    from fileio import probe_output
    if not text.strip():
        raise ScenarioError("--out", repr(text), "empty folder name")
    return probe_output(Path(text), "--out", folder=True)
