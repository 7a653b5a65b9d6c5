"""Figure comparison, update and reporting, with images drawn by Pillow (no browser)."""

import io
import os
from itertools import count
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from tutorial.figuras.camera import wait_until_stable
from tutorial.figuras.comparison import CHANGED, NEW, SAME, ZOOM_KINDS, Comparison, Tolerance, compare, compare_png
from tutorial.figuras.report import FigureReport, write_html_from_dir
from tutorial.figuras.verdict import FigureMismatch, FigureUnstable, check_figure, update_figure

STRICT = Tolerance()
# 20x10 = 200 pixels; a 2x2 square changes 4 of them (2 %).
LENIENT = Tolerance(max_diff_ratio=0.05)


def png(size=(20, 10), square=None, fill="red") -> bytes:
    image = Image.new("RGB", size, "white")
    if square:
        ImageDraw.Draw(image).rectangle(square, fill=fill)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def committed(tmp_path):
    path = tmp_path / "screenshots" / "figura-04.png"
    path.parent.mkdir()
    path.write_bytes(png())
    return path


@pytest.fixture
def report(tmp_path):
    return FigureReport(tmp_path / "reports" / "figures")


def test_identical_images_are_the_same(committed):
    comparison, _found = compare("figura-04", png(), committed.read_bytes(), STRICT)
    assert (comparison.status, comparison.diff_ratio) == (SAME, 0.0)
    assert comparison.describe() == "figura-04: igual"


def test_same_pixels_in_other_bytes_count_as_no_change():
    image = Image.open(io.BytesIO(png()))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    assert buffer.getvalue() != png()
    found = compare_png(png(), buffer.getvalue(), STRICT)
    assert (found.changed_pixels, found.region, found.diff) == (0, None, None)


def test_change_under_tolerance_passes(committed, report):
    comparison = check_figure(png(square=(0, 0, 1, 1)), committed, LENIENT, report)
    assert comparison.status == SAME
    assert comparison.diff_ratio == pytest.approx(0.02)
    assert "dentro de la tolerancia" in comparison.describe()


def test_change_above_tolerance_fails_with_diff(committed, report):
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(square=(0, 0, 4, 4)), committed, LENIENT, report)
    message = str(failure.value)
    assert "25 píxeles (12.50 %) en la región x=0, y=0, 5×5" in message
    for kind in ("actual", "diff"):
        assert report.path("figura-04", kind).name in message
        Image.open(report.path("figura-04", kind)).verify()
    assert "index.html" in message
    assert report.html_path.exists()
    assert report.path("figura-04", "expected").read_bytes() == committed.read_bytes()


def test_size_change_fails_naming_both_sizes(committed, report):
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(size=(20, 8)), committed, LENIENT, report)
    assert "cambió de tamaño: 20x10 → 20x8; 40 píxeles (20.00 %) en la región x=0, y=8, 20×2" in str(failure.value)
    diff = Image.open(report.path("figura-04", "diff"))
    assert diff.size == (20, 10)


def test_size_change_is_never_within_tolerance(committed):
    comparison, _found = compare("figura-04", png(size=(20, 8)), committed.read_bytes(), Tolerance(max_diff_ratio=1.0))
    assert comparison.status == CHANGED
    assert comparison.describe().startswith("figura-04: cambió de tamaño: 20x10 → 20x8")


def test_missing_committed_figure_says_how_to_create_it(tmp_path, report, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(), tmp_path / "screenshots" / "figura-04.png", STRICT, report)
    assert str(failure.value).startswith(
        "No existe la figura comprometida screenshots/figura-04.png; créala con `make figuras`"
    )


def test_update_leaves_an_unchanged_figure_untouched(committed):
    before = committed.read_bytes()
    os.utime(committed, (1_000_000_000, 1_000_000_000))
    comparison = update_figure(png(square=(0, 0, 1, 1)), committed, LENIENT)
    assert comparison.status == SAME
    assert committed.read_bytes() == before
    assert committed.stat().st_mtime == 1_000_000_000


def test_update_rewrites_a_changed_figure(committed, report):
    changed = png(square=(0, 0, 9, 9))
    comparison = update_figure(changed, committed, STRICT, report)
    assert comparison.status == CHANGED
    assert committed.read_bytes() == changed
    assert report.path("figura-04", "diff").exists()


def test_update_creates_a_new_figure(tmp_path):
    path = tmp_path / "screenshots" / "figura-09.png"
    comparison = update_figure(png(), path, STRICT)
    assert (comparison.status, comparison.describe()) == (NEW, "figura-09: nueva")
    assert path.read_bytes() == png()


