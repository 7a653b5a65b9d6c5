"""The screens a scenario touches, one small page object each, found by role, label and visible
Spanish text only: aspel.com's pages (:mod:`.account`, :mod:`.subscriptions`, :mod:`.downloads`,
:mod:`.information`), the customer's mailbox (:mod:`.mail`) and the customer's PC
(:mod:`.desktop`: Inicio, Aspel-AL, Aspel NOI, its Asistente de activación and Configuración).

The steps (steps/*.py) reach the browser only through these (tests/test_house_plan.py holds them
to it), and the benchmark's floor (bench/floor.py) shoots the figures through them, so a screen
changes in one place. Page objects wait for what a screen shows (``wait_for``) and leave the
checks to the steps. They click, hover and fill only through :mod:`tutorial.actions`, which
tells whoever listens (the walkthrough's recorder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from playwright.sync_api import Locator, Page

from tutorial.actions import click, hover
from tutorial.figuras.annotations import CROP, MASK, parse_tail

NEW_VERSION = "Aspel NOI 10.0"  # what the upgrade offers: the download centre and Otros sistemas name it

# The roles of what the tutorial names in bold, in the order a name is looked up: a dialog's own
# heading repeats the dialog's name, and the dialog comes first.
VISIBLE_NAME_ROLES: Final = ("link", "button", "dialog", "heading", "group", "navigation", "columnheader")


def by_visible_name(page: Page, name: str) -> Locator:
    """What the tutorial names in bold (a link, a button, a dialog, a heading…), by its Spanish
    text: the first role above that names it on the screen now. When none does yet, any of them
    (Playwright waits for it on use); either way more than one match fails in strict mode."""
    candidates = [page.get_by_role(role, name=name, exact=True) for role in VISIBLE_NAME_ROLES]
    for candidate in candidates:
        if candidate.count():
            return candidate
    anyone = candidates[0]
    for candidate in candidates[1:]:
        anyone = anyone.or_(candidate)
    return anyone


@dataclass
class Screen:
    page: Page
    TITLE = ""  # the heading a screen is known by (its window's or page's title)

    @property
    def title(self) -> Locator:
        return self.page.get_by_role("heading", name=self.TITLE, exact=True)


# Code a careless page would run when it shows what was typed: a script that leaves a mark on
# window, and an <img> whose handler would. PROBE_TRACES reads what it left.
PROBE = '<script>window.sondeo=1</script><img id="sondeo" src="x" onerror="window.sondeo=2">'
PROBE_TRACES = """() => ({
    ran: window.sondeo ?? null,
    injected: document.querySelectorAll('main script, img#sondeo').length,
})"""


class AnyScreen(Screen):
    """Whatever screen the browser shows, read by what every screen has: its window's title, its
    messages, its links, the fields by their labels, what the tutorial names in bold."""

    def named(self, name: str) -> Locator:
        return by_visible_name(self.page, name)

    def click_on(self, name: str) -> None:
        click(self.named(name))

    def hover_over(self, name: str) -> None:
        hover(self.named(name))

    def window(self, title: str) -> Locator:
        """The window (the page's heading) titled ``title`` exactly."""
        return self.page.get_by_role("heading", name=title, exact=True)

    def heading(self, text: str) -> Locator:
        """A heading that contains ``text``."""
        return self.page.get_by_role("heading", name=text)

    def dialog(self, title: str) -> Locator:
        return self.page.get_by_role("dialog", name=title, exact=True)

    @property
    def body(self) -> Locator:
        """The whole page, for words that may sit in any part of it."""
        return self.page.locator("body")

    def message(self, text: str) -> Locator:
        """The alert or the status notice that says ``text``."""
        return self.page.get_by_role("alert").or_(self.page.get_by_role("status")).filter(has_text=text)

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label)

    def go_to(self, address: str) -> None:
        """``address`` typed in the browser."""
        self.page.goto(address)

    def go_back(self) -> None:
        """The browser's Atrás button."""
        self.page.go_back()

    def show(self, html: str) -> None:
        """``html`` shown as the browser would show the page (an answer no browser could ask for)."""
        self.page.set_content(html)

    def probe_traces(self) -> dict:
        """What :data:`PROBE` written in a field left on the page: ``ran``, the mark its script or its
        image's ``onerror`` sets on ``window`` (None: nothing ran), and ``injected``, how many
        elements made from it the page holds. The DOM on purpose: the site's CSP would stop an
        injected script, so "nothing ran" alone would not show that the code was escaped."""
        return self.page.evaluate(PROBE_TRACES)


def figure_targets(page: Page, tail: str) -> dict:
    """What a figure step's tail declares (boxes, badges, arrows, notes, blur, a crop, a mask) as
    :meth:`Camera.picture`'s arguments, the targets found by visible name. The figure step and
    the floor both shoot with these."""
    declared = parse_tail(tail)
    crops = [a.target for a in declared if a.kind == CROP]
    return {
        "crop": by_visible_name(page, crops[0]) if crops else None,
        "mask": [page.get_by_text(a.target, exact=True) for a in declared if a.kind == MASK],
        "marks": [a for a in declared if a.kind not in (CROP, MASK)],
        "locate": lambda name: by_visible_name(page, name),
    }
