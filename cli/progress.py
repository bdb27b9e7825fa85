"""The one progress bar of the command line (simulate, record, plot): on stderr, redrawn in place.

    bar = ProgressBar(label="simulate")          # a fraction-driven bar: bar(0.42)
    bar = ProgressBar(270, "export")             # a counted bar: bar.update(123)
    ...
    bar.finish()

`label [#####.....]  45%  123/270  9.8/s  ETA 0:15`; a bar that would live less than `delay_s` is
never drawn (short runs print nothing). The same bar as a `progress(fraction)` callback is what
scenario.run and scenario.run_long take.
"""
from __future__ import annotations

import math
import sys
import time


_OPEN: list = []          # bars whose line is drawn and not yet ended (an error must start a new line)


def end_open_line() -> None:
    """End a drawn bar's line, so a message that follows (an error, 'interrupted') has its own line."""
    while _OPEN:
        bar = _OPEN.pop()
        bar.stream.write("\n")
        bar.stream.flush()


class ProgressBar:
    def __init__(self, total: int | None = None, label: str = "", stream=None, width: int = 30,
                 delay_s: float = 0.0, interval_s: float = 0.25):
        self.total = max(int(total), 1) if total else None
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.delay_s, self.interval_s = delay_s, interval_s
        self.t0 = time.perf_counter()
        self._last = -math.inf
        self.drawn = False

    def __call__(self, fraction: float) -> None:
        """The fraction-driven form (a `progress` callback)."""
        f = float(fraction) if math.isfinite(float(fraction)) else 0.0
        self._draw(min(max(f, 0.0), 1.0), None)

    def update(self, done: int, force: bool = False) -> None:
        """The counted form: `done` of `total` items."""
        total = self.total or 1
        self._draw(min(max(done / total, 0.0), 1.0), done, force)

    def _draw(self, frac: float, done: int | None, force: bool = False) -> None:
        now = time.perf_counter()
        elapsed = now - self.t0
        if not force and (elapsed < self.delay_s or (now - self._last < self.interval_s and frac < 1.0)):
            return
        self._last, self.drawn = now, True
        if self not in _OPEN:
            _OPEN.append(self)
        n = int(frac * self.width)
        rate = frac / elapsed if elapsed > 0 else 0.0
        eta = (1.0 - frac) / rate if rate > 0 else math.inf
        eta_txt = "?" if not math.isfinite(eta) else f"{int(eta // 60)}:{int(eta % 60):02d}" if eta < 3600 \
            else f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
        count = "" if done is None else f" {done}/{self.total}  {done / elapsed if elapsed > 0 else 0.0:5.1f}/s"
        head = f"{self.label} " if self.label else ""
        self.stream.write(f"\r{head}[{'#' * n}{'.' * (self.width - n)}] {frac:4.0%}{count}  "
                          f"{elapsed:5.1f} s  ETA {eta_txt} ")
        self.stream.flush()

    def finish(self) -> None:
        """Draw 100 % and end the line (nothing if the bar was never drawn because it was short)."""
        if self.delay_s and not self.drawn:
            return
        if self.total is not None:
            self.update(self.total, force=True)
        else:
            self._draw(1.0, None, force=True)
        if self in _OPEN:
            _OPEN.remove(self)
        self.stream.write("\n")
        self.stream.flush()

    done = finish      # the name simulate used
