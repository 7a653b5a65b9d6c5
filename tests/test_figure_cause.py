"""A failing figure names the renderer as the likely cause only when the
difference looks like one, judged by the cross-renderer measure of the same pair; otherwise it
says the page changed, and where. The pairs are real: tests/figure_pairs/ (docs/guia/figuras.md, «Figuras y
renderizadores»), each a crop shot by two Chromium builds or a real change on one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutorial.figuras.comparison import Tolerance
from tutorial.figuras.report import FigureReport
from tutorial.figuras.verdict import FigureMismatch, check_figure

PAIRS = Path(__file__).resolve().parent / "figure_pairs"
STRICT = Tolerance()


def _fail(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    crop = name.split(".")[0]
    committed = tmp_path / "screenshots" / "figura-04.png"
    committed.parent.mkdir()
    committed.write_bytes((PAIRS / f"{crop}.base.png").read_bytes())
    with pytest.raises(FigureMismatch) as failure:
        check_figure((PAIRS / f"{name}.png").read_bytes(), committed, STRICT, FigureReport(tmp_path / "reports"))
    return str(failure.value).splitlines()


@pytest.mark.parametrize("name", ["fila.subpixel", "cabecera.subpixel", "acceso.subpixel"])
def test_another_builds_pixels_name_the_renderer_as_the_likely_cause(tmp_path, monkeypatch, name):
    lines = _fail(tmp_path, name, monkeypatch)
    assert lines[1].startswith("  causa probable: el renderizador: con la medida entre renderizadores quedan ")
    assert "lo que cambia otro renderizador (hasta 100 píxeles)" in lines[1]


@pytest.mark.parametrize("name", ["fila.serie", "cabecera.cliente", "cabecera.color"])
def test_a_real_change_says_the_page_changed_and_where(tmp_path, monkeypatch, name):
    lines = _fail(tmp_path, name, monkeypatch)
    assert lines[1].startswith("  causa probable: cambió la página, no el renderizador: con la medida entre ")
    assert " en la región x=" in lines[1] and "(otro renderizador cambia hasta 100 píxeles)" in lines[1]
    assert not any("causa probable: el renderizador" in line for line in lines)


def test_the_summary_gets_the_same_facts_apart(tmp_path, monkeypatch):
    """What the Spanish failure summary of a scenario shows for a figure: expected, actual, the
    likely cause, where the evidence is and how to accept it."""
    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "screenshots" / "figura-04.png"
    committed.parent.mkdir()
    committed.write_bytes((PAIRS / "cabecera.base.png").read_bytes())
    with pytest.raises(FigureMismatch) as failure:
        check_figure(
            (PAIRS / "cabecera.cliente.png").read_bytes(), committed, STRICT, FigureReport(tmp_path / "reports")
        )
    facts = failure.value.figure_failure
    assert facts["expected"] == "la figura comprometida screenshots/figura-04.png"
    assert facts["actual"].startswith("cambió: ") and " en la región x=" in facts["actual"]
    labels = [label for label, _value in facts["details"]]
    assert labels == ["causa probable", "diferencias", "región ampliada", "informe", "para aceptarla"]
    assert dict(facts["details"])["informe"] == "reports/index.html"
    assert dict(facts["details"])["para aceptarla"] == "make aceptar FIGURA=figura-04"


RENDERER_NOTE = (
    "las figuras comprometidas las hizo Chromium fijado 153.0.8010.0; esta ejecución usa Chromium del sistema "
    "156.0.8078.129 (versión: 153.0.8010.0 → 156.0.8078.129)."
)


@pytest.mark.parametrize("name", ["menu.resaltado", "cabecera.color", "menu.subpixel"])
def test_on_another_renderer_the_renderer_comes_first_and_is_never_cleared(tmp_path, monkeypatch, name):
    """Issue 38, point 7: with Debian's Chromium 156 against the pinned 153, eight figures failed
    with 196 to 3,277 pixels, each saying «cambió la página, no el renderizador»: another build can
    move that many. When the run's renderer is not the recorded one (a fake record's note here),
    the failure says so first and leaves the call to the recorded renderer."""
    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "screenshots" / "figura-04.png"
    committed.parent.mkdir()
    committed.write_bytes((PAIRS / f"{name.split('.')[0]}.base.png").read_bytes())
    with pytest.raises(FigureMismatch) as failure:
        check_figure(
            (PAIRS / f"{name}.png").read_bytes(), committed, STRICT, FigureReport(tmp_path / "reports"), RENDERER_NOTE
        )
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("La figura figura-04, tomada con otro renderizador que el registrado, cambió: ")
    assert lines[1] == f"  renderizador: {RENDERER_NOTE}"
    assert lines[2].startswith("  causa probable: el renderizador, distinto del registrado")
    assert "no el renderizador" not in str(failure.value)
    labels = [label for label, _value in failure.value.figure_failure["details"]]
    assert labels[:2] == ["renderizador", "causa probable"]
