"""One failure, one screen: what QA reads when a scenario fails, in Spanish.

pytest's default report of a failing scenario is pytest-bdd's ``call_fixture_func`` source and
Playwright's English assertion, about seventy lines that name neither the Gherkin step nor the
rule. This plugin (loaded from the root ``conftest.py``) rewrites the report of a failing
scenario into a block that says, in order: the feature file and line, the scenario (and its
example), its ``@regla-N`` / ``@figura`` tags, the failing step as written in Gherkin, what was
expected and what was seen (both strings for a text; the element and the wait for a missing
one; pixels, region and report for a figure), and the failure screenshot and trace.

- ``-v`` or ``--tb=long`` keep pytest's traceback after the block; ``--tb=no`` shows nothing.
- The block is built on the worker that ran the scenario (where the exception is) and travels
  with the report (``report.fallo_escenario``, a dict: xdist sends a report's attributes along).
- Playwright's screenshot and trace exist only after the scenario's teardown (pytest-playwright
  names them on the teardown report); the process that prints the summary adds them then.
- At the end of a run that writes a cucumber JSON (``make pruebas``) the controller writes
  ``<reports>/fallos.json``: every failure with its evidence as paths relative to the reports
  folder, which the proof view (``make constancia``) and the shard merge read.
- Last in the run's summary, one line counts what ran, passed and failed, and what was skipped
  grouped by reason (against a site without mock control, the reasons say why).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import ReprFileLocation, TerminalRepr

from tutorial.ci.failure_record import FAILURES_FILE, Expectation, ScenarioFailure, from_dict

REPORT_KEY = "fallo_escenario"

# Playwright's assertion message: "Locator expected to contain text 'renta semestral'\nActual value: …"
_EXPECT = re.compile(
    r"^(?P<subject>Locator|Page|APIResponse) expected (?P<negated>not )?to (?P<what>.+?)(?: '(?P<value>.*)')?$", re.S
)
_ACTUAL = re.compile(r"\nActual value: (?P<actual>.*?)(?: ?\n(?:Error: |Call log:)|\Z)", re.S)
_CUSTOM_EXPECTED = re.compile(r"\nExpected value: '(?P<value>.*?)'(?=\nActual value:)", re.S)
_WAITING_FOR = re.compile(r"waiting for (?P<locator>.+)")
_TIMEOUT = re.compile(r"^(?P<call>[\w.]+): Timeout (?P<ms>\d+)ms exceeded", re.M)
_EXPECTATIONS = {
    "contain text": "que contenga el texto",
    "have text": "el texto",
    "be visible": "que sea visible",
    "be hidden": "que esté oculto",
    "be enabled": "que esté habilitado",
    "be disabled": "que esté deshabilitado",
    "be checked": "que esté marcado",
    "be attached": "que esté en la página",
    "have URL": "la URL",
    "have title": "el título",
    "have value": "el valor",
    "have values": "los valores",
    "have count": "la cantidad de elementos",
    "have attribute": "el atributo",
    "have class": "la clase",
    "contain class": "que contenga la clase",
    "have accessible name": "el nombre accesible",
    "be OK": "una respuesta correcta",
}


def _quoted(text: str) -> str:
    return f"«{text}»"


def describe_exception(error: BaseException) -> Expectation:
    """Expected and seen, from what the step raised: a Playwright assertion, a Playwright wait
    that timed out, a figure that changed, a plain assertion or anything else."""
    message = str(error).strip()
    figure = getattr(error, "figure_failure", None)
    if figure is not None:
        return Expectation("figura", figure["expected"], figure["actual"], list(figure["details"]))
    timeout = _TIMEOUT.search(message)
    if _is_playwright_timeout(error) and timeout:
        waiting = _WAITING_FOR.search(message)
        element = waiting["locator"].strip() if waiting else "el elemento"
        seconds = int(timeout["ms"]) / 1000
        return Expectation("elemento", f"encontrar {element} ({timeout['call']})", f"no apareció en {seconds:g} s")
    if isinstance(error, AssertionError):
        expect = _EXPECT.match(message.split("\nActual value:")[0].split("\nExpected value:")[0])
        if expect or "\nActual value: " in message:
            return _playwright_expectation(message, expect)
        first, _, rest = message.partition("\n")
        details = [("comprobación", rest.strip())] if rest.strip() else []
        return Expectation(
            "comprobación", "que se cumpliera la comprobación del paso", first or "no se cumplió", details
        )
    return Expectation("error", "que el paso terminara sin error", f"{type(error).__name__}: {message}")


def _is_playwright_timeout(error: BaseException) -> bool:
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
    except ImportError:  # the summary itself needs no browser
        return False
    return isinstance(error, PlaywrightTimeout)


def _playwright_expectation(message: str, expect: re.Match | None) -> Expectation:
    actual_match = _ACTUAL.search(message)
    actual = actual_match["actual"].strip() if actual_match else "(Playwright no lo dijo)"
    custom = _CUSTOM_EXPECTED.search(message)
    if expect:
        what = _EXPECTATIONS.get(expect["what"], expect["what"])
        value = expect["value"]
        negated = "no " if expect["negated"] else ""
        expected = f"{negated}{what}" + (f" {_quoted(value)}" if value is not None else "")
    elif custom:  # expect(locator, "mensaje propio"): the step's own words, then the value
        expected = f"{_quoted(custom['value'])} ({message.splitlines()[0]})"
    else:
        expected = message.splitlines()[0]
    error_line = re.search(r"\nError: (?P<error>.+)", message)
    waiting = _WAITING_FOR.search(message)
    if actual in ("None", "") and error_line:
        actual = _spanish_error(error_line["error"].strip(), waiting["locator"].strip() if waiting else None)
    elif actual not in ("None", ""):
        actual = _quoted(actual)
    details = []
    if waiting:
        details.append(("elemento", waiting["locator"].strip()))
    return Expectation("texto", expected, actual, details)


def _spanish_error(error: str, locator: str | None) -> str:
    """Playwright's English reason for having no value, said in Spanish with what was looked for."""
    if error.startswith("element(s) not found"):
        return f"no se encontró en la página {locator}" if locator else "no se encontró el elemento en la página"
    return error


