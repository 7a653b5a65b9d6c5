"""The page a scenario gets (tutorial/sitio/pages.py): the decisions without a browser, and the
worker's page reset between scenarios as a new context would be."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from tutorial.sitio.pages import WorkerPage, failed_before_teardown, needs_own_context, no_failure_picture_needed


def item(call: str | None) -> SimpleNamespace:
    """A test as pytest-playwright leaves it: ``rep_call`` once its call ran."""
    report = None if call is None else SimpleNamespace(passed=call == "passed", failed=call == "failed")
    return SimpleNamespace(rep_call=report) if report else SimpleNamespace()


@pytest.mark.parametrize(
    ("call", "option", "closed_first"),
    [
        ("passed", "only-on-failure", True),  # the picture would be thrown away: pages closed, nothing shot
        ("failed", "only-on-failure", False),  # the failure's picture is kept
        (None, "only-on-failure", False),  # set-up failed or was skipped: pytest-playwright keeps the picture
        ("passed", "on", False),  # every test's picture asked for
        ("passed", "off", False),  # no picture either way: nothing to spare
    ],
)
def test_a_passed_scenarios_pages_are_closed_before_the_picture_only_a_failure_keeps(call, option, closed_first):
    assert no_failure_picture_needed(item(call), option) is closed_first  # type: ignore[arg-type]


class _Config:
    def __init__(self, **options: str) -> None:
        self.options = {"--tracing": "off", "--video": "off", "--screenshot": "only-on-failure", **options}

    def getoption(self, name: str, default: str | None = None) -> str | None:
        return self.options.get(name, default)


class _Node(SimpleNamespace):
    def get_closest_marker(self, name: str) -> object | None:
        return name if name in getattr(self, "markers", ()) else None


@pytest.mark.parametrize(
    ("markers", "options", "own"),
    [
        ((), {}, False),  # make pruebas' scenario: the worker's page
        (("figura",), {}, True),  # a figure shows the page as a reader first sees it
        (("browser_context_args",), {}, True),  # a context with other options
        ((), {"--tracing": "retain-on-failure"}, True),  # traces are recorded per context
        ((), {"--video": "on"}, True),
        ((), {"--screenshot": "on"}, True),  # every test's picture, as pytest-playwright takes it
        ((), {"--screenshot": "off"}, False),
    ],
)
def test_a_scenario_gets_its_own_context_only_where_the_browser_reaches_what_it_produces(markers, options, own):
    assert needs_own_context(_Node(markers=markers), _Config(**options)) is own  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reports", "failed"),
    [
        ({"rep_call": SimpleNamespace(failed=True)}, True),
        ({"rep_call": SimpleNamespace(failed=False)}, False),
        ({"rep_setup": SimpleNamespace(skipped=False)}, True),  # the set-up failed: no call
        ({"rep_setup": SimpleNamespace(skipped=True)}, False),  # skipped (no mock control)
        ({}, True),  # interrupted before any report
    ],
)
def test_a_failure_is_what_pytest_playwright_calls_one(reports, failed):
    assert failed_before_teardown(SimpleNamespace(**reports)) is failed  # type: ignore[arg-type]


def test_the_worker_page_comes_back_as_a_new_context_would(worker_page: WorkerPage, base_url: str, tutorial_moment):
    page = worker_page.take(tutorial_moment)
    page.goto(f"{base_url}/")
    page.context.add_cookies([{"name": "session", "value": "de-otro-escenario", "url": base_url}])
    page.context.new_page()  # a tab the last scenario left open
    later = datetime.fromisoformat("2030-01-01T00:00:00+00:00")
    page.clock.set_fixed_time(later)

    again = worker_page.take(tutorial_moment)
    assert again is page and again.url == "about:blank"
    assert again.context.cookies() == [] and again.context.pages == [again]
    assert again.evaluate("Date.now()") == int(tutorial_moment.timestamp() * 1000)


def test_after_a_failure_the_worker_page_is_a_new_one(worker_page: WorkerPage, tutorial_moment, tmp_path):
    page = worker_page.take(tutorial_moment)
    assert worker_page.keep_failure_picture(tmp_path / "test-failed-1.png", full_page=False)
    assert (tmp_path / "test-failed-1.png").read_bytes().startswith(b"\x89PNG")
    assert page.is_closed() and worker_page.take(tutorial_moment) is not page
