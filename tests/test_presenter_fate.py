"""One key table for the app and the presenter; the lesson's last chapter, "Would the US segment fall?",
states the long run's reentry dates exactly as `simulate` prints them."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from render import keys
from render.presenter import Presenter, chapters_for, with_answer

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_app_and_presenter_share_one_key_table():
    from render.app import App
    bound = [k for b in keys.BINDINGS for k in b.keys]
    assert len(bound) == len(set(bound))                # a key means one thing, in both tools
    for b in keys.BINDINGS:
        if b.app:
            assert callable(getattr(App, f"key_{b.action}"))
        if b.presenter:
            assert callable(getattr(Presenter, f"_{b.action}"))
    app = {k: a for ks, a, _ in keys.KEYS for k in ks}
    pres = keys.presenter_actions()
    for k in set(app) & set(pres):
        assert app[k] == pres[k]
    # the keys the issue found different now do the same in both
    for k, action in (("space", "play"), ("r", "reverse"), ("page_down", "next_chapter"), ("c", "clean"),
                      ("home", "to_start"), ("escape", "quit"), ("h", "help")):
        assert app[k] == pres[k] == action
    assert pres["b"] == pres["."] == "black"


def test_help_overlays_and_docs_show_the_table():
    for tool in ("app", "presenter"):
        k, t = keys.help_columns(tool)
        assert len(k) == len(t) and all(t)
    assert "Space" in keys.help_columns("presenter")[0][0]
    guide = (DOCS / "teachers-guide.md").read_text(encoding="utf-8")
    assert keys.markdown_table() in guide               # the docs' table is the code's table


@pytest.fixture(scope="module")
def long_run():
    """decay-no-reboost shortened (5-min 6-DOF part, 250 days at high activity: the US segment, in flight
    attitude with the calibrated drag, comes down on day ~217), as tests/test_longterm_scenarios.py does."""
    import scenario
    from test_longterm_scenarios import shortened
    return scenario.run_long(shortened("decay-no-reboost", until_reentry=False, duration_days=250.0,
                                       activity="high", spread=False))


def test_last_chapter_dates_are_the_long_run_summary_dates(long_run):
    from render.fate import answer_from, caption, pretty_date
    from scenario.longterm.summary import summary_lines
    from test_captions import SyntheticTrajectory

    ans = answer_from(long_run)
    summary = "\n".join(summary_lines(long_run))     # what `simulate` prints
    assert ans.reentry_when["USOS"] is not None
    for name in ans.names:
        stamp = ans.reentry_when[name]
        if stamp is not None:
            line = next(x for x in summary.splitlines() if x.strip().startswith("reentry (") and stamp in x)
            assert line                                          # the same date and minute as simulate's headline
    traj = SyntheticTrajectory()
    last = with_answer(chapters_for(traj), traj, ans)[-1]
    assert last.title == "Would the US segment fall?" and last.fate
    assert pretty_date(ans.reentry_when["USOS"]) in last.caption and last.caption == caption(ans)
    assert "US segment falls on" in last.caption and "with no reboosts" in last.caption
    text = " ".join(ans.assumptions)
    assert "tumbling" in text or "flight" in text            # attitude stated
    assert "Solar activity" in text and long_run.main.activity_label in text


def test_fate_panel_is_an_image_with_both_segments(long_run):
    from render.fate import answer_from
    from render.fate_panel import COLOURS, panel_rgba
    img = panel_rgba(answer_from(long_run), (600, 350))
    assert img.shape == (350, 600, 4) and img[..., 3].min() > 0
    for rgb in COLOURS.values():                     # each segment's curve is drawn in its colour
        near = np.abs(img[..., :3].astype(int) - np.array(rgb) * 255).max(-1) < 40
        assert near.sum() > 50


def test_the_last_chapter_does_not_compute_the_headline_grid(monkeypatch, long_run):
    """The panel shows the main run; the per-mode headline table (minutes of NRLMSIS) is `simulate`'s."""
    import scenario
    from render import fate
    seen = {}

    def fake_run_long(sc, progress=None, **kw):
        seen.update(kw)
        return long_run
    monkeypatch.setattr(scenario, "run_long", fake_run_long)
    ans = fate.long_run_answer("decay-no-reboost")
    assert seen.get("headline") is False and ans.reentry_when["USOS"] is not None
    text = " ".join(ans.assumptions)
    assert "Progress resupply" in text and "No reboosts" in text     # how long the Russian attitude holds
