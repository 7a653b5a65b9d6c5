"""The animated walkthrough (``docs/recorrido.gif``): the tutorial's main path, frame by frame.

Recording (:mod:`.recorder`, a pytest plugin loaded from ``conftest.py``): while ``make figuras`` runs the
``@figura`` scenarios with ``--actualizar-figuras``, every step leaves one frame in
``reports/recorrido/``: ``<figura>-<paso>.jpg`` (the page after the step) and ``.json`` (the
caption in the tutorial's words, the pointer). The page objects tell the recorder what they do
(:mod:`tutorial.actions`; nothing of Playwright is patched): a click also leaves the page just
before it, with where the pointer clicks (``<figura>-<paso>-clic``); typing in a field (a fill) leaves
the page just after it with what was typed where (``<figura>-<paso>-escribe``): never the secret itself, bullets
for a password, an example for the user name the frames paint over. The figure step itself leaves no PNG: the
assembly takes the committed figure from ``screenshots/``. Only screenshots are taken, nothing is
drawn in the page, so the figures' pixels stay what they were.

Assembly (``tutorial recorrido``, run by ``make figuras`` after pytest): frames
in the order of figure number, step and click (never the order parallel workers wrote them), as
one story: a scenario's set-up (its Given steps, which replay what the story already showed) is
left out after the first scenario. A committed figure appears where it was shot, over the screen
it was cut from. The pointer, a short click ripple and the characters of a field appearing a group
at a time (in the site's font; a password's as bullets) are drawn with Pillow; the tutorial's own
sentence (section letter and text, never the Gherkin step) goes in a caption band *under* the
screen, so no bar hides the page; a palette per scene (and one per figure) that holds the callouts'
colours exactly and gives them to no other pixel (:mod:`.gif_encoding`), no dithering: the same frames
give the same bytes. Consecutive pictures
with the same pixels are one (their durations summed). ``recorrido.mp4`` is written from the same
pictures and durations where the ffmpeg that ``imageio-ffmpeg`` ships is installed (``video.py``):
a third of the GIF's size, smooth. (An animated WebP was tried before it: never smaller than the GIF.)
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from PIL import Image, ImageDraw, ImageFont

from tutorial.documento import captions, video
from tutorial.documento.feature_reader import FIGURE_STEP
from tutorial.documento.gif_encoding import encode_gif, indexed_frames
from tutorial.figuras.files import reports_option

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "mock_site" / "static" / "fonts"
FRAMES_FOLDER = "recorrido"
GIF_NAME = "recorrido.gif"
SIZE = (1280, 800)  # the screen; the caption band goes under it
MAX_BYTES = 3 * 1024 * 1024

# Timing (milliseconds) and look.
STEP_MS = 1400
CLICK_MS = 700
RIPPLE_MS = 110
RIPPLE_RADII = (10, 20, 30)
TYPING_MS = 160  # each group of characters appearing in a field
TYPED_MS = 450  # the field typed whole, before the next field or the step's result
TYPING_GROUPS = 4  # the characters appear in this many groups, the last one the whole text
FIGURE_MS = 3000
BAND_HEIGHT = 84  # three lines of the tutorial's sentence
BAND_COLOUR = (34, 34, 34)
TITLE_COLOUR = (255, 255, 255)
STEP_COLOUR = (245, 166, 35)  # the highlight's orange
RIPPLE_COLOUR = (179, 0, 27)  # the brand's red
BLURRED_LABEL = "RFC"  # personal data, pixelated in every frame as Figura 3 does
MASK_COLOUR = (238, 238, 238)  # what the frames paint the log-in's fields over with
MASK_TOLERANCE = 8  # a JPEG's flat grey wanders this much
EXAMPLE_USER = "mi.usuario"  # typed in the user name field instead of the run's own user name
PASSWORD_DOT = "•"
TEXT_COLOUR = (51, 51, 51)  # the site's text


# --- what a frame is ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """What one ``fill`` typed: the field's ``box`` on the screen (x, y, width, height), the text
    as the walkthrough shows it (bullets for a password, :data:`EXAMPLE_USER` for a painted-over
    user name), whether the frames paint the field over (then the text is drawn on every later
    frame that still shows the paint there), the field's font size and where its text starts."""

    box: tuple[int, int, int, int]
    text: str
    password: bool
    masked: bool
    font_size: int
    indent: int

    def to_json(self) -> dict[str, Any]:
        return {
            "caja": list(self.box),
            "texto": self.text,
            "contrasena": self.password,
            "tapado": self.masked,
            "letra": self.font_size,
            "sangria": self.indent,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Typed:
        x, y, width, height = (int(value) for value in data["caja"])
        return cls(
            (x, y, width, height),
            data["texto"],
            bool(data["contrasena"]),
            bool(data["tapado"]),
            int(data["letra"]),
            int(data["sangria"]),
        )


@dataclass(frozen=True)
class Frame:
    """One recorded moment: ``figure`` and ``step`` order it, ``click`` puts the pre-click moment
    before the step's result. ``image`` is a PNG in the frames folder, or ``None`` for a figure
    frame (then ``figure_image`` names the committed figure)."""

    figure: int
    step: int
    click: bool
    title: str
    text: str
    pointer: tuple[int, int] | None = None
    image: str | None = None
    figure_image: str | None = None
    setup: bool = False  # a Given step's frame: the story shows it only in its first scenario
    part: int = 0  # the click's or typing's order within its step (Inicio, then Todos los programas, …)
    typed: Typed | None = None  # a typing frame: the page just after the field was filled

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.figure, self.step, 0 if self.click or self.typed else 1, self.part)

    @property
    def stem(self) -> str:
        moment = "-clic" if self.click else "-escribe" if self.typed else ""
        return f"{self.figure:02d}-{self.step:02d}" + (f"{moment}{self.part:02d}" if moment else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "figura": self.figure,
            "paso": self.step,
            "clic": self.click,
            "titulo": self.title,
            "texto": self.text,
            "puntero": list(self.pointer) if self.pointer else None,
            "imagen": self.image,
            "figura_imagen": self.figure_image,
            "preparacion": self.setup,
            "parte": self.part,
            "escritura": self.typed.to_json() if self.typed else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Frame:
        pointer = data.get("puntero")
        typed = data.get("escritura")
        return cls(
            figure=int(data["figura"]),
            step=int(data["paso"]),
            click=bool(data["clic"]),
            title=data["titulo"],
            text=data["texto"],
            pointer=(int(pointer[0]), int(pointer[1])) if pointer else None,
            image=data.get("imagen"),
            figure_image=data.get("figura_imagen"),
            setup=bool(data.get("preparacion", False)),
            part=int(data.get("parte", 0)),
            typed=Typed.from_json(typed) if typed else None,
        )


def write_frame(folder: Path, frame: Frame, picture: bytes | None) -> None:
    """Write ``frame`` (and its picture, a PNG or a JPEG) into ``folder`` under its stem."""
    folder.mkdir(parents=True, exist_ok=True)
    if picture is not None:
        suffix = ".png" if picture.startswith(b"\x89PNG") else ".jpg"
        frame = Frame(**{**frame.__dict__, "image": frame.stem + suffix})
        (folder / (frame.stem + suffix)).write_bytes(picture)
    (folder / f"{frame.stem}.json").write_text(
        json.dumps(frame.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
    )


def read_frames(folder: Path) -> list[Frame]:
    """Every recorded frame, in the walkthrough's order."""
    frames = [Frame.from_json(json.loads(path.read_text(encoding="utf-8"))) for path in folder.glob("*.json")]
    return sorted(frames, key=lambda frame: frame.key)


def story(frames: list[Frame]) -> list[Frame]:
    """The frames as one continuous story: each scenario's set-up (Given steps: logging in again,
    accepting the upgrade again, opening Aspel-AL again) is left out, except in the first one."""
    first = min((frame.figure for frame in frames), default=None)
    return [frame for frame in frames if not frame.setup or frame.figure == first]


# --- captions in the tutorial's words ------------------------------------------------------------


def tutorial_title(description: str) -> str:
    """The scenario's first paragraph, as the tutorial says it ("d) Al ingresar …"), without Markdown."""
    first = ""
    for line in (description or "").splitlines():
        line = line.strip()
        if line and not line.startswith(">"):
            first = line
            break
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first).replace("**", "")


def step_text(keyword: str, name: str) -> str:
    """The step as the scenario says it; a figure step says only its figure and caption."""
    match = FIGURE_STEP.search(name)
    if match:
        return f"Figura {match['number']} {match['caption']}"
    return f"{keyword.strip()} {name}".strip()


# --- assembly ------------------------------------------------------------------------------------


@functools.cache
def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"open-sans-latin-{weight}-normal.woff2"), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out[-1] = last + " …"
    return out


