"""aspel.com.mx's home page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, when

from steps.screens import AnyScreen
from steps.screens.account import Home


@given("que ingreso a aspel.com.mx")
def open_home(page: Page):
    Home(page).open()


@when(parsers.parse('localizo "{name}" en la parte superior de la página'))
def locate_at_top(page: Page, name: str):
    target = AnyScreen(page).named(name)
    expect(target).to_be_visible()
    box = target.bounding_box()
    assert box and box["y"] < 100, f"«{name}» no está en la parte superior de la página"
