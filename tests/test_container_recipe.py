"""The container recipe (.ci/Dockerfile) gives the renderer the figures were made with.

Docker is not available on every machine (nor on the one this was written on), so what can be
checked without building is checked here: the Debian release matches the record, the recipe
installs what the set-up installs, and the Makefile targets run the README's commands in it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from steps.support import browser as chromium

ROOT = Path(__file__).parents[1]
DOCKERFILE = ROOT / ".ci" / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def _apt_installs() -> list[list[str]]:
    """The words after each `apt-get install` in the recipe's RUN lines."""
    installs = []
    for instruction, arguments in _instructions():
        if instruction != "RUN":
            continue
        for command in re.split(r"&&|;", arguments):
            words = shlex.split(command)
            if words[:2] == ["apt-get", "install"]:
                installs.append(words[2:])
    return installs


def _package_name(word: str) -> str:
    return re.split(r"[=$]", word, maxsplit=1)[0]


def test_recipe_is_the_recorded_debian_release():
    record = chromium.read_record(ROOT / "screenshots" / "figuras.json")
    base = dict(_instructions())["FROM"]
    assert base == "debian:bookworm"
    assert record.flavour == chromium.SYSTEM
    assert "bookworm" in record.os and "bookworm" in record.version_text


def test_recipe_installs_what_the_set_up_installs():
    packages = [_package_name(w) for words in _apt_installs() for w in words if not w.startswith("-")]
    for package in chromium.APT_PACKAGES:
        assert package in packages, f".ci/Dockerfile no instala {package}, que instala la preparación"
    # The set-up runs `apt-get install -y chromium` with Debian's recommends (fonts-liberation
    # among them, the fallback fonts Chromium draws with); the recipe must not drop them.
    assert all("--no-install-recommends" not in words for words in _apt_installs())
    assert {"python3", "python3-venv", "make"} <= set(packages)


def test_recipe_installs_the_pinned_python_dependencies():
    instructions = _instructions()
    assert ("COPY", "pyproject.toml /opt/aspel/pyproject.toml") in instructions
    runs = " ".join(arguments for instruction, arguments in instructions if instruction == "RUN")
    assert "/opt/aspel[test,bench]" in runs
    assert "/opt/venv/.installed" in runs and "/opt/venv/.chromium" in runs


def test_make_targets_run_the_readme_commands_in_the_container():
    makefile = (ROOT / "Makefile").read_text()
    assert "docker build -f .ci/Dockerfile" in makefile
    for target, command in (("figures-contenedor", "make figures"), ("test-contenedor", "make test")):
        recipe = re.search(rf"^{target}:.*\n\t(.+)$", makefile, re.M)
        assert recipe, f"falta el objetivo {target}"
        assert (
            "$(CONTAINER_RUN)" in recipe.group(1) and command in recipe.group(1) and "VENV=/opt/venv" in recipe.group(1)
        )
