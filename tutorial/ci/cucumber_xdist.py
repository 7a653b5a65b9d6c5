"""Complete cucumber JSON under pytest-xdist, by the format's rules.

pytest-bdd keeps each scenario's report data in a registry keyed by the worker's TestReport
object; xdist sends the controller a serialized copy, which the registry does not know, so
``--cucumberjson`` comes out as ``[]``. These hooks carry the scenario data along with the report
and register it again on the controller side. :class:`CucumberJSON` then writes each step's
result as the format wants it (see there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _pytest.reports import TestReport
from pytest_bdd.cucumber_json import LogBDDCucumberJSON, ScenarioElementDict, StepElementDict, TagElementDict
from pytest_bdd.reporting import ReportContext, test_report_context_registry

from tutorial.ci.failure_record import from_dict
from tutorial.ci.failure_summary import REPORT_KEY

KEY = "pytest_bdd_report_context"


@pytest.hookimpl(tryfirst=True)
def pytest_report_to_serializable(config: pytest.Config, report: Any) -> dict | None:
    context = test_report_context_registry.get(report) if isinstance(report, TestReport) else None
    if context is None:
        return None  # let pytest serialize it as usual
    data = report._to_json()
    data["$report_type"] = "TestReport"
    data[KEY] = {"scenario": context.scenario, "name": context.name}
    return data


@pytest.hookimpl(tryfirst=True)
def pytest_report_from_serializable(config: pytest.Config, data: dict) -> TestReport | None:
    if KEY not in data:
        return None
    context = data.pop(KEY)
    data.pop("$report_type", None)
    report = TestReport._from_json(data)
    test_report_context_registry[report] = ReportContext(scenario=context["scenario"], name=context["name"])
    return report


# --- the format's rules ---------------------------------------------------------------------------


class CucumberJSON(LogBDDCucumberJSON):
    """pytest-bdd's ``--cucumberjson`` writer, its output brought to the format's rules.

    pytest-bdd marks every step after a failing one ``failed`` too (its ``ScenarioReport.fail``),
    and gives each the whole pytest traceback as ``error_message`` (or an empty one); its tags
    lack the ``@`` the format's schema asks for. Cucumber consumers (Allure, Xray,
    cucumber-html-reporter) then count each later step as another failure. Here:

    - the first failing step is ``failed`` and its ``error_message`` is the assertion as QA reads
      it (the Spanish summary of :mod:`tutorial.ci.failure_summary`, else pytest's crash line);
    - the steps after it were not run: ``skipped``, duration 0, no message;
    - a scenario skipped from inside a step has its steps ``skipped``;
    - tags are written ``@tag``, and a scenario under a ``Regla`` carries the Rule's tags too
      (``@regla-N``: pytest-bdd writes only the scenario's own, so a CI tool could not group
      results by term); durations stay integer nanoseconds;
    - the file's folder is created when missing.
    """

    def pytest_runtest_logreport(self, report: TestReport) -> None:
        before = {uri: len(feature["elements"]) for uri, feature in self.features.items()}
        super().pytest_runtest_logreport(report)
        for uri, feature in self.features.items():
            if len(feature["elements"]) > before.get(uri, 0):
                feature["tags"] = _at_tags(feature["tags"])
                element = feature["elements"][-1]
                element["tags"] = _at_tags(element["tags"] + _rule_tags(report, element))
                element["steps"] = by_the_rules(element["steps"], report)

    def pytest_sessionfinish(self) -> None:
        Path(self.logfile).parent.mkdir(parents=True, exist_ok=True)
        super().pytest_sessionfinish()


def _rule_tags(report: TestReport, element: ScenarioElementDict) -> list[TagElementDict]:
    """The tags of the ``Regla`` around the scenario, each with the line it is written on."""
    scenario = test_report_context_registry[report].scenario
    rule: dict[str, Any] = dict(scenario.get("rule") or {})
    own = {tag["name"].removeprefix("@") for tag in element["tags"]}
    wanted = [tag for tag in rule.get("tags", []) if tag not in own]
    if not wanted:
        return []
    try:
        lines = Path(scenario["feature"]["filename"]).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    return [{"name": tag, "line": _tag_line(lines, element["line"], tag)} for tag in wanted]


def _tag_line(lines: list[str], below: int, tag: str) -> int:
    """The nearest line above ``below`` (1-based) that writes ``@tag``; the scenario's own line
    before it when the file cannot say."""
    for number in range(min(below, len(lines)), 0, -1):
        if f"@{tag}" in lines[number - 1].split():
            return number
    return max(below - 1, 1)


def _at_tags(tags: list[TagElementDict]) -> list[TagElementDict]:
    return [{**tag, "name": tag["name"] if tag["name"].startswith("@") else f"@{tag['name']}"} for tag in tags]


def assertion_message(report: TestReport) -> str:
    """The failure as QA reads it: the Spanish summary when the scenario has one, else pytest's
    crash line (the exception's own message), else the report's text."""
    summary = getattr(report, REPORT_KEY, None)
    if summary:
        return "\n".join(from_dict(summary).lines())
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr)


def by_the_rules(steps: list[StepElementDict], report: TestReport) -> list[StepElementDict]:
    """The steps of one scenario's element as the format wants them (see :class:`CucumberJSON`)."""
    out: list[Any] = []
    failed = False
    for step in steps:
        result = dict(step["result"])
        if report.skipped or failed:
            result = {"status": "skipped", "duration": 0}
        elif result["status"] == "failed":
            failed = True
            result["error_message"] = assertion_message(report)
        out.append({**step, "result": result})
    return out


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Put :class:`CucumberJSON` in the place of pytest-bdd's writer (controller only: pytest-bdd
    registers none on workers)."""
    original = getattr(config, "_bddcucumberjson", None)
    if original is None or isinstance(original, CucumberJSON):
        return
    config.pluginmanager.unregister(original)
    config._bddcucumberjson = CucumberJSON(original.logfile)  # type: ignore[attr-defined]
    config.pluginmanager.register(config._bddcucumberjson)  # type: ignore[attr-defined]
