"""How many password recovery mails one account (or one unknown name) gets: at most ``limit``
within a sliding ``window``, counted on the account's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RateLimit:
    limit: int
    window: timedelta

    def counted_since(self, now: datetime) -> datetime:
        """Requests made after this moment count against the limit; older ones are forgotten."""
        return now - self.window

    def allows(self, recent: int) -> bool:
        """One more request, after ``recent`` made within the window."""
        return recent < self.limit