# --- the scenario around the exception ----------------------------------------------------------


def _scenario_report(item: pytest.Item) -> Any:
    from pytest_bdd.reporting import scenario_reports_registry

    return scenario_reports_registry.get(item)


def _failed_step(scenario_report: Any) -> Any:
    for step_report in scenario_report.step_reports:
        if step_report.failed:
            return step_report.step
    return scenario_report.step_reports[-1].step if scenario_report.step_reports else None


def _feature_path(item: pytest.Item, filename: str) -> str:
    try:
        return Path(filename).resolve().relative_to(Path(item.config.rootpath).resolve()).as_posix()
    except ValueError:
        return filename


# The tags that say what a scenario proves and needs (declared with their meaning in pyproject.toml's
# markers), besides @regla-N.
_SHOWN_TAGS = ("figura", "mock", "destructivo")


def _tags(item: pytest.Item) -> list[str]:
    """What the scenario proves and needs, from the Gherkin tags that reach it (its own, its
    Regla's, its feature's: pytest-bdd makes each a mark): the @regla-N first."""
    known = {mark.name for mark in item.iter_markers()}
    rules = sorted(tag for tag in known if re.fullmatch(r"regla-\d+", tag))
    return rules + [tag for tag in _SHOWN_TAGS if tag in known]


def failure_of(item: pytest.Item, error: BaseException, keep_traceback: str = "") -> ScenarioFailure | None:
    """The :class:`ScenarioFailure` of a pytest-bdd scenario item, or None for any other test."""
    scenario_report = _scenario_report(item)
    if scenario_report is None:
        return None
    scenario = scenario_report.scenario
    step = _failed_step(scenario_report)
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
    return ScenarioFailure(
        nodeid=item.nodeid,
        feature=_feature_path(item, scenario.feature.filename),
        line=scenario.line_number,
        scenario=scenario.name,
        tags=_tags(item),
        example={str(key): str(value) for key, value in example.items()},
        step=f"{step.keyword} {step.name}" if step else "(antes del primer paso)",
        step_line=step.line_number if step else None,
        expectation=describe_exception(error),
        traceback=keep_traceback,
    )


def _keeps_traceback(config: pytest.Config) -> bool:
    return config.get_verbosity() > 0 or config.option.tbstyle == "long"


