"""Allure attachments for a failed scenario (loaded by conftest.py only when allure-pytest-bdd is
installed; idle unless ``--alluredir`` is given).

allure-pytest-bdd already reports each scenario with its Spanish steps and its tags as labels
(``regla-1``, ``figura``, ``seguridad``). This adds what a QA reader needs to judge a failure:

- a figure that drifted (:class:`~tutorial.figuras.verdict.FigureMismatch`): its expected, actual
  and diff images from ``reports/figures/``;
- pytest-playwright's failure screenshot and trace (``--screenshot only-on-failure``,
  ``--tracing retain-on-failure``), which exist once the page's fixtures are torn down.

Both are attached while the teardown report is made, before allure-pytest-bdd writes the result
(this wrapper is the innermost one, ``trylast``).
"""

from __future__ import annotations

import re
from pathlib import Path

import allure
import pytest

from tutorial.figuras.plugin import figure_settings_of
from tutorial.figuras.verdict import FigureMismatch

_FAILED = pytest.StashKey[BaseException]()
_FIGURE = re.compile(r"(figura-\d+)\.actual\.png")
FIGURE_KINDS = {"expected": "esperada", "actual": "actual", "diff": "diferencias"}


def _enabled(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "allure_report_dir", None))


def figure_images(error: BaseException, figures_dir: Path) -> list[tuple[str, Path]]:
    """(attachment name, PNG) for the figure a FigureMismatch names, those that exist."""
    if not isinstance(error, FigureMismatch):
        return []
    found = _FIGURE.search(str(error))
    if not found:
        return []
    name = found[1]
    images = [(f"{name} {label}", figures_dir / f"{name}.{kind}.png") for kind, label in FIGURE_KINDS.items()]
    return [(title, path) for title, path in images if path.exists()]


def playwright_artifacts(config: pytest.Config, nodeid: str) -> list[tuple[str, Path]]:
    """The failure screenshots and traces pytest-playwright kept for ``nodeid``."""
    from pytest_playwright.pytest_playwright import _truncate_file_name
    from slugify import slugify

    folder = Path(config.getoption("--output")).absolute() / _truncate_file_name(slugify(nodeid))
    if not folder.is_dir():
        return []
    shots = [(f"captura del fallo ({path.name})", path) for path in sorted(folder.glob("*.png"))]
    traces = [(f"traza de Playwright ({path.name})", path) for path in sorted(folder.glob("*.zip"))]
    return shots + traces


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    if not _enabled(item.config):
        return
    report = outcome.get_result()
    if report.when == "call" and call.excinfo is not None:
        item.stash[_FAILED] = call.excinfo.value
    if report.when != "teardown" or _FAILED not in item.stash:
        return
    figures_dir = figure_settings_of(item.config).figures_dir
    for title, path in figure_images(item.stash[_FAILED], figures_dir):
        allure.attach.file(str(path), name=title, attachment_type=allure.attachment_type.PNG)
    for title, path in playwright_artifacts(item.config, item.nodeid):
        kind = allure.attachment_type.PNG if path.suffix == ".png" else allure.attachment_type.ZIP
        allure.attach.file(str(path), name=title, attachment_type=kind)
