"""--primero-los-largos: the longest recorded tests first, unknown ones as a median one."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from tutorial.ci.longest_first import pytest_collection_modifyitems


def ordered(tmp_path, durations: dict | None, names: list[str]) -> list[str]:
    path = tmp_path / "durations.json"
    if durations is not None:
        path.write_text(json.dumps(durations), encoding="utf-8")
    config = SimpleNamespace(getoption=lambda name: str(path))
    items = [SimpleNamespace(nodeid=name) for name in names]
    pytest_collection_modifyitems(config, items)
    return [item.nodeid for item in items]


def test_the_longest_come_first_and_an_unknown_test_counts_as_a_median_one(tmp_path):
    durations = {"a": 1.0, "b": 70.0, "c": 5.0, "d": 20.0, "e": 0.5}  # median 5.0
    names = ["a", "nuevo", "b", "c", "d", "e", "otro-nuevo"]
    assert ordered(tmp_path, durations, names) == ["b", "d", "nuevo", "c", "otro-nuevo", "a", "e"]


def test_without_the_option_the_order_is_the_collection_order():
    config = SimpleNamespace(getoption=lambda name: None)
    items = [SimpleNamespace(nodeid=name) for name in ("z", "a", "m")]
    pytest_collection_modifyitems(config, items)
    assert [item.nodeid for item in items] == ["z", "a", "m"]


def test_an_unreadable_file_is_a_usage_error_that_names_it(tmp_path):
    with pytest.raises(pytest.UsageError, match="durations.json"):
        ordered(tmp_path, None, ["a"])


def _escapes_a_letter(nodeid: str) -> bool:
    """``ma\\xf1ana`` escapes a letter; ``\\u202e`` (a control character) stays escaped on purpose."""
    codes = re.findall(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4}))", nodeid)
    return any(chr(int(x or u, 16)).isprintable() for x, u in codes)


@pytest.mark.parametrize("dia", ["mañana"])
def test_test_ids_keep_their_spanish_letters(request: pytest.FixtureRequest, dia: str):
    """pytest escaped non-ASCII in test ids (``ma\\xf1ana``) in every report;
    the committed durations must use the same ids, or pytest-split balances the shards blind."""
    assert dia == "mañana" and request.node.name == "test_test_ids_keep_their_spanish_letters[mañana]"
    from pathlib import Path

    durations = json.loads((Path(__file__).parent.parent / ".ci" / "test_durations.json").read_text(encoding="utf-8"))
    escaped = [nodeid for nodeid in durations if _escapes_a_letter(nodeid)]
    assert not escaped, f"ids escapados en .ci/test_durations.json (conviértelos a sus letras): {escaped[:3]}"


@pytest.mark.parametrize("texto", ["línea\r\nsiguiente\t"])
def test_a_line_break_in_a_test_id_stays_escaped(request: pytest.FixtureRequest, texto: str):
    """An id is one line of ``pytest --collect-only -q`` (which pytest-split and the shard test
    read): a parameter's line break or tab is written ``\\r\\n``, its Spanish letters kept."""
    assert (
        texto.endswith("\t")
        and request.node.name == "test_a_line_break_in_a_test_id_stays_escaped[línea\\r\\nsiguiente\\t]"
    )
