"""How the committed figures are framed: one width for the page figures, no half-empty frames, a
dialog alone (no cut text of the page behind it), a window or menu with its margin."""

import json
from pathlib import Path

import pytest
from PIL import Image

from tutorial.documento.feature_reader import figure_steps
from tutorial.figuras import annotations as an
from tutorial.figuras.camera import CROP_PADDING, placement_path
from tutorial.figuras.comparison import figure_name

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
VIEWPORT_WIDTH = 1280
STEPS = {step.number: step for step in figure_steps(ROOT / "features")}
CROPPED = sorted(n for n, step in STEPS.items() if any(a.kind == an.CROP for a in an.parse_tail(step.tail)))
PAGES = sorted(set(STEPS) - set(CROPPED))
BLANK_SHARE = 0.10  # no band of identical rows over this share of a figure's height at its edges
INNER_BLANK = 40  # inside, a page's own spacing (under its header bar) may reach this many pixels
COLUMN_BLANK_SHARE = 0.15  # no band of identical columns over this share of a figure's width (issue 36, point 6)


def _image(number: int) -> Image.Image:
    return Image.open(SCREENSHOTS / f"{figure_name(number)}.png").convert("RGB")


def blank_bands(image: Image.Image) -> list[tuple[int, int]]:
    """(first row, rows) of every run of identical rows: where nothing is shown."""
    rows = [image.crop((0, y, image.width, y + 1)).tobytes() for y in range(image.height)]
    bands, start = [], 0
    for y in range(1, image.height + 1):
        if y == image.height or rows[y] != rows[start]:
            bands.append((start, y - start))
            start = y
    return bands


def test_the_figures_split_into_pages_and_crops():
    assert PAGES == [1, 3, 4, 7] and CROPPED == [2, 5, 6, 8, 9]


@pytest.mark.parametrize("number", PAGES)
def test_a_page_figure_is_the_page_s_full_width(number):
    assert _image(number).width == VIEWPORT_WIDTH


@pytest.mark.parametrize("number", sorted(STEPS))
def test_no_figure_is_half_empty(number):
    image = _image(number)
    bands = blank_bands(image)
    top, bottom = bands[0], bands[-1]
    for where, (_start, rows) in (("arriba", top), ("abajo", bottom)):
        assert rows <= BLANK_SHARE * image.height, (
            f"Figura {number}: {rows} filas vacías {where} ({rows / image.height:.0%} de su altura)"
        )
    inner = max(rows for _start, rows in bands[1:-1])
    assert inner <= max(INNER_BLANK, BLANK_SHARE * image.height), f"Figura {number}: una franja vacía de {inner} filas"


def test_the_old_frames_would_fail():
    """The check is not vacuous: Figura 3 as it was (1280×800, content down to y=210) fails."""
    image = Image.new("RGB", (VIEWPORT_WIDTH, 800), "white")
    image.paste((40, 40, 40), (0, 0, VIEWPORT_WIDTH, 210))
    assert blank_bands(image)[-1][1] > BLANK_SHARE * image.height


def test_the_dialog_is_shown_alone():
    """Figura 5 is the dialog's own box: its frame is the dialog, no margin of dimmed page text."""
    record = json.loads(placement_path(SCREENSHOTS / "figura-05.png").read_text(encoding="utf-8"))
    frame = an.Rect(*record["encuadre"])
    assert record["objetivos"]["Aceptar"]["ventana"] == record["encuadre"]
    assert (frame.width, frame.height) == _image(5).size


def backdrop_corners(image: Image.Image, inset: int = 12) -> list[tuple[int, int]]:
    """The corners whose pixel is not the dialog's own edge (the pixel ``inset`` along the same
    row): where the dimmed page behind a rounded dialog shows through."""
    width, height = image.size
    corners = [(0, 0, inset), (width - 1, 0, -inset), (0, height - 1, inset), (width - 1, height - 1, -inset)]
    return [(x, y) for x, y, step in corners if image.getpixel((x, y)) != image.getpixel((x + step, y))]


def test_no_backdrop_pixel_at_the_dialog_s_corners():
    """Figura 5's rounded corners showed the grey backdrop (134,134,134 at its top-left pixel)."""
    assert backdrop_corners(_image(5)) == []
    rounded = Image.new("RGB", (100, 60), (255, 255, 255))
    rounded.putpixel((0, 0), (134, 134, 134))
    assert backdrop_corners(rounded) == [(0, 0)]


@pytest.mark.parametrize("number", [2, 8, 9])  # Figura 6 draws no mark: no placement record
def test_a_window_keeps_its_margin_unless_it_would_cut_text(number):
    record = json.loads(placement_path(SCREENSHOTS / f"{figure_name(number)}.png").read_text(encoding="utf-8"))
    frame = an.Rect(*record["encuadre"])
    window = an.Rect(*next(iter(record["objetivos"].values()))["ventana"])
    assert window.inside(frame)
    margins = [window.x - frame.x, window.y - frame.y, frame.right - window.right, frame.bottom - window.bottom]
    if number == 8:  # the Inicio menu with the taskbar's Inicio button it opens from (the text names it)
        below = [c for c in record["contenido"] if an.Rect(*c).y >= window.bottom and an.Rect(*c).inside(frame)]
        assert below, "la Figura 8 no muestra el botón Inicio de la barra de tareas"
        margins = margins[:3]
    assert all(round(m) in (0, CROP_PADDING) for m in margins), margins
    cut = [c for c in record["contenido"] if an.Rect(*c).overlaps(frame) and not an.Rect(*c).inside(frame.grown(0.5))]
    assert not cut, f"Figura {number} corta textos o controles en su borde: {cut}"


def widest_blank_columns(image: Image.Image) -> int:
    """The longest run of identical columns: a band where the figure shows nothing across its height."""
    columns = [image.crop((x, 0, x + 1, image.height)).tobytes() for x in range(image.width)]
    widest, start = 0, 0
    for x in range(1, image.width + 1):
        if x == image.width or columns[x] != columns[start]:
            widest, start = max(widest, x - start), x
    return widest


@pytest.mark.parametrize("number", sorted(STEPS))
def test_no_figure_has_an_empty_band_beside_its_subject(number):
    """Figura 2 was 57 % empty page around a 420-px card (197 identical columns, 15.4 %), Figura 6 a
    third (206, 16.1 %): a figure is framed to its subject."""
    image = _image(number)
    widest = widest_blank_columns(image)
    assert widest <= COLUMN_BLANK_SHARE * image.width, (
        f"Figura {number}: {widest} columnas vacías seguidas ({widest / image.width:.0%} de su ancho)"
    )
