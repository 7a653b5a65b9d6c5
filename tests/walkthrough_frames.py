"""The recorded frames the walkthrough tests assemble (tests/test_walkthrough.py,
tests/test_walkthrough_video.py): coloured screens with a label, two figures, a click."""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageDraw

from tutorial.documento import walkthrough as w
from tutorial.documento.walkthrough import Frame

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FRAME_SIZE = (w.SIZE[0], w.SIZE[1] + w.BAND_HEIGHT)  # the screen, the caption band under it


def screen(colour: tuple[int, int, int], label: str, size: tuple[int, int] = w.SIZE) -> Image.Image:
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 400, 120), fill=colour)
    draw.text((60, 200), label, fill=(20, 20, 20))
    return image


def png(image: Image.Image, format: str = "PNG") -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def jpeg(image: Image.Image) -> bytes:
    """As the recording grabs a frame (a JPEG; a PNG only when it pixelated the RFC)."""
    return png(image, "JPEG")


CLICK_AT = (300, 400)


@functools.cache
def _encoded(colour: tuple[int, int, int], label: str, size: tuple[int, int] = w.SIZE, format: str = "PNG") -> bytes:
    """A :func:`screen` as a file holds it, drawn and encoded once for all the tests that record it."""
    return png(screen(colour, label, size), format)


def sample_frames() -> list[tuple[Frame, bytes | None]]:
    title1 = "a) Deberás ingresar a la página aspel.com.mx, en la parte superior de la página localiza Mi cuenta Aspel."
    title2 = "e) Posteriormente se mostrará una ventana en la cual se especifican los términos y condiciones, da clic en Aceptar."
    return [
        (Frame(1, 1, False, title1, "Dado que ingreso a aspel.com.mx"), _encoded((200, 0, 30), "inicio")),
        (Frame(1, 2, True, title1, 'Cuando doy clic en "Mi cuenta Aspel"', CLICK_AT), _encoded((200, 0, 30), "antes")),
        (
            Frame(1, 2, False, title1, 'Cuando doy clic en "Mi cuenta Aspel"', CLICK_AT),
            _encoded((0, 90, 200), "después", format="JPEG"),  # as the recording grabs a frame
        ),
        (Frame(1, 3, False, title1, "Figura 1 Página aspel.com.mx", figure_image="figura-01.png"), None),
        (Frame(2, 1, False, title2, "Cuando acepto los términos"), _encoded((0, 150, 60), "términos")),
        (Frame(2, 2, False, title2, "Figura 2 Términos y condiciones", figure_image="figura-02.png"), None),
    ]


def record(folder: Path, screenshots: Path, order: list[int] | None = None) -> None:
    frames = sample_frames()
    for index in order or range(len(frames)):
        frame, png = frames[index]
        w.write_frame(folder, frame, png)
    screenshots.mkdir(parents=True, exist_ok=True)
    (screenshots / "figura-01.png").write_bytes(_encoded((240, 160, 30), "figura 1"))
    (screenshots / "figura-02.png").write_bytes(_encoded((90, 20, 120), "figura 2 recortada", (600, 300)))


def gif_durations(path: Path) -> list[int]:
    with Image.open(path) as gif:
        durations = []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
        return durations


def near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=False))
