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
          f"{'TLE m/day':>9}  {'+-TLE':>5}  {'sim m/day':>9}  {'sim/TLE':>7}  {'F10.7':>5}")
    results = []
    for w in windows:
        r = C.run_window(w, tles, lambda: docked_flight_body(model), sw.activity("observed"))
        results.append(r)
        print(f"{w.id:>3}  {w.start:<16}  {w.end:<16}  {r.days:5.2f}  {r.alt_km:6.2f}  "
              f"{r.observed_m_per_day:9.1f}  {r.sigma_log * 100:4.0f}%  {r.simulated_m_per_day:9.1f}  "
              f"{1 / r.ratio:7.3f}  {r.f107_mean:5.1f}", flush=True)
    cal = C.fit(results, text)
    for line in summary_lines(results, cal):
        print(line)
    if not args.dry_run:
        C.write_calibration(results, cal)
        print(f"written: {C.CALIBRATION}")
    return 0


def summary_lines(results, cal) -> list[str]:
    """What `calibrate` prints after the table: the fit, its scatter, the errors, and what they mean."""
    import numpy as np
    from physics.longterm import calibration as C
    err = np.array([cal.scale / r.ratio - 1.0 for r in results]) * 100.0
    med, floor = float(np.median(np.abs(err))), C.error_floor(results) * 100.0
    slope, se = C.activity_trend(results)
    lo, hi = cal.prediction_range
    verdict = "meets" if med <= C.GOAL_PCT else "does NOT meet"
    return [f"Fit: effective drag scale {cal.scale:.3f} on Cd x A (geometric mean of TLE/sim over "
            f"{cal.n_windows} windows, each weighted by 1/(model scatter^2 + its TLE noise^2); "
            f"'+-TLE': two TLEs x {C.TLE_SIGMA_A_M:g} m)",
            f"Scatter: {cal.scatter_log * 100:.1f} % (std of ln ratio; {cal.model_scatter_log * 100:.1f} % beyond "
            f"the TLE noise) -> +-1 sigma {cal.low:.3f} .. {cal.high:.3f}; drag-derived densities carry ~15 % "
            "(Moe et al.), MSIS-class models ~15 % ('High Altitude Atmospheric Modeling', 1988)",
            f"After the fit, per window: {', '.join(f'{e:+.0f}' for e in err)} %; median |error| {med:.1f} % "
            f"({verdict} the {C.GOAL_PCT:g} % goal; TLE noise and the density model's ~15 % alone give "
            f"~{floor:.0f} %)",
            f"Known limitation: ln(TLE/sim) against the windows' mean F10.7: slope {slope:+.2f} +- {se:.2f} per "
            f"100 sfu (quiet windows run the model high, active ones near 1; {abs(slope) / se:.1f} sigma with "
            f"{len(results)} windows, not applied). Predictions span years of other activity, so their range "
            f"is every window's own scale: {lo:.3f} .. {hi:.3f} (-{(1 - lo / cal.scale) * 100:.0f} / "
            f"+{(hi / cal.scale - 1) * 100:.0f} %), not +-1 sigma"]
