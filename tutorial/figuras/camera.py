"""Shooting a tutorial figure in the browser: settle, highlight, crop, then check or update."""

import functools
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import FloatRect, Locator, Page

from tutorial.figuras import annotations
from tutorial.figuras.annotations import Annotation, Rect
from tutorial.figuras.comparison import CrossRendererTolerance, Region, Tolerance, figure_name
from tutorial.figuras.files import figures_folder
from tutorial.figuras.renderer import RECORD_NAME, RendererCheck
from tutorial.figuras.report import FigureReport
from tutorial.figuras.verdict import FigureMismatch, FigureOverwriteRefused, FigureUnstable, check_figure, update_figure

CROP_PADDING = 16  # around a cropped element (a window on the desktop): a little of what surrounds it
DIALOG_PADDING = 0  # a dialog is shown by itself: the dimmed page behind it would be cut text
PAGE_MARGIN = 12  # under the last text or control of a page figure, which is the page's full width

# The page scripts the camera evaluates live in page_scripts/*.js, read once. The marks of a figure
# (boxes, badges, arrows, notes) are drawn over the page the way the tutorial's figures point at
# controls, with DOM and CSSOM calls from an evaluated script, so the site's CSP stays untouched;
# every element carries the class remove_boxes.js takes away after the shot.
_SCRIPTS = Path(__file__).with_name("page_scripts")
_INCLUDE = "\n  /* include: mark_style */\n"


@functools.cache
def page_script(name: str) -> str:
    """``page_scripts/<name>.js`` as ``page.evaluate`` takes it: the shared mark style included and
    the callout colours (``__RED__``, ``__HIGHLIGHT__``) filled in from :mod:`.annotations`."""
    text = (_SCRIPTS / f"{name}.js").read_text(encoding="utf-8").removesuffix("\n")
    if _INCLUDE in text:
        style = (_SCRIPTS / "mark_style.js").read_text(encoding="utf-8").strip("\n")
        text = text.replace(_INCLUDE, f"\n{style}\n")
    return text.replace("__RED__", annotations.RED).replace("__HIGHLIGHT__", annotations.HIGHLIGHT)


_MEASURE_NOTES = page_script("measure_notes")
_DRAW_MARKS = page_script("draw_marks")
LABELLED_VALUE = page_script("labelled_value")
_DRAW_BOXES = page_script("draw_boxes")
_CONTENT = page_script("content")
_TARGET_INFO = page_script("target_info")
_FRAMED = page_script("framed")
_PANELS = page_script("panels")
_REMOVE_BOXES = page_script("remove_boxes")
_DIALOG_CORNERS = page_script("dialog_corners")
_SETTLED = page_script("settled")


# What no published picture says (the served mock may say it: `make sitio` prints «Sitio simulado
# de aspel.com»): the original's figures show aspel.com, so ours show nothing that says otherwise.
UNPUBLISHABLE = re.compile(r"demostraci[oó]n|pruebas|no es aspel\.com", re.IGNORECASE)
_VISIBLE_TEXT = "() => document.body ? document.body.innerText : ''"


class UnpublishableText(AssertionError):
    """A page about to be shot for a published picture says it is a demo or a test."""


def check_publishable(page: Page) -> None:
    """Refuse to shoot a page whose visible text (the DOM's ``innerText``) says «demostración»,
    «pruebas» or «no es aspel.com»: a figure or walkthrough frame would publish it."""
    text = page.evaluate(_VISIBLE_TEXT)
    found = UNPUBLISHABLE.findall(text) if isinstance(text, str) else []  # a stand-in page has no text
    if found:
        raise UnpublishableText(
            f"La página {page.url} dice «{found[0]}» a la vista: una figura o un cuadro del recorrido lo "
            "publicaría. Quítalo de la plantilla (la consola de make sitio ya dice que el sitio es simulado)."
        )


