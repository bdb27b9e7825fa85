"""Field-standard files written from (and read into) the project's data: CCSDS OEM/AEM/OPM
(formats.ccsds), CZML for Cesium (formats.czml), an animated glTF of the separation
(formats.gltf_anim). Conventions and worked examples: docs/formats.md.

Layering: formats/ reads Trajectory objects and station scenes; it never imports Panda3D or render/.
"""
from __future__ import annotations

from pathlib import Path


class FormatError(ValueError):
    """A bad input or output file: one line 'FILE: key: problem'; main.py prints it and exits 2."""

    is_user_error = True

    def __init__(self, source, key: str, problem: str):
        super().__init__(f"{source}: {key}: {problem}" if key else f"{source}: {problem}")


def write_text_atomically(path, text: str | bytes, option: str = "") -> Path:
    """Write atomically (fileio.write_bytes); an OSError becomes a FormatError and leaves no temporary."""
    from fileio import write_bytes
    path = Path(path)
    try:
        write_bytes(path, text.encode("utf-8") if isinstance(text, str) else text)
    except OSError as exc:
        raise FormatError(option or path, str(path) if option else "", f"cannot write ({exc.strerror or exc})") from None
    return path


def body_stop_index(traj, i: int) -> int:
    """Index of body i's last meaningful sample: its reentry sample, else the last one (a re-entered
    body is held in place in later samples, which no ephemeris should show as an orbit)."""
    import numpy as np
    name = traj.body_names[i]
    t_re = [e.t_s for e in traj.events if e.kind == "reentry" and e.subject == name]
    if not t_re:
        return len(traj.t_s) - 1
    return int(min(np.searchsorted(traj.t_s, min(t_re)), len(traj.t_s) - 1))
