"""Long-run results on disk: one .npz per `simulate --out` of a [long_term] scenario.

Format "iss-undock-longterm" version 1 (docs/decay.md, "Files"): a JSON header in the array
`header` (uint8 UTF-8 text) and, for run k (header["runs"][k] gives its label), float64 arrays
`r{k}.t_s`, `r{k}.alt_km`, ... (the LongTermResult fields) and `r{k}.propellant_kg` (K, vehicles).
Loading never unpickles (allow_pickle=False). Written atomically (fileio.atomic_file / atomic_folder).
"""
from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from fileio import atomic_file, atomic_folder, write_text

FORMAT = "iss-undock-longterm"
VERSION = 1
FIELDS = ("t_s", "alt_km", "min_alt_km", "a_m", "e", "i_deg", "raan_deg", "mass_kg", "decay_m_per_day", "elements")


def save_long_run(lr, path) -> Path:
    """Write a scenario.longterm.run.LongRun to `path` (.npz). No wall-clock field: identical runs
    give identical bytes (the timings are printed by `simulate`, not stored)."""
    path = Path(path)
    runs = lr.results()
    header = {"format": FORMAT, "version": VERSION, "scenario": lr.scenario, "title": lr.title,
              "start": lr.start, "check": lr.check, "bodies": lr.bodies,
              "metadata": lr.metadata, "reentry_alt_km": lr.reentry_alt_km, "runs": []}
    arrays = {}
    for k, (label, res) in enumerate(runs.items()):
        vehicles = sorted(res.propellant_kg)
        header["runs"].append({"label": label, "epoch_utc": res.epoch_utc, "body_names": list(res.body_names),
                               "activity_label": res.activity_label, "vehicles": vehicles,
                               "attitudes": list(res.attitudes),
                               "events": [e.to_json() for e in res.events]})
        for f in FIELDS:
            arrays[f"r{k}.{f}"] = np.asarray(getattr(res, f), dtype=np.float64)
        arrays[f"r{k}.propellant_kg"] = np.array([res.propellant_kg[v] for v in vehicles], dtype=np.float64).T.reshape(len(res.t_s), len(vehicles))
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    with atomic_file(path) as fh:
        np.savez_compressed(fh, **arrays)
    return path


# What a damaged or foreign .npz raises on reading: a truncated zip (BadZipFile, EOFError, zlib.error),
# a missing array (KeyError), bad JSON or dtype (ValueError), a header of the wrong shape (TypeError,
# AttributeError).
_BAD_FILE = (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile, zlib.error)


def is_long_run_file(path) -> bool:
    try:
        with np.load(path, allow_pickle=False) as z:
            return "header" in z.files and json.loads(z["header"].tobytes().decode("utf-8")).get("format") == FORMAT
    except _BAD_FILE:
        return False        # not ours (or damaged): the trajectory loader then says why in one line


def load_long_run(path):
    """Read a file written by save_long_run -> scenario.longterm.run.LongRun (results are LongTermResult)."""
    from fileio import InputFileError, check_npz_members
    from scenario.errors import ScenarioError
    try:
        check_npz_members(path)          # regular file; declared sizes within budget, before reading
    except InputFileError as exc:
        raise ScenarioError(str(path), "", "not a readable long-run file: " + str(exc).split(": ", 1)[-1]) from None
    try:
        with np.load(path, allow_pickle=False) as z:
            return _read_long_run(z, path)
    except ScenarioError:
        raise
    except _BAD_FILE as exc:
        raise ScenarioError(str(path), "", f"not a readable long-run file ({type(exc).__name__}: {exc})") from None


def _check_arrays(a: dict, prop, run: str, path) -> None:
    """Shapes agree with t_s; t_s finite and increasing; no infinities (NaN marks 'after reentry')."""
    from scenario.errors import ScenarioError
    t = a["t_s"]
    if t.ndim != 1 or len(t) == 0 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ScenarioError(str(path), f"{run}.t_s", "expected finite, strictly increasing times")
    for name, arr in list(a.items()) + [("propellant_kg", prop)]:
        if arr.dtype.kind != "f" or arr.ndim == 0 or arr.shape[0] != len(t):
            raise ScenarioError(str(path), f"{run}.{name}", f"expected {len(t)} float rows, got {arr.dtype} {arr.shape}")
        if np.any(np.isinf(arr)):
            raise ScenarioError(str(path), f"{run}.{name}", "holds infinite values")
    for name in ("alt_km", "a_m", "mass_kg"):
        if a[name].ndim != 2 or a[name].shape[1] != a["alt_km"].shape[1]:
            raise ScenarioError(str(path), f"{run}.{name}", f"expected (steps, bodies), got {a[name].shape}")