# --- the hooks ------------------------------------------------------------------------------------


TERMS_KEY = "terminos"  # on each report of a scenario tagged @regla-N: [N, ...] and whether it is an example
EXAMPLE_KEY = "es_ejemplo"


def _terms(item: pytest.Item) -> list[int]:
    return sorted(int(tag.removeprefix("regla-")) for tag in _tags(item) if tag.startswith("regla-"))


class ReadableRepr(TerminalRepr):
    """A failure's report as a person reads it: ``text`` is what the terminal prints and what
    JUnit's body holds; ``reprcrash`` gives pytest one line, in Spanish, for JUnit's ``message``
    attribute and the ``FAILED`` line (pytest reads both from a report's ``longrepr``)."""

    def __init__(self, text: str, path: str, line: int, message: str) -> None:
        self.text = text
        self.reprcrash = ReprFileLocation(path, line, message)

    def toterminal(self, out: Any) -> None:
        for line in self.text.splitlines():
            out.line(line)

    def __str__(self) -> str:
        return self.text


def readable_scenario(failure: ScenarioFailure) -> ReadableRepr:
    return ReadableRepr(failure.text(), failure.feature, failure.step_line or failure.line, failure.headline())


UNIT_LINE_LIMIT = 200
UNIT_KEY = "fallo_prueba"  # on the report of a failing test that is not a scenario: its one line


def unit_line(item: pytest.Item, error: BaseException, traceback: Any) -> dict[str, Any]:
    """Where a test that is not a scenario failed (its own file's last line in the traceback) and
    the first line of what it raised (with the line after it when the first only announces a list)."""
    path, line = item.location[0], (item.location[1] or 0) + 1
    for entry in traceback:
        if Path(entry.path) == Path(item.path):
            line = entry.lineno + 1
    lines = [text.strip() for text in str(error).splitlines() if text.strip()]
    first = lines[0] if lines else ""
    if first.endswith(":") and len(lines) > 1:  # a heading: its first item is what failed
        first = f"{first} {lines[1]}"
    if len(first) > UNIT_LINE_LIMIT:
        first = first[: UNIT_LINE_LIMIT - 1] + "…"
    message = f"{type(error).__name__}: {first}" if first else type(error).__name__
    if isinstance(error, AssertionError) and first:
        message = first
    return {"nodeid": item.nodeid, "path": path, "line": line, "message": message}


def unit_text(data: dict[str, Any]) -> str:
    return f"Falló {data['nodeid']} ({data['path']}:{data['line']}): {data['message']}"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    terms = _terms(item)
    if terms:  # the closing line counts them (the report travels to xdist's controller with these)
        setattr(report, TERMS_KEY, terms)
        callspec = getattr(item, "callspec", None)
        setattr(report, EXAMPLE_KEY, bool(callspec and callspec.params.get("_pytest_bdd_example")))
    if report.when != "call" or not report.failed or call.excinfo is None or item.config.option.tbstyle == "no":
        return
    traceback = str(report.longrepr) if _keeps_traceback(item.config) else ""
    failure = failure_of(item, call.excinfo.value, traceback)
    if failure is None:
        setattr(report, UNIT_KEY, unit_line(item, call.excinfo.value, call.excinfo.traceback))
        return
    setattr(report, REPORT_KEY, asdict(failure))
    report.longrepr = readable_scenario(failure)


