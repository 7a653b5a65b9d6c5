"""Log-in lock after repeated wrong passwords."""
from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def lock_after_failure(failed_count: int, now: datetime) -> datetime | None:
    """The end of the lock once ``failed_count`` reaches the limit, else None."""
    return now + LOCK_DURATION if failed_count >= MAX_FAILED_LOGINS else None
