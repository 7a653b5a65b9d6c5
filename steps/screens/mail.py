"""The customer's mailbox (the mock's webmail page; the control API hands out its address) and
the message opened in it."""

from __future__ import annotations

from playwright.sync_api import Locator

from steps.screens import Screen
from tutorial.actions import click
from tutorial.sitio.mock_client import MockControl

RECOVERY_SUBJECT = "Recupera tu contraseña de Mi cuenta Aspel"  # the mail's subject, as the mailbox lists it


class Mailbox(Screen):
    """The customer's mailbox: *Recibidos*, the newest message first."""

    TITLE = "Recibidos"

    def open(self, control: MockControl, correo: str) -> Mailbox:
        """The mailbox of ``correo``, at the address the control API hands out with its messages."""
        messages = control.outbox(correo)
        assert messages, f"No llegó ningún correo a {correo}."
        self.page.goto(messages[-1]["buzon"])
        self.page.get_by_role("heading", name=self.TITLE, exact=True).wait_for()
        return self

    def messages(self, subject: str) -> Locator:
        return self.page.get_by_role("link", name=subject, exact=True)

    def open_newest(self, subject: str) -> MailMessage:
        """The newest message with that subject: the list shows the newest first, so the first
        link is the one (this ``first`` is about order)."""
        click(self.messages(subject).first)
        self.page.get_by_role("heading", name=subject, exact=True).wait_for()
        return MailMessage(self.page)


class MailMessage(Screen):
    """The message opened in the mailbox: who it went to, its text, its table of data, its links."""

    @property
    def body(self) -> Locator:
        return self.page.get_by_role("article")

    def recipient(self, correo: str) -> Locator:
        """The header's value that names ``correo`` (whom the message went to)."""
        return self.body.get_by_role("definition").filter(has_text=correo)

    def row(self, name: str) -> Locator:
        """The row of the message's table named ``name`` (its header and its value)."""
        return self.body.get_by_role("row", name=name)

    def value(self, field: str, value: str) -> Locator:
        """The cell ``value`` in the row whose header is ``field``."""
        row = self.body.get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=field, exact=True))
        return row.get_by_role("cell", name=value, exact=True)

    def link(self, name: str) -> Locator:
        return self.body.get_by_role("link", name=name, exact=True)

    def follow(self, link: str) -> None:
        click(self.link(link))

    def address_of(self, link: str) -> str:
        """Where the message's link ``link`` leads."""
        return self.link(link).get_attribute("href") or ""
