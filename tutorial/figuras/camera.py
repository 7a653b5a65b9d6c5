"""Shooting a tutorial figure in the browser: settle, highlight, crop, then check or update."""

import io
import json
import math
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

# The marks of a figure (boxes, badges, arrows, notes), drawn over the page the way the tutorial's
# figures point at controls. Built with DOM and CSSOM calls from an evaluated script, so the site's
# CSP stays untouched; every element carries the class _REMOVE_BOXES takes away after the shot.
_MARK_STYLE = """
  const mark = (tag, style) => {
    const el = tag === 'svg' ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : document.createElement(tag);
    el.classList.add('tutorial-highlight');
    Object.assign(el.style, {position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', margin: 0}, style);
    return el;
  };
  const noteStyle = {
    background: '%(red)s', color: '#fff', font: '600 14px/20px "Open Sans", sans-serif', padding: '5px 12px',
    borderRadius: '6px', whiteSpace: 'nowrap', border: '2px solid #fff', boxShadow: '0 0 0 1px %(red)s',
  };
""" % {"red": annotations.RED}
_MEASURE_NOTES = (
    """(texts) => {"""
    + _MARK_STYLE
    + """
  return texts.map((text) => {
    const el = mark('div', {...noteStyle, left: '0px', top: '0px', visibility: 'hidden'});
    el.textContent = text;
    document.body.appendChild(el);
    const size = [el.offsetWidth, el.offsetHeight];
    el.remove();
    return size;
  });
}"""
)
_DRAW_MARKS = (
    """(shapes) => {"""
    + _MARK_STYLE
    + """
  const svgLine = (points, width, colour, head) => {
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
    const pad = 16, left = Math.min(...xs) - pad, top = Math.min(...ys) - pad;
    const svg = mark('svg', {left: left + 'px', top: top + 'px', overflow: 'visible'});
    svg.setAttribute('width', Math.max(...xs) - left + pad);
    svg.setAttribute('height', Math.max(...ys) - top + pad);
    const ns = 'http://www.w3.org/2000/svg';
    const [[x1, y1], [x2, y2]] = points.map((p) => [p[0] - left, p[1] - top]);
    for (const [stroke, w] of [['#fff', width + 4], [colour, width]]) {
      const line = document.createElementNS(ns, 'line');
      for (const [k, v] of Object.entries({x1, y1, x2, y2, stroke, 'stroke-width': w, 'stroke-linecap': 'round'})) line.setAttribute(k, v);
      svg.appendChild(line);
    }
    if (head) {
      const angle = Math.atan2(y2 - y1, x2 - x1), size = 16, spread = 0.45;
      const corner = (a) => [x2 - size * Math.cos(a), y2 - size * Math.sin(a)];
      const head = document.createElementNS(ns, 'polygon');
      head.setAttribute('points', [[x2, y2], corner(angle - spread), corner(angle + spread)].map((p) => p.join(',')).join(' '));
      head.setAttribute('fill', colour);
      head.setAttribute('stroke', '#fff');
      head.setAttribute('stroke-width', 2);
      head.setAttribute('stroke-linejoin', 'round');
      svg.appendChild(head);
    }
    return svg;
  };
  for (const s of shapes) {
    let el;
    if (s.kind === 'box') {
      el = mark('div', {left: s.x + 'px', top: s.y + 'px', width: s.width + 'px', height: s.height + 'px',
                        border: '3px solid %(highlight)s', borderRadius: '6px', boxSizing: 'border-box'});
    } else if (s.kind === 'badge') {
      el = mark('div', {left: s.x + 'px', top: s.y + 'px', width: s.width + 'px', height: s.height + 'px',
                        boxSizing: 'border-box', borderRadius: '50%%', background: '%(red)s', color: '#fff',
                        border: '2px solid #fff', boxShadow: '0 0 0 1px %(red)s', textAlign: 'center',
                        font: '700 14px/22px "Open Sans", sans-serif'});
      el.textContent = s.label;
    } else if (s.kind === 'arrow') {
      el = svgLine(s.points, 4, '%(red)s', true);
    } else if (s.kind === 'note') {
      document.body.appendChild(svgLine(s.points, 2, '%(red)s', false));
      el = mark('div', {...noteStyle, left: s.x + 'px', top: s.y + 'px'});
      el.textContent = s.label;
    }
    document.body.appendChild(el);
  }
}"""
    % {"red": annotations.RED, "highlight": annotations.HIGHLIGHT}
)
# The value a label names, as a reader finds it: the rest of the label's text ("RFC SCB150312QK4"),
# or else the next text on the page ("Fecha:" then "15/03/2022 10:00"). Document coordinates.
LABELLED_VALUE = r"""(label) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.textContent.trim() && n.parentElement && n.parentElement.getClientRects().length) nodes.push(n);
  }
  const letter = /[\p{L}\p{N}]/u;
  const at = (text) => {
    for (let i = text.indexOf(label); i >= 0; i = text.indexOf(label, i + 1)) {
      const before = text[i - 1] || ' ', after = text[i + label.length] || ' ';
      if (!letter.test(before) && !letter.test(after)) return i;
    }
    return -1;
  };
  for (let i = 0; i < nodes.length; i++) {
    const text = nodes[i].textContent, index = at(text);
    if (index < 0) continue;
    const range = document.createRange();
    const end = index + label.length, rest = text.slice(end);
    if (rest.trim()) {
      range.setStart(nodes[i], end + rest.length - rest.trimStart().length);
      range.setEnd(nodes[i], text.trimEnd().length);
    } else if (i + 1 < nodes.length) {
      const next = nodes[i + 1].textContent;
      range.setStart(nodes[i + 1], next.length - next.trimStart().length);
      range.setEnd(nodes[i + 1], next.trimEnd().length);
    } else return null;
    const r = range.getBoundingClientRect();
    return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height};
  }
  return null;
}"""
# Boxes alone, for tools that draw the plain highlight (bench/floor.py, tests/figure_pairs).
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
# What marks should not cover: every visible piece of text (its glyphs' boxes, not its element's)
# and every control or picture. Document coordinates.
_CONTENT = r"""() => {
  const rects = [];
  // Text kept for screen readers only (clipped to nothing) is not on the screen.
  const unseen = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ((s.clip && s.clip !== 'auto') || s.clipPath !== 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  const keep = (r) => { if (r.width && r.height) rects.push({x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height}); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || n.parentElement.closest('.tutorial-highlight') || unseen(n.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) keep(r);
  }
  for (const el of document.querySelectorAll('button, input, select, textarea, img, svg, [role=button]')) {
    if (!el.closest('.tutorial-highlight') && !unseen(el)) keep(el.getBoundingClientRect());
  }
  return rects;
}"""
# The window a target belongs to (a dialog, a desktop window, the Inicio menu, a card; none on a bare page),
# whether a reader clicks it, and the box that stands for it when that is not the element's own
# (its words, or the part of the page a heading names). Document coordinates.
_TARGET_INFO = r"""(el) => {
  const doc = (r) => ({x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height});
  const windows = '[role=dialog], .win, .start-menu, section[aria-labelledby], article';
  // A heading that names a part of the page (a card, a panel) stands for that part.
  const owner = el.id ? el.parentElement.closest(`[aria-labelledby~="${CSS.escape(el.id)}"]`) : null;
  if (owner && !owner.matches('[role=dialog], .win')) {
    const around = owner.parentElement.closest(windows);
    return {window: around ? doc(around.getBoundingClientRect()) : null, clickable: false, text: doc(owner.getBoundingClientRect())};
  }
  const win = el.closest(windows);
  const clickable = !!el.closest('a[href], button, [role=button], [role=link], summary');
  // A text that is not clicked (a column header, a heading) is its words, not its cell or block.
  let text = null;
  if (!clickable && el.textContent.trim()) {
    const range = document.createRange();
    range.selectNodeContents(el);
    text = doc(range.getBoundingClientRect());
  }
  return {window: win ? doc(win.getBoundingClientRect()) : null, clickable, text};
}"""
# What a crop shows: the window the element belongs to (a dialog, a desktop window, the Inicio
# menu; itself when none), and whether that is a dialog (framed without margin). Viewport coordinates.
_FRAMED = r"""(el) => {
  const win = el.closest('[role=dialog], .win, .start-menu') || el;
  const r = win.getBoundingClientRect();
  return {box: {x: r.x, y: r.y, width: r.width, height: r.height}, dialog: win.matches('[role=dialog]')};
}"""
# The parts of a page that hold its text (a card, a panel, a window, the footer band), whole in a
# page figure: viewport coordinates of those visible on the screen.
_PANELS = r"""() => [...document.querySelectorAll(
    '[role=dialog], .win, .start-menu, section[aria-labelledby], article, body > footer, main > footer')]
  .map((el) => el.getBoundingClientRect())
  .filter((r) => r.width && r.height && r.top < window.innerHeight && r.bottom > 0)
  .map((r) => ({x: r.x, y: r.y, width: r.width, height: r.height}))"""
_REMOVE_BOXES = "() => document.querySelectorAll('.tutorial-highlight').forEach((e) => e.remove())"
_SETTLED = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null : img.decode().catch(() => null)));
}"""


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
        boxes = [locator.bounding_box() for locator in highlight]
        clip = frame(page, crop)
        shapes: list[annotations.Shape] = []
        blurred: list[Region] = []
        ignored: list[Region] = []
        self.placement = None
        if marks:
            shapes, blurred, ignored = self._place(page, list(marks), locate, clip)
        try:
            page.evaluate(_DRAW_BOXES, [_page_box(page, b) for b in boxes if b])
            if shapes:
                page.evaluate(_DRAW_MARKS, [shape.as_dict() for shape in shapes])
            png = wait_until_stable(
                lambda: page.screenshot(clip=clip, animations="disabled", caret="hide", mask=list(mask), scale="device")
            )
        finally:
            page.evaluate(_REMOVE_BOXES)
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
