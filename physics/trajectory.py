"""Trajectory: every body sampled on the dt_out grid plus one sample at each event time (t_s strictly
increasing, not uniform), with events and metadata; .npz/.csv files.

File format: docs/trajectory-format.md. Loading never unpickles (allow_pickle=False); metadata and
events are stored as JSON text. Files are written through fileio.atomic (a unique temporary, fsync,
rename); a CSV set appears as a whole.
"""
from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from physics.errors import PhysicsInputError
from physics.rotation import slerp
from physics.trajmeta import TrajectoryMeta

FORMAT = "iss-undock-trajectory"
FORMAT_VERSION = 1
_ARRAYS = {"t_s": 1, "r_gcrs_m": 3, "v_gcrs_mps": 3, "q_gcrs_from_body": 3, "omega_body_radps": 3}


@dataclass(frozen=True)
class Event:
    t_s: float
    kind: str           # release, push_end, burn_start, burn_end, reentry
    subject: str        # latch name, body name or burn label
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"t_s": self.t_s, "kind": self.kind, "subject": self.subject, "data": self.data}


@dataclass(frozen=True)
class Trajectory:
    epoch_utc: str
    epoch_tt_jd: float
    body_names: tuple
    t_s: np.ndarray                 # (K,)
    r_gcrs_m: np.ndarray            # (K,n,3)
    v_gcrs_mps: np.ndarray          # (K,n,3)
    q_gcrs_from_body: np.ndarray    # (K,n,4) w,x,y,z
    omega_body_radps: np.ndarray    # (K,n,3)
    events: tuple = ()
    metadata: dict = field(default_factory=dict)

    @cached_property
    def meta(self) -> TrajectoryMeta:
        """The metadata, typed (physics/trajmeta.py): what readers use instead of the raw dict."""
        return TrajectoryMeta.from_dict(self.metadata)

    # --- playback
    def state_at(self, t_s: float):
        """(r (n,3), v (n,3), q (n,4), omega (n,3)) at t_s within [t_s[0], t_s[-1]]: cubic Hermite in
        position (from the sampled velocities; v is its derivative), slerp attitude, linear omega."""
        t = self.t_s
        if not t[0] <= t_s <= t[-1]:
            raise ValueError(f"state_at: t_s={t_s} outside [{t[0]}, {t[-1]}]")
        k = int(np.clip(np.searchsorted(t, t_s, side="right") - 1, 0, len(t) - 2)) if len(t) > 1 else 0
        if len(t) == 1 or t_s == t[k] or t_s == t[k + 1]:    # copies: a caller's edit must not reach the samples
            j = k if len(t) == 1 or t_s == t[k] else k + 1
            return (self.r_gcrs_m[j].copy(), self.v_gcrs_mps[j].copy(), self.q_gcrs_from_body[j].copy(),
                    self.omega_body_radps[j].copy())
        h = t[k + 1] - t[k]
        s = (t_s - t[k]) / h
        r0, r1, v0, v1 = self.r_gcrs_m[k], self.r_gcrs_m[k + 1], self.v_gcrs_mps[k], self.v_gcrs_mps[k + 1]
        h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2, s**3 - s**2
        r = h00 * r0 + h10 * h * v0 + h01 * r1 + h11 * h * v1
        d00, d10, d01, d11 = 6 * s**2 - 6 * s, 3 * s**2 - 4 * s + 1, -6 * s**2 + 6 * s, 3 * s**2 - 2 * s
        v = (d00 * r0 + d01 * r1) / h + d10 * v0 + d11 * v1
        q = slerp(self.q_gcrs_from_body[k], self.q_gcrs_from_body[k + 1], s)
        w = (1 - s) * self.omega_body_radps[k] + s * self.omega_body_radps[k + 1]
        return r, v, q, w

    # --- files
    def _arrays(self) -> dict:
        return {"t_s": self.t_s, "r_gcrs_m": self.r_gcrs_m, "v_gcrs_mps": self.v_gcrs_mps,
                "q_gcrs_from_body": self.q_gcrs_from_body, "omega_body_radps": self.omega_body_radps}

    def header(self) -> dict:
        return {"format": FORMAT, "version": FORMAT_VERSION, "epoch_utc": self.epoch_utc,
                "epoch_tt_jd": self.epoch_tt_jd, "body_names": list(self.body_names)}

    def save_npz(self, path) -> Path:
        """Write the trajectory to `path` (.npz), atomically (fileio.atomic_file)."""
        final = Path(path)
        self._write(final, lambda fh: np.savez(fh, **self._arrays(),
                                               header_json=np.array(json.dumps(self.header())),
                                               events_json=np.array(json.dumps([e.to_json() for e in self.events])),
                                               metadata_json=np.array(json.dumps(self.metadata))))
        return final

    @classmethod
    def load_npz(cls, path) -> "Trajectory":
        """Read a file written by save_npz. PhysicsInputError (one line) for anything else."""
        where = str(path)
        from fileio import InputFileError, check_npz_members
        try:
            check_npz_members(path)      # regular file, declared sizes within budget: before decompressing
        except InputFileError as exc:
            raise PhysicsInputError(str(exc)) from None
        try:
            with open(path, "rb") as fh:
                magic = fh.read(4)
            data = None
            if magic == b"PK\x03\x04":                # every .npz is a zip archive
                with np.load(path, allow_pickle=False) as z:
                    data = {k: z[k] for k in z.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise PhysicsInputError(f"{where}: not a readable trajectory .npz ({type(exc).__name__}: "
                                    f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
        if data is None:
            raise PhysicsInputError(f"{where}: not an .npz (zip) file" + ("" if magic else " (empty)"))
        return cls._from_arrays(data, where)

    @classmethod
    def _from_arrays(cls, data: dict, where: str) -> "Trajectory":
        for key in list(_ARRAYS) + ["header_json", "events_json", "metadata_json"]:
            if key not in data:
                raise PhysicsInputError(f"{where}: {key}: missing")
        header = _json_member(data, "header_json", where, dict)
        events = _json_member(data, "events_json", where, list)
        metadata = _json_member(data, "metadata_json", where, dict)
        if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
            raise PhysicsInputError(f"{where}: header_json: not a {FORMAT} v{FORMAT_VERSION} file")
        names, epoch_utc, epoch_tt_jd = _header_fields(header, where)
        K = data["t_s"].shape[0] if data["t_s"].ndim == 1 else -1
        for key, cols in _ARRAYS.items():
            a = data[key]
            want = (K,) if key == "t_s" else (K, len(names), 4 if key.startswith("q_") else 3)
            if a.dtype != np.float64 or a.shape != want:
                raise PhysicsInputError(f"{where}: {key}: expected float64 {want}, got {a.dtype} {a.shape}")
        _check_times(data["t_s"], where)
        meta = TrajectoryMeta.from_dict(metadata, where)     # a wrong metadata key: one line, at load
        traj = cls(epoch_utc=epoch_utc, epoch_tt_jd=epoch_tt_jd, body_names=names,
                   t_s=data["t_s"], r_gcrs_m=data["r_gcrs_m"], v_gcrs_mps=data["v_gcrs_mps"],
                   q_gcrs_from_body=data["q_gcrs_from_body"], omega_body_radps=data["omega_body_radps"],
                   events=tuple(_event(e, i, where) for i, e in enumerate(events)), metadata=metadata)
        traj.__dict__["meta"] = meta                          # the cached_property's slot
        return traj

    def save_csv(self, folder) -> Path:
        """One CSV per body (t_s, r, v, q, omega; %.17g: round-trips float64 exactly), events.csv and
        metadata.json, written into `folder` (created) as one set (fileio.atomic_folder)."""
        folder = Path(folder)
        files = csv_names(self.body_names, folder)
        from fileio import atomic_folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        with atomic_folder(folder) as tmp:
            self._write_csv_set(tmp, files)
        return folder

    def _write_csv_set(self, folder: Path, files: list) -> None:
        cols = ("t_s,x_gcrs_m,y_gcrs_m,z_gcrs_m,vx_gcrs_mps,vy_gcrs_mps,vz_gcrs_mps,"
                "qw_gcrs_from_body,qx_gcrs_from_body,qy_gcrs_from_body,qz_gcrs_from_body,"
                "wx_body_radps,wy_body_radps,wz_body_radps")
        for i, name in enumerate(self.body_names):
            table = np.column_stack((self.t_s, self.r_gcrs_m[:, i], self.v_gcrs_mps[:, i],
                                     self.q_gcrs_from_body[:, i], self.omega_body_radps[:, i]))
            self._write(folder / files[i], lambda fh: np.savetxt(fh, table, fmt="%.17g",
                                                                           delimiter=",", header=cols, comments=""))
        text = io.StringIO()            # csv module: labels with commas or quotes stay in their column
        rows = csv.writer(text, lineterminator="\n")
        rows.writerow(["t_s", "kind", "subject", "data_json"])
        rows.writerows([repr(float(e.t_s)), e.kind, e.subject, json.dumps(e.data)] for e in self.events)
        self._write(folder / "events.csv", lambda fh: fh.write(text.getvalue().encode()))
        meta = dict(self.header(), metadata=self.metadata)
        self._write(folder / "metadata.json", lambda fh: fh.write(json.dumps(meta, indent=1).encode()))

    @staticmethod
    def _write(final: Path, writer) -> None:
        from fileio import atomic_file
        with atomic_file(final) as fh:            # nothing half-written is left behind
            writer(fh)


def csv_names(body_names, folder) -> list[str]:
    """The per-body CSV file names of save_csv; PhysicsInputError if two clash (checked before a run too)."""
    files = [f"{_safe(name)}.csv" for name in body_names]
    if len(set(files) | {"events.csv"}) != len(files) + 1:     # e.g. "A/B" and "A_B", or a body "events"
        raise PhysicsInputError(f"{folder}: body_names: {list(body_names)} give clashing CSV file "
                                f"names {files} (with events.csv)")
    return files


def _json_member(data: dict, key: str, where: str, kind: type):
    """A JSON text member (header/events/metadata) decoded and of the expected top-level type."""
    try:
        value = json.loads(str(data[key]))
    except json.JSONDecodeError as exc:
        raise PhysicsInputError(f"{where}: {key}: bad JSON ({exc.msg})") from None
    if not isinstance(value, kind):
        raise PhysicsInputError(f"{where}: {key}: expected a JSON {'object' if kind is dict else 'array'}, "
                                f"got {type(value).__name__}")
    return value


def _header_fields(header: dict, where: str) -> tuple[tuple, str, float]:
    """(body_names, epoch_utc, epoch_tt_jd) from the header, each checked."""
    names, utc, jd = header.get("body_names"), header.get("epoch_utc"), header.get("epoch_tt_jd")
    if not (isinstance(names, list) and names and all(isinstance(n, str) and n for n in names)
            and len(set(names)) == len(names)):
        raise PhysicsInputError(f"{where}: header_json: body_names: expected distinct non-empty names, got {names!r}")
    if not isinstance(utc, str):
        raise PhysicsInputError(f"{where}: header_json: epoch_utc: expected an ISO 8601 string, got {utc!r}")
    if not (isinstance(jd, (int, float)) and not isinstance(jd, bool) and math.isfinite(jd)):
        raise PhysicsInputError(f"{where}: header_json: epoch_tt_jd: expected a number, got {jd!r}")
    return tuple(names), utc, float(jd)


def _check_times(t_s: np.ndarray, where: str) -> None:
    """Sample times: at least one, finite, strictly increasing (state_at bisects on them)."""
    if t_s.size == 0:
        raise PhysicsInputError(f"{where}: t_s: no samples")
    if not np.all(np.isfinite(t_s)):
        raise PhysicsInputError(f"{where}: t_s: not finite at sample {int(np.argmin(np.isfinite(t_s)))}")
    bad = np.flatnonzero(np.diff(t_s) <= 0)
    if bad.size:
        raise PhysicsInputError(f"{where}: t_s: not strictly increasing at sample {bad[0] + 1} "
                                f"({float(t_s[bad[0]])!r} then {float(t_s[bad[0] + 1])!r})")


def _event(e, i: int, where: str) -> Event:
    ok = (isinstance(e, dict) and isinstance(e.get("t_s"), (int, float)) and not isinstance(e.get("t_s"), bool)
          and isinstance(e.get("kind"), str) and isinstance(e.get("subject"), str)
          and isinstance(e.get("data", {}), dict))
    if not ok:
        raise PhysicsInputError(f"{where}: events_json: event {i}: expected {{t_s, kind, subject, data}}, got {e!r:.80}")
    return Event(float(e["t_s"]), e["kind"], e["subject"], e.get("data", {}))


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
