"""The one refusal type of the site's pages: why a request is refused, as a page shows it."""

from __future__ import annotations


class Refusal(Exception):
    """The page's title and message (Spanish) and the HTTP status: a recovery link that does not
    open, a desktop screen without a usable serial."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message
