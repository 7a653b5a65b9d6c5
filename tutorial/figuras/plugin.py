"""The figures' pytest plugin (loaded from ``conftest.py``): the options and ``pyproject.toml``
keys that shape a figure, the renderer check said once per run, the record written with the
figures, the figures' section of the run summary, and the browser every scenario is drawn in.

The settings are read once per run into :class:`FigureSettings`; the ``camera`` of each scenario
is built from them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from tutorial.figuras import pinned_chromium, reconfirm
from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import Camera, record_path
from tutorial.figuras.comparison import CrossRendererTolerance, Tolerance
from tutorial.figuras.report import FigureReport, recorded_comparisons, write_html_from_dir

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 800}
# make figuras RENDERIZADOR_NUEVO=1 hands the figures to another renderer (RENDERER=nuevo, its old name, too).
NEW_RENDERER_VARIABLE = "RENDERIZADOR_NUEVO"


def new_renderer_from_environment() -> bool:
    return bool(os.environ.get(NEW_RENDERER_VARIABLE)) or os.environ.get("RENDERER") == "nuevo"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutorial", "Tutorial de Aspel")
    group.addoption(
        "--actualizar-figuras",
        "--update-figures",
        dest="update_figures",
        action="store_true",
        help="reescribe en screenshots/ las figuras nuevas o que cambiaron (make figuras)",
    )
    group.addoption(
        "--escala-figuras",
        "--figure-scale",
        dest="figure_scale",
        type=int,
        choices=(1, 2),
        default=1,
        help="escala de las figuras; 2 escribe un juego en screenshots/2x/",
    )
    group.addoption(
        "--reportes",
        "--reports",
        dest="reports",
        default=str(ROOT / "reports"),
        help="carpeta de reportes (figuras, JUnit, cucumber); no la borra pytest-playwright",
    )
    group.addoption(
        "--servidor-navegador",
        "--browser-server",
        dest="browser_server",
        default=os.environ.get("PLAYWRIGHT_SERVER"),
        help="ws:// de un servidor de Playwright (playwright run-server --unsafe) en lugar de "
        "lanzar un navegador local; también PLAYWRIGHT_SERVER",
    )
    group.addoption(
        "--carpeta-figuras",
        "--figures-dir",
        dest="figures_dir",
        default=str(ROOT / "screenshots"),
        help="carpeta de las figuras comprometidas y de su registro figuras.json",
    )
    group.addoption(
        "--renderizador-nuevo",
        action="store_true",
        default=new_renderer_from_environment(),
        help="con --actualizar-figuras en otro renderizador: reescribe todas las figuras y su "
        f"registro (make figuras {NEW_RENDERER_VARIABLE}=1)",
    )
    _add_tolerance_settings(parser)


def _add_tolerance_settings(parser: pytest.Parser) -> None:
    """The comparison's ``pyproject.toml`` keys. The shipped values are the dataclasses' defaults
    (comparison.py); pyproject.toml may override them."""
    strict, cross = Tolerance(), CrossRendererTolerance()
    parser.addini("figure_threshold", "umbral por píxel de pixelmatch (0 a 1)", default=str(strict.threshold))
    parser.addini("figure_max_diff_ratio", "proporción máxima de píxeles distintos", default=str(strict.max_diff_ratio))
    parser.addini(
        "figure_cross_radius", "entre renderizadores: radio de la vecindad, en píxeles", default=str(cross.radius)
    )
    parser.addini(
        "figure_cross_channel_tolerance",
        "entre renderizadores: margen por canal (0 a 255) sobre el rango de la vecindad",
        default=str(cross.channel_tolerance),
    )
    parser.addini(
        "figure_cross_max_diff_pixels",
        "entre renderizadores: píxeles distintos permitidos",
        default=str(cross.max_diff_pixels),
    )


@dataclass(frozen=True)
class FigureSettings:
    """What a run asks of its figures, from its options and ``pyproject.toml`` keys."""

    screenshots_dir: Path
    reports_dir: Path
    tolerance: Tolerance
    cross_tolerance: CrossRendererTolerance
    update: bool
    scale: int
    new_renderer: bool

    @classmethod
    def from_config(cls, config: pytest.Config) -> FigureSettings:
        return cls(
            screenshots_dir=Path(config.getoption("--carpeta-figuras")),
            reports_dir=Path(config.getoption("--reportes")),
            tolerance=Tolerance(
                threshold=float(config.getini("figure_threshold")),
                max_diff_ratio=float(config.getini("figure_max_diff_ratio")),
            ),
            cross_tolerance=CrossRendererTolerance(
                radius=int(config.getini("figure_cross_radius")),
                channel_tolerance=int(config.getini("figure_cross_channel_tolerance")),
                max_diff_pixels=int(config.getini("figure_cross_max_diff_pixels")),
            ),
            update=config.getoption("--actualizar-figuras"),
            scale=config.getoption("--escala-figuras"),
            new_renderer=config.getoption("--renderizador-nuevo"),
        )

    @property
    def figures_dir(self) -> Path:
        """Where the run's figure report goes (``reports/figures``)."""
        return self.reports_dir / "figures"

    @property
    def record(self) -> Path:
        """The renderer record of this scale's figure set (``screenshots/figuras.json``)."""
        return record_path(self.screenshots_dir, self.scale)

    def camera(self, renderer: chromium.RendererCheck) -> Camera:
        """A scenario's camera, for the renderer that draws it."""
        return Camera(
            screenshots_dir=self.screenshots_dir,
            report=FigureReport(self.figures_dir, renderer=asdict(renderer.current) if renderer.current else None),
            tolerance=self.tolerance,
            update=self.update,
            scale=self.scale,
            renderer=renderer,
            cross_tolerance=self.cross_tolerance,
            new_renderer=self.new_renderer,
        )


