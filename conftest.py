"""Plugin wiring and the fixtures every scenario shares: the mock, the base URL, the browser."""

from __future__ import annotations

import os
import re
import shutil
import zlib
from collections import Counter
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest

from steps.support.figuras import renderer as chromium
from steps.support.figuras.camera import Camera, record_path
from steps.support.figuras.comparison import CrossRendererTolerance, Tolerance
from steps.support.figuras.report import FigureReport, recorded_comparisons, write_html_from_dir
from steps.support.sitio.mock_client import MockControl
from steps.support.sitio.server import running_mock

pytest_plugins = [
    "steps.support.ci.failure_summary",  # first: pytest rewrites its asserts only when it comes first
    "pytester",  # tests/test_tiers.py and tests/test_settings_take_effect.py run pytest in-process
    "steps.support.ci.tiers",
    "steps.support.ci.cucumber_xdist",
    "steps.support.ci.merge_reports",
    "steps.support.documento.walkthrough",
    "steps.support.ci.longest_first",
    "steps.common",
    "steps.home",
    "steps.login",
    "steps.mail",
    "steps.recovery",
    "steps.subscriptions",
    "steps.downloads",
    "steps.desktop",
    "steps.validation",
    "steps.security",
    "steps.informacion",
]
try:  # the optional extra `allure`: attach figures, failure screenshots and traces (--alluredir)
    import allure_pytest_bdd  # noqa: F401
except ImportError:
    pass
else:
    pytest_plugins.append("steps.support.ci.allure_attachments")

ROOT = Path(__file__).parent
VIEWPORT = {"width": 1280, "height": 800}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutorial", "Tutorial de Aspel")
    group.addoption(
        "--actualizar-figuras",
        "--update-figures",
        dest="update_figures",
        action="store_true",
        help="reescribe en screenshots/ las figuras nuevas o que cambiaron (make figures)",
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
        default=os.environ.get("RENDERER") == "nuevo",
        help="con --actualizar-figuras en otro renderizador: reescribe todas las figuras y su "
        "registro (make figures RENDERER=nuevo)",
    )
    group.addoption(
        "--destructivo",
        action="store_true",
        help="en un sitio sin API de control, corre también los escenarios @destructivo, que "
        "cambian la cuenta de prueba para siempre (aceptan la actualización de su serie)",
    )
    # The shipped values are the dataclasses' defaults (steps/support/figuras/comparison.py); pyproject.toml may override.
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


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """A run starts its figure report afresh. A collection (``--collect-only``, which the tier and
    shard checks start while ``make test`` runs) runs nothing, so it leaves the report alone:
    clearing it there lost the figures other workers had recorded."""
    if config.option.collectonly:
        return
    reports = Path(config.getoption("--reportes"))
    if _is_controller(config):
        shutil.rmtree(reports / "figures", ignore_errors=True)
    (reports / "figures").mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a site shared by parallel workers (``--base-url``), the figure scenarios share one
    xdist group: the mock hands the tutorial world to one account at a time, so they take turns
    (with ``--dist loadgroup``). Each worker's embedded mock has a world of its own."""
    shared = config.getoption("--base-url") or os.environ.get("PYTEST_BASE_URL")
    if not (shared and config.pluginmanager.hasplugin("xdist")):
        return
    for item in items:
        if item.get_closest_marker("figura"):
            item.add_marker(pytest.mark.xdist_group("mundo-del-tutorial"))


# --- figures and the renderer that draws them ------------------------------------------------

_EXECUTABLE = pytest.StashKey[object]()
_RENDERER = pytest.StashKey[chromium.RendererCheck]()
_RECORD_NOTE = pytest.StashKey[str]()


