"""The pages the tutorial's links lead to: NOI's prices, Tutoriales, the feedback form and its thanks."""

from __future__ import annotations

from playwright.sync_api import Locator

from steps.screens import Screen
from tutorial.actions import click, fill


class Prices(Screen):
    """*Precios de Aspel NOI*: one section per modality, a row per offer with its price first."""

    def modality(self, name: str) -> Locator:
        return self.page.get_by_role("region", name=name, exact=True)

    def offers(self, modality: str) -> Locator:
        """The offers of ``modality``, by their row headers (Mensual, Semestral…)."""
        return self.modality(modality).get_by_role("rowheader")

    def prices(self, modality: str) -> list[Locator]:
        """Each offer's price: the first cell of every row the modality heads."""
        section = self.modality(modality)
        rows = section.get_by_role("row").filter(has=section.get_by_role("rowheader")).all()
        return [row.get_by_role("cell").first for row in rows]


class Tutorials(Screen):
    """*Tutoriales*: the list of Aspel's tutorials."""

    def tutorial(self, title: str) -> Locator:
        listing = self.page.get_by_role("list", name="Tutoriales de Aspel")
        return listing.get_by_role("listitem").get_by_role("link", name=title, exact=True)


class FeedbackForm(Screen):
    """*Dudas, comentarios y sugerencias* about a tutorial."""

    FIELD = "Tu duda, comentario o sugerencia"

    def send(self, text: str) -> None:
        fill(self.page.get_by_label(self.FIELD), text)
        click(self.page.get_by_role("button", name="Enviar", exact=True))


class FeedbackThanks(Screen):
    """*Gracias por tus comentarios*, with the comment as it was received."""

    TITLE = "Gracias por tus comentarios"

    @property
    def comment(self) -> Locator:
        return self.page.get_by_label("Tu comentario")