_SETTINGS = pytest.StashKey[FigureSettings]()
_EXECUTABLE = pytest.StashKey[Path | None]()
_RENDERER = pytest.StashKey[chromium.RendererCheck]()
_RECORD_NOTE = pytest.StashKey[str]()
_RECONFIRMED = pytest.StashKey[list[str]]()


def figure_settings_of(config: pytest.Config) -> FigureSettings:
    if _SETTINGS not in config.stash:
        config.stash[_SETTINGS] = FigureSettings.from_config(config)
    return config.stash[_SETTINGS]


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """A run starts its figure report afresh. A collection (``--collect-only``, which the tier and
    shard checks start while ``make pruebas`` runs) runs nothing, so it leaves the report alone:
    clearing it there lost the figures other workers had recorded."""
    if config.option.collectonly:
        return
    figures = figure_settings_of(config).figures_dir
    if _is_controller(config):
        shutil.rmtree(figures, ignore_errors=True)
    figures.mkdir(parents=True, exist_ok=True)


def _executable(config: pytest.Config) -> Path | None:
    """The Chromium this process launches (the pinned build unless RENDERIZADOR/CHROMIUM_PATH say
    otherwise), found once."""
    if _EXECUTABLE not in config.stash:
        try:
            config.stash[_EXECUTABLE] = chromium.launch_executable()
        except chromium.RendererUnavailable as error:
            raise pytest.UsageError(str(error)) from None
    return config.stash[_EXECUTABLE]


def _renderer_check(config: pytest.Config) -> chromium.RendererCheck:
    """This run's local renderer against the record; the same answer in the controller and workers."""
    if _RENDERER not in config.stash:
        current = chromium.local_renderer(
            _executable(config), config.getoption("--escala-figuras"), headless=not config.getoption("--headed")
        )
        config.stash[_RENDERER] = chromium.check_renderer(figure_settings_of(config).record, current)
    return config.stash[_RENDERER]


def _runs_figures(config: pytest.Config) -> bool:
    """Whether this run collects the scenarios (where figures are), judged from its arguments."""
    if config.getoption("--actualizar-figuras"):
        return True
    features = (ROOT / "features").resolve()
    for arg in config.args:
        path = Path(arg.split("::")[0])
        path = (path if path.is_absolute() else Path(config.invocation_params.dir) / path).resolve()
        if path == features or features in path.parents or path in features.parents:
            return True
    return False


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Say once, before any figure, whether the figures are compared across renderers (on another
    renderer `make figuras` keeps each figure within the cross tolerance and refuses, naming it,
    to overwrite one that really changed, unless RENDERIZADOR_NUEVO=1)."""
    config = session.config
    if config.getoption("--servidor-navegador") or not _runs_figures(config):
        return
    check = _renderer_check(config)  # in workers too: identified once, before any scenario
    if not _is_controller(config) or config.getoption("trazas_de", None):  # the trace re-run: said once before
        return
    notice = check.notice()
    if notice is None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(notice, yellow=True, bold=check.cross)
    FigureReport(figure_settings_of(config).figures_dir).note_renderer(notice)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A check on another renderer whose figures failed shoots them again with the recorded one,
    when it is the pinned build and installed here (:mod:`.reconfirm`): which changed, page or renderer.

    `make figuras` writes the renderer record with the figures: when there was none, or when
    RENDERIZADOR_NUEVO=1 handed the figures to this renderer, and only if every committed figure
    of the set was shot in this run (a partial run would leave a record that lies about the rest)."""
    config = session.config
    if not _is_controller(config) or _RENDERER not in config.stash:
        return
    if not config.getoption("--actualizar-figuras"):
        _reconfirm(config)
        return
    check = config.stash[_RENDERER]
    handed_over = check.cross and config.getoption("--renderizador-nuevo")
    if check.current is None or (check.recorded is not None and not handed_over):
        return
    path = figure_settings_of(config).record
    shot = {c.name for c in recorded_comparisons(figure_settings_of(config).figures_dir)}
    committed = {figure.stem for figure in path.parent.glob("figura-*.png")}
    if not shot:
        return
    if not committed <= shot:
        config.stash[_RECORD_NOTE] = (
            f"No se escribió {path.name}: esta ejecución sólo tomó {len(shot & committed)} de "
            f"{len(committed)} figuras; el registro se escribe cuando se reescriben todas."
        )
        return
    chromium.write_record(check.current, path)
    config.stash[_RECORD_NOTE] = f"Registro del renderizador escrito: {path} ({check.current.label()})"


