"""The walkthrough's video beside the GIF (docs/recorrido.mp4): an MP4 of the same pictures for
their durations, the same bytes from the same pictures, and the GIF still written without ffmpeg."""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.walkthrough_frames import DOCS, gif_durations, near, record
from tutorial.documento import walkthrough as w

# --- the video beside the GIF (docs/recorrido.mp4) -----------------------------------------------

VIDEO_SIZE = (160, 96)
# Solid pictures whose durations fall on whole frames at 25 fps: 3, 5, 2 and 10 frames.
VIDEO_PICTURES = (((200, 30, 40), 120), ((40, 170, 60), 200), ((30, 60, 200), 80), ((250, 250, 250), 400))


def _video_pictures() -> list[tuple[Image.Image, int]]:
    return [(Image.new("RGB", VIDEO_SIZE, colour), ms) for colour, ms in VIDEO_PICTURES]


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """The ISO media boxes between ``start`` and ``end``: (type, where its content starts, its end)."""
    end = len(data) if end is None else end
    found = []
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        elif size == 0:
            size = end - start
        found.append((kind.decode("latin-1"), start + header, start + size))
        start += size
    return found


def _movie_header(data: bytes) -> tuple[int, float]:
    """The movie's creation time (seconds since 1904; 0 when none) and its duration in ms (mvhd)."""
    _kind, start, end = next(box for box in _boxes(data) if box[0] == "moov")
    _kind, content, _end = next(box for box in _boxes(data, start, end) if box[0] == "mvhd")
    if data[content] == 1:
        creation, _modified, timescale, duration = struct.unpack(">QQIQ", data[content + 4 : content + 32])
    else:
        creation, _modified, timescale, duration = struct.unpack(">IIII", data[content + 4 : content + 20])
    return creation, duration * 1000 / timescale


def _decoded_centres(path: Path, size: tuple[int, int]) -> list[tuple[int, int, int]]:
    """The colour at the centre of each frame of the video, decoded by the same ffmpeg."""
    from tutorial.documento import video

    raw = subprocess.run(
        [
            video.ffmpeg_executable(),
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    width, height = size
    frame, centre = width * height * 3, ((height // 2) * width + width // 2) * 3
    return [tuple(raw[start + centre : start + centre + 3]) for start in range(0, len(raw), frame)]


@pytest.mark.completo
def test_the_video_is_an_mp4_of_the_pictures_for_their_durations(tmp_path: Path) -> None:
    path, line = w.write_video(_video_pictures(), tmp_path / "recorrido.mp4")
    assert path == tmp_path / "recorrido.mp4" and line.startswith(f"Video: {path} ("), line
    data = path.read_bytes()
    boxes = [kind for kind, _start, _end in _boxes(data)]
    assert boxes[0] == "ftyp" and data[8:12] == b"isom"
    assert boxes.index("moov") < boxes.index("mdat")  # the index first: a page plays it while it arrives
    creation, duration = _movie_header(data)
    assert duration == sum(ms for _colour, ms in VIDEO_PICTURES) and creation == 0  # no clock in the file
    expected = [colour for colour, ms in VIDEO_PICTURES for _frame in range(ms * w.video.FPS // 1000)]
    decoded = _decoded_centres(path, VIDEO_SIZE)
    assert len(decoded) == len(expected)
    for index, (shown, colour) in enumerate(zip(decoded, expected, strict=True)):
        assert near(shown, colour, 6), f"cuadro {index}: {shown} en lugar de {colour}"


@pytest.mark.completo
def test_the_same_pictures_give_the_same_video(tmp_path: Path) -> None:
    first, _line = w.write_video(_video_pictures(), tmp_path / "a.mp4")
    again, _line = w.write_video(_video_pictures(), tmp_path / "b.mp4")
    data = first.read_bytes()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(again.read_bytes()).hexdigest()
    assert b"Lavf" not in data  # no muxer version in the file (bit-exact): an ffmpeg patch changes nothing


def test_without_ffmpeg_the_gif_is_written_and_one_line_says_how_to_get_the_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(tmp_path / "frames", tmp_path / "shots")
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import imageio_ffmpeg fails
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out")
    assert result.gif is not None and result.gif.is_file() and result.video is None
    assert not (tmp_path / "out" / w.video.NAME).exists()
    gif_line, video_line, captions_line = result.message.splitlines()
    assert gif_line.startswith("Recorrido: ") and captions_line.startswith("Subtítulos: ")
    assert video_line.startswith("Video omitido: falta el ffmpeg de imageio-ffmpeg") and "make preparar" in video_line


@pytest.mark.completo
def test_an_ffmpeg_that_fails_leaves_the_gif_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record(tmp_path / "frames", tmp_path / "shots")
    monkeypatch.setattr(w.video, "ffmpeg_executable", lambda: shutil.which("false"))
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out")
    assert result.gif.is_file() and result.video is None
    assert result.message.splitlines()[1].startswith("ffmpeg no pudo escribir el video: código 1;")


@pytest.mark.completo
def test_the_assembly_writes_the_video_beside_the_gif_from_its_pictures(tmp_path: Path) -> None:
    record(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out")
    assert result.video == tmp_path / "out" / w.video.NAME, result.message
    # 8 430 ms of pictures: 211 frames at 25 fps, the total rounded to a whole frame.
    frames = w.video.frame_count(gif_durations(result.gif))
    assert _movie_header(result.video.read_bytes())[1] == frames * 1000 / w.video.FPS == 8440
    assert result.message.splitlines()[1].startswith(f"Video: {result.video} (")
    # (Seven flat pictures make a GIF smaller than any MP4: the size is the committed video's test.)


def test_the_committed_video_is_the_committed_walkthrough() -> None:
    """docs/recorrido.mp4 lasts what the GIF lasts, plays while it arrives, and weighs less."""
    mp4, gif = DOCS / w.video.NAME, DOCS / w.GIF_NAME
    data = mp4.read_bytes()
    assert data[4:8] == b"ftyp"
    boxes = [kind for kind, _start, _end in _boxes(data)]
    assert boxes.index("moov") < boxes.index("mdat")
    # The GIF's total time, rounded to a whole frame of the video.
    assert _movie_header(data) == (0, w.video.frame_count(gif_durations(gif)) * 1000 / w.video.FPS)
    assert len(data) < gif.stat().st_size / 2
