"""The site's pytest plugin (loaded from ``conftest.py``): the site under test (``--base-url``
or a mock embedded in this process), its control API, the tutorial's world and moment, the
scenarios skipped where there is no control and one seeded Faker person per scenario. The page a
scenario gets is :mod:`tutorial.sitio.pages`'.
"""

from __future__ import annotations

import os
import zlib
from datetime import datetime

import pytest

from tutorial.sitio.mock_client import MockControl
from tutorial.sitio.server import running_mock


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tutorial", "Tutorial de Aspel").addoption(
        "--destructivo",
        action="store_true",
        help="en un sitio sin API de control, corre también los escenarios @destructivo, que "
        "cambian la cuenta de prueba para siempre (aceptan la actualización de su serie)",
    )


def _shared_site(config: pytest.Config) -> str | None:
    return config.getoption("--base-url") or os.environ.get("PYTEST_BASE_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a site shared by parallel workers (``--base-url``), the figure scenarios share one
    xdist group: the mock hands the tutorial world to one account at a time, so they take turns
    (with ``--dist loadgroup``). Each worker's embedded mock has a world of its own."""
    if not (_shared_site(config) and config.pluginmanager.hasplugin("xdist")):
        return
    for item in items:
        if item.get_closest_marker("figura"):
            item.add_marker(pytest.mark.xdist_group("mundo-del-tutorial"))


@pytest.fixture(scope="session")
def site(pytestconfig: pytest.Config):
    """(base URL, control token): the --base-url site, or an embedded mock of our own."""
    given = _shared_site(pytestconfig)
    if given:
        yield given.rstrip("/"), os.environ.get("ASPEL_CONTROL_TOKEN")
        return
    with running_mock() as embedded:
        yield embedded


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


@pytest.fixture(scope="session")
def faker_locale() -> list[str]:
    return ["es_MX"]


@pytest.fixture
def faker_seed(request: pytest.FixtureRequest) -> int:
    """One seeded person per scenario: stable across processes (unlike hash()), different per scenario."""
    return zlib.crc32(request.node.nodeid.encode())
