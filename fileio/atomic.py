"""The one atomic-write helper: unique temporary in the target folder, fsync, rename.

A temporary is named `.NAME.PID.RANDOM.tmp` beside its target, so two writers (two processes, or
two threads) never share one; the rename is atomic on POSIX and Windows, so a reader, a crash, a
signal or a full disk leaves either the whole old file or the whole new one. Live temporaries are
listed in `_LIVE` and removed by `remove_temporaries()` (main.py calls it on the way out, after any
signal), as a backstop to the `except BaseException` cleanup here.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import threading
from pathlib import Path

_LIVE: set[str] = set()          # temporaries being written (files or folders)
_LOCK = threading.Lock()
PROBE_BYTES = 4096               # a real block: a full disk refuses it (an empty file would pass)


class OutputError(OSError):
    """An output that cannot be written: one line 'OPTION: PATH: problem'; main.py exits 2."""

    is_user_error = True

    def __init__(self, option: str, path, problem: str):
        super().__init__(f"{option}: {path}: {problem}" if option else f"{path}: {problem}")

    def __str__(self) -> str:
        return self.args[0]


def temp_path(final: Path, suffix: str = ".tmp") -> Path:
    """A unique temporary name beside `final` (hidden; pid + random; short enough for any file system)."""
    return final.with_name(f".{final.name[:80]}.{os.getpid()}.{secrets.token_hex(4)}{suffix}")


def track(path: Path, live: bool) -> None:
    """List (live=True) or unlist a temporary that remove_temporaries() must remove after a signal."""
    with _LOCK:
        (_LIVE.add if live else _LIVE.discard)(str(path))


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
    track(path, False)


def remove_temporaries() -> None:
    """Remove every temporary this process still has (after a signal, before exiting)."""
    with _LOCK:
        live = [Path(p) for p in _LIVE]
    for p in live:
        _remove(p)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (best effort: not every file system or OS lets a folder be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _cannot(option: str, path, exc: OSError) -> OutputError:
    return OutputError(option, path, f"cannot write ({exc.strerror or exc})")


@contextlib.contextmanager
def atomic_file(path, option: str = ""):
    """`with atomic_file(path) as fh: fh.write(...)`: binary handle on a unique temporary, renamed
    over `path` when the block ends normally; removed on any exception (a signal included). An
    OSError becomes OutputError (one line) naming `option` (e.g. "--out") when given."""
    final = Path(path)
    tmp = temp_path(final)
    track(tmp, True)
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        except OSError as exc:
            if isinstance(exc, OutputError) or not option:
                raise
            raise _cannot(option, final, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    track(tmp, False)
    _fsync_dir(final.parent)


def write_bytes(path, data: bytes, option: str = "") -> Path:
    with atomic_file(path, option) as fh:
        fh.write(data)
    return Path(path)


def write_text(path, text: str, option: str = "") -> Path:
    return write_bytes(path, text.encode("utf-8"), option)


@contextlib.contextmanager
def atomic_folder(folder, option: str = ""):
    """`with atomic_folder(folder) as tmp:` write a set of files into `tmp`; at the end they appear
    in `folder` together. A new folder is the temporary folder renamed as a whole; into an existing
    folder (which may hold other files: `--csv .`) each file is renamed in with signals held, so
    the set arrives complete or not at all. The temporary is removed on any exception."""
    final = Path(folder)
    exists = final.is_dir()
    tmp = temp_path(final / "set", ".tmpdir") if exists else temp_path(final, ".tmpdir")
    track(tmp, True)
    try:
        try:
            tmp.mkdir()
            yield tmp
            _sync_files(tmp)
            if exists or not _rename_new(tmp, final):
                _move_in(tmp, final)
        except OSError as exc:
            if isinstance(exc, OutputError) or not option:
                raise
            raise _cannot(option, final, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    _remove(tmp)
    _fsync_dir(final)


def _sync_files(folder: Path) -> None:
    for p in folder.iterdir():
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())


def _rename_new(tmp: Path, final: Path) -> bool:
    """Rename the whole temporary folder to `final`; False if `final` appeared meanwhile (a second writer)."""
    try:
        os.rename(tmp, final)          # an empty `final` made meanwhile is replaced (POSIX)
    except (FileExistsError, IsADirectoryError, OSError) as exc:
        if final.is_dir():
            return False
        raise exc
    track(tmp, False)
    _fsync_dir(final.parent)
    return True


def _move_in(tmp: Path, final: Path) -> None:
    """Rename each file of `tmp` into the existing `final`, with SIGINT/SIGTERM/SIGHUP held (main thread)."""
    held = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else ()
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if main else None
    try:
        for p in sorted(tmp.iterdir()):
            os.replace(p, final / p.name)
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def probe_output(path, option: str, folder: bool = False) -> Path:
    """Fail now (OutputError, one line) if `path` cannot be written, by writing there for real: a
    block in a unique temporary beside it (or, for a folder, a temporary folder), then removing it.
    os.access says yes to root everywhere, and nothing about full disks or read-only mounts."""
    final = Path(path)
    parent = final.parent if str(final.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(option, path, f"folder '{parent}' does not exist")
    if folder and final.exists() and not final.is_dir():
        raise OutputError(option, path, "exists and is not a folder")
    if not folder and final.is_dir():
        raise OutputError(option, path, "is a folder")
    where = final if folder and final.is_dir() else parent
    probe = temp_path(where / "probe", ".probe")
    track(probe, True)
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(option, path, f"folder '{where}' is not writable ({exc.strerror or exc})") from None
    finally:
        _remove(probe)
    return final
