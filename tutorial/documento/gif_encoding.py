"""The walkthrough's pictures as a GIF in true colours (``docs/recorrido.gif``).

A GIF frame holds 256 colours. One palette shared by the whole walkthrough (what it had before)
turned the desktop's yellow folders into the callouts' orange, the green *Inicio* button grey and
banded Aspel-AL's header. Here each scene has its own palette: a frame keeps the palette of the
frame before while that palette shows it within :data:`SCENE_LIMIT`, otherwise it gets a palette of
its own (an octree of its own pixels, no dithering: the same pictures give the same bytes).

The callouts' colours (:data:`CALLOUT_COLOURS`) are in every palette, and only a pixel that has
exactly that colour in the picture takes it: any other pixel is mapped to the nearest of the other
entries, so nothing that is not a callout looks highlighted.

:func:`colour_error` is the measure the tests apply to every frame: the share of pixels off by more
than :data:`CHANNEL_TOLERANCE` on a channel (:func:`off_share`, also what a scene's palette is judged
by), and the pixels given a callout colour they did not have.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops

# The callouts' colours: the highlight's orange, the badges' and notes' red, the click ripple's red.
CALLOUT_COLOURS = ((245, 166, 35), (211, 32, 47), (179, 0, 27))
PALETTE_SIZE = 256
CHANNEL_TOLERANCE = 24  # /255: a pixel off by more than this on a channel counts as a wrong colour
MAX_OFF_SHARE = 0.005  # the share of such pixels a frame may have (the tests' limit)
SCENE_LIMIT = 0.001  # a frame keeps the palette before while it is at most this far off


@dataclass(frozen=True)
class ColourError:
    """How far a decoded frame is from its picture: the share of pixels off by more than
    :data:`CHANNEL_TOLERANCE` on some channel, and how many pixels show a callout colour that
    the picture does not have there."""

    off_share: float
    false_callouts: int


def _exact_masks(image: Image.Image, colours: Sequence[tuple[int, int, int]]) -> list[Image.Image]:
    """For each of up to four ``colours``, a mask (mode L, 255 where ``image``, RGB, has exactly it).

    One pass per band and one per colour: each band is mapped to the sum of 4**k over the colours k
    that have its value there, and the three are added. Digit k of that sum in base 4 counts the
    bands that match colour k (at most 3, so nothing carries): it is 3 exactly where the pixel has
    colour k. Four colours fit in a byte: 3 × (1 + 4 + 16 + 64) = 255.
    """
    codes, digits = _mask_tables(tuple(colours))
    red, green, blue = (band.point(table) for band, table in zip(image.split(), codes, strict=True))
    total = ImageChops.add(ImageChops.add(red, green), blue)
    return [total.point(table) for table in digits]


@functools.cache
def _mask_tables(colours: tuple[tuple[int, int, int], ...]) -> tuple[list[list[int]], list[list[int]]]:
    """:func:`_exact_masks`'s tables for ``colours``: each band value's code, each colour's digit."""
    if len(colours) > 4:
        raise ValueError(f"a lo sumo 4 colores por máscara, no {len(colours)}")
    codes = [
        [sum(4**k for k, colour in enumerate(colours) if colour[channel] == value) for value in range(256)]
        for channel in range(3)
    ]
    digits = [[255 if value // 4**k % 4 == 3 else 0 for value in range(256)] for k in range(len(colours))]
    return codes, digits


def _count(mask: Image.Image) -> int:
    """How many pixels of a 0/255 mask are set."""
    return mask.histogram()[255]


def off_share(picture: Image.Image, shown: Image.Image) -> float:
    """The share of ``shown``'s pixels off ``picture``'s by more than :data:`CHANNEL_TOLERANCE` on some
    channel: what a scene's palette is judged by, without :func:`colour_error`'s callout counts."""
    far = ImageChops.difference(_rgb(picture), _rgb(shown)).point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0)
    # The grey of a pixel is 0 only when its three channels are: the rest are off on some channel.
    total = picture.width * picture.height
    return (total - far.convert("L").histogram()[0]) / total


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def colour_error(picture: Image.Image, shown: Image.Image) -> ColourError:
    """:class:`ColourError` of ``shown`` (a decoded frame, RGB) against ``picture`` (its source)."""
    picture, shown = _rgb(picture), _rgb(shown)
    false_callouts = sum(
        _count(ImageChops.subtract(in_shown, in_picture))
        for in_shown, in_picture in zip(
            _exact_masks(shown, CALLOUT_COLOURS), _exact_masks(picture, CALLOUT_COLOURS), strict=True
        )
    )
    return ColourError(off_share(picture, shown), false_callouts)


def palette_of(image: Image.Image) -> list[tuple[int, int, int]]:
    """The colours a palette holds besides the callouts': an octree of ``image``'s own pixels
    (the callouts' exact pixels left out, they have their entries)."""
    wanted = PALETTE_SIZE - len(CALLOUT_COLOURS)
    found = image.convert("RGB").quantize(colors=wanted, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    entries = (found.getpalette() or [])[: 3 * wanted]
    colours = [(entries[i], entries[i + 1], entries[i + 2]) for i in range(0, len(entries) - 2, 3)]
    return [colour for colour in colours if colour not in CALLOUT_COLOURS] or [(255, 255, 255)]


def index(image: Image.Image, colours: Sequence[tuple[int, int, int]]) -> Image.Image:
    """``image`` in palette mode: ``colours`` then :data:`CALLOUT_COLOURS`; a pixel takes a
    callout's entry only when it has exactly that colour, any other the nearest of ``colours``."""
    image = image.convert("RGB")
    padded = list(colours) + [colours[0]] * (PALETTE_SIZE - len(colours))
    others = Image.new("P", (1, 1))
    others.putpalette([value for colour in padded for value in colour])
    indexed = image.quantize(palette=others, dither=Image.Dither.NONE)
    for offset, mask in enumerate(_exact_masks(image, CALLOUT_COLOURS)):
        indexed.paste(len(colours) + offset, mask=mask)
    entries = list(colours) + list(CALLOUT_COLOURS)
    entries += [entries[0]] * (PALETTE_SIZE - len(entries))
    indexed.putpalette([value for colour in entries for value in colour])
    return indexed


def indexed_frames(pictures: Sequence[tuple[Image.Image, int]], own_palette: int | None = None) -> list[Image.Image]:
    """Every picture in palette mode, a scene's frames sharing the palette of its first frame.
    A picture shown for ``own_palette`` ms (the figures) always gets a palette of its own: the
    figure frames are what a reader studies, and what the check for stale figures reads."""
    frames: list[Image.Image] = []
    colours: list[tuple[int, int, int]] | None = None
    for image, ms in pictures:
        candidate = index(image, colours) if colours is not None and ms != own_palette else None
        if candidate is None or off_share(image, candidate) > SCENE_LIMIT:
            colours = palette_of(image)
            candidate = index(image, colours)
        frames.append(candidate)
    return frames


def encode_gif(pictures: Sequence[tuple[Image.Image, int]], indexed: list[Image.Image] | None = None) -> bytes:
    """The GIF of ``pictures`` (each an image and its duration in ms), looping."""
    indexed = indexed or indexed_frames(pictures)
    buffer = io.BytesIO()
    indexed[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=[ms for _, ms in pictures],
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buffer.getvalue()


def decoded_frames(data: bytes, shown_for: int | None = None) -> list[tuple[Image.Image, int]]:
    """Each frame of a GIF as the reader sees it (RGB) and its duration; with ``shown_for``, only the
    frames shown that many ms (the others are decoded, each frame is drawn over the one before, but
    not converted: the check for stale figures reads 9 frames of some 80)."""
    frames = []
    with Image.open(io.BytesIO(data)) as animation:
        for position in range(getattr(animation, "n_frames", 1)):
            animation.seek(position)
            ms = animation.info.get("duration", 0)
            if shown_for is None or ms == shown_for:
                frames.append((animation.convert("RGB"), ms))
    return frames