def test_wait_until_stable_returns_after_two_equal_shots():
    shots = iter([b"a", b"b", b"b", b"c"])
    assert wait_until_stable(lambda: next(shots)) == b"b"


def test_wait_until_stable_counts_a_shot_taken_before_as_the_first():
    shots = iter([b"a", b"b", b"b"])
    assert wait_until_stable(lambda: next(shots), previous=b"a") == b"a"
    assert next(shots) == b"b"  # one shot was enough
    changed = iter([b"b", b"b"])
    assert wait_until_stable(lambda: next(changed), previous=b"a") == b"b"


def test_wait_until_stable_gives_up_after_the_bound():
    taken = count()
    with pytest.raises(FigureUnstable, match="tras 3 capturas"):
        wait_until_stable(lambda: str(next(taken)).encode(), attempts=3)
    assert next(taken) == 3


def test_html_report_shows_changed_figure_side_by_side(committed, report):
    with pytest.raises(FigureMismatch):
        check_figure(png(square=(0, 0, 9, 9)), committed, STRICT, report)
    page = report.write_html().read_text(encoding="utf-8")
    assert "figura-04: cambió" in page
    assert page.count("data:image/png;base64,") >= 3
    for kind in ("expected", "actual", "diff"):
        assert f"figura-04.{kind}.png" in page
    assert 'type="range"' in page


def test_html_report_is_built_from_sidecars_of_several_processes(tmp_path):
    out_dir = tmp_path / "figures"
    expected, actual = png(), png(square=(0, 0, 9, 9))
    found = compare_png(expected, actual, STRICT)
    # Two reports on one directory stand for two xdist workers.
    FigureReport(out_dir).record(Comparison("figura-01", SAME, 0.0, (20, 10), (20, 10)), png(), png(), None)
    FigureReport(out_dir).record(
        Comparison("figura-02", CHANGED, found.ratio, (20, 10), (20, 10), found.changed_pixels, found.region),
        actual,
        expected,
        found.diff,
    )
    page = write_html_from_dir(out_dir).read_text(encoding="utf-8")
    assert "figura-01: igual" in page
    assert "figura-02: cambió: 100 píxeles (50.00 %) en la región x=0, y=0, 10×10" in page
    assert 'id="figura-02"' in page and 'id="figura-01"' not in page


def test_no_report_without_figures(tmp_path):
    assert write_html_from_dir(tmp_path / "nothing") is None


# --- saying what changed -----------------------------------------------------------------------


def _figure(size=(1280, 800), block=None) -> bytes:
    """A white page with, optionally, a dark block (x, y, width, height) drawn on it."""
    image = Image.new("RGB", size, "white")
    if block:
        x, y, width, height = block
        ImageDraw.Draw(image).rectangle((x, y, x + width - 1, y + height - 1), fill=(30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.lento_para_mutacion
def test_66_changed_pixels_of_a_page_are_not_zero_percent(tmp_path, report):
    committed = tmp_path / "figura-03.png"
    committed.write_bytes(_figure())
    with pytest.raises(FigureMismatch) as failure:
        check_figure(_figure(block=(600, 410, 11, 6)), committed, STRICT, report)
    message = str(failure.value)
    assert message.startswith("La figura figura-03 cambió: 66 píxeles (0.0064 %) en la región x=600, y=410, 11×6")
    assert "0.00 %" not in message


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [(66 / 1_024_000, "0.0064 %"), (0.0029, "0.29 %"), (0.125, "12.50 %"), (1 / 1_024_000, "0.000098 %"), (0.0, "0 %")],
)
def test_shares_keep_two_significant_digits(ratio, shown):
    assert Comparison("f", CHANGED, ratio, (1, 1), (1, 1), changed_pixels=1).change().startswith(f"1 píxel ({shown})")


@pytest.mark.lento_para_mutacion
def test_report_magnifies_the_changed_region_side_by_side(tmp_path, report):
    committed = tmp_path / "figura-03.png"
    committed.write_bytes(_figure())
    with pytest.raises(FigureMismatch):
        check_figure(_figure(block=(600, 410, 11, 6)), committed, STRICT, report)
    crops = {kind: Image.open(report.path("figura-03", kind)) for kind in ZOOM_KINDS}
    # 11 + 2×12 margin = 35 pixels wide, enlarged 8 times (nearest neighbour: no blur).
    assert {crop.size for crop in crops.values()} == {(35 * 8, 30 * 8)}
    assert crops["zoom-expected"].convert("RGB").getpixel((12 * 8 + 4, 12 * 8 + 4)) == (255, 255, 255)
    assert crops["zoom-actual"].convert("RGB").getpixel((12 * 8 + 4, 12 * 8 + 4)) == (30, 30, 30)
    assert crops["zoom-diff"].convert("RGB").getpixel((12 * 8 + 4, 12 * 8 + 4)) == (255, 0, 0)
    page = report.write_html().read_text(encoding="utf-8")
    assert "Región cambiada (x=600, y=410, 11×6), ampliada ×8" in page
    for kind in ZOOM_KINDS:
        assert f"figura-03.{kind}.png" in page


# --- the whole failure message and the report's defaults (mutation survivors) -----------------


def test_a_changed_figure_fails_with_the_whole_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "screenshots" / "figura-04.png"
    committed.parent.mkdir()
    committed.write_bytes(png())
    report = FigureReport(tmp_path / "reports")
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(square=(0, 0, 4, 4)), committed, LENIENT, report)
    assert str(failure.value) == (
        "La figura figura-04 cambió: 25 píxeles (12.50 %) en la región x=0, y=0, 5×5 "
        "(tolerancia: umbral por píxel 0.01, hasta 5.00 %).\n"
        "  causa probable: el renderizador: con la medida entre renderizadores quedan 25 píxeles, lo que cambia "
        "otro renderizador (hasta 100 píxeles); si el navegador y sus fuentes no cambiaron, mira la región ampliada\n"
        "  esperada: screenshots/figura-04.png\n"
        "  actual: reports/figura-04.actual.png\n"
        "  diferencias: reports/figura-04.diff.png\n"
        "  región ampliada: reports/figura-04.zoom-diff.png\n"
        "  informe: reports/index.html\n"
        "Si el cambio es intencional: `make aceptar FIGURA=figura-04` toma esta captura "
        "(o `make figuras` vuelve a tomar todas las figuras)."
    )


