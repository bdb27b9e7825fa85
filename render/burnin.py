"""Burned-in text for exported frames (HUD, captions, time-warp indicator), drawn with Pillow.

The offscreen renderer returns clean frames; text is added here on the numpy image so the video
export controls exactly what is in a frame. Font: DejaVu Sans from matplotlib's data (always
installed with matplotlib, identical on every machine, so frames stay deterministic). Sizes scale
with the frame height: at 1080p the caption is 54 px tall, readable from the back of a classroom.
"""
from __future__ import annotations

import math

from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from render.captions import first_event, fmt_speed
from render.timemap import warp_label

HUD_SCALE = 1 / 32  # font px per frame height
CAPTION_SCALE = 1 / 20
MARGIN_SCALE = 1 / 40


@lru_cache(maxsize=16)
def font(size_px: int, bold: bool = False):
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(f"{matplotlib.get_data_path()}/fonts/ttf/{name}", max(8, int(size_px)))


BRIGHTENED_NOTE = "eclipse: brightened"
BRIGHT_TARGET = 60.0   # mean of a brightened frame (of 255); the floor for a readable frame is 20
BRIGHT_MAX_GAIN = 40.0


def brighten(frame: np.ndarray) -> np.ndarray:
    """Lift a dark frame (station in shadow, night side below) so its mean reaches BRIGHT_TARGET:
    a gain, at most BRIGHT_MAX_GAIN, with a soft shoulder so the lit parts do not clip to white.
    Not physical light: the frame says 'eclipse: brightened' (record --eclipse brighten)."""
    x = frame.astype(np.float32) / 255.0
    gain = float(np.clip(BRIGHT_TARGET / 255.0 / max(float(x.mean()), 1e-4), 1.0, BRIGHT_MAX_GAIN))
    y = 1.0 - np.exp(-gain * x)                     # ~gain * x for dark pixels, saturates softly
    y *= 1.0 / (1.0 - np.exp(-gain))                # 1 stays 1
    return (np.clip(y, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _panel(draw, xy_box, alpha: int = 150) -> None:
    draw.rectangle(xy_box, fill=(0, 0, 0, alpha))


def draw_text_block(frame: np.ndarray, lines: list[str], where: str = "top_left", scale: float = HUD_SCALE,
                    bold: bool = False, opacity: float = 1.0) -> np.ndarray:
    """Lines of white text on a translucent dark panel; returns a new (h,w,3) uint8 frame.

    where: top_left | top_right | bottom_center. opacity fades the whole block (0..1).
    """
    from PIL import Image, ImageDraw

    lines = [line for line in lines if line]
    if not lines or opacity <= 0:
        return frame
    h, w = frame.shape[:2]
    f = font(round(h * scale), bold)
    lines = [part for line in lines for part in wrap(line, f, int(w * 0.86))]
    pad, margin = max(2, round(h * scale * 0.35)), round(h * MARGIN_SCALE)
    sizes = [f.getbbox(line) for line in lines]
    line_h = round(h * scale * 1.3)
    block_w = max(b[2] - b[0] for b in sizes) + 2 * pad
    block_h = line_h * len(lines) + 2 * pad
    x0 = {"top_left": margin, "top_right": w - margin - block_w}.get(where, (w - block_w) // 2)
    y0 = h - margin - block_h - round(h * 0.04) if where == "bottom_center" else margin
    # compose only inside the panel's box: a full-frame RGBA round trip costs ~60 ms at 1080p
    bx0, by0 = max(0, x0), max(0, y0)
    bx1, by1 = min(w, x0 + block_w + 1), min(h, y0 + block_h + 1)
    if bx1 <= bx0 or by1 <= by0:
        return frame
    overlay = Image.new("RGBA", (bx1 - bx0, by1 - by0), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    _panel(draw, (x0 - bx0, y0 - by0, x0 - bx0 + block_w, y0 - by0 + block_h), round(150 * opacity))
    for k, line in enumerate(lines):
        bx = sizes[k]
        x = x0 + pad if where != "bottom_center" else (w - (bx[2] - bx[0])) // 2
        draw.text((x - bx0, y0 - by0 + pad + k * line_h), line, font=f, fill=(255, 255, 255, round(255 * opacity)))
    region = Image.fromarray(np.ascontiguousarray(frame[by0:by1, bx0:bx1])).convert("RGBA")
    out = frame.copy()
    out[by0:by1, bx0:bx1] = np.asarray(Image.alpha_composite(region, overlay).convert("RGB"))
    return out


def wrap(text: str, f, max_w_px: int) -> list[str]:
    """Greedy word wrap to a pixel width (a single long word stays on its own line)."""
    out, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and f.getlength(trial) > max_w_px:
            out.append(line)
            line = word
        else:
            line = trial
    return out + [line] if line else out


def utc_text(epoch_utc: str, t_s: float) -> str:
    epoch = datetime.fromisoformat(epoch_utc.replace("Z", "+00:00"))
    return (epoch + timedelta(seconds=float(t_s))).strftime("%Y-%m-%d %H:%M:%S UTC")


def clock_text(dt_s: float) -> str:
    sign = "-" if dt_s < 0 else "+"
    s = int(abs(dt_s))
    d, s = divmod(s, 86400)
    hms = f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"T{sign}{d}d {hms}" if d else f"T{sign}{hms}"


class Hud:
    """HUD lines for one trajectory: time, time since release, apart and separation speed, warp. The
    numbers are render.telemetry's (scenario.apart's gap, in the captions' rounding); technical=True
    gives the technical HUD (port gap and centre-to-centre to the cm, LVLH spins, loads)."""

    def __init__(self, traj, technical: bool = False):
        self.traj, self.technical = traj, technical
        release = first_event(traj, "release")
        self.t_release_s = float(release.t_s) if release is not None else None
        self.long_run = float(traj.t_s[-1] - traj.t_s[0]) > 2 * 86400.0

    def lines(self, t_s: float, warp_rate: float | None = None) -> list[str]:
        from render.telemetry import apart_line, hud_lines, telemetry
        tm = telemetry(self.traj, t_s)
        if self.long_run or self.technical:     # months: days since the split, km apart, altitudes
            out = hud_lines(tm, technical=self.technical)
        else:
            out = [utc_text(self.traj.epoch_utc, t_s)]
            if self.t_release_s is not None:
                out.append(f"{clock_text(t_s - self.t_release_s)} from hooks open")
                if len(self.traj.body_names) >= 2 and t_s >= self.t_release_s:
                    out.append(apart_line(tm))
                    out += list(tm.attitude)       # what holds each segment (scenario.attitude_text)
        return out + ([f"Time: {warp_label(warp_rate)}"] if warp_rate is not None else [])


def _rate_words(rate_mps: float) -> str:
    """'separating at 2.9 cm/s' or, once orbital motion brings them back together, 'closing at 3.3 cm/s'."""
    return f"separating at {fmt_speed(rate_mps)}" if rate_mps >= -1e-5 else f"closing at {fmt_speed(-rate_mps)}"


def caption_opacity(tau_now_s: float, tau_on_s: float, show_s: float = 6.0, fade_s: float = 0.5,
                    fade_out: bool = True) -> float:
    """Caption visibility over video time: fade in, hold show_s, fade out (0 outside)."""
    age = tau_now_s - tau_on_s
    if age < 0 or age > show_s:
        return 0.0
    up = age / fade_s if fade_s > 0 else 1.0
    down = (show_s - age) / fade_s if fade_s > 0 and fade_out else 1.0
    return float(min(1.0, up, down))


def caption_schedule(captions, video_time, show_s: float = 6.0, min_s: float = 3.5,
                     video_end_s: float = math.inf) -> list[tuple[float, float, object]]:
    """[(tau_on, tau_off, caption)] in video seconds: one caption at a time, in order, each only inside
    its window (from c.t_s, never before it is true, to c.t_end_s, while its number still holds).

    Each starts when it is true or when the previous one has had its reading time, whichever is later,
    and stays `show_s` (at least its reading time) unless the next one is waiting or its window closes.
    A caption whose window has closed before its turn is left out (never shown late). The last one
    stays to the end of its window or of the video. video_time: simulated s -> video s (the time map)."""
    from render.captions import reading_s
    out: list[tuple[float, float, object]] = []
    A = [float(video_time(c.t_s)) for c in captions]
    B = [float(video_time(c.t_end_s)) if c.t_end_s is not None else math.inf for c in captions]
    prev_off = -math.inf
    for i, cap in enumerate(captions):
        on = max(A[i], prev_off)
        read = max(min_s, reading_s(cap.text))
        if on >= min(B[i], video_end_s) - 0.5 * read:        # no time left to read it while it is true
            continue
        nxt = A[i + 1] if i + 1 < len(captions) else math.inf
        off = min(B[i], video_end_s, on + max(show_s, read))
        if nxt < off:
            off = min(B[i], max(on + read, nxt))
        if i + 1 == len(captions):
            off = min(B[i], video_end_s)
        out.append((on, off, cap))
        prev_off = off
    return out


def scheduled_caption(schedule, tau_s: float, fade_s: float = 0.5):
    """(caption, opacity) on screen at video time tau_s, or (None, 0.0). The last caption of the
    schedule does not fade out (it holds to the video's end)."""
    for k, (on, off, cap) in enumerate(schedule):
        if on <= tau_s <= off:
            return cap, caption_opacity(tau_s, on, off - on, fade_s, fade_out=k + 1 < len(schedule))
    return None, 0.0
