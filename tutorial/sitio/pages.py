"""The page a scenario gets (a pytest plugin, loaded from ``conftest.py``).

A new browser context costs a scenario more than any of its steps: the context, its page, a
renderer process started for the first address and the context closed again (measured on two
cores: 290 ms a scenario against 165 ms on a page kept open, ``bench/results.md``). So each worker
keeps one page and hands it from scenario to scenario, reset in between as a new context would
be for what a scenario can see: its cookies cleared (the mock's session lives in one), the pages a
scenario opened closed, the page on ``about:blank`` and its clock set on the tutorial's moment
again. The mock keeps nothing in the browser's storage, and the HTTP cache holds only the
site's own style sheet and images.

A scenario gets a context of its own (pytest-playwright's ``context``) when something of the
browser besides that reaches what it produces or what a person reads of it:

- ``@figura`` scenarios: a figure and the walkthrough's frames show the page as a reader first
  sees it (the pointer where no earlier scenario left it, nothing hovered);
- traces, videos or every test's screenshot asked for (``--tracing``, ``--video``,
  ``--screenshot on``): pytest-playwright records them per context it makes;
- a test marked ``browser_context_args`` (a context made with other options).

A shared page's failure keeps its picture as pytest-playwright's would
(``<--output>/<test>/test-failed-1.png``, named in the report for the failure's block), and the
worker starts a new page after it: nothing a failed scenario left behind reaches the next one.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

FAILURE_PICTURE = "test-failed-1.png"  # pytest-playwright's name for a failed test's first page


def needs_own_context(node: pytest.Item, config: pytest.Config) -> bool:
    """Whether a test gets a browser context of its own rather than the worker's page (above)."""
    recorded = (
        config.getoption("--tracing", default="off") != "off"
        or config.getoption("--video", default="off") != "off"
        or config.getoption("--screenshot", default="off") == "on"
    )
    marked = node.get_closest_marker("figura") or node.get_closest_marker("browser_context_args")
    return recorded or bool(marked)


def failed_before_teardown(node: pytest.Item) -> bool:
    """As pytest-playwright decides it: the call failed, or the set-up failed before any call."""
    call = getattr(node, "rep_call", None)
    if call is not None:
        return call.failed
    setup = getattr(node, "rep_setup", None)
    return setup is None or not setup.skipped


class WorkerPage:
    """One browser context and one page per worker, reset between the scenarios that share it."""

    def __init__(self, browser: Browser, context_args: dict) -> None:
        self._browser = browser
        self._context_args = context_args
        self._page: Page | None = None

    def take(self, moment: datetime | None) -> Page:
        """The page, as a new context's would be: no cookies, ``about:blank``, the clock on ``moment``."""
        if self._page is None or self._page.is_closed():
            self._page = self._browser.new_context(**self._context_args).new_page()
        page = self._page
        for other in page.context.pages:
            if other != page:
                other.close()
        page.context.clear_cookies()
        if page.url != "about:blank":
            page.goto("about:blank")
        if moment:
            page.clock.set_fixed_time(moment)
        return page

    def keep_failure_picture(self, path: Path, full_page: bool) -> bool:
        """The failed scenario's picture at ``path`` (False when the page could not be shot, as
        pytest-playwright leaves it then), and a new page for the next scenario."""
        if self._page is None:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._page.screenshot(path=path, timeout=5000, type="png", full_page=full_page)
            return True
        except PlaywrightError:
            return False
        finally:
            self.close()

    def close(self) -> None:
        if self._page is not None:
            self._page.context.close()
            self._page = None


@pytest.fixture(scope="session")
def worker_page(browser: Browser, browser_context_args: dict):
    """This worker's :class:`WorkerPage`, closed when the worker ends."""
    shared = WorkerPage(browser, browser_context_args)
    yield shared
    shared.close()


@pytest.fixture
def context(context, request: pytest.FixtureRequest):
    """pytest-playwright's context (for the tests that get one of their own, above). With
    ``--screenshot only-on-failure`` pytest-playwright shoots every page of a context as it closes
    it, before it knows whether the test failed, and throws the picture away when it passed: a
    test whose call passed closes its pages first, so nothing is shot; one that failed, or never
    got to its call, keeps them for the failure's picture."""
    yield context
    if no_failure_picture_needed(request.node, request.config.getoption("--screenshot")):
        for page in context.pages:
            page.close()


def no_failure_picture_needed(node: pytest.Item, screenshot_option: str | None) -> bool:
    """Whether pytest-playwright's picture of the pages would be thrown away: only on failure was
    asked, and the test's call ran and passed (``rep_call``, pytest-playwright's report of it)."""
    call = getattr(node, "rep_call", None)
    return screenshot_option == "only-on-failure" and call is not None and call.passed


@pytest.fixture
def page(request: pytest.FixtureRequest, tutorial_moment: datetime | None, worker_page: WorkerPage, output_path: str):
    """The scenario's page, its clock frozen on the tutorial's moment (a site without mock control
    keeps its own time, and so does the browser then): the worker's page, or a new context's."""
    node, config = request.node, request.config
    if needs_own_context(node, config):
        own = request.getfixturevalue("context").new_page()
        if tutorial_moment:
            own.clock.set_fixed_time(tutorial_moment)
        yield own
        return
    yield worker_page.take(tutorial_moment)
    if not failed_before_teardown(node):
        return
    if config.getoption("--screenshot", default="off") != "only-on-failure":
        worker_page.close()
        return
    picture = Path(output_path) / FAILURE_PICTURE
    if worker_page.keep_failure_picture(picture, full_page=config.getoption("--full-page-screenshot")):
        node.user_properties.append(("playwright_screenshot", _as_reported(picture, config)))


def _as_reported(path: Path, config: pytest.Config) -> str:
    """The picture's path as pytest-playwright names it in a report: from where pytest started."""
    started = config.invocation_params.dir
    return os.path.relpath(path, started) if path.is_absolute() and path.is_relative_to(started) else str(path)
