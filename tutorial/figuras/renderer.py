"""Which Chromium draws the figures, and knowing which renderer made the committed ones.

The renderer is a dependency pinned by version like any other: by default the figures are drawn
by the build of ``tutorial/figuras/pinned_chromium.py`` (an exact Chromium from the npm registry,
checked by SHA-256, installed into ``.venv/renderizador/``), so every machine draws the same
pixels whatever its system Chromium. One switch chooses another renderer, explicitly:
``RENDERIZADOR=sistema`` (Debian's ``chromium`` or another on PATH), ``RENDERIZADOR=playwright``
(Playwright's own download) or ``CHROMIUM_PATH=/ruta`` (any executable). Their figures are
compared with the committed ones across renderers (``figure_cross_*``).

`tutorial navegador` is the set-up step of the Makefile: it installs the chosen
renderer (the pinned one by default) and otherwise says exactly what to run.

A renderer is identified without starting a browser, so the run can say at its start whether
the figures will be compared across renderers: its version is what the executable answers to
``--version`` (Playwright's ``browser.version`` reads the same number, but only once a browser
runs, and a remote browser is identified by that alone), its flavour is where it comes from
(the pinned package, a system package, Playwright's Chromium or headless shell, a remote
server), plus the platform, the device scale factor, the SHA-256 of the fonts the site ships
and, for the pinned build, the package and the SHA-256 of its bytes.
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

from tutorial.figuras import chromium_features, pinned_chromium

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

# What the set-up installs with apt-get for RENDERIZADOR=sistema.
APT_PACKAGES = ("chromium",)
ROOT = Path(__file__).resolve().parents[2]
FONTS_DIR = ROOT / "mock_site" / "static" / "fonts"
RECORD_NAME = "figuras.json"
DEFAULT_RECORD = ROOT / "screenshots" / RECORD_NAME
PINNED, SYSTEM, PLAYWRIGHT, HEADLESS_SHELL, REMOTE = (
    "fijado",
    "sistema",
    "playwright",
    "playwright-headless-shell",
    "remoto",
)
# RENDERIZADOR=...: the renderer a run uses. CHROMIUM_PATH (an executable) overrides it.
CHOICE_VARIABLE = "RENDERIZADOR"
CHOICES = (PINNED, SYSTEM, PLAYWRIGHT)
_FLAVOUR_LABELS = {
    PINNED: f"Chromium fijado, {pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}",
    SYSTEM: "Chromium del sistema",
    PLAYWRIGHT: "Chromium de Playwright",
    HEADLESS_SHELL: "headless shell de Playwright",
    REMOTE: "navegador remoto",
}
# Fields that make two renderers the same one; the executable's path and full --version text
# are kept for people, not compared (one package may sit at /usr/bin/chromium or elsewhere).
# The pinned build brings its own libraries and fonts (only glibc is the machine's), so for it
# the operating system is not part of the identity: its bytes are.
_IDENTITY = ("browser", "version", "flavour", "platform", "os", "scale", "fonts", "package", "sha256")
_NOT_PINNED_IDENTITY = ("os",)
_FIELD_LABELS = {
    "package": "paquete",
    "sha256": "SHA-256 del ejecutable",
    "browser": "navegador",
    "version": "versión",
    "flavour": "compilación",
    "platform": "plataforma",
    "os": "sistema operativo",
    "scale": "escala (device scale factor)",
    "fonts": "fuentes del sitio",
}

HOW_TO_GET_ONE = (
    "RENDERIZADOR=sistema: no se encontró un Chromium del sistema. Instala uno de estos:\n"
    "  - en Debian/Ubuntu: sudo apt-get install -y chromium\n"
    "  - o indica la ruta de un Chromium en la variable CHROMIUM_PATH;\n"
    "  - o deja RENDERIZADOR sin poner: el renderizador fijado se instala con `make preparar`."
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
    package: str = ""  # the pinned build: "@sparticuz/chromium@153.0.0"
    sha256: str = ""  # the pinned build: SHA-256 of the executable's bytes

    def _compared(self, other: Renderer | None = None) -> tuple[str, ...]:
        pinned_both = self.flavour == PINNED and (other is None or other.flavour == PINNED)
        return tuple(n for n in _IDENTITY if not (pinned_both and n in _NOT_PINNED_IDENTITY))

    def label(self) -> str:
        """``Chromium 156.0.8078.108 (Chromium del sistema, /usr/bin/chromium; Debian …; escala 1)``."""
        where = _FLAVOUR_LABELS.get(self.flavour, self.flavour)
        if self.executable:
            where += f", {self.executable}"
        return f"{self.browser.capitalize()} {self.version} ({where}; {self.os}, {self.platform}; escala {self.scale})"

    def differences(self, other: Renderer) -> list[str]:
        """What ``other`` changes, one Spanish line per field (empty: the same renderer)."""
        lines = []
        for name in self._compared(other):
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


def is_pinned(executable: Path | None) -> bool:
    """Whether ``executable`` is the pinned build installed by the set-up."""
    where = pinned_chromium.pinned()
    return executable is not None and where.installed() and executable.resolve() == where.executable.resolve()


def _flavour(executable: Path, playwright_build: bool, headless: bool) -> str:
    if not playwright_build and is_pinned(executable):
        return PINNED
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
    assert executable is not None  # given, or Playwright's found above
    text = version_of(executable)
    if text is None:
        return None
    flavour = _flavour(executable, playwright_build, headless)
    return Renderer(
        browser="chromium",
        version=_version_number(text),
        flavour=flavour,
        platform=_platform(),
        os=_os_name(),
        scale=scale,
        fonts=font_hashes(),
        version_text=text,
        executable=_shown_executable(executable) if flavour == PINNED else str(executable),
        package=f"{pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}" if flavour == PINNED else "",
        sha256=pinned_chromium.BINARY_SHA256 if flavour == PINNED else "",
    )


def _shown_executable(executable: Path) -> str:
    """The pinned build's path relative to the project (the record is the same on every clone)."""
    try:
        return executable.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(executable)


