"""The lesson's last chapter, "Would the US segment fall?": the long-run answer (pure Python, no Panda3D).

The numbers come from the project's long-run propagator through the same calls that `simulate
decay-no-reboost` prints its headline with (scenario.run_long, then scenario/longterm/summary.py's
`when` and `spread_text` on its result), so the presenter and `simulate` cannot disagree; the
propagator's own improvements (attitude, drag, solar-activity forecast) flow in unchanged. A lesson
whose scenario has its own [long_term] table answers from it; the others (the default clip-2022)
answer from the bundled decay-no-reboost run: both segments left alone after a split on 5 March 2022.

A year of decay takes about a second, the whole run with its solar-activity spread some seconds:
``FateJob`` computes it on a worker thread while the presenter shows the first chapters.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from render.fate_panel import panel_rgba, pretty_date
from render.timeline import SEGMENT_NAMES

FATE_SCENARIO = "decay-no-reboost"
FATE_TITLE = "Would the US segment fall?"
from physics.constants import SECONDS_PER_DAY as DAY_S  # noqa: E402
PLAIN = SEGMENT_NAMES          # "Russian segment", "US segment"


@dataclass(frozen=True)
class FateAnswer:
    """What the last chapter states and plots (all from one scenario.longterm.run.LongRun)."""
    scenario: str
    epoch_utc: str
    names: tuple[str, ...]
    t_days: np.ndarray                 # (K,) days since the long run's epoch (the split)
    alt_km: np.ndarray                 # (K,n) mean altitude a - R_eq, the orbit average (NaN once down)
    reentry_day: dict                  # {name: days after the split, or None (still up at the end)}
    reentry_when: dict                 # {name: the summary's "2023-06-04 10:24 UTC", or None}
    end_day: float
    reentry_alt_km: float
    assumptions: tuple[str, ...]       # attitude, solar activity, reboosts, the spread of dates
    ensemble: dict | None = None       # the bundled ensemble's date percentiles (ensemble_spread), or None


def fate_scenario(name_or_path):
    """The scenario whose long run answers the question: the lesson's own if it has [long_term]."""
    import scenario
    sc = scenario.load(name_or_path)
    return sc if sc.long_term is not None else scenario.load(FATE_SCENARIO)


def long_run_answer(sc, progress=None) -> FateAnswer:
    """Run the scenario's long run (scenario.run_long: what `simulate` runs) and read the answer off it."""
    import scenario
    # headline=False: the per-mode date table `simulate` adds is not on the panel (its grid costs minutes);
    # the main run is the same, so the dates are the ones `simulate` prints first for each segment
    return answer_from(scenario.run_long(sc, progress=progress, headline=False))


def answer_from(lr) -> FateAnswer:
    from scenario.longterm.summary import when
    res = lr.main
    names = tuple(res.body_names)
    day, stamp = {}, {}
    for n in names:
        ev = res.reentry(n)
        day[n] = None if ev is None else float(ev.t_s) / DAY_S
        stamp[n] = None if ev is None else when(res, float(ev.t_s))
    return FateAnswer(lr.scenario, res.epoch_utc, names, np.asarray(res.t_s, float) / DAY_S,
                      np.asarray(res.alt_km, float), day, stamp, float(res.t_s[-1]) / DAY_S,
                      float(getattr(lr, "reentry_alt_km", 120.0)), assumptions(lr),
                      ensemble_spread(lr.scenario, res.epoch_utc))


# The spread of the dates: `python main.py ensemble decay-ensemble --members 1000 --summary THIS` (the same
# split, attitude and observed activity as decay-no-reboost; members: the drag scale across the calibration's
# scatter; docs/ensemble.md)
ENSEMBLE_SUMMARY = {"decay-no-reboost": "decay-ensemble.json"}


