"""`python main.py simulate SCENARIO [--out run.npz] [--csv DIR]`: run headless, print a summary."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import scenario
from cli import stdout_to_devnull
from cli.progress import ProgressBar
from scenario import summary as S
from scenario.errors import ScenarioError

DEG = S.DEG


def add_arguments(parser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022",
                        help="bundled scenario name (assets/scenarios/NAME.toml) or a path (default clip-2022)")
    parser.add_argument("--out", metavar="RUN.npz", help="save the trajectory (.npz, see docs/trajectory-format.md)")
    parser.add_argument("--csv", metavar="DIR", help="also write the trajectory (or, for [long_term] scenarios, "
                        "each run's altitude, decay rate, mass and propellant per step) as CSV files into DIR")
    parser.add_argument("--trajectory", metavar="TRAJ.npz",
                        help="[long_term] scenarios: also save the main long run as a trajectory the app and "
                             "video can play (300-s samples, chapters; see docs/decay.md)")
    parser.add_argument("--engine", choices=("auto", "python", "jit"), default="auto",
                        help="integrator for the free flight: 'jit' (compiled, numba), 'python', or 'auto' "
                             "(compiled for spans of >= 6 orbits once it is compiled; the first compile "
                             "takes ~20 s); results agree to round-off (docs/physics.md)")
    parser.add_argument("--oem", metavar="RUN.oem", help="CCSDS orbit ephemeris (OEM 3.0 KVN): one segment per body, "
                        "ICRF axes at the Earth's centre (GCRS), UTC (docs/formats.md)")
    parser.add_argument("--aem", metavar="RUN.aem", help="CCSDS attitude ephemeris (AEM 2.0 KVN): quaternions "
                        "ICRF -> body axes (6-DOF runs only)")
    parser.add_argument("--czml", metavar="RUN.czml", help="CZML for Cesium: both bodies' paths and models, "
                        "the release and reentry events, the clock set to the run")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _print(text: str = "") -> None:
    """print, but a reader that left the pipe early (`simulate --out run.npz | head`) does not stop
    the run before its files are saved: further output goes to /dev/null."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        stdout_to_devnull()
    except OSError as exc:                  # `simulate > /dev/full`: one line, before any file is saved
        stdout_to_devnull()
        raise ScenarioError("stdout", "", f"cannot write ({exc.strerror or exc})") from None


def run(args) -> int:
    out = _check_out(args.out, ".npz", "--out") if args.out is not None else None     # --out "": refused
    csv_dir = _check_out(args.csv, None, "--csv") if args.csv is not None else None
    sc = scenario.load(args.scenario)
    traj_out = _check_out(args.trajectory, ".npz", "--trajectory") if getattr(args, "trajectory", None) is not None else None
    fmt_outs = _format_outputs(args, sc)                          # --oem/--aem/--czml, checked before the run
    if sc.long_term is not None:
        return _run_long(sc, args, out, csv_dir, traj_out, fmt_outs)
    if traj_out:
        raise ScenarioError("--trajectory", args.trajectory, "only for scenarios with a [long_term] table")
    if csv_dir is not None:
        from physics.trajectory import csv_names
        csv_names(sc.body_names, csv_dir)        # clashing CSV names refused before the run
    bar = None if args.quiet else ProgressBar(label="simulate", delay_s=0.5)
    t_wall = time.perf_counter()
    traj = scenario.run(sc, progress=bar, engine=args.engine)
    if bar:
        bar.done()
    wall_s = time.perf_counter() - t_wall
    from scenario.daylight import eclipse_warning
    note = eclipse_warning(traj, sc.source)
    if note:
        print(note, file=sys.stderr)
    _print("\n".join(summary_lines(sc, traj, wall_s)))
    if out:
        write_or_fail("--out", args.out, lambda: traj.save_npz(out))     # atomic (fileio)
        _print(f"saved {out}")
    if csv_dir:
        write_or_fail("--csv", args.csv, lambda: traj.save_csv(csv_dir))  # one file per body + events + metadata
        _print(f"saved CSV files in {csv_dir}/")
    _write_formats(sc, traj, fmt_outs)
    return 0


def _format_outputs(args, sc) -> dict:
    """{option: Path} of the field-standard outputs asked for, each checked like --out."""
    wanted = {"--oem": ".oem", "--aem": ".aem", "--czml": ".czml"}
    outs = {opt: _check_out(getattr(args, opt[2:]), suffix, opt)
            for opt, suffix in wanted.items() if getattr(args, opt[2:], None)}
    if "--aem" in outs and sc.long_term is not None:
        raise ScenarioError("--aem", args.aem, "a [long_term] run has no attitude of its own (held in LVLH "
                            "by assumption): use --oem for its positions")
    return outs


def _write_formats(sc, traj, outs: dict) -> None:
    from formats.export import write_formats
    for option, path in write_formats(sc, traj, outs):
        _print(f"saved {path}  ({option[2:].upper()})")


