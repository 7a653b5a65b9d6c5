"""``make aceptar``: take a run's captured figure into ``screenshots/`` without re-running anything.

The last run left, in ``reports/figures/``, a sidecar ``<name>.json`` per figure (its status and
the renderer that shot it) and, for each new or changed figure, ``<name>.actual.png``. Accepting
copies that actual image over the committed figure, writes the renderer record beside the
figures (``screenshots/figuras.json``) and rebuilds ``docs/``. It refuses, in Spanish, when the
actual image is missing, older than the committed figure (stale), or was shot by a renderer
other than the recorded one (a set of figures comes from one renderer: ``make figures
RENDERER=nuevo`` hands them all over together).

The walkthrough (``docs/recorrido.gif``) cannot be rebuilt here: its frames are the pages on the
way to each figure, recorded by ``make figures``, and an accepted figure usually means those
pages changed too. So accepting says exactly which figures the walkthrough still shows as they
were, and :func:`stale_walkthrough` (run by ``make test`` on the committed files,
``tests/test_accept.py``) fails until ``make figures`` records it again.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from steps.support import browser
from steps.support import walkthrough as walk
from steps.support.figures import SAME, figure_name


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


def _sidecar(report_dir: Path, name: str) -> dict:
    path = report_dir / f"{name}.json"
    if not path.exists():
        raise AcceptRefused(
            f"No se puede aceptar {name}: la última corrida no la registró ({path} no existe). "
            "Corre `make test` primero."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _target(screenshots_dir: Path, name: str, renderer: dict | None) -> Path:
    scale = int((renderer or {}).get("scale", 1))
    folder = screenshots_dir if scale == 1 else screenshots_dir / f"{scale}x"
    return folder / f"{name}.png"


def check(name: str, report_dir: Path, screenshots_dir: Path) -> tuple[Path, Path, browser.Renderer]:
    """(actual image, committed figure, renderer that shot it) or :class:`AcceptRefused`."""
    data = _sidecar(report_dir, name)
    status = data["comparison"]["status"]
    renderer_data = data.get("renderer")
    actual = report_dir / f"{name}.actual.png"
    target = _target(screenshots_dir, name, renderer_data)
    if status == SAME:
        raise AcceptRefused(f"No hay nada que aceptar en {name}: en la última corrida quedó igual a la comprometida.")
    if not actual.exists():
        raise AcceptRefused(
            f"No se puede aceptar {name}: falta la captura actual ({actual}). Corre `make test` para tomarla."
        )
    if (
        target.exists()
        and actual.stat().st_mtime < target.stat().st_mtime
        and actual.read_bytes() != target.read_bytes()
    ):
        raise AcceptRefused(
            f"No se puede aceptar {name}: la captura actual ({actual}) es más antigua que la figura comprometida "
            f"({target}); la figura cambió después de esa corrida. Corre `make test` otra vez."
        )
    if not renderer_data:
        raise AcceptRefused(
            f"No se puede aceptar {name}: el reporte no dice qué renderizador tomó la captura. "
            "Corre `make test` otra vez (o `make figures`)."
        )
    shot_by = browser.Renderer(
        **{k: renderer_data[k] for k in browser.Renderer.__dataclass_fields__ if k in renderer_data}
    )
    record_path = target.parent / browser.RECORD_NAME
    recorded = browser.read_record(record_path)
    if data["comparison"].get("cross_renderer") or (recorded is not None and recorded.differences(shot_by)):
        differences = "; ".join(recorded.differences(shot_by)) if recorded else "comparada entre renderizadores"
        raise AcceptRefused(
            f"No se puede aceptar {name}: la tomó otro renderizador ({shot_by.label()}) y las figuras "
            f"comprometidas son de {recorded.label() if recorded else 'otro'} ({differences}). Mezclar "
            "renderizadores no sirve: usa `make figures-contenedor`, o `make figures RENDERER=nuevo` para "
            "pasar todas las figuras a este renderizador."
        )
    return actual, target, shot_by


def changed_figures(report_dir: Path) -> list[str]:
    """The figures of the last run that are new or changed, by name."""
    names = []
    for sidecar in sorted(Path(report_dir).glob("figura-*.json")):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if data["comparison"]["status"] != SAME:
            names.append(data["comparison"]["name"])
    return names


def accept(names: list[str], report_dir: Path, screenshots_dir: Path) -> list[Accepted]:
    """Check every figure first (all or nothing), then copy them and write the renderer record."""
    checked = [(name, *check(name, report_dir, screenshots_dir)) for name in names]
    done = []
    for name, actual, target, shot_by in checked:
        unchanged = target.exists() and target.read_bytes() == actual.read_bytes()
        if not unchanged:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(actual, temporary)
            os.replace(temporary, target)
        browser.write_record(shot_by, target.parent / browser.RECORD_NAME)
        done.append(Accepted(name, target, unchanged))
    return done


def rebuild_docs(features_dir: Path, screenshots_dir: Path, docs_dir: Path) -> list[Path]:
    """What ``python -m steps.support.tutorial_doc`` does: docs/ around the figures."""
    from steps.support.tutorial_doc import write_tutorial

    return list(write_tutorial(features_dir, screenshots_dir, docs_dir))


def _figure_frames(gif: Path) -> tuple[list[Image.Image], Image.Image]:
    """The walkthrough's figure frames (those shown for :data:`walk.FIGURE_MS`), in figure order,
    and its palette (the first :data:`walk.PALETTE_COLOURS` entries: the GIF pads it with black)."""
    frames = []
    with Image.open(gif) as animation:
        palette = Image.new("P", (1, 1))
        palette.putpalette(animation.getpalette()[: walk.PALETTE_COLOURS * 3])
        for index in range(animation.n_frames):
            animation.seek(index)
            if animation.info.get("duration") == walk.FIGURE_MS:
                frames.append(animation.convert("RGB"))
    return frames, palette


def stale_walkthrough(gif: Path, screenshots: Path) -> list[int]:
    """The figure numbers whose frame in the walkthrough ``gif`` is not the committed figure.

    Each figure frame is the figure as :mod:`steps.support.walkthrough` lays it (full size, or
    a crop centred over the dimmed screen before it) in the GIF's palette, with the caption band
    below. Laid over a black and over a white screen, the pixels that agree are the figure's;
    those, quantized like the GIF, must equal the frame's above the band. A walkthrough without
    a frame for some committed figure counts that figure as stale. No GIF: nothing to compare.
    """
    if not gif.is_file():
        return []
    numbers = sorted(int(path.stem.split("-")[1]) for path in screenshots.glob("figura-*.png"))
    frames, palette = _figure_frames(gif)
    band_top = walk.SIZE[1] - walk.BAND_HEIGHT
    stale = []
    for position, number in enumerate(numbers):
        if position >= len(frames):
            stale.append(number)
            continue
        frame = walk.Frame(number, 0, False, "", "", figure_image=f"{figure_name(number)}.png")
        on_black, on_white = (
            walk._base(frame, screenshots, screenshots, Image.new("RGB", walk.SIZE, colour))
            for colour in ((0, 0, 0), (255, 255, 255))
        )
        figure_pixels = ImageChops.difference(on_black, on_white).convert("L").point(lambda v: 255 if v == 0 else 0)
        figure_pixels.paste(0, (0, band_top, walk.SIZE[0], walk.SIZE[1]))
        expected = on_black.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB")
        differing = ImageChops.difference(expected, frames[position]).convert("L").point(lambda v: 255 if v else 0)
        if ImageChops.multiply(differing, figure_pixels).getbbox():
            stale.append(number)
    return stale


def walkthrough_notice(gif: Path, stale: list[int]) -> str:
    """What still needs ``make figures`` after accepting, said exactly."""
    figures = ", ".join(f"la Figura {number}" for number in stale)
    return (
        f"Falta: {gif} muestra todavía {figures} como era antes (y los pasos que llevan a ella, grabados por "
        "`make figures`). Corre `make figures` para volver a grabar el recorrido y reconstruir docs/; hasta "
        "entonces `make test` falla (tests/test_accept.py compara el recorrido con las figuras comprometidas)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m steps.support.accept",
        description="Acepta la captura de la última corrida como figura publicada (make aceptar FIGURA=figura-04).",
    )
    parser.add_argument("--figura", default="", help="la figura a aceptar; sin ella, todas las cambiadas o nuevas")
    parser.add_argument(
        "--reportes", type=Path, default=Path("reports/figures"), help="reporte de figuras de la corrida"
    )
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"), help="figuras comprometidas")
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    try:
        if args.figura:
            names = [normalise_name(args.figura)]
        else:
            names = changed_figures(args.reportes)
            if not names:
                print("No hay figuras cambiadas ni nuevas en la última corrida: nada que aceptar.")
                return 0
        done = accept(names, args.reportes, args.screenshots)
    except AcceptRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    for item in done:
        state = "ya era la comprometida" if item.unchanged else "aceptada"
        print(f"{item.name}: {state} → {item.target}")
    for path in rebuild_docs(args.features, args.screenshots, args.docs):
        print(f"Escrito {path}")
    stale = stale_walkthrough(args.docs / walk.GIF_NAME, args.screenshots)
    if stale:
        print(walkthrough_notice(args.docs / walk.GIF_NAME, stale), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
