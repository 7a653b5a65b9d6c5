"""Keeping what a browser downloads, whether Playwright launched it here or drives it remotely.

``Download.path()`` exists only for a local browser; through a browser server (``playwright
run-server``) it raises "Path is not available when connecting remotely". ``save_as()`` works
with both: Playwright streams the file from the browser's machine into the folder given here,
the scenario's own temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Download


@dataclass(frozen=True)
class SavedDownload:
    """A finished download, copied to this machine."""

    name: str
    path: Path

    @property
    def content(self) -> bytes:
        return self.path.read_bytes()


def save_download(download: Download, folder: Path) -> SavedDownload:
    """Wait for ``download`` to finish and save it in ``folder`` under its suggested name.

    Fails with the browser's reason when the download failed. A second download with the same
    name in the same folder gets a numbered name, so nothing already kept is overwritten.
    """
    failure = download.failure()
    if failure is not None:
        raise AssertionError(f"La descarga falló: {failure}")
    name = download.suggested_filename
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, Path(name).name or "descarga")
    download.save_as(target)
    return SavedDownload(name=name, path=target)


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{Path(name).stem} ({number}){Path(name).suffix}"
    return target
