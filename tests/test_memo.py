"""physics.memo.SharedCache: bounded, first in first out, read-only values, and safe when several
threads insert and evict at once (the compiled engine's prefetch thread and the run's own thread, or a
Dask worker's threads)."""
import threading

import numpy as np

from physics.memo import SharedCache


def test_bounded_fifo_and_read_only():
    c = SharedCache(3)
    for k in range(5):
        c.put(k, np.full(2, float(k)))
    assert len(c) == 3 and c.get(0) is None and c.get(1) is None and c.get(4)[0] == 4.0
    assert not c.get(4).flags.writeable
    first = c.get(4)
    assert c.put(4, np.zeros(2)) is first          # the value stored first is kept


def test_concurrent_inserts_and_evictions():
    c, errors = SharedCache(8), []

    def work(seed):
        try:
            for k in range(2000):
                key = (seed * 7919 + k) % 50
                if c.get(key) is None:
                    c.put(key, np.array([key]))
        except Exception as exc:                     # pragma: no cover (the failure being tested)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(c) <= 8
