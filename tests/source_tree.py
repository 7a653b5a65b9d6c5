"""The project's Python files as trees, parsed once per test process: the house rules
(test_house_plan.py, test_naming.py, test_lock.py, test_doc_pointers.py,
test_settings_take_effect.py) each read every module their own way, and parsing and walking the
same few hundred files again for each rule was seconds of every ``make pruebas``."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


def parsed(path: Path) -> ast.Module:
    """``path``'s tree; a file rewritten since (a test's own ``tmp_path`` file) is parsed again."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of ``path``'s tree, in ``ast.walk``'s order."""
    stat = path.stat()
    return _nodes(path, stat.st_mtime_ns, stat.st_size)


@functools.cache
def _parsed(path: Path, _mtime_ns: int, _size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _nodes(path: Path, mtime_ns: int, size: int) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(_parsed(path, mtime_ns, size)))
