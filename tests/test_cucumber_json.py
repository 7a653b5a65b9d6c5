"""reports/cucumber.json by the format's rules, checked against the format's
schema (tests/cucumber_json.schema.json, with jsonschema) in-process: pytest-bdd's writer as this
project replaces it (tutorial/ci/cucumber_xdist.py) is fed reports as a run feeds it. The file
of a real run with failures is checked in tests/test_failing_run.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

import jsonschema
import pytest
from _pytest.reports import TestReport
from pytest_bdd.reporting import ReportContext, test_report_context_registry

from tutorial.ci.cucumber_xdist import CucumberJSON, by_the_rules
from tutorial.ci.failure_record import Expectation, ScenarioFailure
from tutorial.ci.failure_summary import REPORT_KEY

ROOT = Path(__file__).resolve().parent.parent
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


RULE_FEATURE = """# language: es
@no-doc
Característica: Los términos

  @regla-4
  Regla: 4.- La nueva serie tiene la misma periodicidad

    Esquema del escenario: Conserva la renta <periodicidad>
      Dado que la renta es <periodicidad>
      Entonces la renta se conserva

      Ejemplos:
        | periodicidad |
        | mensual      |
        | semestral    |

    @mock
    Escenario: Conserva a los usuarios
      Dado que la renta es anual
      Entonces la renta se conserva
"""

RULE_STEPS = """
from pytest_bdd import given, parsers, scenarios, then

scenarios("terminos.feature")


@given(parsers.parse("que la renta es {periodicidad}"))
def _(periodicidad):
    pass


@then("la renta se conserva")
def _():
    pass
"""


def rule_run(pytester: pytest.Pytester) -> list[dict]:
    """A real pytest-bdd run through this project's writer: a Regla tagged @regla-4 holding an
    outline and a scenario."""
    pytester.makefile(".feature", terminos=RULE_FEATURE)
    pytester.makepyfile(test_terminos=RULE_STEPS)
    pytester.makeconftest('pytest_plugins = ["tutorial.ci.cucumber_xdist"]')  # as the root conftest.py loads it
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly",
        "-p", "no:xdist", "-W", "ignore::pytest.PytestUnknownMarkWarning", "--cucumberjson", "cucumber.json",
    )  # fmt: skip
    result.assert_outcomes(passed=3)
    return json.loads((pytester.path / "cucumber.json").read_text(encoding="utf-8"))


def test_every_scenario_and_example_carries_its_rules_tags(pytester: pytest.Pytester):
    """Issue 38, point 4: pytest-bdd wrote only a scenario's own tags, so the examples of a
    Regla tagged @regla-4 had ``tags: []`` and a CI tool could not group them by term."""
    written = rule_run(pytester)
    jsonschema.validate(written, SCHEMA)
    tags = {element["name"]: element["tags"] for element in written[0]["elements"]}
    assert tags == {
        "Conserva la renta mensual": [{"name": "@regla-4", "line": 5}],
        "Conserva la renta semestral": [{"name": "@regla-4", "line": 5}],
        "Conserva a los usuarios": [{"name": "@mock", "line": 17}, {"name": "@regla-4", "line": 5}],
    }, tags
    assert written[0]["tags"] == [{"name": "@no-doc", "line": 2}]


@pytest.mark.completo
def test_a_real_consumer_reads_the_rules_tags(pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory):
    """npm's cucumber-junit 1.7.1 (a converter CI pipelines use) turns each tag into a property of
    its test suite (one per scenario): every scenario and example of the Regla gets @regla-4. npm installs it once per machine into
    .venv/node/ (the npm registry, as pip's)."""
    npm = shutil.which("npm")
    assert npm, "Esta prueba necesita npm (Node.js) para instalar cucumber-junit: apt-get install npm"
    prefix = ROOT / ".venv" / "node"
    converter = prefix / "node_modules" / ".bin" / "cucumber-junit"
    if not converter.exists():
        subprocess.run(
            [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--ignore-scripts", "cucumber-junit@1.7.1"],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    written = rule_run(pytester)
    done = subprocess.run(
        [str(converter)], input=json.dumps(written), capture_output=True, text=True, check=True, timeout=60
    )
    suites = list(ET.fromstring(done.stdout).iter("testsuite"))  # one per scenario, a case per step
    assert len(suites) == 3, done.stdout
    for suite in suites:
        properties = {prop.get("name"): prop.get("value") for prop in suite.iter("property")}
        assert properties.get("@regla-4") == "true", (suite.get("name"), properties)
