"""Frame writer for exported videos: MP4 (H.264), PNG sequence or GIF.

Frames are ``(h, w, 3) uint8`` RGB arrays, top row first (what the offscreen renderer returns).
MP4 and GIF go through the ffmpeg binary that imageio-ffmpeg ships (raw rgb24 on stdin); PNG
sequences are written with Pillow. Nothing is written under the final name until ``close()``
succeeds: output goes to a unique temporary beside it (fileio.atomic.temp_path: ``.NAME.PID.RANDOM.tmp``,
a folder for PNG frames) and is renamed at the end. An exception
inside ``with VideoWriter(...)`` removes the partial output and leaves the final name untouched.

Determinism: same frames in, same bytes out. For MP4 that takes ``-fflags +bitexact`` (no
encoder version string in the container), ``-flags +bitexact``, no metadata copy, and a fixed
x264 thread count (x264 output depends on its thread count, which ffmpeg otherwise takes from
the machine's cores).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fileio.atomic import temp_path, track

MAX_SIZE = (3840, 2160)
FORMATS = ("mp4", "png", "gif")
X264_THREADS = 2  # fixed so the bitstream does not depend on the machine's core count


class VideoError(Exception):
    """Bad output options or a failed encoder; the message is one line."""

    is_user_error = True


@dataclass(frozen=True)
class VideoSpec:
    """What to write: where, which format, frame size and rate."""

    path: Path
    size: tuple[int, int]  # (width, height) in pixels
    fps: float
    fmt: str  # "mp4" | "png" | "gif"
    crf: int = 18  # x264 quality (lower = better); 18 is visually lossless for this content
    preset: str = "ultrafast"  # keeps x264 from taking the CPU away from llvmpipe (panda3d_notes §3)


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    """Output format from an explicit name or the path's suffix; a path without one is a PNG folder."""
    if fmt is None:
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = suffix or "png"
    if fmt not in FORMATS:
        raise VideoError(f"{path}: format: '{fmt}' is not one of {', '.join(FORMATS)} (use .mp4, .gif or a folder)")
    return fmt


def check_spec(spec: VideoSpec) -> None:
    """Raise VideoError (one line) for sizes, rates and paths the encoder cannot take."""
    w, h = spec.size
    if not (1 <= w <= MAX_SIZE[0] and 1 <= h <= MAX_SIZE[1]):
        raise VideoError(f"{spec.path}: size: {w}x{h} is outside 1x1..{MAX_SIZE[0]}x{MAX_SIZE[1]}")
    if spec.fmt == "mp4" and (w % 2 or h % 2):
        raise VideoError(f"{spec.path}: size: {w}x{h} must be even in both directions for H.264 (yuv420p)")
    if not (0 < spec.fps <= 240):
        raise VideoError(f"{spec.path}: fps: {spec.fps} is outside 0..240")
    parent = Path(spec.path).resolve().parent
    if not parent.is_dir():
        raise VideoError(f"{spec.path}: out: folder {parent} does not exist")
    from fileio import OutputError, probe_output
    try:       # a real write (os.access says yes to root everywhere, and nothing of a full disk)
        probe_output(parent / ".probe", "out", folder=False)
    except OutputError as exc:
        raise VideoError(f"{spec.path}: out: {str(exc).split(': ', 2)[-1]}") from None
    if spec.fmt == "png" and Path(spec.path).exists() and not _is_frame_folder(Path(spec.path)):
        raise VideoError(f"{spec.path}: out: exists and is not a folder of frame_*.png; refusing to replace it")
    if spec.fmt != "png" and Path(spec.path).is_dir():
        raise VideoError(f"{spec.path}: out: is a folder; give a file name ending in .{spec.fmt}")


def _is_frame_folder(path: Path) -> bool:
    return path.is_dir() and all(p.name.startswith("frame_") and p.suffix == ".png" for p in path.iterdir())


