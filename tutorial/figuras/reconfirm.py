"""Which changed, the page or the renderer: the failing figures shot again with the recorded one.

A run on another renderer than the one that made the committed figures (``RENDERIZADOR=sistema``,
``CHROMIUM_PATH``) can only say that a failing figure changed because of "the renderer or the
page": another build moves up to thousands of pixels (:func:`tutorial.figuras.verdict.renderer_cause`).
When the committed figures are the pinned build's and that build is installed here, the figure
scenarios are run again with it, apart (``reports/reconfirmacion/``, checking, never updating),
and each figure that failed across renderers gets one line: the same with the recorded renderer
(the renderer changed, not the page) or changed with it too (the page changed).

The run's plugin does it at the end of a run (:func:`should_reconfirm`, in
:mod:`tutorial.figuras.plugin`); ``tutorial reconfirmar`` does it for the last run's report.
The lines are kept in ``reports/figures/reconfirmacion.txt``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tutorial.figuras import pinned_chromium
from tutorial.figuras import renderer as chromium
from tutorial.figuras.comparison import SAME
from tutorial.figuras.files import reports_option
from tutorial.figuras.report import read_sidecar, sidecars

FOLDER = "reconfirmacion"  # reports/reconfirmacion/: the recorded renderer's run
RESULT_NAME = "reconfirmacion.txt"  # beside the run's figure report
OUTPUT_NAME = "salida.txt"  # in reports/reconfirmacion/: what that run printed
# The variables that chose another renderer; the recorded (pinned) one is what runs without them.
RENDERER_VARIABLES = (chromium.CHOICE_VARIABLE, "CHROMIUM_PATH", "PLAYWRIGHT_SERVER")

Runner = Callable[[Sequence[str], Mapping[str, str]], int]


def failed_across(figures_dir: Path) -> list[str]:
    """The figures of a run that changed while compared across renderers, by name."""
    return [
        sidecar.comparison.name
        for sidecar in sidecars(figures_dir)
        if sidecar.comparison.cross_renderer and sidecar.comparison.status != SAME
    ]


def why_not(recorded: chromium.Renderer | None, pinned: pinned_chromium.Pinned) -> str | None:
    """Why the figures cannot be shot again with the recorded renderer here (``None``: they can)."""
    if recorded is None or recorded.flavour != chromium.PINNED:
        made_by = recorded.label() if recorded else "un renderizador sin registro"
        return (
            f"las figuras comprometidas las hizo {made_by}, no el renderizador fijado: el veredicto exacto "
            "lo da `make pruebas-contenedor`."
        )
    if recorded.package != f"{pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}":
        return f"las figuras comprometidas las hizo {recorded.package}, y este proyecto fija otro renderizador."
    if not pinned.installed():
        return (
            f"el renderizador fijado ({recorded.package}) no está instalado en {pinned.folder}: "
            "`make preparar` lo instala."
        )
    return None


def should_reconfirm(check: chromium.RendererCheck, figures_dir: Path, pinned: pinned_chromium.Pinned) -> bool:
    """At the end of a run: another renderer than the recorded one, a figure failed, and the
    recorded renderer (the pinned build) is here to shoot it again."""
    if not check.cross or check.current is None or check.current.flavour == chromium.PINNED:
        return False
    return bool(failed_across(figures_dir)) and why_not(check.recorded, pinned) is None


def pytest_command(reports: Path, workers: str = "auto") -> list[str]:
    """The figure scenarios, checked (not updated), their report in ``reports``. Without pytest's
    cache: this run's passes would clear the outer run's record of what failed, and the trace re-run
    that follows (``pytest --lf``) would then run every test again."""
    return [
        *(sys.executable, "-m", "pytest", "features", "-m", "figura", "-n", workers, "--reportes", str(reports)),
        *("-q", "-p", "no:cacheprovider"),
    ]


def pinned_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """``environment`` without what chose another renderer: the run draws with the pinned build."""
    return {name: value for name, value in environment.items() if name not in RENDERER_VARIABLES}


def output_of(reports: Path) -> Path:
    """Where the recorded renderer's run writes what it prints: the outer run shows only the
    verdicts (that run's own summary, «9 passed», read in the middle of a red run as if it were its)."""
    return reports / FOLDER / OUTPUT_NAME


def _call(command: Sequence[str], environment: Mapping[str, str]) -> int:
    reports = Path(command[command.index("--reportes") + 1])
    reports.mkdir(parents=True, exist_ok=True)
    with (reports / OUTPUT_NAME).open("w", encoding="utf-8") as output:
        return subprocess.call(list(command), env=dict(environment), stdout=output, stderr=subprocess.STDOUT)


def verdicts(names: Sequence[str], pinned_figures: Path, recorded: chromium.Renderer) -> list[str]:
    """One line per figure: what the recorded renderer saw of it."""
    lines = []
    for name in names:
        path = pinned_figures / f"{name}.json"
        if not path.is_file():
            lines.append(f"{name}: no se volvió a tomar con el renderizador registrado (véase {pinned_figures}).")
            continue
        comparison = read_sidecar(path).comparison
        if comparison.status == SAME:
            lines.append(
                f"{name}: con el renderizador registrado ({recorded.label()}) queda igual a la comprometida: "
                "cambió el renderizador, no la página."
            )
        else:
            lines.append(
                f"{name}: con el renderizador registrado ({recorded.label()}) también cambió "
                f"({comparison.describe().removeprefix(name + ': ')}): cambió la página."
            )
    return lines


def reconfirm(
    names: Sequence[str], reports: Path, recorded: chromium.Renderer, run: Runner = _call, workers: str = "auto"
) -> list[str]:
    """Shoot the figure scenarios again with the recorded renderer into ``reports/reconfirmacion``
    and say, per figure of ``names``, which changed; the lines also go to the run's figure report."""
    folder = reports / FOLDER
    run(pytest_command(folder, workers), pinned_environment(os.environ))
    lines = verdicts(names, folder / "figures", recorded)
    figures_dir = reports / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    (figures_dir / RESULT_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def main(argv: list[str] | None = None, run: Runner = _call, pinned: pinned_chromium.Pinned | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tutorial reconfirmar",
        description="Vuelve a tomar, con el renderizador registrado (el fijado), las figuras que fallaron en la "
        "última corrida con otro renderizador, y dice de cada una si cambió la página o el renderizador.",
        parents=[reports_option()],
    )
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"), help="figuras comprometidas")
    parser.add_argument("-n", "--trabajadores", default="auto", help="procesos de pytest-xdist (por omisión: auto)")
    args = parser.parse_args(argv)
    names = failed_across(args.reportes / "figures")
    if not names:
        print("Ninguna figura de la última corrida falló con otro renderizador: nada que reconfirmar.")
        return 0
    recorded = chromium.read_record(args.screenshots / chromium.RECORD_NAME)
    reason = why_not(recorded, pinned or pinned_chromium.pinned())
    if reason is not None:
        print(f"No se pueden volver a tomar {', '.join(names)}: {reason}", file=sys.stderr)
        return 1
    assert recorded is not None  # why_not says so otherwise
    for line in reconfirm(names, args.reportes, recorded, run, args.trabajadores):
        print(line)
    return 0
