"""Files the figure tooling writes and where the committed figures live: one writer that another
pytest-xdist worker never sees half-done, and the folder of a set of figures by its scale."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader (another worker) never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def figures_folder(screenshots_dir: Path, scale: int) -> Path:
    """``screenshots/`` for 1x figures, ``screenshots/2x/`` for the high-density set."""
    return screenshots_dir if scale == 1 else screenshots_dir / f"{scale}x"
