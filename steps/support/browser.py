"""Finding a Chromium for Playwright, and knowing which renderer made the committed figures.

`python -m steps.support.browser` is the set-up step of the Makefile: when the renderer
recorded beside the figures (``screenshots/figuras.json``) is on this machine it is used and
nothing is downloaded; otherwise it tries `playwright install chromium`, falls back to a
system Chromium, installs Debian's package when running as root with apt-get, and otherwise
says exactly what to run.

A renderer is identified without starting a browser, so the run can say at its start whether
the figures will be compared across renderers: its version is what the executable answers to
``--version`` (the string a package, a container or a wrapper script declares; Playwright's
``browser.version`` reads the same number from the engine, but only once a browser runs, and a
remote browser is identified by that alone), its flavour is where it comes from (a system
package, Playwright's Chromium, Playwright's headless shell, a remote server), plus the
platform, the device scale factor and the SHA-256 of the fonts the site ships.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SYSTEM_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
# Without these, Chromium keeps trying to reach Google's servers (refused on closed networks).
QUIET_FLAGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
# Same pixels on every run and machine: no font hinting differences, no LCD text, sRGB.
# --disable-partial-raster: Chromium re-rasterizes a whole tile, not only the damaged part of it.
# With partial raster, the rounded corner of Figura 8's open "Aspel" folder came out 1/255 apart
# from run to run, depending on which redraws reached the tile first (about 1 run in 4 under load).
DETERMINISTIC_FLAGS = [
    "--font-render-hinting=none",
    "--disable-lcd-text",
    "--force-color-profile=srgb",
    "--disable-partial-raster",
]

# What the set-up installs with apt-get; .ci/Dockerfile must install the same (a test checks).
APT_PACKAGES = ("chromium",)
ROOT = Path(__file__).resolve().parents[2]
FONTS_DIR = ROOT / "mock_site" / "static" / "fonts"
RECORD_NAME = "figuras.json"
DEFAULT_RECORD = ROOT / "screenshots" / RECORD_NAME
SYSTEM, PLAYWRIGHT, HEADLESS_SHELL, REMOTE = "sistema", "playwright", "playwright-headless-shell", "remoto"
_FLAVOUR_LABELS = {
    SYSTEM: "Chromium del sistema",
    PLAYWRIGHT: "Chromium de Playwright",
    HEADLESS_SHELL: "headless shell de Playwright",
    REMOTE: "navegador remoto",
}
# Fields that make two renderers the same one; the executable's path and full --version text
# are kept for people, not compared (one package may sit at /usr/bin/chromium or elsewhere).
_IDENTITY = ("browser", "version", "flavour", "platform", "os", "scale", "fonts")
_FIELD_LABELS = {
    "browser": "navegador",
    "version": "versión",
    "flavour": "compilación",
    "platform": "plataforma",
    "os": "sistema operativo",
    "scale": "escala (device scale factor)",
    "fonts": "fuentes del sitio",
}

HOW_TO_GET_ONE = (
    "No se encontró un navegador Chromium para Playwright. Instala uno de estos:\n"
    "  - con internet: .venv/bin/python -m playwright install chromium\n"
    "  - en Debian/Ubuntu: sudo apt-get install -y chromium\n"
    "  - o indica la ruta de un Chromium en la variable CHROMIUM_PATH."
)


def in_a_thread_of_its_own(action: Callable[[], T]) -> T:
    """``action()``, which starts a sync Playwright of its own, run in a new thread. Playwright's
    sync API refuses to start in a thread where another one's event loop runs: pytest-playwright's
    session Playwright, once a scenario ran in this process (with -n, any test may follow one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(action).result()


def _executable_path(browser_name: str) -> Path:
    """Where Playwright keeps its own build of ``browser_name`` (it may not be there)."""
    from playwright.sync_api import sync_playwright

    def ask() -> Path:
        with sync_playwright() as playwright:
            return Path(getattr(playwright, browser_name).executable_path)

    return in_a_thread_of_its_own(ask)


def playwright_chromium() -> Path | None:
    """Playwright's own Chromium (and its headless shell), when `playwright install` put it there."""
    path = _executable_path("chromium")
    return path if path.exists() else None


@dataclass(frozen=True)
class Renderer:
    """The browser build that draws the figures, as recorded in ``screenshots/figuras.json``."""

    browser: str
    version: str
    flavour: str
    platform: str
    os: str
    scale: int
    fonts: dict[str, str] = field(default_factory=dict)
    version_text: str = ""
    executable: str = ""

    def identity(self) -> dict:
        return {name: getattr(self, name) for name in _IDENTITY}

    def label(self) -> str:
        """``Chromium 156.0.8078.108 (Chromium del sistema, /usr/bin/chromium; Debian …; escala 1)``."""
        where = _FLAVOUR_LABELS.get(self.flavour, self.flavour)
        if self.executable:
            where += f", {self.executable}"
        return f"{self.browser.capitalize()} {self.version} ({where}; {self.os}, {self.platform}; escala {self.scale})"

    def differences(self, other: Renderer) -> list[str]:
        """What ``other`` changes, one Spanish line per field (empty: the same renderer)."""
        lines = []
        for name in _IDENTITY:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine == theirs:
                continue
            if name == "fonts":
                changed = sorted(set(mine) ^ set(theirs) | {f for f in set(mine) & set(theirs) if mine[f] != theirs[f]})
                lines.append(f"{_FIELD_LABELS[name]}: distintas ({', '.join(changed)})")
            else:
                lines.append(f"{_FIELD_LABELS[name]}: {mine} → {theirs}")
        return lines


def font_hashes(fonts_dir: Path = FONTS_DIR) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(fonts_dir.glob("*.woff2"))}


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release()["PRETTY_NAME"]
    except (OSError, AttributeError, KeyError):
        return platform.platform(terse=True)


