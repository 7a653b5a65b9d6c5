"""Figure tooling without a browser: compare, update, report.

A figure is a PNG committed under ``screenshots/`` (``figura-04.png``). A run either checks a
fresh capture against it (QA, CI) or rewrites it when it really changed (``make figures``).
Reports go to a directory shared by every pytest-xdist worker, so each comparison is kept as
files (PNGs and a JSON sidecar) and the HTML report is rebuilt from whatever is on disk.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image
from pixelmatch.contrib.PIL import pixelmatch

NEW, SAME, CHANGED = "new", "same", "changed"
_STATUS_LABELS = {NEW: "nueva", SAME: "igual", CHANGED: "cambió"}
# Fills the area one image lacks when sizes differ; a colour no screen of the site uses,
# so padding never passes for content.
_PAD_COLOUR = (255, 0, 255, 255)


def figure_name(number: int) -> str:
    """``4`` → ``"figura-04"``, the stem of the committed PNG."""
    return f"figura-{number:02d}"


@dataclass(frozen=True)
class Tolerance:
    threshold: float = 0.1  # pixelmatch per-pixel colour threshold (0..1)
    max_diff_ratio: float = 0.0  # max share of changed pixels allowed (0..1)


@dataclass(frozen=True)
class Comparison:
    name: str
    status: str  # NEW | SAME | CHANGED; SAME means within tolerance
    diff_ratio: float  # share of pixels that differ (0 for a new figure)
    expected_size: tuple[int, int] | None
    actual_size: tuple[int, int]

    @property
    def size_changed(self) -> bool:
        return self.expected_size is not None and self.expected_size != self.actual_size

    def describe(self) -> str:
        if self.status == NEW:
            return f"{self.name}: nueva"
        if self.size_changed:
            return (
                f"{self.name}: cambió de tamaño: {_size(self.expected_size)} → "
                f"{_size(self.actual_size)} ({_percent(self.diff_ratio)} de píxeles)"
            )
        if self.status == CHANGED:
            return f"{self.name}: cambió ({_percent(self.diff_ratio)} de píxeles)"
        if self.diff_ratio:
            return f"{self.name}: igual dentro de la tolerancia ({_percent(self.diff_ratio)} de píxeles)"
        return f"{self.name}: igual"


class FigureMismatch(AssertionError):
    """A captured figure is missing from, or differs from, the committed one."""


class FigureUnstable(AssertionError):
    """The screen kept changing between captures."""


def _size(size: tuple[int, int] | None) -> str:
    return f"{size[0]}x{size[1]}" if size else "?"


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.2f} %"


def _decode(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGBA")


def _png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size  # reads the header only


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _padded(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    canvas = Image.new("RGBA", size, _PAD_COLOUR)
    canvas.paste(image, (0, 0))
    return canvas


def compare_png(expected: bytes | None, actual: bytes, tolerance: Tolerance) -> tuple[float, bytes | None]:
    """Return the share of differing pixels and a diff PNG (``None`` when nothing differs).

    Anti-aliased pixels are tolerated. Images of different sizes are both laid on a canvas of
    the larger size, so a size change still yields a ratio (over the canvas) and a diff image.
    """
    if expected is None or expected == actual:
        return 0.0, None
    old, new = _decode(expected), _decode(actual)
    size = (max(old.width, new.width), max(old.height, new.height))
    diff = Image.new("RGBA", size)
    changed = pixelmatch(_padded(old, size), _padded(new, size), diff, threshold=tolerance.threshold, includeAA=False)
    if not changed:
        return 0.0, None
    return changed / (size[0] * size[1]), _encode(diff)


def _compare(name: str, actual: bytes, expected: bytes | None, tolerance: Tolerance) -> tuple[Comparison, bytes | None]:
    actual_size = _png_size(actual)
    if expected is None:
        return Comparison(name, NEW, 0.0, None, actual_size), None
    expected_size = _png_size(expected)
    ratio, diff = compare_png(expected, actual, tolerance)
    same = expected_size == actual_size and ratio <= tolerance.max_diff_ratio
    return Comparison(name, SAME if same else CHANGED, ratio, expected_size, actual_size), diff


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def compare_figure(name: str, actual: bytes, expected_path: Path, tolerance: Tolerance) -> Comparison:
    return _compare(name, actual, _read(expected_path), tolerance)[0]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader (another worker) never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class FigureReport:
    """The figures of a run, kept in ``out_dir`` (e.g. ``reports/figures``).

    For each figure ``record`` writes a sidecar ``<name>.json`` and, when the figure is new or
    changed, ``<name>.expected.png``, ``<name>.actual.png`` and ``<name>.diff.png``. The HTML
    report (``index.html``) lists every figure and shows each changed one as expected /
    actual / diff side by side plus an overlay slider. It is built from the files alone, so
    any process (the xdist controller after its workers) can write it.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)

    def path(self, name: str, kind: str) -> Path:
        """``kind`` is ``expected``, ``actual`` or ``diff``."""
        return self.out_dir / f"{name}.{kind}.png"

    @property
    def html_path(self) -> Path:
        return self.out_dir / "index.html"

    def record(self, comparison: Comparison, actual: bytes, expected: bytes | None, diff: bytes | None) -> None:
        images = {}
        if comparison.status != SAME:
            for kind, data in (("expected", expected), ("actual", actual), ("diff", diff)):
                if data is not None:
                    _write_atomically(self.path(comparison.name, kind), data)
                    images[kind] = self.path(comparison.name, kind).name
        sidecar = {"comparison": asdict(comparison), "images": images}
        _write_atomically(self.out_dir / f"{comparison.name}.json", json.dumps(sidecar, ensure_ascii=False).encode())

    def write_html(self) -> Path | None:
        return write_html_from_dir(self.out_dir)


