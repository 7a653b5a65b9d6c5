"""Plugin wiring and the fixtures every scenario shares: the mock, the base URL, the browser."""
from __future__ import annotations

import os
import shutil
import zlib
from datetime import datetime
from pathlib import Path

import pytest

from steps.support import browser as chromium
from steps.support.camera import Camera
from steps.support.figures import FigureReport, Tolerance, recorded_comparisons, write_html_from_dir
from steps.support.mock_client import MockControl
from steps.support.server import running_mock

pytest_plugins = [
    "steps.support.cucumber_xdist",
    "steps.common",
    "steps.home",
    "steps.login",
    "steps.mail",
    "steps.recovery",
    "steps.subscriptions",
    "steps.downloads",
    "steps.desktop",
    "steps.calendar",
    "steps.security",
    "steps.informacion",
]

ROOT = Path(__file__).parent
VIEWPORT = {"width": 1280, "height": 800}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutorial", "Tutorial de Aspel")
    group.addoption("--update-figures", action="store_true",
                    help="reescribe en screenshots/ las figuras nuevas o que cambiaron (make figures)")
    group.addoption("--figure-scale", type=int, choices=(1, 2), default=1,
                    help="escala de las figuras; 2 escribe un juego en screenshots/2x/")
    group.addoption("--reports", default=str(ROOT / "reports"),
                    help="carpeta de reportes (figuras, JUnit, cucumber); no la borra pytest-playwright")
    group.addoption("--browser-server", default=os.environ.get("PLAYWRIGHT_SERVER"),
                    help="ws:// de un servidor de Playwright (playwright run-server --unsafe) en lugar de "
                         "lanzar un navegador local; también PLAYWRIGHT_SERVER")
    parser.addini("figure_threshold", "umbral por píxel de pixelmatch (0 a 1)", default="0.01")
    parser.addini("figure_max_diff_ratio", "proporción máxima de píxeles distintos", default="0")


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    reports = Path(config.getoption("--reports"))
    if _is_controller(config):
        shutil.rmtree(reports / "figures", ignore_errors=True)
    (reports / "figures").mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a site shared by parallel workers (``--base-url``), the figure scenarios share one
    xdist group: the mock hands the tutorial world to one account at a time, so they take turns
    (with ``--dist loadgroup``). Each worker's embedded mock has a world of its own."""
    if not (config.getoption("--base-url") or os.environ.get("PYTEST_BASE_URL")):
        return
    for item in items:
        if item.get_closest_marker("figura"):
            item.add_marker(pytest.mark.xdist_group("mundo-del-tutorial"))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if not _is_controller(config):
        return
    figures_dir = Path(config.getoption("--reports")) / "figures"
    comparisons = recorded_comparisons(figures_dir)
    if not comparisons:
        return
    terminalreporter.section("Figuras")
    for comparison in comparisons:
        terminalreporter.write_line(comparison.describe())
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


@pytest.fixture(autouse=True)
def _skip_mock_scenarios_without_control(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("mock"):
        reason = request.getfixturevalue("control_unavailable")
        if reason:
            pytest.skip(f"@mock: {reason}")


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
    remote = bool(pytestconfig.getoption("--browser-server"))
    if browser_name != "chromium":
        chromium.require_playwright_build(browser_name)
        return browser_type_launch_args
    executable = chromium.launch_executable()
    args = {**browser_type_launch_args, "args": chromium.launch_args(executable)}
    if executable:
        # A browser server reads its launch options in camelCase (and only with --unsafe).
        args["executablePath" if remote else "executable_path"] = str(executable)
    return args


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict | None:
    endpoint = pytestconfig.getoption("--browser-server")
    return {"endpoint": endpoint} if endpoint else None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, pytestconfig: pytest.Config) -> dict:
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "device_scale_factor": pytestconfig.getoption("--figure-scale"),
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


@pytest.fixture
def camera(pytestconfig: pytest.Config) -> Camera:
    return Camera(
        screenshots_dir=ROOT / "screenshots",
        report=FigureReport(Path(pytestconfig.getoption("--reports")) / "figures"),
        tolerance=Tolerance(
            threshold=float(pytestconfig.getini("figure_threshold")),
            max_diff_ratio=float(pytestconfig.getini("figure_max_diff_ratio")),
        ),
        update=pytestconfig.getoption("--update-figures"),
        scale=pytestconfig.getoption("--figure-scale"),
    )
