"""Sliding-window limits on how often one key (a session, a client address, a serial) may do
something: at most ``limit`` events within ``window`` seconds.

Plain Python, fed with the time by its caller (the app's ``RATE_LIMIT_CLOCK``, a monotonic
counter by default; tests give their own), so a test moves time by a number, never by sleeping.
The limits are not read from the site's clock: that one is frozen on the tutorial's moment in
``make sitio`` and in the scenarios, and a frozen clock would never let a window end.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass

MAX_KEYS = 10_000  # keys remembered per limit; the least recently used go first


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float


class Throttle:
    """The events of every key within one :class:`Window`; thread-safe, bounded in memory."""

    def __init__(self, window: Window, max_keys: int = MAX_KEYS) -> None:
        self.window, self.max_keys = window, max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
        self._events.move_to_end(key)
        while events and events[0] <= now - self.window.seconds:
            events.popleft()
        return events

    def retry_after(self, key: str, now: float) -> int | None:
        """Seconds (at least 1) until ``key`` may act again, or None when it may act now."""
        with self._lock:
            events = self._recent(key, now)
            if len(events) < self.window.limit:
                return None
            return max(1, math.ceil(events[0] + self.window.seconds - now))

    def record(self, key: str, now: float) -> None:
        with self._lock:
            self._recent(key, now).append(now)

    def hit(self, key: str, now: float) -> int | None:
        """Count one event for ``key`` unless the window is full: None when counted, else the
        seconds to wait (the refused attempt is not counted: waiting is enough to be let in)."""
        with self._lock:
            events = self._recent(key, now)
            if len(events) >= self.window.limit:
                return max(1, math.ceil(events[0] + self.window.seconds - now))
            events.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