def _read_long_run(z, path):
    from physics.longterm.decay import LongTermResult
    from physics.trajectory import Event
    from scenario.errors import ScenarioError
    from scenario.longterm.run import LongRun
    header = json.loads(z["header"].tobytes().decode("utf-8"))
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ScenarioError(str(path), "header", f"not a {FORMAT} version {VERSION} file")
    results = {}
    for k, run in enumerate(header["runs"]):
        a = {f: z[f"r{k}.{f}"] for f in FIELDS}
        prop = z[f"r{k}.propellant_kg"]
        _check_arrays(a, prop, f"r{k}", path)
        events = tuple(Event(e["t_s"], e["kind"], e["subject"], e["data"]) for e in run["events"])
        results[run["label"]] = LongTermResult(
            run["epoch_utc"], tuple(run["body_names"]), run["activity_label"], a["t_s"], a["alt_km"],
            a["min_alt_km"], a["a_m"], a["e"], a["i_deg"], a["raan_deg"], a["mass_kg"], a["decay_m_per_day"],
            {v: prop[:, i] for i, v in enumerate(run["vehicles"])}, events, a["elements"],
            tuple(run.get("attitudes", ())))
    spread = {k[len("spread "):]: v for k, v in results.items() if k.startswith("spread ")}
    return LongRun(header["scenario"], header["title"], header["start"], results["main"], spread,
                   results.get("without reboosts"), header["check"], header["bodies"], {},
                   header.get("metadata", {}), float(header.get("reentry_alt_km", 120.0)))


def save_long_run_csv(lr, folder) -> Path:
    """CSV files of a LongRun for spreadsheets (`simulate --csv DIR` of a [long_term] scenario):
    one `RUN.csv` per run (main, without_reboosts, spread_low, ...) with one row per propagator step:
    t_days, date_utc and, per body, mean altitude a - R_eq (km), lowest altitude on the orbit (km),
    decay rate (m/day), mass (kg) (empty after reentry), then each vehicle's propellant (kg);
    `events.csv` (run, t_days, date_utc, kind, subject, data_json) and `summary.json` (the header of
    the .npz file). The set appears as a whole (fileio.atomic_folder)."""
    import csv
    import io
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with atomic_folder(folder) as tmp:
        _write_csv_set(lr, tmp)
    return folder


def _write_csv_set(lr, folder: Path) -> None:
    import csv
    import io
    events = io.StringIO()
    ev_rows = csv.writer(events, lineterminator="\n")
    ev_rows.writerow(["run", "t_days", "date_utc", "kind", "subject", "data_json"])
    for label, res in lr.results().items():
        name = label.replace(" ", "_")
        _write_text(folder / f"{name}.csv", _run_table(res))
        for e in res.events:
            ev_rows.writerow([name, f"{e.t_s / 86400.0:.6f}", _date(res, e.t_s), e.kind, e.subject, json.dumps(e.data)])
    _write_text(folder / "events.csv", events.getvalue())
    header = {"scenario": lr.scenario, "title": lr.title, "start": lr.start, "check": lr.check,
              "bodies": lr.bodies, "runs": {k.replace(" ", "_"): r.activity_label for k, r in lr.results().items()}}
    _write_text(folder / "summary.json", json.dumps(header, indent=1))


def _date(res, t_s: float) -> str:
    t = np.datetime64(res.epoch_utc.rstrip("Z"), "s") + np.timedelta64(int(round(t_s)), "s")
    return str(t) + "Z"


def _run_table(res) -> str:
    import csv
    import io
    text = io.StringIO()
    rows = csv.writer(text, lineterminator="\n")
    cols = ["t_days", "date_utc"]
    for n in res.body_names:
        cols += [f"{n}_alt_km", f"{n}_min_alt_km", f"{n}_decay_m_per_day", f"{n}_mass_kg"]
    vehicles = sorted(res.propellant_kg)
    rows.writerow(cols + [f"{v}_propellant_kg" for v in vehicles])
    cell = lambda x: "" if not np.isfinite(x) else repr(float(x))
    for k, t in enumerate(res.t_s):
        row = [f"{t / 86400.0:.6f}", _date(res, t)]
        for j in range(len(res.body_names)):
            row += [cell(res.alt_km[k, j]), cell(res.min_alt_km[k, j]), cell(res.decay_m_per_day[k, j]),
                    cell(res.mass_kg[k, j])]
        rows.writerow(row + [cell(res.propellant_kg[v][k]) for v in vehicles])
    return text.getvalue()


def _write_text(final: Path, text: str) -> None:
    write_text(final, text)
