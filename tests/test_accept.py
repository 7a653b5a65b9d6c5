"""make aceptar: a run's captured figure becomes the committed one, or a clear refusal says why."""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tutorial import cli
from tutorial.documento import stale_walkthrough, video, walkthrough
from tutorial.figuras import accept
from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import Camera
from tutorial.figuras.comparison import CrossRendererTolerance, Tolerance
from tutorial.figuras.report import FigureReport, read_placement, sidecars, write_html_from_dir
from tutorial.figuras.verdict import FigureMismatch, check_figure

ROOT = Path(__file__).resolve().parent.parent
RENDERER = chromium.Renderer(
    browser="chromium",
    version="156.0.8078.108",
    flavour="sistema",
    platform="linux-x86_64",
    os="Debian GNU/Linux 12 (bookworm)",
    scale=1,
    fonts={"a.woff2": "00"},
    executable="/usr/bin/chromium",
)


def png(square: tuple[int, int, int, int] | None = None) -> bytes:
    image = Image.new("RGB", (20, 10), "white")
    if square:
        ImageDraw.Draw(image).rectangle(square, fill="red")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> dict[str, Path]:
    screenshots = tmp_path / "screenshots"
    screenshots.mkdir()
    for number in (3, 4):
        (screenshots / f"figura-0{number}.png").write_bytes(png())
    chromium.write_record(RENDERER, screenshots / chromium.RECORD_NAME)
    shutil.copytree(ROOT / "features", tmp_path / "features")
    return {"screenshots": screenshots, "report": tmp_path / "reports" / "figures", "root": tmp_path}


# Where a run placed a figure's marks, as the camera records it (annotations.scene_record).
PLACEMENT = {
    "nota": "Medido en el DOM al tomar la figura; lo comprueba tests/test_callout_placement.py.",
    "encuadre": [0, 0, 20, 10],
    "objetivos": {"Aceptar": {"caja": [2, 2, 4, 4], "ventana": [0, 0, 20, 10], "clic": True}},
    "contenido": [[2, 2, 4, 4]],
    "marcas": [{"tipo": "recuadro", "objetivo": "Aceptar", "texto": None, "caja": [1, 1, 6, 6], "puntos": []}],
}
KEEP = object()  # run_changed's default: the camera kept PLACEMENT


def run_changed(
    project: dict[str, Path],
    name: str = "figura-04",
    renderer: chromium.Renderer | None = RENDERER,
    actual: bytes | None = None,
    placement: object = KEEP,
) -> bytes:
    """What `make pruebas` leaves for a figure that drifted: the sidecar, the actual image and where
    its marks were placed (``placement=None``: a figure without marks; ``missing``: an older report)."""
    actual = actual or png((2, 2, 5, 5))
    report = FigureReport(project["report"], renderer=asdict(renderer) if renderer else None)
    if placement != "missing":
        report.keep_placement(name, PLACEMENT if placement is KEEP else placement)  # type: ignore[arg-type]
    with pytest.raises(FigureMismatch):
        check_figure(actual, project["screenshots"] / f"{name}.png", Tolerance(), report)
    return actual


def run_same(project: dict[str, Path], name: str = "figura-03") -> None:
    report = FigureReport(project["report"], renderer=asdict(RENDERER))
    check_figure(png(), project["screenshots"] / f"{name}.png", Tolerance(), report)


def main(project: dict[str, Path], *args: str) -> int:
    p = project
    return cli.main(
        ["aceptar"]
        + [
            *args,
            "--reportes",
            str(p["report"].parent),
            "--screenshots",
            str(p["screenshots"]),
            "--features",
            str(p["root"] / "features"),
            "--docs",
            str(p["root"] / "docs"),
        ]
    )


