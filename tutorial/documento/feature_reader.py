"""The one reader of features/: the Gherkin tree parsed and walked in one place.

The tutorial document (``tutorial_doc``), the proof of the terms (``proof``), the benchmark
(``bench.floor``) and their tests all read the features through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner

from tutorial.figuras.annotations import FIGURE_STEP_PATTERN

FIGURE_STEP = re.compile(FIGURE_STEP_PATTERN)


@dataclass(frozen=True)
class ScenarioNode:
    """A scenario (or outline) as the features hold it, with what it inherits."""

    scenario: dict  # the gherkin AST node
    tags: tuple[str, ...]  # the feature's, the Regla's and its own, in that order, without repeats
    rule: str  # the Regla's name, "" outside a Regla
    path: Path  # the .feature file

    @property
    def name(self) -> str:
        return self.scenario["name"].strip()

    @property
    def steps(self) -> list[str]:
        return [step["text"] for step in self.scenario["steps"]]


@dataclass(frozen=True)
class FigureStep:
    """A step «se captura la Figura N "caption" …»: the figure, its caption and its marks' text."""

    number: int
    caption: str
    tail: str
    scenario: ScenarioNode


def parse_text(text: str) -> dict:
    """The gherkin AST's ``feature`` node of one feature's text."""
    # Read as plain JSON-like dicts: gherkin's TypedDicts leave out keys its nodes carry (a child's rule).
    return cast(dict, Parser().parse(TokenScanner(text))["feature"])


def feature_paths(features_dir: Path) -> list[Path]:
    """Every .feature of the folder, in file-name order (the document's order)."""
    return sorted(Path(features_dir).glob("*.feature"))


def read_features(features_dir: Path) -> Iterator[tuple[Path, dict]]:
    """(path, feature node) for every feature, in file-name order."""
    for path in feature_paths(features_dir):
        yield path, parse_text(path.read_text(encoding="utf-8"))


def tag_names(node: dict) -> list[str]:
    return [tag["name"] for tag in node.get("tags", [])]


def walk(feature: dict, path: Path) -> Iterator[ScenarioNode]:
    """Every scenario of one feature, inside a Regla or not, with its inherited tags."""
    inherited = tag_names(feature)
    for child in feature["children"]:
        if "rule" in child:
            rule = child["rule"]
            for item in rule["children"]:
                if "scenario" in item:
                    yield _node(item["scenario"], inherited + tag_names(rule), rule["name"].strip(), path)
        elif "scenario" in child:
            yield _node(child["scenario"], inherited, "", path)


def _node(scenario: dict, tags: list[str], rule: str, path: Path) -> ScenarioNode:
    return ScenarioNode(scenario, tuple(dict.fromkeys(tags + tag_names(scenario))), rule, path)


def scenarios(features_dir: Path) -> Iterator[ScenarioNode]:
    """Every scenario of every feature, in file order."""
    for path, feature in read_features(features_dir):
        yield from walk(feature, path)


def figure_steps(features_dir: Path) -> Iterator[FigureStep]:
    """Every figure step of the features, with the scenario that holds it."""
    for node in scenarios(features_dir):
        for text in node.steps:
            match = FIGURE_STEP.match(text)
            if match:
                yield FigureStep(int(match["number"]), match["caption"], match["tail"], node)
