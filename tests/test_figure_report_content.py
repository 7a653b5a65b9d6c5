"""What the figure report and the comparisons show, number for number and tag for tag.

Pinned because mutation testing (make mutacion) found them unchecked: the HTML a QA person
reads (labels, captions, the zoom and overlay blocks, the accept command), the exact counts
and regions of both comparisons, the diff image drawn across renderers and the magnified crops.
Small images only: these run under mutmut for every mutant.
"""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from PIL import Image, ImageDraw

from tutorial.figuras.comparison import (
    CHANGED,
    NEW,
    SAME,
    ZOOM_KINDS,
    Comparison,
    CrossRendererTolerance,
    PixelDiff,
    Tolerance,
    _changed_region,
    compare,
    compare_across_renderers,
    compare_png,
    percent_text,
    without_ignored,
    zoom_factor,
    zoom_images,
)
from tutorial.figuras.report import FigureReport, recorded_comparisons, write_html_from_dir
from tutorial.figuras.verdict import FigureMismatch, check_figure

STRICT = Tolerance()
CROSS = CrossRendererTolerance()


def png(size=(20, 10), block=None, fill=(30, 30, 30), background="white") -> bytes:
    """A plain image with, optionally, a block (x, y, width, height) of ``fill``."""
    image = Image.new("RGB", size, background)
    if block:
        x, y, width, height = block
        ImageDraw.Draw(image).rectangle((x, y, x + width - 1, y + height - 1), fill=fill)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def uri(path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def section(page: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">.*?</section>', page)
    assert found, f"no section for {name}"
    return found.group(0)


# --- the HTML report ----------------------------------------------------------------------------


@pytest.fixture
def changed_page(tmp_path):
    """A report with a changed figure (region at 5, 4), a same one and a cross-renderer new one."""
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(png((40, 30)))
    report = FigureReport(tmp_path / "figures")
    with pytest.raises(FigureMismatch):
        check_figure(png((40, 30), block=(5, 4, 3, 2)), committed, STRICT, report)
    same = tmp_path / "figura-01.png"
    same.write_bytes(png())
    check_figure(png(), same, STRICT, report)
    with pytest.raises(FigureMismatch):
        check_figure(png(), tmp_path / "figura-09.png", CROSS, report, renderer_note="otro Chromium")
    return report, report.write_html().read_text(encoding="utf-8")


def test_the_report_page_has_its_head_table_header_and_one_row_per_figure(changed_page):
    _report, page = changed_page
    assert page.startswith('<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Figuras</title><style>')
    assert "</style></head><body><h1>Figuras</h1><table>" in page  # no renderer note: nothing between
    assert "<table><thead><tr><th>Figura</th><th>Estado</th><th>Renderizador</th><th>Detalle</th></tr></thead>" in page
    assert (
        '<tbody><tr class="same"><td><a href="#figura-01">figura-01</a></td><td>igual</td>'
        "<td>mismo renderizador</td><td>figura-01: igual</td></tr>"
        '<tr class="changed"><td><a href="#figura-04">figura-04</a></td><td>cambió</td><td>mismo renderizador</td>'
    ) in page
    assert (
        '<tr class="new"><td><a href="#figura-09">figura-09</a></td><td>nueva</td>'
        "<td>comparada entre renderizadores</td><td>figura-09: nueva [comparada entre renderizadores]</td></tr></tbody>"
    ) in page
    assert page.endswith("</section></body></html>")
    assert "</section><section" in page  # the sections follow one another, nothing between
    assert "None" not in page and "XX" not in page


def test_a_changed_figure_shows_labelled_images_the_magnified_region_and_the_overlay(changed_page):
    report, page = changed_page
    shown = section(page, "figura-04")
    out = report.out_dir

    def figure(kind, label):
        name = f"figura-04.{kind}.png"
        return (
            f'<figure><figcaption>{label} — <a href="{name}">{name}</a></figcaption>'
            f'<img src="{uri(out / name)}" alt="{label}"></figure>'
        )

    labels = {"expected": "Esperada (comprometida)", "actual": "Actual", "diff": "Diferencias"}
    accept = (
        '<p class="accept">Para aceptar esta captura como la figura publicada: '
        "<code>make aceptar FIGURA=figura-04</code></p>"
    )
    zoom = (
        "<h3>Región cambiada (x=5, y=4, 3×2), ampliada ×8</h3>"
        '<div class="images zoom">'
        + "".join(figure(kind, label) for kind, label in zip(ZOOM_KINDS, labels.values(), strict=True))
        + "</div>"
    )
    side_by_side = '<div class="images ">' + "".join(figure(k, label) for k, label in labels.items()) + "</div>"
    overlay = (
        f'<div class="overlay"><img src="{uri(out / "figura-04.expected.png")}" alt="Esperada">'
        f'<img class="actual" src="{uri(out / "figura-04.actual.png")}" alt="Actual" '
        'style="clip-path: inset(0 50% 0 0)"><input type="range" min="0" max="100" value="50" '
        'aria-label="Superponer actual sobre esperada" oninput="'
    )
    head = '<section id="figura-04"><h2>figura-04: cambió: 6 píxeles (0.50 %) en la región x=5, y=4, 3×2</h2>'
    assert shown.startswith(head + accept + zoom + side_by_side + overlay)
    assert shown.endswith('"></div></section>')


def test_a_new_figure_shows_only_its_actual_image(changed_page):
    report, page = changed_page
    name = "figura-09.actual.png"
    assert section(page, "figura-09") == (
        # Shot by another renderer: `make aceptar` would refuse it, so the report does not offer it.
        '<section id="figura-09"><h2>figura-09: nueva [comparada entre renderizadores]</h2>'
        f'<div class="images "><figure><figcaption>Actual — <a href="{name}">{name}</a></figcaption>'
        f'<img src="{uri(report.out_dir / name)}" alt="Actual"></figure></div></section>'
    )


def test_a_same_figure_with_an_ignored_region_has_no_accept_command(tmp_path):
    committed = tmp_path / "figura-02.png"
    committed.write_bytes(png())
    report = FigureReport(tmp_path / "figures")
    check_figure(png(block=(1, 1, 2, 2)), committed, STRICT, report, ignore=((1, 1, 2, 2),))
    shown = section(report.write_html().read_text(encoding="utf-8"), "figura-02")
    assert shown.startswith(
        '<section id="figura-02"><h2>figura-02: igual</h2><div class="images "><figure><figcaption>Esperada'
    )


def test_a_region_without_magnified_images_shows_only_its_heading(tmp_path):
    out = tmp_path / "figures"
    report = FigureReport(out)
    comparison = Comparison("figura-05", CHANGED, 0.02, (20, 10), (20, 10), 4, (2, 3, 2, 2))
    report.record(comparison, png(block=(2, 3, 2, 2)), png(), None)  # no diff: nothing to magnify
    shown = section(write_html_from_dir(out).read_text(encoding="utf-8"), "figura-05")
    assert 'ampliada ×8</h3><div class="images "><figure><figcaption>Esperada' in shown


def test_the_renderer_note_heads_the_report(tmp_path):
    report = FigureReport(tmp_path / "figures")
    report.note_renderer("Otro Chromium: año <nuevo>")
    report.record(Comparison("figura-01", SAME, 0.0, (20, 10), (20, 10)), png(), png(), None)
    page = report.write_html().read_text(encoding="utf-8")
    assert '<h1>Figuras</h1><p class="renderer">Otro Chromium: año &lt;nuevo&gt;</p><table>' in page


def test_a_sidecar_keeps_its_text_readable(tmp_path):
    report = FigureReport(tmp_path / "figures", renderer={"nombre": "Chromium año 2026"})
    report.record(Comparison("figura-01", SAME, 0.0, (20, 10), (20, 10)), png(), png(), None)
    assert '"nombre": "Chromium año 2026"' in (report.out_dir / "figura-01.json").read_text(encoding="utf-8")


def test_a_new_figure_is_recorded_with_its_renderer_and_ignored_regions(tmp_path):
    report = FigureReport(tmp_path / "figures")
    with pytest.raises(FigureMismatch):
        check_figure(png(), tmp_path / "figura-07.png", CROSS, report, renderer_note="otro", ignore=((1, 1, 2, 2),))
    assert recorded_comparisons(report.out_dir) == [
        Comparison("figura-07", NEW, 0.0, None, (20, 10), cross_renderer=True, ignored=((1, 1, 2, 2),))
    ]


def test_a_resize_that_changes_no_pixel_fails_without_a_magnified_region(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    magenta = (255, 0, 255)  # the padding colour: the larger canvas shows no changed pixel
    committed = tmp_path / "figura-06.png"
    committed.write_bytes(png((20, 10), background=magenta))
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png((20, 12), background=magenta), committed, STRICT, FigureReport(tmp_path / "figures"))
    assert str(failure.value).splitlines()[1:6] == [
        "  causa probable: cambió la página: su tamaño pasó de 20x10 a 20x12",
        "  esperada: figura-06.png",
        "  actual: figures/figura-06.actual.png",
        "  diferencias: figures/figura-06.diff.png",
        "  informe: figures/index.html",
    ]


# --- the numbers --------------------------------------------------------------------------------


def test_a_new_or_unchanged_image_counts_its_own_pixels():
    assert compare_png(None, png(), STRICT) == PixelDiff(0, 200, None, None)
    assert compare_png(png(), png(), STRICT) == PixelDiff(0, 200, None, None)
    other_bytes = io.BytesIO()
    Image.open(io.BytesIO(png())).save(other_bytes, format="PNG", compress_level=1)
    assert compare_png(png(), other_bytes.getvalue(), STRICT) == PixelDiff(0, 200, None, None)


def test_the_per_pixel_threshold_is_the_tolerances():
    grey = png(block=(2, 2, 2, 2), fill=(195, 195, 195))
    assert compare_png(png(), grey, Tolerance(threshold=0.5)).changed_pixels == 0
    assert compare_png(png(), grey, Tolerance(threshold=0.01)).changed_pixels == 4


def _disc(offset: int) -> bytes:
    """A black disc drawn 4 times larger and reduced: its edge is anti-aliased."""
    big = Image.new("RGBA", (160, 80), "white")
    ImageDraw.Draw(big).ellipse((20 + offset, 10, 100 + offset, 70), fill="black")
    buffer = io.BytesIO()
    big.resize((40, 20), Image.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def test_anti_aliased_pixels_are_not_counted():
    assert compare_png(_disc(0), _disc(2), STRICT).changed_pixels == 90  # 105 with the anti-aliased ones


def test_a_pixel_bound_applies_to_the_changed_count(tmp_path):
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(png())
    four = png(block=(2, 2, 2, 2))
    assert (
        compare("figura-04", four, committed.read_bytes(), Tolerance(max_diff_ratio=0.5, max_diff_pixels=3))[0].status
        == CHANGED
    )
    assert (
        compare("figura-04", four, committed.read_bytes(), Tolerance(max_diff_ratio=0.5, max_diff_pixels=4))[0].status
        == SAME
    )


def test_only_the_exact_diff_colour_makes_the_region():
    diff = Image.new("RGBA", (20, 10), (240, 240, 240, 255))
    for pixel, colour in [((1, 1), (128, 0, 0)), ((2, 8), (255, 255, 0)), ((18, 1), (255, 0, 128))]:
        diff.putpixel(pixel, (*colour, 255))
    assert _changed_region(diff) is None
    diff.putpixel((5, 3), (255, 0, 0, 255))
    diff.putpixel((7, 4), (255, 0, 0, 255))
    assert _changed_region(diff) == (5, 3, 3, 2)


@pytest.mark.parametrize(("ratio", "shown"), [(0.0105, "1.05 %"), (0.001, "0.10 %"), (1e-10, "0.00000001 %")])
def test_a_share_shows_two_decimals_from_a_tenth_of_a_percent_and_at_most_eight(ratio, shown):
    assert percent_text(ratio) == shown


def test_an_ignored_region_past_the_committed_width_compares_as_padding():
    pasted = Image.open(io.BytesIO(without_ignored(png((20, 10)), png((30, 10)), [(15, 0, 10, 5)])))
    assert pasted.convert("RGBA").getpixel((22, 2)) == (255, 0, 255, 255)
    assert pasted.convert("RGBA").getpixel((22, 7)) == (255, 255, 255, 255)


# --- the magnified region -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "factor"),
    [((0, 0, 3, 40), 8), ((0, 0, 30, 2), 6), ((0, 0, 66, 2), 4), ((0, 0, 96, 1), 3), ((0, 0, 400, 5), 1)],
)
def test_the_zoom_factor_fits_the_region_and_its_margins_in_360_pixels(region, factor):
    assert zoom_factor(region) == factor


def test_the_magnified_crops_keep_a_margin_clipped_at_the_edges_and_square_pixels():
    expected, actual = png((60, 40)), png((60, 40), block=(5, 4, 3, 2))
    found = compare_png(expected, actual, STRICT)
    assert found.region == (5, 4, 3, 2)
    crops = {
        kind: Image.open(io.BytesIO(data))
        for kind, data in zoom_images(expected, actual, found.diff, found.region).items()
    }
    assert list(crops) == list(ZOOM_KINDS)
    # x from max(5 - 12, 0) to 5 + 3 + 12, y from 0 to 4 + 2 + 12; enlarged 8 times.
    assert {crop.size for crop in crops.values()} == {(20 * 8, 18 * 8)}
    assert {crop.mode for crop in crops.values()} == {"RGBA"}
    zoomed = crops["zoom-actual"]
    assert zoomed.getpixel((5 * 8, 4 * 8)) == (30, 30, 30, 255)  # the block's corner, unblurred
    assert zoomed.getpixel((5 * 8 - 1, 4 * 8)) == (255, 255, 255, 255)
    assert zoomed.getpixel((8 * 8 - 1, 6 * 8 - 1)) == (30, 30, 30, 255)
    assert zoomed.getpixel((8 * 8, 6 * 8 - 1)) == (255, 255, 255, 255)


# --- across renderers ---------------------------------------------------------------------------


def test_the_cross_renderer_diff_fades_the_expected_image_and_paints_changes_red():
    background = (200, 100, 50)
    found = compare_across_renderers(
        png((10, 8), background=background), png((10, 8), (3, 2, 2, 2), (0, 0, 0), background), CROSS
    )
    assert (found.changed_pixels, found.total_pixels, found.region) == (4, 80, (3, 2, 2, 2))
    diff = Image.open(io.BytesIO(found.diff))
    assert diff.mode == "RGBA"
    assert diff.getpixel((3, 2)) == diff.getpixel((4, 3)) == (255, 0, 0, 255)
    assert diff.getpixel((0, 0)) == diff.getpixel((9, 7)) == (241, 241, 241, 255)  # grey 124, 90 % of the way to white


def test_the_same_pixels_count_nothing_across_renderers():
    other_bytes = io.BytesIO()
    Image.open(io.BytesIO(png())).save(other_bytes, format="PNG", compress_level=1)
    assert compare_across_renderers(png(), other_bytes.getvalue(), CROSS) == PixelDiff(0, 200, None, None)


def test_a_change_in_the_green_channel_alone_counts_across_renderers():
    found = compare_across_renderers(png(), png(block=(2, 2, 2, 2), fill=(255, 0, 255)), CROSS)
    assert (found.changed_pixels, found.region) == (4, (2, 2, 2, 2))


def test_a_size_that_is_a_multiple_on_one_axis_only_is_not_reduced():
    found = compare_across_renderers(png((10, 10)), png((20, 10)), CROSS)
    assert found.region == (10, 0, 10, 10)  # the padding beside the committed image


def test_the_cross_renderer_pixel_bound_is_inclusive(tmp_path):
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(png())
    actual = png(block=(2, 2, 2, 2))
    report = FigureReport(tmp_path / "figures")
    exact = CrossRendererTolerance(max_diff_pixels=4)
    assert check_figure(actual, committed, exact, report, renderer_note="otro").status == SAME
    with pytest.raises(FigureMismatch):
        check_figure(actual, committed, CrossRendererTolerance(max_diff_pixels=3), report, renderer_note="otro")
    assert (
        json.loads((report.out_dir / "figura-04.json").read_text(encoding="utf-8"))["comparison"]["changed_pixels"] == 4
    )


def test_images_of_different_modes_are_refused_not_compared_on_their_first_bands():
    from tutorial.figuras.comparison import _out_of_range

    rgb, rgba = Image.new("RGB", (4, 4), "white"), Image.new("RGBA", (4, 4), "white")
    with pytest.raises(ValueError, match="zip"):
        _out_of_range(rgba, rgb, 1, 16)
