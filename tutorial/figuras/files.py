"""Files the figure tooling writes and where the committed figures live: one writer that another
pytest-xdist worker never sees half-done, the folder of a set of figures by its scale, and the
one meaning of ``--reportes`` that every ``tutorial`` subcommand shares."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

FIGURES_REPORT = "figures"  # the figures' report inside a run's reports folder: reports/figures/


def reports_option() -> argparse.ArgumentParser:
    """The parent parser of every ``tutorial`` subcommand that reads or writes a run's reports:
    ``--reportes`` is the run's reports folder, as pytest's own ``--reportes`` and make's
    ``REPORTS`` (the figures' report is :data:`FIGURES_REPORT` inside it), never a folder within."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--reportes",
        type=Path,
        default=Path("reports"),
        metavar="CARPETA",
        help="carpeta de reportes de la corrida, como la de make (por omisión: reports)",
    )
    return parent


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader (another worker) never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def figures_folder(screenshots_dir: Path, scale: int) -> Path:
    """``screenshots/`` for 1x figures, ``screenshots/2x/`` for the high-density set."""
    return screenshots_dir if scale == 1 else screenshots_dir / f"{scale}x"
