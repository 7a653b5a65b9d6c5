"""requirements.lock: every package, direct or pulled in, pinned with its hashes, and in step with pyproject.toml."""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from tests.source_tree import KeptAnswers, imports

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]["name"]
# The folders whose imports must be declared: everything the project runs, its tests included.
CODE = ["mock_site", "tutorial", "steps", "bench", "tests"]
REGENERATE = "el encabezado de requirements.lock dice cómo regenerarlo"


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_requirements(pyproject: dict, build: bool = True) -> list[str]:
    """The project's dependencies and every extra's, as written; with ``build``, the build system's too."""
    project = pyproject["project"]
    extras = project.get("optional-dependencies", {})
    runtime = [*project["dependencies"], *(r for group in extras.values() for r in group)]
    return runtime + (pyproject["build-system"]["requires"] if build else [])


def pins(requirements: list[str]) -> dict[str, str]:
    """``name==version`` requirements as {normalized name: version}; other specifiers are left out."""
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"\s*([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)\s*", requirement)
        if match:
            found[normalized(match[1])] = match[2]
    return found


def parse_lock(text: str) -> dict[str, dict]:
    """{normalized name: {"version", "hashes", "via"}} from pip-compile's output."""
    packages: dict[str, dict] = {}
    current: dict | None = None
    for line in text.splitlines():
        pin = re.match(r"^([A-Za-z0-9._-]+)==(\S+?)\s*\\?$", line)
        if pin:
            current = packages[normalized(pin[1])] = {"version": pin[2], "hashes": [], "via": []}
        elif current is not None and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            current["hashes"].append(digest[1])
        elif current is not None and (via := re.match(r"^\s+#\s+(?:via\s+)?(\S.*)$", line)):
            current["via"].append(via[1].strip())
    return packages


def lock_disagreements(pyproject: dict, lock_text: str) -> list[str]:
    """Every way the lock and pyproject.toml disagree, in Spanish, one line each."""
    locked = parse_lock(lock_text)
    direct = direct_requirements(pyproject)
    pinned = pins(direct)
    # The build backend (setuptools>=68) may stay a range in pyproject.toml: the lock pins it.
    runtime = direct_requirements(pyproject, build=False)
    problems = [f"{r}: fíjalo con == en pyproject.toml" for r in runtime if normalized(r.split("=")[0]) not in pinned]
    for name, version in pinned.items():
        if name not in locked:
            problems.append(f"{name}=={version} está en pyproject.toml y falta en requirements.lock")
        elif locked[name]["version"] != version:
            problems.append(f"{name}: pyproject.toml fija {version}, requirements.lock {locked[name]['version']}")
    named_direct = {normalized(r.split("=")[0].split(">")[0].split("[")[0]) for r in direct}
    for name, entry in locked.items():
        if not entry["hashes"]:
            problems.append(f"{name} no tiene hash en requirements.lock")
        says_direct = any(via.startswith(f"{PROJECT} (pyproject.toml") for via in entry["via"])
        if says_direct and name not in named_direct:
            problems.append(f"{name}: requirements.lock lo cree directo y pyproject.toml ya no lo pide")
    return problems


def test_the_lock_agrees_with_pyproject():
    problems = lock_disagreements(PYPROJECT, LOCK.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems) + f"\n({REGENERATE})"


def test_the_lock_holds_every_extra_with_hashes_and_the_transitive_packages():
    text = LOCK.read_text(encoding="utf-8")
    command = next(line for line in text.splitlines() if "pip-compile" in line and "--output-file" in line)
    for option in ("--generate-hashes", "--all-extras", "--all-build-deps", "--allow-unsafe"):
        assert option in command, f"requirements.lock se hizo sin {option}"
    locked = parse_lock(text)
    # Packages nobody names in pyproject.toml, pulled in by the direct ones: they are locked too.
    for transitive in ("blinker", "markupsafe", "greenlet", "setuptools"):
        assert transitive in locked and locked[transitive]["hashes"], transitive


def test_a_pin_changed_in_pyproject_alone_is_caught():
    changed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    changed["project"]["dependencies"] = [
        "Flask==9.9.9" if r.startswith("Flask==") else r for r in changed["project"]["dependencies"]
    ]
    changed["project"]["optional-dependencies"]["test"].append("nueva-cosa==1.0")
    problems = lock_disagreements(changed, LOCK.read_text(encoding="utf-8"))
    assert any(p.startswith("flask: pyproject.toml fija 9.9.9") for p in problems), problems
    assert any(p.startswith("nueva-cosa==1.0 está en pyproject.toml y falta") for p in problems), problems


def test_a_dependency_dropped_from_pyproject_but_left_in_the_lock_is_caught():
    dropped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dropped["project"]["dependencies"] = [r for r in dropped["project"]["dependencies"] if not r.startswith("waitress")]
    problems = lock_disagreements(dropped, LOCK.read_text(encoding="utf-8"))
    assert "waitress: requirements.lock lo cree directo y pyproject.toml ya no lo pide" in problems


def test_a_package_without_hashes_is_caught():
    text = re.sub(r"(flask==3\.1\.3 \\\n)(\s+--hash=sha256:\w+\s*\\?\n)+", r"flask==3.1.3\n", LOCK.read_text())
    assert "flask no tiene hash en requirements.lock" in lock_disagreements(PYPROJECT, text)


def test_make_preparar_installs_only_from_the_lock_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^\$\(VENV\)/\.installed:(.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert rule, "falta la regla $(VENV)/.installed"
    assert "requirements.lock" in rule[1].split() and "pyproject.toml" in rule[1].split()
    installs = [line for line in rule[2].splitlines() if "pip install" in line]
    assert installs[0].endswith("--require-hashes -r requirements.lock"), installs
    assert all("--no-deps" in line for line in installs[1:]), "la instalación del proyecto traería paquetes sin hash"


KEPT = KeptAnswers(Path(__file__))  # each file's imports, reused while the file is the same
_kept = KEPT.fixture()


@KEPT.rule
def absolute_imports(path: Path) -> list[str]:
    """The modules a file imports by their absolute names (``from .x import y`` is the project's own)."""
    return [name if module is None else module for level, module, name in imports(path) if not level]


def third_party_imports() -> dict[str, set[str]]:
    """Top-level modules imported by the project's code that are neither its own nor the standard library."""
    own = {*CODE, "conftest"}
    found: dict[str, set[str]] = {}
    files = [*ROOT.glob("*.py"), *(path for folder in CODE for path in (ROOT / folder).rglob("*.py"))]
    for path in files:
        for module in absolute_imports(path):
            top = module.split(".")[0]
            if top not in sys.stdlib_module_names and top not in own:
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_the_code_imports_is_declared_in_pyproject():
    """One that arrives only through another package (gherkin through pytest-bdd) could leave with its next release."""
    declared = {normalized(r.split("=")[0].split("[")[0]) for r in direct_requirements(PYPROJECT)}
    providers = importlib.metadata.packages_distributions()
    undeclared = [
        f"{module} ({', '.join(sorted(files)[:2])}): declara {' o '.join(providers.get(module, ['?']))}"
        for module, files in sorted(third_party_imports().items())
        if not declared & {normalized(d) for d in providers.get(module, [])}
    ]
    assert not undeclared, "\n".join(undeclared)
