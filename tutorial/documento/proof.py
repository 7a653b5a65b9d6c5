"""Each term's proof: the tutorial with, next to each of the dialog's six terms, the scenarios
that prove it and their result in the last run (``make constancia``, ``reports/tutorial.html``).

Nothing runs here. The proof is read from what the last run left:

- the features: a scenario proves term N when it, its ``Regla`` or its ``Característica`` is
  tagged ``@regla-N`` (pytest-bdd's cucumber JSON does not carry a Regla's tags, so they are
  read from the Gherkin);
- ``reports/cucumber.json``: each scenario, and each example of an outline, passed, failed or
  was not run (an example the run did not record was not run);
- ``reports/fallos.json`` (``tutorial.ci.failure_summary``): for each failure, the failing
  step, what was expected and seen, and the screenshot and trace, linked relative to the page;
- ``reports/corrida.json`` (written by ``make pruebas`` as pytest starts): the date and the
  commit of that run; without it, the date of the cucumber JSON and an unknown commit;
- ``reports/figures/*.json``: each figure's status (same / changed / new) in the last run.

A term *falló* when one of its cases failed, is *probado* when at least one passed and none
failed, and *no se ejecutó* when none ran; each in its colour (green, red, grey) and its words.
``docs/`` stays the clean published tutorial; this view goes to ``reports/``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tutorial.ci.failure_record import RUN_FILE, ScenarioFailure, read_failures
from tutorial.documento.feature_reader import scenarios
from tutorial.figuras.files import reports_option
from tutorial.figuras.report import recorded_comparisons

PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"
RESULT_LABELS = {PASSED: "pasó", FAILED: "falló", NOT_RUN: "no se ejecutó"}
# Each term by its short title in the summary (the Regla's full name heads the term's own block).
TERM_TITLES = {
    1: "se deja la versión anterior",
    2: "nueva serie al aceptar",
    3: "la versión anterior hasta su validación",
    4: "la misma periodicidad",
    5: "se instala lo descargado",
    6: "la razón social registrada",
}
RESULT_CLASSES = {PASSED: "prueba-paso", FAILED: "prueba-fallo", NOT_RUN: "prueba-no-corrio"}
PROVEN, NOT_PROVEN = "probado", "no probado"
TERMS = range(1, 7)
RULE_TAG = re.compile(r"@regla-(\d+)$")
_FIGURE_LABELS = {"same": "igual", "changed": "cambió", "new": "nueva"}
_FIGURE_CLASSES = {"same": PASSED, "changed": FAILED, "new": FAILED}
_NOT_COMPARED = "sin comparar"
# The proof view's colours: the Markdown carries them as classes; the HTML page gets this style.
PROOF_STYLE = """<style>
.prueba-paso { color: #1a7f37; font-weight: bold; }
.prueba-fallo { color: #b3001b; font-weight: bold; }
.prueba-no-corrio { color: #666; font-weight: bold; }
.prueba-detalle { display: block; margin-left: 1.5rem; font-size: .92rem; color: #333; }
.prueba-detalle code { white-space: pre-wrap; }
</style>"""


@dataclass(frozen=True)
class CaseProof:
    """One scenario, or one example of an outline, and its result in the last run."""

    name: str  # with an outline's example filled in
    feature: str  # features/xxx.feature
    line: int  # the scenario's (or outline's) line
    result: str  # PASSED | FAILED | NOT_RUN
    example: str = ""  # "periodicidad = semestral, usuarios = 3" for an outline's example
    failure: ScenarioFailure | None = None  # the failing step, what was expected and seen, the evidence
    error: str = ""  # the cucumber error message, when no failure record says more


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@dataclass
class TermProof:
    number: int
    rule: str = ""  # the Regla's name, when one Regla carries the tag
    scenarios: list[CaseProof] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(case.result == result for case in self.scenarios)

    @property
    def result(self) -> str:
        """FAILED when a case failed; PASSED when some passed and none failed; else NOT_RUN."""
        if self.count(FAILED):
            return FAILED
        return PASSED if self.count(PASSED) else NOT_RUN

    @property
    def status(self) -> str:
        return PROVEN if self.result == PASSED else NOT_PROVEN

    def verdict(self) -> str:
        """``falló 2 de 3 escenarios``, ``probado: 3 de 3 escenarios pasaron``, ``no se ejecutó (0 de 2
        escenarios)``. One unit everywhere: an outline's example runs as a scenario of its own."""
        total = len(self.scenarios)
        if not total:
            return f"no probado: ningún escenario lleva @regla-{self.number}"
        unit = _plural(total, "escenario", "escenarios")
        not_run = self.count(NOT_RUN)
        rest = f"; {not_run} no se {_plural(not_run, 'ejecutó', 'ejecutaron')}" if not_run else ""
        if self.result == FAILED:
            return f"falló {self.count(FAILED)} de {total} {unit}{rest}"
        if self.result == PASSED:
            passed = self.count(PASSED)
            return f"probado: {passed} de {total} {unit} {_plural(passed, 'pasó', 'pasaron')}{rest}"
        return f"no se ejecutó (0 de {total} {unit})"

    def counts(self) -> str:
        return self.verdict()

    def summary(self) -> str:
        """``Término 5 (se instala lo descargado): probado: …``: the number and what the term is about."""
        title = TERM_TITLES.get(self.number)
        return f"Término {self.number}{f' ({title})' if title else ''}: {self.verdict()}"


@dataclass(frozen=True)
class RunInfo:
    date: str | None  # ISO 8601; None: there is no run
    commit: str | None
    dirty: bool = False

    def describe(self) -> str:
        if self.date is None:
            return "No hay una corrida registrada (reports/cucumber.json no existe): corre `make pruebas`."
        when = datetime.fromisoformat(self.date).astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")
        commit = self.commit[:10] if self.commit else "desconocido"
        dirty = " con cambios sin commit" if self.dirty else ""
        return f"Última corrida: {when}, commit {commit}{dirty}."


@dataclass(frozen=True)
class Tagged:
    """A scenario of the features that proves a term, and its outline's examples (if any)."""

    feature: str
    line: int
    name: str
    examples: tuple[dict[str, str], ...] = ()


def scenarios_by_term(features_dir: Path) -> dict[int, tuple[str, list[Tagged]]]:
    """term → (Regla's name, [Tagged, ...]) from the @regla-N tags."""
    found: dict[int, tuple[str, list[Tagged]]] = {n: ("", []) for n in TERMS}
    for node in scenarios(features_dir):
        uri = f"{Path(features_dir).name}/{node.path.name}"
        for term in sorted(_terms(node.tags) & set(TERMS)):
            name, listed = found[term]
            found[term] = (name or node.rule, listed)
            listed.append(Tagged(uri, node.scenario["location"]["line"], node.name, _examples(node.scenario)))
    return found


def _examples(scenario: dict) -> tuple[dict[str, str], ...]:
    rows = []
    for table in scenario.get("examples", []):
        header = [cell["value"] for cell in (table.get("tableHeader") or {}).get("cells", [])]
        rows += [dict(zip(header, [cell["value"] for cell in row["cells"]], strict=True)) for row in table["tableBody"]]
    return tuple(rows)


def _terms(tags: tuple[str, ...]) -> set[int]:
    return {int(m[1]) for tag in tags if (m := RULE_TAG.match(tag))}


@dataclass(frozen=True)
class RunElement:
    """One scenario (or example) as the cucumber JSON recorded it."""

    name: str
    result: str
    error: str = ""


def run_elements(cucumber_json: Path) -> dict[tuple[str, int], list[RunElement]]:
    """(feature uri, scenario line) → the elements the last run recorded there (an outline's
    examples share their ``Esquema del escenario``'s line)."""
    if not cucumber_json.exists():
        return {}
    found: dict[tuple[str, int], list[RunElement]] = {}
    for feature in json.loads(cucumber_json.read_text(encoding="utf-8") or "[]"):
        for element in feature.get("elements", []):
            results = [step.get("result", {}) for step in element.get("steps", [])]
            statuses = {result.get("status") for result in results}
            if "failed" in statuses:
                result = FAILED
            elif statuses == {"passed"}:
                result = PASSED
            else:
                result = NOT_RUN
            error = next((r.get("error_message", "") for r in results if r.get("status") == "failed"), "")
            found.setdefault((feature["uri"], element["line"]), []).append(
                RunElement(element.get("name", ""), result, error)
            )
    return found


def _merge(results: list[str]) -> str:
    if FAILED in results:
        return FAILED
    return PASSED if PASSED in results else NOT_RUN


def _filled(name: str, example: dict[str, str]) -> str:
    for key, value in example.items():
        name = name.replace(f"<{key}>", value)
    return name


def _cases(
    tagged: Tagged, elements: list[RunElement], failures: dict[tuple[str, int, str], ScenarioFailure]
) -> list[CaseProof]:
    """The cases of one tagged scenario: itself, or each example of an outline (those the run
    did not record are NOT_RUN)."""
    remaining = list(elements)

    def case(name: str, example: str, found: list[RunElement]) -> CaseProof:
        result = _merge([e.result for e in found]) if found else NOT_RUN
        failure = failures.get((tagged.feature, tagged.line, name)) if result == FAILED else None
        error = next((e.error for e in found if e.result == FAILED), "")
        return CaseProof(name, tagged.feature, tagged.line, result, example, failure, error)

    if not tagged.examples:
        return [case(tagged.name, "", remaining)]
    out = []
    for example in tagged.examples:
        name = _filled(tagged.name, example)
        found = [e for e in remaining if e.name == name]
        for element in found:
            remaining.remove(element)
        shown = ", ".join(f"{key} = {value}" for key, value in example.items())
        out.append(case(name, shown, found))
    return out


def term_proofs(features_dir: Path, cucumber_json: Path, failures: Sequence[ScenarioFailure] = ()) -> list[TermProof]:
    elements = run_elements(cucumber_json)
    by_case = {(f.feature, f.line, f.scenario): f for f in failures}
    proofs = []
    for number, (rule, listed) in scenarios_by_term(features_dir).items():
        cases = [
            c for tagged in listed for c in _cases(tagged, elements.get((tagged.feature, tagged.line), []), by_case)
        ]
        proofs.append(TermProof(number, rule, cases))
    return proofs


def figure_statuses(figures_report: Path) -> dict[str, str]:
    """figura-NN → same / changed / new, from the figures report's sidecars."""
    return {
        comparison.name: comparison.status
        for comparison in recorded_comparisons(figures_report)
        if comparison.name.startswith("figura-")
    }


def run_info(reports: Path) -> RunInfo:
    recorded = reports / RUN_FILE
    cucumber = reports / "cucumber.json"
    if not cucumber.exists():
        return RunInfo(None, None)
    if recorded.exists():
        data = json.loads(recorded.read_text(encoding="utf-8"))
        return RunInfo(data.get("fecha"), data.get("commit"), bool(data.get("cambios_sin_commit")))
    date = datetime.fromtimestamp(cucumber.stat().st_mtime, UTC).isoformat()
    return RunInfo(date, None)


def record_run(reports: Path, repository: Path = Path(".")) -> Path:
    """Write ``reports/corrida.json``: now and the commit checked out (``make pruebas`` calls it as pytest starts)."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=repository, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    data = {
        "fecha": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "HEAD"),
        "cambios_sin_commit": bool(status),
    }
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / RUN_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# --- the proof inside the tutorial's Markdown -------------------------------------------------

_TERM_LINE = re.compile(r"^> (\d)\.- ")
_CAPTION = re.compile(r"^\*Figura (\d+) .*\*$")


def _mark(result: str, words: str) -> str:
    """The result in words, coloured by a class the page styles. No glyph: the pinned Chromium's
    fonts have no ✔ or ✘, and they showed as blank gaps."""
    return f'<span class="{RESULT_CLASSES[result]}">{_text(words)}</span>'


def _term_block(proof: TermProof) -> list[str]:
    lines = [f"**Prueba del término {proof.number}:** {_mark(proof.result, proof.verdict())}"]
    if proof.rule:
        lines.append(f"Regla: *{_text(proof.rule)}*")
    for case in proof.scenarios:
        example = f", ejemplo: {_text(case.example)}" if case.example else ""
        item = (
            f"- {_mark(case.result, RESULT_LABELS[case.result])}: {_text(case.name)} "
            f"({case.feature}:{case.line}{example})"
        )
        lines.append(
            item + "".join(f'<span class="prueba-detalle">{detail}</span>' for detail in _failure_details(case))
        )
    return lines


def _failure_details(case: CaseProof) -> list[str]:
    """The failing step, what was expected and seen, and links to the evidence (relative to the
    report, which sits in the reports folder beside them)."""
    if case.result != FAILED:
        return []
    failure = case.failure
    if failure is None:
        first = case.error.strip().splitlines()[0] if case.error.strip() else "sin mensaje"
        return [f"mensaje: {_text(first)}"]
    found = failure.expectation
    details = [
        f"paso (línea {failure.step_line}): <code>{_text(failure.step)}</code>",
        f"se esperaba: {_text(found.expected)}",
        f"se vio: {_text(found.actual)}",
    ]
    details += [f"{_text(label)}: {_text(str(value))}" for label, value in found.details if label != "informe"]
    links = [
        f'<a href="{html.escape(path)}">{_EVIDENCE_NAMES.get(kind, kind)}</a>'
        for kind, path in failure.evidence.items()
    ]
    if found.kind == "figura":
        links.append('<a href="figures/index.html">informe de figuras</a>')
    if links:
        details.append("evidencia: " + " · ".join(links))
    return details


_EVIDENCE_NAMES = {"screenshot": "captura de la falla", "trace": "traza de Playwright"}


def _text(words: str) -> str:
    """Gherkin words as Markdown text: an outline's ``<periodicidad>`` is not an HTML tag."""
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoted(lines: list[str]) -> list[str]:
    """Lines as paragraphs of a quote; consecutive list items stay one list."""
    out = []
    for index, line in enumerate(lines):
        if index and not (line.startswith("- ") and lines[index - 1].startswith("- ")):
            out.append(">")
        out.append(f"> {line}")
    return out


def proof_markdown(document: str, proofs: list[TermProof], figures: dict[str, str], run: RunInfo) -> str:
    """The tutorial's Markdown with a proof after each term of the dialog's quote, the status
    of each figure under its caption, and a summary at the top."""
    by_number = {p.number: p for p in proofs}
    lines = document.splitlines()
    starts = [i for i, line in enumerate(lines) if _TERM_LINE.match(line)]
    inserts: dict[int, list[str]] = {}
    placed: set[int] = set()
    for position, start in enumerate(starts):
        term = _TERM_LINE.match(lines[start])
        assert term, lines[start]  # the starts are the lines it matched
        number = int(term[1])
        if number not in by_number or number in placed:
            continue
        end = starts[position + 1] - 1 if position + 1 < len(starts) else _quote_end(lines, start)
        inserts.setdefault(end, []).extend([">", *_quoted(_term_block(by_number[number]))])
        placed.add(number)
    for index, line in enumerate(lines):
        match = _CAPTION.match(line)
        if match:
            name = f"figura-{int(match[1]):02d}"
            inserts.setdefault(index + 1, []).extend(
                ["", f"Estado de la figura en la última corrida: {_figure_verdict(name, figures)}."]
            )
    out: list[str] = []
    for index, line in enumerate(lines + [""]):
        out.extend(inserts.get(index, []))
        if index < len(lines):
            out.append(line)
    summary = _summary(proofs, figures, run, [p.number for p in proofs if p.number not in placed])
    head, _, rest = "\n".join(out).partition("\n")
    return f"{head}\n\n{summary}\n{rest}".rstrip("\n") + "\n"


def _quote_end(lines: list[str], start: int) -> int:
    index = start + 1
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    while lines[index - 1].strip() == ">":
        index -= 1
    return index


def _figure_verdict(name: str, figures: dict[str, str]) -> str:
    status = figures.get(name)
    if status is None:
        return f'<span class="{RESULT_CLASSES[NOT_RUN]}">{_NOT_COMPARED}</span>'
    verdict = _mark(_FIGURE_CLASSES.get(status, NOT_RUN), _FIGURE_LABELS.get(status, status))
    if status != "same":
        verdict += f' (<a href="figures/index.html#{name}">informe</a>)'
    return verdict


def _summary(proofs: list[TermProof], figures: dict[str, str], run: RunInfo, unplaced: list[int]) -> str:
    blocks = [
        "## Prueba de los términos",
        PROOF_STYLE,
        "*Vista de QA: el tutorial con el resultado de la última corrida. El tutorial publicado es "
        "`docs/tutorial.html`, sin resultados.*",
        run.describe(),
        "\n".join(f"- {_mark(proof.result, proof.summary())}" for proof in proofs),
    ]
    if figures:
        blocks.append("Figuras: " + ", ".join(f"{name} {_figure_verdict(name, figures)}" for name in figures) + ".")
    else:
        blocks.append("Figuras: la última corrida no dejó reporte de figuras (reports/figures/).")
    for number in unplaced:
        blocks.append("\n".join(_term_block(next(p for p in proofs if p.number == number))))
    return "\n\n".join(blocks) + "\n"


def write_proof(features_dir: Path, screenshots_dir: Path, reports: Path) -> tuple[Path, Path]:
    """Write ``reports/tutorial.md`` and ``reports/tutorial.html`` from the last run."""
    from tutorial.documento.tutorial_doc import write_proof_view

    proofs = term_proofs(features_dir, reports / "cucumber.json", read_failures(reports))
    figures = figure_statuses(reports / "figures")
    info = run_info(reports)
    return write_proof_view(
        features_dir, screenshots_dir, reports, lambda document: proof_markdown(document, proofs, figures, info)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tutorial constancia",
        description="Escribe reports/tutorial.html: el tutorial con la prueba de cada término en la última corrida.",
        parents=[reports_option()],
    )
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"))
    parser.add_argument(
        "--registrar-corrida",
        action="store_true",
        help="sólo escribe reports/corrida.json (fecha y commit); make pruebas lo llama al arrancar pytest",
    )
    args = parser.parse_args(argv)
    if args.registrar_corrida:
        record_run(args.reportes)
        return 0
    try:
        paths = write_proof(args.features, args.screenshots, args.reportes)
    except Exception as error:  # noqa: BLE001 - the proof view never fails the build that calls it
        print(f"No se escribió la vista de prueba de los términos: {error}")
        return 0
    for path in paths:
        print(f"Escrito {path}")
    print(run_info(args.reportes).describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