def test_accepting_one_figure_copies_the_actual_image_writes_the_record_and_rebuilds_docs(project, capsys):
    actual = run_changed(project)
    (project["screenshots"] / chromium.RECORD_NAME).unlink()  # the record is written from the sidecar
    assert main(project, "--figura", "figura-04") == 0
    assert (project["screenshots"] / "figura-04.png").read_bytes() == actual
    assert chromium.read_record(project["screenshots"] / chromium.RECORD_NAME) == RENDERER
    assert (project["root"] / "docs" / "tutorial.md").exists()
    assert (project["root"] / "docs" / "tutorial.html").exists()
    assert "figura-04: aceptada" in capsys.readouterr().out


def test_the_figure_may_be_named_by_its_number(project):
    actual = run_changed(project)
    assert main(project, "--figura", "4") == 0
    assert (project["screenshots"] / "figura-04.png").read_bytes() == actual


def test_a_missing_actual_image_is_refused(project, capsys):
    run_changed(project)
    (project["report"] / "figura-04.actual.png").unlink()
    before = (project["screenshots"] / "figura-04.png").read_bytes()
    assert main(project, "--figura", "figura-04") == 1
    assert "falta la captura actual" in capsys.readouterr().err
    assert (project["screenshots"] / "figura-04.png").read_bytes() == before


def test_a_figure_the_run_did_not_shoot_is_refused(project, capsys):
    run_changed(project)
    assert main(project, "--figura", "figura-07") == 1
    assert "la última corrida no la registró" in capsys.readouterr().err


def test_a_stale_actual_image_is_refused(project, capsys):
    run_changed(project)
    actual = project["report"] / "figura-04.actual.png"
    committed = project["screenshots"] / "figura-04.png"
    committed.write_bytes(png((8, 2, 9, 3)))  # someone changed the figure after the run
    os.utime(actual, (1_000_000_000, 1_000_000_000))
    assert main(project, "--figura", "figura-04") == 1
    assert "más antigua que la figura comprometida" in capsys.readouterr().err
    assert committed.read_bytes() == png((8, 2, 9, 3))


def test_an_image_shot_by_another_renderer_is_refused(project, capsys):
    run_changed(project, renderer=replace(RENDERER, version="157.0.1.2"))
    before = (project["screenshots"] / "figura-04.png").read_bytes()
    assert main(project, "--figura", "figura-04") == 1
    err = capsys.readouterr().err
    assert "la tomó otro renderizador" in err and "156.0.8078.108 → 157.0.1.2" in err
    assert (project["screenshots"] / "figura-04.png").read_bytes() == before
    assert chromium.read_record(project["screenshots"] / chromium.RECORD_NAME) == RENDERER


def test_a_sidecar_without_its_renderer_is_refused(project, capsys):
    run_changed(project, renderer=None)
    assert main(project, "--figura", "figura-04") == 1
    assert "no dice qué renderizador" in capsys.readouterr().err


def test_a_figure_that_stayed_the_same_has_nothing_to_accept(project, capsys):
    run_same(project)
    assert main(project, "--figura", "figura-03") == 1
    assert "nada que aceptar" in capsys.readouterr().err


def test_without_a_figure_every_changed_or_new_one_is_accepted(project):
    run_same(project)
    changed = run_changed(project)
    new = run_changed(project, name="figura-08", actual=png((0, 0, 3, 3)))
    assert accept.changed_figures(project["report"]) == ["figura-04", "figura-08"]
    assert main(project) == 0
    assert (project["screenshots"] / "figura-04.png").read_bytes() == changed
    assert (project["screenshots"] / "figura-08.png").read_bytes() == new
    assert (project["screenshots"] / "figura-03.png").read_bytes() == png()
    # A second time the run's images already are the committed ones: said, not refused.
    assert main(project) == 0


def test_without_a_figure_and_nothing_changed_there_is_nothing_to_do(project, capsys):
    run_same(project)
    assert main(project) == 0
    assert "nada que aceptar" in capsys.readouterr().out


def test_all_or_nothing_when_one_figure_is_refused(project):
    run_changed(project)
    run_changed(project, name="figura-08", renderer=replace(RENDERER, os="Fedora 41"))
    before = (project["screenshots"] / "figura-04.png").read_bytes()
    assert main(project) == 1
    assert (project["screenshots"] / "figura-04.png").read_bytes() == before


