"""``make aceptar``: take a run's captured figure into ``screenshots/`` without re-running anything.

The last run left, in ``reports/figures/``, a sidecar ``<name>.json`` per figure (its status and
the renderer that shot it) and, for each new or changed figure, ``<name>.actual.png``. Accepting
copies that actual image over the committed figure, writes the renderer record beside the
figures (``screenshots/figuras.json``) and rebuilds ``docs/``. It refuses, in Spanish, when the
actual image is missing, older than the committed figure (stale), or was shot by a renderer
other than the recorded one (a set of figures comes from one renderer: ``make figuras
RENDERIZADOR_NUEVO=1`` hands them all over together).

The walkthrough (``docs/recorrido.gif``) cannot be rebuilt here: its frames are the pages on the
way to each figure, recorded by ``make figuras``. ``tutorial aceptar`` (:mod:`tutorial.cli`)
says which figures it still shows as they were (:func:`tutorial.documento.walkthrough.stale_figures`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tutorial.figuras import renderer as browser
from tutorial.figuras.comparison import SAME, figure_name
from tutorial.figuras.files import figures_folder, write_atomically
from tutorial.figuras.report import Sidecar, read_sidecar, sidecars


class AcceptRefused(Exception):
    """A figure that cannot be accepted; the message says why and what to do."""


@dataclass(frozen=True)
class Accepted:
    name: str
    target: Path
    unchanged: bool  # the committed figure already had these bytes


def normalise_name(given: str) -> str:
    """``figura-04``, ``figura-4``, ``4`` or ``figura-04.png`` → ``figura-04``."""
    match = re.fullmatch(r"(?:figura-?)?0*(\d+)(?:\.png)?", given.strip(), flags=re.IGNORECASE)
    if not match:
        raise AcceptRefused(f"«{given}» no es el nombre de una figura (por ejemplo: FIGURA=figura-04).")
    return figure_name(int(match[1]))


def _sidecar(report_dir: Path, name: str) -> Sidecar:
    path = report_dir / f"{name}.json"
    if not path.exists():
        raise AcceptRefused(
            f"No se puede aceptar {name}: la última corrida no la registró ({path} no existe). "
            "Corre `make pruebas` primero."
        )
    return read_sidecar(path)


def _target(screenshots_dir: Path, name: str, renderer: dict | None) -> Path:
    return figures_folder(screenshots_dir, int((renderer or {}).get("scale", 1))) / f"{name}.png"


def check(name: str, report_dir: Path, screenshots_dir: Path) -> tuple[Path, Path, browser.Renderer]:
    """(actual image, committed figure, renderer that shot it) or :class:`AcceptRefused`."""
    sidecar = _sidecar(report_dir, name)
    status = sidecar.comparison.status
    renderer_data = sidecar.renderer
    actual = report_dir / f"{name}.actual.png"
    target = _target(screenshots_dir, name, renderer_data)
    if status == SAME:
        raise AcceptRefused(f"No hay nada que aceptar en {name}: en la última corrida quedó igual a la comprometida.")
    if not actual.exists():
        raise AcceptRefused(
            f"No se puede aceptar {name}: falta la captura actual ({actual}). Corre `make pruebas` para tomarla."
        )
    if (
        target.exists()
        and actual.stat().st_mtime < target.stat().st_mtime
        and actual.read_bytes() != target.read_bytes()
    ):
        raise AcceptRefused(
            f"No se puede aceptar {name}: la captura actual ({actual}) es más antigua que la figura comprometida "
            f"({target}); la figura cambió después de esa corrida. Corre `make pruebas` otra vez."
        )
    if not renderer_data:
        raise AcceptRefused(
            f"No se puede aceptar {name}: el reporte no dice qué renderizador tomó la captura. "
            "Corre `make pruebas` otra vez (o `make figuras`)."
        )
    shot_by = browser.Renderer(
        **{k: renderer_data[k] for k in browser.Renderer.__dataclass_fields__ if k in renderer_data}
    )
    record_path = target.parent / browser.RECORD_NAME
    recorded = browser.read_record(record_path)
    if sidecar.comparison.cross_renderer or (recorded is not None and recorded.differences(shot_by)):
        differences = "; ".join(recorded.differences(shot_by)) if recorded else "comparada entre renderizadores"
        raise AcceptRefused(
            f"No se puede aceptar {name}: la tomó otro renderizador ({shot_by.label()}) y las figuras "
            f"comprometidas son de {recorded.label() if recorded else 'otro'} ({differences}). Mezclar "
            "renderizadores no sirve: usa `make figuras-contenedor`, o `make figuras RENDERIZADOR_NUEVO=1` para "
            "pasar todas las figuras a este renderizador."
        )
    return actual, target, shot_by


def changed_figures(report_dir: Path) -> list[str]:
    """The figures of the last run that are new or changed, by name."""
    return [
        sidecar.comparison.name
        for sidecar in sidecars(report_dir)
        if sidecar.comparison.name.startswith("figura-") and sidecar.comparison.status != SAME
    ]


def accept(names: list[str], report_dir: Path, screenshots_dir: Path) -> list[Accepted]:
    """Check every figure first (all or nothing), then copy them and write the renderer record."""
    checked = [(name, *check(name, report_dir, screenshots_dir)) for name in names]
    done = []
    for name, actual, target, shot_by in checked:
        unchanged = target.exists() and target.read_bytes() == actual.read_bytes()
        if not unchanged:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, actual.read_bytes())
        browser.write_record(shot_by, target.parent / browser.RECORD_NAME)
        done.append(Accepted(name, target, unchanged))
    return done
