"""One bounded, thread-safe, per-process cache for values that depend only on their key (MSIS table
blocks, Earth-rotation nodes, drag-table grids): runs in one process with the same inputs (an
ensemble's members) share them without changing any result. First in, first out; values are made
read-only when stored. A lock guards every access: the compiled engine's prefetch thread and the
run's own thread (or several Dask worker threads) may insert at the same time, and evicting while
another thread inserts would otherwise raise "dictionary changed size during iteration"."""
from __future__ import annotations

import threading

import numpy as np


class SharedCache:
    def __init__(self, max_items: int):
        self.max_items = int(max_items)
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._items.get(key)

    def put(self, key, value):
        """Store value (its arrays made read-only) and return the stored one: a value another thread
        stored first under the same key is kept (it is the same value)."""
        for a in (value if isinstance(value, tuple) else (value,)):
            if isinstance(a, np.ndarray):
                a.setflags(write=False)
        with self._lock:
            if key in self._items:
                return self._items[key]
            while len(self._items) >= self.max_items:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
