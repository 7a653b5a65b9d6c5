"""The two tiers of the suite: QA's ``make pruebas`` and CI's ``make pruebas-completas``.

QA runs ``make pruebas`` many times a day: every unit test and every scenario (all nine figures, all
six terms, every flow), the fuzz at a small fixed budget. The checks that start a whole run, a
server or another browser (a pytest or make run, the mock started apart, a browser server, the
moved clock, Allure, the shard split...) carry ``@pytest.mark.completo`` and run in
``make pruebas-completas`` (which CI runs), so QA's tier stays quick.

This plugin keeps the mark honest: while a test without it is set up or runs, starting a
subprocess fails the test and names the command, so a new slow check cannot slip into QA's tier
unmarked. The one process a scenario may start is Playwright's driver, shared by the session; and
any test may ask an executable its ``--version`` (the renderer's identity).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager

import pytest

COMPLETE = "completo"


def command_text(command: object) -> str:
    """A command as a person reads it (Popen takes a list or a string)."""
    if isinstance(command, (list, tuple)):
        return " ".join(str(part) for part in command)
    return str(command)


# pytest-playwright's session driver starts in the set-up of the first scenario a worker runs; every
# later scenario shares it (its browsers are launched by the driver, not by this process).
SHARED_DRIVER = "run-driver"


def is_version_probe(command: object) -> bool:
    """``executable --version`` and nothing else: how the renderer is identified (a wrapper given
    as ``CHROMIUM_PATH`` answers it without starting a browser), a few milliseconds, not a run."""
    return isinstance(command, (list, tuple)) and len(command) == 2 and command[1] == "--version"


@contextmanager
def _watching_processes() -> Iterator[list[str]]:
    started: list[str] = []
    original: Callable[..., None] = subprocess.Popen.__init__

    def watched(self: subprocess.Popen, args: object, *rest: object, **options: object) -> None:
        if not is_version_probe(args):
            started.append(command_text(args))
        original(self, args, *rest, **options)

    subprocess.Popen.__init__ = watched  # type: ignore[method-assign]  # watching is the point
    try:
        yield started
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]


def _refuse(started: list[str]) -> None:
    if started:
        pytest.fail(
            f"Esta prueba arranca un proceso ({started[0]}) y no lleva @pytest.mark.completo: las que "
            "arrancan corridas, servidores o navegadores van en make pruebas-completas, no en make pruebas.",
            pytrace=False,
        )


def _guarded(item: pytest.Item, allowed: str | None = None) -> Generator[None, object, object]:
    """Run a phase of an unmarked test watching for processes (``allowed``: a command part let through)."""
    if item.get_closest_marker(COMPLETE):
        return (yield)
    with _watching_processes() as started:
        result = yield
    _refuse([command for command in started if allowed is None or allowed not in command])
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    """Its fixtures too (a module fixture that runs pytest counts), but the session's driver."""
    return (yield from _guarded(item, allowed=SHARED_DRIVER))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _guarded(item))