def test_the_report_shows_the_accept_command_for_each_changed_or_new_figure(project):
    run_same(project)
    run_changed(project)
    run_changed(project, name="figura-08")
    page = write_html_from_dir(project["report"]).read_text(encoding="utf-8")
    assert "<code>make aceptar FIGURA=figura-04</code>" in page
    assert "<code>make aceptar FIGURA=figura-08</code>" in page
    assert "FIGURA=figura-03" not in page


def test_the_sidecar_names_the_renderer_that_shot_the_figure(project):
    run_changed(project)
    sidecar = json.loads((project["report"] / "figura-04.json").read_text(encoding="utf-8"))
    assert sidecar["renderer"]["version"] == RENDERER.version


def test_a_bad_figure_name_is_refused_in_spanish():
    with pytest.raises(accept.AcceptRefused, match="no es el nombre de una figura"):
        accept.normalise_name("portada")


def test_the_report_does_not_offer_to_accept_a_capture_of_another_renderer(project):
    """`make aceptar` would refuse it: the report offers `make figuras RENDERIZADOR_NUEVO=1`'s way instead."""
    report = FigureReport(project["report"], renderer=asdict(replace(RENDERER, version="157.0.1.2")))
    with pytest.raises(FigureMismatch) as failure:
        check_figure(
            png((2, 2, 5, 5)),
            project["screenshots"] / "figura-04.png",
            CrossRendererTolerance(max_diff_pixels=0),
            report,
            renderer_note="otro Chromium",
        )
    page = write_html_from_dir(project["report"]).read_text(encoding="utf-8")
    assert "make aceptar" not in page and "make aceptar" not in str(failure.value)
    assert "make figuras RENDERIZADOR_NUEVO=1" in str(failure.value)


# --- the walkthrough shows the committed figures ---------------------------------------------


def test_the_committed_walkthrough_shows_the_committed_figures():
    """What makes `make pruebas` fail after `make aceptar` until `make figuras` records the
    walkthrough again: each figure frame of docs/recorrido.gif is the committed figure. Its failure
    is the notice `make aceptar` printed, in Spanish: which figures, which files, what to run."""
    notice = stale_walkthrough.walkthrough_notice(ROOT / "docs", ROOT / "screenshots")
    if notice:
        raise AssertionError(notice)


@pytest.fixture
def real_project(tmp_path: Path) -> dict[str, Path]:
    """The real figures, their renderer record and the committed walkthrough, in a copy."""
    shutil.copytree(ROOT / "screenshots", tmp_path / "screenshots")
    shutil.copytree(ROOT / "features", tmp_path / "features")
    (tmp_path / "docs").mkdir()
    for name in (walkthrough.GIF_NAME, video.NAME):
        shutil.copyfile(ROOT / "docs" / name, tmp_path / "docs" / name)
    return {"screenshots": tmp_path / "screenshots", "report": tmp_path / "reports" / "figures", "root": tmp_path}


