"""Where an ensemble's members go: one file per finished task in OUT.parts/ (written by fileio's
atomic writer, so a killed run leaves only whole tasks), then OUT assembled in member order and the folder
removed. Rerunning the same command resumes: finished tasks are read back, not recomputed.

Files are .npz written with fixed zip timestamps (numpy's savez stamps the current time): the same
members give the same bytes.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np

FORMAT = "iss-ensemble-1"


def write_npz(path: Path, arrays: dict) -> None:
    """arrays -> path (fileio.atomic_file: a unique temporary, fsync, rename); no pickles, fixed
    timestamps (deterministic bytes)."""
    from fileio import atomic_file
    with atomic_file(path, "--out") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as z:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            z.writestr(zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0)), buf.getvalue())


def write_text(path: Path, text: str) -> None:
    from fileio import write_text as atomic_write_text
    atomic_write_text(path, text, "--out")


def read_npz(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def is_ensemble_file(path) -> bool:
    """An .npz written by `ensemble` (its 'format' entry); False for anything else or a damaged file."""
    try:
        with np.load(path, allow_pickle=False) as f:
            return "format" in f.files and str(f["format"]) == FORMAT
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        return False


def fingerprint(description: dict) -> str:
    return hashlib.sha256(json.dumps(description, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Store:
    """OUT.parts/: run.json (what is being computed) and task-LO-HI.npz per finished task."""

    def __init__(self, out: Path, description: dict):
        self.out, self.description = Path(out), description
        self.dir = self.out.with_name(self.out.name + ".parts")
        self.key = fingerprint(description)

    def open(self) -> None:
        """Create the folder, or check an existing one is for the same run (else one-line error)."""
        head = self.dir / "run.json"
        if self.dir.is_dir() and head.is_file():
            old = json.loads(head.read_text(encoding="utf-8"))
            if old.get("key") != self.key:
                from scenario.errors import ScenarioError
                raise ScenarioError(str(self.dir), "", "holds members of a different run (scenario, seed, "
                                    "members or dispersions changed); delete it or choose another --out")
            return
        self.dir.mkdir(exist_ok=True)
        write_text(head, json.dumps({"key": self.key, **self.description}, default=str))

    def _path(self, lo: int, hi: int) -> Path:
        return self.dir / f"task-{lo:07d}-{hi:07d}.npz"

    def done(self, lo: int, hi: int) -> bool:
        return self._path(lo, hi).is_file()

    def put(self, lo: int, hi: int, arrays: dict) -> None:
        write_npz(self._path(lo, hi), arrays)

    def finish(self, chunks: list, extra: dict) -> dict:
        """Stack the tasks' arrays in member order, add `extra`, write OUT, remove the folder."""
        parts = [read_npz(self._path(lo, hi)) for lo, hi in chunks]
        arrays = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        arrays.update(extra)
        arrays["format"] = np.array(FORMAT)
        write_npz(self.out, arrays)
        shutil.rmtree(self.dir)
        return arrays


def stack_rows(indices, rows: list[dict]) -> dict:
    """Per-member dicts -> {key: array (n, ...)} plus 'index' (strings as fixed-width unicode)."""
    out = {"index": np.asarray(indices, np.int64)}
    for k in rows[0]:
        vals = [r[k] for r in rows]
        out[k] = np.array(vals) if not isinstance(vals[0], str) else np.array(vals, dtype="<U16")
    return out
