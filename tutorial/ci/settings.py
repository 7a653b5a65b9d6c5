"""Every setting a ``make`` target reads, checked before anything runs (``make ajustes``).

A bad value used to reach the tools that read it late and in their own words: ``SHARD=3/2``
printed pytest-split's English error and then the trace re-run ran anyway, ``SHARD=0/2`` ran the
whole suite, and each left a ``reports/shard-N/`` behind that then made ``make unir-reportes``
refuse. Here each setting is read from the environment as ``make`` exports it, and a bad one
stops the target with one Spanish line that names the value and the form it takes, before
``make`` writes anything.

The module uses the standard library only: ``make`` runs it with the system's Python, before the
virtualenv exists (``python3 -m tutorial.ci.settings``). The renderer names repeat
:data:`tutorial.figuras.renderer.CHOICES` (``tests/test_settings.py`` holds them equal).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RENDERER_CHOICES = ("fijado", "sistema", "playwright")
WORKER_WORDS = ("auto", "logical")
_SHARD = re.compile(r"(\d+)/(\d+)")
_FIGURE = re.compile(r"(?:figura-?)?0*(\d+)(?:\.png)?", re.IGNORECASE)
# A PYTEST_ARGS word that names a test file or folder (an option's value, a -k or -m expression
# or a URL is left to pytest).
_TEST_PATH = re.compile(r"^(?:tests|features)(?:/|$)|\.(?:py|feature)(?:::|$)|::")


def check_shard(value: str) -> str | None:
    found = _SHARD.fullmatch(value)
    if found and 1 <= int(found[1]) <= int(found[2]):
        return None
    return f"SHARD={value} no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"


def check_workers(value: str) -> str | None:
    if value in WORKER_WORDS or value.isdigit():
        return None
    return f"WORKERS={value} no vale: se espera auto, logical o un número de procesos (p. ej. WORKERS=2; 0 = sin xdist)"


def committed_figures(root: Path = ROOT) -> list[str]:
    return sorted(path.stem for path in (root / "screenshots").glob("figura-*.png"))


def check_figure(value: str, root: Path = ROOT) -> str | None:
    figures = committed_figures(root)
    found = _FIGURE.fullmatch(value.strip())
    if found and f"figura-{int(found[1]):02d}" in figures:
        return None
    known = f"{figures[0]} … {figures[-1]}" if figures else "ninguna en screenshots/"
    return f"FIGURA={value} no es una figura del tutorial: se espera figura-NN o NN, una de {known} (p. ej. FIGURA=figura-04)"


def check_renderer(value: str) -> str | None:
    if value.strip().lower() in RENDERER_CHOICES:
        return None
    return (
        f"RENDERIZADOR={value} no vale: se espera {', '.join(RENDERER_CHOICES)} "
        "(o nada: el fijado; CHROMIUM_PATH=/ruta para otro ejecutable)"
    )


def check_chromium_path(value: str) -> str | None:
    path = Path(value)
    if path.is_file() and os.access(path, os.X_OK):
        return None
    what = "no es ejecutable" if path.is_file() else "no existe"
    return f"CHROMIUM_PATH={value} {what}: se espera la ruta de un ejecutable de Chromium (p. ej. /usr/bin/chromium)"


def check_port(value: str) -> str | None:
    if value.isdigit() and 1 <= int(value) <= 65535:
        return None
    return f"PORT={value} no vale: se espera un número de puerto de 1 a 65535 (p. ej. PORT=8000)"


def check_pytest_args(value: str, root: Path = ROOT) -> str | None:
    try:
        words = shlex.split(value)
    except ValueError as error:
        return (
            f"PYTEST_ARGS={value} no se puede leer ({error}): se esperan argumentos de pytest entre comillas cerradas"
        )
    for word in words:
        if word.startswith("-") or "://" in word or not _TEST_PATH.search(word):
            continue
        path = Path(word.split("::", 1)[0])
        if not (path if path.is_absolute() else root / path).exists():
            return (
                f"PYTEST_ARGS nombra {word}, que no existe: se espera un archivo o carpeta de pruebas "
                "(p. ej. PYTEST_ARGS=tests/test_domain.py)"
            )
    return None


# The settings in the order a person meets them; an empty value is the default and always valid.
CHECKS: dict[str, Callable[[str], str | None]] = {
    "SHARD": check_shard,
    "WORKERS": check_workers,
    "FIGURA": check_figure,
    "RENDERIZADOR": check_renderer,
    "CHROMIUM_PATH": check_chromium_path,
    "PORT": check_port,
    "PYTEST_ARGS": check_pytest_args,
}


def problems(environment: Mapping[str, str]) -> list[str]:
    """One Spanish line per bad setting in ``environment`` (empty when all are good)."""
    found = []
    for name, check in CHECKS.items():
        value = environment.get(name, "")
        if value.strip():
            message = check(value.strip())
            if message:
                found.append(message)
    return found


def main(argv: list[str] | None = None) -> int:
    """Exit 2 with a line per bad setting on stderr, before the target writes anything."""
    if argv:
        print("uso: python3 -m tutorial.ci.settings (lee los ajustes del entorno que exporta make)", file=sys.stderr)
        return 2
    found = problems(os.environ)
    for line in found:
        print(line, file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
