"""How many workers ``-n auto`` starts for a run of the tests: one more than the cores.

A scenario's worker keeps about 1.3 cores busy (its pytest process with the mock's thread, the
Playwright driver and Chromium's processes), but in turns: while Chromium draws, pytest waits, and
the other way round. Two workers on two cores left the cores idle 6-10 % of ``make pruebas``
(vmstat); a third fills those gaps: 0.86-0.98× the wall time of two, six paired runs on two
cores (bench/results.md, «Issue 40, third pass»).

The figures' runs (``--actualizar-figuras``, ``make figuras``) keep xdist's one worker per core,
the run the committed figures were made by (three workers were not measured there).
``-n logical``, ``-n <number>`` and ``PYTEST_XDIST_AUTO_NUM_WORKERS`` are xdist's, as documented.
"""

from __future__ import annotations

import os

import pytest


def cores() -> int:
    """The cores this process may run on (its affinity, as xdist counts them without psutil)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def auto_workers(numprocesses: object, updating_figures: bool, environ: dict[str, str]) -> int | None:
    """The workers for ``-n auto``, or None where xdist decides (its own rule)."""
    if numprocesses != "auto" or updating_figures or environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return cores() + 1


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    updating = bool(config.getoption("--actualizar-figuras", False))
    return auto_workers(config.option.numprocesses, updating, dict(os.environ))
