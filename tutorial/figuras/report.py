"""The figure report a person reads: each comparison kept as files (PNGs and a JSON sidecar)
in a folder every pytest-xdist worker shares, and ``index.html`` rebuilt from whatever is on disk.

This module is the one writer and the one reader of the sidecars (:class:`Sidecar`): accepting a
figure and the proof view read them through :func:`read_sidecar` and :func:`sidecars`.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tutorial.figuras.comparison import (
    CROSS_RENDERER_MARK,
    SAME,
    STATUS_LABELS,
    Comparison,
    accept_command,
    outline_regions,
    region_text,
    zoom_factor,
    zoom_images,
)
from tutorial.figuras.files import write_atomically

RENDERER_NOTE_FILE = "renderizador.txt"
# Where each figure's marks were placed in this run (``marcas/<name>.json``, ``null`` for a figure
# without drawn marks): ``make aceptar`` writes it beside the accepted figure as its
# ``figura-NN.marcas.json``. A folder of its own: the sidecars are the report's ``*.json``.
PLACEMENT_FOLDER = "marcas"


class FigureReport:
    """The figures of a run, kept in ``out_dir`` (e.g. ``reports/figures``).

    For each figure ``record`` writes a sidecar ``<name>.json`` and, when the figure is new or
    changed, ``<name>.expected.png``, ``<name>.actual.png`` and ``<name>.diff.png``, plus the
    changed region of each magnified (``<name>.zoom-expected.png`` …). The HTML report
    (``index.html``) lists every figure and shows each changed one as expected / actual / diff
    side by side, the magnified region and an overlay slider. It is built from the files
    alone, so any process (the xdist controller after its workers) can write it.
    """

    def __init__(self, out_dir: Path, renderer: dict | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.renderer = renderer  # who shot the actual images (browser.Renderer as a dict)

    def path(self, name: str, kind: str) -> Path:
        """``kind`` is ``expected``, ``actual``, ``diff`` or one of :data:`ZOOM_KINDS`."""
        return self.out_dir / f"{name}.{kind}.png"

    @property
    def html_path(self) -> Path:
        return self.out_dir / "index.html"

    def note_renderer(self, text: str) -> None:
        """Keep the run's renderer notice for the HTML report (written once, by the controller)."""
        write_atomically(self.out_dir / RENDERER_NOTE_FILE, text.encode())

    def keep_placement(self, name: str, record: dict | None) -> None:
        """Keep where the run placed ``name``'s marks (the camera's placement record, ``None``: no marks)."""
        folder = self.out_dir / PLACEMENT_FOLDER
        folder.mkdir(exist_ok=True)
        write_atomically(folder / f"{name}.json", json.dumps(record, ensure_ascii=False).encode())

    def record(self, comparison: Comparison, actual: bytes, expected: bytes | None, diff: bytes | None) -> None:
        images = {}
        if comparison.status != SAME or comparison.ignored:
            files = {"expected": expected, "actual": actual, "diff": diff}
            if expected is not None and diff is not None and comparison.region:
                files.update(zoom_images(expected, actual, diff, comparison.region))
            for kind, data in files.items():
                if data is not None and comparison.ignored and kind in ("expected", "actual", "diff"):
                    data = outline_regions(data, comparison.ignored)
                if data is not None:
                    write_atomically(self.path(comparison.name, kind), data)
                    images[kind] = self.path(comparison.name, kind).name
        sidecar = {"comparison": asdict(comparison), "images": images, "renderer": self.renderer}
        write_atomically(self.out_dir / f"{comparison.name}.json", json.dumps(sidecar, ensure_ascii=False).encode())

    def write_html(self) -> Path | None:
        return write_html_from_dir(self.out_dir)


@dataclass(frozen=True)
class Sidecar:
    """What a run recorded of one figure: its comparison, the images kept beside it (kind → file
    name) and the renderer that shot it (``renderer.Renderer`` as a dict; ``None`` in old reports)."""

    comparison: Comparison
    images: dict[str, str]
    renderer: dict | None


def read_sidecar(path: Path) -> Sidecar:
    data = json.loads(Path(path).read_bytes())  # UTF-8, whatever the locale
    fields = data["comparison"]
    comparison = Comparison(
        name=fields["name"],
        status=fields["status"],
        diff_ratio=fields["diff_ratio"],
        expected_size=tuple(fields["expected_size"]) if fields["expected_size"] else None,
        actual_size=tuple(fields["actual_size"]),
        changed_pixels=fields.get("changed_pixels", 0),
        region=tuple(fields["region"]) if fields.get("region") else None,
        cross_renderer=fields.get("cross_renderer", False),
        ignored=tuple(tuple(region) for region in fields.get("ignored", ())),
    )
    return Sidecar(comparison, data.get("images", {}), data.get("renderer"))


def read_placement(out_dir: Path, name: str) -> tuple[bool, dict | None]:
    """(whether the run kept ``name``'s placement, the record or ``None`` for a figure without marks)."""
    path = Path(out_dir) / PLACEMENT_FOLDER / f"{name}.json"
    if not path.is_file():
        return False, None
    return True, json.loads(path.read_bytes())


