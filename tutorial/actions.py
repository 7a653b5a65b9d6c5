"""The page objects' clicks, hovers and fills, told to whoever listens.

The page objects (``steps/screens/``) click, hover and fill only through the three functions
below, so a listener hears every one of them without patching Playwright: the walkthrough's
recorder (``tutorial/documento/walkthrough.py``) listens while it records a scenario. A
click or a hover is told just before it happens (the page as the pointer finds it), a fill just
after (the field holds what was typed).

Imports nothing of ours, so every room and the page objects may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Locator


@dataclass(frozen=True)
class Action:
    """One action of a page object: ``kind`` on ``locator``; ``value`` is what a fill typed."""

    kind: Literal["click", "hover", "fill"]
    locator: Locator
    value: str = ""


Listener = Callable[[Action], None]

_LISTENERS: list[Listener] = []


def listen(listener: Listener) -> None:
    """From now on ``listener`` hears every action (once, however often it is registered)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def stop_listening(listener: Listener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def _tell(action: Action) -> None:
    for listener in tuple(_LISTENERS):
        listener(action)


def click(locator: Locator) -> None:
    _tell(Action("click", locator))
    locator.click()


def hover(locator: Locator) -> None:
    _tell(Action("hover", locator))
    locator.hover()


def fill(locator: Locator, value: str) -> None:
    locator.fill(value)
    _tell(Action("fill", locator, value))
