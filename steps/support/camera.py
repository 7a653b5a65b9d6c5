"""Shooting a tutorial figure in the browser: settle, highlight, crop, then check or update."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page

from .figures import FigureReport, Tolerance, check_figure, figure_name, update_figure, wait_until_stable

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


@dataclass
class Camera:
    """One per scenario; ``update`` is the `make figures` mode, else figures are checked."""

    screenshots_dir: Path
    report: FigureReport
    tolerance: Tolerance
    update: bool
    scale: int = 1
    taken: list[str] = field(default_factory=list)

    def target(self, number: int) -> Path:
        folder = self.screenshots_dir if self.scale == 1 else self.screenshots_dir / f"{self.scale}x"
        return folder / f"{figure_name(number)}.png"

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
            comparison = update_figure(png, target, self.tolerance, self.report)
        else:
            comparison = check_figure(png, target, self.tolerance, self.report)
        self.taken.append(comparison.describe())
        return comparison.describe()


def _page_box(page: Page, box: dict) -> dict:
    """Viewport coordinates → document coordinates (the boxes are absolutely positioned)."""
    scroll = page.evaluate("() => ({x: window.scrollX, y: window.scrollY})")
    return {**box, "x": box["x"] + scroll["x"], "y": box["y"] + scroll["y"]}