def ensemble_spread(scenario_name: str, epoch_utc: str) -> dict | None:
    """{segment: ((5 %, 50 %, 95 % ISO dates), (after the run's end? per date))} and 'members', 'scenario'
    from the bundled ensemble summary of this scenario's split, or None (none for it, or another split epoch)."""
    import json
    from pathlib import Path
    name = ENSEMBLE_SUMMARY.get(scenario_name)
    path = Path(__file__).resolve().parents[1] / "assets" / "ensembles" / (name or "")
    if name is None or not path.is_file():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    if d.get("epoch_utc", "")[:16] != epoch_utc[:16]:
        return None
    out = {seg: (tuple(v["dates"]), tuple(v["after_end"])) for seg, v in d["segments"].items() if v["dates"]}
    return {"members": int(d["members"]), "scenario": d["scenario"], "varied": d.get("varied") or "its inputs",
            **out} if out else None


def assumptions(lr) -> tuple[str, ...]:
    """What the dates rest on, in words: attitude, solar activity, reboosts, and how far the dates move
    with a calmer or a more active Sun (the run's own spread, as `simulate` prints it)."""
    from scenario.attitude_text import held_by
    from scenario.longterm.summary import spread_text
    res = lr.main
    att = {"flight": "held in flight attitude", "tumbling": "tumbling", "edge-on": "arrays edge-on"}
    # what holds each: scenario.attitude_text's words (the lesson's HUD says the same)
    how = {"ROS": f" {held_by('ROS')}, with Progress resupply", "USOS": f" {held_by('USOS')}, arrays on the Sun"}

    def mode(n):
        m = (lr.bodies.get(n) or {}).get("attitude", "?")
        return att.get(m, m) + (how.get(n, "") if m == "flight" else "")
    burns = [e for e in res.events if e.kind == "burn"]
    out = [f"{PLAIN.get(n, n)}: {mode(n)}" for n in res.body_names]
    out += ["No reboosts" if not burns else f"{len(burns)} reboosts",
            f"Solar activity: {res.activity_label}",
            f"Re-entry: when the orbit first dips to {getattr(lr, 'reentry_alt_km', 120.0):g} km"]
    scale = (lr.bodies.get("USOS") or {}).get("drag_scale")
    if scale is not None and scale != 1.0:
        out.append(f"Drag: model x {scale:.3g}, fitted to the 2022 orbit record (its range moves dates by months to years)")
    if lr.spread and "USOS" in res.body_names:
        out.append(f"ECSS design bounds, not a forecast: US segment {spread_text(lr.spread, 'USOS')}")
    return tuple(out)


def caption(ans: FateAnswer) -> str:
    """The chapter's caption: each segment's reentry date, the US segment first (it is the question)."""
    parts = []
    for n in sorted(ans.names, key=lambda x: x != "USOS"):
        when = ans.reentry_when[n]
        verb = "falls on " + pretty_date(when) if when is not None else f"is still up after {ans.end_day:.0f} days"
        parts.append(f"the {PLAIN.get(n, n)} {verb}" if not parts else f"the {PLAIN.get(n, n)} {verb.replace('falls on ', 'on ')}")
    head = "Yes: with no reboosts, " if ans.reentry_when.get("USOS") is not None else "Not within this run: "
    return head + ", ".join(parts)


class FateJob:
    """The long-run answer (and its panel image) computed on a worker thread.
    `answer`, `panel` are None until done; `error` holds a one-line message if it failed."""

    def __init__(self, sc, panel_px: tuple[int, int] | None = (1200, 700)):
        self.sc, self.panel_px = sc, panel_px
        self.answer: FateAnswer | None = None
        self.panel: np.ndarray | None = None
        self.error: str | None = None
        self.progress = 0.0
        self._thread = threading.Thread(target=self._run, name="long-run answer", daemon=True)

    def start(self) -> "FateJob":
        self._thread.start()
        return self

    def done(self) -> bool:
        return self.answer is not None or self.error is not None

    def wait(self, timeout_s: float | None = None) -> bool:
        self._thread.join(timeout_s)
        return self.done()

    def _run(self) -> None:
        try:
            ans = long_run_answer(self.sc, progress=lambda f: setattr(self, "progress", float(f)))
            if self.panel_px is not None:
                self.panel = panel_rgba(ans, self.panel_px)
            self.answer = ans
        except Exception as exc:       # shown on the chapter instead of the answer (one line)
            self.error = f"long run failed: {exc}".splitlines()[0]