def sidecars(out_dir: Path) -> list[Sidecar]:
    """Every figure recorded in ``out_dir`` by any worker, by figure name (none for a missing folder)."""
    return [read_sidecar(path) for path in sorted(Path(out_dir).glob("*.json"))]


def recorded_comparisons(out_dir: Path) -> list[Comparison]:
    """Every comparison recorded in ``out_dir`` by any worker, by figure name."""
    return [sidecar.comparison for sidecar in sidecars(out_dir)]


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


_REPORT_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.new { background: #eef5ff; } .changed { background: #fff0f0; }
.renderer { border-left: 4px solid #d98e04; background: #fff8e6; padding: .6rem 1rem; white-space: pre-wrap; }
.images { display: flex; gap: 1rem; align-items: flex-start; }
.images figure { margin: 0; flex: 1; min-width: 0; } .images img { max-width: 100%; border: 1px solid #ccc; }
.images figcaption { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.zoom img { image-rendering: pixelated; }
.overlay { display: inline-grid; max-width: 100%; border: 1px solid #ccc; margin-top: 1rem; }
.overlay img { grid-area: 1 / 1; max-width: 100%; }
.overlay input { width: 100%; }
.accept code { background: #f3f3f3; padding: .1rem .4rem; user-select: all; }
"""

# Drags the actual image over the expected one: the slider uncovers it from the left.
_SLIDER_JS = "this.parentNode.querySelector('.actual').style.clipPath='inset(0 '+(100-this.value)+'% 0 0)'"


def _side_by_side(labels: dict[str, str], images: dict[str, str], out_dir: Path, css_class: str = "") -> str:
    uris = {
        kind: _data_uri(out_dir / images[kind])
        for kind in labels
        if kind in images and (out_dir / images[kind]).exists()
    }
    figures = "".join(
        f'<figure><figcaption>{labels[kind]} — <a href="{html.escape(images[kind])}">{html.escape(images[kind])}</a>'
        f'</figcaption><img src="{uris[kind]}" alt="{labels[kind]}"></figure>'
        for kind in labels
        if kind in uris
    )
    return f'<div class="images {css_class}">{figures}</div>' if figures else ""


def _figure_section(comparison: Comparison, images: dict[str, str], out_dir: Path) -> str:
    labels = {"expected": "Esperada (comprometida)", "actual": "Actual", "diff": "Diferencias"}
    side_by_side = _side_by_side(labels, images, out_dir)
    zoom = ""
    if comparison.region:
        factor = zoom_factor(comparison.region)
        zoom = f"<h3>Región cambiada ({region_text(comparison.region)}), ampliada ×{factor}</h3>" + _side_by_side(
            {f"zoom-{kind}": label for kind, label in labels.items()}, images, out_dir, "zoom"
        )
    overlay = ""
    if "expected" in images and "actual" in images:
        expected, actual = _data_uri(out_dir / images["expected"]), _data_uri(out_dir / images["actual"])
        overlay = (
            '<div class="overlay">'
            f'<img src="{expected}" alt="Esperada">'
            f'<img class="actual" src="{actual}" alt="Actual" style="clip-path: inset(0 50% 0 0)">'
            f'<input type="range" min="0" max="100" value="50" aria-label="Superponer actual sobre esperada" oninput="{_SLIDER_JS}">'
            "</div>"
        )
    return (
        f'<section id="{html.escape(comparison.name)}"><h2>{html.escape(comparison.describe())}</h2>'
        f"{_accept_command(comparison)}{zoom}{side_by_side}{overlay}</section>"
    )


def _accept_command(comparison: Comparison) -> str:
    """Only where it can work: ``make aceptar`` refuses a capture of another renderer."""
    if comparison.status == SAME or comparison.cross_renderer:
        return ""
    return (
        '<p class="accept">Para aceptar esta captura como la figura publicada: '
        f"<code>{html.escape(accept_command(comparison.name))}</code></p>"
    )


def write_html_from_dir(out_dir: Path) -> Path | None:
    """Write ``out_dir/index.html`` from the sidecars there; ``None`` when nothing was recorded."""
    out_dir = Path(out_dir)
    entries = [(sidecar.comparison, sidecar.images) for sidecar in sidecars(out_dir)]
    if not entries:
        return None
    note_file = out_dir / RENDERER_NOTE_FILE
    note = f'<p class="renderer">{html.escape(note_file.read_bytes().decode())}</p>' if note_file.exists() else ""
    rows = "".join(
        f'<tr class="{c.status}"><td><a href="#{html.escape(c.name)}">{html.escape(c.name)}</a></td>'
        f"<td>{STATUS_LABELS[c.status]}</td><td>{CROSS_RENDERER_MARK if c.cross_renderer else 'mismo renderizador'}</td>"
        f"<td>{html.escape(c.describe())}</td></tr>"
        for c, _ in entries
    )
    sections = "".join(_figure_section(c, images, out_dir) for c, images in entries if c.status != SAME or c.ignored)
    page = (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Figuras</title>'
        f"<style>{_REPORT_CSS}</style></head><body><h1>Figuras</h1>{note}"
        "<table><thead><tr><th>Figura</th><th>Estado</th><th>Renderizador</th><th>Detalle</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{sections}</body></html>"
    )
    path = out_dir / "index.html"
    write_atomically(path, page.encode())
    return path
