"""reports/cucumber.json by the format's rules, checked against the format's
schema (tests/cucumber_json.schema.json, with jsonschema) in-process: pytest-bdd's writer as this
project replaces it (tutorial/ci/cucumber_xdist.py) is fed reports as a run feeds it. The file
of a real run with failures is checked in tests/test_failing_run.py."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import jsonschema
import pytest
from _pytest.reports import TestReport
from pytest_bdd.reporting import ReportContext, test_report_context_registry

from tutorial.ci.cucumber_xdist import CucumberJSON, by_the_rules
from tutorial.ci.failure_summary import REPORT_KEY, Expectation, ScenarioFailure

SCHEMA = json.loads((Path(__file__).parent / "cucumber_json.schema.json").read_text(encoding="utf-8"))
FEATURE = {
    "keyword": "Característica",
    "name": "Términos de la actualización",
    "filename": "/proyecto/features/terminos.feature",
    "rel_filename": "features/terminos.feature",
    "language": "es",
    "line_number": 3,
    "description": "",
    "tags": ["no-doc"],
}
STEPS = [
    "que tengo Aspel NOI 9.0 en suscripción semestral",
    "acepto la actualización",
    "la nueva serie conserva la renta semestral",
    "la ventana se cierra",
]


def scenario(failed_at: int | None) -> dict:
    """pytest-bdd's serialized scenario report; from ``failed_at`` on, every step ``failed`` as
    pytest-bdd's ScenarioReport.fail() leaves them."""
    steps = []
    for index, name in enumerate(STEPS):
        failed = failed_at is not None and index >= failed_at
        steps.append(
            {
                "name": name,
                "type": "then",
                "keyword": "Entonces",
                "line_number": 10 + index,
                "failed": failed,
                "duration": 0.25 if not failed or index == failed_at else 0,
            }
        )
    return {
        "steps": steps,
        "keyword": "Escenario",
        "name": "Conserva la renta",
        "line_number": 9,
        "tags": ["regla-4"],
        "feature": FEATURE,
        "description": "",
    }


def report(outcome: str, failed_at: int | None) -> TestReport:
    made = TestReport(
        "features/test_tutorial.py::test_conserva[chromium]",
        ("x", 1, "x"),
        {},
        outcome,
        "Traceback (most recent call last):\n  fixturefunc = <function …>",
        "call",
    )
    if outcome == "failed":
        failure = ScenarioFailure(
            nodeid=made.nodeid,
            feature="features/terminos.feature",
            line=9,
            scenario="Conserva la renta",
            tags=["regla-4"],
            example={},
            step=f"Entonces {STEPS[failed_at]}",
            step_line=10 + failed_at,
            expectation=Expectation("texto", "que contenga el texto «renta semestral»", "«… con renta mensual.»"),
        )
        setattr(made, REPORT_KEY, asdict(failure))
    test_report_context_registry[made] = ReportContext(scenario=scenario(failed_at), name="test_conserva[chromium]")
    return made


@pytest.fixture
def written(tmp_path: Path) -> list[dict]:
    writer = CucumberJSON(str(tmp_path / "sin-crear" / "cucumber.json"))
    writer.pytest_runtest_logreport(report("passed", None))
    writer.pytest_runtest_logreport(report("failed", 2))
    writer.pytest_sessionfinish()
    return json.loads((tmp_path / "sin-crear" / "cucumber.json").read_text(encoding="utf-8"))


def test_the_file_follows_the_formats_schema(written):
    jsonschema.validate(written, SCHEMA)


def test_pytest_bdds_own_output_breaks_the_schema():
    """The schema is not a formality: what pytest-bdd writes by itself fails it."""
    from pytest_bdd.cucumber_json import LogBDDCucumberJSON

    writer = LogBDDCucumberJSON("/dev/null")
    writer.pytest_runtest_logreport(report("failed", 2))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(list(writer.features.values()), SCHEMA)


def test_the_steps_after_a_failure_are_skipped_and_only_the_failing_one_carries_the_assertion(written):
    steps = written[0]["elements"][1]["steps"]
    assert [step["result"]["status"] for step in steps] == ["passed", "passed", "failed", "skipped"]
    message = steps[2]["result"]["error_message"]
    assert message.splitlines()[0] == "Falló el escenario «Conserva la renta»"
    assert "  se esperaba: que contenga el texto «renta semestral»" in message.splitlines()
    assert "fixturefunc" not in message and "Traceback" not in message
    assert steps[3]["result"] == {"status": "skipped", "duration": 0}


def test_durations_are_whole_nanoseconds_and_tags_carry_their_at(written):
    element = written[0]["elements"][0]
    assert [step["result"]["duration"] for step in element["steps"]] == [250_000_000] * 4
    assert [tag["name"] for tag in element["tags"]] == ["@regla-4"]
    assert [tag["name"] for tag in written[0]["tags"]] == ["@no-doc"]


def test_a_failure_without_a_summary_gives_pytests_crash_line():
    plain = TestReport("t", ("x", 1, "x"), {}, "failed", "AssertionError: 2 != 3", "call")
    steps = [
        {"keyword": "Dado", "name": "a", "line": 1, "result": {"status": "failed", "duration": 5, "error_message": ""}}
    ]
    assert by_the_rules(steps, plain)[0]["result"]["error_message"] == "AssertionError: 2 != 3"


def test_a_scenario_skipped_from_a_step_has_its_steps_skipped():
    skipped = TestReport("t", ("x", 1, "x"), {}, "skipped", ("f", 1, "Skipped: sin API de control"), "call")
    steps = [{"keyword": "Dado", "name": "a", "line": 1, "result": {"status": "passed", "duration": 5}}]
    assert by_the_rules(steps, skipped)[0]["result"] == {"status": "skipped", "duration": 0}
