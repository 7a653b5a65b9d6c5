"""Wiring: the project's pytest plugins, in the order they load. Each one's docstring says what it
holds: the figures' options, settings and browser (``tutorial.figuras.plugin``), the site
under test and its customers (``tutorial.sitio.plugin``), the page a scenario gets
(``tutorial.sitio.pages``), what a pipeline needs (``tutorial.ci``, the garbage collector's
settings among them), the walkthrough's recorder, and the step definitions, one module per
screen or area (``steps``)."""

import pytest

pytest_plugins = [
    "tutorial.ci.failure_summary",  # first: pytest rewrites its asserts only when it comes first
    "pytester",  # tests/test_tiers.py and tests/test_settings_take_effect.py run pytest in-process
    "tutorial.figuras.plugin",
    "tutorial.sitio.plugin",
    "tutorial.sitio.pages",
    "tutorial.ci.tiers",
    "tutorial.ci.cucumber_xdist",
    "tutorial.ci.merge_reports",
    "tutorial.documento.recorder",
    "tutorial.ci.longest_first",
    "tutorial.ci.workers",
    "tutorial.ci.garbage",
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
    "steps.information",
]
try:  # the optional extra `allure`: attach figures, failure screenshots and traces (--alluredir)
    import allure_pytest_bdd  # noqa: F401
except ImportError:
    pass
else:
    pytest_plugins.append("tutorial.ci.allure_attachments")


@pytest.fixture(scope="session")
def base_url(site: tuple[str, str | None]) -> str:
    """The site under test's address (``site`` comes from the site's plugin). It is here because
    pytest-playwright registers its own ``base_url`` after the plugins listed above, and only a
    conftest's fixture takes precedence over it."""
    return site[0]
