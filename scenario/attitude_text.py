"""Which attitude each segment flies, in words: the one wording the HUD, the video, the presenter, `simulate`
and the long run's panel (render/fate.py) show. Read from the trajectory's metadata (`attitude`: each
body's mode, physics.simulate), never typed per scenario. Pure Python, no Panda3D.

"held": the body's own control keeps +XVV (lvlh_hold): the US segment on its four gyroscopes (CMGs), the
Russian segment on Zvezda's thrusters, an ASSUMPTION (assets/scenarios/clip-2022.toml, docs/scenarios.md).
"""
from __future__ import annotations

SEGMENT = {"USOS": "US", "ROS": "Russian"}
HELD_BY = {"USOS": "gyroscopes (CMGs)", "ROS": "thrusters (assumed)"}    # what holds each segment's attitude
NO_CONTROL = "no attitude control"


HELD_MODES = ("lvlh_hold", "flight", "edge-on")     # the 6-DOF hold; the long run's held modes (scenario/longterm)


def segment_order(names) -> list[str]:
    """The order every per-segment list on screen uses: the US segment first (the question is about it),
    then the others as the run lists them."""
    return sorted(names, key=lambda x: x != "USOS")


def modes(traj) -> dict[str, str]:
    """{body: "lvlh_hold" | "free"} for the run's bodies, US segment first (the question is about it). The
    6-DOF metadata holds {"mode": ...} per body, a long run's its [long_term] mode ("tumbling": free)."""
    meta = (getattr(traj, "metadata", None) or {}).get("attitude") or {}
    out = {}
    for n in segment_order(traj.body_names):
        m = meta.get(n)
        m = m.get("mode") if isinstance(m, dict) else m
        out[n] = "lvlh_hold" if m in HELD_MODES else "free"
    return out


def held_by(name: str) -> str:
    """'by gyroscopes (CMGs)' for a held segment ('held' alone for a body the model has no means for)."""
    return f"by {HELD_BY[name]}" if name in HELD_BY else ""


def attitude_lines(traj) -> tuple[str, ...]:
    """One short line per body, US first: 'US: attitude held by gyroscopes (CMGs)', 'Russian: no attitude
    control' (HUDs: each fits the top-left text zone at 22 px)."""
    out = []
    for n, mode in modes(traj).items():
        words = f"attitude held {held_by(n)}".strip() if mode == "lvlh_hold" else NO_CONTROL
        out.append(f"{SEGMENT.get(n, n)}: {words}")
    return tuple(out)


def attitude_line(traj) -> str:
    """All bodies in one line: 'Attitude held: US by gyroscopes (CMGs), Russian by thrusters (assumed)',
    'No attitude control: both segments turn freely', or the per-body lines joined by '; ' when mixed."""
    m = modes(traj)
    if all(v == "lvlh_hold" for v in m.values()):
        return "Attitude held: " + ", ".join(f"{SEGMENT.get(n, n)} {held_by(n)}".strip() for n in m)
    if all(v != "lvlh_hold" for v in m.values()):
        who = "both segments turn freely" if len(m) == 2 else "it turns freely"
        return f"{NO_CONTROL[:1].upper()}{NO_CONTROL[1:]}: {who}"
    return "; ".join(attitude_lines(traj))


def all_held(traj) -> bool:
    """True when every body's own control holds its attitude (nothing turns relative to its horizon)."""
    return all(v == "lvlh_hold" for v in modes(traj).values())
