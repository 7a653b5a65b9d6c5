"""Every pointer to a document or a file in the code's comments and docstrings leads somewhere:
a repo path (``tests/test_lock.py``, ``docs/guia/figuras.md``) exists, a bare ``NAME.md`` is a file
of the repo, and a section named after it (``docs/guia/figuras.md, «Figuras y renderizadores»``)
is a heading of that page. A message the user reads is held to its section pointers too."""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import io
import os
import re
import tokenize
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.source_tree import nodes

ROOT = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("mock_site", "tutorial", "steps", "tests", "bench")
# Files whose ``#`` lines are comments too.
COMMENTED_FILES = ("Makefile", "pyproject.toml", ".ci/run", ".ci/Dockerfile")

# A repo path: one of the project's folders, then its segments (``{md,html}`` for alternatives).
PATH = re.compile(
    r"(?<![\w/.-])((?:mock_site|tutorial|steps|tests|bench|features|docs|screenshots|\.ci)/(?:[\w.-]|/|\{[\w,]+\})*(?<=[\w}]))"
)
# A bare Markdown file's name (README, README.md, DESIGN.md...), and the section that may follow it:
# ``README, «Sección»``, ``docs/guia/uso.md, «The two commands»``, ``README's «Sección»``.
BARE_DOCUMENT = re.compile(r"(?<![\w/.-])(README\b(?:\.md)?|[\w-]+\.md\b)")
SECTION = re.compile(r"(README(?:\.md)?|docs/guia/[\w-]+\.md)(?:,|'s)\s+«([^»]+)»")
# Placeholders in an example path: tests/test_x.py, features/xxx.feature, screenshots/figura-NN.png.
PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:x+|N+)(?![A-Za-z])")
# Where a run writes, never committed.
WRITTEN_BY_A_RUN = ("screenshots/2x",)


@dataclass(frozen=True)
class Pointer:
    where: str  # file:line
    text: str  # the comment, docstring or message that holds it


def _python_texts(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, text, is_prose) for each comment and string of a module: prose is a comment or a docstring."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string, True
    docstrings = set()
    for node in nodes(path):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            if ast.get_docstring(node, clean=False) is not None:
                docstrings.add(id(node.body[0].value))  # type: ignore[attr-defined]
    for node in nodes(path):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value, id(node) in docstrings


# pytest's cache (.pytest_cache) keeps each module's comments and strings by its digest, so a run
# tokenizes only the modules changed since the last (tokenize is pure Python: 2 s for the tree).
# The key names the extracting code: a change to it empties the store.
TEXTS_CACHE_KEY = "aspel/doc_pointers/" + hashlib.sha256(inspect.getsource(_python_texts).encode()).hexdigest()[:16]


def texts(
    root: Path = ROOT, kept: Mapping[str, list] | None = None, fresh: dict[str, list] | None = None
) -> Iterator[tuple[Pointer, bool]]:
    """Each comment, docstring and message of the code, and whether it is prose. ``kept``: a
    module's texts by the digest of its bytes, from an earlier run (reused); ``fresh`` receives
    this tree's, the same way."""
    kept = kept or {}
    files = [root / "conftest.py"] + [p for folder in CODE_FOLDERS for p in sorted((root / folder).rglob("*.py"))]
    # This file plants broken pointers on purpose (test_the_check_finds_each_kind_of_broken_pointer).
    for path in (p for p in files if p != Path(__file__).resolve()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        found = kept[digest] if digest in kept else [list(text) for text in _python_texts(path)]
        if fresh is not None:
            fresh[digest] = found
        for line, text, prose in found:
            yield Pointer(f"{path.relative_to(root)}:{line}", " ".join(text.split())), prose
    for name in COMMENTED_FILES:
        path = root / name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                yield Pointer(f"{name}:{number}", line), True


def _alternatives(path: str) -> list[str]:
    """``docs/tutorial.{md,html}`` → both; a placeholder segment → a glob."""
    found = re.search(r"\{([\w,]+)\}", path)
    if found:
        return [a for choice in found[1].split(",") for a in _alternatives(path.replace(found[0], choice, 1))]
    return [PLACEHOLDER.sub("*", path)]


def _exists(path: str, root: Path) -> bool:
    path = path.rstrip("./")
    if path.startswith(WRITTEN_BY_A_RUN):
        return True
    return all(any(root.glob(choice)) if "*" in choice else (root / choice).exists() for choice in _alternatives(path))


def headings(page: Path) -> list[str]:
    return [
        line.lstrip("#").strip().replace("`", "")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]


def _section_found(page: Path, section: str) -> bool:
    """The heading itself, or with «…» at its end, a heading that starts so."""
    names = headings(page)
    if section.endswith("…"):
        return any(name.startswith(section[:-1]) for name in names)
    return section in names


NOT_THE_REPO = {".venv", "mutants", "node_modules", ".git"}  # installed or generated trees, never the repo's


@functools.cache
def _repo_documents(root: Path) -> frozenset[str]:
    """The names of the repo's Markdown files: a walk that never enters :data:`NOT_THE_REPO`
    (``root.rglob`` went through .venv's thousands of folders, seconds a call)."""
    found = set()
    for _folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in NOT_THE_REPO]
        found.update(name for name in names if name.endswith(".md"))
    return frozenset(found)


