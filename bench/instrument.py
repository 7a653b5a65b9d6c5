"""A pytest plugin that times where a scenario run spends its wall-clock time (profile runs only).

Loaded by the bench with ``-p bench.instrument`` in a run of its own, never in the timed runs.
A sampling profiler cannot say which step waits on the browser (Playwright's sync API switches to
another greenlet while it waits), so this plugin measures wall time directly:

- the phases of the session: process start → configured → collected → tests → session end;
- each fixture's set-up (session ones once: Playwright's driver, the browser, the mock);
- each Gherkin step, by its step function;
- calls into the costly things, wherever they come from: Playwright's driver start, browser
  launch, context creation and closing, navigation, screenshots, ``wait_for_load_state``, the
  mock control API, figure comparison.

Results are written as JSON to ``$BENCH_INSTRUMENT_OUT`` at the end of the session.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import defaultdict
from pathlib import Path

import psutil
import pytest

_totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # name → [calls, seconds]
_phases: dict[str, float] = {}
_steps: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
_fixtures: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
_tests: dict[str, dict[str, float]] = defaultdict(dict)
_step_started: dict[int, float] = {}
_depth = defaultdict(int)


def _process_start() -> float:
    """The wall-clock time this process started (seconds since the epoch)."""
    return psutil.Process().create_time()


def _timed(name: str, function):
    """Wrap ``function`` to add its wall time to ``name`` (outermost call only)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _depth[name] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _depth[name] -= 1
            if not _depth[name]:
                _totals[name][0] += 1
                _totals[name][1] += time.perf_counter() - started

    wrapper.__bench_wrapped__ = True
    return wrapper


def _patch(owner, attribute: str, name: str) -> None:
    function = getattr(owner, attribute, None)
    if function is not None and not getattr(function, "__bench_wrapped__", False):
        setattr(owner, attribute, _timed(name, function))


def _instrument() -> None:
    from playwright.sync_api import Browser, BrowserContext, BrowserType, Locator, Page
    from playwright.sync_api._context_manager import PlaywrightContextManager

    _patch(PlaywrightContextManager, "start", "playwright: driver start")
    _patch(PlaywrightContextManager, "__enter__", "playwright: driver start")
    _patch(PlaywrightContextManager, "__exit__", "playwright: driver stop")
    _patch(BrowserType, "launch", "browser: launch")
    _patch(Browser, "new_context", "browser: new context")
    _patch(Browser, "close", "browser: close")
    _patch(BrowserContext, "new_page", "browser: new page")
    _patch(BrowserContext, "close", "browser: context close")
    _patch(Page, "goto", "page: goto")
    _patch(Page, "screenshot", "page: screenshot")
    _patch(Page, "wait_for_load_state", "page: wait_for_load_state")
    _patch(Page, "evaluate", "page: evaluate")
    _patch(Locator, "click", "page: click")
    _patch(Locator, "fill", "page: fill")
    _patch(Locator, "hover", "page: hover")

    from steps.support.figuras import camera
    from steps.support.figuras import comparison as figures
    from steps.support.figuras import renderer as browser
    from steps.support.sitio import mock_client

    _patch(mock_client.MockControl, "_call", "mock control API (HTTP)")
    _patch(browser, "launch_executable", "browser: find executable")
    _patch(camera.Camera, "shoot", "figure: Camera.shoot")
    _patch(camera, "wait_until_stable", "figure: shots until stable")
    _patch(camera, "update_figure", "figure: compare and update")
    _patch(camera, "check_figure", "figure: compare and check")
    _patch(figures, "compare_png", "figure: pixel comparison")


def pytest_configure(config: pytest.Config) -> None:
    _phases["process start"] = _process_start()
    _phases["configured"] = time.time()
    _instrument()


def pytest_collection_finish(session: pytest.Session) -> None:
    _phases["collected"] = time.time()


def pytest_runtest_logstart(nodeid: str, location) -> None:
    _phases.setdefault("first test starts", time.time())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _tests[report.nodeid][report.when] = report.duration
    _phases["last test ends"] = time.time()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        _fixtures[f"{fixturedef.argname} ({fixturedef.scope})"][0] += 1
        _fixtures[f"{fixturedef.argname} ({fixturedef.scope})"][1] += time.perf_counter() - started


def pytest_bdd_before_step_call(request, feature, scenario, step, step_func, step_func_args) -> None:
    _step_started[id(step)] = time.perf_counter()


def _step_done(step, step_func) -> None:
    started = _step_started.pop(id(step), None)
    if started is not None:
        name = f"{step_func.__module__}.{step_func.__name__}"
        _steps[name][0] += 1
        _steps[name][1] += time.perf_counter() - started


def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args) -> None:
    _step_done(step, step_func)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    _step_done(step, step_func)


def pytest_unconfigure(config: pytest.Config) -> None:
    out = os.environ.get("BENCH_INSTRUMENT_OUT")
    if not out:
        return
    _phases["session end"] = time.time()
    data = {
        "phases": _phases,
        "calls": {name: {"calls": c, "seconds": s} for name, (c, s) in _totals.items()},
        "steps": {name: {"calls": c, "seconds": s} for name, (c, s) in _steps.items()},
        "fixtures": {name: {"calls": c, "seconds": s} for name, (c, s) in _fixtures.items()},
        "tests": _tests,
    }
    Path(out).write_text(json.dumps(data, indent=1), encoding="utf-8")
