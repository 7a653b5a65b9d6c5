"""The video's captions (``docs/recorrido.vtt``, WebVTT): the tutorial's own sentence for each
moment of the walkthrough, timed by the walkthrough's own durations.

Each picture the walkthrough shows carries the sentence of its caption band
(``image.info["frase"]``, set by :func:`walkthrough._with`); consecutive pictures with the same
sentence make one cue, from the first picture's start to the last one's end. The times are the
GIF's durations, the same the MP4 repeats each picture for (``video.py``), so a cue starts and
ends where the band's sentence changes in the video. Nothing here reads a clock: the same
pictures give the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image

NAME = "recorrido.vtt"
SENTENCE = "frase"  # the key of the picture's sentence in ``Image.info``


def timestamp(ms: int) -> str:
    """``75840`` → ``00:01:15.840`` (WebVTT: hours, minutes, seconds and milliseconds)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def cues(pictures: Sequence[tuple[Image.Image, int]]) -> list[tuple[int, int, str]]:
    """``(start, end, sentence)`` in milliseconds, one per run of pictures with the same sentence;
    a picture without a sentence ends the run before it and starts none."""
    found: list[tuple[int, int, str]] = []
    start = 0
    for image, ms in pictures:
        sentence = str(image.info.get(SENTENCE, "")).strip()
        if found and sentence and found[-1][2] == sentence and found[-1][1] == start:
            found[-1] = (found[-1][0], start + ms, sentence)
        elif sentence:
            found.append((start, start + ms, sentence))
        start += ms
    return found


def webvtt(pictures: Sequence[tuple[Image.Image, int]]) -> str:
    """The captions file's text: a header, then each cue numbered, its times and its sentence."""
    lines = ["WEBVTT", "Language: es", ""]
    for number, (start, end, sentence) in enumerate(cues(pictures), start=1):
        lines += [str(number), f"{timestamp(start)} --> {timestamp(end)}", sentence, ""]
    return "\n".join(lines)


def write_captions(pictures: Sequence[tuple[Image.Image, int]], path: Path) -> str:
    """Write the captions beside the video (only when they changed); the line that says so."""
    text = webvtt(pictures)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return f"Subtítulos: {path} ({len(cues(pictures))} frases)"
