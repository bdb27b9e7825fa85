"""Drag calibration on the 2022 TLE record (physics/longterm/calibration.py, `python main.py calibrate`):
the shipped TLEs pass their checksums, the windows are bracketed by published manoeuvres, and the
calibration's stored per-window figures are reproduced from them with the predictions' model."""
from __future__ import annotations

import numpy as np
import pytest

import main
from physics.longterm import calibration as C
from physics import spaceweather as sw
from scenario.longterm.attitude import calibration_model, docked_flight_body


def checksum_ok(line: str) -> bool:
    """Modulo-10 TLE checksum (reference 9.1), written independently of physics.orbit."""
    s = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return len(line) == 69 and s % 10 == int(line[68])


def test_record_lines_verbatim_and_checksummed():
    lines = [s for s in C.RECORD.read_text().splitlines() if s[:2] in ("1 ", "2 ")]
    assert len(lines) == 2 * len(C.load_record()) >= 36
    assert all(checksum_ok(s) and s[2:7] == "25544" for s in lines)
    # every set has its source recorded on a comment line just before its name line
    text = C.RECORD.read_text().splitlines()
    names = [i for i, s in enumerate(text) if s.startswith("ISS (ZARYA)")]
    assert all(text[i - 1].startswith("# source:") or text[i - 2].startswith("# source:") for i in names)


def test_windows_have_sources_and_increasing_epochs():
    tles = C.load_record()
    for w in C.load_windows():
        assert w.start in tles and w.end in tles and w.start < w.end
        assert "(" in w.before and "(" in w.after          # every bracketing manoeuvre with its source


@pytest.fixture(scope="module")
def rerun():
    model = calibration_model()
    return C.calibrate(lambda: docked_flight_body(model), sw.activity("observed"))


def test_calibration_reproduces_stored_figures(rerun):
    results, cal = rerun
    stored = {w["id"]: w for w in C.stored_windows()}
    assert len(stored) == len(results)
    for r in results:
        s = stored[r.window.id]
        assert r.days == pytest.approx(s["days"], abs=1e-4)
        assert r.observed_m_per_day == pytest.approx(s["observed_m_per_day"], abs=1e-3)
        # the same computation: equal up to the 4 decimals written (round-off across machines)
        assert r.simulated_m_per_day == pytest.approx(s["simulated_m_per_day"], abs=2e-3)
    saved = C.load_calibration()
    assert cal.scale == pytest.approx(saved.scale, rel=1e-4)
    assert cal.scatter_log == pytest.approx(saved.scatter_log, rel=1e-3)


def test_fit_is_geometric_mean_of_ratios(rerun):
    results, cal = rerun
    ratios = np.array([r.observed_m_per_day / r.simulated_m_per_day for r in results])
    assert cal.scale == pytest.approx(float(np.exp(np.log(ratios).mean())), rel=1e-12)
    assert cal.low < cal.scale < cal.high


def test_calibrate_dry_run_prints_windows(capsys):
    assert main.main(["calibrate", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("2022-") >= 20 and "Fit: effective drag scale" in out and "Scatter:" in out
