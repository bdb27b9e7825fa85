"""Which attitude each segment flies, in words (scenario/attitude_text.py): read from the trajectory's
metadata, one wording for the HUDs, the presenter, `simulate` and the long run's panel."""
from __future__ import annotations

from types import SimpleNamespace

from scenario.attitude_text import all_held, attitude_line, attitude_lines, held_by


def traj(ros, usos, names=("ROS", "USOS")):
    meta = {"attitude": {"ROS": ros, "USOS": usos}}
    return SimpleNamespace(body_names=list(names), metadata=meta)


def six_dof(mode):
    return {"mode": mode, "q_lvlh_from_body": [1.0, 0.0, 0.0, 0.0]}


def test_held_segments_say_what_holds_them_us_first():
    t = traj(six_dof("lvlh_hold"), six_dof("lvlh_hold"))
    assert attitude_lines(t) == ("US: attitude held by gyroscopes (CMGs)", "Russian: attitude held by thrusters (assumed)")
    assert attitude_line(t) == "Attitude held: US by gyroscopes (CMGs), Russian by thrusters (assumed)"
    assert all_held(t)


def test_free_segments_say_no_attitude_control():
    t = traj(six_dof("free"), six_dof("free"))
    assert attitude_lines(t) == ("US: no attitude control", "Russian: no attitude control")
    assert attitude_line(t) == "No attitude control: both segments turn freely" and not all_held(t)
    mixed = traj(six_dof("free"), six_dof("lvlh_hold"))
    assert attitude_line(mixed) == "US: attitude held by gyroscopes (CMGs); Russian: no attitude control"


def test_long_run_modes_and_missing_metadata():
    assert attitude_lines(traj("flight", "tumbling")) == ("US: no attitude control",
                                                         "Russian: attitude held by thrusters (assumed)")
    bare = SimpleNamespace(body_names=["a", "b"], metadata={})
    assert attitude_line(bare) == "No attitude control: both segments turn freely"
    assert held_by("a") == "" and attitude_lines(traj(six_dof("lvlh_hold"), None, ("a",)))[0] == "a: no attitude control"


def test_the_lesson_flies_both_segments_held():
    import scenario
    sc = scenario.load("clip-2022")
    assert sc.attitude == {"ROS": "lvlh_hold", "USOS": "lvlh_hold"}
    assert scenario.load("clip-2022-ensemble").attitude == sc.attitude


def test_huds_carry_the_lines_after_the_hooks_open_only():
    """The app's HUD (render.telemetry.hud_lines) and the video's (render.burnin.Hud) show the same lines."""
    from fakes import DemoTrajectory
    from render.burnin import Hud
    from render.telemetry import hud_lines, telemetry
    t = DemoTrajectory()
    t.metadata["attitude"] = {"ROS": six_dof("lvlh_hold"), "USOS": six_dof("lvlh_hold")}
    t_rel = next(float(e.t_s) for e in t.events if e.kind == "release")
    lines = attitude_lines(t)
    for at, shown in ((t_rel - 5.0, False), (t_rel + 5.0, True)):
        for hud in (hud_lines(telemetry(t, at)), Hud(t).lines(at)):
            assert all((ln in hud) == shown for ln in lines), (at, hud)
