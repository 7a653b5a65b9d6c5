"""Whether the committed walkthrough still shows the committed figures: what ``make aceptar``
cannot rebuild (the GIF's frames are the pages on the way to each figure, recorded by
``make figuras``), found and named."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image, ImageChops

from tutorial.documento import gif_encoding, video, walkthrough
from tutorial.documento.gif_encoding import decoded_frames
from tutorial.figuras.comparison import figure_name

STALE_PIXELS = 100  # a figure frame with more pixels than this off its figure shows another figure
# Verdicts already reached in this process, by the digest of what they read (the GIF and the
# screenshots' figura-* files), and the last GIF's figure frames by its digest: QA's tier asks about
# the same walkthrough and figures in one copied project after another, and decoding the GIF's 80
# frames took 0.3 s an answer.
_verdicts: dict[str, tuple[int, ...]] = {}
_last_frames: dict[str, list[Image.Image]] = {}


def _figure_frames(data: bytes, digest: str) -> list[Image.Image]:
    """The walkthrough's figure frames (those shown for :data:`.walkthrough.FIGURE_MS`), in figure
    order; the last GIF's are kept (one GIF's, some 30 MB)."""
    if digest not in _last_frames:
        _last_frames.clear()
        _last_frames[digest] = [image for image, _ms in decoded_frames(data, walkthrough.FIGURE_MS)]
    return _last_frames[digest]


def stale_figures(gif: Path, screenshots: Path) -> list[int]:
    """The figure numbers whose frame in the walkthrough ``gif`` is not the committed figure.

    Each figure frame is the figure as the walkthrough lays it (full size, or a crop over the screen
    before it) with the caption band below. Laid over a black and over a white screen, the pixels
    that agree are the figure's; of those, more than :data:`STALE_PIXELS` off by more than the
    GIF's colour tolerance (:func:`gif_encoding.off_share`) mean another figure. A walkthrough
    without a frame for some committed figure counts that figure as stale. No GIF: nothing to compare.
    """
    if not gif.is_file():
        return []
    data = gif.read_bytes()
    gif_digest = hashlib.sha256(data).hexdigest()
    key = _figures_digest(gif_digest, screenshots)
    if key not in _verdicts:
        _verdicts[key] = tuple(_compared(_figure_frames(data, gif_digest), screenshots))
    return list(_verdicts[key])


def _figures_digest(gif_digest: str, screenshots: Path) -> str:
    """What :func:`stale_figures` reads, in one digest: the GIF's and each figure's with its placement record."""
    digest = hashlib.sha256(gif_digest.encode())
    for path in sorted(screenshots.glob("figura-*")):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _compared(frames: list[Image.Image], screenshots: Path) -> list[int]:
    numbers = sorted(int(path.stem.split("-")[1]) for path in screenshots.glob("figura-*.png"))
    stale = []
    for position, number in enumerate(numbers):
        if position >= len(frames):
            stale.append(number)
            continue
        frame = walkthrough.Frame(number, 0, False, "", "", figure_image=f"{figure_name(number)}.png")
        on_black, on_white = (
            walkthrough.frame_base(frame, screenshots, screenshots, Image.new("RGB", walkthrough.SIZE, colour))
            for colour in ((0, 0, 0), (255, 255, 255))
        )
        shown = frames[position].crop((0, 0, *walkthrough.SIZE))
        outside = ImageChops.difference(on_black, on_white).convert("L").point(lambda v: 255 if v else 0)
        # Outside the figure, the frame's own pixels: only the figure's pixels can be off.
        expected = Image.composite(shown, on_black, outside)
        if gif_encoding.off_share(expected, shown) * walkthrough.SIZE[0] * walkthrough.SIZE[1] > STALE_PIXELS:
            stale.append(number)
    return stale


def walkthrough_notice(docs: Path, screenshots: Path) -> str | None:
    """What ``make aceptar`` cannot rebuild, named: the walkthrough (GIF and MP4) while it still shows a
    figure as it was; ``None`` when it shows the committed figures."""
    gif = docs / walkthrough.GIF_NAME
    stale = stale_figures(gif, screenshots)
    if not stale:
        return None
    mp4 = docs / video.NAME
    files = f"{gif} y {mp4} muestran" if mp4.exists() else f"{gif} muestra"
    figures = ", ".join(f"la Figura {number}" for number in stale)
    return (
        f"Falta: {files} todavía {figures} como era antes (con los pasos que llevan a ella). Sólo "
        "`make figuras` los vuelve a grabar: sus cuadros son las páginas del camino, que no guarda la "
        "corrida. Hasta entonces `make pruebas` falla (tests/test_accept.py compara el recorrido con "
        "las figuras comprometidas)."
    )
