"""Each term is proven where it is checked. A scenario whose steps assert a
term's rule carries that term's ``@regla-N`` (its own, its Regla's or its feature's tag), so the
proof view and the cucumber report count it under the term; the mail's periodicity is term 4.

``CHECKS`` maps each term to the steps that assert it (the step text as written in the
features, a regular expression): the map is the test's claim of where each term is checked, and
both directions are held to the features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"

CHECKS: dict[int, list[str]] = {
    1: [r"^mi serie sigue igual y no hay una serie nueva$", r"^veo el nuevo número de serie de Aspel NOI 10\.0$"],
    2: [r"^el nuevo número de serie es distinto del anterior", r"^hay exactamente una serie de Aspel NOI 10\.0$"],
    3: [
        r"^la validación de mi serie de Aspel NOI 9\.0 responde",
        r"^Aspel NOI 9\.0 se abre en modo consulta$",
        r"^Aspel NOI 9\.0 se abre con su serie activa$",
    ],
    4: [r"^la nueva serie conserva la renta", r"^el correo indica Periodicidad de renta"],
    5: [r"^veo Aspel NOI 10\.0 con su instalador", r"^la descarga es el instalador de Aspel NOI 10\.0"],
    6: [r"^Aspel NOI 10\.0 queda activado$", r"^Aspel NOI 10\.0 no se activa$", r"^mis reportes y recibos se imprimen con"],
}  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    where: str  # features/x.feature:line
    name: str
    tags: frozenset[str]
    steps: tuple[str, ...]

    def terms_tagged(self) -> set[int]:
        return {int(tag.removeprefix("regla-")) for tag in self.tags if re.fullmatch(r"regla-\d", tag)}

    def terms_checked(self) -> set[int]:
        return {term for term, patterns in CHECKS.items() if any(re.search(p, s) for p in patterns for s in self.steps)}


def scenarios() -> list[Scenario]:
    """Every scenario of features/, with the tags that reach it (feature, Regla, scenario, Ejemplos)."""
    found = []
    for path in sorted(FEATURES.glob("*.feature")):
        feature = FeatureParser(str(FEATURES), path.name).parse()
        for template in feature.scenarios.values():
            tags = set(feature.tags) | set(template.tags) | (set(template.rule.tags) if template.rule else set())
            for examples in template.examples:
                tags |= set(examples.tags)
            steps = tuple(step.name for step in template.steps)
            found.append(
                Scenario(f"features/{path.name}:{template.line_number}", template.name, frozenset(tags), steps)
            )
    return found


SCENARIOS = scenarios()


@pytest.mark.parametrize("term", sorted(CHECKS))
def test_every_scenario_that_checks_a_term_carries_its_tag(term: int):
    untagged = [f"{s.where} «{s.name}»" for s in SCENARIOS if term in s.terms_checked() - s.terms_tagged()]
    assert not untagged, f"comprueban el término {term} sin @regla-{term}: {untagged}"


@pytest.mark.parametrize("term", sorted(CHECKS))
def test_every_scenario_tagged_with_a_term_checks_it(term: int):
    idle = [f"{s.where} «{s.name}»" for s in SCENARIOS if term in s.terms_tagged() - s.terms_checked()]
    assert not idle, f"llevan @regla-{term} y ningún paso suyo comprueba el término (o falta en CHECKS): {idle}"


def test_each_term_is_checked_where_the_tutorial_says():
    """Where each term is proven: the Regla of the dialog's terms, and term 4 also in the mail."""
    where = {term: sorted({s.where.split(":")[0] for s in SCENARIOS if term in s.terms_checked()}) for term in CHECKS}
    assert where[4] == ["features/03_correo_de_actualizacion.feature", "features/terminos_de_la_actualizacion.feature"]
    assert all("features/terminos_de_la_actualizacion.feature" in files for files in where.values()), where