def wait_until_stable(shoot: Callable[[], bytes], attempts: int = 5, previous: bytes | None = None) -> bytes:
    """Shoot until two consecutive shots are byte-identical, at most ``attempts`` shots.

    Guards against capturing a screen mid-render (a web font or image still arriving).
    ``previous``: a shot of the same page taken just before (the walkthrough's last frame), which
    counts as the first one; an unchanged page then costs one shot instead of two.
    """
    if previous is None:
        previous = shoot()
    for _ in range(attempts - 1):
        current = shoot()
        if current == previous:
            return current
        previous = current
    raise FigureUnstable(f"La pantalla nunca se estabilizó: tras {attempts} capturas no hubo dos seguidas idénticas.")


def record_path(screenshots_dir: Path, scale: int) -> Path:
    """The renderer record of a set of figures: ``figuras.json`` beside them."""
    return figures_folder(screenshots_dir, scale) / RECORD_NAME


@dataclass
class Camera:
    """One per scenario; ``update`` is the `make figuras` mode, else figures are checked.

    ``renderer`` tells whether this run's renderer is the one that made the committed figures.
    When it is not, checks use ``cross_tolerance`` and name the renderer first in a failure,
    and updates are refused unless ``new_renderer`` (``RENDERIZADOR_NUEVO=1``) hands the figures over,
    in which case every figure is rewritten.
    """

    screenshots_dir: Path
    report: FigureReport
    tolerance: Tolerance
    update: bool
    scale: int = 1
    renderer: RendererCheck | None = None
    cross_tolerance: CrossRendererTolerance = field(default_factory=CrossRendererTolerance)
    new_renderer: bool = False
    placement: dict | None = field(default=None, init=False)  # the last picture's placement record

    def target(self, number: int) -> Path:
        return figures_folder(self.screenshots_dir, self.scale) / f"{figure_name(number)}.png"

    @property
    def cross(self) -> bool:
        return self.renderer is not None and self.renderer.cross

    def shoot(self, page: Page, number: int, caption: str = "", **targets: Any) -> str:
        """Shoot figure ``number`` (:meth:`picture`, which ``targets`` go to), then check it or update it."""
        png, ignored = self.picture(page, **targets)
        if self.scale == 1:  # before the verdict, which raises on a change: `make aceptar` reads it
            self.report.keep_placement(figure_name(number), self.placement)
        described = self._keep(png, number, ignored)
        if self.update and self.scale == 1:
            write_placement(self.target(number), self.placement)
        return described

    def picture(
        self,
        page: Page,
        highlight: Sequence[Locator] = (),
        crop: Locator | None = None,
        mask: Sequence[Locator] = (),
        marks: Sequence[Annotation] = (),
        locate: Callable[[str], Locator] | None = None,
    ) -> tuple[bytes, list[Region]]:
        """The figure's PNG and the regions left out of its comparison. ``marks`` are the figure
        step's annotations (see :mod:`annotations`), their targets found by ``locate`` (a visible
        name → a locator) or, for blur and ignore, as the value a label names. bench/floor.py
        takes its pictures here too."""
        page.wait_for_load_state("load")  # fonts and images: awaited by _SETTLED below
        page.evaluate(_SETTLED)
        check_publishable(page)
        boxes = [locator.bounding_box() for locator in highlight]
        clip = frame(page, crop)
        shapes: list[annotations.Shape] = []
        blurred: list[Region] = []
        ignored: list[Region] = []
        self.placement = None
        if marks:
            shapes, blurred, ignored = self._place(page, list(marks), locate, clip)
        if crop is not None:
            crop.evaluate(_DIALOG_CORNERS, True)  # no backdrop pixels at a dialog's corners
        try:
            page.evaluate(_DRAW_BOXES, [_page_box(page, b) for b in boxes if b])
            if shapes:
                page.evaluate(_DRAW_MARKS, [shape.as_dict() for shape in shapes])
            png = wait_until_stable(
                lambda: page.screenshot(clip=clip, animations="disabled", caret="hide", mask=list(mask), scale="device")
            )
        finally:
            page.evaluate(_REMOVE_BOXES)
            if crop is not None:
                crop.evaluate(_DIALOG_CORNERS, False)
        if blurred:
            image = Image.open(io.BytesIO(png)).convert("RGB")
            for region in blurred:
                image = annotations.pixelate(image, region, annotations.PIXEL_BLOCK * self.scale)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            png = buffer.getvalue()
        return png, ignored

    def _place(
        self, page: Page, marks: list[Annotation], locate: Callable[[str], Locator] | None, clip: FloatRect
    ) -> tuple[list[annotations.Shape], list[Region], list[Region]]:
        """Find every target, lay the drawn marks out, and turn blur/ignore targets into image regions."""
        scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
        bounds = Rect(clip["x"] + scroll[0], clip["y"] + scroll[1], clip["width"], clip["height"])
        targets: dict[str, Rect] = {}
        windows: dict[str, Rect] = {}
        clickable: set[str] = set()
        for mark in marks:
            if mark.target not in targets:
                targets[mark.target], info = self._find(page, mark, locate, scroll)
                if info and info["window"]:
                    windows[mark.target] = Rect.of(info["window"])
                if info and info["clickable"]:
                    clickable.add(mark.target)
        drawn = [m for m in marks if m.kind in annotations.DRAWN]
        texts = sorted({m.text for m in drawn if m.kind == annotations.NOTE and m.text is not None})
        sizes = dict(zip(texts, map(tuple, page.evaluate(_MEASURE_NOTES, texts)), strict=True)) if texts else {}
        content = tuple(Rect.of(box) for box in page.evaluate(_CONTENT)) if drawn else ()
        names = {m.target for m in drawn}
        scene = annotations.Scene(
            bounds,
            {name: targets[name] for name in sorted(names)},
            content,
            {name: windows[name] for name in sorted(names & windows.keys())},
            frozenset(names & clickable),
        )
        shapes = annotations.layout_in(drawn, scene, sizes)
        broken = annotations.check_placement(scene, shapes)
        if broken:
            raise AssertionError("Las marcas de la figura rompen la regla de colocación: " + "; ".join(broken))
        self.placement = annotations.scene_record(scene, shapes) if drawn else None
        origin = (bounds.x, bounds.y)

        def regions(kind: str) -> list[Region]:
            return [
                annotations.to_image_region(targets[m.target], origin, self.scale, pad=3)
                for m in marks
                if m.kind == kind
            ]

        return shapes, regions(annotations.BLUR), regions(annotations.IGNORE)

    @staticmethod
    def _find(
        page: Page, mark: Annotation, locate: Callable[[str], Locator] | None, scroll: list[float]
    ) -> tuple[Rect, dict | None]:
        """A control by its visible name first (with its window and whether it is clicked); for
        blur and ignore also the value a label names."""
        if locate is not None:
            locator = locate(mark.target)
            if locator.count():
                box = locator.bounding_box()
                if box:
                    info = locator.evaluate(_TARGET_INFO)
                    if info["text"]:
                        return Rect.of(info["text"]), info
                    return Rect(box["x"] + scroll[0], box["y"] + scroll[1], box["width"], box["height"]), info
        if mark.kind in (annotations.BLUR, annotations.IGNORE):
            box = page.evaluate(LABELLED_VALUE, mark.target)
            if box:
                return Rect.of(box), None
        raise AssertionError(f"No se encontró «{mark.target}» en la pantalla para la figura ({mark.kind}).")

    def _keep(self, png: bytes, number: int, ignored: Sequence[Region] = ()) -> str:
        """Check the shot against the committed figure, or update it (``make figuras``)."""
        target = self.target(number)
        if self.update and self.cross and not self.new_renderer:
            # Another renderer may confirm a figure (within the cross tolerance it stays as
            # committed, byte for byte) but not overwrite one: its pixels are another build's.
            assert self.renderer is not None  # self.cross
            try:
                comparison = check_figure(
                    png, target, self.cross_tolerance, self.report, self.renderer.cause(), ignore=ignored
                )
            except FigureMismatch as mismatch:
                raise FigureOverwriteRefused(refusal(target.stem, self.renderer, str(mismatch))) from None
        elif self.update:
            comparison = update_figure(png, target, self.tolerance, self.report, rewrite=self.cross, ignore=ignored)
        elif self.cross:
            assert self.renderer is not None
            comparison = check_figure(
                png, target, self.cross_tolerance, self.report, self.renderer.cause(), ignore=ignored
            )
        else:
            comparison = check_figure(png, target, self.tolerance, self.report, ignore=ignored)
        return comparison.describe()


