"""The video has the same bytes on any x86-64 CPU, and a committed video whose pictures did not
change is never re-encoded (the two halves of "make figuras leaves git clean on another machine")."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from tutorial.documento import video
from tutorial.documento import walkthrough as w

ROOT = Path(__file__).resolve().parents[1]
# CPU feature sets another machine may have, masked for x264 (asm) and ffmpeg (-cpuflags) alike:
# none, the x86-64 baseline, the one that brings x264's nine-mode intra search, and AVX2.
CPU_SETS = (None, "0", "sse2", "ssse3", "avx2")


def _pictures() -> list[tuple[Image.Image, int]]:
    """Real interface text (the grid of Figura 4): x264's CPU paths choose differently on it."""
    with Image.open(ROOT / "screenshots" / "figura-04.png") as figure:
        grid = figure.convert("RGB")
    return [(grid.crop((left, 60, left + 192, 60 + 128)), 200) for left in (0, 96, 300, 620)]


def _digest(pictures: list[tuple[Image.Image, int]], cpu: str | None) -> str:
    ffmpeg = video.ffmpeg_executable()
    assert ffmpeg, "falta el ffmpeg de imageio-ffmpeg: make preparar"
    return hashlib.sha256(video.encode_mp4(pictures, ffmpeg, cpu)).hexdigest()


@pytest.mark.completo  # starts ffmpeg five times (about 2 s)
def test_every_cpu_feature_set_gives_the_same_video() -> None:
    pictures = _pictures()
    digests = {cpu: _digest(pictures, cpu) for cpu in CPU_SETS}
    assert len(set(digests.values())) == 1, digests


@pytest.mark.completo
def test_without_cpu_independent_the_cpu_decides_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard above can fail: without x264's cpu-independent, SSSE3 changes these pictures' bytes."""
    monkeypatch.setattr(video, "CPU_INDEPENDENT", "")
    pictures = _pictures()
    assert _digest(pictures, "sse2") != _digest(pictures, "ssse3")


def _fake_encoder(monkeypatch: pytest.MonkeyPatch, payload: bytes) -> list[int]:
    """An encoder that writes ``payload`` (another machine's bytes for the same pictures)."""
    calls: list[int] = []

    def encode(pictures, _ffmpeg, _cpu=None):  # noqa: ANN001, ANN202
        calls.append(len(pictures))
        return payload

    monkeypatch.setattr(video, "ffmpeg_executable", lambda: "ffmpeg")
    monkeypatch.setattr(video, "encode_mp4", encode)
    return calls


def test_the_same_pictures_leave_the_committed_video_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = _pictures()
    path = tmp_path / video.NAME
    _fake_encoder(monkeypatch, b"committed bytes")
    w.write_video(pictures, path)
    record = (tmp_path / video.FINGERPRINT_NAME).read_bytes()
    calls = _fake_encoder(monkeypatch, b"this machine's bytes")
    written, line = w.write_video(pictures, path)
    assert written == path and path.read_bytes() == b"committed bytes" and calls == []
    assert "igual: mismos cuadros" in line
    assert (tmp_path / video.FINGERPRINT_NAME).read_bytes() == record


def test_changed_pictures_or_a_touched_video_are_encoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = _pictures()
    path = tmp_path / video.NAME
    _fake_encoder(monkeypatch, b"first")
    w.write_video(pictures, path)
    calls = _fake_encoder(monkeypatch, b"second")
    changed = [(pictures[0][0].transpose(Image.Transpose.FLIP_LEFT_RIGHT), 200), *pictures[1:]]
    w.write_video(changed, path)
    assert path.read_bytes() == b"second" and calls == [len(changed)]
    path.write_bytes(b"edited by hand")  # the record no longer describes the file: encode again
    calls = _fake_encoder(monkeypatch, b"third")
    w.write_video(changed, path)
    assert path.read_bytes() == b"third" and calls == [len(changed)]
    calls = _fake_encoder(monkeypatch, b"fourth")
    w.write_video([(image, ms + 40) for image, ms in changed], path)  # another duration: another video
    assert path.read_bytes() == b"fourth" and calls == [len(changed)]


def test_the_committed_video_is_recorded_with_its_bytes() -> None:
    import json

    kept = json.loads((ROOT / "docs" / video.FINGERPRINT_NAME).read_text(encoding="utf-8"))
    assert kept["sha256"] == hashlib.sha256((ROOT / "docs" / video.NAME).read_bytes()).hexdigest()
