"""Bounded readers for user files: regular files only, a size cap, .npz members checked first.

A FIFO would block a read forever and /dev/zero would fill the memory; a 5 MB zip whose members
declare 1e11 values would take gigabytes before any check. These checks come before the read.
"""
from __future__ import annotations

import os
import stat
import zipfile

TEXT_CAP_BYTES = 16 * 2**20          # scenario, station, TLE and CCSDS files: 16 MiB is generous
NPZ_CAP_BYTES = 4 * 2**30            # all members of a saved run together, uncompressed


class InputFileError(ValueError):
    """A user file that is not readable as asked: one line 'FILE: problem'; main.py exits 2."""

    is_user_error = True


def _open_regular(path, what: str):
    """Open for reading without blocking (O_NONBLOCK: a FIFO would wait for a writer) and refuse
    anything that is not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except ValueError:                    # a NUL byte in the name
        raise InputFileError(f"{path!r}: not a file name (holds a NUL byte)") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise InputFileError(f"{path}: not a regular file (a {what} must be a file, not a device, FIFO or folder)")
    return fd, st.st_size


def read_bytes_capped(path, cap: int = TEXT_CAP_BYTES, what: str = "file") -> bytes:
    fd, size = _open_regular(path, what)
    with os.fdopen(fd, "rb") as fh:
        if size > cap:
            raise InputFileError(f"{path}: {size / 2**20:.1f} MiB is too large for a {what} (at most {cap / 2**20:.0f} MiB)")
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise InputFileError(f"{path}: too large for a {what} (at most {cap / 2**20:.0f} MiB)")
    return data


def read_text_capped(path, cap: int = TEXT_CAP_BYTES, what: str = "file") -> str:
    data = read_bytes_capped(path, cap, what)
    if b"\0" in data:
        raise InputFileError(f"{path}: not a text file (contains a NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None


MAX_NESTING = 32                     # TOML arrays / inline tables inside each other


def check_nesting(text: str, path, limit: int = MAX_NESTING) -> None:
    """Refuse deep nesting before a TOML parser recurses into it (1,000 levels: RecursionError).
    Brackets are counted outside quoted strings; no real file comes near the limit."""
    depth = 0
    quote = None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > limit:
                raise InputFileError(f"{path}: nested deeper than {limit} levels")
        elif ch in "]}":
            depth = max(depth - 1, 0)


def read_toml_text(path, cap: int = TEXT_CAP_BYTES, what: str = "TOML file") -> str:
    """The text of a TOML file, checked: regular file, at most `cap` bytes, UTF-8 without NUL,
    nesting within MAX_NESTING. Parse it with tomllib.loads."""
    text = read_text_capped(path, cap, what)
    check_nesting(text, path)
    return text


def check_npz_members(path, cap: int = NPZ_CAP_BYTES) -> None:
    """Refuse an .npz (a zip) whose members declare more than `cap` bytes in all, or a compression
    ratio no numpy array has (> 1000:1, a zip bomb), before numpy decompresses anything. The
    declared sizes are what zipfile itself enforces while reading, so they bound the work."""
    _open_and_close_regular(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise InputFileError(f"{path}: not an .npz (zip) file, or a damaged one ({type(exc).__name__})") from None
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise InputFileError(f"{path}: its arrays declare {total / 2**30:.1f} GiB uncompressed "
                             f"(at most {cap / 2**30:.0f} GiB are read)")
    for i in infos:
        if i.file_size > 2**20 and i.file_size > 1000 * max(i.compress_size, 1):
            raise InputFileError(f"{path}: member {i.filename!r} declares {i.file_size / 2**20:.0f} MiB from "
                                 f"{i.compress_size} bytes (not a saved run: a zip bomb?)")


def _open_and_close_regular(path) -> None:
    fd, _ = _open_regular(path, ".npz file")
    os.close(fd)
