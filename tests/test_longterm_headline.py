"""The honest headline (scenario/longterm/headline.py): `simulate decay-no-reboost` prints per segment
the reentry dates for each attitude mode with the calibration range, in hindsight and as forecast in
Dec 2021; the dates it prints are the long-run trajectory's own reentry events; the forecast file
matches its cited source."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

import main
import scenario
from physics import spaceweather as sw
from scenario.longterm.io import load_long_run

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "solar_activity_and_decay.md"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("hl") / "run.npz"
    import io
    from contextlib import redirect_stdout
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main.main(["simulate", "decay-no-reboost", "--quiet", "--out", str(out)]) == 0
    return buf.getvalue(), load_long_run(out)


def test_headline_rows_for_every_mode(printed):
    text, _ = printed
    assert "(a) hindsight" in text and "(b) as forecast in Dec 2021" in text
    for seg, modes in (("USOS", ("flight (scenario)", "edge-on", "tumbling")), ("ROS", ("flight (scenario)", "tumbling"))):
        block = text[text.index(f"\n{seg}:\n"):]
        for m in modes:
            assert re.search(rf"\n  {re.escape(m)}\s+\(a\) \d{{4}}-\d\d-\d\d \[", block), (seg, m)
    assert "constant design bound" in text                       # ECSS levels only as labelled bounds


def test_headline_dates_are_the_trajectorys_reentry_events(printed):
    text, lr = printed
    traj = scenario.long_term_trajectory(lr.main, dt_s=3600.0)
    for seg in ("USOS", "ROS"):
        ev = next(e for e in traj.events if e.kind == "reentry" and e.subject == seg)
        date = str(np.datetime64(traj.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(round(ev.t_s)), "s"))[:10]
        block = text[text.index(f"\n{seg}:\n"):]
        m = re.search(r"flight \(scenario\)\s+\(a\) (\d{4}-\d\d-\d\d) \[(\S+) \.\. (\S+)\]", block)
        assert m and m.group(1) == date
        assert m.group(2) <= date <= m.group(3)                  # the calibration range brackets it


def test_forecast_file_matches_its_source():
    rows = sw.forecast_table()
    by = {r["month"]: r for r in rows}
    # NOAA SWPC predicted-solar-cycle.json of Dec 2021 (reference 5.1/5.4): peak July 2025
    assert [float(by["2025-07"][k]) for k in ("f107_predicted", "f107_high", "f107_low")] == [135.4, 144.4, 126.4]
    assert [float(by["2025-07"][k]) for k in ("ssn_predicted", "ssn_high", "ssn_low")] == [114.6, 124.6, 104.6]
    assert float(by["2022-03"]["f107_predicted"]) == 85.8 and len(rows) == 139
    if REF.is_file():                                            # every row against the cited table
        sec = REF.read_text()
        sec = sec[sec.index("### 5.4"):sec.index("## 6.")]
        ref = [[c.strip() for c in ln.strip("|").split("|")] for ln in sec.splitlines() if ln.startswith("| 20")]
        assert [[r[k] for k in ("month", "ssn_predicted", "ssn_high", "ssn_low", "f107_predicted", "f107_high",
                                "f107_low")] for r in rows] == ref
    # the activity models read it: the band's edges around the curve
    t = np.array(["2024-06-15T00:00"], dtype="datetime64[ms]")
    lo, mid, hi = (sw.activity(n).indices(t)[0][0] for n in ("forecast-2022-low", "forecast-2022", "forecast-2022-high"))
    assert lo < mid < hi and mid == pytest.approx(128.0, abs=0.3)
