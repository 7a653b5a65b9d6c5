"""The project's Python files as trees, parsed once per test process: the house rules
(test_house_plan.py, test_naming.py, test_lock.py, test_doc_pointers.py,
test_settings_take_effect.py) each read every module their own way, and parsing and walking the
same few hundred files again for each rule was seconds of every ``make pruebas``.

What a rule found in a file of the tree can also be kept across runs (:class:`KeptAnswers`):
each worker of ``make pruebas`` parsed the whole tree once, about 0.8 s of CPU, although the
files rarely change between two runs."""

from __future__ import annotations

import ast
import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def parsed(path: Path) -> ast.Module:
    """``path``'s tree; a file rewritten since (a test's own ``tmp_path`` file) is parsed again."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of ``path``'s tree, in ``ast.walk``'s order."""
    stat = path.stat()
    return _nodes(path, stat.st_mtime_ns, stat.st_size)


def imports(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """Each name ``path`` imports, wherever the import sits, as (level, module, name): ``import
    a.b`` is ``(0, None, "a.b")``, ``from ..x import y`` is ``(2, "x", "y")``."""
    for node in nodes(path):
        if isinstance(node, ast.Import):
            yield from ((0, None, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from ((node.level, node.module, alias.name) for alias in node.names)


@functools.cache
def _parsed(path: Path, _mtime_ns: int, _size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _nodes(path: Path, mtime_ns: int, size: int) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(_parsed(path, mtime_ns, size)))


# --- what a rule found in a file, kept across runs ------------------------------------------------


def digest(path: Path) -> str:
    """The SHA-256 of ``path``'s bytes (read again when the file was rewritten)."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _digest(path: Path, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class KeptAnswers:
    """What the rules of one module found in each file of the tree, this run (``found``) and an
    earlier one (``kept``, from pytest's cache). In the rules' module: ``KEPT =
    KeptAnswers(Path(__file__))``, ``_kept = KEPT.fixture()`` and ``@KEPT.rule`` on each rule
    ``f(path) -> list``."""

    def __init__(self, rules_module: Path) -> None:
        self.rules_module = rules_module
        self.found: dict[str, list] = {}  # "rule|file|digest of its bytes" → what the rule returned
        self.kept: dict[str, list] = {}

    def fixture(self) -> Any:
        """An autouse fixture of the rules' module that loads and saves the answers around its tests."""

        @pytest.fixture(autouse=True, scope="module")
        def kept_across_runs(request: pytest.FixtureRequest) -> Iterator[None]:
            with self.remembered_in(request.config):
                yield

        return kept_across_runs

    def rule(self, rule: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
        """``rule(path)``, answered from an earlier run while the file's bytes are the same. A file
        outside the tree (a test's own ``tmp_path`` file) is always read."""

        @functools.wraps(rule)
        def remembered(path: Path) -> list[str]:
            if not path.is_relative_to(ROOT):
                return rule(path)
            key = f"{rule.__qualname__}|{path.relative_to(ROOT)}|{digest(path)}"
            if key not in self.found:
                self.found[key] = self.kept[key] if key in self.kept else rule(path)
            return self.found[key]

        return remembered

    @contextmanager
    def remembered_in(self, config: pytest.Config) -> Iterator[None]:
        """Load the earlier run's answers from pytest's cache and save this run's when done. The
        key names the rules' module and this one by their bytes, so a changed rule finds nothing
        kept; an entry whose file changed or went is dropped. Each xdist worker adds its answers
        to what the others saved. Nothing is kept under ``-p no:cacheprovider``."""
        cache = getattr(config, "cache", None)
        rules = self.rules_module
        key = f"aspel/source_tree/{rules.stem}/{digest(rules)[:16]}{digest(Path(__file__))[:16]}"
        self.kept.update(cache.get(key, {}) if cache else {})
        try:
            yield
        finally:
            if cache:
                everything = {**cache.get(key, {}), **self.found}
                cache.set(key, {entry: found for entry, found in everything.items() if _still_there(entry)})


def _still_there(entry: str) -> bool:
    _rule, name, sha = entry.split("|")
    path = ROOT / name
    return path.is_file() and digest(path) == sha