class _Collector:
    """In the process that prints the summary: the failures, completed with Playwright's evidence
    from the teardown report, written to ``fallos.json`` at the end; and each term's cases."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.calls: dict[str, Any] = {}
        self.terms = TermTally()
        self.traces: dict[str, str] = {}  # nodeid → the trace Playwright kept of its failure

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """First of every plugin, so JUnit's writer and the terminal get the readable report (a
        report from an xdist worker arrives with its longrepr turned into a string)."""
        self.terms.add(report)
        data = getattr(report, REPORT_KEY, None)
        if report.when == "call" and data:
            report.longrepr = readable_scenario(from_dict(data))
            self.calls[report.nodeid] = report
            return
        evidence = {
            name.removeprefix("playwright_"): str(path)
            for name, path in report.user_properties
            if name in ("playwright_screenshot", "playwright_trace")
        }
        if report.when == "teardown" and "trace" in evidence:
            self.traces[report.nodeid] = evidence["trace"]
        call = self.calls.get(report.nodeid)
        if report.when != "teardown" or call is None:
            return
        if evidence:
            failure = from_dict(getattr(call, REPORT_KEY))
            failure.evidence.update({kind: evidence[kind] for kind in ("screenshot", "trace") if kind in evidence})
            setattr(call, REPORT_KEY, asdict(failure))
            call.longrepr = readable_scenario(failure)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Beside the cucumber JSON it completes: a run that writes none (a developer's ``pytest
        tests/test_x.py``) leaves the last full run's record alone."""
        reports = self.config.getoption("--reportes", default=None)
        if not reports or not self.config.getoption("cucumber_json_path", default=None):
            return
        folder = Path(reports)
        records = [_relative_record(getattr(call, REPORT_KEY), folder) for call in self.calls.values()]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FAILURES_FILE
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _relative_record(data: dict, reports: Path) -> dict:
    """The record with its evidence as paths relative to the reports folder (links that survive a
    copy of the folder, and the shard merge)."""
    evidence = {}
    for kind, path in data.get("evidence", {}).items():
        absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
        evidence[kind] = Path(os.path.relpath(absolute.resolve(), reports.resolve())).as_posix()
    return {**data, "evidence": evidence, "traceback": ""}


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Collector(config), "aspel-fallos")
        config.pluginmanager.register(_Closing(), "aspel-fallos-cierre")


class TermTally:
    """Each term's cases in this run (a scenario, or each example of an outline), for the line that
    closes the run: ``Término 4: falló (2 de 3 ejemplos) · Términos 1-3, 5, 6: probados``."""

    def __init__(self) -> None:
        self.cases: dict[str, tuple[list[int], bool]] = {}
        self.failed: set[str] = set()
        self.passed: set[str] = set()

    def add(self, report: pytest.TestReport) -> None:
        terms = getattr(report, TERMS_KEY, None)
        if not terms:
            return
        self.cases[report.nodeid] = (list(terms), bool(getattr(report, EXAMPLE_KEY, False)))
        if report.failed:
            self.failed.add(report.nodeid)
        elif report.when == "call" and report.passed:
            self.passed.add(report.nodeid)

    def line(self) -> str | None:
        """None when no scenario of a term ran."""
        failing, proven = [], []
        for term in sorted({term for terms, _ in self.cases.values() for term in terms}):
            ran = [nodeid for nodeid, (terms, _) in self.cases.items() if term in terms]
            failed = [nodeid for nodeid in ran if nodeid in self.failed]
            if failed:
                examples = all(self.cases[nodeid][1] for nodeid in ran)
                noun = "ejemplos" if examples else "escenarios"
                failing.append(f"Término {term}: falló ({len(failed)} de {len(ran)} {noun})")
            elif any(nodeid in self.passed for nodeid in ran):
                proven.append(term)
        if not failing and not proven:
            return None
        parts = failing
        if proven:
            word = "Término" if len(proven) == 1 else "Términos"
            parts.append(f"{word} {_ranges(proven)}: {'probado' if len(proven) == 1 else 'probados'}")
        return " · ".join(parts)


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 6] → ``1-3, 5, 6`` (a run of three or more as a range)."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


_SKIP_DETAIL = re.compile(r" \(.*\)$")


_FAILED = pytest.StashKey[list]()  # pytest's list of failures, while it is emptied for its own summary


def run_summary(terminalreporter: Any) -> str:
    """One line: how many ran (passed, failed), how many were skipped, grouped by reason."""
    stats = terminalreporter.stats
    failures = terminalreporter.config.stash.get(_FAILED, None) or stats.get("failed", [])
    passed, failed = len(stats.get("passed", [])), len(failures) + len(stats.get("error", []))
    reasons: Counter[str] = Counter()
    for report in stats.get("skipped", []):
        message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reasons[_SKIP_DETAIL.sub("", message.removeprefix("Skipped: "))] += 1
    line = f"Resumen: corrieron {passed + failed} ({passed} pasaron, {failed} fallaron); se omitieron {sum(reasons.values())}"
    if reasons:
        line += ": " + "; ".join(f"{count} por «{reason}»" for reason, count in reasons.most_common())
    return line


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("tutorial").addoption(
        "--trazas-de",
        metavar="REPORTES",
        default=None,
        help="esta corrida repite lo que falló en la que dejó sus reportes en REPORTES, con trazas: "
        "imprime sólo dónde quedó la traza de cada fallo y la añade a REPORTES/fallos.json",
    )


