"""The garbage collector of a test process: what collection built is frozen out of its way, it runs
less often, and whatever is still alive when pytest ends is frozen before the interpreter exits.

CPython's collector walks every object it tracks in the generations it collects. A worker of
``make pruebas`` holds 400-600 thousand of them (the collected tests, the parsed features,
Playwright's, Flask's and Pillow's modules), nearly all alive until the end. Left alone, the
collector walked them in full about ten times per worker, 6 s of CPU over three workers, and at
the end pytest's ``gc.collect()`` and the interpreter's finalization walked them again while xdist
waited for its workers: 1.8 s of wall time between the last test and the summary.

``gc.freeze()`` (CPython's documented way, for servers that fork) moves what is alive into a
generation no collection walks; a larger first generation makes the collections fewer. Garbage
is collected before each freeze, so a cycle whose finalizer fails still reaches pytest's report
of unraisable exceptions. Measured over ``make pruebas`` (gc.callbacks): 6.0 → 2.6 s of CPU in
collections; xdist's wait for its workers 1.8 → 0.2 s (bench/results.md, «Issue 40, sixth pass»).
"""

from __future__ import annotations

import gc

import pytest

FIRST_GENERATION_THRESHOLD = 20_000  # CPython's default is 700 allocations


def freeze_survivors() -> None:
    """Collect the garbage there is, then keep every surviving object out of later collections."""
    gc.collect()
    gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])


def pytest_collection_finish(session: pytest.Session) -> None:
    freeze_survivors()


@pytest.hookimpl(tryfirst=True)  # before pytest's own collection for its unraisable-exception report
def pytest_unconfigure(config: pytest.Config) -> None:
    freeze_survivors()
