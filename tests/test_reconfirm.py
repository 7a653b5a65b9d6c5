"""Which changed, the page or the renderer: figures that failed on another renderer are shot again
with the recorded one (the pinned build, when installed) and each gets a verdict line. The run is
a stand-in that leaves what a real run of the figure scenarios leaves (sidecars in its report);
the pairs are tests/figure_pairs/'s real ones."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from tutorial import cli
from tutorial.figuras import pinned_chromium, reconfirm
from tutorial.figuras import renderer as chromium
from tutorial.figuras.comparison import CrossRendererTolerance, Tolerance
from tutorial.figuras.report import FigureReport
from tutorial.figuras.verdict import FigureMismatch, check_figure

PAIRS = Path(__file__).resolve().parent / "figure_pairs"
PINNED = chromium.Renderer(
    browser="chromium",
    version=pinned_chromium.BUILD,
    flavour=chromium.PINNED,
    platform="linux-x86_64",
    os="Debian GNU/Linux 12 (bookworm)",
    scale=1,
    package=f"{pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}",
    sha256=pinned_chromium.BINARY_SHA256,
)
SYSTEM = replace(PINNED, version="156.0.8078.129", flavour=chromium.SYSTEM, package="", sha256="")


def pair(name: str) -> bytes:
    return (PAIRS / f"{name}.png").read_bytes()


def shoot(report_dir: Path, screenshots: Path, name: str, picture: bytes, across: bool) -> None:
    """What a run's camera leaves for one figure: checked across renderers or by the recorded one."""
    report = FigureReport(report_dir, renderer=asdict(SYSTEM if across else PINNED))
    tolerance = CrossRendererTolerance() if across else Tolerance()
    try:
        check_figure(picture, screenshots / f"{name}.png", tolerance, report, renderer_note="otro" if across else None)
    except FigureMismatch:
        pass


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Figures 4 and 7 (fila, cabecera) and 3 committed by the pinned build; a run on Debian's 156
    failed 4 and 7 across renderers and kept 3."""
    monkeypatch.chdir(tmp_path)
    screenshots = tmp_path / "screenshots"
    screenshots.mkdir()
    for name, crop in (("figura-03", "acceso"), ("figura-04", "fila"), ("figura-07", "cabecera")):
        (screenshots / f"{name}.png").write_bytes(pair(f"{crop}.base"))
    chromium.write_record(PINNED, screenshots / chromium.RECORD_NAME)
    reports = tmp_path / "reports"
    shoot(reports / "figures", screenshots, "figura-03", pair("acceso.base"), across=True)
    shoot(reports / "figures", screenshots, "figura-04", pair("fila.serie"), across=True)
    shoot(reports / "figures", screenshots, "figura-07", pair("cabecera.color"), across=True)
    installed = tmp_path / "renderizador"
    installed.mkdir()
    (installed / "chromium").write_text("#!/bin/sh\n")
    (installed / pinned_chromium.STAMP).write_text(json.dumps(pinned_chromium.stamp_data()))
    return {"screenshots": screenshots, "reports": reports, "pinned": installed}


class PinnedRun:
    """The recorded renderer's run of the figure scenarios: Figura 4 comes out as committed (only
    the renderer had moved it), Figura 7 changed with it too (the page did)."""

    def __init__(self, screenshots: Path) -> None:
        self.screenshots = screenshots
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, command: Sequence[str], environment: Mapping[str, str]) -> int:
        self.calls.append((list(command), dict(environment)))
        figures = Path(command[command.index("--reportes") + 1]) / "figures"
        shoot(figures, self.screenshots, "figura-03", pair("acceso.base"), across=False)
        shoot(figures, self.screenshots, "figura-04", pair("fila.base"), across=False)
        shoot(figures, self.screenshots, "figura-07", pair("cabecera.color"), across=False)
        return 1


def main(project: dict[str, Path], run: reconfirm.Runner | None = None) -> int:
    return reconfirm.main(
        ["--reportes", str(project["reports"]), "--screenshots", str(project["screenshots"])],
        run=run or PinnedRun(project["screenshots"]),
        pinned=pinned_chromium.pinned(project["pinned"]),
    )


def test_each_failing_figure_says_whether_the_page_or_the_renderer_changed(project, capsys, monkeypatch):
    monkeypatch.setenv("RENDERIZADOR", "sistema")
    monkeypatch.setenv("CHROMIUM_PATH", "/usr/bin/chromium")
    run = PinnedRun(project["screenshots"])
    assert main(project, run) == 0
    label = PINNED.label()
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"figura-04: con el renderizador registrado ({label}) queda igual a la comprometida: "
        "cambió el renderizador, no la página.",
        f"figura-07: con el renderizador registrado ({label}) también cambió (cambió: 2284 píxeles (7.55 %) en "
        "la región x=0, y=12, 420×56): cambió la página.",
    ]
    assert (project["reports"] / "figures" / reconfirm.RESULT_NAME).read_text(encoding="utf-8").splitlines() == lines
    [(command, environment)] = run.calls
    assert command[command.index("--reportes") + 1] == str(project["reports"] / reconfirm.FOLDER)
    assert "--actualizar-figuras" not in command and " features -m figura " in " ".join(command)
    assert " -p no:cacheprovider" in " ".join(command)  # the outer run's --lf record stays whole
    assert "RENDERIZADOR" not in environment and "CHROMIUM_PATH" not in environment  # the pinned build draws
    assert environment["PATH"] == os.environ["PATH"]


def test_a_figure_the_recorded_renderer_did_not_shoot_is_said(project, capsys):
    def nothing(command: Sequence[str], environment: Mapping[str, str]) -> int:
        return 2

    assert main(project, nothing) == 0
    out = capsys.readouterr().out
    assert "figura-04: no se volvió a tomar con el renderizador registrado" in out


def test_without_the_pinned_build_installed_nothing_runs_and_make_preparar_is_named(project, capsys):
    (project["pinned"] / pinned_chromium.STAMP).unlink()
    run = PinnedRun(project["screenshots"])
    assert main(project, run) == 1
    assert run.calls == []
    err = capsys.readouterr().err
    assert err.startswith("No se pueden volver a tomar figura-04, figura-07: el renderizador fijado")
    assert "`make preparar` lo instala" in err


def test_figures_made_by_another_renderer_than_the_pinned_one_are_not_shot_again(project, capsys):
    chromium.write_record(SYSTEM, project["screenshots"] / chromium.RECORD_NAME)
    run = PinnedRun(project["screenshots"])
    assert main(project, run) == 1
    assert run.calls == []
    assert "no el renderizador fijado: el veredicto exacto lo da `make pruebas-contenedor`" in capsys.readouterr().err


def test_a_run_without_failures_across_renderers_has_nothing_to_reconfirm(project, capsys):
    for name in ("figura-04", "figura-07"):
        (project["reports"] / "figures" / f"{name}.json").unlink()
    run = PinnedRun(project["screenshots"])
    assert main(project, run) == 0
    assert run.calls == []
    assert "nada que reconfirmar" in capsys.readouterr().out


def test_the_run_reconfirms_only_on_another_renderer_with_the_pinned_build_here(project):
    pinned = pinned_chromium.pinned(project["pinned"])
    record = project["screenshots"] / chromium.RECORD_NAME
    figures = project["reports"] / "figures"
    assert reconfirm.should_reconfirm(chromium.RendererCheck(PINNED, SYSTEM, record), figures, pinned)
    # the recorded renderer itself: its verdict is already exact
    assert not reconfirm.should_reconfirm(chromium.RendererCheck(PINNED, PINNED, record), figures, pinned)
    pinned_elsewhere = replace(PINNED, os="Fedora 41", sha256="otro")
    assert not reconfirm.should_reconfirm(chromium.RendererCheck(PINNED, pinned_elsewhere, record), figures, pinned)
    # no failure across renderers, or no pinned build here
    assert not reconfirm.should_reconfirm(chromium.RendererCheck(PINNED, SYSTEM, record), figures / "nada", pinned)
    (project["pinned"] / "chromium").unlink()
    assert not reconfirm.should_reconfirm(chromium.RendererCheck(PINNED, SYSTEM, record), figures, pinned)


def test_the_command_has_the_subcommand(capsys):
    with pytest.raises(SystemExit):
        cli.main(["reconfirmar", "--help"])
    assert "uso: tutorial reconfirmar" in capsys.readouterr().out


def test_the_recorded_renderer_s_run_prints_to_its_file_not_the_screen(tmp_path, monkeypatch, capfd):
    """Its own summary («9 passed») once showed in the middle of a red run as if it were the run's."""

    def pytest_run(command, env, stdout, stderr):  # what the child prints goes where it is told
        print("9 passed in 8.61s", file=stdout)
        return 0 if stderr is reconfirm.subprocess.STDOUT else 1

    monkeypatch.setattr(reconfirm.subprocess, "call", pytest_run)
    reports = tmp_path / "reconfirmacion"
    assert reconfirm._call(reconfirm.pytest_command(reports), dict(os.environ)) == 0
    assert "9 passed" not in capfd.readouterr().out
    assert (reports / reconfirm.OUTPUT_NAME).read_text(encoding="utf-8") == "9 passed in 8.61s\n"
    assert reconfirm.output_of(tmp_path) == tmp_path / reconfirm.FOLDER / reconfirm.OUTPUT_NAME
