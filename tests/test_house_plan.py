"""The house plan: the tooling (``tutorial/``, the ``tutorial`` command) apart from the steps; each
room of ``tutorial`` imports only what its ``__init__`` allows, nothing under ``tutorial`` imports a
step module, no import cycle anywhere, no step module
imports another (steps share what they need through fixtures and page objects), steps reach the
browser only through the page objects (``steps/screens/``), and those click, hover and fill only
through ``tutorial.actions``, which tells the walkthrough's recorder: nothing patches
Playwright."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.source_tree import KeptAnswers, imports, nodes, parsed

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "tutorial"
ROOMS = ("sitio", "figuras", "ci", "documento")
# What each room may import besides itself, the standard library and third-party packages.
ALLOWED = {
    "sitio": ("mock_site",),
    "figuras": (),
    "ci": ("tutorial.figuras",),
    "documento": ("tutorial.figuras", "tutorial.ci", "mock_site.domain", "tutorial.actions"),
}
# Beside the rooms: the page objects' actions, told to listeners. Any room may listen to them.
ACTIONS = SUPPORT / "actions.py"
OURS = ("steps", "tutorial", "mock_site", "tests", "bench", "conftest", "features")
KEPT = KeptAnswers(Path(__file__))  # what the rules below found in each file, reused while it is the same
_kept = KEPT.fixture()


@KEPT.rule
def imported_modules(path: Path) -> list[str]:
    """Every absolute module a file imports (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    found: set[str] = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node.level, node.module)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return sorted(name for name in found if name.split(".")[0] in OURS)


def _absolute(path: Path, level: int, module: str | None) -> str:
    """``from .db import x`` in ``mock_site/auth.py`` is ``mock_site.db`` (flaskr's style in the mock)."""
    if level == 0:
        return module or ""
    package = path.relative_to(ROOT).parent.parts
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, *([module] if module else [])])


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def room_violations(room: str, path: Path) -> list[str]:
    own = f"tutorial.{room}"
    allowed = (own, *ALLOWED[room])
    return [
        name
        for name in imported_modules(path)
        if not _within(name, allowed) and not _within(imported_parent(name), allowed)
    ]


def imported_parent(name: str) -> str:
    """``tutorial.figuras.renderer`` for ``from tutorial.figuras import renderer``."""
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
STEP_MAY_IMPORT = ("steps.screens", "tutorial")


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


def test_steps_holds_only_step_modules_and_the_page_objects():
    """The tooling lives in ``tutorial/``; ``steps/`` is what pytest-bdd binds and the screens it drives."""
    folders = sorted(path.name for path in (ROOT / "steps").iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == ["screens"], f"steps/ guarda sólo módulos de pasos y steps/screens/: {folders}"


def test_the_tooling_never_imports_steps_or_page_objects():
    offences = {
        str(path.relative_to(ROOT)): [
            name for name in imported_modules(path) if not _within(name, ("tutorial", "mock_site"))
        ]
        for path in sorted(SUPPORT.rglob("*.py"))
    }
    assert not {path: names for path, names in offences.items() if names}


def test_the_actions_import_nothing_of_ours():
    """So the page objects and any room may import them (the walkthrough listens to them)."""
    assert imported_modules(ACTIONS) == []


def test_the_rule_catches_an_import_across_rooms(tmp_path):
    """The check is not vacuous: a figure module importing the document room is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from tutorial.documento import walkthrough\nfrom tutorial.figuras import camera\n")
    assert room_violations("figuras", bad) == ["tutorial.documento", "tutorial.documento.walkthrough"]
    assert room_violations("documento", bad) == []


def test_every_room_says_what_it_may_import():
    for room in ROOMS:
        doc = ast.get_docstring(parsed(SUPPORT / room / "__init__.py"))
        assert doc and "May import" in doc, f"tutorial/{room}/__init__.py: falta qué puede importar"


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
    for node in parsed(path).body:
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


# --- steps call screens only; screens act through tutorial.actions ------------------------

# What a step module never calls, on anything: finding an element (the page objects find them)
# and acting on one (the page objects act, through tutorial.actions). A step may narrow what
# a page object found (filter, nth, first) and check it with expect.
FINDS = re.compile(r"^(get_by_\w+|locator|frame_locator)$")
ACTS = {"click", "dblclick", "hover", "fill", "type", "press", "check", "select_option", "drag_to", "tap"}


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in nodes(path) if isinstance(node, ast.Call)]


def _by_line(item: str) -> tuple[int, str]:
    line, what = item.split(":", 1)
    return int(line), what


def browser_violations(path: Path) -> list[str]:
    """What a step module does to the browser itself: ``page.<anything>`` (the page is only handed
    to page objects), or a call that finds or acts on an element."""
    found = [
        f"{node.lineno}: page.{node.attr}"
        for node in nodes(path)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "page"
    ]
    found += [
        f"{call.lineno}: .{call.func.attr}()"
        for call in _calls(path)
        if isinstance(call.func, ast.Attribute) and (FINDS.match(call.func.attr) or call.func.attr in ACTS)
    ]
    return sorted(set(found), key=_by_line)


def test_steps_reach_the_browser_only_through_page_objects():
    """«Steps call screens only»: a screen changes in steps/screens/ alone."""
    offences = {str(path.relative_to(ROOT)): bad for path in step_modules() if (bad := browser_violations(path))}
    assert not offences, f"pasos que buscan o actúan en la página sin un objeto de pantalla: {offences}"


def test_the_browser_rule_catches_a_raw_locator(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def step(page):\n"
        "    page.get_by_role('button', name='Aceptar').click()\n"
        "    screen(page).row('x').get_by_role('cell')\n"
        "    page.goto('/')\n"
    )
    assert browser_violations(bad) == [
        "2: .click()",
        "2: .get_by_role()",
        "2: page.get_by_role",
        "3: .get_by_role()",
        "4: page.goto",
    ]


def step_functions(tree: ast.Module) -> set[str]:
    """The module's functions bound to a Gherkin step (decorated with given, when or then)."""

    def bound(decorator: ast.expr) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return isinstance(target, ast.Name) and target.id in ("given", "when", "then")

    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any(bound(decorator) for decorator in node.decorator_list)
    }