CAPTION_LINES = 3


def caption_lines(text: str) -> list[str]:
    """The tutorial's sentence as the band shows it; :class:`ValueError` when it does not fit
    whole (a caption is never cut)."""
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    lines = _wrap(draw, text, _font(600, 17), SIZE[0] - 32, CAPTION_LINES + 1)
    if len(lines) > CAPTION_LINES:
        raise ValueError(f"La frase del tutorial no cabe en {CAPTION_LINES} líneas del recorrido: «{text}»")
    return lines


def _caption(image: Image.Image, frame: Frame) -> None:
    """The band under the screen: the tutorial's sentence, whole (three lines at most)."""
    draw = ImageDraw.Draw(image)
    width, height = image.size
    top = height - BAND_HEIGHT
    draw.rectangle((0, top, width, height), fill=BAND_COLOUR)
    y = top + 6
    for line in caption_lines(frame.title):
        draw.text((16, y), line, font=_font(600, 17), fill=TITLE_COLOUR)
        y += 24


_POINTER = [(0, 0), (0, 21), (5, 16), (9, 25), (13, 23), (9, 15), (16, 15)]


def _pointer(image: Image.Image, at: tuple[int, int], ripple: int | None = None) -> None:
    """An arrow pointer whose tip is at ``at``; ``ripple`` is the ring's radius of a click."""
    draw = ImageDraw.Draw(image)
    x, y = at
    if ripple is not None:
        draw.ellipse((x - ripple - 1, y - ripple - 1, x + ripple + 1, y + ripple + 1), outline=(255, 255, 255), width=5)
        draw.ellipse((x - ripple, y - ripple, x + ripple, y + ripple), outline=RIPPLE_COLOUR, width=3)
    draw.polygon([(x + dx, y + dy) for dx, dy in _POINTER], fill=(255, 255, 255), outline=(0, 0, 0), width=2)