def broken(text: str, prose: bool, root: Path = ROOT, documents: frozenset[str] | None = None) -> list[str]:
    """What in ``text`` points nowhere, each said in a line. A message (not ``prose``) is held only
    to its section pointers: its other paths are data (``features/a.feature`` in a test)."""
    found = []
    for page, section in SECTION.findall(text):
        page = "README.md" if page.startswith("README") else page
        if not (root / page).is_file():
            found.append(f"{page} no existe")
        elif not _section_found(root / page, section):
            found.append(f"{page} no tiene la sección «{section}» (tiene: {'; '.join(headings(root / page))})")
    if not prose:
        return found
    for path in PATH.findall(text):
        if not _exists(path, root):
            found.append(f"{path} no existe")
    documents = _repo_documents(root) if documents is None else documents
    for name in BARE_DOCUMENT.findall(text):
        name = "README.md" if name == "README" else name
        if name not in documents:
            found.append(f"{name} no es un archivo del repositorio")
    return found


def test_every_pointer_in_comments_and_docstrings_leads_somewhere(request: pytest.FixtureRequest):
    cache = getattr(request.config, "cache", None)  # none under -p no:cacheprovider
    kept, fresh = (cache.get(TEXTS_CACHE_KEY, {}) if cache else {}), {}
    documents = _repo_documents(ROOT)
    bad = [
        f"{pointer.where}: {problem}"
        for pointer, prose in texts(kept=kept, fresh=fresh)
        for problem in broken(pointer.text, prose, documents=documents)
    ]
    if cache:
        cache.set(TEXTS_CACHE_KEY, fresh)  # this tree's modules only: an older version's entry goes
    assert not bad, "Referencias que no llevan a ningún lado (corrige la ruta o la sección):\n" + "\n".join(bad)


def test_the_check_finds_each_kind_of_broken_pointer():
    """The check itself, on pointers planted in prose: each kind that should fail does."""
    assert broken("see tests/test_lock.py and docs/guia/figuras.md", True) == []
    assert broken("(docs/guia/figuras.md, «Figuras y renderizadores»)", True) == []
    assert broken("(docs/guia/qa.md, «For QA: a failure at a glance…»)", True) == []
    assert broken("``docs/tutorial.{md,html}``, screenshots/figura-NN.png, a developer's tests/test_x.py", True) == []
    assert broken("see tests/test_nadie.py", True) == ["tests/test_nadie.py no existe"]
    assert broken("see docs/tutorial.{md,pdf}", True) == ["docs/tutorial.{md,pdf} no existe"]
    assert broken("(DESIGN.md, «Scenarios»)", True) == ["DESIGN.md no es un archivo del repositorio"]
    [problem] = broken("(README, «Figuras y renderizadores»)", True)
    assert problem.startswith("README.md no tiene la sección «Figuras y renderizadores»")
    [problem] = broken("véase docs/guia/figuras.md, «Figuras y renderers»", False)
    assert problem.startswith("docs/guia/figuras.md no tiene la sección «Figuras y renderers»")
    assert broken("features/a.feature", False) == [], "a message's paths are data, not pointers"


def test_texts_kept_from_an_earlier_run_serve_only_an_unchanged_module(tmp_path):
    """The kept texts are a module's by the digest of its bytes: one changed since is read again."""
    for name in COMMENTED_FILES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("# véase docs/c.md\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text('"""Nada."""\n', encoding="utf-8")
    (tmp_path / "tests").mkdir()
    module = tmp_path / "tests" / "test_m.py"
    module.write_text("x = 1  # véase docs/a.md\n", encoding="utf-8")
    fresh: dict[str, list] = {}
    others = ["# véase docs/c.md"] * len(COMMENTED_FILES)
    assert [pointer.text for pointer, _ in texts(tmp_path, fresh=fresh)] == ["Nada.", "# véase docs/a.md", *others]
    module.write_text("x = 1  # véase docs/b.md\n", encoding="utf-8")
    assert [pointer.text for pointer, _ in texts(tmp_path, kept=fresh)] == ["Nada.", "# véase docs/b.md", *others]