def remote_renderer(browser_version: str, scale: int) -> Renderer:
    """A browser behind ``--servidor-navegador``: only Playwright's ``browser.version`` is known."""
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


def write_record(renderer: Renderer, path: Path = DEFAULT_RECORD) -> bool:
    """Write the record beside the figures (stable key order and text, so it diffs well); whether it
    was written. A record that already names ``renderer`` is left as it is, byte for byte, and a
    rewritten one keeps its other keys (its note among them) as they were."""
    data = {
        "nota": "Renderizador que hizo las figuras de esta carpeta; lo escribe `make figuras` "
        "(véase docs/guia/figuras.md, «Figuras y renderizadores»).",
        "renderer": asdict(renderer),
    }
    if path.exists():
        existing = json.loads(path.read_text(encoding="utf-8"))
        if existing.get("renderer") == data["renderer"]:
            return False
        data = {**existing, "renderer": data["renderer"]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return True


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
        assert self.recorded is not None  # asked only when self.cross, which needs a record
        current = self.current.label() if self.current else "un navegador sin identificar"
        return (
            f"las figuras comprometidas las hizo {self.recorded.label()}; esta ejecución usa {current} "
            f"({'; '.join(self.differences)})."
        )

    def exact_verdict(self) -> str:
        """How to run with the recorded renderer again."""
        if self.recorded is not None and self.recorded.flavour == PINNED:
            return (
                f"el renderizador fijado ({self.recorded.package}), sin {CHOICE_VARIABLE} ni CHROMIUM_PATH "
                "(`make preparar` lo instala)."
            )
        return "`make pruebas-contenedor` (el renderizador registrado en un contenedor)."

    def notice(self) -> str | None:
        """What the run says once at its start; None when the recorded renderer is the one in use."""
        shown = _shown(self.record_path)
        if self.recorded is None:
            return (
                f"Figuras: no hay registro del renderizador ({shown}); se comparan como si fuera el mismo. "
                "`make figuras` lo escribe."
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
            "  Veredicto exacto: " + self.exact_verdict(),
        ]
        return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def check_renderer(record_path: Path, current: Renderer | None) -> RendererCheck:
    return RendererCheck(read_record(record_path), current, record_path)


def choice() -> str:
    """The renderer this run is asked for: RENDERIZADOR (default: the pinned build)."""
    chosen = os.environ.get(CHOICE_VARIABLE, "").strip().lower() or PINNED
    if chosen not in CHOICES:
        raise RendererUnavailable(
            f"{CHOICE_VARIABLE}={chosen} no es un renderizador conocido; usa uno de: {', '.join(CHOICES)} "
            "(o CHROMIUM_PATH=/ruta/a/chromium)."
        )
    return chosen


class RendererUnavailable(RuntimeError):
    """The chosen renderer is not on this machine; the message says what to run, in Spanish."""


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
    """The executable to give Playwright, or None to let it use its own build.

    ``CHROMIUM_PATH`` wins; otherwise RENDERIZADOR: the pinned build (default), a system
    Chromium, or Playwright's own. Raises :class:`RendererUnavailable` when it is not installed.
    """
    if os.environ.get("CHROMIUM_PATH"):
        found = system_chromium()
        if found is None:
            raise RendererUnavailable(f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']} no existe.")
        return found
    chosen = choice()
    if chosen == PINNED:
        where = pinned_chromium.pinned()
        if not where.installed():
            raise RendererUnavailable(
                f"El renderizador fijado ({pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}) no está "
                f"instalado en {where.folder}: corre `make preparar` (o .venv/bin/tutorial navegador)."
            )
        return where.executable
    if chosen == SYSTEM:
        found = system_chromium()
        if found is None:
            raise RendererUnavailable(HOW_TO_GET_ONE)
        return found
    if playwright_chromium() is None:
        raise RendererUnavailable(
            "RENDERIZADOR=playwright: el Chromium de Playwright no está instalado "
            "(.venv/bin/python -m playwright install chromium)."
        )
    return None


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
    args = [*QUIET_FLAGS, *DETERMINISTIC_FLAGS, *chromium_features.disable_features_args()]
    if executable is not None:  # a system Chromium, often run as root in containers
        args = ["--no-sandbox", *args]
    return args


# Playwright starts Chromium with --disable-dev-shm-usage: Docker gives a container a 64 MB
# /dev/shm, too small for Chromium's shared memory, so the flag moves it to files in /tmp. Where
# /tmp is a disk, those files cost Chromium system time on every page (the 85 scenarios, one
# worker: Chromium's CPU 8-19 % less with /dev/shm, the renderer's system time 10.0 → 6.7 s).
# So where /dev/shm has room to spare it is used, as Chromium does by default; the pixels are the same.
SHARED_MEMORY = Path("/dev/shm")
SHARED_MEMORY_TO_SPARE = 1 << 30  # bytes free; make pruebas' three browsers used 77 MB of it at most


def ignored_default_args() -> list[str]:
    """Playwright's default Chromium flags to leave out here (``ignore_default_args``): its
    ``--disable-features``, which :func:`launch_args` carries with ours (chromium_features.py), and
    ``--disable-dev-shm-usage`` where /dev/shm has room."""
    ignored = list(chromium_features.playwrights_switch())
    try:
        free = shutil.disk_usage(SHARED_MEMORY).free
    except OSError:  # no /dev/shm (not Linux)
        return ignored
    return [*ignored, "--disable-dev-shm-usage"] if free >= SHARED_MEMORY_TO_SPARE else ignored


def _try(command: list[str], timeout: int) -> bool:
    print("$", " ".join(command), flush=True)
    try:
        return subprocess.run(command, timeout=timeout).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def ensure() -> int:
    """Install the chosen renderer; 0 when it is there, 1 with instructions when it cannot be had.

    The pinned build is installed whatever is chosen: the committed figures are its, and a run on
    another renderer shoots a failing figure again with it to say whether the page or the renderer
    changed (``tutorial reconfirmar``). Without it that run can only say «one of the two»."""
    try:
        chosen = "ruta" if os.environ.get("CHROMIUM_PATH") else choice()
    except RendererUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    try:
        executable = pinned_chromium.install()
    except pinned_chromium.InstallError as error:
        print(error, file=sys.stderr)
        if chosen == PINNED:
            return 1
        print("Sin el renderizador fijado, una figura que falle no podrá decir si cambió la página o el renderizador.")
    else:
        what = "" if chosen == PINNED else ", el registrado: se usa para reconfirmar las figuras que fallen"
        print(f"Renderizador: Chromium fijado {pinned_chromium.BUILD} ({_shown_executable(executable)}){what}.")
    return 0 if chosen == PINNED else _ensure_other(chosen)


def _ensure_other(chosen: str) -> int:
    """The renderer chosen instead of the pinned build: Playwright's download, the system's
    Chromium (installed with apt-get when root), or ``CHROMIUM_PATH``."""
    if chosen == PLAYWRIGHT:
        if _try([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600) and playwright_chromium():
            print("Renderizador: Chromium de Playwright (las figuras se comparan entre renderizadores).")
            return 0
        print("La descarga de Playwright no está disponible aquí; usa el renderizador fijado.", file=sys.stderr)
        return 1
    found = system_chromium()
    if found is None and chosen == SYSTEM and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Instalando el paquete chromium de Debian (apt-get)...", flush=True)
        if _try(["apt-get", "update", "-qq"], timeout=900):
            _try(["apt-get", "install", "-y", "-qq", *APT_PACKAGES], timeout=1800)
        found = system_chromium()
    if found is None and chosen == "ruta":
        print(
            f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']} no existe: da la ruta de un ejecutable de Chromium.",
            file=sys.stderr,
        )
        return 1
    if found is None:
        print(HOW_TO_GET_ONE, file=sys.stderr)
        return 1
    print(f"Renderizador: {found} (las figuras se comparan entre renderizadores).")
    return 0


if __name__ == "__main__":
    sys.exit(ensure())
