"""The walkthrough as a video (``docs/recorrido.mp4``): the GIF's own pictures and durations.

H.264 in MP4 (yuv420p, BT.709, the index first so a page starts playing before the whole file
arrives), at a constant :data:`FPS`: each picture is repeated for its duration, which
``ffmpeg``'s ``fps`` filter rounds to whole frames (the total is exact). The encoder is the
``ffmpeg`` binary that PyPI's ``imageio-ffmpeg`` ships (pinned in ``pyproject.toml``), started
as a subprocess; without it the walkthrough is written without video.

The same pictures give the same bytes, on any x86-64 CPU: one thread, bit-exact flags (no encoder
version, no creation time, no file names in the file), a bit-exact colour conversion, and x264's
``cpu-independent``. Without it x264 lets a CPU with SSSE3 or later score the nine intra 4x4 and
8x8 predictions at once in assembly (``intra_satd_x9_4x4``, ``intra_sa8d_x9_8x8``), which break
ties otherwise than the C code: the same frames came out 492,717 bytes on one machine and 492,709
on an AMD EPYC (measured here: ``asm=sse3`` and ``asm=ssse3`` give different files, with
``cpu-independent=1`` every ``asm`` level gives the one file). ffmpeg's own conversion
(``-cpuflags``) changes nothing with the bit-exact flags; ``tests/test_video_cpu.py`` encodes
with x264's and ffmpeg's CPU features masked and gets the same bytes. Nothing reads the clock.

And a committed video is never re-encoded for nothing: :func:`fingerprint` is the SHA-256 of the
pictures, their durations and every option that decides the bytes; ``recorrido.huella.json``
keeps it beside the video, and :func:`up_to_date` leaves a video whose pictures did not change as
it is, whatever encoder this machine has.
"""

from __future__ import annotations

import hashlib
import json
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
CPU_INDEPENDENT = ":cpu-independent=1"  # x264: the same decisions whatever SIMD the CPU has
FINGERPRINT_NAME = "recorrido.huella.json"  # beside the video: what it was encoded from
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


def command(ffmpeg: str, folder: Path, frames: int, cpu: str | None = None) -> list[str]:
    """The encoding command, every option that decides the bytes written out. ``cpu`` (tests
    only) masks the CPU features both ffmpeg (``-cpuflags``) and x264 (``asm``) may use, as
    another machine would have them: ``"0"`` for none, or a list such as ``"sse2"``."""
    convert = "scale=out_color_matrix=bt709:out_range=tv:flags=bitexact+accurate_rnd+full_chroma_int"
    tags = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"  # what the player assumes
    masked = ["-cpuflags", cpu] if cpu is not None else []
    asm = f":asm={cpu}" if cpu is not None else ""
    return [
        ffmpeg,
        *masked,
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
        f"keyint={FPS * KEYFRAME_SECONDS}{CPU_INDEPENDENT}{asm}",
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


def encode_mp4(pictures: Sequence[tuple[Image.Image, int]], ffmpeg: str, cpu: str | None = None) -> bytes:
    """The MP4 of ``pictures`` (each an image and its duration in ms, as the GIF has them)."""
    with tempfile.TemporaryDirectory(prefix="recorrido-") as tmp:
        folder = Path(tmp)
        names = []
        for index, (image, _ms) in enumerate(pictures):
            names.append(f"cuadro-{index:04d}.png")
            image.save(folder / names[-1], compress_level=1)  # lossless and quick: read once
        durations = [ms for _image, ms in pictures]
        (folder / LIST_NAME).write_text(concat_list(names, durations), encoding="utf-8")
        run = subprocess.run(command(ffmpeg, folder, frame_count(durations), cpu), capture_output=True, text=True)
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or [f"código {run.returncode}"])[-1]
            raise VideoError(f"ffmpeg no pudo escribir el video: {last}")
        return (folder / NAME).read_bytes()


def fingerprint(pictures: Sequence[tuple[Image.Image, int]]) -> str:
    """The SHA-256 of what decides the video: every picture's size and pixels, its duration, and
    the encoding command's options (not the ffmpeg's path)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(command("ffmpeg", Path("."), frame_count([ms for _i, ms in pictures]))[1:]).encode())
    for image, ms in pictures:
        digest.update(f"{image.width}x{image.height}:{ms};".encode())
        digest.update(image.tobytes())
    return digest.hexdigest()


def _record_path(path: Path) -> Path:
    return path.with_name(FINGERPRINT_NAME)


def up_to_date(path: Path, source: str) -> bool:
    """Whether the video at ``path`` was encoded from ``source`` (a :func:`fingerprint`) and is
    still the file that encoding wrote: then it is left as it is, never re-encoded."""
    record = _record_path(path)
    if not path.is_file() or not record.is_file():
        return False
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return kept.get("fuente") == source and kept.get("sha256") == hashlib.sha256(path.read_bytes()).hexdigest()


def record_fingerprint(path: Path, source: str) -> None:
    """Write beside the video what it was encoded from and its own SHA-256 (the same bytes for
    the same video: sorted keys, no time)."""
    kept = {"fuente": source, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    text = json.dumps(kept, indent=1, sort_keys=True) + "\n"
    record = _record_path(path)
    if not record.is_file() or record.read_text(encoding="utf-8") != text:
        record.write_text(text, encoding="utf-8")
