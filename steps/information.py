"""The pages the tutorial's links lead to, and those the mock's copy of the tutorial (in Soporte)
links to: NOI's prices, Tutoriales, the feedback form, YouTube.

``abro el enlace "…" del tutorial`` reads the link from the published tutorial document as it is
rebuilt from the features (tutorial/documento/tutorial_doc.py): a public address of the real site,
which ``PUBLIC_PAGES`` maps to the page of the mock that stands for it; the scenario visits that
page on the site under test, so each scenario follows the link a reader follows.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import PROBE, AnyScreen
from steps.screens.account import Home
from steps.screens.information import FeedbackForm, FeedbackThanks, Prices, Tutorials
from tutorial.documento.tutorial_doc import UnknownPublicLink, build_markdown, mock_page

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


@cache
def tutorial_links() -> dict[str, str]:
    """Each link of the published tutorial document: its text → its address (the first, if repeated)."""
    text = build_markdown(ROOT / "features", ROOT / "screenshots", ROOT / "docs")
    links: dict[str, str] = {}
    for label, address in MARKDOWN_LINK.findall(text):
        links.setdefault(label, address)
    return links


def tutorial_link(label: str) -> str:
    links = tutorial_links()
    if label not in links:
        pytest.fail(f"El documento del tutorial no tiene el enlace «{label}»; tiene: {', '.join(links)}")
    return links[label]


def site_path(address: str) -> str:
    """A public address of the document as the path of the mock's page that stands for it."""
    try:
        return mock_page(address)
    except UnknownPublicLink as unknown:
        pytest.fail(str(unknown.args[0]))


@given(parsers.parse('que el tutorial publicado enlaza "{label}" a "{address}"'))
def published_link(label: str, address: str):
    found = tutorial_link(label)
    assert found == address, f"El tutorial publicado enlaza «{label}» a {found}, no a {address}"


@given(parsers.parse('que abro el tutorial "{title}" en Soporte'))
def open_tutorial_in_support(page: Page, title: str):
    """The way a reader reaches the pages the original links to "#" (precios, comentarios): the
    published document leaves those words without a link (docs/guia/documento.md)."""
    Home(page).open()
    AnyScreen(page).click_on("Soporte")
    AnyScreen(page).click_on(title)


@pytest.fixture
def feedback() -> str:
    """Replaced by what the reader sent in the feedback form (its step's ``target_fixture``)."""
    pytest.fail("El escenario no envió antes un comentario.")


@when(parsers.parse('abro el enlace "{label}" del tutorial'))
def open_tutorial_link(page: Page, label: str):
    AnyScreen(page).go_to(site_path(tutorial_link(label)))


@then(parsers.re(r'la modalidad "(?P<modality>[^"]+)" ofrece (?P<offers>"[^"]+"(?:(?:, | y )"[^"]+")*)$'))
def modality_offers(page: Page, modality: str, offers: str):
    prices = Prices(page)
    expect(prices.modality(modality)).to_be_visible()
    expect(prices.offers(modality)).to_have_text(re.findall(r'"([^"]+)"', offers))
    for price in prices.prices(modality):
        expect(price).to_have_text(re.compile(r"^\$ [\d,]+\.\d\d$"))


@then(parsers.parse('la lista de tutoriales incluye "{title}"'))
def tutorials_list(page: Page, title: str):
    expect(Tutorials(page).tutorial(title)).to_be_visible()


@when(parsers.parse('envío el comentario "{text}"'), target_fixture="feedback")
def send_feedback(page: Page, text: str) -> str:
    FeedbackForm(page).send(text)
    return text


@when("envío como comentario un código HTML con un script", target_fixture="feedback")
def send_html_feedback(page: Page) -> str:
    FeedbackForm(page).send(PROBE)
    return PROBE


@when("envío el formulario sin comentario")
def send_empty_feedback(page: Page):
    FeedbackForm(page).send("")


@then("mi comentario aparece tal como lo escribí")
def feedback_shown_back(page: Page, feedback: str):
    thanks = FeedbackThanks(page)
    expect(thanks.title).to_be_visible()
    expect(thanks.comment).to_have_text(feedback)