def recorded_comparisons(out_dir: Path) -> list[Comparison]:
    """Every comparison recorded in ``out_dir`` by any worker, by figure name."""
    return [comparison for comparison, _images in _load_sidecars(out_dir)]


def _load_sidecars(out_dir: Path) -> list[tuple[Comparison, dict[str, str]]]:
    entries = []
    for sidecar in sorted(out_dir.glob("*.json")):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        fields = data["comparison"]
        comparison = Comparison(
            name=fields["name"],
            status=fields["status"],
            diff_ratio=fields["diff_ratio"],
            expected_size=tuple(fields["expected_size"]) if fields["expected_size"] else None,
            actual_size=tuple(fields["actual_size"]),
        )
        entries.append((comparison, data["images"]))
    return entries


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


_REPORT_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.new { background: #eef5ff; } .changed { background: #fff0f0; }
.images { display: flex; gap: 1rem; align-items: flex-start; }
.images figure { margin: 0; flex: 1; min-width: 0; } .images img { max-width: 100%; border: 1px solid #ccc; }
.images figcaption { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.overlay { display: inline-grid; max-width: 100%; border: 1px solid #ccc; margin-top: 1rem; }
.overlay img { grid-area: 1 / 1; max-width: 100%; }
.overlay input { width: 100%; }
"""

# Drags the actual image over the expected one: the slider uncovers it from the left.
_SLIDER_JS = "this.parentNode.querySelector('.actual').style.clipPath='inset(0 '+(100-this.value)+'% 0 0)'"


def _figure_section(comparison: Comparison, images: dict[str, str], out_dir: Path) -> str:
    labels = {"expected": "Esperada (comprometida)", "actual": "Actual", "diff": "Diferencias"}
    uris = {kind: _data_uri(out_dir / file) for kind, file in images.items() if (out_dir / file).exists()}
    side_by_side = "".join(
        f'<figure><figcaption>{labels[kind]} — <a href="{html.escape(images[kind])}">{html.escape(images[kind])}</a>'
        f'</figcaption><img src="{uris[kind]}" alt="{labels[kind]}"></figure>'
        for kind in labels
        if kind in uris
    )
    overlay = ""
    if "expected" in uris and "actual" in uris:
        overlay = (
            '<div class="overlay">'
            f'<img src="{uris["expected"]}" alt="Esperada">'
            f'<img class="actual" src="{uris["actual"]}" alt="Actual" style="clip-path: inset(0 50% 0 0)">'
            f'<input type="range" min="0" max="100" value="50" aria-label="Superponer actual sobre esperada" oninput="{_SLIDER_JS}">'
            "</div>"
        )
    return (
        f'<section id="{html.escape(comparison.name)}"><h2>{html.escape(comparison.describe())}</h2>'
        f'<div class="images">{side_by_side}</div>{overlay}</section>'
    )


def write_html_from_dir(out_dir: Path) -> Path | None:
    """Write ``out_dir/index.html`` from the sidecars there; ``None`` when nothing was recorded."""
    out_dir = Path(out_dir)
    entries = _load_sidecars(out_dir) if out_dir.is_dir() else []
    if not entries:
        return None
    rows = "".join(
        f'<tr class="{c.status}"><td><a href="#{html.escape(c.name)}">{html.escape(c.name)}</a></td>'
        f"<td>{_STATUS_LABELS[c.status]}</td><td>{html.escape(c.describe())}</td></tr>"
        for c, _ in entries
    )
    sections = "".join(_figure_section(c, images, out_dir) for c, images in entries if c.status != SAME)
    page = (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Figuras</title>'
        f"<style>{_REPORT_CSS}</style></head><body><h1>Figuras</h1>"
        f"<table><thead><tr><th>Figura</th><th>Estado</th><th>Detalle</th></tr></thead><tbody>{rows}</tbody></table>"
        f"{sections}</body></html>"
    )
    path = out_dir / "index.html"
    _write_atomically(path, page.encode("utf-8"))
    return path


def update_figure(actual: bytes, expected_path: Path, tolerance: Tolerance, report: FigureReport | None = None) -> Comparison:
    """The ``make figures`` mode: write ``actual`` to ``expected_path`` only when new or changed.

    A figure within tolerance is left byte-for-byte as committed, so re-shooting does not
    churn the repository.
    """
    expected = _read(expected_path)
    comparison, diff = _compare(expected_path.stem, actual, expected, tolerance)
    if comparison.status != SAME:
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(expected_path, actual)
    if report is not None:
        report.record(comparison, actual, expected, diff)
    return comparison


def check_figure(actual: bytes, expected_path: Path, tolerance: Tolerance, report: FigureReport) -> Comparison:
    """The QA mode: compare with the committed figure, record it, raise ``FigureMismatch`` unless same."""
    expected = _read(expected_path)
    comparison, diff = _compare(expected_path.stem, actual, expected, tolerance)
    report.record(comparison, actual, expected, diff)
    if comparison.status == SAME:
        return comparison
    report.write_html()
    if comparison.status == NEW:
        raise FigureMismatch(
            f"No existe la figura comprometida {_shown(expected_path)}; créala con `make figures`.\n"
            f"  captura actual: {_shown(report.path(comparison.name, 'actual'))}"
        )
    if comparison.size_changed:
        headline = (
            f"La figura {comparison.name} cambió de tamaño: {_size(comparison.expected_size)} → "
            f"{_size(comparison.actual_size)} ({_percent(comparison.diff_ratio)} de píxeles distintos)."
        )
    else:
        headline = (
            f"La figura {comparison.name} cambió: {_percent(comparison.diff_ratio)} de píxeles distintos "
            f"(tolerancia {_percent(tolerance.max_diff_ratio)})."
        )
    raise FigureMismatch(
        f"{headline}\n"
        f"  esperada: {_shown(expected_path)}\n"
        f"  actual: {_shown(report.path(comparison.name, 'actual'))}\n"
        f"  diferencias: {_shown(report.path(comparison.name, 'diff'))}\n"
        f"  informe: {_shown(report.html_path)}\n"
        "Si el cambio es intencional, actualiza las figuras con `make figures`."
    )


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def wait_until_stable(shoot: Callable[[], bytes], attempts: int = 5) -> bytes:
    """Shoot until two consecutive shots are byte-identical, at most ``attempts`` shots.

    Guards against capturing a screen mid-render (a web font or image still arriving).
    """
    previous = shoot()
    for _ in range(attempts - 1):
        current = shoot()
        if current == previous:
            return current
        previous = current
    raise FigureUnstable(
        f"La pantalla nunca se estabilizó: tras {attempts} capturas no hubo dos seguidas idénticas."
    )