def test_no_step_calls_another_step():
    """Steps that share a path share a helper or a page object, not each other."""
    offences = {}
    for path in step_modules():
        steps = step_functions(parsed(path))
        called = sorted(
            {
                f"{call.lineno}: {call.func.id}"
                for call in _calls(path)
                if isinstance(call.func, ast.Name) and call.func.id in steps
            }
        )
        if called:
            offences[str(path.relative_to(ROOT))] = called
    assert not offences, f"pasos que llaman a otro paso: {offences}"


RECORDED = {"click", "hover", "fill"}  # what the walkthrough records (tutorial.actions tells it)


def unrecorded_actions(path: Path) -> list[str]:
    """``x.click(``, ``x.hover(``, ``x.fill(`` called on something: an action the recorder would
    not hear (the page objects call ``click(locator)``, ``hover(locator)``, ``fill(locator, text)``)."""
    return [
        f"{call.lineno}: .{call.func.attr}()"
        for call in _calls(path)
        if isinstance(call.func, ast.Attribute) and call.func.attr in RECORDED
    ]


def test_every_click_hover_and_fill_goes_through_the_actions():
    offences = {
        str(path.relative_to(ROOT)): bad
        for path in sorted((ROOT / "steps").rglob("*.py"))
        if path != ACTIONS and (bad := unrecorded_actions(path))
    }
    assert not offences, f"clic, hover o fill que el recorrido no oye (usa tutorial.actions): {offences}"


OUR_FOLDERS = ("steps", "tutorial", "mock_site", "tests", "bench", "features")


@KEPT.rule
def playwright_patches(path: Path) -> list[str]:
    """Where a module changes a Playwright class: ``setattr`` (or ``monkeypatch.setattr``) on it,
    an assignment to one of its attributes, a ``*patch*`` helper handed it, or a patch by name
    (``"playwright.…"``)."""
    ours = {
        alias.asname or alias.name
        for node in nodes(path)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "playwright"
        for alias in node.names
    } | {"playwright"}

    def playwright_thing(node: ast.expr) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.startswith("playwright.")
        return isinstance(node, ast.Name) and node.id in ours

    found = []
    for node in nodes(path):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if ("setattr" in name or "patch" in name) and playwright_thing(node.args[0]):
                found.append(f"{node.lineno}: {name}({ast.unparse(node.args[0])}, …)")
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Attribute) and playwright_thing(target.value):
                found.append(f"{node.lineno}: {ast.unparse(target)} = …")
    return sorted(found, key=_by_line)