def _record_path(config: pytest.Config) -> Path:
    return record_path(Path(config.getoption("--carpeta-figuras")), config.getoption("--escala-figuras"))


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
        config.stash[_RENDERER] = chromium.check_renderer(_record_path(config), current)
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
    renderer `make figures` keeps each figure within the cross tolerance and refuses, naming it,
    to overwrite one that really changed, unless RENDERER=nuevo)."""
    config = session.config
    if config.getoption("--servidor-navegador") or not _runs_figures(config):
        return
    check = _renderer_check(config)  # in workers too: identified once, before any scenario
    if not _is_controller(config):
        return
    notice = check.notice()
    if notice is None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(notice, yellow=True, bold=check.cross)
    FigureReport(Path(config.getoption("--reportes")) / "figures").note_renderer(notice)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """`make figures` writes the renderer record with the figures: when there was none, or when
    RENDERER=nuevo handed the figures to this renderer, and only if every committed figure of the
    set was shot in this run (a partial run would leave a record that lies about the rest)."""
    config = session.config
    if not (_is_controller(config) and config.getoption("--actualizar-figuras")) or _RENDERER not in config.stash:
        return
    check = config.stash[_RENDERER]
    handed_over = check.cross and config.getoption("--renderizador-nuevo")
    if check.current is None or (check.recorded is not None and not handed_over):
        return
    path = _record_path(config)
    shot = {c.name for c in recorded_comparisons(Path(config.getoption("--reportes")) / "figures")}
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


_SKIP_DETAIL = re.compile(r" \(.*\)$")


def run_summary(terminalreporter) -> str:
    """One line: how many ran (passed, failed), how many were skipped, grouped by reason."""
    stats = terminalreporter.stats
    passed, failed = len(stats.get("passed", [])), len(stats.get("failed", [])) + len(stats.get("error", []))
    reasons: Counter[str] = Counter()
    for report in stats.get("skipped", []):
        message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reasons[_SKIP_DETAIL.sub("", message.removeprefix("Skipped: "))] += 1
    line = f"Resumen: corrieron {passed + failed} ({passed} pasaron, {failed} fallaron); se omitieron {sum(reasons.values())}"
    if reasons:
        line += ": " + "; ".join(f"{count} por «{reason}»" for reason, count in reasons.most_common())
    return line


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if not _is_controller(config):
        return
    _figures_summary(terminalreporter, config)
    if not config.option.collectonly:
        terminalreporter.write_line(run_summary(terminalreporter), bold=True)


def _figures_summary(terminalreporter, config: pytest.Config) -> None:
    figures_dir = Path(config.getoption("--reportes")) / "figures"
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
    html_report = write_html_from_dir(figures_dir)
    if html_report:
        terminalreporter.write_line(f"Reporte de figuras: {html_report}")


# --- the site under test -------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(pytestconfig: pytest.Config):
    """(base URL, control token): the --base-url site, or an embedded mock of our own."""
    given = pytestconfig.getoption("--base-url") or os.environ.get("PYTEST_BASE_URL")
    if given:
        yield given.rstrip("/"), os.environ.get("ASPEL_CONTROL_TOKEN")
        return
    with running_mock() as embedded:
        yield embedded


@pytest.fixture(scope="session")
def base_url(site) -> str:
    return site[0]


@pytest.fixture(scope="session")
def mock_control(site) -> MockControl:
    return MockControl(*site)


@pytest.fixture(scope="session")
def control_unavailable(mock_control: MockControl) -> str | None:
    return mock_control.unavailable_reason()


@pytest.fixture(scope="session")
def tutorial_world(mock_control: MockControl, control_unavailable: str | None) -> dict | None:
    """The tutorial's moment, customer and serials as the mock defines them (None without control)."""
    return None if control_unavailable else mock_control.tutorial_world()


@pytest.fixture(scope="session")
def tutorial_moment(tutorial_world: dict | None) -> datetime | None:
    """15/03/2022 10:00 in Mexico City: the clock of every scenario's customer and browser."""
    return datetime.fromisoformat(tutorial_world["moment"]) if tutorial_world else None


# Why a scenario does not run against a site without mock control (Spanish: the run says it).
SKIP_FIGURE = "@mock: la figura muestra el mundo del tutorial, que sólo da la API de control"
SKIP_MOCK = "@mock: crea cuentas, mueve relojes o lee correos, y eso sólo lo hace la API de control"
SKIP_DESTRUCTIVE = "@destructivo: cambia la cuenta de prueba para siempre; se corre con --destructivo"


