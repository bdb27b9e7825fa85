"""`python main.py calibrate`: fit the long-run drag model to the ISS orbit record of 2022.

Per reboost-free window (assets/tles/reboost_free_windows.csv) the docked station is propagated with
the model the predictions use and compared with the TLEs; the fitted effective drag scale and its
scatter go to assets/tles/drag_calibration.toml, which the long-run scenarios read
(physics/longterm/calibration.py; docs/decay.md, "Drag calibration").
"""
from __future__ import annotations


def add_arguments(parser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="print the windows and the fit without writing assets/tles/drag_calibration.toml")


def run(args) -> int:
    from physics.longterm import calibration as C
    from physics import spaceweather as sw
    from scenario.longterm.attitude import calibration_model, calibration_model_text, docked_flight_body
    model = calibration_model()
    windows, tles = C.load_windows(), C.load_record()          # one-line errors before any work
    text = calibration_model_text(model)
    print(f"Model: {text}")
    print(f"{'win':>3}  {'from (TLE epoch)':<16}  {'to':<16}  {'days':>5}  {'alt km':>6}  "
          f"{'TLE m/day':>9}  {'sim m/day':>9}  {'sim/TLE':>7}")
    results = []
    for w in windows:
        r = C.run_window(w, tles, lambda: docked_flight_body(model), sw.activity("observed"))
        results.append(r)
        print(f"{w.id:>3}  {w.start:<16}  {w.end:<16}  {r.days:5.2f}  {r.alt_km:6.2f}  "
              f"{r.observed_m_per_day:9.1f}  {r.simulated_m_per_day:9.1f}  {1 / r.ratio:7.3f}", flush=True)
    cal = C.fit(results, text)
    cal = C.Calibration(cal.scale, cal.scatter_log, cal.n_windows, text)
    for line in summary_lines(results, cal):
        print(line)
    if not args.dry_run:
        C.write_calibration(results, cal)
        print(f"written: {C.CALIBRATION}")
    return 0


def summary_lines(results, cal) -> list[str]:
    import numpy as np
    err = np.array([cal.scale / r.ratio - 1.0 for r in results]) * 100.0
    return [f"Fit: effective drag scale {cal.scale:.3f} on Cd x A (geometric mean of TLE/sim over "
            f"{cal.n_windows} windows)",
            f"Scatter: {cal.scatter_log * 100:.1f} % (std of ln ratio) -> range {cal.low:.3f} .. {cal.high:.3f}; "
            "for comparison, drag-derived densities carry ~15 % (Moe et al.)",
            f"After the fit, per window: {', '.join(f'{e:+.0f}' for e in err)} %; median |error| "
            f"{np.median(np.abs(err)):.1f} %"]
