"""``--primero-los-largos DURACIONES``: the longest tests first, by their recorded durations.

pytest-xdist's work stealing gives each worker a block of the collected tests and lets an idle
worker take from the end of another's. When a 70-second test happens to come last, one worker
runs it alone while the other has nothing left. Longest first (the classic LPT order), the long
tests overlap and the short ones fill the end. ``make pruebas`` passes the committed durations
(.ci/test_durations.json, pytest-split's format, written by ``make duraciones``); a test the file
does not know counts as a median one.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tutorial").addoption(
        "--primero-los-largos",
        metavar="DURACIONES",
        default=None,
        help="ordena las pruebas de la más larga a la más corta según ese archivo de duraciones "
        "(JSON de pytest-split): con -n, los trabajadores terminan a la vez",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    path = config.getoption("--primero-los-largos")
    if not path:
        return
    try:
        durations: dict[str, float] = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise pytest.UsageError(f"--primero-los-largos: no se pudo leer {path}: {error}") from error
    unknown = statistics.median(durations.values()) if durations else 0.0
    items.sort(key=lambda item: -durations.get(item.nodeid, unknown))  # stable: ties keep their order


def pytest_make_parametrize_id(config: pytest.Config, val: object) -> str | None:
    """Test ids keep their Spanish letters (``disable_test_id_escaping_…`` in pyproject.toml), but
    that option hands a ``bytes`` parameter to pytest's id join unconverted (a TypeError at
    collection): a bytes value keeps its old escaped id here, as .ci/test_durations.json knows it.
    A line break or a tab stays escaped too (``\\r``): an id is one line of ``--collect-only``."""
    if isinstance(val, bytes):
        from _pytest.compat import ascii_escaped

        return ascii_escaped(val)
    if isinstance(val, str) and not val.isprintable():
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in val)
    return None