def _verbose(config: pytest.Config) -> bool:
    return config.get_verbosity() > 0


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> Any:
    """Before anything else of the summary: each failing scenario's Spanish block, then one line
    per failing test that is not a scenario (its traceback only under ``-v``, where pytest's own
    report of it follows the blocks). pytest's FAILURES section and its FAILED lines would repeat
    them, so its list of failures is empty while it writes its part and is put back after, for
    its count. The trace re-run (``--trazas-de``) prints only where each trace is."""
    stats = terminalreporter.stats
    failed = list(stats.get("failed", []))
    if hasattr(config, "workerinput") or config.option.collectonly or not failed:
        return (yield)
    config.stash[_FAILED] = failed
    if config.getoption("trazas_de"):
        stats["failed"] = []
        _write_traces(terminalreporter, config, failed)
        try:
            return (yield)
        finally:
            stats["failed"] = failed
    if config.option.tbstyle == "no":
        return (yield)
    scenarios = [report for report in failed if getattr(report, REPORT_KEY, None)]
    others = [report for report in failed if not getattr(report, REPORT_KEY, None)]
    write = terminalreporter.write_line
    if scenarios:
        terminalreporter.write_sep("=", f"FALLOS: {_count(len(scenarios), 'escenario', 'escenarios')}", red=True)
        for index, report in enumerate(scenarios):
            if index:
                write("")
            for line in str(report.longrepr).splitlines():
                write(line, red=line.startswith("Falló"), bold=line.startswith("Falló"))
    if others:
        terminalreporter.write_sep("=", f"FALLOS: {_count(len(others), 'prueba', 'pruebas')} sin escenario", red=True)
        for report in others:
            data = getattr(report, UNIT_KEY, None)
            write(unit_text(data) if data else f"Falló {report.nodeid}: {_crash(report)}", red=True)
        if not _verbose(config):
            write("(con -v, el traceback de cada una)")
    stats["failed"] = others if _verbose(config) else []
    try:
        return (yield)
    finally:
        stats["failed"] = failed


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _crash(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message.splitlines()[0] if crash is not None and crash.message else "(sin mensaje)"


def _write_traces(terminalreporter: Any, config: pytest.Config, failed: list[pytest.TestReport]) -> None:
    """The re-run's report: each failure's trace (added to the first run's ``fallos.json``, which
    the proof view reads), and what passed this time, which waits on something it does not name."""
    collector = config.pluginmanager.get_plugin("aspel-fallos")
    traces = collector.traces if collector is not None else {}
    write = terminalreporter.write_line
    for report in failed:
        trace = traces.get(report.nodeid)
        write(f"  traza: {trace}  ({report.nodeid})" if trace else f"  sin traza: {report.nodeid}")
    for report in terminalreporter.stats.get("passed", []):
        write(f"  pasó esta vez (inestable: espera algo que no nombra): {report.nodeid}", yellow=True)
    add_traces(Path(config.getoption("trazas_de")), traces)


def add_traces(reports: Path, traces: dict[str, str]) -> None:
    """Each trace of the re-run into the first run's record, as a path relative to its folder."""
    path = reports / FAILURES_FILE
    if not traces or not path.is_file():
        return
    records = json.loads(path.read_text(encoding="utf-8"))
    for record in records:
        if record["nodeid"] in traces:
            trace = _relative_record({"evidence": {"trace": traces[record["nodeid"]]}}, reports)["evidence"]["trace"]
            record["evidence"] = {**record.get("evidence", {}), "trace": trace}
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class _Closing:
    """The run's last lines: what ran, and a line per term."""

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        if hasattr(config, "workerinput") or config.option.collectonly or config.getoption("trazas_de"):
            return
        terminalreporter.write_line(run_summary(terminalreporter), bold=True)
        collector = config.pluginmanager.get_plugin("aspel-fallos")
        terms = collector.terms.line() if collector is not None else None
        if terms:
            terminalreporter.write_line(terms, bold=True, red="falló" in terms, green="falló" not in terms)