def test_a_resized_figure_fails_naming_both_sizes_in_its_headline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(png())
    report = FigureReport(tmp_path / "reports")
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(size=(20, 8)), committed, LENIENT, report)
    assert str(failure.value).splitlines()[0] == (
        "La figura figura-04 cambió de tamaño: 20x10 → 20x8; 40 píxeles (20.00 %) en la región x=0, y=8, 20×2."
    )


def test_a_missing_figure_on_another_renderer_names_the_renderer_apart(tmp_path, monkeypatch):
    from tutorial.figuras.comparison import CrossRendererTolerance

    monkeypatch.chdir(tmp_path)
    report = FigureReport(tmp_path / "reports")
    with pytest.raises(FigureMismatch) as failure:
        check_figure(png(), tmp_path / "figura-04.png", CrossRendererTolerance(), report, renderer_note="otro Chromium")
    assert str(failure.value) == (
        "Renderizador: otro Chromium\n"
        "No existe la figura comprometida figura-04.png; créala con `make figuras`.\n"
        "  captura actual: reports/figura-04.actual.png"
    )


def test_a_change_on_another_renderer_advises_a_new_renderer_or_the_container(tmp_path, monkeypatch):
    from tutorial.figuras.comparison import CrossRendererTolerance

    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(png())
    report = FigureReport(tmp_path / "reports")
    with pytest.raises(FigureMismatch) as failure:
        check_figure(
            png(square=(0, 0, 9, 9)),
            committed,
            CrossRendererTolerance(max_diff_pixels=1),
            report,
            renderer_note="otro Chromium",
        )
    lines = str(failure.value).splitlines()
    assert lines[0] == (
        "La figura figura-04, tomada con otro renderizador que el registrado, cambió: 100 píxeles (50.00 %) en la "
        "región x=0, y=0, 10×10 (tolerancia: un píxel "
        "cuenta si su color sale del rango de sus vecinos a 1 px en la otra imagen (± 16/255 por canal); "
        "hasta 1 píxel)."
    )
    assert lines[-1] == (
        "Si las figuras deben pasar a este renderizador: `make figuras RENDERIZADOR_NUEVO=1` las reescribe todas "
        "junto con su registro; para el veredicto exacto, el renderizador fijado (sin RENDERIZADOR ni CHROMIUM_PATH)."
    )


def test_a_sidecar_of_an_older_run_reads_with_the_defaults(tmp_path):
    import json

    from tutorial.figuras.report import recorded_comparisons

    old = {
        "comparison": {
            "name": "figura-02",
            "status": SAME,
            "diff_ratio": 0.0,
            "expected_size": [20, 10],
            "actual_size": [20, 10],
        },
        "images": {},
    }
    (tmp_path / "figura-02.json").write_text(json.dumps(old), encoding="utf-8")
    assert recorded_comparisons(tmp_path) == [Comparison("figura-02", SAME, 0.0, (20, 10), (20, 10))]
    assert "figura-02: igual" in write_html_from_dir(tmp_path).read_text(encoding="utf-8")


