"""The container recipe (.ci/Dockerfile) gives the renderer the figures were made with.

Docker is not available on every machine (nor on the one this was written on), so what can be
checked without building is checked here: the recipe installs the pinned build the record names
with the set-up's own installer, and the Makefile targets run the README's commands in it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tutorial.figuras import pinned_chromium
from tutorial.figuras import renderer as chromium

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


def _runs() -> str:
    return " ".join(arguments for instruction, arguments in _instructions() if instruction == "RUN")


def test_recipe_installs_the_recorded_pinned_renderer_with_the_set_ups_installer():
    record = chromium.read_record(ROOT / "screenshots" / "figuras.json")
    assert record.flavour == chromium.PINNED
    assert record.package == f"{pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}"
    instructions = _instructions()
    assert ("COPY", "tutorial/figuras/pinned_chromium.py /opt/aspel/pinned_chromium.py") in instructions
    assert "/opt/venv/bin/python /opt/aspel/pinned_chromium.py" in _runs()
    env = dict(instructions)["ENV"]
    assert "ASPEL_RENDERER_DIR=/opt/renderizador" in env.split()


def test_recipe_installs_what_the_installer_needs():
    packages = [_package_name(w) for words in _apt_installs() for w in words if not w.startswith("-")]
    # npm fetches the package; the build brings its own libraries and fonts, so no chromium package.
    assert {"python3", "python3-venv", "make", "npm"} <= set(packages)
    assert "chromium" not in packages


def test_recipe_installs_the_pinned_python_dependencies():
    instructions = _instructions()
    assert ("COPY", "pyproject.toml /opt/aspel/pyproject.toml") in instructions
    assert ("COPY", "requirements.lock /opt/aspel/requirements.lock") in instructions
    assert "--require-hashes -r /opt/aspel/requirements.lock" in _runs()
    assert "--no-deps --no-build-isolation /opt/aspel" in _runs()
    assert "/opt/venv/.installed" in _runs()


def test_make_targets_run_the_readme_commands_in_the_container():
    makefile = (ROOT / "Makefile").read_text()
    assert "docker build -f .ci/Dockerfile" in makefile
    for target, command in (("figuras-contenedor", "make figuras"), ("pruebas-contenedor", "make pruebas")):
        recipe = re.search(rf"^(?:[\w-]+ )*{target}(?: [\w-]+)*:.*\n\t(.+)$", makefile, re.M)
        assert recipe, f"falta el objetivo {target}"
        assert (
            "$(CONTAINER_RUN)" in recipe.group(1) and command in recipe.group(1) and "VENV=/opt/venv" in recipe.group(1)
        )
