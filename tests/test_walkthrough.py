"""The animated walkthrough: assembled from recorded frames, the same bytes every time, in the
order of figure and step whatever order the workers wrote them, captions and clicks drawn."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from steps.support import walkthrough as w
from steps.support.walkthrough import Frame

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Frames of the committed walkthrough: 31 steps, 9 figures, 11 clicks (pointer + 3 ripples each).
EXPECTED_FRAMES = 84
EXPECTED_CLICKS = 11


def _screen(colour: tuple[int, int, int], label: str, size: tuple[int, int] = w.SIZE) -> Image.Image:
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 400, 120), fill=colour)
    draw.text((60, 200), label, fill=(20, 20, 20))
    return image


def _png(image: Image.Image, format: str = "PNG") -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    """As the recording grabs a frame (a JPEG; a PNG only when it pixelated the RFC)."""
    return _png(image, "JPEG")


CLICK_AT = (300, 400)


def _frames() -> list[tuple[Frame, bytes | None]]:
    title1 = "a) Deberás ingresar a la página aspel.com.mx, en la parte superior de la página localiza Mi cuenta Aspel."
    title2 = "e) Posteriormente se mostrará una ventana en la cual se especifican los términos y condiciones, da clic en Aceptar."
    return [
        (Frame(1, 1, False, title1, "Dado que ingreso a aspel.com.mx"), _png(_screen((200, 0, 30), "inicio"))),
        (
            Frame(1, 2, True, title1, 'Cuando doy clic en "Mi cuenta Aspel"', CLICK_AT),
            _png(_screen((200, 0, 30), "antes")),
        ),
        (
            Frame(1, 2, False, title1, 'Cuando doy clic en "Mi cuenta Aspel"', CLICK_AT),
            _jpeg(_screen((0, 90, 200), "después")),
        ),
        (Frame(1, 3, False, title1, "Figura 1 Página aspel.com.mx", figure_image="figura-01.png"), None),
        (Frame(2, 1, False, title2, "Cuando acepto los términos"), _png(_screen((0, 150, 60), "términos"))),
        (Frame(2, 2, False, title2, "Figura 2 Términos y condiciones", figure_image="figura-02.png"), None),
    ]


def _record(folder: Path, screenshots: Path, order: list[int] | None = None) -> None:
    frames = _frames()
    for index in order or range(len(frames)):
        frame, png = frames[index]
        w.write_frame(folder, frame, png)
    screenshots.mkdir(parents=True, exist_ok=True)
    _screen((240, 160, 30), "figura 1").save(screenshots / "figura-01.png")
    _screen((90, 20, 120), "figura 2 recortada", (600, 300)).save(screenshots / "figura-02.png")


def _durations(path: Path) -> list[int]:
    with Image.open(path) as gif:
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
        return durations


def test_the_same_frames_give_the_same_bytes_whatever_order_they_were_written(tmp_path: Path) -> None:
    _record(tmp_path / "a", tmp_path / "shots")
    order = list(range(len(_frames())))
    random.Random(3).shuffle(order)
    _record(tmp_path / "b", tmp_path / "shots", order)
    first = w.assemble(tmp_path / "a", tmp_path / "shots", tmp_path / "out1", webp=False)
    again = w.assemble(tmp_path / "a", tmp_path / "shots", tmp_path / "out2", webp=False)
    shuffled = w.assemble(tmp_path / "b", tmp_path / "shots", tmp_path / "out3", webp=False)
    assert first.gif is not None, first.message
    data = first.gif.read_bytes()
    assert data == again.gif.read_bytes() == shuffled.gif.read_bytes()
    assert data[:6] == b"GIF89a" and len(data) <= w.MAX_BYTES


def test_one_picture_per_step_and_figure_a_click_is_pointer_then_ripple(tmp_path: Path) -> None:
    _record(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", webp=False)
    assert result.frames == 9
    assert _durations(result.gif) == [
        w.STEP_MS,
        w.CLICK_MS,
        *[w.RIPPLE_MS] * len(w.RIPPLE_RADII),
        w.STEP_MS,
        w.FIGURE_MS,
        w.STEP_MS,
        w.FIGURE_MS,
    ]
    with Image.open(result.gif) as gif:
        assert gif.size == w.SIZE
        gif.seek(1)
        pointer = gif.convert("RGB")
        gif.seek(3)  # ripple of radius 20
        ripple = gif.convert("RGB")
    x, y = CLICK_AT
    assert _near(pointer.getpixel((x + 3, y + 10)), (255, 255, 255), 8)  # inside the arrow, tip on the click
    assert _near(pointer.getpixel((x + 2, y - 3)), (250, 250, 250), 8)  # nothing above the tip
    assert not _near(pointer.getpixel((x - 20, y)), w.RIPPLE_COLOUR)
    assert _near(ripple.getpixel((x - 20, y)), w.RIPPLE_COLOUR)


def _near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=False))


def test_captions_are_drawn_at_the_bottom_in_the_tutorials_words(tmp_path: Path) -> None:
    _record(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", webp=False)
    with Image.open(result.gif) as gif:
        first = gif.convert("RGB")
    band = first.crop((0, w.SIZE[1] - w.BAND_HEIGHT, w.SIZE[0], w.SIZE[1]))
    colours = dict((colour, count) for count, colour in band.getcolors(1 << 16))
    assert max(colours, key=colours.get) == w.BAND_COLOUR
    white = sum(n for c, n in colours.items() if min(c) > 200)
    orange = sum(n for c, n in colours.items() if _near(c, w.STEP_COLOUR))
    assert white > 500 and orange > 200  # the tutorial's sentence, then the step
    # Another caption, other pixels: the text is really there.
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "frames", other)
    frame, png = _frames()[0]
    w.write_frame(other, Frame(**{**frame.__dict__, "title": "b) Otra frase del tutorial"}), png)
    changed = w.assemble(other, tmp_path / "shots", tmp_path / "out2", webp=False)
    assert changed.gif.read_bytes() != result.gif.read_bytes()


def test_a_missing_figure_writes_nothing(tmp_path: Path) -> None:
    _record(tmp_path / "frames", tmp_path / "shots")
    (tmp_path / "frames" / "02-02.json").unlink()
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", webp=False)
    assert result.gif is None and result.missing == [2]
    assert "la Figura 2" in result.message
    assert not (tmp_path / "out").exists()


def test_tutorial_title_is_the_scenarios_first_line_without_markdown() -> None:
    description = (
        "b) Se mostrara la ventana para ingresar los datos de **MI CUENTA ASPEL** y da clic en **Iniciar sesión**.\n"
        "Sino recuerdas la contraseña da clic en la opción **¿Olvidaste tu contraseña?**.\n"
    )
    assert w.tutorial_title(description) == (
        "b) Se mostrara la ventana para ingresar los datos de MI CUENTA ASPEL y da clic en Iniciar sesión."
    )
    assert w.tutorial_title("a) Ingresando a la página de [aspel.com/descargas](/descargas/)") == (
        "a) Ingresando a la página de aspel.com/descargas"
    )
    assert w.step_text("Entonces ", 'se captura la Figura 4 "Actualización de número de serie" resaltando "X"') == (
        "Figura 4 Actualización de número de serie"
    )


def test_the_committed_walkthrough() -> None:
    gif = DOCS / w.GIF_NAME
    assert gif.stat().st_size <= w.MAX_BYTES
    durations = _durations(gif)
    with Image.open(gif) as image:
        assert image.size == w.SIZE and image.info.get("loop") == 0
    assert len(durations) == EXPECTED_FRAMES
    assert durations.count(w.FIGURE_MS) == len(list((ROOT / "screenshots").glob("figura-*.png")))
    assert durations.count(w.CLICK_MS) == EXPECTED_CLICKS
    assert durations.count(w.RIPPLE_MS) == EXPECTED_CLICKS * len(w.RIPPLE_RADII)
    for index, duration in enumerate(durations):
        if duration == w.CLICK_MS:
            assert durations[index + 1 : index + 4] == [w.RIPPLE_MS] * 3
    webp = DOCS / w.WEBP_NAME
    if webp.exists():
        assert webp.stat().st_size < gif.stat().st_size


def test_the_tutorial_embeds_and_links_the_walkthrough() -> None:
    markdown = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    page = (DOCS / "tutorial.html").read_text(encoding="utf-8")
    assert f"]({w.GIF_NAME})" in markdown
    assert markdown.index(w.GIF_NAME) < markdown.index("## 1 Ingresa a la cuenta Aspel")
    assert "data:image/gif;base64,R0lGODlh" in page


@pytest.mark.parametrize("name", ["click", "hover"])
def test_the_recorder_wraps_locator_actions_once(name: str) -> None:
    from playwright.sync_api import Locator

    w._install_wrappers()
    once = getattr(Locator, name)
    w._install_wrappers()
    assert getattr(Locator, name) is once and once.__walkthrough__


def test_a_frame_keeps_its_picture_under_the_name_of_its_format(tmp_path):
    """JPEG frames (what the recording grabs) and PNG ones (a pixelated RFC) side by side."""
    _record(tmp_path / "frames", tmp_path / "screenshots")
    images = {frame.stem: frame.image for frame in w.read_frames(tmp_path / "frames")}
    assert images == {
        "01-01": "01-01.png",
        "01-02-clic": "01-02-clic.png",
        "01-02": "01-02.jpg",
        "01-03": None,
        "02-01": "02-01.png",
        "02-02": None,
    }
    assert (tmp_path / "frames" / "01-02.jpg").read_bytes().startswith(b"\xff\xd8")
