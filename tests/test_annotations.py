"""Figure annotations: the step's tail, the layout of the marks, blur, and compare-only regions."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from tutorial.figuras import annotations as an
from tutorial.figuras.annotations import Annotation, AnnotationError, Rect, layout, parse_tail, pixelate
from tutorial.figuras.comparison import SAME, Tolerance
from tutorial.figuras.report import FigureReport
from tutorial.figuras.verdict import check_figure, update_figure

ROOT = Path(__file__).resolve().parents[1]


def test_the_tail_reads_every_kind_in_the_order_written():
    tail = (
        ' resaltando "Suscripciones" con el número 1 en "No. serie" y el número 2 en "Actualiza la serie"'
        ' con una flecha hacia "Mi cuenta Aspel", con la nota "Haz clic aquí" junto a "Aceptar"'
        ' difuminando "RFC" ignorando "Fecha:" recortada a "Actualiza la versión de tu sistema" ocultando "x"'
    )
    assert parse_tail(tail) == [
        Annotation(an.BOX, "Suscripciones"),
        Annotation(an.BADGE, "No. serie", 1),
        Annotation(an.BADGE, "Actualiza la serie", 2),
        Annotation(an.ARROW, "Mi cuenta Aspel"),
        Annotation(an.NOTE, "Aceptar", text="Haz clic aquí"),
        Annotation(an.BLUR, "RFC"),
        Annotation(an.IGNORE, "Fecha:"),
        Annotation(an.CROP, "Actualiza la versión de tu sistema"),
        Annotation(an.MASK, "x"),
    ]


@pytest.mark.parametrize(
    "tail, message",
    [
        (' con un círculo en "Aceptar"', "No se entiende «con un círculo"),
        (' con el número 1 en "A" y el número 1 en "B"', "una sola vez"),
        (' con la nota "' + "x" * 41 + '" junto a "A"', "larga"),
        (
            ' resaltando "Aceptar" con el número 1 en "Aceptar"',
            "«Aceptar» lleva 2 marcas \\(recuadro, número\\): una sola",
        ),
        (' resaltando "A" con una flecha hacia "A"', "«A» lleva 2 marcas \\(recuadro, flecha\\)"),
    ],
)
def test_a_tail_that_is_not_understood_says_what(tail, message):
    with pytest.raises(AnnotationError, match=message):
        parse_tail(tail)


def test_every_figure_step_of_the_features_parses():
    import re

    steps = [
        m
        for f in sorted((ROOT / "features").glob("*.feature"))
        for m in re.finditer(an.FIGURE_STEP_PATTERN.rstrip("$"), f.read_text(encoding="utf-8"))
    ]
    kinds = {a.kind for m in steps for a in parse_tail(m["tail"].splitlines()[0] if m["tail"] else "")}
    assert {an.BOX, an.BADGE, an.ARROW, an.BLUR, an.IGNORE, an.CROP}.issubset(kinds)
    assert an.NOTE in kinds


BOUNDS = Rect(0, 0, 1280, 800)
SERIE, ICON = Rect(560, 250, 150, 40), Rect(1190, 290, 40, 40)


def _centre_distance(shape: an.Shape, target: Rect) -> float:
    (x, y), (tx, ty) = shape.rect.centre, target.centre
    return ((x - tx) ** 2 + (y - ty) ** 2) ** 0.5


def test_each_badge_sits_beside_its_own_target_and_covers_none():
    marks = [Annotation(an.BADGE, "No. serie", 1), Annotation(an.BADGE, "Actualiza la serie", 2)]
    shapes = layout(marks, {"No. serie": SERIE, "Actualiza la serie": ICON}, BOUNDS)
    by_label = {s.label: s for s in shapes}
    for label, own, other in (("1", SERIE, ICON), ("2", ICON, SERIE)):
        badge = by_label[label]
        assert _centre_distance(badge, own) < _centre_distance(badge, other), f"el número {label} está en otro elemento"
        assert _centre_distance(badge, own) < max(own.width, own.height) / 2 + 2 * an.BADGE_RADIUS + an.GAP
        assert not badge.rect.overlaps(own) and not badge.rect.overlaps(other)


def test_marks_avoid_text_when_a_free_place_exists():
    target = Rect(600, 300, 100, 30)
    text_left_and_above = [Rect(450, 250, 140, 60), Rect(560, 260, 200, 30)]
    (badge,) = layout([Annotation(an.BADGE, "t", 1)], {"t": target}, BOUNDS, content=text_left_and_above)
    assert not any(badge.rect.overlaps(c) for c in text_left_and_above)
    assert not badge.rect.overlaps(target)


def test_an_arrow_points_at_its_target_from_outside():
    target = Rect(900, 10, 120, 30)
    (arrow,) = layout([Annotation(an.ARROW, "t")], {"t": target}, BOUNDS)
    (tail_x, tail_y), (tip_x, tip_y) = arrow.points
    box = target.grown(an.BOX_PADDING + an.GAP)
    assert box.x <= tip_x <= box.right and box.y <= tip_y <= box.bottom  # on the box's edge
    assert not (target.x < tip_x < target.right and target.y < tip_y < target.bottom)  # not on the element
    assert not arrow.rect.overlaps(target) and arrow.rect.inside(BOUNDS)
    assert ((tail_x - tip_x) ** 2 + (tail_y - tip_y) ** 2) ** 0.5 == pytest.approx(an.ARROW_LENGTH)


def test_a_note_stays_off_its_target_and_inside_the_crop():
    target, crop = Rect(1100, 700, 90, 36), Rect(300, 0, 920, 760)
    (note,) = layout(
        [Annotation(an.NOTE, "t", text="Haz clic aquí")], {"t": target}, crop, {"Haz clic aquí": (110, 34)}
    )
    assert not note.rect.overlaps(target.grown(an.BOX_PADDING)) and note.rect.inside(crop)
    assert note.label == "Haz clic aquí" and len(note.points) == 2


def test_the_same_layout_every_time():
    marks = [Annotation(an.BADGE, "a", 1), Annotation(an.ARROW, "b"), Annotation(an.NOTE, "a", text="n")]
    targets = {"a": SERIE, "b": ICON}
    assert layout(marks, targets, BOUNDS) == layout(marks, targets, BOUNDS)


def _text_image(scale: int = 1) -> Image.Image:
    image = Image.new("RGB", (300 * scale, 40 * scale), "white")
    ImageDraw.Draw(image).text((10 * scale, 8 * scale), "RFC SCB150312QK4", fill="black", font_size=18 * scale)
    return image


def _edges(image: Image.Image) -> int:
    """Thin strokes: pixels darker by more than 40 than both their neighbours 2 pixels away (left and
    right, or above and below). Glyphs are made of them; blocks of 8 pixels and more have none."""
    grey = image.convert("L")
    count = 0
    for shift in ((2, 0), (0, 2)):
        before = ImageChops.offset(grey, *shift)
        after = ImageChops.offset(grey, -shift[0], -shift[1])
        darker = ImageChops.multiply(
            ImageChops.subtract(before, grey).point(lambda v: 255 if v > 40 else 0),
            ImageChops.subtract(after, grey).point(lambda v: 255 if v > 40 else 0),
        )
        count += darker.histogram()[255]
    return count


@pytest.mark.parametrize("scale", [1, 2])
def test_a_blurred_datum_loses_its_characters(scale):
    image = _text_image(scale)
    region = (0, 0, image.width, image.height)
    blurred = pixelate(image, region, an.PIXEL_BLOCK * scale)
    assert _edges(image) > 40
    assert _edges(blurred) == 0, "el dato difuminado sigue legible: quedan trazos finos de sus letras"
    # and no 18-pixel glyph survives: every block is one colour
    block = an.PIXEL_BLOCK * scale
    for x in range(0, image.width - block, block):
        assert (
            blurred.crop((x, 0, x + block, block)).getextrema()[0][0]
            == blurred.crop((x, 0, x + block, block)).getextrema()[0][1]
            and 1 == 1
        )


@pytest.mark.parametrize(("width", "height"), [(50, 18), (97, 21), (64, 16)])
def test_pixelated_blocks_share_the_region_evenly(width, height):
    """No block thinner than the block size: a thin row under a datum averages a lone descender
    into a block of its own, a stray mark under the blurred value (Figura 3 had one under «RFC»)."""
    pattern = bytes((x * 37 + y * 101) % 251 for y in range(height) for x in range(width))
    noise = Image.frombytes("L", (width, height), pattern)
    blurred = pixelate(noise.convert("RGB"), (0, 0, width, height), 8)
    rows = [blurred.crop((0, y, width, y + 1)).tobytes() for y in range(height)]
    columns = [blurred.crop((x, 0, x + 1, height)).tobytes() for x in range(width)]
    for lines in (rows, columns):
        bands = [1]
        for before, line in zip(lines, lines[1:], strict=False):
            bands[-1:] = [bands[-1] + 1] if line == before else [bands[-1], 1]
        assert min(bands) >= 8, bands


def test_the_committed_figure_3_shows_the_rfc_blurred():
    """Figura 3 names the customer's RFC: its value (right of "RFC", on the line under the heading)
    is blocks in the committed figure, not glyphs."""
    figure = Image.open(ROOT / "screenshots" / "figura-03.png").convert("RGB")
    value = figure.crop((578, 150, 690, 172))  # "SCB150312QK4" as the page lays it out
    label = figure.crop((546, 150, 576, 172))  # "RFC", left readable
    assert _edges(label) > 20
    assert _edges(value) == 0, "el RFC de la Figura 3 sigue legible"


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _mail(date: str) -> bytes:
    image = Image.new("RGB", (200, 60), "white")
    draw = ImageDraw.Draw(image)
    draw.text((5, 5), "Asunto: Actualización", fill="black")
    draw.text((5, 30), f"Fecha: {date}", fill="black")
    return _png(image)


IGNORED = (40, 28, 150, 20)  # the date's value


def test_an_ignored_region_is_left_out_of_the_comparison(tmp_path):
    committed = tmp_path / "figura-06.png"
    committed.write_bytes(_mail("15/03/2022 10:00"))
    report = FigureReport(tmp_path / "reports")
    other_day = _mail("16/03/2022 11:30")
    assert check_figure(other_day, committed, Tolerance(), report, ignore=(IGNORED,)).status == SAME
    with pytest.raises(AssertionError):
        check_figure(other_day, committed, Tolerance(), report)  # without ignorando it fails


def test_only_the_ignored_region_is_left_out(tmp_path):
    committed = tmp_path / "figura-06.png"
    committed.write_bytes(_mail("15/03/2022 10:00"))
    image = Image.open(io.BytesIO(_mail("16/03/2022 11:30"))).convert("RGB")
    ImageDraw.Draw(image).rectangle((5, 5, 30, 15), fill="red")  # outside the region
    with pytest.raises(AssertionError):
        check_figure(_png(image), committed, Tolerance(), FigureReport(tmp_path / "r"), ignore=(IGNORED,))


def test_updating_keeps_the_published_figure_clean_and_unchanged(tmp_path):
    committed = tmp_path / "figura-06.png"
    original = _mail("15/03/2022 10:00")
    committed.write_bytes(original)
    comparison = update_figure(_mail("16/03/2022 11:30"), committed, Tolerance(), ignore=(IGNORED,))
    assert comparison.status == SAME and committed.read_bytes() == original
    fresh = tmp_path / "figura-07.png"
    update_figure(_mail("16/03/2022 11:30"), fresh, Tolerance(), ignore=(IGNORED,))
    assert fresh.read_bytes() == _mail("16/03/2022 11:30")  # nothing painted over in what is published


def test_the_report_outlines_the_ignored_region_on_each_image(tmp_path):
    committed = tmp_path / "figura-06.png"
    committed.write_bytes(_mail("15/03/2022 10:00"))
    report = FigureReport(tmp_path / "reports")
    image = Image.open(io.BytesIO(_mail("16/03/2022 11:30"))).convert("RGB")
    ImageDraw.Draw(image).rectangle((5, 5, 30, 15), fill="red")
    with pytest.raises(AssertionError):
        check_figure(_png(image), committed, Tolerance(), report, ignore=(IGNORED,))
    x, y, width, height = IGNORED
    for kind in ("expected", "actual", "diff"):
        shown = Image.open(report.path("figura-06", kind)).convert("RGB")
        assert shown.getpixel((x + width // 2, y - 2)) == (31, 111, 178), f"{kind}: sin contorno arriba"
        assert shown.getpixel((x - 2, y + height // 2)) == (31, 111, 178), f"{kind}: sin contorno a la izquierda"
    assert "figura-06" in report.write_html().read_text(encoding="utf-8")
