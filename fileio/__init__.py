"""Files in and out, safely: the one atomic-write helper and the bounded readers.

Every output of the project is written through `fileio.atomic`:

    with atomic_file(path) as fh:      # a unique temporary in the target folder (pid + random),
        fh.write(data)                  # flushed, fsynced, then renamed over `path`
    with atomic_folder(folder) as tmp:  # a set of files (CSV sets, plots, stills, frames) written into
        (tmp / "a.csv").write_text(..)  # a temporary folder and renamed into place as a whole

so a crash, a full disk, a signal or a second writer leaves either the complete old or the complete
new file, never half of one, and no temporary. `fileio.signals.install()` (main.py) turns SIGTERM
and SIGHUP into an exception like Ctrl-C's, so the same cleanup runs (exit 143 / 129, one line).

Reading user files goes through `fileio.bounded`: regular files only (no FIFOs, /dev/zero), a size
cap, and .npz members whose declared sizes are checked before anything is decompressed.

Layering: the standard library and numpy only; station/, physics/, scenario/, formats/ and render/
all use it (no Panda3D).
"""
from fileio.atomic import (OutputError, atomic_file, atomic_folder, probe_output, write_bytes, write_text)
from fileio.bounded import InputFileError, check_npz_members, read_bytes_capped, read_text_capped

__all__ = ["InputFileError", "OutputError", "atomic_file", "atomic_folder", "check_npz_members", "probe_output",
           "read_bytes_capped", "read_text_capped", "write_bytes", "write_text"]
