"""The pages the tutorial's links lead to: NOI's prices, Tutoriales, the feedback form, YouTube.

``abro el enlace "…" del tutorial`` reads the link from the published tutorial document as it is
rebuilt from the features (steps/support/documento/tutorial_doc.py): a public address of the real site,
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

from steps.support.documento.tutorial_doc import UnknownPublicLink, build_markdown, mock_page

ROOT = Path(__file__).resolve().parents[1]
FEEDBACK_FIELD = "Tu duda, comentario o sugerencia"
HTML_FEEDBACK = '<script>window.sondeo=1</script><img id="sondeo" src="x" onerror="window.sondeo=2">'
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


@pytest.fixture
def feedback() -> str:
    """Replaced by what the reader sent in the feedback form (its step's ``target_fixture``)."""
    pytest.fail("El escenario no envió antes un comentario.")


@when(parsers.parse('abro el enlace "{label}" del tutorial'))
def open_tutorial_link(page: Page, label: str):
    page.goto(site_path(tutorial_link(label)))


@then(parsers.re(r'la modalidad "(?P<modality>[^"]+)" ofrece (?P<offers>"[^"]+"(?:(?:, | y )"[^"]+")*)$'))
def modality_offers(page: Page, modality: str, offers: str):
    section = page.get_by_role("region", name=modality, exact=True)
    expect(section).to_be_visible()
    expected = re.findall(r'"([^"]+)"', offers)
    expect(section.get_by_role("rowheader")).to_have_text(expected)
    for row in section.get_by_role("row").filter(has=section.get_by_role("rowheader")).all():
        expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^\$ [\d,]+\.\d\d$"))


@then(parsers.parse('la lista de tutoriales incluye "{title}"'))
def tutorials_list(page: Page, title: str):
    listing = page.get_by_role("list", name="Tutoriales de Aspel")
    expect(listing.get_by_role("listitem").get_by_role("link", name=title, exact=True)).to_be_visible()


@when(parsers.parse('envío el comentario "{text}"'), target_fixture="feedback")
def send_feedback(page: Page, text: str) -> str:
    page.get_by_label(FEEDBACK_FIELD).fill(text)
    page.get_by_role("button", name="Enviar", exact=True).click()
    return text


@when("envío como comentario un código HTML con un script", target_fixture="feedback")
def send_html_feedback(page: Page) -> str:
    return send_feedback(page, HTML_FEEDBACK)


@when("envío el formulario sin comentario")
def send_empty_feedback(page: Page):
    send_feedback(page, "")


@then("mi comentario aparece tal como lo escribí")
def feedback_shown_back(page: Page, feedback: str):
    expect(page.get_by_role("heading", name="Gracias por tus comentarios", exact=True)).to_be_visible()
    expect(page.get_by_label("Tu comentario")).to_have_text(feedback)
