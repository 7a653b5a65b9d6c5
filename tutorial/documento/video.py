"""The walkthrough as a video (``docs/recorrido.mp4``): the GIF's own pictures and durations.

H.264 in MP4 (yuv420p, BT.709, the index first so a page starts playing before the whole file
arrives), at a constant :data:`FPS`: each picture is repeated for its duration, which
``ffmpeg``'s ``fps`` filter rounds to whole frames (the total is exact). The encoder is the
``ffmpeg`` binary that PyPI's ``imageio-ffmpeg`` ships (pinned in ``pyproject.toml``), started
as a subprocess; without it the walkthrough is written without video.

The same pictures give the same bytes: one thread, bit-exact flags (no encoder version, no
creation time, no file names in the file), a bit-exact colour conversion. Nothing reads the clock.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

NAME = "recorrido.mp4"
FPS = 25
CRF = 28  # the captions and the grid's small text stay sharp; measured on the walkthrough: ~0.5 MB
PRESET = "veryfast"  # on these still pictures smaller than "medium" (fewer refinements of repeats)
KEYFRAME_SECONDS = 30  # a still screen costs one keyframe, not one every 10 s (x264's default)
LIST_NAME = "cuadros.ffconcat"
SKIPPED = (
    "Video omitido: falta el ffmpeg de imageio-ffmpeg (lo instala `make preparar`, o "
    "`pip install -e '.[test]'`); se escribió sólo el GIF y {path} no se actualizó."
)


class VideoError(RuntimeError):
    """ffmpeg could not encode the video (its last line of errors, in the message)."""


def ffmpeg_executable() -> str | None:
    """The ``ffmpeg`` that ``imageio-ffmpeg`` ships, or ``None`` where it is not installed."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:  # a platform it ships no binary for, and no ffmpeg on PATH
        return None


def frame_count(durations: Sequence[int]) -> int:
    """How many frames the video has: the walkthrough's total time at :data:`FPS`, a half frame
    rounded up as ffmpeg's ``fps`` filter rounds."""
    return max(1, (sum(durations) * FPS + 500) // 1000)


def concat_list(names: Sequence[str], durations: Sequence[int]) -> str:
    """ffmpeg's concat list: each picture for its duration in milliseconds. The last picture is
    named twice, or the demuxer drops its duration (a known quirk of image lists)."""
    lines = ["ffconcat version 1.0"]
    for name, ms in zip(names, durations, strict=True):
        lines += [f"file {name}", f"duration {ms}ms"]
    lines.append(f"file {names[-1]}")
    return "\n".join(lines) + "\n"


def command(ffmpeg: str, folder: Path, frames: int) -> list[str]:
    """The encoding command, every option that decides the bytes written out."""
    convert = "scale=out_color_matrix=bt709:out_range=tv:flags=bitexact+accurate_rnd+full_chroma_int"
    tags = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"  # what the player assumes
    return [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-threads",
        "1",
        "-f",
        "concat",
        "-i",
        str(folder / LIST_NAME),
        "-filter_threads",
        "1",
        "-vf",
        f"{convert},format=yuv420p,{tags},fps={FPS}",
        "-frames:v",
        str(frames),
        "-c:v",
        "libx264",
        "-preset",
        PRESET,
        "-crf",
        str(CRF),
        "-x264-params",
        f"keyint={FPS * KEYFRAME_SECONDS}",
        "-threads",
        "1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-map_metadata",
        "-1",
        "-movflags",
        "+faststart",
        str(folder / NAME),
    ]


def encode_mp4(pictures: Sequence[tuple[Image.Image, int]], ffmpeg: str) -> bytes:
    """The MP4 of ``pictures`` (each an image and its duration in ms, as the GIF has them)."""
    with tempfile.TemporaryDirectory(prefix="recorrido-") as tmp:
        folder = Path(tmp)
        names = []
        for index, (image, _ms) in enumerate(pictures):
            names.append(f"cuadro-{index:04d}.png")
            image.save(folder / names[-1], compress_level=1)  # lossless and quick: read once
        durations = [ms for _image, ms in pictures]
        (folder / LIST_NAME).write_text(concat_list(names, durations), encoding="utf-8")
        run = subprocess.run(command(ffmpeg, folder, frame_count(durations)), capture_output=True, text=True)
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or [f"código {run.returncode}"])[-1]
            raise VideoError(f"ffmpeg no pudo escribir el video: {last}")
        return (folder / NAME).read_bytes()