def _run_long(sc, args, out, csv_dir, traj_out, fmt_outs=None) -> int:
    """A [long_term] scenario: the long run (after the short 6-DOF run, or from the TLE), its summary."""
    from scenario.longterm.io import save_long_run
    from scenario.longterm.summary import summary_lines as long_lines
    bar = None if args.quiet else ProgressBar(label="simulate", delay_s=0.5)
    t_wall = time.perf_counter()
    lr = scenario.run_long(sc, progress=bar)
    if bar:
        bar.done()
    _print(f"{sc.title or sc.name}  ({sc.source})")
    _print("\n".join(long_lines(lr)))
    _print(f"  total {time.perf_counter() - t_wall:.1f} s")
    if out:
        write_or_fail("--out", args.out, lambda: save_long_run(lr, out))
        _print(f"saved {out}  (plot it with: python main.py plot {out})")
    if csv_dir:
        from scenario.longterm.io import save_long_run_csv
        write_or_fail("--csv", args.csv, lambda: save_long_run_csv(lr, csv_dir))
        _print(f"saved CSV files in {csv_dir}/")
    if traj_out or fmt_outs:
        traj = scenario.long_term_trajectory(lr.main, metadata=lr.metadata)
    if traj_out:
        write_or_fail("--trajectory", args.trajectory, lambda: traj.save_npz(traj_out))
        _print(f"saved {traj_out}")
    if fmt_outs:
        _write_formats(sc, traj, fmt_outs)
    return 0


def _check_out(text: str, suffix: str | None, option: str) -> Path:
    """Fail before running (one line, exit 2) if the output cannot be written there: by writing
    there for real (fileio.probe_output; os.access says yes to root, /proc, full disks)."""
    from fileio import probe_output
    if not text.strip():
        raise ScenarioError(option, repr(text), "empty file name")
    path = Path(text)
    if suffix and path.suffix != suffix:
        raise ScenarioError(option, text, f"the file name must end in {suffix}")
    return probe_output(path, option, folder=not suffix)


def write_or_fail(option: str, text: str, write) -> None:
    """Run write() (an atomic writer: fileio leaves no temporary behind); an OSError becomes one
    line (exit 2)."""
    try:
        write()
    except OSError as exc:
        if getattr(exc, "is_user_error", False):
            raise
        raise ScenarioError(option, text, f"cannot write ({exc.strerror or exc})") from None


def summary_lines(sc, traj, wall_s: float) -> list[str]:
    names = traj.body_names
    lines = [f"{sc.title or sc.name}  ({sc.source})",
             f"  epoch {traj.epoch_utc}, {traj.t_s[-1]:.0f} s simulated in {wall_s:.2f} s, "
             f"{len(traj.t_s)} samples, bodies: {', '.join(names)}"]
    orbit = traj.metadata.get("scenario", {}).get("orbit")
    if orbit:
        lines.append(f"  orbit: {orbit}")
    lines += _loads_lines(traj) + _separation_lines(traj) + _ledger_lines(traj) + _altitude_lines(traj)
    lines += [f"  event {e.t_s:9.1f} s  {e.kind:<10} {e.subject}" for e in traj.events]
    from scenario.checks import check_lines
    return lines + check_lines(sc, traj)


def _loads_lines(traj) -> list[str]:
    L = S.loads_before_release(traj)
    if L is None:
        return []
    F, M = L["F_last_n"], L["M_last_nm"]
    return [f"Loads on the interface before release, on {L['on']} by {L['by']} "
            "(port frame, x = docking axis, torque about the port):",
            f"  force  [{F[0]:+9.2f} {F[1]:+9.2f} {F[2]:+9.2f}] N   (peak |F| {L['F_peak_n']:.2f} N)",
            f"  torque [{M[0]:+9.2f} {M[1]:+9.2f} {M[2]:+9.2f}] N m (peak |M| {L['M_peak_nm']:.2f} N m)"]


