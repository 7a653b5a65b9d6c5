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
from tutorial.documento import walkthrough
from tutorial.figuras import accept
from tutorial.figuras import renderer as browser
from tutorial.figuras.comparison import CrossRendererTolerance, Tolerance
from tutorial.figuras.report import FigureReport, write_html_from_dir
from tutorial.figuras.verdict import FigureMismatch, check_figure

ROOT = Path(__file__).resolve().parent.parent
RENDERER = browser.Renderer(
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
    browser.write_record(RENDERER, screenshots / browser.RECORD_NAME)
    shutil.copytree(ROOT / "features", tmp_path / "features")
    return {"screenshots": screenshots, "report": tmp_path / "reports" / "figures", "root": tmp_path}


def run_changed(
    project: dict[str, Path],
    name: str = "figura-04",
    renderer: browser.Renderer | None = RENDERER,
    actual: bytes | None = None,
) -> bytes:
    """What `make pruebas` leaves for a figure that drifted: the sidecar and the actual image."""
    actual = actual or png((2, 2, 5, 5))
    report = FigureReport(project["report"], renderer=asdict(renderer) if renderer else None)
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
            str(p["report"]),
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
    (project["screenshots"] / browser.RECORD_NAME).unlink()  # the record is written from the sidecar
    assert main(project, "--figura", "figura-04") == 0
    assert (project["screenshots"] / "figura-04.png").read_bytes() == actual
    assert browser.read_record(project["screenshots"] / browser.RECORD_NAME) == RENDERER
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
    assert browser.read_record(project["screenshots"] / browser.RECORD_NAME) == RENDERER


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
    walkthrough again: each figure frame of docs/recorrido.gif is the committed figure."""
    assert walkthrough.stale_figures(ROOT / "docs" / walkthrough.GIF_NAME, ROOT / "screenshots") == []


@pytest.fixture
def real_project(tmp_path: Path) -> dict[str, Path]:
    """The real figures, their renderer record and the committed walkthrough, in a copy."""
    shutil.copytree(ROOT / "screenshots", tmp_path / "screenshots")
    shutil.copytree(ROOT / "features", tmp_path / "features")
    (tmp_path / "docs").mkdir()
    shutil.copyfile(ROOT / "docs" / walkthrough.GIF_NAME, tmp_path / "docs" / walkthrough.GIF_NAME)
    return {"screenshots": tmp_path / "screenshots", "report": tmp_path / "reports" / "figures", "root": tmp_path}


def test_accepting_a_figure_says_exactly_what_still_needs_make_figures(real_project, capsys):
    recorded = browser.read_record(real_project["screenshots"] / browser.RECORD_NAME)
    with Image.open(real_project["screenshots"] / "figura-04.png") as image:
        painted = image.convert("RGB")
    middle = (painted.width // 2, painted.height // 2)  # inside the figure, whatever its frame
    ImageDraw.Draw(painted).rectangle(
        (middle[0] - 20, middle[1] - 10, middle[0] + 20, middle[1] + 10), fill=(0, 160, 0)
    )
    buffer = io.BytesIO()
    painted.save(buffer, format="PNG")
    run_changed(real_project, renderer=recorded, actual=buffer.getvalue())
    assert main(real_project, "--figura", "figura-04") == 0
    gif = real_project["root"] / "docs" / walkthrough.GIF_NAME
    assert walkthrough.stale_figures(gif, real_project["screenshots"]) == [4]
    assert capsys.readouterr().err.strip() == walkthrough.walkthrough_notice(gif, [4])
    assert "la Figura 4 como era antes" in walkthrough.walkthrough_notice(gif, [4])
    assert (real_project["root"] / "docs" / "tutorial.html").exists()  # the document was rebuilt all the same


def test_a_walkthrough_that_lacks_a_figure_counts_it_as_stale(real_project):
    shutil.copyfile(real_project["screenshots"] / "figura-09.png", real_project["screenshots"] / "figura-10.png")
    assert walkthrough.stale_figures(
        real_project["root"] / "docs" / walkthrough.GIF_NAME, real_project["screenshots"]
    ) == [10]
