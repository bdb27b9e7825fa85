"""numba's on-disk cache of the compiled engine: where it is, whether it is warm for the current
sources, dropping it when they change, and compiling it in a background process (the program is
physics/compiled/warmup.py, which nothing imports: no import cycle with physics.simulate)."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

_CACHE_CHECKED = []


# Modules whose code or constants the compiled code bakes in (the kernels, WGS84 and the Earth rate,
# the RK8 tableau with its dense-output extension; the Earth's mu, R, J2.. and the atmosphere's
# bands are run inputs, not baked): a change there must drop the cache too.
_BAKED_SOURCES = ("constants.py", "integrator.py", "kernels.py")


def _cache_dirs() -> list[Path]:
    """Where numba keeps our cache: physics/__pycache__, or under $NUMBA_CACHE_DIR when it is set
    (numba then mirrors the source path there)."""
    import os
    here = Path(__file__).resolve().parent
    custom = os.environ.get("NUMBA_CACHE_DIR")
    return [Path(custom)] if custom else [here / "__pycache__"]


def fresh_cache() -> None:
    """numba's on-disk cache (cache=True) is keyed on each function's OWN source file, so a change in
    forces.py would leave loop.py's cached (inlined) copies stale, and a change of a constant
    imported from another module (_BAKED_SOURCES) would leave every copy stale. Keep a hash of those
    sources and the numba version next to the cache and drop the cache files of physics/compiled/ when it
    changes (once per process). A read-only checkout without NUMBA_CACHE_DIR: numba then uses its
    user-wide cache, which this does not see (the cache stays cold: "auto" keeps short runs in Python)."""
    if _CACHE_CHECKED:
        return
    _CACHE_CHECKED.append(True)
    from importlib.metadata import version
    here = Path(__file__).resolve().parent
    compiled = [p for p in sorted(here.glob("*.py")) if "njit" in p.read_text()]     # not the Python glue
    files = compiled + [here.parent / name for name in _BAKED_SOURCES]
    src = b"".join(p.read_bytes() for p in files) + version("numba").encode()
    stamp = hashlib.sha256(src).hexdigest()
    for cache in _cache_dirs():
        mark = cache / "iss_jit_sources.sha256"
        try:
            if mark.read_text() == stamp:
                continue
        except OSError:
            pass
        try:
            cache.mkdir(parents=True, exist_ok=True)
            for p in cache.rglob("*.nb[ic]"):
                p.unlink(missing_ok=True)
            mark.write_text(stamp)
        except OSError:             # read-only: numba then caches elsewhere or not at all
            pass


_WARM: dict = {}        # cache dirs -> warm (checked once per process: every step asks)


def cache_warm() -> bool:
    """True when numba's on-disk cache holds the compiled step loop for the current sources (a load of
    ~0.25 s instead of a ~21 s compile). The loop is compiled last, with everything it calls."""
    key = tuple(map(str, _cache_dirs()))
    if key not in _WARM:
        fresh_cache()
        _WARM[key] = any(any(d.rglob("loop.propagate-*.nbi")) for d in _cache_dirs() if d.is_dir())
    return _WARM[key]


LOCK_NAME = "iss_background_compile.lock"
LOCK_STALE_S = 900.0
_STARTED: list = []


def lock_path() -> Path:
    return _cache_dirs()[0] / LOCK_NAME


def start_background() -> bool:
    """Start the compile once per process unless one runs already (lock younger than 15 min) or it
    is switched off. Returns whether a process was started."""
    if _STARTED or os.environ.get("ISS_NO_BACKGROUND_COMPILE"):
        return False
    _STARTED.append(True)
    lock = lock_path()
    try:
        if lock.exists() and time.time() - lock.stat().st_mtime < LOCK_STALE_S:
            return False
        lock.parent.mkdir(parents=True, exist_ok=True)
        lock.write_text(str(os.getpid()))
        root = Path(__file__).resolve().parents[2]
        subprocess.Popen([sys.executable, "-m", "physics.compiled.warmup"], cwd=root, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:             # read-only checkout or no process: runs stay in Python, nothing breaks
        return False
    return True