def _reconfirm(config: pytest.Config) -> None:
    settings, check = figure_settings_of(config), config.stash[_RENDERER]
    if config.getoption("trazas_de", None):  # make pruebas' trace re-run: the first run reconfirmed them
        return
    if not reconfirm.should_reconfirm(check, settings.figures_dir, pinned_chromium.pinned()):
        return
    assert check.recorded is not None  # should_reconfirm: the pinned build made the figures
    workers = str(getattr(config.option, "numprocesses", None) or "auto")
    names = reconfirm.failed_across(settings.figures_dir)
    config.stash[_RECONFIRMED] = reconfirm.reconfirm(names, settings.reports_dir, check.recorded, workers=workers)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """The figures' section: a line per figure, the record written, the HTML report's path."""
    if not _is_controller(config):
        return
    figures_dir = figure_settings_of(config).figures_dir
    comparisons = recorded_comparisons(figures_dir)
    if not comparisons:
        return
    terminalreporter.section("Figuras")
    across = [c for c in comparisons if c.cross_renderer]
    if across:
        terminalreporter.write_line(
            f"{len(across)} de {len(comparisons)} figuras comparadas entre renderizadores (véase el aviso del inicio).",
            yellow=True,
        )
    for comparison in comparisons:
        terminalreporter.write_line(comparison.describe())
    if _RECORD_NOTE in config.stash:
        terminalreporter.write_line(config.stash[_RECORD_NOTE])
    if _RECONFIRMED in config.stash:
        output = reconfirm.output_of(figure_settings_of(config).reports_dir)
        terminalreporter.write_line(
            f"Las que fallaron, otra vez con el renderizador registrado (su corrida: {output}):", bold=True
        )
        for line in config.stash[_RECONFIRMED]:
            terminalreporter.write_line(f"  {line}")
    html_report = write_html_from_dir(figures_dir)
    if html_report:
        terminalreporter.write_line(f"Reporte de figuras: {html_report}")


# --- the browser every scenario is drawn in ----------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str, pytestconfig) -> dict:
    remote = bool(pytestconfig.getoption("--servidor-navegador"))
    if browser_name != "chromium":
        chromium.require_playwright_build(browser_name)
        return browser_type_launch_args
    executable = _executable(pytestconfig)
    if pytestconfig.getoption("--headed") and not remote and chromium.is_pinned(executable):
        raise pytest.UsageError(
            "El renderizador fijado sólo dibuja sin ventana (headless); para --headed usa "
            "RENDERIZADOR=sistema o RENDERIZADOR=playwright."
        )
    args = {**browser_type_launch_args, "args": chromium.launch_args(executable)}
    if not remote and (ignored := chromium.ignored_default_args()):  # a server's /dev/shm is not ours to know
        args["ignore_default_args"] = ignored
    if executable:
        # A browser server reads its launch options in camelCase (and only with --unsafe).
        args["executablePath" if remote else "executable_path"] = str(executable)
    return args


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict | None:
    endpoint = pytestconfig.getoption("--servidor-navegador")
    return {"endpoint": endpoint} if endpoint else None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, pytestconfig: pytest.Config) -> dict:
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "device_scale_factor": pytestconfig.getoption("--escala-figuras"),
        "locale": "es-MX",
        "timezone_id": "America/Mexico_City",
        "reduced_motion": "reduce",
        "accept_downloads": True,
    }


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def figure_settings(pytestconfig: pytest.Config) -> FigureSettings:
    return figure_settings_of(pytestconfig)


@pytest.fixture(scope="session")
def figure_renderer(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> chromium.RendererCheck:
    """This worker's renderer against the record. A remote browser is only known once connected
    (Playwright's browser.version), so it is compared across renderers."""
    if pytestconfig.getoption("--servidor-navegador"):
        version = request.getfixturevalue("browser").version
        remote = chromium.remote_renderer(version, pytestconfig.getoption("--escala-figuras"))
        return chromium.check_renderer(figure_settings_of(pytestconfig).record, remote)
    return _renderer_check(pytestconfig)


@pytest.fixture
def camera(figure_settings: FigureSettings, figure_renderer: chromium.RendererCheck) -> Camera:
    return figure_settings.camera(figure_renderer)