def frame(page: Page, crop: Locator | None) -> FloatRect:
    """What the figure shows (viewport coordinates): the window the cropped element belongs to (or
    the element) with its declared margin (none for a dialog), or the page's full width down to PAGE_MARGIN under its last text or control."""
    viewport = page.viewport_size
    assert viewport is not None  # every context here sets one
    scroll = page.evaluate("() => ({x: window.scrollX, y: window.scrollY})")
    content = [
        Rect(b["x"] - scroll["x"], b["y"] - scroll["y"], b["width"], b["height"]) for b in page.evaluate(_CONTENT)
    ]
    if crop is not None:
        framed = crop.evaluate(_FRAMED)
        box, pad = Rect.of(framed["box"]), DIALOG_PADDING if framed["dialog"] else CROP_PADDING
        x, y = max(box.x - pad, 0), max(box.y - pad, 0)
        right, bottom = min(box.right + pad, viewport["width"]), min(box.bottom + pad, viewport["height"])
        # A margin that would cut a text or control in two (the taskbar's Inicio under the menu) is left out.
        outside = [c for c in content if not c.inside(box)]
        if any(c.x < x < c.right and c.overlaps(Rect(x, y, right - x, bottom - y)) for c in outside):
            x = max(box.x, 0)
        if any(c.y < y < c.bottom and c.overlaps(Rect(x, y, right - x, bottom - y)) for c in outside):
            y = max(box.y, 0)
        if any(c.x < right < c.right and c.overlaps(Rect(x, y, right - x, bottom - y)) for c in outside):
            right = min(box.right, viewport["width"])
        if any(c.y < bottom < c.bottom and c.overlaps(Rect(x, y, right - x, bottom - y)) for c in outside):
            bottom = min(box.bottom, viewport["height"])
        return {"x": x, "y": y, "width": right - x, "height": bottom - y}
    panels = page.evaluate(_PANELS)
    bottoms = [c.bottom for c in content] + [box["y"] + box["height"] for box in panels]
    bottom = min(math.ceil(max(bottoms, default=viewport["height"])) + PAGE_MARGIN, viewport["height"])
    return {"x": 0, "y": 0, "width": viewport["width"], "height": bottom}