def _figure_origin(screenshots: Path, name: str, figure: Image.Image) -> tuple[int, int]:
    """Where the figure was cut from the screen: its placement record's frame, else the top-left
    corner (a page figure), else centred."""
    record = screenshots / name.replace(".png", ".marcas.json")
    if record.is_file():
        x, y, _w, _h = json.loads(record.read_text(encoding="utf-8"))["encuadre"]
        return round(x), round(y)
    if figure.width == SIZE[0]:
        return 0, 0
    return (SIZE[0] - figure.width) // 2, (SIZE[1] - figure.height) // 2


def frame_base(frame: Frame, folder: Path, screenshots: Path, previous: Image.Image | None) -> Image.Image:
    if frame.image is not None:
        with Image.open(folder / frame.image) as shot:
            image = shot.convert("RGB")
        return image if image.size == SIZE else image.resize(SIZE, Image.Resampling.LANCZOS)
    assert frame.figure_image is not None  # a frame without its own picture shows a figure
    figure = Image.open(screenshots / frame.figure_image).convert("RGB")
    if figure.size == SIZE:
        return figure
    # A framed figure: over the screen it was cut from, where it was cut.
    canvas = previous.copy() if previous is not None else Image.new("RGB", SIZE, (255, 255, 255))
    canvas.paste(figure, _figure_origin(screenshots, frame.figure_image, figure))
    return canvas


def render(frames: list[Frame], folder: Path, screenshots: Path) -> Iterator[tuple[Image.Image, int]]:
    """Every picture of the walkthrough with its duration: a click is the page with the pointer,
    then the ripple growing, then the step's result; typing is the field's characters appearing a
    group at a time, then the field typed whole. A painted-over field keeps its drawn text while
    later frames of the scenario still show the paint where it was."""
    previous: Image.Image | None = None
    figure: int | None = None
    typed_so_far: list[Typed] = []  # the scenario's painted-over fields, typed
    shown = story(frames)
    for position, frame in enumerate(shown):
        if frame.figure != figure:
            figure, typed_so_far = frame.figure, []
        base = frame_base(frame, folder, screenshots, previous)
        previous = base
        if frame.figure_image:
            yield _with(base, frame, None, None), FIGURE_MS
            continue
        if replaced_by_figure(shown, position):
            continue  # the figure shows this screen, annotated: the moment's one picture
        if frame.typed:
            for count in typing_counts(len(frame.typed.text))[:-1]:
                screen = _typed_over(_cleared(base, frame.typed), typed_so_far)
                _type(screen, frame.typed, count)
                yield _with(screen, frame, None, None), TYPING_MS
            if frame.typed.masked:
                typed_so_far.append(frame.typed)
        screen = _typed_over(base, typed_so_far)
        if frame.click and frame.pointer:
            yield _with(screen, frame, frame.pointer, None), CLICK_MS
            for radius in RIPPLE_RADII:
                yield _with(screen, frame, frame.pointer, radius), RIPPLE_MS
        else:
            yield _with(screen, frame, frame.pointer, None), TYPED_MS if frame.typed else STEP_MS


