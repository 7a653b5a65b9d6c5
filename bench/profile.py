"""Where a scenario's time goes: a pytest plugin for the bench (``-p bench.profile``).

For every scenario it writes one JSON line into the file ``BENCH_PERFIL`` names: pytest's own
set-up, call and teardown; each fixture's set-up (the ones a scenario sets up itself, not the
session's); each step (pytest-bdd's ``before_step``/``after_step``). Only hooks: nothing of
Playwright is wrapped or patched (the house's rule, tests/test_house_plan.py), so the time
inside a step is read from the step functions themselves (which operations they call, in
steps/ and steps/screens/), not measured per Playwright call.

A command's tool, not a test: it only records. ``bench/sections.py`` turns the lines into the
table in ``bench/results.md`` (median over the scenarios of each cost).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from typing import Any

import pytest

PROFILE_VARIABLE = "BENCH_PERFIL"

_current: dict[str, Any] | None = None
_step_started: dict[int, float] = {}
_fixture_stack: list[float] = []


def _new_record(nodeid: str) -> dict[str, Any]:
    return {"test": nodeid, "phases": {}, "fixtures": defaultdict(float), "steps": []}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item):
    global _current
    _current = _new_record(item.nodeid) if os.environ.get(PROFILE_VARIABLE) else None
    yield
    record, _current = _current, None
    if record is None or not record["steps"]:  # only the scenarios
        return
    with open(os.environ[PROFILE_VARIABLE], "a", encoding="utf-8") as output:
        output.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    """A fixture's own set-up time: what the fixtures it asks for took is theirs (a stack)."""
    _fixture_stack.append(0.0)
    started = time.perf_counter()
    yield
    took = time.perf_counter() - started
    inner = _fixture_stack.pop()
    if _fixture_stack:
        _fixture_stack[-1] += took
    if _current is not None:
        name = fixturedef.argname if fixturedef.scope == "function" else f"{fixturedef.argname} ({fixturedef.scope})"
        _current["fixtures"][name] += took - inner


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _current is not None and report.nodeid == _current["test"]:
        _current["phases"][report.when] = report.duration


def pytest_bdd_before_step(request, feature, scenario, step, step_func) -> None:
    _step_started[id(step)] = time.perf_counter()


def _step_ended(step, step_func, failed: bool) -> None:
    started = _step_started.pop(id(step), None)
    if _current is None or started is None:
        return
    _current["steps"].append(
        {
            "type": step.type,
            "function": f"{step_func.__module__}.{step_func.__name__}",
            "seconds": time.perf_counter() - started,
            "failed": failed,
        }
    )


def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args) -> None:
    _step_ended(step, step_func, failed=False)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    _step_ended(step, step_func, failed=True)


# --- the summary (bench/sections.py renders it) ------------------------------------------------

OUTSIDE_STEPS = "the call outside the steps (pytest-bdd, hooks)"
TEARDOWN = "teardown (contexts closed, reports)"


def read_records(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def scenario_costs(record: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """A scenario's own time (the session's set-ups left out: the first scenario pays them once
    per worker) and its parts: each function-scoped fixture's own set-up, each step, the teardown.
    The parts add up to the time."""
    costs: dict[str, float] = defaultdict(float)
    session = sum(seconds for name, seconds in record["fixtures"].items() if name.endswith(")"))
    setup_others = record["phases"].get("setup", 0.0) - session
    for name, seconds in record["fixtures"].items():
        if not name.endswith(")") and seconds >= 0.0005:
            costs[f"fixture {name}"] += seconds
            setup_others -= seconds
    costs["set-up outside the fixtures (hooks)"] += max(setup_others, 0.0)
    steps = 0.0
    for step in record["steps"]:
        costs[f"{step['type'].capitalize()} {step['function']}"] += step["seconds"]
        steps += step["seconds"]
    costs[OUTSIDE_STEPS] += max(record["phases"].get("call", 0.0) - steps, 0.0)
    costs[TEARDOWN] += record["phases"].get("teardown", 0.0)
    return sum(costs.values()), dict(costs)


def summary(records: list[dict[str, Any]]) -> tuple[list[float], dict[str, list[float]]]:
    """Each scenario's time, and each cost's values over the scenarios (0 where it did not occur)."""
    totals: list[float] = []
    values: dict[str, list[float]] = defaultdict(list)
    per_scenario = []
    for record in records:
        total, costs = scenario_costs(record)
        totals.append(total)
        per_scenario.append(costs)
    for index, costs in enumerate(per_scenario):
        for name, seconds in costs.items():
            values[name].extend([0.0] * (index - len(values[name])))
            values[name].append(seconds)
    for name in values:
        values[name].extend([0.0] * (len(records) - len(values[name])))
    return totals, dict(values)