def placement_path(figure: Path) -> Path:
    """``figura-04.png`` → ``figura-04.marcas.json``: where its marks and the DOM's boxes are recorded."""
    return figure.with_name(figure.stem + ".marcas.json")


def write_placement(figure: Path, record: dict | None) -> None:
    """Keep the placement record beside the figure (`make figuras`); a figure without marks has none."""
    path = placement_path(figure)
    if record is None:
        path.unlink(missing_ok=True)
        return
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _page_box(page: Page, box: FloatRect) -> dict:
    """Viewport coordinates → document coordinates (the boxes are absolutely positioned)."""
    scroll = page.evaluate("() => ({x: window.scrollX, y: window.scrollY})")
    return {**box, "x": box["x"] + scroll["x"], "y": box["y"] + scroll["y"]}


def refusal(name: str, renderer: RendererCheck, mismatch: str) -> str:
    """Why `make figuras` on another renderer leaves a figure that changed alone, and what to do."""
    return (
        f"No se reescribe {name}: cambió más de lo que cambia otro renderizador, y "
        + renderer.cause()
        + "\nCorre `make figuras` con "
        + renderer.exact_verdict()
        + " Si las figuras deben pasar a este renderizador: `make figuras RENDERIZADOR_NUEVO=1` reescribe todas "
        "las figuras y su registro juntos.\n" + mismatch
    )
