"""Comparing two pictures of one screen: pixel maths, tolerances, the :class:`Comparison` of a pair.

A figure is a PNG committed under ``screenshots/`` (``figura-04.png``). What a run does with a
comparison (check it, rewrite the figure, say the likely cause) is :mod:`.verdict`'s business;
what it leaves for people to look at is :mod:`.report`'s. This module imports neither.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import MutableSequence
from dataclasses import dataclass
from typing import cast

from PIL import Image, ImageChops, ImageDraw, ImageFilter
from pixelmatch.utils import antialiased, color_delta, draw_gray_pixel, draw_pixel

NEW, SAME, CHANGED = "new", "same", "changed"
STATUS_LABELS = {NEW: "nueva", SAME: "igual", CHANGED: "cambió"}
# Fills the area one image lacks when sizes differ; a colour no screen of the site uses,
# so padding never passes for content.
_PAD_COLOUR = (255, 0, 255, 255)
_DIFF_COLOUR = (255, 0, 0)  # pixelmatch paints changed pixels so; its faded background is grey
CROSS_RENDERER_MARK = "comparada entre renderizadores"
# The magnified region in the report: a margin of context around the changed pixels, scaled up
# (nearest neighbour, so pixels stay square) to about this width, never more than 8 times.
_ZOOM_MARGIN, _ZOOM_WIDTH, _ZOOM_MAX = 12, 360, 8
_AA_REACH = 3  # pixels around a changed one that pixelmatch's anti-aliasing check reads (2), and one more
ZOOM_KINDS = ("zoom-expected", "zoom-actual", "zoom-diff")


def accept_command(name: str) -> str:
    """The one command that takes this run's actual image of ``name`` into ``screenshots/``."""
    return f"make aceptar FIGURA={name}"


def figure_name(number: int) -> str:
    """``4`` → ``"figura-04"``, the stem of the committed PNG."""
    return f"figura-{number:02d}"


Region = tuple[int, int, int, int]  # x, y, width, height of the changed pixels' bounding box


@dataclass(frozen=True)
class Tolerance:
    """How a figure is compared on the renderer that shot it (``figure_threshold``, ``figure_max_diff_ratio``).

    These defaults are the shipped ones (pyproject.toml may override them): a pixelmatch per-pixel
    threshold of 0.01 catches a panel tint moved from #fafafa to #f3f6fa, which the library's
    default 0.1 lets through; no changed pixel is allowed.
    """

    threshold: float = 0.01  # pixelmatch per-pixel colour threshold (0..1)
    max_diff_ratio: float = 0.0  # max share of changed pixels allowed (0..1)
    max_diff_pixels: int | None = None  # and at most this many changed pixels (None: no bound)

    def allows(self, changed_pixels: int, ratio: float) -> bool:
        if self.max_diff_pixels is not None and changed_pixels > self.max_diff_pixels:
            return False
        return ratio <= self.max_diff_ratio

    def describe(self) -> str:
        bounds = [f"umbral por píxel {self.threshold:g}"]
        if self.max_diff_pixels is not None:
            bounds.append(f"hasta {self.max_diff_pixels} píxeles")
        if self.max_diff_ratio or self.max_diff_pixels is None:
            bounds.append(f"hasta {percent_text(self.max_diff_ratio)}")
        return ", ".join(bounds)


@dataclass(frozen=True)
class PixelDiff:
    """What pixelmatch found between two images: how many pixels, where, and the diff picture."""

    changed_pixels: int
    total_pixels: int
    region: Region | None
    diff: bytes | None  # PNG; None when nothing differs

    @property
    def ratio(self) -> float:
        return self.changed_pixels / self.total_pixels if self.total_pixels else 0.0


