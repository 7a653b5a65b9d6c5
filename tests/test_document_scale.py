"""docs/tutorial.html shows every picture at one scale (issue 36, point 6): each <img> has its
width and height, the same share of its own pixels for every figure, and the column is wide
enough that no figure is shrunk further (then the interface text is one size across figures)."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from tutorial.documento import tutorial_doc

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMG = re.compile(r"<img [^>]*>")
REM = 16  # CSS px


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match[1] if match else None


def scales(page: str, doc_dir: Path) -> dict[str, tuple[float, float]]:
    """Each local picture's shown size over its pixels (width, height); a picture without width or
    height counts as (0, 0)."""
    found = {}
    for tag in IMG.findall(page):
        source = _attribute(tag, "src") or ""
        with Image.open(doc_dir / source) as picture:
            width, height = picture.size
        shown = _attribute(tag, "width"), _attribute(tag, "height")
        found[source] = (int(shown[0]) / width, int(shown[1]) / height) if all(shown) else (0.0, 0.0)
    return found


def test_every_picture_has_its_size_and_one_scale() -> None:
    found = scales((DOCS / "tutorial.html").read_text(encoding="utf-8"), DOCS)
    assert len(found) >= 10  # nine figures and the walkthrough
    for source, (across, down) in found.items():  # within half a CSS pixel of the scale
        with Image.open(DOCS / source) as picture:
            width, height = picture.size
        assert abs(across - tutorial_doc.FIGURE_SCALE) * width <= 0.5 + 1e-9, (
            f"{source} se ve a {across:.3f} de su ancho"
        )
        assert abs(down - tutorial_doc.FIGURE_SCALE) * height <= 0.5 + 1e-9, f"{source} se ve a {down:.3f} de su alto"


def test_the_column_holds_the_widest_figure_unshrunk() -> None:
    body = re.search(r"body \{[^}]*max-width: ([\d.]+)rem;[^}]*padding: 0 ([\d.]+)rem", tutorial_doc._CSS)
    assert body
    column = float(body[1]) * REM - 2 * float(body[2]) * REM
    assert column >= round(1280 * tutorial_doc.FIGURE_SCALE)


def test_a_picture_without_its_size_is_seen() -> None:
    """The guard can fail: an <img> without width and height, or at another scale."""
    page = '<img src="figuras/figura-01.png"><img src="figuras/figura-05.png" width="760" height="661">'
    assert scales(page, DOCS) == {"figuras/figura-01.png": (0.0, 0.0), "figuras/figura-05.png": (1.0, 1.0)}
