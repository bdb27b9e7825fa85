"""The key map of the app and the presenter: one table that binds the keys in both and writes both help
overlays and the table in the docs (so they cannot drift apart).

Each row is one action with its keys and what it does in the app and in the presenter ("" = not there).
A key means the same thing wherever it is bound: Space plays and pauses, R reverses, PageDown/N/Right
go to the next chapter (presentation clickers send PageDown/PageUp, some send arrows), B or "." blacks
the screen (PowerPoint's keys, which clickers' "blank" buttons send). The app's actions are App methods
`key_<action>`; the presenter's are handled by render/presenter.Presenter.handle_key.
"""
from __future__ import annotations

from dataclasses import dataclass

from render.cameras import CAMERAS


@dataclass(frozen=True)
class Binding:
    keys: tuple[str, ...]     # Panda3D event names
    action: str
    app: str = ""             # what it does in the app ("": not bound there)
    presenter: str = ""       # what it does in the presenter ("": not bound there)


BINDINGS = (
    Binding(("space",), "play", "play / pause", "play / pause the chapter"),
    Binding(("r",), "reverse", "reverse playback direction", "play the chapter backwards / forwards"),
    Binding(("page_down", "n", "arrow_right", "arrow_down", "enter"), "next_chapter",
            "next chapter (the marks under the slider)", "next chapter"),
    Binding(("page_up", "p", "arrow_left", "arrow_up", "backspace"), "prev_chapter",
            "previous chapter (or the start of this one)", "start of this chapter, then the previous one"),
    Binding(("home",), "to_start", "go to the start", "first chapter"),
    Binding(("end",), "to_end", "go to the end", "last chapter"),
    Binding(("]", "+", "="), "faster", "faster (time warp 1x ... 50000x, then 1 ... 23 days/s)"),
    Binding(("[", "-"), "slower", "slower"),
    Binding(("shift-arrow_right",), "step_fwd", "step forward (pauses)"),
    Binding(("shift-arrow_left",), "step_back", "step back (pauses)"),
    *(Binding((c.key,), f"cam_{c.name}", c.description) for c in CAMERAS),   # the camera registry
    Binding(("l",), "labels", "labels: segments / segments and modules / none"),
    Binding(("t",), "trail", "relative trail of the Russian segment on / off"),
    Binding(("m",), "tint", "mark the Russian segment in orange on / off"),
    Binding(("i",), "technical", "technical HUD: port gap, centre-to-centre range, spins rel. LVLH, loads"),
    Binding(("c",), "clean", "clean view: no text, labels or trail", "clean view: no text, labels or trail"),
    Binding(("b", "."), "black", "", "black screen: all text hidden, time stops"),
    Binding(("s", "f12"), "screenshot", "screenshot to a PNG in the current folder"),
    Binding(("f11",), "fullscreen", "fullscreen on / off"),
    Binding(("h", "f1"), "help", "this help", "this help"),
    Binding(("escape", "q"), "quit", "quit", "quit"),
)
MOUSE_HELP = "left-drag turns the orbit camera, wheel zooms, slider scrubs"

# (events, action, help text) of the app: what render/app.py binds (App.key_<action>)
KEYS = tuple((b.keys, b.action, b.app) for b in BINDINGS if b.app)


def presenter_actions() -> dict[str, str]:
    """{Panda3D event: action} for the presenter."""
    return {k: b.action for b in BINDINGS if b.presenter for k in b.keys}


def help_columns(tool: str = "app") -> tuple[list[str], list[str]]:
    """Keys and descriptions as two columns (a proportional font cannot align one string)."""
    rows = [(b.keys, getattr(b, tool)) for b in BINDINGS if getattr(b, tool)]
    keys = [" / ".join(_pretty(k) for k in ks) for ks, _ in rows]
    texts = [t for _, t in rows]
    if tool == "app":
        keys, texts = keys + ["mouse"], texts + [MOUSE_HELP]
    return keys, texts


def markdown_table() -> str:
    """The docs' key table (docs/teachers-guide.md, docs/render.md): key | app | presenter."""
    lines = ["| key | app | presenter |", "|---|---|---|"]
    for b in BINDINGS:
        keys = ", ".join(_pretty(k) for k in b.keys)
        lines.append(f"| {keys} | {b.app or '-'} | {b.presenter or '-'} |")
    return "\n".join(lines)


def _pretty(key: str) -> str:
    if key.startswith("shift-"):
        return "Shift+" + _pretty(key[len("shift-"):])
    return {"arrow_right": "Right", "arrow_left": "Left", "arrow_up": "Up", "arrow_down": "Down",
            "page_down": "PgDn", "page_up": "PgUp", "space": "Space", "escape": "Esc", "home": "Home",
            "end": "End", "enter": "Enter", "backspace": "Backspace"}.get(key, key.upper())
