"""``tutorial``: the project's one command (``[project.scripts]``), which the Makefile calls.

Each subcommand is a program of one room of ``tutorial``: the renderer and the accepted
figures (``figuras``), the walkthrough, the document and the proof view (``documento``), the
reports of a split run (``ci``). This module only wires them; what they do lives there.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tutorial.figuras.files import FIGURES_REPORT, reports_option

# Each subcommand imports what it runs when it runs: every make target starts with `tutorial
# navegador` and make pruebas calls `tutorial constancia` twice, and loading every room's modules
# for each (the document's, the reports', Flask, Playwright) cost 0.5 s of a run's serial start.

# argparse's own words (usage, options, -h's help, its errors) in Spanish, for every parser of every
# subcommand: argparse looks its module-level ``_`` up each time it writes one of them.
ARGPARSE_SPANISH = {
    "usage: ": "uso: ",
    "options": "opciones",
    "positional arguments": "argumentos posicionales",
    "show this help message and exit": "muestra esta ayuda y termina",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "the following arguments are required: %s": "faltan estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elige entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "expected one argument": "se esperaba un argumento",
    "expected at most one argument": "se esperaba a lo sumo un argumento",
    "expected at least one argument": "se esperaba al menos un argumento",
    "invalid %(type)s value: %(value)r": "valor %(type)s no válido: %(value)r",
    "not allowed with argument %s": "no se permite junto con el argumento %s",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
}
argparse._ = lambda text: ARGPARSE_SPANISH.get(text, text)  # type: ignore[attr-defined]


def accept_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tutorial aceptar",
        description="Acepta la captura de la última corrida como figura publicada (make aceptar FIGURA=figura-04).",
        parents=[reports_option()],
    )
    parser.add_argument("--figura", default="", help="la figura a aceptar; sin ella, todas las cambiadas o nuevas")
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"), help="figuras comprometidas")
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    from tutorial.documento import stale_walkthrough, tutorial_doc
    from tutorial.figuras import accept

    figures_report = args.reportes / FIGURES_REPORT
    try:
        if args.figura:
            names = [accept.normalise_name(args.figura)]
        else:
            names = accept.changed_figures(figures_report)
            if not names:
                print("No hay figuras cambiadas ni nuevas en la última corrida: nada que aceptar.")
                return 0
        done = accept.accept(names, figures_report, args.screenshots)
    except accept.AcceptRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    for item in done:
        state = "ya era la comprometida" if item.unchanged else "aceptada"
        print(f"{item.name}: {state} → {item.target}")
        if item.placement == accept.PLACEMENT_WRITTEN:
            print(f"{item.name}: sus marcas, como las colocó la corrida → {item.placement_record}")
    for path in tutorial_doc.write_tutorial(args.features, args.screenshots, args.docs):
        print(f"Escrito {path}")
    missing = [accept.placement_notice(item) for item in done if item.placement == accept.PLACEMENT_MISSING]
    notice = stale_walkthrough.walkthrough_notice(args.docs, args.screenshots)
    for line in [*missing, *([notice] if notice else [])]:
        print(line, file=sys.stderr)
    return 0


def figures_pytest(workers: str, reports: Path, pytest_args: list[str]) -> list[str]:
    """The pytest run that re-shoots the figures: the ``@figura`` scenarios, updating."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "features",
        "-m",
        "figura",
        "--actualizar-figuras",
        "-n",
        workers,
        "--reportes",
        str(reports),
        "-q",
        *pytest_args,
    ]


def figures_main(argv: list[str]) -> int:
    """The docs writer's job: the figures re-shot, then the walkthrough and the document rebuilt
    from them, then the proof view. Stops at the first failure, as make would."""
    parser = argparse.ArgumentParser(
        prog="tutorial figuras",
        description="Vuelve a tomar las nueve figuras en screenshots/, arma docs/recorrido.gif y reconstruye "
        "docs/tutorial.md y docs/tutorial.html (make figuras).",
        parents=[reports_option()],
    )
    parser.add_argument("-n", "--trabajadores", default="auto", help="procesos de pytest-xdist (por omisión: auto)")
    parser.add_argument("pytest", nargs=argparse.REMAINDER, help="lo que sigue a -- va a pytest (PYTEST_ARGS)")
    args = parser.parse_args(argv)
    extra = args.pytest[1:] if args.pytest[:1] == ["--"] else args.pytest
    from tutorial.documento import proof, tutorial_doc, walkthrough

    status = subprocess.call(figures_pytest(args.trabajadores, args.reportes, extra))
    if status:
        return status
    status = walkthrough.main(["--reportes", str(args.reportes)])
    if status:
        return status
    tutorial_doc.main([])
    proof.main(["--reportes", str(args.reportes)])  # the proof view is a by-product: it never fails the job
    return 0


def _renderer(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="tutorial navegador",
        description="Instala el renderizador elegido (RENDERIZADOR=fijado|sistema|playwright, o CHROMIUM_PATH).",
    ).parse_args(argv)
    from tutorial.figuras import renderer as chromium

    return chromium.ensure()


def _document(argv: list[str]) -> int:
    from tutorial.documento import tutorial_doc

    tutorial_doc.main(argv)
    return 0


def _imported(target: str) -> Callable[[list[str]], int | None]:
    """``module:function``, imported when the subcommand runs."""
    module, name = target.split(":")
    return lambda argv: getattr(importlib.import_module(module), name)(argv)


SUBCOMMANDS: dict[str, tuple[Callable[[list[str]], int | None], str]] = {
    "figuras": (figures_main, "vuelve a tomar las figuras y reconstruye docs/ (make figuras)"),
    "navegador": (_renderer, "instala el Chromium con que se toman las figuras (make preparar)"),
    "aceptar": (accept_main, "la captura de la última corrida pasa a ser la figura publicada (make aceptar)"),
    "documento": (_document, "reconstruye docs/tutorial.md y docs/tutorial.html desde features/ y screenshots/"),
    "recorrido": (
        _imported("tutorial.documento.walkthrough:main"),
        "arma docs/recorrido.gif y recorrido.mp4 con los cuadros que grabó make figuras",
    ),
    "reconfirmar": (
        _imported("tutorial.figuras.reconfirm:main"),
        "vuelve a tomar con el renderizador registrado las figuras que fallaron con otro: ¿cambió la página?",
    ),
    "constancia": (
        _imported("tutorial.documento.proof:main"),
        "reports/tutorial.html: el tutorial con la prueba de cada término (make constancia)",
    ),
    "unir-reportes": (
        _imported("tutorial.ci.merge_reports:main"),
        "une los reportes de los fragmentos de una corrida repartida",
    ),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    listing = "\n".join(f"  {name:<14} {summary}" for name, (_run, summary) in SUBCOMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="tutorial",
        description=f"El tutorial de Aspel que se ejecuta: figuras, documento y reportes.\n\nsubcomandos:\n{listing}",
        epilog="Ayuda de cada uno: tutorial <subcomando> --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("subcomando", choices=SUBCOMMANDS, metavar="subcomando", help="uno de los de arriba")
    parser.add_argument("argumentos", nargs=argparse.REMAINDER, help="lo que sigue es del subcomando")
    args = parser.parse_args(argv)
    run, _summary = SUBCOMMANDS[args.subcomando]
    return run(args.argumentos) or 0


if __name__ == "__main__":
    sys.exit(main())
