"""Which language goes where (docs/guia/estructura.md, «Contributing: names and languages»): what a
person types is Spanish (make targets, the options of pytest's plugins and of ``tutorial``), with at
most one English alias; a test module says its subject, not the issue that asked for it; each file
a run writes is named in one place of the tooling."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from tests.source_tree import nodes, parsed

ROOT = Path(__file__).resolve().parents[1]

# The words of the Spanish names, and those of their English aliases. A new target or option adds
# its words here, in the language it belongs to; a word in both is spelt alike in both.
SPANISH_WORDS = frozenset(
    "ayuda ajustes preparar figuras figura pruebas completas extra unir reportes duraciones remotas sitio medir "
    "revisar formato limpiar contenedor constancia aceptar mutacion primero los largos salida trabajadores "
    "registrar corrida enlaces un solo archivo actualizar escala servidor navegador carpeta renderizador nuevo "
    "destructivo direccion del trazas de".split()
)
ENGLISH_WORDS = frozenset(
    "help setup figures figure test full extra merge reports durations remote serve bench lint clean container doc "
    "update scale browser server dir".split()
)
SPELT_ALIKE = frozenset({"extra"})
# Tools named by their own name.
TOOL_NAMES = frozenset({"pre-commit"})


def _words(name: str) -> list[str]:
    return name.lstrip("-").replace("_", "-").split("-")


def spanish(name: str) -> bool:
    return name in TOOL_NAMES or all(word in SPANISH_WORDS for word in _words(name))


def english(name: str) -> bool:
    return all(word in ENGLISH_WORDS for word in _words(name))


def naming_problems(names: list[str], what: str) -> list[str]:
    """A Spanish name last, at most one English alias before it (make's order) or after it (an
    option's): each way it goes wrong, said in a line."""
    spanish_names = [n for n in names if spanish(n)]
    aliases = [n for n in names if not spanish(n)]
    problems = []
    if not spanish_names:
        problems.append(f"{what} {' '.join(names)}: falta el nombre en español")
    if len(aliases) > 1 or len(spanish_names) > 1:
        problems.append(f"{what} {' '.join(names)}: un nombre en español y a lo más un alias en inglés")
    problems += [
        f"{what} {alias}: el alias no es inglés (palabras permitidas en ENGLISH_WORDS)"
        for alias in aliases
        if not english(alias)
    ]
    return problems


# --- make ------------------------------------------------------------------------------------


def makefile_rules(text: str) -> list[list[str]]:
    """The names of each rule that builds a .PHONY target, as written before its colon."""
    joined = text.replace("\\\n", " ")
    phony = {name for line in re.findall(r"^\.PHONY:(.*)$", joined, re.M) for name in line.split()}
    rules = []
    for line in joined.splitlines():
        found = re.match(r"^([a-z][a-z -]*):(?![:=])(.*)$", line)
        if found and "=" not in found[2] and set(found[1].split()) & phony:
            rules.append(found[1].split())
    return rules


def test_every_make_target_has_a_spanish_name_and_at_most_one_english_alias():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    rules = makefile_rules(text)
    assert len(rules) >= 20, rules
    problems = [p for names in rules for p in naming_problems(names, "make")]
    problems += [
        f"make {' '.join(names)}: el alias va antes del nombre en español"
        for names in rules
        if len(names) == 2 and spanish(names[0]) and not spanish(names[1])
    ]
    assert not problems, "\n".join(problems)


def test_the_word_lists_keep_the_languages_apart():
    assert SPANISH_WORDS & ENGLISH_WORDS == SPELT_ALIKE


def test_a_half_spanish_alias_is_refused():
    """The check itself: the four aliases as they were, and the Spanish name missing."""
    for alias in ("test-completo", "test-remoto", "figures-contenedor", "test-contenedor"):
        assert naming_problems([alias, "pruebas"], "make") == [
            f"make {alias}: el alias no es inglés (palabras permitidas en ENGLISH_WORDS)"
        ]
    assert naming_problems(["test", "lint"], "make")[0] == "make test lint: falta el nombre en español"
    assert makefile_rules(".PHONY: a b\\\n\tc\nb a: x\nc: export X = 1\nd: y\n") == [["b", "a"]]


# --- options -----------------------------------------------------------------------------------


def _option_calls(folder: Path, method: str) -> list[tuple[str, list[str]]]:
    """(file:line, the long options) of each ``method("--x", ...)`` call under ``folder``."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in nodes(path):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method:
                names = [a.value for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("--")]
                if names:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", names))
    return found


def test_every_pytest_option_of_ours_is_spanish_with_at_most_one_english_alias():
    calls = _option_calls(ROOT / "tutorial", "addoption")
    assert len(calls) >= 7, calls
    problems = [p for where, names in calls for p in naming_problems(names, where)]
    assert not problems, "\n".join(problems)


def test_every_option_of_the_tutorial_command_is_spanish_or_names_a_folder_of_the_repo():
    """``--screenshots``, ``--features``, ``--docs`` name the folder they point at, as it is written."""
    calls = _option_calls(ROOT / "tutorial", "add_argument")
    assert len(calls) >= 15, calls
    problems = [
        f"{where}: {name} no está en español (ni es una carpeta del repositorio)"
        for where, names in calls
        for name in names
        if not spanish(name) and not (ROOT / name.lstrip("-")).is_dir()
    ]
    assert not problems, "\n".join(problems)


# --- tests and files ---------------------------------------------------------------------------


def test_every_test_module_opens_with_its_subject_not_an_issue_number():
    opening = {
        path.name: (ast.get_docstring(parsed(path)) or "") for path in sorted((ROOT / "tests").glob("test_*.py"))
    }
    by_issue = [name for name, doc in opening.items() if re.match(r"\s*issue\s+\d", doc, re.I)]
    assert not by_issue, f"Empiezan por un número de issue, no por lo que prueban: {by_issue}"
    untold = [name for name, doc in opening.items() if not doc.strip()]
    assert not untold, f"Sin docstring que diga qué prueban: {untold}"


def test_each_file_a_run_writes_is_named_once_in_the_tooling():
    """``corrida.json``, ``fallos.json``, ``recorrido.gif``…: one constant each, imported elsewhere."""
    defined = defaultdict(list)
    for path in sorted((ROOT / "tutorial").rglob("*.py")):
        for node in parsed(path).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Constant) and re.fullmatch(
                r"[\w.-]+\.(json|xml|html|md|gif|mp4)", str(value.value)
            ):
                defined[value.value].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert "corrida.json" in defined and "fallos.json" in defined, sorted(defined)
    twice = {name: places for name, places in defined.items() if len(places) > 1}
    assert not twice, f"Nombrados más de una vez: {twice}"