def _platform() -> str:
    return f"{platform.system().lower()}-{platform.machine()}"


def version_of(executable: Path) -> str | None:
    """What ``executable --version`` answers (``Chromium 156.0.8078.108 built on Debian …``)."""
    try:
        done = subprocess.run([str(executable), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = done.stdout.strip().splitlines()
    return text[0].strip() if done.returncode == 0 and text else None


def _version_number(text: str) -> str:
    found = re.search(r"\d+(?:\.\d+)+", text)
    return found.group(0) if found else text


def _flavour(executable: Path, playwright_build: bool, headless: bool) -> str:
    if playwright_build or "ms-playwright" in executable.parts:
        return HEADLESS_SHELL if headless or "headless_shell" in executable.name else PLAYWRIGHT
    return SYSTEM


def local_renderer(executable: Path | None, scale: int, headless: bool = True) -> Renderer | None:
    """The renderer a local launch with ``executable`` (None: Playwright's build) would be.

    None when there is no such executable or it does not answer ``--version``.
    """
    playwright_build = executable is None
    if playwright_build:
        executable = playwright_chromium()
        if executable is None:
            return None
    text = version_of(executable)
    if text is None:
        return None
    return Renderer(
        browser="chromium",
        version=_version_number(text),
        flavour=_flavour(executable, playwright_build, headless),
        platform=_platform(),
        os=_os_name(),
        scale=scale,
        fonts=font_hashes(),
        version_text=text,
        executable=str(executable),
    )


def remote_renderer(browser_version: str, scale: int) -> Renderer:
    """A browser behind ``--browser-server``: only Playwright's ``browser.version`` is known."""
    return Renderer(
        browser="chromium",
        version=browser_version,
        flavour=REMOTE,
        platform="?",
        os="?",
        scale=scale,
        fonts=font_hashes(),
    )


def read_record(path: Path = DEFAULT_RECORD) -> Renderer | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))["renderer"]
    return Renderer(**{name: data[name] for name in Renderer.__dataclass_fields__ if name in data})


