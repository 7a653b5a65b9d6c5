"""The verdict on a fresh capture: check it against the committed figure (QA, CI) or rewrite the
figure when it really changed (``make figuras``), and say the likely cause of a difference.

It stands on :mod:`.comparison` (the pixel maths) and :mod:`.report` (what each verdict leaves
for a person to look at); neither knows of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tutorial.figuras.comparison import (
    NEW,
    SAME,
    AnyTolerance,
    Comparison,
    CrossRendererTolerance,
    PixelDiff,
    Region,
    Tolerance,
    accept_command,
    compare,
    compare_across_renderers,
    is_multiple,
    pixels_text,
    region_text,
    size_text,
    without_ignored,
)
from tutorial.figuras.files import write_atomically
from tutorial.figuras.report import FigureReport


class FigureMismatch(AssertionError):
    """A captured figure is missing from, or differs from, the committed one.

    ``figure_failure`` carries the same facts as the message, apart (expected, actual and
    labelled details), for the Spanish failure summary of a scenario
    (:mod:`tutorial.ci.failure_summary`).
    """

    def __init__(self, message: str, figure_failure: dict | None = None) -> None:
        super().__init__(message)
        self.figure_failure = figure_failure


class FigureUnstable(AssertionError):
    """The screen kept changing between captures."""


class FigureOverwriteRefused(AssertionError):
    """Update mode on another renderer than the one that made the committed figures."""


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def update_figure(
    actual: bytes,
    expected_path: Path,
    tolerance: Tolerance,
    report: FigureReport | None = None,
    rewrite: bool = False,
    ignore: Sequence[Region] = (),
) -> Comparison:
    """The ``make figuras`` mode: write ``actual`` to ``expected_path`` only when new or changed.

    A figure within tolerance is left byte-for-byte as committed, so re-shooting does not
    churn the repository. ``rewrite`` (a new renderer takes over the figures) writes every
    figure whose bytes differ, so the whole set comes from one renderer.
    """
    expected = _read(expected_path)
    comparison, found = compare(expected_path.stem, actual, expected, tolerance, ignore=tuple(ignore))
    if comparison.status != SAME or (rewrite and expected != actual):
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(expected_path, actual)
    if report is not None:
        report.record(comparison, actual, expected, found.diff if found else None)
    return comparison


def check_figure(
    actual: bytes,
    expected_path: Path,
    tolerance: AnyTolerance,
    report: FigureReport,
    renderer_note: str | None = None,
    ignore: Sequence[Region] = (),
    cross_tolerance: CrossRendererTolerance | None = None,
) -> Comparison:
    """The QA mode: compare with the committed figure, record it, raise ``FigureMismatch`` unless same.

    ``renderer_note`` says this run's renderer is not the one that made the committed figures
    (``tolerance`` is then a :class:`CrossRendererTolerance`): the result is marked as compared
    across renderers. A failure names the renderer as the likely cause only when the difference
    looks like one: the cross-renderer measure of the same pair (``cross_tolerance``, the shipped
    one by default) keeps it within its tolerance. Otherwise it says the page changed, and where.
    """
    expected = _read(expected_path)
    cross = renderer_note is not None
    comparison, found = compare(
        expected_path.stem, actual, expected, tolerance, cross_renderer=cross, ignore=tuple(ignore)
    )
    report.record(comparison, actual, expected, found.diff if found else None)
    if comparison.status == SAME:
        return comparison
    report.write_html()
    if comparison.status == NEW:
        raise _missing_figure(expected_path, report.path(comparison.name, "actual"), renderer_note)
    assert expected is not None  # a figure that is not new has a committed picture
    cause = _cause(comparison, found, expected, actual, tolerance, renderer_note, cross_tolerance)
    headline = _headline(comparison, tolerance, cross)
    # On another renderer than the recorded one, that comes first: it may be the whole difference.
    context = (
        [("renderizador", renderer_note or ""), ("causa probable", cause)] if cross else [("causa probable", cause)]
    )
    paths = _evidence(comparison.name, expected_path, report)
    lines = [headline, *(f"  {label}: {value}" for label, value in context + paths), _advice(comparison.name, cross)]
    raise FigureMismatch(
        "\n".join(lines),
        figure_failure={
            "expected": f"la figura comprometida {_shown(expected_path)}",
            "actual": headline.removeprefix(f"La figura {comparison.name} ").rstrip("."),
            "details": context + paths[2:] + ([] if cross else [("para aceptarla", accept_command(comparison.name))]),
        },
    )


def _missing_figure(expected_path: Path, actual_path: Path, renderer_note: str | None) -> FigureMismatch:
    renderer = f"Renderizador: {renderer_note}\n" if renderer_note is not None else ""
    return FigureMismatch(
        f"{renderer}No existe la figura comprometida {_shown(expected_path)}; créala con `make figuras`.\n"
        f"  captura actual: {_shown(actual_path)}",
        figure_failure={
            "expected": f"la figura comprometida {_shown(expected_path)}",
            "actual": "no existe: la figura es nueva",
            "details": [("captura actual", _shown(actual_path)), ("para crearla", "make figuras")],
        },
    )


def _cause(
    comparison: Comparison,
    found: PixelDiff | None,
    expected: bytes,
    actual: bytes,
    tolerance: AnyTolerance,
    renderer_note: str | None,
    cross_tolerance: CrossRendererTolerance | None,
) -> str:
    """The likely cause, judged by the cross-renderer measure of the pair (the one the check made
    when it compared across renderers); on another renderer, the renderer first."""
    if isinstance(tolerance, CrossRendererTolerance):
        measure, cross_tolerance = found, tolerance
    else:
        cross_tolerance = cross_tolerance or CrossRendererTolerance()
        measure = compare_across_renderers(
            expected, without_ignored(expected, actual, comparison.ignored), cross_tolerance
        )
    assert measure is not None  # a figure that changed has its measure
    cause = likely_cause(comparison, measure, cross_tolerance)
    if renderer_note is not None and not cause.startswith("cambió la página: su tamaño"):
        cause = renderer_cause(renderer_note, measure, cross_tolerance)
    return cause


def _headline(comparison: Comparison, tolerance: AnyTolerance, cross: bool) -> str:
    if comparison.size_changed:
        assert comparison.expected_size is not None  # size_changed needs both sizes
        change = (
            f"cambió de tamaño: {size_text(comparison.expected_size)} → "
            f"{size_text(comparison.actual_size)}; {comparison.change()}."
        )
    else:
        change = f"cambió: {comparison.change()} (tolerancia: {tolerance.describe()})."
    shot = ", tomada con otro renderizador que el registrado," if cross else ""
    return f"La figura {comparison.name}{shot} {change}"


def _evidence(name: str, expected_path: Path, report: FigureReport) -> list[tuple[str, str]]:
    """Where a person sees the difference: the two pictures, the diff, its magnified region, the report."""
    paths = [("esperada", _shown(expected_path)), ("actual", _shown(report.path(name, "actual")))]
    paths.append(("diferencias", _shown(report.path(name, "diff"))))
    if report.path(name, "zoom-diff").exists():
        paths.append(("región ampliada", _shown(report.path(name, "zoom-diff"))))
    paths.append(("informe", _shown(report.html_path)))
    return paths


def _advice(name: str, cross: bool) -> str:
    if cross:
        return (
            "Si las figuras deben pasar a este renderizador: `make figuras RENDERIZADOR_NUEVO=1` las reescribe todas "
            "junto con su registro; para el veredicto exacto, el renderizador fijado (sin RENDERIZADOR ni CHROMIUM_PATH)."
        )
    return (
        f"Si el cambio es intencional: `{accept_command(name)}` toma esta captura "
        "(o `make figuras` vuelve a tomar todas las figuras)."
    )


def renderer_cause(renderer_note: str, measure: PixelDiff, cross_tolerance: CrossRendererTolerance) -> str:
    """The likely cause when this run's renderer is not the recorded one: the renderer first. Two
    builds apart can move more pixels than the cross measure forgives (Debian's 156 against the
    pinned 153: 196 to 3,277 per figure), so a large difference does not prove the page changed;
    only the recorded renderer can tell them apart."""
    limit = pixels_text(cross_tolerance.max_diff_pixels)
    if measure.changed_pixels <= cross_tolerance.max_diff_pixels:
        return (
            f"el renderizador, distinto del registrado: con la medida entre renderizadores quedan "
            f"{pixels_text(measure.changed_pixels)} (otro renderizador cambia hasta {limit})"
        )
    where = f" en la región {region_text(measure.region)}" if measure.region else ""
    return (
        f"el renderizador, distinto del registrado, o la página: con la medida entre renderizadores siguen "
        f"distintos {pixels_text(measure.changed_pixels)}{where}, más de lo que suele cambiar otro renderizador "
        f"(hasta {limit}); cuál de los dos lo dice sólo el renderizador registrado (sin RENDERIZADOR ni CHROMIUM_PATH)"
    )


def likely_cause(comparison: Comparison, measure: PixelDiff, cross_tolerance: CrossRendererTolerance) -> str:
    """Why a figure probably changed, judged by the cross-renderer measure of the same pair.

    Another Chromium build moves glyph edges by a fraction of a pixel: the cross-renderer measure
    leaves at most a few dozen pixels of such a pair (docs/guia/figuras.md, «Figuras y renderizadores»). A
    difference it keeps above its tolerance, or a new size, is the page itself.
    """
    limit = pixels_text(cross_tolerance.max_diff_pixels)
    if (
        comparison.expected_size
        and comparison.size_changed
        and not is_multiple(comparison.expected_size, comparison.actual_size)
    ):
        return f"cambió la página: su tamaño pasó de {size_text(comparison.expected_size)} a {size_text(comparison.actual_size)}"
    if measure.changed_pixels <= cross_tolerance.max_diff_pixels:
        return (
            f"el renderizador: con la medida entre renderizadores quedan {pixels_text(measure.changed_pixels)}, "
            f"lo que cambia otro renderizador (hasta {limit}); si el navegador y sus fuentes no cambiaron, "
            "mira la región ampliada"
        )
    where = f" en la región {region_text(measure.region)}" if measure.region else ""
    return (
        f"cambió la página, no el renderizador: con la medida entre renderizadores siguen distintos "
        f"{pixels_text(measure.changed_pixels)}{where} (otro renderizador cambia hasta {limit})"
    )


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