def test_accepting_a_figure_says_exactly_what_still_needs_make_figures(real_project, capsys):
    recorded = chromium.read_record(real_project["screenshots"] / chromium.RECORD_NAME)
    with Image.open(real_project["screenshots"] / "figura-04.png") as image:
        painted = image.convert("RGB")
    middle = (painted.width // 2, painted.height // 2)  # inside the figure, whatever its frame
    ImageDraw.Draw(painted).rectangle(
        (middle[0] - 20, middle[1] - 10, middle[0] + 20, middle[1] + 10), fill=(0, 160, 0)
    )
    buffer = io.BytesIO()
    painted.save(buffer, format="PNG")
    placement = json.loads((real_project["screenshots"] / "figura-04.marcas.json").read_text(encoding="utf-8"))
    run_changed(real_project, renderer=recorded, actual=buffer.getvalue(), placement=placement)
    assert main(real_project, "--figura", "figura-04") == 0
    docs = real_project["root"] / "docs"
    assert stale_walkthrough.stale_figures(docs / walkthrough.GIF_NAME, real_project["screenshots"]) == [4]
    notice = stale_walkthrough.walkthrough_notice(docs, real_project["screenshots"])
    assert capsys.readouterr().err.strip() == notice
    assert notice is not None and f"{docs / 'recorrido.gif'} y {docs / 'recorrido.mp4'} muestran" in notice
    assert "la Figura 4 como era antes" in notice and "`make figuras`" in notice
    assert (docs / "tutorial.html").exists()  # the document was rebuilt all the same


def test_the_walkthrough_guard_fails_in_spanish_naming_what_to_run(real_project):
    """tests/test_accept.py's guard above, on a walkthrough that shows another Figura 7: its message
    is `make aceptar`'s notice (Spanish, the GIF and the MP4, `make figuras`), no bare comparison."""
    figure = real_project["screenshots"] / "figura-07.png"
    with Image.open(figure) as image:
        painted = image.convert("RGB")
    ImageDraw.Draw(painted).rectangle((10, 10, 60, 40), fill=(0, 160, 0))
    painted.save(figure)
    docs = real_project["root"] / "docs"
    notice = stale_walkthrough.walkthrough_notice(docs, real_project["screenshots"])
    assert notice == (
        f"Falta: {docs / 'recorrido.gif'} y {docs / 'recorrido.mp4'} muestran todavía la Figura 7 como era antes "
        "(con los pasos que llevan a ella). Sólo `make figuras` los vuelve a grabar: sus cuadros son las páginas "
        "del camino, que no guarda la corrida. Hasta entonces `make pruebas` falla (tests/test_accept.py compara "
        "el recorrido con las figuras comprometidas)."
    )
    (docs / video.NAME).unlink()  # a clone without the video: only the GIF is named
    assert f"{docs / 'recorrido.gif'} muestra todavía la Figura 7" in (
        stale_walkthrough.walkthrough_notice(docs, real_project["screenshots"]) or ""
    )


def test_the_walkthrough_verdict_follows_what_changed_in_the_same_folders(real_project):
    """stale_walkthrough keeps its verdicts by the digest of what it read: the same folders asked
    again after a figure, then its placement record, changed get a new answer, not the kept one."""
    gif, screenshots = real_project["root"] / "docs" / walkthrough.GIF_NAME, real_project["screenshots"]
    assert stale_walkthrough.stale_figures(gif, screenshots) == []
    figure = screenshots / "figura-02.png"
    kept = figure.read_bytes()
    with Image.open(figure) as image:
        painted = image.convert("RGB")
    ImageDraw.Draw(painted).rectangle((10, 10, 60, 40), fill=(0, 160, 0))
    painted.save(figure)
    assert stale_walkthrough.stale_figures(gif, screenshots) == [2]
    figure.write_bytes(kept)
    assert stale_walkthrough.stale_figures(gif, screenshots) == []
    record = screenshots / "figura-04.marcas.json"
    placement = json.loads(record.read_text(encoding="utf-8"))
    x, y, width, height = placement["encuadre"]
    placement["encuadre"] = [x + 100, y + 100, width, height]  # the figure laid elsewhere on its screen
    record.write_text(json.dumps(placement), encoding="utf-8")
    assert stale_walkthrough.stale_figures(gif, screenshots) == [4]


# --- the callout record and the renderer record ----------------------------------------------


def test_accepting_writes_the_runs_placement_as_the_figures_callout_record(project, capsys):
    run_changed(project)
    record = project["screenshots"] / "figura-04.marcas.json"
    record.write_text('{"encuadre": [0, 0, 1, 1]}\n', encoding="utf-8")  # the figure before, its marks elsewhere
    assert main(project, "--figura", "figura-04") == 0
    assert json.loads(record.read_text(encoding="utf-8")) == PLACEMENT
    out, err = capsys.readouterr()
    assert f"figura-04: sus marcas, como las colocó la corrida → {record}" in out
    assert "marcas.json" not in err


def test_a_callout_record_that_already_says_it_is_not_rewritten(project, capsys):
    run_changed(project)
    record = project["screenshots"] / "figura-04.marcas.json"
    record.write_text(json.dumps(PLACEMENT, indent=4) + "\n", encoding="utf-8")  # another layout, same content
    before = record.read_bytes()
    assert main(project, "--figura", "figura-04") == 0
    assert record.read_bytes() == before
    assert "sus marcas" not in capsys.readouterr().out


def test_accepting_a_figure_without_marks_removes_its_callout_record(project):
    run_changed(project, placement=None)
    record = project["screenshots"] / "figura-04.marcas.json"
    record.write_text(json.dumps(PLACEMENT), encoding="utf-8")
    assert main(project, "--figura", "figura-04") == 0
    assert not record.exists()


def test_a_run_that_kept_no_placement_names_the_stale_callout_record(project, capsys):
    """A report from before the camera kept placements: the record is named, with what to run."""
    run_changed(project, placement="missing")
    record = project["screenshots"] / "figura-04.marcas.json"
    record.write_text("{}\n", encoding="utf-8")
    assert main(project, "--figura", "figura-04") == 0
    assert record.read_text(encoding="utf-8") == "{}\n"
    err = capsys.readouterr().err
    assert f"Falta: {record} (dónde van las marcas de figura-04) es de la figura anterior" in err
    assert "`make figuras`" in err


def test_the_camera_keeps_the_placement_in_the_report_before_its_verdict(project, monkeypatch):
    """`make pruebas` shoots a changed figure and fails it; the placement is in the report all the same."""
    camera = Camera(project["screenshots"], FigureReport(project["report"]), Tolerance(), update=False)

    def picture(page, **targets):
        camera.placement = PLACEMENT
        return png((2, 2, 5, 5)), []

    monkeypatch.setattr(camera, "picture", picture)
    with pytest.raises(FigureMismatch):
        camera.shoot(None, 4)  # type: ignore[arg-type]  # the picture above needs no page
    assert read_placement(project["report"], "figura-04") == (True, PLACEMENT)
    assert [s.comparison.name for s in sidecars(project["report"])] == ["figura-04"]  # not a sidecar


def test_accepting_leaves_the_renderer_record_byte_for_byte(project):
    """The record names the renderer that shot the capture: nothing to write, not even its note."""
    path = project["screenshots"] / chromium.RECORD_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["nota"] = "Lo escribe `make figures` (su nota de antes)."
    path.write_text(json.dumps({"antes": 1, **data}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    before = path.read_bytes()
    run_changed(project, renderer=replace(RENDERER, executable="/otra/ruta/chromium", version_text="otra"))
    assert main(project, "--figura", "figura-04") == 0
    assert path.read_bytes() == before


def test_a_rewritten_renderer_record_keeps_its_other_keys(project):
    """`make figuras RENDERIZADOR_NUEVO=1` writes another renderer: the rest of the record stays."""
    path = project["screenshots"] / chromium.RECORD_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "nota": "la de antes", "extra": [1]}, indent=2) + "\n", encoding="utf-8")
    assert chromium.write_record(RENDERER, path) is False
    assert chromium.write_record(replace(RENDERER, version="157.0.1.2"), path) is True
    written = json.loads(path.read_text(encoding="utf-8"))
    assert list(written) == ["nota", "renderer", "extra"] and written["nota"] == "la de antes"
    assert written["renderer"]["version"] == "157.0.1.2"


def test_a_walkthrough_that_lacks_a_figure_counts_it_as_stale(real_project):
    shutil.copyfile(real_project["screenshots"] / "figura-09.png", real_project["screenshots"] / "figura-10.png")
    assert stale_walkthrough.stale_figures(
        real_project["root"] / "docs" / walkthrough.GIF_NAME, real_project["screenshots"]
    ) == [10]
