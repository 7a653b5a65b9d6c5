"""Shooting a tutorial figure in the browser: settle, highlight, crop, then check or update."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page

from .browser import RECORD_NAME, RendererCheck
from .figures import (
    CrossRendererTolerance,
    FigureOverwriteRefused,
    FigureReport,
    Tolerance,
    check_figure,
    figure_name,
    update_figure,
    wait_until_stable,
)

HIGHLIGHT_ID = "tutorial-highlight"
CROP_PADDING = 16

# Outline boxes drawn over elements the way the tutorial's figures point at them. Built through
# the CSS object model from an evaluated script, so the site's CSP stays untouched.
_DRAW_BOXES = """(boxes) => {
  for (const box of boxes) {
    const el = document.createElement('div');
    el.className = 'tutorial-highlight';
    Object.assign(el.style, {
      position: 'absolute', left: (box.x - 6) + 'px', top: (box.y - 6) + 'px',
      width: (box.width + 12) + 'px', height: (box.height + 12) + 'px',
      border: '3px solid #f5a623', borderRadius: '6px', zIndex: 2147483647, pointerEvents: 'none',
    });
    document.body.appendChild(el);
  }
}"""
_REMOVE_BOXES = "() => document.querySelectorAll('.tutorial-highlight').forEach((e) => e.remove())"
_SETTLED = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null : img.decode().catch(() => null)));
}"""


def figures_folder(screenshots_dir: Path, scale: int) -> Path:
    """``screenshots/`` for 1x figures, ``screenshots/2x/`` for the high-density set."""
    return screenshots_dir if scale == 1 else screenshots_dir / f"{scale}x"


def record_path(screenshots_dir: Path, scale: int) -> Path:
    """The renderer record of a set of figures: ``figuras.json`` beside them."""
    return figures_folder(screenshots_dir, scale) / RECORD_NAME


@dataclass
class Camera:
    """One per scenario; ``update`` is the `make figures` mode, else figures are checked.

    ``renderer`` tells whether this run's renderer is the one that made the committed figures.
    When it is not, checks use ``cross_tolerance`` and name the renderer first in a failure,
    and updates are refused unless ``new_renderer`` (``RENDERER=nuevo``) hands the figures over,
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
    taken: list[str] = field(default_factory=list)

    def target(self, number: int) -> Path:
        return figures_folder(self.screenshots_dir, self.scale) / f"{figure_name(number)}.png"

    @property
    def cross(self) -> bool:
        return self.renderer is not None and self.renderer.cross

    def shoot(
        self,
        page: Page,
        number: int,
        highlight: list[Locator] = (),
        crop: Locator | None = None,
        mask: list[Locator] = (),
    ) -> str:
        page.wait_for_load_state("load")  # fonts and images: awaited by _SETTLED below
        page.evaluate(_SETTLED)
        boxes = [locator.bounding_box() for locator in highlight]
        page.evaluate(_DRAW_BOXES, [_page_box(page, b) for b in boxes if b])
        clip = None
        if crop is not None:
            box = crop.bounding_box()
            clip = {
                "x": max(box["x"] - CROP_PADDING, 0), "y": max(box["y"] - CROP_PADDING, 0),
                "width": box["width"] + 2 * CROP_PADDING, "height": box["height"] + 2 * CROP_PADDING,
            }
        try:
            png = wait_until_stable(lambda: page.screenshot(
                clip=clip, animations="disabled", caret="hide", mask=list(mask), scale="device",
            ))
        finally:
            page.evaluate(_REMOVE_BOXES)
        target = self.target(number)
        if self.update:
            if self.cross and not self.new_renderer:
                raise FigureOverwriteRefused(refusal(self.renderer))
            comparison = update_figure(png, target, self.tolerance, self.report, rewrite=self.cross)
        elif self.cross:
            comparison = check_figure(png, target, self.cross_tolerance, self.report, self.renderer.cause())
        else:
            comparison = check_figure(png, target, self.tolerance, self.report)
        self.taken.append(comparison.describe())
        return comparison.describe()


def _page_box(page: Page, box: dict) -> dict:
    """Viewport coordinates → document coordinates (the boxes are absolutely positioned)."""
    scroll = page.evaluate("() => ({x: window.scrollX, y: window.scrollY})")
    return {**box, "x": box["x"] + scroll["x"], "y": box["y"] + scroll["y"]}


def refusal(renderer: RendererCheck) -> str:
    """Why `make figures` leaves the committed figures alone on another renderer, and what to do."""
    return (
        "No se reescriben las figuras comprometidas: " + renderer.cause() + "\n"
        "Usa el renderizador registrado (`make figures-contenedor`), o, si las figuras deben pasar a este "
        "renderizador, `make figures RENDERER=nuevo`: reescribe todas las figuras y su registro juntos."
    )
