"""Each term's proof: the tutorial with, next to each of the dialog's six terms, the scenarios
that prove it and their result in the last run (``make doc``, ``reports/tutorial.html``).

Nothing runs here. The proof is read from what the last run left:

- the features: a scenario proves term N when it, its ``Regla`` or its ``Característica`` is
  tagged ``@regla-N`` (pytest-bdd's cucumber JSON does not carry a Regla's tags, so they are
  read from the Gherkin);
- ``reports/cucumber.json``: each scenario passed, failed or was not run;
- ``reports/corrida.json`` (written by ``make test`` before pytest starts): the date and the
  commit of that run; without it, the date of the cucumber JSON and an unknown commit;
- ``reports/figures/*.json``: each figure's status (same / changed / new) in the last run.

A term is *probado* when at least one of its scenarios passed and none failed; otherwise it is
*no probado*. ``docs/`` stays the clean published tutorial; this view goes to ``reports/``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from steps.support.feature_reader import scenarios

PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"
RESULT_LABELS = {PASSED: "pasó", FAILED: "falló", NOT_RUN: "no se ejecutó"}
RESULT_MARKS = {PASSED: "✔", FAILED: "✘", NOT_RUN: "–"}
PROVEN, NOT_PROVEN = "probado", "no probado"
TERMS = range(1, 7)
RULE_TAG = re.compile(r"@regla-(\d+)$")
RUN_FILE = "corrida.json"
_COUNT_LABELS = {
    PASSED: ("pasó", "pasaron"),
    FAILED: ("falló", "fallaron"),
    NOT_RUN: ("no se ejecutó", "no se ejecutaron"),
}
_FIGURE_LABELS = {"same": "igual", "changed": "cambió", "new": "nueva"}


@dataclass(frozen=True)
class ScenarioProof:
    name: str
    feature: str  # features/xxx.feature
    line: int
    result: str  # PASSED | FAILED | NOT_RUN


@dataclass
class TermProof:
    number: int
    rule: str = ""  # the Regla's name, when one Regla carries the tag
    scenarios: list[ScenarioProof] = field(default_factory=list)

    @property
    def status(self) -> str:
        results = {s.result for s in self.scenarios}
        return PROVEN if PASSED in results and FAILED not in results else NOT_PROVEN

    def counts(self) -> str:
        """``3 de 3 escenarios pasaron`` or ``1 pasó, 1 falló, 1 no se ejecutó (3 escenarios)``."""
        if not self.scenarios:
            return f"ningún escenario lleva @regla-{self.number}"
        counts = {r: sum(s.result == r for s in self.scenarios) for r in (PASSED, FAILED, NOT_RUN)}
        total = len(self.scenarios)
        if counts[PASSED] == total:
            return f"{total} de {total} escenarios pasaron" if total > 1 else "1 de 1 escenario pasó"
        parts = [f"{counts[r]} {_COUNT_LABELS[r][counts[r] != 1]}" for r in (PASSED, FAILED, NOT_RUN) if counts[r]]
        return f"{', '.join(parts)} ({total} escenario{'s' if total != 1 else ''})"

    def summary(self) -> str:
        return f"Término {self.number}: {self.status} ({self.counts()})"


@dataclass(frozen=True)
class RunInfo:
    date: str | None  # ISO 8601; None: there is no run
    commit: str | None
    dirty: bool = False

    def describe(self) -> str:
        if self.date is None:
            return "No hay una corrida registrada (reports/cucumber.json no existe): corre `make test`."
        when = datetime.fromisoformat(self.date).astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")
        commit = self.commit[:10] if self.commit else "desconocido"
        dirty = " con cambios sin commit" if self.dirty else ""
        return f"Última corrida: {when}, commit {commit}{dirty}."


Listed = list[tuple[str, int, str]]  # (feature uri, scenario line, scenario name)


def scenarios_by_term(features_dir: Path) -> dict[int, tuple[str, Listed]]:
    """term → (Regla's name, [(feature uri, line, scenario name), ...]) from the @regla-N tags."""
    found: dict[int, tuple[str, Listed]] = {n: ("", []) for n in TERMS}
    for node in scenarios(features_dir):
        uri = f"{Path(features_dir).name}/{node.path.name}"
        for term in sorted(_terms(node.tags) & set(TERMS)):
            name, listed = found[term]
            found[term] = (name or node.rule, listed)
            listed.append((uri, node.scenario["location"]["line"], node.name))
    return found


def _terms(tags: tuple[str, ...]) -> set[int]:
    return {int(m[1]) for tag in tags if (m := RULE_TAG.match(tag))}


def scenario_results(cucumber_json: Path) -> dict[tuple[str, int], str]:
    """(feature uri, scenario line) → PASSED / FAILED / NOT_RUN; an outline's examples share the
    line of their ``Esquema del escenario`` and are merged (one failed: failed)."""
    if not cucumber_json.exists():
        return {}
    results: dict[tuple[str, int], list[str]] = {}
    for feature in json.loads(cucumber_json.read_text(encoding="utf-8") or "[]"):
        for element in feature.get("elements", []):
            statuses = {step.get("result", {}).get("status") for step in element.get("steps", [])}
            if "failed" in statuses:
                result = FAILED
            elif statuses == {"passed"}:
                result = PASSED
            else:
                result = NOT_RUN
            results.setdefault((feature["uri"], element["line"]), []).append(result)
    return {key: _merge(values) for key, values in results.items()}


def _merge(results: list[str]) -> str:
    if FAILED in results:
        return FAILED
    return PASSED if PASSED in results else NOT_RUN


def term_proofs(features_dir: Path, cucumber_json: Path) -> list[TermProof]:
    results = scenario_results(cucumber_json)
    proofs = []
    for number, (rule, listed) in scenarios_by_term(features_dir).items():
        scenarios = [ScenarioProof(name, uri, line, results.get((uri, line), NOT_RUN)) for uri, line, name in listed]
        proofs.append(TermProof(number, rule, scenarios))
    return proofs


def figure_statuses(figures_report: Path) -> dict[str, str]:
    """figura-NN → same / changed / new, from the figures report's sidecars."""
    statuses = {}
    for sidecar in sorted(Path(figures_report).glob("figura-*.json")):
        comparison = json.loads(sidecar.read_text(encoding="utf-8"))["comparison"]
        statuses[comparison["name"]] = comparison["status"]
    return statuses


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
    """Write ``reports/corrida.json``: now and the commit checked out (``make test`` calls it first)."""

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


def _term_block(proof: TermProof) -> list[str]:
    lines = [f"**Prueba del término {proof.number}: {proof.status}** ({proof.counts()})."]
    if proof.rule:
        lines.append(f"Regla: *{_text(proof.rule)}*")
    for scenario in proof.scenarios:
        lines.append(
            f"- {RESULT_MARKS[scenario.result]} {RESULT_LABELS[scenario.result]}: {_text(scenario.name)} "
            f"({scenario.feature}:{scenario.line})"
        )
    return lines


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
        number = int(_TERM_LINE.match(lines[start])[1])
        if number not in by_number or number in placed:
            continue
        end = starts[position + 1] - 1 if position + 1 < len(starts) else _quote_end(lines, start)
        inserts.setdefault(end, []).extend([">", *_quoted(_term_block(by_number[number]))])
        placed.add(number)
    for index, line in enumerate(lines):
        match = _CAPTION.match(line)
        if match:
            name = f"figura-{int(match[1]):02d}"
            label = _FIGURE_LABELS.get(figures.get(name, ""), "sin comparar")
            inserts.setdefault(index + 1, []).extend(["", f"Estado de la figura en la última corrida: **{label}**."])
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


def _summary(proofs: list[TermProof], figures: dict[str, str], run: RunInfo, unplaced: list[int]) -> str:
    blocks = [
        "## Prueba de los términos",
        "*Vista de QA: el tutorial con el resultado de la última corrida. El tutorial publicado es "
        "`docs/tutorial.html`, sin resultados.*",
        run.describe(),
        "\n".join(f"- {proof.summary()}" for proof in proofs),
    ]
    if figures:
        blocks.append(
            "Figuras: " + ", ".join(f"{name} {_FIGURE_LABELS.get(s, s)}" for name, s in figures.items()) + "."
        )
    else:
        blocks.append("Figuras: la última corrida no dejó reporte de figuras (reports/figures/).")
    for number in unplaced:
        blocks.append("\n".join(_term_block(next(p for p in proofs if p.number == number))))
    return "\n\n".join(blocks) + "\n"


def write_proof(features_dir: Path, screenshots_dir: Path, reports: Path) -> tuple[Path, Path]:
    """Write ``reports/tutorial.md`` and ``reports/tutorial.html`` from the last run."""
    from steps.support.tutorial_doc import write_proof_view

    proofs = term_proofs(features_dir, reports / "cucumber.json")
    figures = figure_statuses(reports / "figures")
    info = run_info(reports)
    return write_proof_view(
        features_dir, screenshots_dir, reports, lambda document: proof_markdown(document, proofs, figures, info)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m steps.support.proof",
        description="Escribe reports/tutorial.html: el tutorial con la prueba de cada término en la última corrida.",
    )
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"))
    parser.add_argument("--reportes", type=Path, default=Path("reports"))
    parser.add_argument(
        "--registrar-corrida",
        action="store_true",
        help="sólo escribe reports/corrida.json (fecha y commit); make test lo llama antes de pytest",
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