def write_record(renderer: Renderer, path: Path = DEFAULT_RECORD) -> None:
    """Write the record beside the figures (stable key order and text, so it diffs well)."""
    data = {
        "nota": "Renderizador que hizo las figuras de esta carpeta; lo escribe `make figures` "
        "(véase README, «Figuras y renderizadores»).",
        "renderer": asdict(renderer),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _recorded_executable(record: Renderer, headless: bool = True) -> Path | None | bool:
    """Where the recorded renderer is on this machine: a path, None for Playwright's own build,
    or False when this machine does not have it."""
    if record.flavour in (PLAYWRIGHT, HEADLESS_SHELL):
        found = local_renderer(None, record.scale, headless)
        return None if found and found.identity() == record.identity() else False
    candidates = [Path(record.executable)] if record.executable else []
    candidates += [Path(p) for p in (shutil.which(n) for n in SYSTEM_CHROMIUM_NAMES) if p]
    candidates += [Path(p) for p in SYSTEM_CHROMIUM_PATHS]
    seen = set()
    for candidate in candidates:
        if candidate in seen or not candidate.exists():
            continue
        seen.add(candidate)
        found = local_renderer(candidate, record.scale, headless)
        if found and found.identity() == record.identity():
            return candidate
    return False


@dataclass(frozen=True)
class RendererCheck:
    """This run's renderer against the one recorded beside the figures it compares with."""

    recorded: Renderer | None
    current: Renderer | None  # None: not identifiable (no executable, no --version answer)
    record_path: Path

    @property
    def differences(self) -> list[str]:
        if self.recorded is None:
            return []
        if self.current is None:
            return ["el navegador de esta ejecución no se pudo identificar (no respondió a --version)"]
        return self.recorded.differences(self.current)

    @property
    def cross(self) -> bool:
        """Compare across renderers: there is a record and this run's renderer is not it."""
        return bool(self.differences)

    def cause(self) -> str:
        """One line for a failing figure: the renderer difference, the likely cause."""
        current = self.current.label() if self.current else "un navegador sin identificar"
        return (
            f"las figuras comprometidas las hizo {self.recorded.label()}; esta ejecución usa {current} "
            f"({'; '.join(self.differences)})."
        )

    def notice(self) -> str | None:
        """What the run says once at its start; None when the recorded renderer is the one in use."""
        shown = _shown(self.record_path)
        if self.recorded is None:
            return (
                f"Figuras: no hay registro del renderizador ({shown}); se comparan como si fuera el mismo. "
                "`make figures` lo escribe."
            )
        if not self.cross:
            return None
        lines = [
            "AVISO: este equipo no usa el renderizador que hizo las figuras comprometidas.",
            f"  registrado ({shown}): {self.recorded.label()}",
            f"  en uso: {self.current.label() if self.current else 'sin identificar'}",
            *(f"  diferencia: {line}" for line in self.differences),
            "  Las figuras se comparan con la tolerancia entre renderizadores (figure_cross_* en pyproject.toml) "
            "y cada resultado se marca «comparada entre renderizadores».",
            "  Veredicto exacto: `make test-contenedor` (el renderizador registrado en un contenedor).",
        ]
        return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def check_renderer(record_path: Path, current: Renderer | None) -> RendererCheck:
    return RendererCheck(read_record(record_path), current, record_path)


def system_chromium() -> Path | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return Path(explicit) if Path(explicit).exists() else None
    for name in SYSTEM_CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((Path(p) for p in SYSTEM_CHROMIUM_PATHS if Path(p).exists()), None)


def launch_executable(record_path: Path = DEFAULT_RECORD) -> Path | None:
    """The executable to give Playwright, or None to let it use its own build.

    ``CHROMIUM_PATH`` wins; then the renderer recorded beside the figures, when this machine has
    it (even if Playwright's own build is there too); then Playwright's build; then a system one.
    """
    if os.environ.get("CHROMIUM_PATH"):
        return system_chromium()
    record = read_record(record_path)
    if record is not None:
        recorded = _recorded_executable(record)
        if recorded is not False:
            return recorded
    return None if playwright_chromium() else system_chromium()


def require_playwright_build(browser_name: str) -> None:
    """Firefox and WebKit exist only as Playwright's own builds: say so plainly when missing."""
    path = _executable_path(browser_name)
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
    record = read_record()
    recorded = _recorded_executable(record) if record and not os.environ.get("CHROMIUM_PATH") else False
    if os.environ.get("CHROMIUM_PATH"):
        found = system_chromium()
    elif recorded is not False:
        print(f"Se usará el renderizador registrado en screenshots/{RECORD_NAME}: {record.label()}")
        return 0
    elif _try([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600) and playwright_chromium():
        print("Chromium de Playwright listo.")
        return 0
    else:
        print("La descarga de Playwright no está disponible; se busca un Chromium del sistema.")
        found = system_chromium()
        if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
            print("Instalando el paquete chromium de Debian (apt-get)...", flush=True)
            if _try(["apt-get", "update", "-qq"], timeout=900):
                _try(["apt-get", "install", "-y", "-qq", *APT_PACKAGES], timeout=1800)
            found = system_chromium()
    if found is None:
        print(HOW_TO_GET_ONE, file=sys.stderr)
        return 1
    print(f"Se usará el Chromium del sistema: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(ensure())
