"""README.md and every page of docs/guia/ name only what exists: every `make` command (a rule of the
Makefile; in the completo tier also make's dry-run, with the settings written beside it), every
`tutorial` subcommand (its --help), every long option (pytest's with this project's plugins, a
subcommand's, `python -m mock_site`'s or `python -m bench`'s; another program's named with it), and
every timing said the one way: "on two cores,
about N s; more on a busy machine"."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bench import __main__ as bench_main
from mock_site import __main__ as mock_site_main
from tutorial import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs" / "guia").glob("*.md"))]
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
    """Each thing the pages name, once: (the pages that name it, joined by ", "; the thing)."""
    pages: dict[str, list[str]] = {}
    for page in PAGES:
        for match in pattern.finditer(page.read_text("utf-8")):
            where = pages.setdefault(match[1], [])
            if page.relative_to(ROOT).as_posix() not in where:
                where.append(page.relative_to(ROOT).as_posix())
    return sorted((", ".join(where), named) for named, where in pages.items())


def _pytest_options(config: pytest.Config) -> set[str]:
    """Every option pytest knows in this project (its own and its plugins'), as ``pytest --help``
    lists them, read from this run's parser instead of another process."""
    parser = config._parser  # pytest's Parser: no public way to list the options it holds
    return {
        name for group in [parser._anonymous, *parser._groups] for option in group.options for name in option.names()
    }


def _help(subcommand: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main([*subcommand.split(), "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


# Options the guides name for programs that are not ours, each with the words that name its program
# on the page; --control-token is named as what the mock refuses (the token goes in a file).
OTHER_PROGRAMS = {
    "--check": "ruff",
    "--clean": "allure generate",
    "--unsafe": "playwright run-server",
    "--no-deps": "pip",
    "--require-hashes": "pip",
    "--control-token": "--control-token-file",
}


def _module_helps(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """``python -m mock_site --help`` and ``python -m bench --help``: the other commands the guides name."""
    helps = []
    for parse_args in (mock_site_main.parse_args, bench_main.parse_args):
        with pytest.raises(SystemExit):
            parse_args(["--help"])
        helps.append(capsys.readouterr().out)
    return helps


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


@pytest.mark.parametrize(("page", "option"), _named(OPTION))
def test_each_option_named_exists(page, option, capsys, pytestconfig):
    if option in OTHER_PROGRAMS:
        for one in page.split(", "):
            assert OTHER_PROGRAMS[option] in (ROOT / one).read_text("utf-8"), f"{one} nombra {option} sin su programa"
        return
    if option in _pytest_options(pytestconfig):
        return
    helps = _module_helps(capsys) + [_help(name, capsys) for name in cli.SUBCOMMANDS]
    assert any(re.search(rf"(?<![\w-]){re.escape(option)}\b", text) for text in helps), (
        f"{page} nombra {option}, que ni pytest ni ningún subcomando de tutorial conoce"
    )


# seguridad.md's times are the limits the mock enforces (5 / 10 min, a 30 s read timeout), not how
# long a command takes.
TIMED_PAGES = [page for page in PAGES if page.name != "seguridad.md"]


@pytest.mark.parametrize("page", TIMED_PAGES, ids=lambda page: page.name)
def test_timings_are_said_on_two_cores_and_more_on_a_busy_machine(page):
    text = page.read_text("utf-8")
    samples = [range(m.start(), m.end()) for m in re.finditer(r"`[^`\n]+`", text)]  # sample output: `… en 30 s`
    said = [m.start() for m in TIMING.finditer(text) if not any(m.start() in span for span in samples)]
    allowed = [range(m.start(), m.end()) for m in TIMING_FORM.finditer(text)]
    loose = [text[max(0, at - 30) : at + 10] for at in said if not any(at in span for span in allowed)]
    assert not loose, f"{page.name}: un tiempo sin «on two cores, about N s; more on a busy machine»: {loose}"
