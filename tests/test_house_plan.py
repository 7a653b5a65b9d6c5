"""The house plan of ``steps/``: each room of ``steps/support`` imports only what its
``__init__`` allows, nothing under ``steps/support`` imports a step module, and no step module
imports another (steps share what they need through fixtures and page objects)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "steps" / "support"
ROOMS = ("sitio", "figuras", "ci", "documento")
# What each room may import besides itself, the standard library and third-party packages.
ALLOWED = {
    "sitio": ("mock_site",),
    "figuras": (),
    "ci": ("steps.support.figuras",),
    "documento": ("steps.support.figuras", "steps.support.ci", "mock_site.domain"),
}
OURS = ("steps", "mock_site", "tests", "bench", "conftest", "features")


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.relative_to(ROOT)}: import relativo; usa el nombre completo"
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in OURS}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def room_violations(room: str, path: Path) -> list[str]:
    own = f"steps.support.{room}"
    allowed = (own, *ALLOWED[room])
    return [
        name
        for name in sorted(imported_modules(path))
        if not _within(name, allowed) and not _within(imported_parent(name), allowed)
    ]


def imported_parent(name: str) -> str:
    """``steps.support.figuras.renderer`` for ``from steps.support.figuras import renderer``."""
    return name.rsplit(".", 1)[0] if "." in name else name


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_imports_only_what_its_init_allows(room):
    offences = {
        str(path.relative_to(ROOT)): bad
        for path in sorted((SUPPORT / room).glob("*.py"))
        if (bad := room_violations(room, path))
    }
    assert not offences, f"importaciones fuera del plano de la casa ({room}: {ALLOWED[room]}): {offences}"


def step_modules() -> list[Path]:
    return sorted(path for path in (ROOT / "steps").glob("*.py") if path.name != "__init__.py")


# What a step module may import of ours: the page objects and the support rooms.
STEP_MAY_IMPORT = ("steps.screens", "steps.support")


def step_violations(path: Path) -> list[str]:
    """What of ``steps`` a step module imports besides the page objects and the support rooms
    (``from steps import login`` counts as ``steps.login``)."""
    return sorted(
        name
        for name in imported_modules(path)
        if name.split(".")[0] == "steps" and name != "steps" and not _within(name, STEP_MAY_IMPORT)
    )


def test_no_step_module_imports_another():
    """Steps share what they need through fixtures and the page objects, never through another step module."""
    offences = {str(path.relative_to(ROOT)): bad for path in step_modules() if (bad := step_violations(path))}
    assert not offences, f"módulos de pasos que importan otro módulo de pasos: {offences}"


def test_support_never_imports_steps_or_page_objects():
    offences = {
        str(path.relative_to(ROOT)): [
            name for name in imported_modules(path) if not _within(name, ("steps.support", "mock_site"))
        ]
        for path in sorted(SUPPORT.rglob("*.py"))
    }
    assert not {path: names for path, names in offences.items() if names}


def test_the_rule_catches_an_import_across_rooms(tmp_path):
    """The check is not vacuous: a figure module importing the document room is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from steps.support.documento import walkthrough\nfrom steps.support.figuras import camera\n")
    assert room_violations("figuras", bad) == ["steps.support.documento", "steps.support.documento.walkthrough"]
    assert room_violations("documento", bad) == []


def test_every_room_says_what_it_may_import():
    for room in ROOMS:
        doc = ast.get_docstring(ast.parse((SUPPORT / room / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"steps/support/{room}/__init__.py: falta qué puede importar"


def test_make_ayuda_lists_every_target_with_one_line():
    """Every rule of the Makefile that a person runs carries the ``#:`` line ``make ayuda`` prints."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    rules = [
        (number, line.split(":")[0])
        for number, line in enumerate(lines)
        if re.match(r"^[a-z][a-z -]*:(?!=)", line) and "export" not in line
    ]
    assert len(rules) > 15
    unexplained = [names for number, names in rules if not lines[number - 1].startswith("#: ")]
    assert not unexplained, f"objetivos sin línea #: para make ayuda: {unexplained}"


# The one fixture the root conftest defines: pytest-playwright registers its own base_url after the
# plugins conftest lists, and only a conftest's fixture takes precedence over it.
CONFTEST_FIXTURES = {"base_url"}


def conftest_beyond_wiring(path: Path) -> list[str]:
    """What a conftest holds besides its docstring, imports, ``pytest_plugins`` and the allowed fixtures."""
    extra = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            if node.name not in CONFTEST_FIXTURES:
                extra.append(f"def {node.name}")
        elif isinstance(node, (ast.ClassDef, ast.AsyncFunctionDef)):
            extra.append(f"{type(node).__name__} {node.name}")
        elif isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] != ["pytest_plugins"]:
            extra.append(ast.unparse(node).splitlines()[0])
    return extra


def test_the_root_conftest_is_wiring():
    """Options, hooks and settings live in the rooms' plugins (``figuras/plugin.py``, ``sitio/plugin.py``…)."""
    assert not conftest_beyond_wiring(ROOT / "conftest.py"), "conftest.py es cableado: lo demás va en un plugin"


def test_the_wiring_rule_catches_a_hook(tmp_path):
    wired = tmp_path / "conftest.py"
    wired.write_text('pytest_plugins = ["a"]\nVIEWPORT = {}\n\ndef pytest_configure(config):\n    pass\n')
    assert conftest_beyond_wiring(wired) == ["VIEWPORT = {}", "def pytest_configure"]


def test_no_module_imports_a_conftest():
    """pytest loads conftest files itself; what tests share is a fixture or a plain module."""
    offences = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[-1] == "conftest"
        )
        for folder in ("tests", "steps")
        for path in sorted((ROOT / folder).rglob("*.py"))
    }
    assert not {path: names for path, names in offences.items() if names}