def _separation_lines(traj) -> list[str]:
    sep = S.separation(traj)
    if sep is None:
        return []
    a, b = sep["a"], sep["b"]
    v = sep["v_rel_lvlh_mps"]
    if sep["t_release_s"] is None:
        head = f"Relative motion of {a} seen from {b} (from {sep['t_push_end_s']:.1f} s):"
    else:
        head = f"Separation (hooks open at {sep['t_release_s']:.1f} s, push ends at {sep['t_push_end_s']:.2f} s):"
    lines = [head, f"  speed of {a} relative to {b}: {sep['speed_mps']:.4f} m/s at {sep['t_after_s']:.1f} s  "
             f"(LVLH of {b}: along {v[0]:+.4f}, cross {v[1]:+.4f}, nadir {v[2]:+.4f} m/s)"]
    energy = (traj.metadata.get("release") or {}).get("pusher_energy_j")
    if energy:
        lines.append(f"  spring energy {energy:.1f} J (ESTIMATE)")
    rel = np.round(S.spin_relative_to_lvlh(traj, sep["k_after"]) * DEG, 5) + 0.0   # +0.0: no "-0.00000" for round-off
    inertial = traj.omega_body_radps[sep["k_after"]] * DEG
    for i, name in enumerate(traj.body_names):
        lines.append(f"  spin of {name} {'after the push' if sep['t_release_s'] is not None else 'at the start'}: [{rel[i][0]:+.5f} {rel[i][1]:+.5f} {rel[i][2]:+.5f}] deg/s "
                     f"relative to LVLH (|w| inertial {np.linalg.norm(inertial[i]):.5f} deg/s)")
    from scenario.attitude_text import attitude_line
    lines.append(f"  {attitude_line(traj)}  (as the HUD and presenter say it)")
    if "range_orbit_m" in sep:
        rho = sep["rho_orbit_lvlh_m"]
        lines.append(f"  one orbit after release (t = {sep['t_orbit_s']:.0f} s): centre-to-centre range {sep['range_orbit_m']:.1f} m, "
                     f"range-rate {sep['range_rate_orbit_mps']:+.4f} m/s "
                     f"({a} {abs(rho[0]):.1f} m {'ahead of' if rho[0] > 0 else 'behind'} {b}, "
                     f"{abs(rho[2]):.1f} m {'below' if rho[2] > 0 else 'above'})")
    else:
        lines.append("  (the run ends within one orbit: no range after one orbit)")
    lines.append(f"  at the end ({traj.t_s[-1]:.0f} s): centre-to-centre range {sep['range_end_m']:.1f} m, "
                 f"range-rate {sep['range_rate_end_mps']:+.4f} m/s")
    return lines + _apart_lines(traj, sep)


def _apart_lines(traj, sep) -> list[str]:
    """'Apart' as the HUD, captions and presenter show it (scenario.apart: the gap between the docking
    ports), at the same moments as above; the ranges above are centre-to-centre."""
    from scenario.apart import one_orbit_after_release
    t_orbit = one_orbit_after_release(traj)
    t_orbit = t_orbit if t_orbit is not None and t_orbit <= traj.t_s[-1] else None
    rows = [(f"one orbit after the hooks opened ({t_orbit or 0:.0f} s, the lesson's caption)", t_orbit),
            (f"at the end ({traj.t_s[-1]:.0f} s)", float(traj.t_s[-1]))]
    out = [f"  apart {S.apart_text(traj, t)} {label}" for label, t in rows if t is not None]
    return ["Apart (the gap between the docking ports, as the HUD and captions show it):"] + out


def _ledger_lines(traj) -> list[str]:
    L = S.momentum_ledger(traj)
    if L is None:
        return []
    push = (traj.metadata.get("release") or {}).get("pusher_energy_j")

    def row(label, before, after, ext, res, unit):
        return (f"  {label}: |before| {np.linalg.norm(before):.6e}  |after| {np.linalg.norm(after):.6e}  "
                f"|change| {np.linalg.norm(after - before):.4g}  |external| {np.linalg.norm(ext):.4g}  "
                f"|change - external| {np.linalg.norm(res):.3g} {unit}")
    lines = [f"Momentum ledger, {L['t0_s']:.2f} s (docked) -> {L['t1_s']:.2f} s (after the push), GCRS:",
             row("linear P  ", L["P0"], L["P1"], L["impulse"], L["P_residual"], "kg m/s"),
             row("angular H_cm", L["H0"], L["H1"], L["angular_impulse"], L["H_residual"], "N m s")]
    held = S.controlled_bodies(traj)
    if held:
        lines.append(f"  ({', '.join(held)} hold(s) LVLH with own control: control torques change H_cm, "
                     "so only P is a conservation check here)")
    sep = S.separation(traj)
    if sep is not None:
        bodies = traj.metadata["bodies"]
        m_a, m_b = bodies[sep["a"]]["mass_kg"], bodies[sep["b"]]["mass_kg"]
        mu = m_a * m_b / (m_a + m_b)
        lines.append(f"  (for scale: the push gives each side {mu * sep['speed_mps']:.4g} kg m/s"
                     + (f"; spring energy {push:.1f} J vs relative kinetic energy "
                        f"{0.5 * mu * sep['speed_mps'] ** 2:.1f} J)" if push else ")"))
    return lines


def _altitude_lines(traj) -> list[str]:
    first, last = S.altitude_m(traj, 0), S.altitude_m(traj, len(traj.t_s) - 1)
    alt = np.array([S.altitude_m(traj, k) for k in np.linspace(0, len(traj.t_s) - 1, 200).astype(int)])
    lines = ["Altitude (geodetic, WGS84):"]
    for i, name in enumerate(traj.body_names):
        lines.append(f"  {name:<8} start {first[i] / 1e3:8.3f} km   end {last[i] / 1e3:8.3f} km   "
                     f"min {alt[:, i].min() / 1e3:8.3f}  max {alt[:, i].max() / 1e3:8.3f} km")
    return lines