@dataclass(frozen=True)
class Comparison:
    name: str
    status: str  # NEW | SAME | CHANGED; SAME means within tolerance
    diff_ratio: float  # share of pixels that differ (0 for a new figure)
    expected_size: tuple[int, int] | None
    actual_size: tuple[int, int]
    changed_pixels: int = 0
    region: Region | None = None
    cross_renderer: bool = False  # compared with the cross-renderer tolerance
    ignored: tuple[Region, ...] = ()  # left out of the comparison (``ignorando`` in the figure step)

    @property
    def size_changed(self) -> bool:
        return self.expected_size is not None and self.expected_size != self.actual_size

    def change(self) -> str:
        """``66 píxeles (0.0064 %) en la región x=10, y=20, 120×14``."""
        text = f"{pixels_text(self.changed_pixels)} ({percent_text(self.diff_ratio)})"
        if self.region:
            text += f" en la región {region_text(self.region)}"
        return text

    def describe(self) -> str:
        mark = f" [{CROSS_RENDERER_MARK}]" if self.cross_renderer else ""
        if self.status == NEW:
            return f"{self.name}: nueva{mark}"
        if self.size_changed:
            return (
                f"{self.name}: cambió de tamaño: {size_text(self.expected_size)} → "  # type: ignore[arg-type]  # size_changed: known
                f"{size_text(self.actual_size)}; {self.change()}{mark}"
            )
        if self.status == CHANGED:
            return f"{self.name}: cambió: {self.change()}{mark}"
        if self.changed_pixels:
            return f"{self.name}: igual dentro de la tolerancia: {self.change()}{mark}"
        return f"{self.name}: igual{mark}"


def size_text(size: tuple[int, int]) -> str:
    """Only ever called for a size change, when both sizes are known."""
    return f"{size[0]}x{size[1]}"


def pixels_text(count: int) -> str:
    return "1 píxel" if count == 1 else f"{count} píxeles"


def region_text(region: Region) -> str:
    x, y, width, height = region
    return f"x={x}, y={y}, {width}×{height}"


def percent_text(ratio: float) -> str:
    """A share with two significant digits at least: 66 of 1280x800 is ``0.0064 %``, not 0.00."""
    percent = ratio * 100
    if percent == 0:
        return "0 %"
    decimals = 2 if percent >= 0.1 else min(-math.floor(math.log10(percent)) + 1, 8)
    return f"{percent:.{decimals}f} %"


def _decode(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGBA")


def _png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size  # reads the header only


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _padded(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    canvas = Image.new("RGBA", size, _PAD_COLOUR)
    canvas.paste(image)  # at the top left corner
    return canvas


def _changed_region(diff: Image.Image) -> Region | None:
    """Bounding box of the pixels pixelmatch painted in the diff colour (not the grey rest)."""
    bands = diff.split()  # red, green, blue and alpha, which has no part in the colour
    wanted = [
        bands[index].point(lambda value, want=want: 255 if value == want else 0)
        for index, want in enumerate(_DIFF_COLOUR)
    ]
    mask = ImageChops.multiply(ImageChops.multiply(wanted[0], wanted[1]), wanted[2])
    box = mask.getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    return left, top, right - left, bottom - top


def compare_png(expected: bytes | None, actual: bytes, tolerance: Tolerance) -> PixelDiff:
    """Count the differing pixels, find their bounding box and draw a diff PNG.

    Anti-aliased pixels are tolerated. Images of different sizes are both laid on a canvas of
    the larger size, so a size change still yields a count (over the canvas) and a diff image.
    pixelmatch, pure Python, walks only the few pixels that differ at all (:func:`_count_changed`);
    the rest of the diff image is drawn as pixelmatch draws equal pixels (:func:`_faded`).
    """
    if expected is None or expected == actual:
        width, height = _png_size(actual)
        return PixelDiff(0, width * height, None, None)
    old, new = _decode(expected), _decode(actual)
    size = (max(old.width, new.width), max(old.height, new.height))
    old, new = _padded(old, size), _padded(new, size)
    diff = _faded(old)
    changed = _count_changed(old, new, tolerance, diff)
    if not changed:
        return PixelDiff(0, size[0] * size[1], None, None)
    return PixelDiff(changed, size[0] * size[1], _changed_region(diff), _encode(diff))


def _count_changed(old: Image.Image, new: Image.Image, tolerance: Tolerance, diff: Image.Image) -> int:
    """pixelmatch's count over the box of the pixels that differ at all, grown by :data:`_AA_REACH`;
    pixelmatch's picture of the pixels that differ is drawn into ``diff`` (a picture of the page,
    its equal pixels already faded by :func:`_faded`).

    pixelmatch is pure Python: a 1280×800 page takes seconds, and a figure whose PNG differs by a
    few pixels from the committed one (Chromium's timing-dependent redraw of a corner, Figura 8)
    would pay that on every run. Pixels outside the box are equal in both images and never count;
    deciding whether a pixel inside is anti-aliased reads pixels up to 2 px away (its neighbours'
    neighbours), so the grown box gives the whole page's count. Inside the box, pixelmatch's own
    loop visited every pixel, and most of them are equal too (another renderer's anti-aliasing
    changes the edges of the letters, not the space between): :func:`_pixelmatch_changed` runs
    pixelmatch's steps (its own functions) on the pixels that differ only, and an equal pixel keeps
    the grey :func:`_faded` gave it, as outside the box.
    """
    window = _changed_window(old, new, _AA_REACH)
    if window is None:
        return 0
    old, new = old.crop(window), new.crop(window)
    drawn = bytearray(diff.crop(window).tobytes())
    changed = _pixelmatch_changed(old, new, tolerance.threshold, drawn)
    diff.paste(Image.frombytes("RGBA", old.size, bytes(drawn)), window[:2])
    return changed


_AA_COLOUR = (255, 255, 0)  # pixelmatch's colour for an anti-aliased pixel, not counted
_FADE = 0.1  # pixelmatch's alpha: how much of the original's grey the diff keeps


def _pixelmatch_changed(old: Image.Image, new: Image.Image, threshold: float, drawn: bytearray) -> int:
    """pixelmatch's count (``includeAA=False``) and its picture in ``drawn`` (RGBA bytes of the
    same size), visiting only the pixels whose bytes differ: an equal pixel's colour difference is
    0, which pixelmatch never counts and only fades, and ``drawn`` comes faded already."""
    first, second = old.tobytes(), new.tobytes()
    # pixelmatch types its output as numbers; its drawing writes ints only, as its own Pillow wrapper relies on
    out = cast(MutableSequence[int | float], drawn)
    width, height = old.size
    max_delta = 35215 * threshold * threshold  # pixelmatch's bound on the squared YIQ difference
    bands = ImageChops.difference(old, new).split()
    differing = ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), ImageChops.lighter(bands[2], bands[3]))
    changed = 0
    for found in re.finditer(rb"[^\x00]", differing.tobytes()):
        index = found.start()
        pos, x, y = index * 4, index % width, index // width
        if color_delta(first, second, pos, pos) <= max_delta:
            draw_gray_pixel(first, pos, _FADE, out)
        elif antialiased(first, x, y, width, height, second) or antialiased(second, x, y, width, height, first):
            draw_pixel(out, pos, *_AA_COLOUR)
        else:
            draw_pixel(out, pos, *_DIFF_COLOUR)
            changed += 1
    return changed