def ffmpeg_command(spec: VideoSpec, out_path: Path) -> list[str]:
    """The ffmpeg argument list reading raw rgb24 frames from stdin."""
    import imageio_ffmpeg

    w, h = spec.size
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-nostdin", "-loglevel", "error",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-framerate", f"{spec.fps:g}", "-i", "-",
           "-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact"]
    if spec.fmt == "mp4":
        cmd += ["-c:v", "libx264", "-preset", spec.preset, "-crf", str(spec.crf), "-pix_fmt", "yuv420p",
                "-threads", str(X264_THREADS), "-movflags", "+faststart", "-f", "mp4"]
    else:  # GIF: a palette per frame, so memory stays bounded (one clip-wide palette would make
        # ffmpeg hold every frame until the end: 6.6 GB for 80 s of 720p)
        cmd += ["-filter_complex",
                "[0:v]split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=new=1:dither=bayer",
                "-f", "gif"]
    return cmd + [str(out_path)]


class VideoWriter:
    """Write frames one at a time; use as a context manager so failures clean up.

    ``with VideoWriter(VideoSpec(Path("clip.mp4"), (1280, 720), 30, "mp4")) as vw: vw.write(frame)``
    """

    def __init__(self, spec: VideoSpec):
        check_spec(spec)
        self.spec = spec
        self.final_path = Path(spec.path)
        # a unique temporary beside the output (fileio.atomic: pid + random), renamed at the end
        self.partial_path = temp_path(self.final_path, ".tmpdir" if spec.fmt == "png" else ".tmp")
        track(self.partial_path, True)
        self.frames_written = 0
        self._proc: subprocess.Popen | None = None
        self._stderr = None
        self._closed = False
        if spec.fmt == "png":
            self.partial_path.mkdir()
        else:
            self._start_ffmpeg()

    def _start_ffmpeg(self) -> None:
        # stderr to a file, not a pipe: a chatty ffmpeg must never block on a full pipe buffer
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(ffmpeg_command(self.spec, self.partial_path), stdin=subprocess.PIPE,
                                      stdout=subprocess.DEVNULL, stderr=self._stderr)

    def write(self, frame_rgb: np.ndarray) -> None:
        """Append one frame, ``(h, w, 3) uint8`` RGB, top row first."""
        w, h = self.spec.size
        if frame_rgb.shape != (h, w, 3) or frame_rgb.dtype != np.uint8:
            raise ValueError(f"frame is {frame_rgb.shape} {frame_rgb.dtype}, expected ({h}, {w}, 3) uint8")
        if self.spec.fmt == "png":
            from PIL import Image

            name = self.partial_path / f"frame_{self.frames_written:05d}.png"
            try:
                Image.fromarray(frame_rgb).save(name, compress_level=1)  # PNGs carry no timestamp: deterministic
            except OSError as exc:      # a full disk: one line; __exit__ removes the frames written so far
                raise VideoError(f"{self.final_path}: cannot write frame {self.frames_written} "
                                 f"({exc.strerror or exc})") from None
        else:
            try:
                self._proc.stdin.write(np.ascontiguousarray(frame_rgb).data)
            except BrokenPipeError:
                raise VideoError(f"{self.final_path}: ffmpeg stopped: {self._ffmpeg_message()}") from None
        self.frames_written += 1

    def close(self) -> Path:
        """Finish the file and move it to its final name; returns that path."""
        if self._closed:
            return self.final_path
        if self.frames_written == 0:
            self.abort()
            raise VideoError(f"{self.final_path}: no frames to write (is the time range empty?)")
        if self._proc is not None:
            self._proc.stdin.close()
            if self._proc.wait() != 0:
                message = self._ffmpeg_message()
                self.abort()
                raise VideoError(f"{self.final_path}: ffmpeg failed: {message}")
        self._move_into_place()
        self._closed = True
        return self.final_path

    def abort(self) -> None:
        """Stop the encoder and delete the partial output; the final name is left as it was."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._proc is not None and self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        self._remove_partial()
        self._closed = True

    def _move_into_place(self) -> None:
        if self.spec.fmt == "png" and self.final_path.exists():
            shutil.rmtree(self.final_path)  # check_spec made sure it only holds frames
        os.replace(self.partial_path, self.final_path)
        track(self.partial_path, False)

    def _remove_partial(self) -> None:
        if self.partial_path.is_dir():
            shutil.rmtree(self.partial_path)
        elif self.partial_path.exists():
            self.partial_path.unlink()
        track(self.partial_path, False)

    def _ffmpeg_message(self) -> str:
        if self._stderr is None:
            return "(no message)"
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "(no message)"

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
