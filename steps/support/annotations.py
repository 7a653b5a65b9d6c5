"""What a figure step declares besides its number and caption, and where the camera draws it.

The tail of ``se captura la Figura N "Pie"`` is a list of clauses, in any order, separated by
spaces, commas or ``y``; ``con`` opens the drawn marks::

    resaltando "Mi cuenta Aspel"                     a box around the element
    con el número 1 en "No. serie"                   a numbered badge beside it
    con una flecha hacia "Mi cuenta Aspel"           an arrow pointing at it
    con la nota "Haz clic aquí" junto a "Aceptar"    a short note beside it, with a connector
    difuminando "RFC"                                the datum labelled so, pixelated
    ignorando "Fecha:"                               the datum labelled so, left out of the comparison
    recortada a "Actualiza la versión de tu sistema" the figure cropped to the element
    ocultando "…"                                    the element painted over (published so)

Targets are what a reader sees: a control's visible name, a text, or a label whose value
follows it ("RFC SCB150312QK4": ``"RFC"`` names the value). Never CSS.

Layout is plain arithmetic on rectangles (CSS pixels, document coordinates), so it is the same
on every run and can be tested without a browser; the camera draws the shapes in the page with
the site's own font, and pixelates blurred regions on the PNG.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from PIL import Image

BOX, BADGE, ARROW, NOTE, BLUR, IGNORE, CROP, MASK = "box", "badge", "arrow", "note", "blur", "ignore", "crop", "mask"
DRAWN = (BOX, BADGE, ARROW, NOTE)

# The brand's colours (mock_site/static/css/site.css): --red for marks that speak, --highlight for boxes.
RED = "#d3202f"
HIGHLIGHT = "#f5a623"

BOX_PADDING = 6  # the box sits this far outside the element; every other mark stays outside the box
BADGE_RADIUS = 13
GAP = 6  # between a mark and the box it points at
ARROW_LENGTH = 72
NOTE_GAP = 18
NOTE_MAX_CHARACTERS = 40
PIXEL_BLOCK = 8  # CSS pixels per block of a pixelated region

_QUOTED = r'"(?P<target>[^"]+)"'
_CLAUSES: list[tuple[str, re.Pattern[str]]] = [
    (BOX, re.compile(r"resaltando " + _QUOTED)),
    (BADGE, re.compile(r"(?:con )?el número (?P<number>\d+) en " + _QUOTED)),
    (ARROW, re.compile(r"(?:con )?una flecha hacia " + _QUOTED)),
    (NOTE, re.compile(r'(?:con )?la nota "(?P<text>[^"]+)" junto a ' + _QUOTED)),
    (BLUR, re.compile(r"difuminando " + _QUOTED)),
    (IGNORE, re.compile(r"ignorando " + _QUOTED)),
    (CROP, re.compile(r"recortada a " + _QUOTED)),
    (MASK, re.compile(r"ocultando " + _QUOTED)),
]
_SEPARATOR = re.compile(r"\s*,\s*|\s+y\s+|\s+")

FIGURE_STEP_PATTERN = r'se captura la Figura (?P<number>\d+) "(?P<caption>[^"]+)"(?P<tail>.*)$'


class AnnotationError(ValueError):
    """A figure step whose tail cannot be read; the message quotes what was not understood."""


@dataclass(frozen=True)
class Annotation:
    kind: str
    target: str
    number: int | None = None  # BADGE
    text: str | None = None  # NOTE


def parse_tail(tail: str) -> list[Annotation]:
    """The clauses after the caption, in the order written; :class:`AnnotationError` if any is not one."""
    found: list[Annotation] = []
    position, tail = 0, tail.rstrip()
    while position < len(tail):
        separator = _SEPARATOR.match(tail, position)
        if separator and separator.end() > position:
            position = separator.end()
        for kind, pattern in _CLAUSES:
            match = pattern.match(tail, position)
            if match:
                groups = match.groupdict()
                number = int(groups["number"]) if groups.get("number") else None
                found.append(Annotation(kind, groups["target"], number, groups.get("text")))
                position = match.end()
                break
        else:
            raise AnnotationError(f"No se entiende «{tail[position:]}» en el paso de la figura.")
    _validate(found)
    return found


def _validate(annotations: list[Annotation]) -> None:
    numbers = [a.number for a in annotations if a.kind == BADGE]
    if len(set(numbers)) != len(numbers):
        raise AnnotationError(f"Cada número va una sola vez en la figura: {numbers}.")
    if sum(a.kind == CROP for a in annotations) > 1:
        raise AnnotationError("Una figura se recorta a un solo elemento.")
    for note in (a for a in annotations if a.kind == NOTE):
        if len(note.text) > NOTE_MAX_CHARACTERS:
            raise AnnotationError(f"La nota «{note.text}» es larga: hasta {NOTE_MAX_CHARACTERS} caracteres.")


# --- layout ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def grown(self, by: float) -> Rect:
        return Rect(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def overlaps(self, other: Rect) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def inside(self, other: Rect) -> bool:
        return self.x >= other.x and self.y >= other.y and self.right <= other.right and self.bottom <= other.bottom

    @classmethod
    def of(cls, box: dict) -> Rect:
        return cls(box["x"], box["y"], box["width"], box["height"])


@dataclass(frozen=True)
class Shape:
    """One mark to draw: ``rect`` is what it occupies (for a badge its circle's square, for an
    arrow the square around its tail); ``points`` the connector or shaft, tail first, tip last."""

    kind: str
    rect: Rect
    target: Rect
    label: str = ""
    points: tuple[tuple[float, float], ...] = ()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "points": [list(p) for p in self.points],
            **{k: round(v, 2) for k, v in vars(self.rect).items()},
        }


def _overlap(a: Rect, b: Rect) -> float:
    width = min(a.right, b.right) - max(a.x, b.x)
    height = min(a.bottom, b.bottom) - max(a.y, b.y)
    return width * height if width > 0 and height > 0 else 0.0


def _best(candidates: list[Rect], bounds: Rect, targets: list[Rect], content: list[Rect]) -> Rect:
    """The candidate that stays inside ``bounds``, touches no target, and covers the least of the
    page's text and controls (``content``), first one winning a tie: a fixed order, so a fixed result."""

    def cost(indexed: tuple[int, Rect]) -> tuple:
        index, rect = indexed
        return (
            not rect.inside(bounds),
            sum(_overlap(rect, t) for t in targets) > 0,
            round(sum(_overlap(rect, c) for c in content)),
            index,
        )

    return min(enumerate(candidates), key=cost)[1]


