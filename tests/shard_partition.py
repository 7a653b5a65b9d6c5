"""A pytest plugin for tests/test_merge_reports.py: after collection, the shards pytest-split
would make of the collected tests, written as JSON to ``$SHARD_PARTITION_OUT``.

    SHARD_PARTITION_OUT=/tmp/p.json python -m pytest --collect-only -p tests.shard_partition

The same algorithm, durations file and items as ``make pruebas SHARD=n/N``, computed for every
shard in one collection: ``{"collected": [...], "shards": [[...], ...], "estimated": [...]}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytest_split.algorithms import Algorithms

DURATIONS = Path(__file__).resolve().parent.parent / ".ci" / "test_durations.json"
ALGORITHM = "least_duration"  # the Makefile's --splitting-algorithm
SPLITS = int(os.environ.get("SHARD_PARTITION_SPLITS", "4"))


def pytest_collection_finish(session: pytest.Session) -> None:
    out = os.environ.get("SHARD_PARTITION_OUT")
    if not out:
        return
    durations = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.is_file() else {}
    groups = Algorithms[ALGORITHM].value(SPLITS, list(session.items), durations)
    Path(out).write_text(
        json.dumps(
            {
                "collected": [item.nodeid for item in session.items],
                "shards": [[item.nodeid for item in group.selected] for group in groups],
                "estimated": [group.duration for group in groups],
            }
        ),
        encoding="utf-8",
    )
