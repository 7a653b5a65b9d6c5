"""The walkthrough's frames as a sequence (issue 36, point 3): no picture comes back two frames
later (the flicker of an interruption), and Mis servicios is clicked once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tutorial.documento import gif_encoding as g
from tutorial.documento import walkthrough as w

ROOT = Path(__file__).resolve().parents[1]
SAME_SHARE = 0.002  # two frames this close (pixels off by more than 24/255) show the same picture


@pytest.fixture(scope="module")
def committed_frames() -> list[Image.Image]:
    """The committed walkthrough's frames, decoded once for this module's tests, which only read them."""
    return [image for image, _ms in g.decoded_frames((ROOT / "docs" / w.GIF_NAME).read_bytes())]


def _same(first, second) -> bool:  # noqa: ANN001
    return g.off_share(first, second) <= SAME_SHARE


def returns(frames: list) -> list[int]:  # noqa: ANN001
    """The positions whose picture is the one two frames back while the frame between differs."""
    return [
        position
        for position in range(2, len(frames))
        if _same(frames[position], frames[position - 2]) and not _same(frames[position], frames[position - 1])
    ]


def test_no_frame_returns_to_the_picture_two_frames_back(committed_frames: list[Image.Image]) -> None:
    # A figure frame replaces its screen's plain frame (walkthrough.replaced_by_figure): no
    # screen, annotated figure, screen again.
    assert returns(committed_frames) == []


def test_a_flicker_is_seen(committed_frames: list[Image.Image]) -> None:
    """The guard can fail: A, B, A is a return."""
    frames = committed_frames[:2]
    assert ImageChops.difference(frames[0], frames[1]).getbbox() is not None
    assert returns([frames[0], frames[1], frames[0]]) == [2]


def test_mis_servicios_is_clicked_once() -> None:
    frames = w.read_frames(ROOT / "reports" / w.FRAMES_FOLDER) if (ROOT / "reports" / w.FRAMES_FOLDER).is_dir() else []
    feature = (ROOT / "features" / "02_mis_servicios.feature").read_text(encoding="utf-8")
    # In the story a scenario's Given steps are left out: Figura 4's scenario reopens the menu as one.
    assert feature.count('Cuando abro el menú "Mis servicios"') == 1
    assert 'Y que abrí el menú "Mis servicios"' in feature
    clicks = [f for f in w.story(frames) if f.click and "Mis servicios" in f.text]
    assert len(clicks) <= 1
