"""The video's captions (issue 36, point 10): docs/recorrido.vtt holds the tutorial's own sentences
at the walkthrough's own times, and docs/tutorial.html links it by a <track> of its video."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from tutorial.documento import captions
from tutorial.documento import walkthrough as w
from tutorial.documento.feature_reader import read_features
from tutorial.documento.gif_encoding import decoded_frames

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CUE = re.compile(r"(\d+)\n(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)")


def _ms(stamp: str) -> int:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def _picture(sentence: str | None) -> Image.Image:
    image = Image.new("RGB", (2, 2))
    if sentence is not None:
        image.info[captions.SENTENCE] = sentence
    return image


def test_a_cue_per_run_of_the_same_sentence_at_the_pictures_times() -> None:
    pictures = [
        (_picture("a) Uno."), 1400),
        (_picture("a) Uno."), 700),
        (_picture(None), 100),
        (_picture("b) Dos."), 3000),
    ]
    assert captions.cues(pictures) == [(0, 2100, "a) Uno."), (2200, 5200, "b) Dos.")]
    assert captions.timestamp(3_723_045) == "01:02:03.045"
    text = captions.webvtt(pictures)
    assert text.startswith("WEBVTT\n")
    assert "1\n00:00:00.000 --> 00:00:02.100\na) Uno.\n" in text
    assert "2\n00:00:02.200 --> 00:00:05.200\nb) Dos.\n" in text


def _tutorial_sentences() -> set[str]:
    found = set()
    for _path, feature in read_features(ROOT / "features"):
        for child in feature.get("children", []):
            for node in [
                child.get("scenario"),
                *[c.get("scenario") for c in child.get("rule", {}).get("children", [])],
            ]:
                if node:
                    found.add(w.tutorial_title(node.get("description", "")))
    return found


def test_the_committed_captions_are_the_walkthrough_s_sentences_at_its_times() -> None:
    text = (DOCS / captions.NAME).read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    cues = [(int(n), _ms(start), _ms(end), sentence) for n, start, end, sentence in CUE.findall(text)]
    assert len(cues) >= 9 and [cue[0] for cue in cues] == list(range(1, len(cues) + 1))
    assert cues[0][1] == 0
    for before, after in zip(cues, cues[1:], strict=False):
        assert before[1] < before[2] == after[1], f"las frases {before[0]} y {after[0]} no se siguen"
    durations = [ms for _image, ms in decoded_frames((DOCS / w.GIF_NAME).read_bytes())]
    assert cues[-1][2] == sum(durations)  # the last sentence ends with the walkthrough
    sentences = _tutorial_sentences()
    assert all(cue[3] in sentences for cue in cues), [cue[3] for cue in cues if cue[3] not in sentences]


def test_the_document_s_video_carries_the_captions_track() -> None:
    page = (DOCS / "tutorial.html").read_text(encoding="utf-8")
    video = re.search(r"<video [^>]*>.*?</video>", page, re.S)
    assert video, "docs/tutorial.html no tiene el video del recorrido"
    assert f'<source src="{w.video.NAME}" type="video/mp4">' in video[0]
    assert f'<track kind="captions" src="{captions.NAME}" srclang="es" label="Español" default>' in video[0]
