"""What a figure step declares besides its number and caption, and where the camera draws it.

The tail of ``se captura la Figura N "Pie"`` is a list of clauses, in any order, separated by
spaces, commas or ``y``; ``con`` opens the drawn marks::

    resaltando "Mi cuenta Aspel"                     a box around the element (y "Otro": one more)
    con el número 1 en "No. serie"                   a numbered badge beside it
    con una flecha hacia "Mi cuenta Aspel"           an arrow pointing at it
    con la nota "Haz clic aquí" junto a "Aceptar"    a short note beside it, with a connector
    difuminando "RFC"                                the datum labelled so, pixelated
    ignorando "Fecha:"                               the datum labelled so, left out of the comparison
    recortada a "Actualiza la versión de tu sistema" the figure cropped to the element
    ocultando "…"                                    the element painted over (published so)

One drawn mark per target: a box where the figure points at one control, numbers where the
text follows two in order, an arrow where the control sits among its twins (Figura 7's
*Descargar*), a note for what the text does not name.

Targets are what a reader sees: a control's visible name, a text, or a label whose value
follows it ("RFC SCB150312QK4": ``"RFC"`` names the value). Never CSS.

Layout is plain arithmetic on rectangles (CSS pixels, document coordinates), so it is the same
on every run and can be tested without a browser; the camera draws the shapes in the page with
the site's own font, and pixelates blurred regions on the PNG.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PIL import Image

BOX, BADGE, ARROW, NOTE, BLUR, IGNORE, CROP, MASK = "box", "badge", "arrow", "note", "blur", "ignore", "crop", "mask"
DRAWN = (BOX, BADGE, ARROW, NOTE)
MARK_NAMES = {BOX: "recuadro", BADGE: "número", ARROW: "flecha", NOTE: "nota"}

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
_LISTED = re.compile(_QUOTED)
LISTABLE = (BOX, BLUR, IGNORE, MASK)  # clauses whose target may be followed by more: resaltando "A" y "B"
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
            more = _LISTED.match(tail, position)
            if more and found and found[-1].kind in LISTABLE:  # resaltando "A" y "B": a box on each
                found.append(Annotation(found[-1].kind, more["target"]))
                position = more.end()
                continue
            raise AnnotationError(f"No se entiende «{tail[position:]}» en el paso de la figura.")
    _validate(found)
    return found


def doubled_marks(marks: Iterable[tuple[str, str]]) -> list[str]:
    """One callout per target: a line for each target that carries more than one (target, kind)."""
    kinds: dict[str, list[str]] = {}
    for target, kind in marks:
        kinds.setdefault(target, []).append(MARK_NAMES[kind])
    return [
        f"«{target}» lleva {len(names)} marcas ({', '.join(names)}): una sola por control"
        for target, names in sorted(kinds.items())
        if len(names) > 1
    ]


def _validate(annotations: list[Annotation]) -> None:
    numbers = [a.number for a in annotations if a.kind == BADGE]
    if len(set(numbers)) != len(numbers):
        raise AnnotationError(f"Cada número va una sola vez en la figura: {numbers}.")
    doubled = doubled_marks((a.target, a.kind) for a in annotations if a.kind in DRAWN)
    if doubled:
        raise AnnotationError(f"{doubled[0]}, o el lector no sabe cuál mirar.")
    if sum(a.kind == CROP for a in annotations) > 1:
        raise AnnotationError("Una figura se recorta a un solo elemento.")
    for note in (a for a in annotations if a.kind == NOTE):
        if len(note.text or "") > NOTE_MAX_CHARACTERS:
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
    name: str = ""  # the target's visible name, as the figure step writes it

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "label": self.label,
            "points": [list(p) for p in self.points],
            **{k: round(v, 2) for k, v in vars(self.rect).items()},
        }


def segment_crosses(start: tuple[float, float], end: tuple[float, float], rect: Rect) -> bool:
    """Whether the segment ``start``–``end`` passes through ``rect``'s inside (Liang–Barsky)."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - rect.x), (dx, rect.right - x0), (-dy, y0 - rect.y), (dy, rect.bottom - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def _edge_point(rect: Rect, direction: tuple[float, float]) -> tuple[float, float]:
    """Where a ray from ``rect``'s centre along ``direction`` leaves the rectangle."""
    cx, cy = rect.centre
    dx, dy = direction
    scale = min((rect.width / 2) / abs(dx) if dx else math.inf, (rect.height / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


# --- the placement rule -------------------------------------------------------------------------
#
# Every drawn mark answers to one rule, the same the layout follows and tests/test_callout_placement.py
# measures on every committed figure (its record, ``figura-NN.marcas.json``, holds the DOM's boxes):
#
# - a box surrounds its target and stays inside the frame and the window its target belongs to;
# - a badge sits just outside its target's box (touching its outline), on the side where the target's label
#   begins (the left, where a reader starts reading it); another side only when the left would
#   leave the frame or the window, or touch another control, text or mark: then above, right, below;
# - an arrow's shaft and a note's connector cross no text nor control but their own target's;
# - a note covers no text nor control, a box is drawn on every click target a mark points at,
#   and nothing leaves the frame or the target's window.

CLEARANCE = 5  # how near a mark may come to another mark without touching it
SEPARATION = 8  # how near a badge or note may come to a text or control that is not its target
BADGE_SIDES = ("izquierda", "arriba", "derecha", "abajo")
_SIDE_WORDS = {"izquierda": "a la izquierda", "arriba": "arriba", "derecha": "a la derecha", "abajo": "abajo"}


@dataclass(frozen=True)
class Scene:
    """What the marks are laid out in: the frame (what the figure shows, document coordinates),
    every text and control on the page (``content``), and for each target its box, the window it
    belongs to (a dialog, a desktop window, the frame itself) and whether a reader clicks it."""

    frame: Rect
    targets: dict[str, Rect]
    content: tuple[Rect, ...] = ()
    windows: dict[str, Rect] = field(default_factory=dict)
    clickable: frozenset[str] = frozenset()

    def window(self, name: str) -> Rect:
        return self.windows.get(name) or self.frame

    def others(self, name: str) -> list[Rect]:
        """The texts and controls that are not the target's own (not inside its box)."""
        own = self.targets[name].grown(BOX_PADDING)
        return [c for c in self.content if not c.inside(own)]


def box_rect(target: Rect, window: Rect) -> Rect:
    """The box around ``target``: BOX_PADDING outside it, pulled in where that would leave its window."""
    box = target.grown(BOX_PADDING)
    x, y = max(box.x, window.x + 1), max(box.y, window.y + 1)
    right, bottom = min(box.right, window.right - 1), min(box.bottom, window.bottom - 1)
    return Rect(x, y, right - x, bottom - y)


def badge_rect(target: Rect, side: str) -> Rect:
    """The badge on ``side`` of its target: just outside the target's box (whether drawn or not),
    centred on it left and right, aligned with its start above and below."""
    box, size = target.grown(BOX_PADDING), 2 * BADGE_RADIUS
    cx, cy = box.centre
    return {
        "izquierda": Rect(box.x - size, cy - BADGE_RADIUS, size, size),
        "arriba": Rect(box.x, box.y - size, size, size),
        "derecha": Rect(box.right, cy - BADGE_RADIUS, size, size),
        "abajo": Rect(box.x, box.bottom, size, size),
    }[side]


def problems(shape: Shape, name: str, scene: Scene, earlier: Sequence[Shape] = ()) -> list[str]:
    """What breaks the rule in one mark (Spanish, for a failing figure), given the marks before it."""
    found: list[str] = []
    window = scene.window(name)
    where = f"«{shape.label or name}» ({shape.kind})"
    points = [Rect(x, y, 0, 0) for x, y in shape.points]
    for limit, said in ((scene.frame, "del encuadre de la figura"), (window, "de la ventana de su elemento")):
        if not shape.rect.inside(limit) or not all(p.inside(limit) for p in points):
            found.append(f"{where} sale {said}")
    if shape.kind == BOX:
        return found
    own_box = scene.targets[name].grown(BOX_PADDING)
    keep_off = [c.grown(SEPARATION) for c in scene.others(name)]
    keep_off += [t.grown(BOX_PADDING + CLEARANCE) for other, t in scene.targets.items() if other != name]
    keep_off += [s.rect.grown(CLEARANCE) for s in earlier if s.name != name]
    if shape.kind in (BADGE, NOTE):
        if shape.rect.overlaps(own_box.grown(-0.5)):  # half a pixel: the record's rounding
            found.append(f"{where} tapa su propio elemento")
        touched = next((k for k in keep_off if shape.rect.overlaps(k)), None)
        if touched:
            found.append(f"{where} toca otro control, texto o marca (en x={touched.x:.0f}, y={touched.y:.0f})")
    if shape.kind in (ARROW, NOTE) and len(shape.points) == 2:
        line = shape.points
        crossed = [c for c in scene.others(name) if segment_crosses(line[0], line[1], c)]
        if shape.kind == ARROW and shape.rect.overlaps(own_box):
            found.append(f"{where} entra en su propio elemento")
        if crossed:
            found.append(f"la línea de {where} cruza un texto o control")
    return found


def _first_fitting(candidates: list[Shape], name: str, scene: Scene, earlier: list[Shape]) -> Shape:
    for candidate in candidates:
        if not problems(candidate, name, scene, earlier):
            return candidate
    said = " | ".join(sorted({"; ".join(problems(c, name, scene, earlier)) for c in candidates}))
    raise AnnotationError(f"No hay lugar para la marca de «{name}» según la regla de colocación: {said}.")


def _badges(target: Rect, number: int, name: str) -> list[Shape]:
    return [Shape(BADGE, badge_rect(target, side), target, str(number), name=name) for side in BADGE_SIDES]


# Arrow directions in the order tried (down-right first, as docs writers draw them), and lengths.
_ARROW_DIRECTIONS = [(1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (1, 0), (-1, 0), (0, -1)]
_ARROW_LENGTHS = (ARROW_LENGTH, ARROW_LENGTH * 2 / 3)
_ARROW_TIPS = (0.5, 0.25, 0.75)  # where along the box's facing edge the tip lands


def _arrows(target: Rect, name: str) -> list[Shape]:
    box = target.grown(BOX_PADDING + GAP)
    shapes = []
    for length in _ARROW_LENGTHS:
        for dx, dy in _ARROW_DIRECTIONS:
            norm = math.hypot(dx, dy)
            direction = (dx / norm, dy / norm)
            tips = [_edge_point(box, direction)]
            if dx == 0:  # straight up or down: also from the box's left and right quarters
                tips += [(box.x + box.width * f, tips[0][1]) for f in _ARROW_TIPS[1:]]
            if dy == 0:
                tips += [(tips[0][0], box.y + box.height * f) for f in _ARROW_TIPS[1:]]
            for tip in tips:
                tail = (tip[0] + direction[0] * length, tip[1] + direction[1] * length)
                x0, y0 = min(tip[0], tail[0]), min(tip[1], tail[1])
                rect = Rect(x0 - 2, y0 - 2, abs(tail[0] - tip[0]) + 4, abs(tail[1] - tip[1]) + 4)
                shapes.append(Shape(ARROW, rect, target, "", (tail, tip), name))
    return shapes


def _notes(target: Rect, text: str, size: tuple[float, float], name: str) -> list[Shape]:
    box, (width, height) = target.grown(BOX_PADDING), size
    cy = box.y + box.height / 2 - height / 2
    rects = [
        Rect(box.right + NOTE_GAP, cy, width, height),  # right
        Rect(box.x, box.bottom + NOTE_GAP, width, height),  # below, left-aligned
        Rect(box.x - NOTE_GAP - width, cy, width, height),  # left
        Rect(box.x, box.y - NOTE_GAP - height, width, height),  # above, left-aligned
        Rect(box.right - width, box.bottom + NOTE_GAP, width, height),  # below, right-aligned
        Rect(box.right - width, box.y - NOTE_GAP - height, width, height),  # above, right-aligned
        Rect(box.x, box.bottom + 2 * NOTE_GAP + height, width, height),  # further below
    ]
    shapes = []
    for rect in rects:
        # The connector runs from the note's facing edge to the target's own edge (where its dot
        # sits on the card, not in the padding under it, pointing at nothing).
        direction = (rect.centre[0] - box.centre[0], rect.centre[1] - box.centre[1])
        start = _edge_point(rect, (-direction[0], -direction[1]))
        end = _edge_point(target, direction)
        shapes.append(Shape(NOTE, rect, target, text, (start, end), name))
    return shapes


def layout(
    annotations: list[Annotation],
    targets: dict[str, Rect],
    bounds: Rect,
    note_sizes: dict[str, tuple[float, float]] | None = None,
    content: Sequence[Rect] = (),
    windows: dict[str, Rect] | None = None,
) -> list[Shape]:
    """Where each drawn mark goes, by the placement rule above: for each mark the first candidate
    that breaks nothing (:func:`problems`); :class:`AnnotationError` when none is left. Boxes
    first, then badges and arrows, then notes (the largest); earlier marks count for later ones."""
    return layout_in(annotations, Scene(bounds, dict(targets), tuple(content), dict(windows or {})), note_sizes)


def layout_in(
    annotations: list[Annotation], scene: Scene, note_sizes: dict[str, tuple[float, float]] | None = None
) -> list[Shape]:
    """:func:`layout` for a :class:`Scene`."""
    note_sizes = note_sizes or {}
    shapes: list[Shape] = []
    order = {BOX: 0, BADGE: 1, ARROW: 2, NOTE: 3}
    for annotation in sorted((a for a in annotations if a.kind in DRAWN), key=lambda a: order[a.kind]):
        name, target = annotation.target, scene.targets[annotation.target]
        if annotation.kind == BOX:
            shapes.append(Shape(BOX, box_rect(target, scene.window(name)), target, name=name))
            continue
        if annotation.kind == BADGE:
            assert annotation.number is not None  # parse gives every badge its number
            candidates = _badges(target, annotation.number, name)
        elif annotation.kind == ARROW:
            candidates = _arrows(target, name)
        else:
            assert annotation.text is not None  # parse gives every note its text
            candidates = _notes(target, annotation.text, note_sizes.get(annotation.text, (120, 30)), name)
        shapes.append(_first_fitting(candidates, name, scene, shapes))
    return shapes


def _same(a: Rect, b: Rect, within: float = 0.5) -> bool:
    return all(abs(u - v) <= within for u, v in zip(vars(a).values(), vars(b).values(), strict=True))


def check_placement(scene: Scene, shapes: list[Shape]) -> list[str]:
    """Every breach of the placement rule in a figure's marks, as they were drawn (empty: none).
    Measured against the DOM's boxes in ``scene``; tests/test_callout_placement.py runs it on the
    record of every committed figure, the camera on every shot."""
    found: list[str] = []
    for index, shape in enumerate(shapes):
        found += problems(shape, shape.name, scene, shapes[:index])
        if shape.kind == BADGE:
            side = next((s for s in BADGE_SIDES if _same(badge_rect(scene.targets[shape.name], s), shape.rect)), None)
            if side is None:
                found.append(f"el número {shape.label} no está junto a «{shape.name}» a la distancia de la regla")
            for before in BADGE_SIDES[: BADGE_SIDES.index(side) if side else 0]:
                preferred = Shape(
                    BADGE, badge_rect(scene.targets[shape.name], before), shape.target, shape.label, name=shape.name
                )
                if not problems(preferred, shape.name, scene, shapes[:index]):
                    found.append(
                        f"el número {shape.label} va {_SIDE_WORDS[side]} de «{shape.name}» pudiendo ir {_SIDE_WORDS[before]}"  # type: ignore[index]  # side is set whenever this loop runs
                    )
                    break
    found += doubled_marks((shape.name, shape.kind) for shape in shapes)
    for shape in shapes:
        if shape.kind == BOX and not scene.targets[shape.name].grown(-1).inside(shape.rect.grown(0.5)):
            found.append(f"el recuadro de «{shape.name}» no rodea su elemento")
    return found


def scene_record(scene: Scene, shapes: list[Shape]) -> dict:
    """The figure's placement record (``figura-NN.marcas.json``): the frame, the targets with their
    windows, the page's texts and controls in the frame, and the marks as drawn."""
    rect = lambda r: [round(r.x, 1), round(r.y, 1), round(r.width, 1), round(r.height, 1)]  # noqa: E731
    return {
        "nota": "Medido en el DOM al tomar la figura; lo comprueba tests/test_callout_placement.py.",
        "encuadre": rect(scene.frame),
        "objetivos": {
            name: {"caja": rect(box), "ventana": rect(scene.window(name)), "clic": name in scene.clickable}
            for name, box in sorted(scene.targets.items())
        },
        "contenido": sorted(rect(c) for c in scene.content if c.overlaps(scene.frame)),
        "marcas": [
            {
                "tipo": s.kind,
                "objetivo": s.name,
                "texto": s.label,
                "caja": rect(s.rect),
                "puntos": [list(p) for p in s.points],
            }
            for s in shapes
        ],
    }


def read_record(record: dict) -> tuple[Scene, list[Shape]]:
    """:func:`scene_record` back into a scene and its marks."""
    targets = {name: Rect(*t["caja"]) for name, t in record["objetivos"].items()}
    scene = Scene(
        Rect(*record["encuadre"]),
        targets,
        tuple(Rect(*c) for c in record["contenido"]),
        {name: Rect(*t["ventana"]) for name, t in record["objetivos"].items()},
        frozenset(name for name, t in record["objetivos"].items() if t["clic"]),
    )
    shapes = [
        Shape(
            m["tipo"],
            Rect(*m["caja"]),
            targets[m["objetivo"]],
            m["texto"],
            tuple(map(tuple, m["puntos"])),
            m["objetivo"],
        )
        for m in record["marcas"]
    ]
    return scene, shapes


# --- on the PNG ---------------------------------------------------------------------------------


def pixelate(image: Image.Image, region: tuple[int, int, int, int], block: int) -> Image.Image:
    """``region`` (x, y, width, height in image pixels) turned into blocks of at least ``block``
    pixels, each the average of what it covers: the shape of a datum stays, its characters do not.
    The blocks share the region evenly and none is thinner than ``block``: a thin last row under a
    line of text averages a lone descender into a stray block of its own (Figura 3 had one)."""
    x, y, width, height = region
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + width, image.width), min(y + height, image.height)
    if x1 <= x0 or y1 <= y0:
        return image
    patch = image.crop((x0, y0, x1, y1))
    small = patch.resize((max(1, patch.width // block), max(1, patch.height // block)), Image.Resampling.BOX)
    image = image.copy()
    image.paste(small.resize(patch.size, Image.Resampling.NEAREST), (x0, y0))
    return image


def to_image_region(rect: Rect, origin: tuple[float, float], scale: int, pad: float = 0) -> tuple[int, int, int, int]:
    """A page rectangle (CSS px) → image pixels, given the shot's top-left and device scale."""
    x0 = math.floor((rect.x - pad - origin[0]) * scale)
    y0 = math.floor((rect.y - pad - origin[1]) * scale)
    x1 = math.ceil((rect.right + pad - origin[0]) * scale)
    y1 = math.ceil((rect.bottom + pad - origin[1]) * scale)
    return x0, y0, x1 - x0, y1 - y0
