"""README.md and docs/guia/ci.md name only what exists: every `make` command (a rule of the
Makefile; in the completo tier also make's dry-run, with the settings written beside it), every
`tutorial` subcommand (its --help), every long option (completo: in pytest's --help with this
project's plugins, or in a subcommand's), and every timing said the one way: "on two cores,
about N s; more on a busy machine"."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tutorial import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "docs" / "guia" / "ci.md"]
# A command is written in code: `make …` inline, a line of a code block (``- run: make …`` too), an alias
# in a comment there (``(also: make …``).
MAKE = re.compile(
    r"(?:`|^|^\s*- run: |\(also: )make ((?:[a-z][a-z-]*)(?: [A-Z_]+=[^\s`$\"]+(?=[\s`\"]|$))*)", re.MULTILINE
)
TUTORIAL = re.compile(r"`(?:\.venv/bin/)?tutorial( [a-z][a-z-]*|(?= --help`))")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]+)")
RULE = re.compile(r"^([a-z][a-z -]*):(?!=)", re.MULTILINE)
TIMING = re.compile(r"\d+(?:[.,]\d+)? ?(?:s|seconds|min)\b")
TIMING_FORM = re.compile(r"on two cores, about \d+ s; more on a busy machine")


def _named(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    return sorted(
        {(page.relative_to(ROOT).as_posix(), m[1]) for page in PAGES for m in pattern.finditer(page.read_text("utf-8"))}
    )


@cache
def _pytest_help() -> str:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _help(subcommand: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main([*subcommand.split(), "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _rules() -> set[str]:
    return {name for names in RULE.findall((ROOT / "Makefile").read_text("utf-8")) for name in names.split()}


@pytest.mark.parametrize(("page", "command"), _named(MAKE))
def test_each_make_command_named_is_a_rule_of_the_makefile(page, command):
    target, *settings = command.split()
    assert target in _rules(), f"{page} nombra `make {command}`, y el Makefile no tiene la regla {target}"
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for setting in settings:
        name = setting.split("=")[0]
        assert re.search(rf"\b{name}\b", makefile), f"{page} nombra {setting}, y el Makefile no lee {name}"


@pytest.mark.completo
@pytest.mark.parametrize(("page", "command"), _named(MAKE))
def test_each_make_command_named_runs_dry(page, command):
    done = subprocess.run(["make", "-n", *command.split()], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"{page} nombra `make {command}`, que make no conoce: {done.stderr.strip()}"


@pytest.mark.parametrize(("page", "name"), _named(TUTORIAL))
def test_each_tutorial_command_named_answers_its_help(page, name, capsys):
    """``name`` is a subcommand with its leading space, or empty: the command itself."""
    assert not name or name.strip() in cli.SUBCOMMANDS, f"{page} nombra `tutorial{name}`, que no es un subcomando"
    assert f"uso: tutorial{name}" in _help(name, capsys)


@pytest.mark.completo
@pytest.mark.parametrize(("page", "option"), _named(OPTION))
def test_each_option_named_exists(page, option, capsys):
    helps = [_pytest_help()] + [_help(name, capsys) for name in cli.SUBCOMMANDS]
    assert any(re.search(rf"(?<![\w-]){re.escape(option)}\b", text) for text in helps), (
        f"{page} nombra {option}, que ni pytest ni ningún subcomando de tutorial conoce"
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_timings_are_said_on_two_cores_and_more_on_a_busy_machine(page):
    text = page.read_text("utf-8")
    said = [m.start() for m in TIMING.finditer(text)]
    allowed = [range(m.start(), m.end()) for m in TIMING_FORM.finditer(text)]
    loose = [text[max(0, at - 30) : at + 10] for at in said if not any(at in span for span in allowed)]
    assert not loose, f"{page.name}: un tiempo sin «on two cores, about N s; more on a busy machine»: {loose}"
