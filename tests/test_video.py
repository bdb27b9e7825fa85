"""Frame writer: decode what was written; determinism; nothing under the final name on failure."""
from __future__ import annotations

import os
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from render.video import VideoError, VideoSpec, VideoWriter, format_for

W, H, FPS, N = 64, 48, 10, 12


def synthetic_frame(k: int) -> np.ndarray:
    """Left half red, right half green, a blue band on top whose brightness encodes k."""
    f = np.zeros((H, W, 3), np.uint8)
    f[:, : W // 2] = (200, 30, 30)
    f[:, W // 2 :] = (30, 200, 30)
    f[: H // 4] = (0, 0, 10 + 20 * k)
    return f


def export(path: Path, fmt: str | None = None, n: int = N) -> Path:
    with VideoWriter(VideoSpec(path, (W, H), FPS, format_for(path, fmt))) as vw:
        for k in range(n):
            vw.write(synthetic_frame(k))
    return path


def decode(path: Path) -> tuple[dict, list[np.ndarray]]:
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    w, h = meta["size"]
    return meta, [np.frombuffer(b, np.uint8).reshape(h, w, 3) for b in gen]


def test_mp4_decodes_to_the_frames_written(tmp_path):
    meta, frames = decode(export(tmp_path / "clip.mp4"))
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    assert meta["size"] == (W, H) and meta["fps"] == FPS
    assert meta["duration"] == pytest.approx(N / FPS, abs=0.5 / FPS)
    assert len(frames) == N
    for k in (0, 5, 11):
        # H.264 at crf 18 + yuv420p chroma: colours within ~12 levels away from edges
        ref = synthetic_frame(k).astype(int)
        got = frames[k].astype(int)
        assert np.abs(got[30, 8] - ref[30, 8]).max() <= 12   # red half
        assert np.abs(got[30, 56] - ref[30, 56]).max() <= 12  # green half
        assert abs(got[4, 30, 2] - ref[4, 30, 2]) <= 12       # the band carries the frame number
    assert not list(tmp_path.glob(".clip.mp4.*.tmp*"))


def test_two_mp4_exports_are_byte_identical(tmp_path):
    a = export(tmp_path / "a.mp4").read_bytes()
    b = export(tmp_path / "b.mp4").read_bytes()
    assert a == b


def test_gif_and_png_sequence(tmp_path):
    meta, frames = decode(export(tmp_path / "clip.gif"))
    assert len(frames) == N and meta["size"] == (W, H)
    assert np.abs(frames[3][30, 8].astype(int) - (200, 30, 30)).max() <= 30  # 256-colour palette + dither
    folder = export(tmp_path / "frames")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"frame_{k:05d}.png" for k in range(N)]
    from PIL import Image

    assert np.array_equal(np.asarray(Image.open(folder / "frame_00007.png")), synthetic_frame(7))  # lossless
    assert export(tmp_path / "again.gif").read_bytes() == (tmp_path / "clip.gif").read_bytes()


@pytest.mark.parametrize("fmt_path", ["clip.mp4", "clip.gif", "frames"])
def test_interrupted_export_leaves_nothing_under_the_final_name(tmp_path, fmt_path):
    path = tmp_path / fmt_path
    with pytest.raises(RuntimeError, match="renderer crashed"):
        with VideoWriter(VideoSpec(path, (W, H), FPS, format_for(path))) as vw:
            for k in range(N):
                if k == 5:
                    raise RuntimeError("renderer crashed")
                vw.write(synthetic_frame(k))
    assert sorted(os.listdir(tmp_path)) == []


def test_interrupt_keeps_an_older_file_untouched(tmp_path):
    path = export(tmp_path / "clip.mp4")
    before = path.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        with VideoWriter(VideoSpec(path, (W, H), FPS, "mp4")) as vw:
            vw.write(synthetic_frame(0))
            raise KeyboardInterrupt
    assert path.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["clip.mp4"]


@pytest.mark.parametrize("size, fmt, match", [
    ((4000, 2000), "mp4", "size: 4000x2000 is outside"),
    ((65, 48), "mp4", "must be even"),
    ((0, 48), "png", "outside"),
])
def test_bad_sizes(tmp_path, size, fmt, match):
    with pytest.raises(VideoError, match=match):
        VideoWriter(VideoSpec(tmp_path / "x", size, FPS, fmt))


def test_bad_paths_and_formats(tmp_path):
    with pytest.raises(VideoError, match="does not exist"):
        VideoWriter(VideoSpec(tmp_path / "no" / "clip.mp4", (W, H), FPS, "mp4"))
    with pytest.raises(VideoError, match="not one of"):
        format_for("clip.avi")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "lesson.txt").write_text("keep me")
    with pytest.raises(VideoError, match="refusing to replace"):
        VideoWriter(VideoSpec(tmp_path / "notes", (W, H), FPS, "png"))
    assert (tmp_path / "notes" / "lesson.txt").read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(VideoError, match="not writable"):
        VideoWriter(VideoSpec(locked / "clip.mp4", (W, H), FPS, "mp4"))


def test_empty_export_is_an_error_and_writes_nothing(tmp_path):
    with pytest.raises(VideoError, match="no frames"):
        export(tmp_path / "clip.mp4", n=0)
    assert os.listdir(tmp_path) == []


def test_wrong_frame_shape_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="expected"):
        with VideoWriter(VideoSpec(tmp_path / "c.mp4", (W, H), FPS, "mp4")) as vw:
            vw.write(np.zeros((H, W, 4), np.uint8))
    assert os.listdir(tmp_path) == []
