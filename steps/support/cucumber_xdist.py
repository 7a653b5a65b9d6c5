"""Complete cucumber JSON under pytest-xdist.

pytest-bdd keeps each scenario's report data in a registry keyed by the worker's TestReport
object; xdist sends the controller a serialized copy, which the registry does not know, so
``--cucumberjson`` comes out as ``[]``. These hooks carry the scenario data along with the report
and register it again on the controller side.
"""

from __future__ import annotations

from typing import Any

import pytest
from _pytest.reports import TestReport
from pytest_bdd.reporting import ReportContext, test_report_context_registry

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