def replaced_by_figure(frames: list[Frame], position: int) -> bool:
    """Whether the frame at ``position`` is a step's plain result (no click, no typing) that a
    figure cut from that same screen follows, with only such results between: shown before it,
    the screen would appear bare, then annotated, then bare again with the next step (a flicker).
    So the figure is its moment's last and only picture, right after the click or typing that
    led there; the bare screen stays only as the canvas a framed figure is laid over."""
    for frame in frames[position:]:
        if frame.figure != frames[position].figure:
            return False
        if frame.figure_image is not None:
            return frame is not frames[position]
        if frame.click or frame.typed is not None:
            return False
    return False


def typing_counts(length: int) -> list[int]:
    """How many characters each typing picture shows: :data:`TYPING_GROUPS` growing groups, the
    last the whole text (fewer for a short text, never a picture that shows nothing new)."""
    return sorted({-(-length * group // TYPING_GROUPS) for group in range(1, TYPING_GROUPS + 1)} - {0})


def _inside(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The field's box without its border (two pixels), as Pillow's inclusive rectangle."""
    x, y, width, height = box
    return x + 2, y + 2, x + width - 3, y + height - 3


def _still_masked(image: Image.Image, typed: Typed) -> bool:
    """Whether ``image`` still shows the paint over the field (the field is still on the screen)."""
    left, top, right, bottom = _inside(typed.box)
    if right <= left or bottom <= top or left < 0 or top < 0 or right >= image.width or bottom >= image.height:
        return False
    extrema = cast("tuple[tuple[int, int], ...]", image.crop((left, top, right + 1, bottom + 1)).getextrema())  # RGB
    return all(
        abs(low - colour) <= MASK_TOLERANCE and abs(high - colour) <= MASK_TOLERANCE
        for (low, high), colour in zip(extrema, MASK_COLOUR, strict=True)
    )


def _cleared(base: Image.Image, typed: Typed) -> Image.Image:
    """``base`` with the field empty: the paint, or the field's own background (read just inside
    its left border, where no character is)."""
    screen = base.copy()
    x, y, _width, height = typed.box
    colour = MASK_COLOUR if typed.masked else screen.getpixel((x + 3, y + height // 2))
    ImageDraw.Draw(screen).rectangle(_inside(typed.box), fill=colour)
    return screen


def _type(screen: Image.Image, typed: Typed, count: int) -> None:
    """The first ``count`` characters in the field, where the page writes them: a password's as
    round bullets, the rest in the site's font."""
    draw = ImageDraw.Draw(screen)
    x, y, _width, height = typed.box
    middle = y + height / 2
    if typed.password:
        radius = max(2, round(typed.font_size * 0.22))
        step = round(typed.font_size * 0.62)
        for index in range(count):
            centre = x + typed.indent + radius + index * step
            draw.ellipse((centre - radius, middle - radius, centre + radius, middle + radius), fill=TEXT_COLOUR)
        return
    draw.text(
        (x + typed.indent, middle), typed.text[:count], font=_font(400, typed.font_size), fill=TEXT_COLOUR, anchor="lm"
    )


def _typed_over(base: Image.Image, typed_so_far: list[Typed]) -> Image.Image:
    """``base`` with each painted-over field's text drawn whole, where the paint still is."""
    shown = [typed for typed in typed_so_far if _still_masked(base, typed)]
    if not shown:
        return base
    screen = base.copy()
    for typed in shown:
        _type(screen, typed, len(typed.text))
    return screen


def _with(base: Image.Image, frame: Frame, pointer: tuple[int, int] | None, ripple: int | None) -> Image.Image:
    screen = base.copy()
    if pointer is not None:
        _pointer(screen, pointer, ripple)
    image = Image.new("RGB", (SIZE[0], SIZE[1] + BAND_HEIGHT), BAND_COLOUR)
    image.paste(screen, (0, 0))
    _caption(image, frame)
    image.info[captions.SENTENCE] = frame.title  # the video's captions (captions.py) read it
    return image


def merge_repeats(pictures: list[tuple[Image.Image, int]]) -> list[tuple[Image.Image, int]]:
    """Consecutive pictures with the same pixels as one, shown for their durations summed (the
    log-in's password typed whole, then the step's result: the same screen)."""
    merged: list[tuple[Image.Image, int]] = []
    last = b""
    for image, ms in pictures:
        pixels = image.tobytes()
        if merged and pixels == last:
            merged[-1] = (merged[-1][0], merged[-1][1] + ms)
        else:
            merged.append((image, ms))
            last = pixels
    return merged


@dataclass
class Result:
    gif: Path | None
    frames: int
    message: str
    missing: list[int] = field(default_factory=list)
    video: Path | None = None


def assemble(
    folder: Path, screenshots: Path, out_dir: Path, figures: list[int] | None = None, mp4: bool = True
) -> Result:
    """Write ``out_dir/recorrido.gif`` (and ``.mp4`` where ffmpeg is
    installed: :func:`write_video`) from the frames in ``folder``.
    ``figures``: the figure numbers the walkthrough must hold (by default every committed
    figure); with one missing nothing is written, so a partial run never shortens it."""
    frames = read_frames(folder) if folder.is_dir() else []
    wanted = (
        figures if figures is not None else sorted(int(p.stem.split("-")[1]) for p in screenshots.glob("figura-*.png"))
    )
    have = {frame.figure for frame in frames if frame.figure_image}
    missing = [n for n in wanted if n not in have]
    if not frames or missing:
        return Result(
            None,
            0,
            f"No se escribió {out_dir / GIF_NAME}: faltan los fotogramas de "
            f"{', '.join(f'la Figura {n}' for n in missing) or 'todas las figuras'} "
            "(corre todas las figuras: make figuras).",
            missing,
        )
    pictures = merge_repeats(list(render(frames, folder, screenshots)))
    indexed = indexed_frames(pictures, own_palette=FIGURE_MS)
    gif = encode_gif(pictures, indexed)
    out_dir.mkdir(parents=True, exist_ok=True)
    gif_path = out_dir / GIF_NAME
    _write_if_changed(gif_path, gif)
    size = len(gif) / 1024 / 1024
    message = f"Recorrido: {gif_path} ({len(pictures)} cuadros, {size:.2f} MB)"
    if len(gif) > MAX_BYTES:
        message += f"; AVISO: pasa de {MAX_BYTES // 1024 // 1024} MB"
    video_path = None
    if mp4:
        video_path, line = write_video(pictures, out_dir / video.NAME)
        message += "\n" + line + "\n" + captions.write_captions(pictures, out_dir / captions.NAME)
    return Result(gif_path, len(pictures), message, video=video_path)


def write_video(pictures: list[tuple[Image.Image, int]], path: Path) -> tuple[Path | None, str]:
    """Write the walkthrough's ``pictures`` as an MP4 at ``path``; the path written (``None``
    when skipped) and the line that says so, in Spanish."""
    source = video.fingerprint(pictures)
    if video.up_to_date(path, source):  # the same pictures: the committed video stays, byte for byte
        return path, f"Video: {path} ({path.stat().st_size / 1024 / 1024:.2f} MB, igual: mismos cuadros)"
    ffmpeg = video.ffmpeg_executable()
    if ffmpeg is None:
        return None, video.SKIPPED.format(path=path)
    try:
        data = video.encode_mp4(pictures, ffmpeg)
    except video.VideoError as error:
        return None, f"{error}; se escribió sólo el GIF y {path} no se actualizó."
    _write_if_changed(path, data)
    video.record_fingerprint(path, source)
    return path, f"Video: {path} ({len(data) / 1024 / 1024:.2f} MB)"


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tutorial recorrido",
        description="Arma docs/recorrido.gif (y recorrido.mp4) con los cuadros que dejó make figuras.",
        parents=[reports_option()],
    )
    parser.add_argument("--screenshots", type=Path, default=ROOT / "screenshots", help="carpeta de las figuras")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="carpeta del tutorial publicado")
    args = parser.parse_args(argv)
    result = assemble(args.reportes / FRAMES_FOLDER, args.screenshots, args.docs)
    print(result.message)
    # A partial run (-k, --escala-figuras=2) leaves the committed walkthrough alone and is no error.
    return 1 if result.gif is not None and result.gif.stat().st_size > MAX_BYTES else 0


if __name__ == "__main__":
    sys.exit(main())
