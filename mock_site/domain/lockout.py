"""Log-in lock after repeated wrong passwords, the same for existing and unknown users: the
answer to a log-in must not tell whether the user exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
MAX_UNKNOWN_USERS = 10_000  # unknown user names whose failures are kept (the oldest go first)


@dataclass(frozen=True)
class Attempts:
    """Failed log-ins of one user name since its last success or lock, and the lock's end."""

    failures: int = 0
    locked_until: datetime | None = None


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def lock_after_failure(failed_count: int, now: datetime) -> datetime | None:
    """The end of the lock once ``failed_count`` reaches the limit, else None."""
    return now + LOCK_DURATION if failed_count >= MAX_FAILED_LOGINS else None


def after_attempt(state: Attempts, succeeded: bool, now: datetime) -> Attempts:
    """The state after one attempt whose password was checked (never while locked): a success
    clears it; a failure counts (from zero again after a lock that ended) and the fifth locks."""
    if succeeded:
        return Attempts()
    failures = (0 if state.locked_until else state.failures) + 1
    lock_end = lock_after_failure(failures, now)
    return Attempts(0, lock_end) if lock_end else Attempts(failures)