def _badge(target: Rect, number: int, bounds: Rect, targets: list[Rect], content: list[Rect]) -> Shape:
    box, size = target.grown(BOX_PADDING), 2 * BADGE_RADIUS
    cy = box.y + box.height / 2 - BADGE_RADIUS
    candidates = [
        Rect(target.x - size, target.y - size, size, size),  # on the box's top-left corner
        Rect(target.right, target.y - size, size, size),  # on its top-right corner
        Rect(box.x - GAP - size, cy, size, size),  # left, centred
        Rect(box.right + GAP, cy, size, size),  # right, centred
        Rect(target.x - size, target.bottom, size, size),  # on the bottom-left corner
    ]
    return Shape(BADGE, _best(candidates, bounds, targets, content), target, str(number))


def _edge_point(rect: Rect, direction: tuple[float, float]) -> tuple[float, float]:
    """Where a ray from ``rect``'s centre along ``direction`` leaves the rectangle."""
    cx, cy = rect.centre
    dx, dy = direction
    scale = min((rect.width / 2) / abs(dx) if dx else math.inf, (rect.height / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


_ARROW_DIRECTIONS = [(1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (1, 0), (-1, 0), (0, -1)]


def _arrow(target: Rect, bounds: Rect, targets: list[Rect], content: list[Rect]) -> Shape:
    box = target.grown(BOX_PADDING + GAP)
    candidates = []
    for dx, dy in _ARROW_DIRECTIONS:
        norm = math.hypot(dx, dy)
        direction = (dx / norm, dy / norm)
        tip = _edge_point(box, direction)
        tail = (tip[0] + direction[0] * ARROW_LENGTH, tip[1] + direction[1] * ARROW_LENGTH)
        middle = (tip[0] + direction[0] * ARROW_LENGTH / 2, tip[1] + direction[1] * ARROW_LENGTH / 2)
        # What the shaft occupies, roughly: a square around its middle half.
        half = ARROW_LENGTH / 4 + 4
        candidates.append((Rect(middle[0] - half, middle[1] - half, 2 * half, 2 * half), tip, tail))
    rect = _best([c[0] for c in candidates], bounds, targets, content)
    _, tip, tail = next(c for c in candidates if c[0] == rect)
    return Shape(ARROW, rect, target, "", (tail, tip))


def _note(
    target: Rect, text: str, size: tuple[float, float], bounds: Rect, targets: list[Rect], content: list[Rect]
) -> Shape:
    box, (width, height) = target.grown(BOX_PADDING), size
    cy = box.y + box.height / 2 - height / 2
    candidates = [
        Rect(box.right + NOTE_GAP, cy, width, height),  # right
        Rect(box.x, box.bottom + NOTE_GAP, width, height),  # below, left-aligned
        Rect(box.x - NOTE_GAP - width, cy, width, height),  # left
        Rect(box.x, box.y - NOTE_GAP - height, width, height),  # above, left-aligned
        Rect(box.right - width, box.bottom + NOTE_GAP, width, height),  # below, right-aligned
        Rect(box.right - width, box.y - NOTE_GAP - height, width, height),  # above, right-aligned
    ]
    rect = _best(candidates, bounds, targets, content)
    # The connector runs between the facing edges of the note and the box.
    direction = (rect.centre[0] - box.centre[0], rect.centre[1] - box.centre[1])
    start = _edge_point(rect, (-direction[0], -direction[1]))
    end = _edge_point(box, direction)
    return Shape(NOTE, rect, target, text, (start, end))


def layout(
    annotations: list[Annotation],
    targets: dict[str, Rect],
    bounds: Rect,
    note_sizes: dict[str, tuple[float, float]] | None = None,
    content: list[Rect] = (),
) -> list[Shape]:
    """Where each drawn mark goes. No mark touches a target (the element it points at, or any
    other of the figure); each stays inside ``bounds`` (the visible area or the crop) and covers
    as little of ``content`` (the page's text and controls) as its candidates allow; earlier
    marks count as content for later ones. Badges and arrows come before notes, which are larger."""
    note_sizes = note_sizes or {}
    content = list(content)
    kept = list(targets.values())
    shapes: list[Shape] = []
    order = {BOX: 0, BADGE: 1, ARROW: 2, NOTE: 3}
    for annotation in sorted((a for a in annotations if a.kind in DRAWN), key=lambda a: order[a.kind]):
        target = targets[annotation.target]
        if annotation.kind == BOX:
            shapes.append(Shape(BOX, target.grown(BOX_PADDING), target))
            continue
        if annotation.kind == BADGE:
            shape = _badge(target, annotation.number, bounds, kept, content)
        elif annotation.kind == ARROW:
            shape = _arrow(target, bounds, kept, content)
        else:
            size = note_sizes.get(annotation.text, (120, 30))
            shape = _note(target, annotation.text, size, bounds, kept, content)
        shapes.append(shape)
        content.append(shape.rect)
    return shapes


# --- on the PNG ---------------------------------------------------------------------------------


def pixelate(image: Image.Image, region: tuple[int, int, int, int], block: int) -> Image.Image:
    """``region`` (x, y, width, height in image pixels) turned into blocks of ``block`` pixels,
    each the average of what it covers: the shape of a datum stays, its characters do not."""
    x, y, width, height = region
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + width, image.width), min(y + height, image.height)
    if x1 <= x0 or y1 <= y0:
        return image
    patch = image.crop((x0, y0, x1, y1))
    small = patch.resize((max(1, math.ceil(patch.width / block)), max(1, math.ceil(patch.height / block))), Image.BOX)
    image = image.copy()
    image.paste(small.resize(patch.size, Image.NEAREST), (x0, y0))
    return image


def to_image_region(rect: Rect, origin: tuple[float, float], scale: int, pad: float = 0) -> tuple[int, int, int, int]:
    """A page rectangle (CSS px) → image pixels, given the shot's top-left and device scale."""
    x0 = math.floor((rect.x - pad - origin[0]) * scale)
    y0 = math.floor((rect.y - pad - origin[1]) * scale)
    x1 = math.ceil((rect.right + pad - origin[0]) * scale)
    y1 = math.ceil((rect.bottom + pad - origin[1]) * scale)
    return x0, y0, x1 - x0, y1 - y0


@dataclass
class Declared:
    """The annotations of one figure step, split by what the camera does with them."""

    annotations: list[Annotation] = field(default_factory=list)

    def of(self, *kinds: str) -> list[Annotation]:
        return [a for a in self.annotations if a.kind in kinds]

    @property
    def crop(self) -> str | None:
        crops = self.of(CROP)
        return crops[0].target if crops else None