def _changed_window(old: Image.Image, new: Image.Image, reach: int) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) of the pixels that differ at all between two images of one
    size, grown by ``reach`` and clipped to the page; ``None`` when no pixel differs."""
    box = ImageChops.difference(old, new).getbbox(alpha_only=False)
    if box is None:
        return None
    left, top, right, bottom = box
    return max(left - reach, 0), max(top - reach, 0), min(right + reach, old.width), min(bottom + reach, old.height)


# pixelmatch's brightness (the Y of YIQ) of a red, green and blue value.
_Y_WEIGHTS = (0.29889531, 0.58662247, 0.11448223)


def _faded(image: Image.Image) -> Image.Image:
    """``image`` as pixelmatch draws pixels equal in both images: greys faded nine tenths to white.

    pixelmatch writes ``int(255 + (Y - 255) × 0.1 × alpha / 255)`` one pixel at a time in Python;
    for an opaque pixel that is 229 + Y/10 rounded half up, one matrix conversion here. Checked
    over all 16.7 million opaque colours: 13 come out a level off, float32 rounding where Y/10
    is a hair from a half (grey 225 among them). A translucent pixel is laid on white by its
    alpha, as pixelmatch's own Pillow shortcut for equal images does (within a level).
    """
    weights = (*(weight / 10 for weight in _Y_WEIGHTS), 0.0)
    grey = image.convert("RGB").convert("L", matrix=weights).point(lambda value: value + 229)
    white = Image.new("L", image.size, 255)
    grey = Image.composite(grey, white, image.getchannel("A"))
    return Image.merge("RGBA", (grey, grey, grey, white))


def zoom_images(expected: bytes, actual: bytes, diff: bytes, region: Region) -> dict[str, bytes]:
    """The changed region of each image with a margin, magnified alike (nearest neighbour).

    Sixty changed pixels are invisible in a full-page thumbnail; side by side and enlarged,
    the reader sees the digit or the border that moved.
    """
    images = {"zoom-expected": _decode(expected), "zoom-actual": _decode(actual), "zoom-diff": _decode(diff)}
    size = (max(i.width for i in images.values()), max(i.height for i in images.values()))
    x, y, width, height = region
    box = (
        max(x - _ZOOM_MARGIN, 0),
        max(y - _ZOOM_MARGIN, 0),
        min(x + width + _ZOOM_MARGIN, size[0]),
        min(y + height + _ZOOM_MARGIN, size[1]),
    )
    factor = zoom_factor(region)
    zoomed = {}
    for kind, image in images.items():
        crop = _padded(image, size).crop(box)
        zoomed[kind] = _encode(crop.resize((crop.width * factor, crop.height * factor), Image.Resampling.NEAREST))
    return zoomed


def zoom_factor(region: Region) -> int:
    """The magnification :func:`zoom_images` uses for ``region`` (shown in the report)."""
    width = region[2] + 2 * _ZOOM_MARGIN
    return max(1, min(_ZOOM_MAX, _ZOOM_WIDTH // width))  # width > 0: the margins alone are 24


_IGNORED_OUTLINE = (31, 111, 178, 255)  # the site's --blue: not the diff's red nor the highlight's orange


def without_ignored(expected: bytes, actual: bytes, regions: list[Region] | tuple[Region, ...]) -> bytes:
    """``actual`` with the expected pixels pasted over each ignored region, so only the rest is
    compared; the published figure (``actual`` itself) is left clean."""
    if not regions:
        return actual
    old, new = _decode(expected), _decode(actual)
    for x, y, width, height in regions:
        box = (x, y, x + width, y + height)
        new.paste(_padded(old, (max(old.width, box[2]), max(old.height, box[3]))).crop(box), box[:2])
    return _encode(new)


def outline_regions(png: bytes, regions: list[Region] | tuple[Region, ...]) -> bytes:
    """The image with each ignored region outlined, for the report."""
    image = _decode(png)
    draw = ImageDraw.Draw(image)
    for x, y, width, height in regions:
        draw.rectangle((x - 2, y - 2, x + width + 1, y + height + 1), outline=_IGNORED_OUTLINE, width=2)
    return _encode(image)


def is_multiple(expected: tuple[int, int], actual: tuple[int, int]) -> bool:
    """Another device scale factor: the actual size is 2 or 3 times the expected one."""
    return any(actual == (expected[0] * k, expected[1] * k) for k in (2, 3))


def compare(
    name: str,
    actual: bytes,
    expected: bytes | None,
    tolerance: AnyTolerance,
    cross_renderer: bool = False,
    ignore: tuple[Region, ...] = (),
) -> tuple[Comparison, PixelDiff | None]:
    actual_size, ignore = _png_size(actual), tuple(tuple(region) for region in ignore)  # type: ignore[misc]  # lists from JSON
    if expected is None:
        return Comparison(name, NEW, 0.0, None, actual_size, cross_renderer=cross_renderer, ignored=ignore), None
    actual = without_ignored(expected, actual, ignore)
    expected_size = _png_size(expected)
    if isinstance(tolerance, CrossRendererTolerance):
        found = compare_across_renderers(expected, actual, tolerance)
        comparable = expected_size == actual_size or is_multiple(expected_size, actual_size)
        same = comparable and found.changed_pixels <= tolerance.max_diff_pixels
    else:
        found = compare_png(expected, actual, tolerance)
        same = expected_size == actual_size and tolerance.allows(found.changed_pixels, found.ratio)
    comparison = Comparison(
        name,
        SAME if same else CHANGED,
        found.ratio,
        expected_size,
        actual_size,
        changed_pixels=found.changed_pixels,
        region=found.region,
        cross_renderer=cross_renderer,
        ignored=ignore,
    )
    return comparison, found


# --- comparing across renderers --------------------------------------------------------------


@dataclass(frozen=True)
class CrossRendererTolerance:
    """How figures from another renderer are compared (``figure_cross_*``, which pyproject.toml may set).

    Another build of Chromium draws the same page with glyphs shifted by a fraction of a pixel
    and edges anti-aliased differently; pixelmatch counts thousands of such pixels on a page,
    as many as a changed serial makes. So across renderers a pixel counts as changed only when
    its colour lies outside the range of the other image's pixels within ``radius`` (per
    channel, widened by ``channel_tolerance`` of 255), both ways. An edge moved by a fraction of
    a pixel stays inside that range; a new glyph, a moved box or a solid fill in another shade
    does not. A figure passes when at most ``max_diff_pixels`` pixels changed.

    The defaults are the shipped ones, measured on tests/figure_pairs/ (docs/guia/figuras.md, «Figuras y
    renderizadores»): another renderer's screens differ by 0 such pixels (pixelmatch: 856 to
    2393; on the nine figures at most 28, a 1-px line of Figura 5), the smallest real change
    (another customer's name) by 665, a brand red 27/255 darker by 2268; a channel tolerance of 27
    or more would let that red pass.
    """

    radius: int = 1
    channel_tolerance: int = 16
    max_diff_pixels: int = 100

    def describe(self) -> str:
        return (
            f"un píxel cuenta si su color sale del rango de sus vecinos a {self.radius} px en la otra imagen "
            f"(± {self.channel_tolerance}/255 por canal); hasta {pixels_text(self.max_diff_pixels)}"
        )


def _out_of_range(image: Image.Image, other: Image.Image, radius: int, tolerance: int) -> Image.Image:
    """A mask (L) of ``image``'s pixels whose colour is outside ``other``'s local range."""
    size = 2 * radius + 1
    masks = []
    for band, other_band in zip(image.split(), other.split(), strict=True):  # both RGB
        low = other_band.filter(ImageFilter.MinFilter(size))
        high = other_band.filter(ImageFilter.MaxFilter(size))
        below = ImageChops.subtract(low, band)  # how far under the neighbours' darkest
        above = ImageChops.subtract(band, high)  # how far over their lightest
        masks.append(ImageChops.lighter(below, above))
    worst = ImageChops.lighter(ImageChops.lighter(masks[0], masks[1]), masks[2])
    return worst.point(lambda value: 255 if value > tolerance else 0)


def _normalised_scale(expected: Image.Image, actual: Image.Image) -> Image.Image:
    """An actual image shot at an integer multiple of the expected scale, reduced to its size."""
    if actual.size == expected.size:
        return actual
    factor_x, rest_x = divmod(actual.width, expected.width)
    factor_y, rest_y = divmod(actual.height, expected.height)
    if factor_x == factor_y >= 2 and not rest_x and not rest_y:
        return actual.reduce(factor_x)  # box average: what a 2x render shown at 1x looks like
    return actual


def compare_across_renderers(expected: bytes, actual: bytes, tolerance: CrossRendererTolerance) -> PixelDiff:
    """Compare two renderers' images of one screen (see :class:`CrossRendererTolerance`).

    A shot at twice (or three times) the device scale factor is first reduced to the committed
    size, so another scale factor is compared rather than failed for its size alone. Only the box
    of the pixels that differ at all, grown by the radius, is measured: a pixel equal in both
    images is never out of the other's range around it, which holds its own colour.
    """
    old = _decode(expected)
    new = _normalised_scale(old, _decode(actual))
    size = (max(old.width, new.width), max(old.height, new.height))
    old, new = _padded(old, size), _padded(new, size)
    old_rgb, new_rgb = old.convert("RGB"), new.convert("RGB")
    window = _changed_window(old_rgb, new_rgb, tolerance.radius)
    if window is None:
        return PixelDiff(0, size[0] * size[1], None, None)
    old_rgb, new_rgb = old_rgb.crop(window), new_rgb.crop(window)
    mask = ImageChops.lighter(
        _out_of_range(new_rgb, old_rgb, tolerance.radius, tolerance.channel_tolerance),
        _out_of_range(old_rgb, new_rgb, tolerance.radius, tolerance.channel_tolerance),
    )
    changed = mask.histogram()[255]
    if not changed:
        return PixelDiff(0, size[0] * size[1], None, None)
    # Drawn like pixelmatch's diff: the expected image faded to grey, changed pixels in red.
    diff = _faded(old)
    diff.paste(_DIFF_COLOUR, window, mask)
    left, top, right, bottom = mask.getbbox()  # type: ignore[misc]  # changed > 0: the mask has a box
    region = (window[0] + left, window[1] + top, right - left, bottom - top)
    return PixelDiff(changed, size[0] * size[1], region, _encode(diff))


AnyTolerance = Tolerance | CrossRendererTolerance
