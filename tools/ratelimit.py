"""Per-session rate limit of tool calls (sliding one-minute window, in memory)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Callable


class SessionRateLimit:
    """At most `per_minute` calls per session in any 60 seconds; 0 disables the limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def acquire(self, session: str) -> bool:
        """Count one call; False when the session is over its limit (the call is not counted)."""
        if self.per_minute <= 0:
            return True
        now = self.clock()
        with self._lock:
            calls = self._calls[session]
            while calls and now - calls[0] >= 60.0:
                calls.popleft()
            if len(calls) >= self.per_minute:
                return False
            calls.append(now)
            return True
