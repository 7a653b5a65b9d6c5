"""What a run leaves in its reports folder for the readers that come after it, without pytest:
each failing scenario as QA reads it (``fallos.json``, written by :mod:`tutorial.ci.failure_summary`)
and when and at which commit the run began (``corrida.json``). The proof view (``tutorial
constancia``) and the shard merge read them; ``make pruebas`` runs the proof view twice, and
importing pytest, Playwright and the plugins for it was most of its time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FAILURES_FILE = "fallos.json"
RUN_FILE = "corrida.json"  # tutorial.documento.proof: when and at which commit make pruebas ran
HEADLINE_LIMIT = 480  # pytest's junitxml keeps a message attribute of up to 500 characters whole
_EVIDENCE_LABELS = {"screenshot": "captura", "trace": "traza"}


@dataclass
class Expectation:
    """What the failing step wanted and what it met, as a person says it."""

    kind: str  # texto | elemento | figura | comprobación | error
    expected: str
    actual: str
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value), e.g. ("elemento", "get_by_role(…)")


@dataclass
class ScenarioFailure:
    """A failing scenario as QA reads it (tutorial.ci.failure_summary's docstring says how)."""

    nodeid: str
    feature: str  # path as typed from the project's root, e.g. features/terminos_de_la_actualizacion.feature
    line: int  # the scenario's (or outline's) line
    scenario: str  # the name, with an outline's example filled in
    tags: list[str]
    example: dict[str, str]
    step: str  # keyword and text, as in the Gherkin
    step_line: int | None
    expectation: Expectation
    evidence: dict[str, str] = field(default_factory=dict)  # screenshot / trace / informe → path as shown
    traceback: str = ""  # pytest's own report, kept only under -v / --tb=long

    def lines(self) -> list[str]:
        tags = " ".join(f"@{tag}" for tag in self.tags)
        lines = [f"Falló el escenario «{self.scenario}»", f"  archivo: {self.feature}:{self.line}"]
        if tags:
            lines.append(f"  etiquetas: {tags}")
        if self.example:
            lines.append("  ejemplo: " + ", ".join(f"{key} = {value}" for key, value in self.example.items()))
        where = f" (línea {self.step_line})" if self.step_line else ""
        lines.append(f"  paso{where}: {self.step}")
        found = self.expectation
        rows = [("se esperaba", found.expected), ("se vio", found.actual), *found.details]
        rows += [(_EVIDENCE_LABELS.get(kind, kind), path) for kind, path in self.evidence.items()]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            first, *rest = str(value).splitlines() or [""]
            lines.append(f"  {label + ':':<{width + 1}} {first}")
            lines.extend(f"  {'':<{width + 1}} {line}" for line in rest)
        return lines

    def text(self) -> str:
        block = "\n".join(self.lines())
        return f"{block}\n\n{self.traceback}" if self.traceback else block

    def headline(self) -> str:
        """One line for a report that has room for one: JUnit's ``message`` attribute, pytest's
        ``FAILED`` line. pytest cuts an attribute past 500 characters with an English note, so a
        longer value is shortened here, in the middle of what was seen, never before ``se vio``."""
        expected, actual = (
            " ".join(str(value).split()) for value in (self.expectation.expected, self.expectation.actual)
        )
        line = f"{self.scenario}: {self.step}: se esperaba {expected}; se vio {actual}"
        return line if len(line) <= HEADLINE_LIMIT else line[: HEADLINE_LIMIT - 1] + "…"


def from_dict(data: dict) -> ScenarioFailure:
    return ScenarioFailure(**{**data, "expectation": Expectation(**data["expectation"])})


def read_failures(reports: Path) -> list[ScenarioFailure]:
    """The failures of the last run (``<reports>/fallos.json``), empty when it left none."""
    path = Path(reports) / FAILURES_FILE
    if not path.is_file():
        return []
    return [from_dict(data) for data in json.loads(path.read_text(encoding="utf-8"))]