def test_nothing_patches_playwright():
    """The walkthrough hears the page objects (tutorial.actions); no class of Playwright is changed."""
    files = [ROOT / "conftest.py"] + [path for folder in OUR_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    offences = {str(path.relative_to(ROOT)): bad for path in files if (bad := playwright_patches(path))}
    assert not offences, f"cambios a clases de Playwright: {offences}"


def test_the_patch_rule_catches_every_way(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from playwright.sync_api import Locator, Page as P\n"
        "setattr(Locator, 'click', None)\n"
        "P.goto = None\n"
        "def test(monkeypatch):\n"
        "    monkeypatch.setattr('playwright.sync_api.Locator.fill', None)\n"
        "_patch(Locator, 'hover', 'x')\n"
        "setattr(config, 'x', 1)\n"
    )
    assert [item.split(":")[0] for item in playwright_patches(bad)] == ["2", "3", "5", "6"]


# --- no import cycle anywhere ------------------------------------------------------------------

CYCLE_FOLDERS = ("mock_site", "steps", "tutorial", "bench", "tests", "features")


def module_name(path: Path) -> str:
    """``tutorial/figuras/report.py`` → ``tutorial.figuras.report``; a package's ``__init__`` is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(files: list[Path]) -> dict[str, set[str]]:
    """Which of the given modules each one imports, wherever the import sits (a ``TYPE_CHECKING``
    block or a function counts: a reader still follows it). ``from a import b`` is ``a.b`` when that
    is a module, else ``a``."""
    modules = {module_name(path): path for path in files}

    def known(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    return {name: {known(target) for target in dotted_imports(path)} - {"", name} for name, path in modules.items()}


@KEPT.rule
def dotted_imports(path: Path) -> list[str]:
    """Every name a file imports, wherever the import sits: ``import a.b`` is ``a.b``, ``from a
    import b`` is ``a.b`` (:func:`import_graph` keeps what of it is a module)."""
    return [
        name if module is None and not level else f"{_absolute(path, level, module)}.{name}"
        for level, module, name in imports(path)
    ]


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle_anywhere():
    """A module's readers follow its imports one way: no two modules reach each other."""
    files = [path for folder in CYCLE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    assert not import_cycles(import_graph(files)), f"ciclos de importación: {import_cycles(import_graph(files))}"


def test_the_cycle_rule_catches_a_circle_through_a_type_checking_import():
    graph = {"a.comparison": {"a.report"}, "a.report": {"a.comparison", "a.names"}, "a.names": set()}
    assert import_cycles(graph) == [["a.comparison", "a.report"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


RENDERER_MODULE_NAME = "chromium"  # what tutorial.figuras.renderer is called wherever it is imported


@KEPT.rule
def renderer_imports(path: Path) -> list[str]:
    """How a file names the renderer module: ``from tutorial.figuras import renderer as X`` gives X."""
    names = []
    for node in nodes(path):
        if isinstance(node, ast.ImportFrom) and node.module == "tutorial.figuras":
            names += [alias.asname or alias.name for alias in node.names if alias.name == "renderer"]
    return names


def test_the_renderer_module_has_one_name_everywhere():
    """A reader meets ``chromium.launch_args`` in every file, never ``browser.`` in one and ``renderer.`` in another."""
    files = [path for folder in CYCLE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    names = {str(path.relative_to(ROOT)): found for path in files if (found := renderer_imports(path))}
    other = {path: found for path, found in names.items() if set(found) != {RENDERER_MODULE_NAME}}
    assert len(names) > 5 and not other, f"el módulo del renderizador se importa con otro nombre: {other}"


def test_the_renderer_name_rule_catches_another_alias(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from tutorial.figuras import renderer as browser\nfrom tutorial.figuras import camera\n")
    assert renderer_imports(bad) == ["browser"]


# --- files a person holds ----------------------------------------------------------------------

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
SIZE_FOLDERS = ("mock_site", "tutorial", "steps", "bench", "tests")


@KEPT.rule
def oversized(path: Path) -> list[str]:
    """A module over :data:`MAX_MODULE_LINES` lines, or a function over :data:`MAX_FUNCTION_LINES`."""
    text = path.read_text(encoding="utf-8")
    found = []
    if (lines := len(text.splitlines())) > MAX_MODULE_LINES:
        found.append(f"{lines} líneas")
    for node in nodes(path):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name}: {length} líneas")
    return found


def test_no_module_over_600_lines_and_no_function_over_60():
    """What a newcomer reads whole: a module of a few screens, a function of one."""
    files = [path for folder in SIZE_FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))]
    offences = {str(path.relative_to(ROOT)): found for path in files if (found := oversized(path))}
    assert not offences, f"más de lo que una persona abarca (módulo ≤ 600 líneas, función ≤ 60): {offences}"


def test_the_size_rule_catches_a_long_function(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("def f():\n" + "    x = 1\n" * 60 + "\n\ndef g():\n    pass\n")
    assert oversized(long) == ["f: 61 líneas"]
