"""Finding a Chromium for Playwright: its own build first, else a system one.

`python -m steps.support.browser` is the set-up step of the Makefile: it tries
`playwright install chromium`, falls back to a system Chromium, installs Debian's package when
running as root with apt-get, and otherwise says exactly what to run.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
# Without these, Chromium keeps trying to reach Google's servers (refused on closed networks).
QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
# Same pixels on every run and machine: no font hinting differences, no LCD text, sRGB.
DETERMINISTIC_FLAGS = ["--font-render-hinting=none", "--disable-lcd-text", "--force-color-profile=srgb"]

HOW_TO_GET_ONE = (
    "No se encontró un navegador Chromium para Playwright. Instala uno de estos:\n"
    "  - con internet: .venv/bin/python -m playwright install chromium\n"
    "  - en Debian/Ubuntu: sudo apt-get install -y chromium\n"
    "  - o indica la ruta de un Chromium en la variable CHROMIUM_PATH."
)


def playwright_chromium() -> Path | None:
    """Playwright's own Chromium (and its headless shell), when `playwright install` put it there."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return path if path.exists() else None


def system_chromium() -> Path | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return Path(explicit) if Path(explicit).exists() else None
    for name in SYSTEM_CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((Path(p) for p in SYSTEM_CHROMIUM_PATHS if Path(p).exists()), None)


def launch_executable() -> Path | None:
    """The executable to give Playwright, or None to let it use its own build."""
    if os.environ.get("CHROMIUM_PATH"):
        return system_chromium()
    return None if playwright_chromium() else system_chromium()


def require_playwright_build(browser_name: str) -> None:
    """Firefox and WebKit exist only as Playwright's own builds: say so plainly when missing."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = Path(getattr(playwright, browser_name).executable_path)
    if not path.exists():
        raise RuntimeError(
            f"No está instalado el {browser_name} de Playwright ({path}). En este equipo sólo hay "
            f"Chromium del sistema; instala {browser_name} con "
            f"`.venv/bin/python -m playwright install {browser_name}` o usa --browser chromium."
        )


def launch_args(executable: Path | None) -> list[str]:
    args = QUIET_FLAGS + DETERMINISTIC_FLAGS
    if executable is not None:  # a system Chromium, often run as root in containers
        args = ["--no-sandbox", *args]
    return args


def _try(command: list[str], timeout: int) -> bool:
    print("$", " ".join(command), flush=True)
    try:
        return subprocess.run(command, timeout=timeout).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def ensure() -> int:
    """Make sure a Chromium exists; 0 when one does, 1 with instructions when none can be had."""
    if os.environ.get("CHROMIUM_PATH"):
        found = system_chromium()
    elif _try([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600) and playwright_chromium():
        print("Chromium de Playwright listo.")
        return 0
    else:
        print("La descarga de Playwright no está disponible; se busca un Chromium del sistema.")
        found = system_chromium()
        if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
            print("Instalando el paquete chromium de Debian (apt-get)...", flush=True)
            if _try(["apt-get", "update", "-qq"], timeout=900):
                _try(["apt-get", "install", "-y", "-qq", "chromium"], timeout=1800)
            found = system_chromium()
    if found is None:
        print(HOW_TO_GET_ONE, file=sys.stderr)
        return 1
    print(f"Se usará el Chromium del sistema: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(ensure())
