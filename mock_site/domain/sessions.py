"""How long a session of Mi cuenta Aspel lasts, on the account's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

IDLE_LIMIT = timedelta(minutes=30)  # without a request
ABSOLUTE_LIMIT = timedelta(hours=12)  # since the log-in, however busy


def session_expired(started: datetime, last_seen: datetime, now: datetime) -> bool:
    """True once 30 minutes passed since the last request or 12 hours since the log-in.
    A clock moved back (scenarios move clocks) ends nothing."""
    return now - last_seen >= IDLE_LIMIT or now - started >= ABSOLUTE_LIMIT