def test_a_sidecar_round_trips_every_field(tmp_path):
    from tutorial.figuras.report import recorded_comparisons

    comparison = Comparison(
        "figura-05",
        CHANGED,
        0.5,
        (20, 10),
        (40, 20),
        changed_pixels=7,
        region=(1, 2, 3, 4),
        cross_renderer=True,
        ignored=((0, 0, 2, 2),),
    )
    FigureReport(tmp_path).record(comparison, png(size=(40, 20)), png(), None)
    new = Comparison("figura-06", NEW, 0.0, None, (20, 10))
    FigureReport(tmp_path).record(new, png(), None, None)
    assert recorded_comparisons(tmp_path) == [comparison, new]


@pytest.mark.parametrize(
    ("tolerance", "described"),
    [
        (Tolerance(), "umbral por píxel 0.01, hasta 0 %"),
        (Tolerance(max_diff_pixels=30), "umbral por píxel 0.01, hasta 30 píxeles"),
        (
            Tolerance(threshold=0.1, max_diff_ratio=0.02, max_diff_pixels=30),
            "umbral por píxel 0.1, hasta 30 píxeles, hasta 2.00 %",
        ),
    ],
)
def test_a_tolerance_says_every_bound_it_sets(tolerance, described):
    assert tolerance.describe() == described


@pytest.mark.parametrize(("changed", "ratio", "allowed"), [(30, 0.0, True), (31, 0.0, False), (30, 0.01, False)])
def test_a_tolerance_with_a_pixel_bound_needs_both_bounds(changed, ratio, allowed):
    assert Tolerance(max_diff_pixels=30).allows(changed, ratio) is allowed


def test_wait_until_stable_tries_five_shots_by_default():
    taken = count()
    with pytest.raises(FigureUnstable, match="tras 5 capturas"):
        wait_until_stable(lambda: str(next(taken)).encode())
    assert next(taken) == 5


def test_an_ignored_region_is_outlined_two_pixels_wide_just_outside_it():
    from tutorial.figuras.comparison import outline_regions

    outlined = Image.open(io.BytesIO(outline_regions(png(size=(20, 20)), [(5, 6, 6, 4)]))).convert("RGB")
    blue = {(x, y) for x in range(20) for y in range(20) if outlined.getpixel((x, y)) == (31, 111, 178)}
    # the region covers x 5..10, y 6..9; the frame is the two rings around it: x 3..12, y 4..11
    frame = {(x, y) for x in range(3, 13) for y in range(4, 12) if x in (3, 4, 11, 12) or y in (4, 5, 10, 11)}
    assert blue == frame


def test_a_new_renderer_rewrites_same_pixels_in_other_bytes_but_not_the_same_bytes(committed):
    image = Image.open(io.BytesIO(png()))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    other_bytes = buffer.getvalue()
    os.utime(committed, (1_000_000_000, 1_000_000_000))
    assert update_figure(png(), committed, STRICT, rewrite=True).status == SAME
    assert committed.stat().st_mtime == 1_000_000_000  # the same bytes are not written again
    assert update_figure(other_bytes, committed, STRICT, rewrite=True).status == SAME
    assert committed.read_bytes() == other_bytes
    assert update_figure(png(), committed, STRICT).status == SAME
    assert committed.read_bytes() == other_bytes  # without rewrite, a figure within tolerance stays


def test_update_creates_the_folders_of_a_new_figure_and_reports_it(tmp_path, report):
    path = tmp_path / "screenshots" / "2x" / "figura-09.png"
    comparison = update_figure(png(), path, STRICT, report)
    assert comparison.status == NEW and path.read_bytes() == png()
    assert report.path("figura-09", "actual").read_bytes() == png()


def test_update_reports_the_committed_figure_it_replaced(committed, report):
    before = committed.read_bytes()
    update_figure(png(square=(0, 0, 9, 9)), committed, STRICT, report)
    assert report.path("figura-04", "expected").read_bytes() == before


# --- the count and picture over the changed pixels' box equal pixelmatch's over the page --------


def _page_like(seed: int, size: tuple[int, int] = (40, 24)) -> Image.Image:
    """A small screen-like image: flat panels, text-like strokes and anti-aliased edges."""
    import random

    rng = random.Random(seed)
    image = Image.new("RGBA", size, (250, 250, 250, 255))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), 255)
        draw.line((x, y, x + rng.randrange(-12, 13), y + rng.randrange(-8, 9)), fill=colour, width=rng.choice([1, 2]))
    return image.resize((size[0] * 2, size[1] * 2), Image.BILINEAR)  # blends edges as a renderer does