def skip_reason_without_control(item: pytest.Item, destructive_allowed: bool) -> str | None:
    """The reason a scenario is skipped on a site without mock control, or None when it runs there."""
    if item.get_closest_marker("mock"):
        return SKIP_FIGURE if item.get_closest_marker("figura") else SKIP_MOCK
    if item.get_closest_marker("destructivo") and not destructive_allowed:
        return SKIP_DESTRUCTIVE
    return None


@pytest.fixture(autouse=True)
def _skip_mock_scenarios_without_control(request: pytest.FixtureRequest) -> None:
    node = request.node
    if not (node.get_closest_marker("mock") or node.get_closest_marker("destructivo")):
        return
    unavailable = request.getfixturevalue("control_unavailable")
    if not unavailable:
        return
    reason = skip_reason_without_control(node, request.config.getoption("--destructivo"))
    if reason:
        pytest.skip(f"{reason} ({unavailable})")


# --- Faker: one seeded person per scenario ---------------------------------------------------


@pytest.fixture(scope="session")
def faker_locale() -> list[str]:
    return ["es_MX"]


@pytest.fixture
def faker_seed(request: pytest.FixtureRequest) -> int:
    """Stable across processes (unlike hash()), different per scenario."""
    return zlib.crc32(request.node.nodeid.encode())


# --- the browser ------------------------------------------------------------------------------


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


@pytest.fixture
def page(page, tutorial_moment: datetime | None):
    """pytest-playwright's page, its clock frozen on the tutorial's moment (a site without mock
    control keeps its own time, and so does the browser then)."""
    if tutorial_moment:
        page.clock.set_fixed_time(tutorial_moment)
    return page


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def figure_renderer(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> chromium.RendererCheck:
    """This worker's renderer against the record. A remote browser is only known once connected
    (Playwright's browser.version), so it is compared across renderers."""
    if pytestconfig.getoption("--servidor-navegador"):
        version = request.getfixturevalue("browser").version
        remote = chromium.remote_renderer(version, pytestconfig.getoption("--escala-figuras"))
        return chromium.check_renderer(_record_path(pytestconfig), remote)
    return _renderer_check(pytestconfig)


def figure_tolerances(config: pytest.Config) -> tuple[Tolerance, CrossRendererTolerance]:
    """The strict and the cross-renderer tolerance: the figure_* ini keys (pyproject.toml), whose
    defaults are the shipped values."""
    return (
        Tolerance(
            threshold=float(config.getini("figure_threshold")),
            max_diff_ratio=float(config.getini("figure_max_diff_ratio")),
        ),
        CrossRendererTolerance(
            radius=int(config.getini("figure_cross_radius")),
            channel_tolerance=int(config.getini("figure_cross_channel_tolerance")),
            max_diff_pixels=int(config.getini("figure_cross_max_diff_pixels")),
        ),
    )


def camera_for(config: pytest.Config, figure_renderer: chromium.RendererCheck) -> Camera:
    """The camera the run's settings ask for (options and ini keys), for that renderer."""
    strict, cross = figure_tolerances(config)
    return Camera(
        screenshots_dir=Path(config.getoption("--carpeta-figuras")),
        report=FigureReport(
            Path(config.getoption("--reportes")) / "figures",
            renderer=asdict(figure_renderer.current) if figure_renderer.current else None,
        ),
        tolerance=strict,
        update=config.getoption("--actualizar-figuras"),
        scale=config.getoption("--escala-figuras"),
        renderer=figure_renderer,
        cross_tolerance=cross,
        new_renderer=config.getoption("--renderizador-nuevo"),
    )


@pytest.fixture
def camera(pytestconfig: pytest.Config, figure_renderer: chromium.RendererCheck) -> Camera:
    return camera_for(pytestconfig, figure_renderer)
