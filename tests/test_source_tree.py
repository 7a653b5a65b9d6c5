"""What a house rule found in a file, kept across runs (tests/source_tree.py): reused while the file
and the rules are the same, read again when either changed, never kept for a file outside the tree."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import source_tree


class DictCache:
    """pytest's cache (``config.cache``) as the rules use it: ``get`` and ``set`` by key."""

    def __init__(self) -> None:
        self.values: dict[str, dict] = {}

    def get(self, key: str, default: dict) -> dict:
        return self.values.get(key, default)

    def set(self, key: str, value: dict) -> None:
        self.values[key] = value


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(source_tree, "ROOT", tmp_path)
    return tmp_path


def run(config: SimpleNamespace, rules: Path, rule, path: Path) -> list[str]:
    """One run of the rule on the file, as a new test process would make it."""
    kept = source_tree.KeptAnswers(rules)
    with kept.remembered_in(config):
        return kept.rule(rule)(path)


def test_a_rule_answers_from_an_earlier_run_until_its_file_or_the_rules_change(tree):
    rules, target = tree / "test_rules.py", tree / "a.py"
    rules.write_text("# the rules\n")
    target.write_text("x = 1\n")
    read = []

    def first_line(path: Path) -> list[str]:
        read.append(path.name)
        return path.read_text().splitlines()[:1]

    config = SimpleNamespace(cache=DictCache())
    assert run(config, rules, first_line, target) == ["x = 1"]
    assert run(config, rules, first_line, target) == ["x = 1"]
    assert read == ["a.py"]

    target.write_text("x = 22\n")
    assert run(config, rules, first_line, target) == ["x = 22"]
    assert read == ["a.py", "a.py"]

    rules.write_text("# the rules, changed\n")
    assert run(config, rules, first_line, target) == ["x = 22"]
    assert read == ["a.py", "a.py", "a.py"]


def test_an_entry_whose_file_went_is_dropped_and_a_file_outside_the_tree_is_always_read(tree, tmp_path_factory):
    rules, target = tree / "test_rules.py", tree / "a.py"
    rules.write_text("# the rules\n")
    target.write_text("x = 1\n")
    outside = tmp_path_factory.mktemp("fuera") / "b.py"
    outside.write_text("y = 2\n")
    read = []

    def name(path: Path) -> list[str]:
        read.append(path.name)
        return [path.name]

    config = SimpleNamespace(cache=DictCache())
    run(config, rules, name, target)
    run(config, rules, name, outside)
    run(config, rules, name, outside)
    assert read == ["a.py", "b.py", "b.py"]
    (saved,) = config.cache.values.values()
    assert list(saved) == [f"{name.__qualname__}|a.py|{source_tree.digest(target)}"]

    target.unlink()
    run(config, rules, name, outside)
    assert list(config.cache.values.values()) == [{}]