def _full_page(old: Image.Image, new: Image.Image, threshold: float) -> tuple[int, Image.Image]:
    """pixelmatch over the whole page, as compare_png once ran it: its count and its diff picture."""
    from pixelmatch.contrib.PIL import pixelmatch

    diff = Image.new("RGBA", old.size)
    return pixelmatch(old, new, diff, threshold=threshold, includeAA=False), diff


def _levels_apart(one: Image.Image, other: Image.Image) -> list[int]:
    """How many pixels of two pictures differ by 0, 1, 2… levels in their red channel (the diff's
    greys are alike in the three; a red or yellow pixel against a grey one differs there by 26 or more)."""
    return ImageChops.difference(one, other).getchannel("R").histogram()


@pytest.mark.parametrize("seed", range(40))
def test_the_count_over_the_changed_box_is_pixelmatchs_count_over_the_page(seed):
    import random

    from tutorial.figuras.comparison import _count_changed, _faded

    rng = random.Random(seed)
    old = _page_like(seed)
    new = old.copy()
    pixels = new.load()
    width, height = new.size
    # edits clustered at a corner, an edge or inside, small and large
    x0 = rng.choice([0, 1, width - 1, width - 2, rng.randrange(width)])
    y0 = rng.choice([0, 1, height - 1, rng.randrange(height)])
    for _ in range(rng.randrange(1, 12)):
        x = min(max(x0 + rng.randrange(-4, 5), 0), width - 1)
        y = min(max(y0 + rng.randrange(-4, 5), 0), height - 1)
        red, green, blue, alpha = pixels[x, y]
        step = rng.choice([1, 3, 20, 90])
        pixels[x, y] = ((red + step) % 256, green, (blue + rng.choice([0, step])) % 256, alpha)
    for threshold in (0.0, 0.01, 0.1):
        diff = _faded(old)
        full_count, full_diff = _full_page(old, new, threshold)
        assert _count_changed(old, new, Tolerance(threshold=threshold), diff) == full_count
        assert diff.tobytes() == full_diff.tobytes()


def test_the_diff_picture_is_pixelmatchs_picture_of_the_whole_page():
    """A real pair (the left of a table row whose serial changed), its lower rows made translucent
    alike: the changed pixels red and the anti-aliased ones yellow where pixelmatch paints them;
    the equal pixels, faded to grey without pixelmatch, as it fades them: one level off at most,
    on a few colours in a thousand opaque pixels (a rounding) and on translucent ones."""
    pairs = Path(__file__).with_name("figure_pairs")
    old, new = (
        Image.open(pairs / f"fila.{name}.png").convert("RGBA").crop((0, 0, 240, 96)) for name in ("base", "serie")
    )
    alpha = Image.linear_gradient("L").rotate(90).resize((240, 40))  # 0 at the left to 255 at the right
    for image in (old, new):
        image.paste(Image.merge("RGBA", (*image.crop((0, 56, 240, 96)).convert("RGB").split(), alpha)), (0, 56))
    found = compare_png(_png_of(old), _png_of(new), STRICT)
    full_count, full_diff = _full_page(old, new, STRICT.threshold)
    assert (found.changed_pixels, found.region) == (full_count, (119, 17, 121, 57))
    diff = Image.open(io.BytesIO(found.diff))
    assert sum(_levels_apart(diff, full_diff)[2:]) == 0, "un píxel del diff a más de un nivel del de pixelmatch"
    opaque = (0, 0, 240, 56)
    assert sum(_levels_apart(diff.crop(opaque), full_diff.crop(opaque))[1:]) <= 240 * 56 // 1000


def _png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_changed_corner_pixel_counts_and_equal_pixels_count_nothing():
    from tutorial.figuras.comparison import _count_changed

    old = Image.new("RGBA", (30, 20), (255, 255, 255, 255))
    untouched = Image.new("RGBA", old.size)
    assert _count_changed(old, old.copy(), Tolerance(), untouched) == 0
    assert untouched.getbbox() is None
    for corner in ((0, 0), (29, 19)):
        new = old.copy()
        new.putpixel(corner, (0, 0, 0, 255))
        diff = Image.new("RGBA", old.size)
        assert _count_changed(old, new, Tolerance(), diff) == 1
        assert diff.getpixel(corner) == (255, 0, 0, 255)
