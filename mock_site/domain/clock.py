"""The site's clock when it runs: set to a moment (the tutorial's, for ``make sitio``) and advancing
with real time from then on, so every limit counted on it (the log-in lock, a recovery link's
age, an idle session, the recovery mails' quota) ends as it would on a real site. Frozen clocks
(the figures' and the scenarios', set through mock control) are stored without a start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def running_moment(set_to: datetime, set_at: datetime, real_now: datetime) -> datetime:
    """The reading at ``real_now`` of a clock set to ``set_to`` at the real instant ``set_at``.
    A real clock put back (by hand, by NTP) never takes it below ``set_to``."""
    return set_to + max(real_now - set_at, timedelta(0))


def utc(moment: datetime) -> str:
    """Stored instants in UTC, so that they compare as text whatever the offset of the day."""
    return moment.astimezone(UTC).isoformat()
