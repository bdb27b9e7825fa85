"""The app's key map: one table that both binds the keys and writes the help overlay (so they cannot drift)."""
from __future__ import annotations

# (Panda3D event names, action name, help text). Actions are App methods `key_<action>`.
KEYS = (
    (("space",), "play", "play / pause"),
    (("r",), "reverse", "reverse playback direction"),
    (("]", "+", "="), "faster", "faster (time warp 1x ... 50000x, then 1 ... 23 days/s)"),
    (("[", "-"), "slower", "slower"),
    (("arrow_right", "."), "step_fwd", "step forward (pauses)"),
    (("arrow_left", ","), "step_back", "step back (pauses)"),
    (("n", "page_down"), "next_chapter", "next chapter (docked, hooks open, end of push, 1 min, 1 orbit, end)"),
    (("p", "page_up"), "prev_chapter", "previous chapter"),
    (("home",), "to_start", "go to the start"),
    (("end",), "to_end", "go to the end"),
    (("1",), "cam_orbit", "camera: orbit (drag with the left mouse button, wheel zooms)"),
    (("2",), "cam_chase", "camera: chase the Russian segment"),
    (("3",), "cam_from_us", "camera: from the US segment, looking at the Russian one"),
    (("4",), "cam_wide", "camera: wide view, fixed in LVLH"),
    (("5",), "cam_far", "camera: far view, Earth and both ground tracks"),
    (("l",), "labels", "labels: segments / segments and modules / none"),
    (("t",), "trail", "relative trail of the Russian segment on / off"),
    (("c",), "clean", "clean view for presenting (hides all text)"),
    (("i",), "technical", "technical HUD: port gap, centre-to-centre range, spins rel. LVLH, loads"),
    (("s", "f12"), "screenshot", "screenshot to a PNG in the current folder"),
    (("f11",), "fullscreen", "fullscreen on / off"),
    (("h", "f1"), "help", "this help"),
    (("escape", "q"), "quit", "quit"),
)


def help_lines() -> list[str]:
    """'key(s)   what it does' for every binding, plus the mouse."""
    lines = [f"{' / '.join(_pretty(k) for k in keys):<16} {text}" for keys, _, text in KEYS]
    return lines + [f"{'mouse':<16} left-drag turns the orbit camera, wheel zooms, slider scrubs"]


def help_columns() -> tuple[list[str], list[str]]:
    """Keys and descriptions as two columns (a proportional font cannot align one string)."""
    keys = [" / ".join(_pretty(k) for k in ks) for ks, _, _ in KEYS] + ["mouse"]
    texts = [t for _, _, t in KEYS] + ["left-drag turns the orbit camera, wheel zooms, slider scrubs"]
    return keys, texts


def _pretty(key: str) -> str:
    return {"arrow_right": "Right", "arrow_left": "Left", "page_down": "PgDn", "page_up": "PgUp",
            "space": "Space", "escape": "Esc", "home": "Home", "end": "End"}.get(key, key.upper())
