"""The test processes' garbage collector (tutorial/ci/garbage.py): set as the plugin says, and no
garbage frozen with the survivors."""

import gc

from tutorial.ci import garbage


def test_this_process_collects_its_first_generation_less_often() -> None:
    assert gc.get_threshold()[0] == garbage.FIRST_GENERATION_THRESHOLD


def test_what_collection_built_is_already_frozen() -> None:
    assert gc.get_freeze_count() > 0


class _Cycle:
    finalized: list[str] = []

    def __init__(self, name: str) -> None:
        self.name, self.me = name, self

    def __del__(self) -> None:
        _Cycle.finalized.append(self.name)


def test_freezing_survivors_collects_the_garbage_first_and_keeps_the_living() -> None:
    _Cycle("basura")  # unreachable at once, but a cycle: only a collection frees it
    alive = _Cycle("viva")
    frozen_before = gc.get_freeze_count()

    garbage.freeze_survivors()

    assert _Cycle.finalized == ["basura"]
    assert gc.get_freeze_count() > frozen_before
    assert alive.me is alive
