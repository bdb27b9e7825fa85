"""A short separation scenario for the ensemble tests: the clip's release, 15 min of drift, 10-s samples."""
from __future__ import annotations

from pathlib import Path

CLIP = Path(__file__).resolve().parents[1] / "assets" / "scenarios" / "clip-2022.toml"


def short_clip(tmp_path, ensemble: str = "", name: str = "short-clip") -> Path:
    text = CLIP.read_text().replace("duration_s = 11280.0", "duration_s = 960.0")
    path = Path(tmp_path) / f"{name}.toml"
    path.write_text(text + "\n[ensemble]\nmembers = 6\nseed = 7\nmembers_per_task = 1\n" + ensemble)
    return path
