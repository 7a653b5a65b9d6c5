"""``make aceptar``: take a run's captured figure into ``screenshots/`` without re-running anything.

The last run left, in ``reports/figures/``, a sidecar ``<name>.json`` per figure (its status and
the renderer that shot it), where the camera placed its marks (``marcas/<name>.json``) and, for
each new or changed figure, ``<name>.actual.png``. Accepting copies that actual image over the
committed figure and its placement over the figure's callout record (``figura-NN.marcas.json``),
writes the renderer record beside the figures (``screenshots/figuras.json``) only where there is
none, and rebuilds ``docs/``; a file whose content does not change is not written. It refuses, in
Spanish, when the actual image is missing, older than the committed figure (stale), or was shot
by a renderer other than the recorded one (a set of figures comes from one renderer: ``make
figuras RENDERIZADOR_NUEVO=1`` hands them all over together).

The walkthrough (``docs/recorrido.gif`` and ``docs/recorrido.mp4``) cannot be rebuilt here: its
frames are the pages on the way to each figure, recorded by ``make figuras``. ``tutorial aceptar``
(:mod:`tutorial.cli`) names them with the figures they still show as they were
(:func:`tutorial.documento.stale_walkthrough.walkthrough_notice`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import placement_path, write_placement
from tutorial.figuras.comparison import SAME, figure_name
from tutorial.figuras.files import figures_folder, write_atomically
from tutorial.figuras.report import Sidecar, read_placement, read_sidecar, sidecars

# What became of a figure's callout record (``figura-NN.marcas.json``) on accepting it.
PLACEMENT_WRITTEN, PLACEMENT_SAME, PLACEMENT_MISSING = "escrito", "igual", "falta"


class AcceptRefused(Exception):
    """A figure that cannot be accepted; the message says why and what to do."""


@dataclass(frozen=True)
class Accepted:
    name: str
    target: Path
    unchanged: bool  # the committed figure already had these bytes
    placement: str = PLACEMENT_SAME  # its callout record: PLACEMENT_WRITTEN, _SAME or _MISSING

    @property
    def placement_record(self) -> Path:
        return placement_path(self.target)


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


def check(name: str, report_dir: Path, screenshots_dir: Path) -> tuple[Path, Path, chromium.Renderer]:
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
    shot_by = chromium.Renderer(
        **{k: renderer_data[k] for k in chromium.Renderer.__dataclass_fields__ if k in renderer_data}
    )
    record_path = target.parent / chromium.RECORD_NAME
    recorded = chromium.read_record(record_path)
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
    """Check every figure first (all or nothing), then copy them with their callout records and
    write the renderer record where there is none (an existing one names this renderer: checked)."""
    checked = [(name, *check(name, report_dir, screenshots_dir)) for name in names]
    done = []
    for name, actual, target, shot_by in checked:
        unchanged = target.exists() and target.read_bytes() == actual.read_bytes()
        if not unchanged:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, actual.read_bytes())
        record = target.parent / chromium.RECORD_NAME
        if chromium.read_record(record) is None:
            chromium.write_record(shot_by, record)
        done.append(Accepted(name, target, unchanged, _accept_placement(report_dir, name, target)))
    return done


def _accept_placement(report_dir: Path, name: str, target: Path) -> str:
    """The run's placement of ``name``'s marks becomes its callout record (none without marks)."""
    if _set_scale(target) != 1:
        return PLACEMENT_SAME  # only the 1x set keeps callout records
    kept, record = read_placement(report_dir, name)
    if not kept:
        return PLACEMENT_MISSING
    path = placement_path(target)
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    if current == record:
        return PLACEMENT_SAME
    write_placement(target, record)
    return PLACEMENT_WRITTEN


def _set_scale(target: Path) -> int:
    """The scale of the set a figure belongs to: ``screenshots/2x/figura-04.png`` → 2."""
    match = re.fullmatch(r"(\d+)x", target.parent.name)
    return int(match[1]) if match else 1


def placement_notice(item: Accepted) -> str:
    """What still needs ``make figuras`` when the run kept no placement for an accepted figure."""
    return (
        f"Falta: {item.placement_record} (dónde van las marcas de {item.name}) es de la figura anterior: "
        "la corrida no guardó la colocación de esta captura. Corre `make figuras` para volver a escribirlo; "
        "hasta entonces tests/test_callout_placement.py lo mide contra la figura anterior."
    )
